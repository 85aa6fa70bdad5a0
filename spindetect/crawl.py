"""Scoring many documents: inputs to articles, and crawls (JSONL/Parquet) to Parquet or JSONL.

``iter_articles`` turns PATH arguments (files, directories, ``-``, JSONL and
Parquet record files) into articles, as ``score`` and ``calibrate`` read
them. ``score_to_file`` streams JSONL/Parquet inputs through one process into
one Parquet or JSONL file; ``score_with_dask`` runs the same scoring on a
Dask cluster (or a LocalCluster) into a directory of ``part-*.parquet``
files that a rerun completes (resume).

Library code: problems that stop a run raise ``CrawlError`` (its message is
one line naming the problem); what happens along the way goes to callbacks
(``on_error``, ``on_start``, ``on_advance``, ``on_note``), and the outcome is
a ``CrawlResult``. The CLI prints and chooses exit codes.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Container, Iterable, Iterator, Optional

from .errors import ReadError
from .io.files import MAX_BYTES
from .types import Article

#: The run's description, written beside the parts: a rerun resumes only when
#: inputs, partitioning and model are the same, else parts would mix runs.
PLAN_FILE = "_spindetect_run.json"
#: Suffixes read as JSONL records by default (``jsonl=None``).
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")


class CrawlError(Exception):
    """A run cannot start or go on: bad arguments, a missing dependency, an unusable model or output."""


@dataclass
class CrawlResult:
    """What a crawl wrote: ``rows`` output rows, ``errors`` of them with an error; Dask runs also say
    which partitions ``failed`` (summaries with a one-line ``failed`` reason) and how many were ``skipped``
    (already done)."""

    rows: int = 0
    errors: int = 0
    failed: list = field(default_factory=list)
    skipped: int = 0

    @property
    def complete(self) -> bool:
        """Every row scored and every partition written."""
        return not self.errors and not self.failed


def _ignore(*_args) -> None:
    return None


# ------------------------------------------------------------------ inputs to articles


def is_jsonl(path: str) -> bool:
    """Whether ``path`` is read as JSONL records by default (by its suffix)."""
    return path.endswith(JSONL_SUFFIXES)


def iter_records(
    path: str, text_field: str = "text", id_field: str = "id", max_bytes: int = MAX_BYTES, html: bool | None = None,
) -> Iterator[Article | ReadError]:
    """Articles (or ReadErrors) from a JSONL(.gz) or Parquet file of records; a missing pyarrow is a ReadError."""
    if path.endswith(".parquet"):
        from .io.parquet import MissingDependency, iter_parquet_articles

        try:
            yield from iter_parquet_articles(path, text_field=text_field, id_field=id_field, max_bytes=max_bytes, html=html)
        except MissingDependency as e:
            yield ReadError(f"{path}: {e}")
        return
    from .io.records import iter_jsonl_articles

    yield from iter_jsonl_articles(path, text_field=text_field, id_field=id_field, max_bytes=max_bytes, html=html)


def iter_articles(
    items: Iterable[str | ReadError],
    *,
    text_field: str = "text",
    id_field: str = "id",
    max_bytes: int = MAX_BYTES,
    html: bool | None = None,
    jsonl: bool | None = None,
    check_language: bool = True,
    skip: Container[str] = frozenset(),
    on_skip: Callable[[], None] = _ignore,
) -> Iterator[Article | ReadError]:
    """The articles of expanded PATH arguments (``io.files.expand_paths``), lazily, in order.

    A ``.parquet`` file, or a JSONL file (``jsonl``; None: by suffix,
    ``is_jsonl``) gives one article per record; anything else is one
    document (``io.files.read_path``; ``check_language`` applies to these).
    A path, record id or record path in ``skip`` is not read or yielded;
    ``on_skip`` is called for each.

    Yields
    ------
    Article or ReadError
        A ReadError for each input or record that cannot be read; the rest
        are still read.
    """
    from .io.files import read_path

    for item in items:
        if isinstance(item, ReadError):
            yield item
        elif item in skip:
            on_skip()
        elif item.endswith(".parquet") or jsonl or (jsonl is None and is_jsonl(item)):
            for art in iter_records(item, text_field, id_field, max_bytes, html):
                if isinstance(art, Article) and (art.id or art.path) in skip:
                    on_skip()
                else:
                    yield art
        else:
            try:
                yield read_path(item, max_bytes=max_bytes, html=html, check_language=check_language)
            except ReadError as e:
                yield e


# ------------------------------------------------------------------ checks shared by both engines


def _check_common(inputs: list[str], partition_rows: int, top: int, threshold: float | None) -> None:
    from .distributed import input_kind

    if not inputs:
        raise CrawlError("no inputs; give .jsonl, .jsonl.gz or .parquet files")
    if top < 0:
        raise CrawlError(f"--top must be 0 or more, got {top}")
    if partition_rows < 1:
        raise CrawlError(f"--partition-rows must be 1 or more, got {partition_rows}")
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise CrawlError(f"--threshold must be between 0 and 1, got {threshold}")
    for p in inputs:
        try:
            input_kind(p)
        except ValueError as e:
            raise CrawlError(str(e)) from None


def model_info(model: str | None) -> dict:
    """Name, version and path of the model, loading only its small arrays.

    Checked before any worker starts, so a broken or outdated model is one
    error rather than one failed partition per partition.

    Raises
    ------
    CrawlError
        The model directory is missing, damaged or built for other features.
    """
    from .detector import check_features
    from .modeldir import ModelError, load

    try:
        m = load(Path(model) if model else None)
        check_features(m)
    except ModelError as e:
        raise CrawlError(str(e)) from None
    return {"name": m.name, "version": m.version, "path": str(Path(m.path).resolve())}


def _load_detector(model: str | None, embedder: str | None, threshold: float | None):
    from .distributed import get_detector
    from .embed import EmbedderError
    from .modeldir import ModelError
    from .surprisal import LanguageModelUnavailable

    try:
        return get_detector(model, embedder, threshold)
    except (ModelError, EmbedderError, LanguageModelUnavailable) as e:
        raise CrawlError(str(e)) from None
    except OSError as e:
        raise CrawlError(f"cannot load the model: {e}") from None


# ------------------------------------------------------------------ one process


def score_to_file(
    inputs: list[str],
    out: str,
    *,
    text_field: str = "text",
    id_field: str = "id",
    model: str | None = None,
    embedder: str | None = None,
    threshold: float | None = None,
    force: bool = False,
    top: int = 5,
    on_error: Callable[[str], None] = _ignore,
    on_start: Callable[[Optional[int]], None] = _ignore,
    on_advance: Callable[[int], None] = _ignore,
) -> CrawlResult:
    """Stream JSONL/Parquet inputs through one process into ``out`` (.parquet, .jsonl or .jsonl.gz).

    Every input row becomes one output row (an unreadable or unscorable row
    gets its one-line message in ``error``, also passed to ``on_error``).
    The file appears only when complete. ``on_start(None)`` is called once
    the model is loaded, ``on_advance(n)`` after each batch of ``n`` rows.

    Raises
    ------
    CrawlError
        Bad arguments, pyarrow missing, an unusable ``out`` or model.
    """
    from . import parquet_io
    from .distributed import input_kind, score_items
    from .io.parquet import MissingDependency, iter_parquet_articles, require_pyarrow

    _check_common(inputs, 1, top, threshold)
    try:
        if out.lower().endswith(".parquet") or any(input_kind(p) == "parquet" for p in inputs):
            require_pyarrow()
        writer = parquet_io.open_score_writer(out, force=force, top=top)
    except (MissingDependency, ValueError, OSError) as e:
        raise CrawlError(str(e)) from None
    try:
        det = _load_detector(model, embedder, threshold)

        def items():
            for path in inputs:
                if input_kind(path) == "parquet":
                    yield from iter_parquet_articles(path, text_field, id_field)
                else:
                    from .io.records import iter_jsonl_articles

                    yield from iter_jsonl_articles(path, text_field, id_field)

        on_start(None)
        for rows in score_items(items(), det, top):
            writer.write_rows(rows)
            for r in rows:
                if r["error"] is not None:
                    on_error(r["error"])
            on_advance(len(rows))
    except BaseException:
        writer.abort()
        raise
    writer.close()
    return CrawlResult(rows=writer.rows_written, errors=writer.errors_written)


# ------------------------------------------------------------------ a Dask cluster


def _prepare_out_dir(out: str, plan: dict, force: bool) -> int:
    """Create ``out`` or check it belongs to this run; returns how many parts are already done."""
    d = Path(out)
    if d.exists() and not d.is_dir():
        raise CrawlError(f"{out}: exists and is a file; --engine dask writes a directory of part-*.parquet files")
    d.mkdir(parents=True, exist_ok=True)
    plan_path = d / PLAN_FILE
    parts = sorted(d.glob("part-*.parquet"))
    if force:
        for f in parts:
            f.unlink()
        parts = []
    elif parts or plan_path.exists():
        try:
            previous = json.loads(plan_path.read_text("utf-8"))
        except (OSError, ValueError):
            previous = None
        if previous != plan:
            raise CrawlError(f"{out}: holds parts of a run with other inputs, --partition-rows or model; "
                             "use --force to replace them or choose another --out")
    from .distributed import clean_temporary_files

    clean_temporary_files(d)
    tmp = d / f".{PLAN_FILE}.tmp"
    tmp.write_text(json.dumps(plan, indent=1, sort_keys=True), "utf-8")
    os.replace(tmp, plan_path)
    return len(parts)


def _client(scheduler: str | None, local_workers: int):
    """A distributed Client and the LocalCluster it owns (None for a remote scheduler)."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout="10s"), None
        except (OSError, TimeoutError, ValueError) as e:
            raise CrawlError(f"cannot connect to the Dask scheduler {scheduler}: "
                             f"{str(e).splitlines()[0] if str(e) else type(e).__name__}") from None
    import importlib.util

    # The dashboard needs bokeh; without it, start no dashboard rather than warn.
    dashboard = ":0" if importlib.util.find_spec("bokeh") else None
    cluster = LocalCluster(n_workers=local_workers, threads_per_worker=1, processes=True,
                           scheduler_port=0, dashboard_address=dashboard, silence_logs=50)
    return Client(cluster), cluster


