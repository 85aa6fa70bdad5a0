"""Score a whole crawl on a Dask cluster (or a LocalCluster on one machine).

A crawl (JSONL, JSONL.gz or Parquet files) is cut into partitions of
``partition_rows`` input rows (``plan_partitions``); each partition becomes
one output file ``part-00000.parquet`` written through a temporary file and
renamed into place (``score_partition``). A rerun skips partitions whose file
exists, so an interrupted run resumes; a worker that dies mid-partition
leaves only a temporary file, Dask reruns the task elsewhere and the
partition is written once.

Every input row ends as exactly one output row: a document that cannot be
read or scored becomes a row whose ``error`` column holds the one-line
message, never a failed partition.

The model is loaded once per worker process (``get_detector`` caches it by
model directory, embedder and threshold), and sentences are embedded in
batches across documents, as the local ``spindetect score`` does. Scores equal
a local run's bit for bit: a sentence's embedding does not depend on the other
sentences in its batch (``embed_onnx.WIDTH_STEP``), nor its logit on the other
rows (``classifier._rowwise``).

For notebooks: ``score_dataframe(ddf, ...)`` and ``score_bag(bag, ...)``.
Dask itself is imported only inside the functions that need it.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from . import parquet_io
from .detector import BATCH_DOCS
from .errors import ReadError
from .io.records import count_jsonl_lines, iter_jsonl_articles
from .io.parquet import INSTALL_HINT, MissingDependency, iter_parquet_articles, parquet_row_count, require_pyarrow
from .io.records import record_article
from .parquet_io import COLUMNS, DEFAULT_TOP, document_row, error_row
from .types import Article

#: Input rows per partition: ~2 minutes of one core at ~10 docs/s, short
#: enough that a lost worker costs little and progress moves.
PARTITION_ROWS = 1000
INPUT_SUFFIXES = (".jsonl", ".jsonl.gz", ".parquet")
#: Test hook, the only way to inject a worker crash: when this names an
#: existing file, the first partition to finish its first batch deletes the
#: file and kills its own process (os._exit), as an OOM kill would.
ENV_CRASH_FLAG = "SPINDETECT_CRASH_FLAG"


def require_dask():
    """Import dask and distributed, or raise ``MissingDependency`` with the install hint."""
    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        raise MissingDependency(f"--engine dask needs dask[distributed]; install it with: {INSTALL_HINT}") from None


# ------------------------------------------------------------------ the per-process model


_DETECTORS: dict = {}
_LOAD_SECONDS: dict = {}
_LOCK = threading.Lock()


def _key(model_dir, embedder_dir, threshold) -> tuple:
    return (
        str(Path(model_dir).resolve()) if model_dir else None,
        str(Path(embedder_dir).resolve()) if embedder_dir else None,
        None if threshold is None else float(threshold),
    )


def get_detector(model_dir: str | None = None, embedder_dir: str | None = None, threshold: float | None = None):
    """The Detector for these arguments, loaded once per process and cached.

    A worker process loads the model on its first partition and reuses it for
    every later one; a lock keeps threads of one worker from loading twice.

    Raises
    ------
    modeldir.ModelError, embed.EmbedderError
        As ``Detector.load``.
    """
    key = _key(model_dir, embedder_dir, threshold)
    with _LOCK:
        det = _DETECTORS.get(key)
        if det is None:
            from .detector import Detector

            t0 = time.perf_counter()
            det = Detector.load(model_dir=model_dir, embedder_dir=embedder_dir, threshold=threshold)
            if det.needs_embedder:  # a document model scores without it
                det.embedder._load()  # the weights, not only the config: pay the whole cost here
            _LOAD_SECONDS[key] = time.perf_counter() - t0
            _DETECTORS[key] = det
        return det


def load_stats() -> dict:
    """This process's model loads: ``{"pid", "loads", "seconds"}`` (for benchmarks and tests)."""
    with _LOCK:
        return {"pid": os.getpid(), "loads": len(_LOAD_SECONDS), "seconds": list(_LOAD_SECONDS.values())}


# ------------------------------------------------------------------ scoring rows


