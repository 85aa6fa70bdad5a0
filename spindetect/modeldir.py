"""Save and load a model directory: ``.npy`` arrays + ``manifest.json``.

Nothing is unpickled: arrays load with ``allow_pickle=False`` and only after
their sha256 matches the manifest. A missing, tampered, truncated or
incompatible model raises ``ModelError`` with a message naming the problem.
This is the only module that touches files under ``models/``.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from .fileutil import sha256_file

if TYPE_CHECKING:  # numpy and the model classes load with the arrays, so `info` stays light
    from .aggregate import Aggregator
    from .classifier import SentenceClassifier
    from .signals.docmodel import DocumentModel

FORMAT_VERSION = 1
#: A document model (signals.docmodel): character style + artifacts (+ LM) stacked; no sentence embedder.
DOCUMENT_FORMAT = 2
MANIFEST = "manifest.json"
DEFAULT_NAME = "spindetect-base"
#: Scoring modes and the shipped model each one loads (``--mode``). ``accurate``
#: adds language-model surprisal features and needs the LM (surprisal.py).
MODES = {"fast": DEFAULT_NAME, "accurate": "spindetect-accurate"}
ENV_MODEL = "SPINDETECT_MODEL"


class ModelError(RuntimeError):
    """A model directory is missing, damaged or incompatible."""


@dataclass(frozen=True)
class Model:
    path: Path
    manifest: dict
    classifier: SentenceClassifier | None
    aggregator: Aggregator | None
    #: The document model of a format-2 directory (then classifier and aggregator are None).
    document: DocumentModel | None = None

    @property
    def name(self) -> str:
        return self.manifest["name"]

    @property
    def version(self) -> str:
        return self.manifest["version"]

    @property
    def threshold(self) -> float:
        return float(self.manifest["threshold"]["value"])

    @property
    def feature_names(self) -> list[str]:
        return list(self.manifest["features"])




def default_model_dir(mode: str | None = None) -> Path:
    """The shipped model of ``mode`` (models/<name> of a source checkout or of the wheel).

    Without a mode: ``$SPINDETECT_MODEL`` when set, else the ``fast`` model.
    """
    env = os.environ.get(ENV_MODEL)
    if env and mode is None:
        return Path(env)
    if mode is not None and mode not in MODES:
        raise ModelError(f"unknown mode {mode!r}; expected one of: {', '.join(MODES)}")
    name = MODES[mode or "fast"]
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "models" / name, here / "_models" / name):
        if (candidate / MANIFEST).is_file():
            return candidate
    return here.parent / "models" / name


def check_writable(path: Path) -> None:
    """Raise ``ModelError`` unless ``path`` is new, empty, or already a model directory.

    So a user's folder is never overwritten by mistake; ``train`` checks this
    before it spends minutes training.
    """
    path = Path(path)
    if path.exists() and (not path.is_dir() or (any(path.iterdir()) and not (path / MANIFEST).is_file())):
        raise ModelError(f"{path}: exists and is not a spindetect model directory; choose an empty or new --out")


def _write(path: Path, arrays: dict, manifest: dict) -> Path:
    """Replace the directory's arrays with ``arrays`` (name -> array) and write the manifest with their hashes."""
    import numpy as np

    path = Path(path)
    check_writable(path)
    path.mkdir(parents=True, exist_ok=True)
    for old in path.glob("*.npy"):  # arrays of another kind of model would be left behind, unhashed
        old.unlink()
    files = {}
    for name, arr in arrays.items():
        np.save(path / name, np.ascontiguousarray(arr), allow_pickle=False)
        files[name] = sha256_file(path / name)
    m = dict(manifest)
    m["files"] = files
    tmp = path / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(m, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path / MANIFEST)
    return path / MANIFEST


def save(path: Path, classifier: SentenceClassifier, aggregator: Aggregator, manifest: dict) -> Path:
    """Write a sentence model's arrays and a manifest (with their hashes) to ``path``; returns the manifest path.

    Refuses to write into a non-empty directory that is not a model directory.
    """
    arrays = {f"classifier.{k}.npy": v for k, v in classifier.arrays().items()}
    return _write(path, arrays, {**manifest, "format_version": FORMAT_VERSION, "aggregation": aggregator.to_dict()})


def save_document(path: Path, model: DocumentModel, manifest: dict) -> Path:
    """Write a document model's arrays and its manifest (format 2); see ``save``."""
    arrays = {f"{k}.npy": v for k, v in model.arrays().items()}
    return _write(path, arrays, {**manifest, "format_version": DOCUMENT_FORMAT})


def load_manifest(path: Path) -> dict:
    path = Path(path)
    if path.is_file():
        raise ModelError(f"{path}: is a file; --model expects a model directory containing {MANIFEST}")
    mpath = path / MANIFEST
    if not mpath.is_file():
        raise ModelError(f"{path}: not a spindetect model directory (no {MANIFEST})")
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        raise ModelError(f"{mpath}: manifest is not valid JSON ({e})") from e
    if not isinstance(manifest, dict) or manifest.get("format_version") not in (FORMAT_VERSION, DOCUMENT_FORMAT):
        raise ModelError(
            f"{path}: model format {manifest.get('format_version') if isinstance(manifest, dict) else '?'} "
            f"is not supported (this spindetect reads formats {FORMAT_VERSION} and {DOCUMENT_FORMAT})"
        )
    required = ("name", "version", "features", "threshold", "files")
    if manifest["format_version"] == FORMAT_VERSION:
        required += ("aggregation", "embedder")
    for key in required:
        if key not in manifest:
            raise ModelError(f"{mpath}: manifest lacks '{key}'")
    return manifest


