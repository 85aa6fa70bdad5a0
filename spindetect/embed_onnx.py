"""A lean inference path for the sentence embedder: onnxruntime + tokenizers.

Scoring one article with sentence-transformers costs an import of torch,
transformers and sentence-transformers (several seconds, ~500 MiB) before the
first sentence is encoded. This module runs the same MiniLM exported to ONNX
with ``onnxruntime`` and the model's own ``tokenizer.json`` (``tokenizers``),
so scoring imports neither torch nor transformers.

The graph includes mean pooling and L2 normalisation, so it outputs exactly
what ``SentenceTransformer.encode(..., normalize_embeddings=True)`` returns
(cosine ≥ 0.9999 on news sentences for the default fp32 export).

Where the ONNX file comes from: it is exported from the packaged weights by
``spindetect prepare`` (``prepare`` here) into the cache (``spindetect.cache``),
never downloaded. ``meta.json`` beside it records the source
weights (size, mtime, sha256), the library versions and the quantisation, and
an export whose source no longer matches is ignored.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:  # numpy loads with the session; finding an export imports nothing heavy
    import numpy as np

from . import cache
from .fileutil import sha256_file

ONNX_NAME = "model.onnx"
META_NAME = "meta.json"
META_FORMAT = 1
QUANTIZE_CHOICES = ("none", "int8")
# Padded tokens per onnxruntime call. Sentences are grouped by padded width
# and cut into batches of at most this many padded tokens, which keeps padding
# waste and attention matrices small. On the 2-core dev machine (shared, loaded),
# 300 news sentences ran at 28 sent/s with 2048, 42 with 1024, 49-53 with
# 128-512 and 24 one sentence at a time; a 32-sentence article took 1.65 s
# with 2048 and 0.67-0.86 s with 512 (medians of 3, noisy).
TOKEN_BUDGET = 512
# Every sentence is padded to a width that depends on its own token count only
# (the next multiple of WIDTH_STEP), and is never run as a batch of one (a lone
# row is paired with a copy of itself). Then its vector is bit-for-bit the same
# whatever other sentences share its batch: measured on the seed's sentences,
# rows padded to their batch's longest member moved by up to 3e-8 with the
# batch, a batch of one by 6e-8 (onnxruntime takes another kernel), and rows of
# one fixed width in batches of 2-65 by exactly 0. So a document scores the
# same alone, in a directory, or in a Dask partition. The price, on 600 news
# sentences (medians of 4, same process): 129 sent/s before, 124 / 119 / 111
# with steps of 4 / 8 / 16 tokens; the seed article 0.29 s before, 0.41 / 0.32 /
# 0.33 s (a small step leaves more widths with a lone, doubled sentence).
WIDTH_STEP = 8
# Measured on 400 news sentences, 2-core AMD EPYC (AVX2, no VNNI), shared and
# loaded, same process: fp32 33 sent/s, cosine to sentence-transformers 1.0000;
# int8 (dynamic, per-channel, every weight MatMul) 52 sent/s but worst-sentence
# cosine 0.964 (mean 0.991); int8 on the attention projections only: 38 sent/s,
# min 0.992. The parity bar is 0.99 per sentence, so fp32 is the default and
# int8 stays an opt-in export for experiments.


class OnnxUnavailable(RuntimeError):
    """No usable ONNX export (or onnxruntime/tokenizers) for this embedder."""


def export_dir(model_dir: str | Path, root: str | Path | None = None) -> Path:
    """The cache folder that holds the ONNX export of ``model_dir``.

    One folder per embedder directory (keyed by its resolved path), so a
    ``--embedder`` directory never picks up another model's export.
    """
    key = hashlib.sha256(str(Path(model_dir).resolve()).encode("utf-8")).hexdigest()[:16]
    return Path(root) if root else cache.root() / "onnx" / f"{Path(model_dir).name}-{key}"


def _weights_file(model_dir: Path) -> Path:
    for name in ("model.safetensors", "pytorch_model.bin"):
        if (model_dir / name).is_file():
            return model_dir / name
    raise OnnxUnavailable(f"{model_dir}: no model.safetensors or pytorch_model.bin to export")


def _source_stamp(model_dir: Path) -> dict:
    w = _weights_file(model_dir)
    st = w.stat()
    return {"weights": w.name, "size": st.st_size, "mtime_ns": st.st_mtime_ns}




def _max_seq_length(model_dir: Path) -> int:
    # sentence-transformers truncates to sentence_bert_config.json's max_seq_length
    # (256 for MiniLM), not to the 128 stored in tokenizer.json.
    try:
        cfg = json.loads((model_dir / "sentence_bert_config.json").read_text(encoding="utf-8"))
        return int(cfg["max_seq_length"])
    except (OSError, ValueError, KeyError, TypeError):
        return 256


def find_export(model_dir: str | Path, root: str | Path | None = None) -> Path | None:
    """Return the folder of a valid export of ``model_dir``, or None.

    Valid means ``model.onnx``, ``meta.json`` and ``tokenizer.json`` are there and
    the meta's source stamp matches the weights now in ``model_dir``. Cheap: a
    few ``stat`` calls and one small JSON read; imports nothing heavy.
    """
    model_dir = Path(model_dir)
    d = export_dir(model_dir, root)
    try:
        meta = read_meta(d)
        ok = (
            meta.get("format") == META_FORMAT
            and meta.get("source", {}).get("stamp") == _source_stamp(model_dir)
            and (d / ONNX_NAME).is_file()
            and (model_dir / "tokenizer.json").is_file()
        )
    except (OSError, ValueError, AttributeError, OnnxUnavailable):
        return None
    return d if ok else None


def runtime_available() -> bool:
    """Whether onnxruntime and tokenizers are installed (checked without importing them)."""
    from importlib.util import find_spec

    return find_spec("onnxruntime") is not None and find_spec("tokenizers") is not None


class OnnxEncoder:
    """Encode sentences with an exported MiniLM graph; output matches sentence-transformers.

    Parameters
    ----------
    model_dir : str or Path
        The sentence-transformers directory the export was made from (its
        ``tokenizer.json`` and ``sentence_bert_config.json`` are read).
    export : str or Path
        The folder holding ``model.onnx`` and ``meta.json``.
    threads : int, optional
        onnxruntime intra-op threads; 0 lets onnxruntime choose (one per core).

    Raises
    ------
    OnnxUnavailable
        onnxruntime or tokenizers is missing, or the files cannot be loaded.
    """

    def __init__(self, model_dir: str | Path, export: str | Path, threads: int = 0):
        model_dir, export = Path(model_dir), Path(export)
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as e:
            raise OnnxUnavailable(f"the onnx backend needs onnxruntime and tokenizers ({e})") from e
        try:
            self.meta = read_meta(export)
            tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
            tok.enable_truncation(_max_seq_length(model_dir))
            tok.no_padding()  # we pad per length bucket ourselves
            so = ort.SessionOptions()
            so.intra_op_num_threads = int(threads)
            so.inter_op_num_threads = 1
            so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            # Worker threads spinning between batches burn a shared CPU for
            # little gain on batches this small.
            so.add_session_config_entry("session.intra_op.allow_spinning", "0")
            so.log_severity_level = 3
            self._session = ort.InferenceSession(str(export / ONNX_NAME), so, providers=["CPUExecutionProvider"])
        except Exception as e:  # onnxruntime raises its own exception types
            raise OnnxUnavailable(f"cannot load the ONNX export in {export}: {e}") from e
        self._tok = tok
        self.dim = int(self.meta["dim"])
        self.quantize = self.meta.get("quantize", "none")

    def encode(self, sentences: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Return an ``(n, dim)`` float32 array of unit vectors; ``(0, dim)`` for no sentences."""
        import numpy as np

        if not sentences:
            return np.zeros((0, self.dim), dtype=np.float32)
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        encs = self._tok.encode_batch(list(sentences), add_special_tokens=True)
        lens = np.fromiter((len(e.ids) for e in encs), dtype=np.int64, count=len(encs))
        out = np.empty((len(encs), self.dim), dtype=np.float32)
        for width, idx in _batches(lens, batch_size):
            rows = idx if len(idx) > 1 else np.repeat(idx, 2)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for row, j in enumerate(rows):
                e = encs[j].ids
                ids[row, : len(e)] = e
                mask[row, : len(e)] = 1
            out[idx] = self._session.run(None, {"input_ids": ids, "attention_mask": mask})[0][: len(idx)]
        return out