@dataclass(frozen=True)
class Settings:
    """What every partition needs to score: the model and the input fields."""

    model_dir: str | None = None
    embedder_dir: str | None = None
    threshold: float | None = None
    text_field: str = "text"
    id_field: str = "id"
    top: int = DEFAULT_TOP
    batch_docs: int = BATCH_DOCS

    def detector(self):
        return get_detector(self.model_dir, self.embedder_dir, self.threshold)


def _error_name(e: ReadError, fallback: str) -> str:
    # Reader messages start with "<name>: "; names are paths or path:line.
    head = str(e).split(": ", 1)[0]
    return head if head and head != str(e) else fallback


def score_items(
    items: Iterable[Article | ReadError], det, top: int = DEFAULT_TOP, batch_docs: int = BATCH_DOCS,
    fallback_path: str = "-",
) -> Iterator[list[dict]]:
    """Score articles in batches (``Detector.score_batches``); yield each batch's output rows, in input order.

    Parameters
    ----------
    items : iterable of Article or ReadError
        What a reader yields; a ReadError becomes an error row.
    det : Detector
        The loaded model.
    top : int
        Top sentences kept per row.
    batch_docs : int
        Articles embedded together.
    fallback_path : str
        The path of an error row whose message names no input.

    Yields
    ------
    list of dict
        Rows (``parquet_io.document_row`` / ``error_row``), one per item; a
        document whose scoring raised gets an error row, the rest of its batch
        is still scored.
    """
    model = det.model_info
    for batch, results in det.score_batches(items, batch_docs, isolate_failures=True):
        yield [_row(item, result, top, model, fallback_path) for item, result in zip(batch, results)]


def _row(item, result, top: int, model: dict, fallback_path: str) -> dict:
    if isinstance(item, ReadError):
        return error_row(_error_name(item, fallback_path), str(item), None, model)
    if isinstance(result, Exception):
        detail = str(result).splitlines()[0] if str(result) else ""
        msg = f"{item.path}: scoring failed ({type(result).__name__}{': ' + detail if detail else ''})"
        return error_row(item.path, msg, item.id, model)
    return document_row(result, top)


# ------------------------------------------------------------------ partitions


@dataclass(frozen=True)
class Partition:
    """Rows ``start <= row < stop`` (0-based) of one input file, written to ``part-<index>.parquet``.

    ``kind`` is "jsonl", "parquet", or "error" for an input that could not be
    opened (``message`` says why; the partition writes one error row).
    """

    index: int
    path: str
    kind: str
    start: int = 0
    stop: int = 0
    message: str = ""

    @property
    def filename(self) -> str:
        return f"part-{self.index:05d}.parquet"


def input_kind(path: str) -> str:
    """"jsonl" or "parquet" from the file name; ValueError naming the valid suffixes otherwise."""
    low = path.lower()
    if low.endswith(".parquet"):
        return "parquet"
    if low.endswith(".jsonl") or low.endswith(".jsonl.gz"):
        return "jsonl"
    raise ValueError(f"{path}: unknown input type; expected a name ending in one of: {', '.join(INPUT_SUFFIXES)}")


def plan_partitions(inputs: list[str], partition_rows: int = PARTITION_ROWS) -> list[Partition]:
    """Cut the inputs into partitions of at most ``partition_rows`` rows, in input order.

    The plan depends only on the inputs and ``partition_rows``, so a rerun
    maps every row to the same ``part-<index>`` file (that is what makes
    resume safe).

    Raises
    ------
    ValueError
        ``partition_rows`` < 1, or an input with an unknown suffix.
    """
    if partition_rows < 1:
        raise ValueError(f"partition_rows must be 1 or more, got {partition_rows}")
    parts: list[Partition] = []
    for path in inputs:
        kind = input_kind(path)
        try:
            if kind == "parquet":
                total = parquet_row_count(path)
            else:
                total = count_jsonl_lines(path)
        except ReadError as e:
            parts.append(Partition(len(parts), path, "error", message=str(e)))
            continue
        for start in range(0, total, partition_rows):
            parts.append(Partition(len(parts), path, kind, start, min(start + partition_rows, total)))
    return parts


def partition_items(part: Partition, settings: Settings) -> Iterator[Article | ReadError]:
    """The articles (and read errors) of one partition, streamed."""
    if part.kind == "error":
        return iter([ReadError(part.message)])
    if part.kind == "parquet":
        return iter_parquet_articles(
            part.path, settings.text_field, settings.id_field, start=part.start, stop=part.stop
        )
    return iter_jsonl_articles(part.path, settings.text_field, settings.id_field, start=part.start, stop=part.stop)