def load(path: Path | None = None) -> Model:
    """Load and verify a model directory (the default one when ``path`` is None)."""
    import numpy as np

    path = Path(path) if path else default_model_dir()
    manifest = load_manifest(path)
    arrays = {}
    for name, digest in manifest["files"].items():
        f = path / name
        if not name.endswith(".npy") or "/" in name or "\\" in name:
            raise ModelError(f"{path}: manifest names an unexpected file {name!r}")
        if not f.is_file():
            raise ModelError(f"{path}: weight file {name} is missing")
        if sha256_file(f) != digest:
            raise ModelError(f"{path}: weight file {name} does not match its sha256 in the manifest (damaged or modified)")
        try:
            arrays[name[: -len(".npy")]] = np.load(f, allow_pickle=False)
        except ValueError as e:
            raise ModelError(f"{path}: weight file {name} cannot be read without pickle ({e})") from e
    if manifest["format_version"] == DOCUMENT_FORMAT:
        from .signals.docmodel import DocumentModel

        try:
            document = DocumentModel.from_arrays(arrays, manifest["features"], manifest.get("strong_rule"))
        except (KeyError, ValueError) as e:
            raise ModelError(f"{path}: {e}") from e
        return Model(path=path, manifest=manifest, classifier=None, aggregator=None, document=document)
    from .aggregate import Aggregator
    from .classifier import SentenceClassifier

    arrays = {k[len("classifier.") :]: v for k, v in arrays.items() if k.startswith("classifier.")}
    try:
        classifier = SentenceClassifier.from_arrays(arrays)
        aggregator = Aggregator.from_dict(manifest["aggregation"])
    except (KeyError, ValueError) as e:
        raise ModelError(f"{path}: {e}") from e
    if classifier.mean.shape[0] != len(manifest["features"]):
        raise ModelError(f"{path}: classifier expects {classifier.mean.shape[0]} features, manifest lists {len(manifest['features'])}")
    return Model(path=path, manifest=manifest, classifier=classifier, aggregator=aggregator)


def manifest_sha256(path: Path) -> str:
    """sha256 of a model directory's manifest, which holds the sha256 of every array: the model's identity."""
    return sha256_file(Path(path) / MANIFEST)


def check_new(path: Path, force: bool = False, base: Path | None = None) -> None:
    """Raise ``ModelError`` unless a new model directory may be written at ``path``.

    New or empty: yes. An existing model directory: only with ``force``.
    Anything else (a file, a folder of other things, the base model itself):
    never, so nothing a user gave is overwritten.
    """
    path = Path(path)
    if base is not None and path.exists() and path.resolve() == Path(base).resolve():
        raise ModelError(f"{path}: is the model being calibrated; choose another --out")
    if not path.exists():
        if not path.parent.is_dir():
            raise ModelError(f"{path}: folder {path.parent} does not exist")
        return
    if not path.is_dir():
        raise ModelError(f"{path}: exists and is a file; choose a new --out directory")
    if not any(path.iterdir()):
        return
    if not (path / MANIFEST).is_file():
        raise ModelError(f"{path}: exists and is not a spindetect model directory; nothing is overwritten, choose a new --out")
    if not force:
        raise ModelError(f"{path}: exists (a model directory); use --force to replace it or choose a new --out")


def save_calibrated(base: Path, out: Path, *, threshold: dict, calibration: dict, version: str, force: bool = False) -> Path:
    """Write a copy of the model directory ``base`` with a new threshold to ``out``; returns ``out``.

    The arrays are copied and checked against the base manifest's sha256;
    the manifest keeps everything else, with ``threshold`` replaced and
    ``calibration`` (its provenance) and ``version`` set. Written into a
    hidden folder beside ``out``, loaded back to verify, then renamed into
    place, so ``out`` is never half-written. See ``check_new`` for when
    ``out`` may exist. Files of ``base`` not in its manifest (the model card,
    which describes the base threshold) are not copied.
    """
    base, out = Path(base), Path(out)
    check_new(out, force, base)
    manifest = load_manifest(base)
    tmp = out.parent / f".{out.name}.partial-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        for name, digest in manifest["files"].items():
            if not name.endswith(".npy") or "/" in name or "\\" in name:
                raise ModelError(f"{base}: manifest names an unexpected file {name!r}")
            shutil.copyfile(base / name, tmp / name)
            if sha256_file(tmp / name) != digest:
                raise ModelError(f"{base}: weight file {name} does not match its sha256 in the manifest (damaged or modified)")
        m = {**manifest, "threshold": threshold, "calibration": calibration, "version": version}
        (tmp / MANIFEST).write_text(json.dumps(m, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        load(tmp)
        if out.exists():  # empty, or a model directory replaced with force
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out