def padded_width(n_tokens: int) -> int:
    """The width a sentence of ``n_tokens`` is padded to: a function of its own length only."""
    return max(WIDTH_STEP, -(-int(n_tokens) // WIDTH_STEP) * WIDTH_STEP)


def _batches(lens: np.ndarray, batch_size: int):
    """Yield ``(width, indices)``: sentences of one padded width, ≤ batch_size rows and ≤ TOKEN_BUDGET padded tokens."""
    import numpy as np

    widths = np.array([padded_width(n) for n in lens], dtype=np.int64)
    for width in sorted(set(widths.tolist()), reverse=True):
        idx = np.flatnonzero(widths == width)
        rows = max(1, min(batch_size, TOKEN_BUDGET // width))
        for start in range(0, len(idx), rows):
            yield width, idx[start : start + rows]


def export(
    model_dir: str | Path,
    out: str | Path | None = None,
    quantize: str = "none",
    opset: int = 17,
) -> Path:
    """Export a sentence-transformers BERT-style model to ONNX (with pooling and normalisation).

    Needs torch, transformers and ``onnx`` (the build-time path); the result
    runs with onnxruntime + tokenizers only.

    Parameters
    ----------
    model_dir : str or Path
        A local sentence-transformers directory with mean pooling (MiniLM).
    out : str or Path, optional
        Target folder; the cache folder for ``model_dir`` by default.
    quantize : {"none", "int8"}
        ``int8`` quantises every weight MatMul (dynamic, per-channel): about
        1.5x faster on AVX2, but the worst-sentence cosine to
        sentence-transformers drops to ≈ 0.96 (mean 0.99), below the 0.99
        parity bar, so it is not the default.
    opset : int
        ONNX opset of the export.

    Returns
    -------
    Path
        The folder holding ``model.onnx`` and ``meta.json``.

    Raises
    ------
    OnnxUnavailable
        Unknown ``quantize``, a model that is not mean-pooled, or a missing
        build dependency.
    """
    if quantize not in QUANTIZE_CHOICES:
        raise OnnxUnavailable(f"unknown quantize {quantize!r}; expected one of: {', '.join(QUANTIZE_CHOICES)}")
    model_dir = Path(model_dir)
    pooling = _pooling_config(model_dir)
    if not pooling.get("pooling_mode_mean_tokens") or any(
        pooling.get(k) for k in ("pooling_mode_cls_token", "pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens")
    ):
        raise OnnxUnavailable(f"{model_dir}: only mean-pooled models can be exported (pooling config: {pooling})")
    stamp = _source_stamp(model_dir)
    target = Path(out) if out else export_dir(model_dir)
    target.mkdir(parents=True, exist_ok=True)
    cache.offline()
    try:
        import torch
        import transformers
        from transformers import AutoModel
        from transformers.utils import logging as hf_logging
    except ImportError as e:
        raise OnnxUnavailable(f"exporting needs torch and transformers ({e})") from e

    class _Pooled(torch.nn.Module):
        # BERT -> masked mean over tokens -> L2 norm, as sentence-transformers'
        # Transformer + Pooling(mean) + Normalize modules compute it.
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask):
            h = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=torch.zeros_like(input_ids)
            ).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(h.dtype)
            pooled = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    hf_logging.disable_progress_bar()
    t0 = time.time()
    bert = AutoModel.from_pretrained(str(model_dir)).eval()
    net = _Pooled(bert).eval()
    dummy = (torch.ones(2, 8, dtype=torch.long), torch.ones(2, 8, dtype=torch.long))
    fp32 = target / ("model.fp32.onnx" if quantize != "none" else ONNX_NAME)
    import warnings

    with torch.no_grad(), warnings.catch_warnings():
        # The TorchScript exporter warns about traced Python booleans in the
        # SDPA mask code; the mask is always given, so the traced branch is right.
        warnings.simplefilter("ignore")
        # dynamo=False: the TorchScript exporter needs no onnxscript and
        # exports MiniLM in seconds; parity is checked in tests/test_embed.py.
        torch.onnx.export(
            net, dummy, str(fp32), input_names=["input_ids", "attention_mask"], output_names=["embedding"],
            dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}, "embedding": {0: "batch"}},
            opset_version=opset, dynamo=False,
        )
    if quantize == "int8":
        _quantize_int8(fp32, target / ONNX_NAME)
        fp32.unlink()
    meta = {
        "format": META_FORMAT,
        "dim": int(bert.config.hidden_size),
        "quantize": quantize,
        "opset": opset,
        "source": {"dir": str(model_dir.resolve()), "stamp": stamp, "sha256": sha256_file(model_dir / stamp["weights"])},
        "onnx_sha256": sha256_file(target / ONNX_NAME),
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__, **_ort_version()},
        "export_seconds": round(time.time() - t0, 1),
    }
    (target / META_NAME).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return target