def _maybe_crash() -> None:
    flag = os.environ.get(ENV_CRASH_FLAG)
    if flag:
        try:
            os.remove(flag)
        except FileNotFoundError:
            return  # another partition already crashed: one crash per flag
        os._exit(17)


def _summary(part: Partition, rows: int, errors: int, skipped: bool) -> dict:
    return {"index": part.index, "path": part.path, "rows": rows, "errors": errors,
            "skipped": skipped, "pid": os.getpid()}


def score_partition(part: Partition, out_dir: str, settings: Settings) -> dict:
    """Score one partition into ``<out_dir>/part-<index>.parquet``; skip it when that file exists.

    The file appears only once complete (temporary file + rename), so its
    presence means the partition is done.

    Returns
    -------
    dict
        ``index``, ``path``, ``rows``, ``errors`` (rows with an error),
        ``skipped`` (already done), ``pid`` (the worker process).
    """
    target = Path(out_dir) / part.filename
    if target.exists():
        pq = require_pyarrow().parquet
        errors = pq.read_table(target, columns=["error"]).column("error").null_count
        rows = pq.ParquetFile(target).metadata.num_rows
        return _summary(part, rows, rows - errors, True)
    det = settings.detector()
    with parquet_io.ParquetScoreWriter(target, force=True, top=settings.top) as w:
        for k, rows in enumerate(score_items(partition_items(part, settings), det, settings.top,
                                             settings.batch_docs, fallback_path=part.path)):
            w.write_rows(rows)
            if k == 0:
                _maybe_crash()
    return _summary(part, w.rows_written, w.errors_written, False)


def score_partitions(client, parts: list[Partition], out_dir: str, settings: Settings, on_done=None) -> list[dict]:
    """Run ``score_partition`` for every partition on ``client``; return their summaries in input order.

    A partition whose task fails for good (after Dask's retries) gets a
    summary with ``failed`` set to the one-line reason; its file is not
    written and a rerun tries it again.

    Parameters
    ----------
    client : distributed.Client
    parts : list of Partition
    out_dir : str
        An existing directory, visible to every worker.
    settings : Settings
    on_done : callable, optional
        Called with each summary as its partition finishes (progress).
    """
    from distributed import as_completed

    if not parts:
        return []
    run = os.urandom(4).hex()
    keys = [f"spindetect-part-{p.index:05d}-{run}" for p in parts]
    # Worker deaths are retried by the scheduler (distributed.scheduler.allowed-failures);
    # retries here cover an exception raised by the task itself (e.g. a full disk).
    futures = client.map(score_partition, parts, out_dir=out_dir, settings=settings,
                         key=keys, retries=1, pure=False)
    by_key = {f.key: p for f, p in zip(futures, parts)}
    done: dict[int, dict] = {}
    for fut in as_completed(futures):
        part = by_key[fut.key]
        try:
            summary = fut.result()
        except Exception as e:  # KilledWorker, a model that does not load, ...
            detail = str(e).splitlines()[0] if str(e) else ""
            summary = {**_summary(part, 0, 0, False), "failed": f"{type(e).__name__}{': ' + detail if detail else ''}"}
        done[part.index] = summary
        if on_done is not None:
            on_done(summary)
    return [done[p.index] for p in parts]


def clean_temporary_files(out_dir: str | Path) -> int:
    """Remove temporary part files that killed attempts left behind; returns how many."""
    n = 0
    for f in Path(out_dir).glob(".part-*.parquet.*.tmp"):
        f.unlink(missing_ok=True)
        n += 1
    return n


# ------------------------------------------------------------------ notebook API


def _records_rows(records: Iterable[tuple[str, object, object]], settings: Settings) -> list[dict]:
    """Rows for ``(name, text, id)`` records, scored with this worker's cached model."""
    det = settings.detector()

    def items():
        for name, text, raw_id in records:
            try:
                yield record_article(text, raw_id, name, settings.text_field, settings.id_field)
            except ReadError as e:
                yield _IdError(str(e), raw_id)

    rows = []
    for batch in score_items(items(), det, settings.top, settings.batch_docs):
        rows.extend(batch)
    return rows