def _dashboard_link(client, cluster) -> str | None:
    try:
        if cluster is not None and not cluster.scheduler_info.get("services", {}).get("dashboard"):
            return None
        return client.dashboard_link
    except Exception:  # no dashboard service: progress still shows on stderr
        return None


def score_with_dask(
    inputs: list[str],
    out: str,
    *,
    text_field: str = "text",
    id_field: str = "id",
    scheduler: str | None = None,
    local_workers: int = 2,
    model: str | None = None,
    embedder: str | None = None,
    threshold: float | None = None,
    partition_rows: int = 1000,
    force: bool = False,
    top: int = 5,
    on_error: Callable[[str], None] = _ignore,
    on_note: Callable[[str], None] = _ignore,
    on_start: Callable[[Optional[int]], None] = _ignore,
    on_advance: Callable[[int], None] = _ignore,
) -> CrawlResult:
    """Score JSONL/Parquet inputs on Dask into ``out/part-00000.parquet``, ... (resumable).

    Parameters
    ----------
    inputs : list of str
        .jsonl, .jsonl.gz or .parquet files, visible to every worker.
    out : str
        Output directory (created). Parts already there from the same run are
        kept and skipped; ``force`` deletes them first.
    scheduler : str, optional
        A scheduler address (tcp://host:8786); None starts a LocalCluster of
        ``local_workers`` processes with one thread each.
    partition_rows : int
        Input rows per partition (= per output file).
    model, embedder, threshold, text_field, id_field, top
        As for the local ``score``.
    on_error, on_note, on_start, on_advance : callable
        An input that cannot be opened (its partition writes one error row);
        the dashboard link; the number of partitions, once the cluster is up;
        one more partition done.

    Returns
    -------
    CrawlResult
        Not ``complete`` when some rows have an error or a partition failed
        (a rerun retries failed partitions).

    Raises
    ------
    CrawlError
        Dask or pyarrow missing, bad arguments, an unusable model, an output
        directory of another run, an unreachable scheduler.
    """
    from . import distributed as dist
    from .io.parquet import MissingDependency, require_pyarrow

    try:
        dist.require_dask()
        require_pyarrow()
    except MissingDependency as e:
        raise CrawlError(str(e)) from None
    _check_common(inputs, partition_rows, top, threshold)
    if local_workers < 1:
        raise CrawlError(f"--local-workers must be 1 or more, got {local_workers}")
    if embedder is not None and not Path(embedder).is_dir():
        raise CrawlError(f"--embedder {embedder}: no such directory")
    info = model_info(model)
    parts = dist.plan_partitions(inputs, partition_rows)
    plan = {
        "inputs": [str(Path(p).resolve()) for p in inputs], "text_field": text_field, "id_field": id_field,
        "partition_rows": partition_rows, "partitions": len(parts), "model": info,
        "embedder": str(Path(embedder).resolve()) if embedder else None, "threshold": threshold, "top": top,
    }
    _prepare_out_dir(out, plan, force)
    for p in parts:
        if p.kind == "error":
            on_error(p.message)
    # The model as the user named it: None lets each worker find its own
    # installed default, which may live at another path than on this machine.
    settings = dist.Settings(model_dir=str(Path(model).resolve()) if model else None,
                             embedder_dir=plan["embedder"], threshold=threshold,
                             text_field=text_field, id_field=id_field, top=top)
    client, cluster = _client(scheduler, local_workers)
    try:
        link = _dashboard_link(client, cluster)
        if link:
            on_note(f"Dask dashboard: {link}")
        on_start(len(parts))
        summaries = dist.score_partitions(client, parts, str(Path(out).resolve()), settings,
                                          on_done=lambda s: on_advance(1))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return CrawlResult(
        rows=sum(s["rows"] for s in summaries), errors=sum(s["errors"] for s in summaries),
        failed=[s for s in summaries if s.get("failed")], skipped=sum(s["skipped"] for s in summaries),
    )


__all__ = ["CrawlError", "CrawlResult", "is_jsonl", "iter_articles", "iter_records", "model_info",
           "score_to_file", "score_with_dask"]