def _pooling_config(model_dir: Path) -> dict:
    try:
        modules = json.loads((model_dir / "modules.json").read_text(encoding="utf-8"))
        pool = next(m for m in modules if m.get("type", "").endswith("Pooling"))
        return json.loads((model_dir / pool["path"] / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, StopIteration, KeyError, TypeError) as e:
        raise OnnxUnavailable(f"{model_dir}: cannot read the pooling config of a sentence-transformers model ({e})") from e


def _ort_version() -> dict:
    try:
        import onnxruntime

        return {"onnxruntime": onnxruntime.__version__}
    except ImportError:
        return {}


def _quantize_int8(src: Path, dst: Path) -> None:
    try:
        import onnx  # noqa: F401  (quantize_dynamic needs it)
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as e:
        raise OnnxUnavailable(f"int8 export needs onnx and onnxruntime ({e})") from e
    # MatMul only: quantising the embedding Gather as well costs accuracy and
    # saves no time.
    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, per_channel=True, op_types_to_quantize=["MatMul"])


def prepare(model_dir: str | Path, quantize: str = "none", force: bool = False) -> tuple[Path, bool]:
    """The cached export of ``model_dir`` and whether it was made now.

    An export that matches the weights and ``quantize`` is kept unless
    ``force``; otherwise :func:`export` writes one (~20 s).

    Raises
    ------
    OnnxUnavailable
        ``model_dir`` is not a directory, or see :func:`export`.
    """
    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise OnnxUnavailable(f"{model_dir}: not a directory")
    found = find_export(model_dir)
    if found is not None and not force and read_meta(found).get("quantize") == quantize:
        return found, False
    return export(model_dir, None, quantize), True


def read_meta(export_folder: Path) -> dict:
    """The ``meta.json`` of an export folder."""
    return json.loads((Path(export_folder) / META_NAME).read_text(encoding="utf-8"))