class _IdError(ReadError):
    """A ReadError that remembers the record's id, so the error row keeps it."""

    def __init__(self, message: str, raw_id):
        super().__init__(message)
        self.record_id = None if raw_id is None else str(raw_id)


def _pandas_dtypes() -> dict:
    return {
        "id": object, "path": object, "score": "float64", "label": object, "threshold": "float64",
        "n_sentences": "Int32", "top_sentences": object, "model_name": object, "model_version": object,
        "warnings": object, "error": object,
    }


def _frame(rows: list[dict], index=None):
    import pandas as pd

    cols = {c: pd.Series([r[c] for r in rows], dtype=t, index=index) for c, t in _pandas_dtypes().items()}
    return pd.DataFrame(cols, index=index, columns=list(COLUMNS))


def _score_pandas(pdf, settings: Settings):
    has_id = settings.id_field in pdf.columns
    ids = pdf[settings.id_field].tolist() if has_id else [None] * len(pdf)
    texts = pdf[settings.text_field].tolist()
    records = [(f"row {i}", _plain(t), _plain(d)) for i, t, d in zip(pdf.index, texts, ids)]
    rows = _records_rows(records, settings)
    _keep_ids(rows, records)
    return _frame(rows, index=pdf.index)


def _plain(v):
    # pandas hands back numpy scalars, and NaN or pd.NA for missing values.
    import pandas as pd

    if v is None or not isinstance(v, (str, list, dict)) and pd.isna(v) is True:
        return None
    return v.item() if hasattr(v, "item") and not isinstance(v, str) else v


def _keep_ids(rows: list[dict], records) -> None:
    # An unreadable record's row still carries the caller's id, when it is one.
    for r, (_, _, raw_id) in zip(rows, records):
        if r["id"] is None and isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool):
            r["id"] = str(raw_id)


def score_dataframe(
    ddf,
    text_col: str = "text",
    id_col: str = "id",
    model_dir: str | None = None,
    embedder_dir: str | None = None,
    threshold: float | None = None,
    top: int = DEFAULT_TOP,
):
    """Score every row of a Dask DataFrame; one output row per input row, same index.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Holds ``text_col`` (and optionally ``id_col``).
    text_col, id_col : str
        Column names.
    model_dir, embedder_dir : str, optional
        As ``Detector.load``; default: the shipped model and packaged embedder.
    threshold : float, optional
        Label threshold (default: the model's).
    top : int
        Top sentences kept per row.

    Returns
    -------
    dask.dataframe.DataFrame
        Columns ``parquet_io.COLUMNS``; ``top_sentences`` holds lists of
        dicts; a row that could not be scored has ``error`` set and null
        scores. Lazy: call ``.compute()`` or ``.to_parquet()``.

    Raises
    ------
    KeyError
        ``text_col`` is not a column (the message lists the columns).
    """
    require_dask()
    if text_col not in ddf.columns:
        raise KeyError(f"no {text_col!r} column (columns: {', '.join(map(str, ddf.columns))})")
    settings = Settings(model_dir, embedder_dir, threshold, text_col, id_col, top)
    meta = _frame([])
    return ddf.map_partitions(_score_pandas, settings, meta=meta)


def _score_bag_partition(items, settings: Settings) -> list[dict]:
    records = []
    for k, item in enumerate(items):
        if isinstance(item, dict):
            raw_id = item.get(settings.id_field)
            name = f"item {raw_id}" if raw_id is not None else f"item {k}"
            records.append((name, item.get(settings.text_field), raw_id))
        else:
            records.append((f"item {k}", item, None))
    rows = _records_rows(records, settings)
    _keep_ids(rows, records)
    return rows


def score_bag(
    bag,
    text_key: str = "text",
    id_key: str = "id",
    model_dir: str | None = None,
    embedder_dir: str | None = None,
    threshold: float | None = None,
    top: int = DEFAULT_TOP,
):
    """Score a Dask Bag of records (dicts with ``text_key``/``id_key``) or plain strings.

    Returns
    -------
    dask.bag.Bag
        One row dict (keys ``parquet_io.COLUMNS``) per item, in order; an item
        that could not be scored gives a row with ``error`` set.
    """
    require_dask()
    settings = Settings(model_dir, embedder_dir, threshold, text_key, id_key, top)
    return bag.map_partitions(_score_bag_partition, settings)
