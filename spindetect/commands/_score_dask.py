"""Crawl scoring for `spindetect score`: Parquet/JSONL output, locally streamed or on Dask.

``score_to_file`` streams JSONL/Parquet inputs through one process into one
Parquet or JSONL file; ``score_with_dask`` runs the same scoring on a Dask
cluster (or a LocalCluster) into a directory of ``part-*.parquet`` files
that a rerun completes (resume). Both return the exit code; the lead's
``score`` command dispatches to them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ._common import EXIT_OK, EXIT_SOME_FAILED, error, fail, stderr_console, warn

#: The run's description, written beside the parts: a rerun resumes only when
#: inputs, partitioning and model are the same, else parts would mix runs.
PLAN_FILE = "_spindetect_run.json"
#: Read errors printed one per line before the rest are only counted.
MAX_ERRORS_SHOWN = 20


def _check_common(inputs: list[str], partition_rows: int, top: int, threshold: float | None) -> None:
    from ..distributed import input_kind

    if not inputs:
        fail("no inputs; give .jsonl, .jsonl.gz or .parquet files")
    if top < 0:
        fail(f"--top must be 0 or more, got {top}")
    if partition_rows < 1:
        fail(f"--partition-rows must be 1 or more, got {partition_rows}")
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        fail(f"--threshold must be between 0 and 1, got {threshold}")
    for p in inputs:
        try:
            input_kind(p)
        except ValueError as e:
            fail(str(e))


def _model_info(model: str | None) -> dict:
    """Name, version and path of the model, loading only its small arrays (exit 2 when broken).

    Checked here, before any worker starts, so a broken or outdated model is
    one error line rather than one failed partition per partition.
    """
    from ..detector import check_features
    from ..modeldir import ModelError, load

    try:
        m = load(Path(model) if model else None)
        check_features(m)
    except ModelError as e:
        fail(str(e))
    return {"name": m.name, "version": m.version, "path": str(Path(m.path).resolve())}


def _progress(total: int | None, what: str):
    """A rich progress bar on stderr (total None: a running count)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = [TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn()]
    return Progress(*columns, console=stderr_console(), transient=False, disable=total == 0)


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
) -> int:
    """Stream JSONL/Parquet inputs through one process into ``out`` (.parquet, .jsonl or .jsonl.gz).

    Every input row becomes one output row (an unreadable or unscorable row
    gets its one-line message in ``error``). The file appears only when
    complete.

    Returns
    -------
    int
        0 when every row was scored, 1 when some rows have an error.
    """
    from .. import parquet_io
    from ..distributed import Settings, input_kind, score_items
    from ..reader import iter_jsonl_articles
    from ._common import load_detector

    _check_common(inputs, 1, top, threshold)
    try:
        if out.lower().endswith(".parquet") or any(input_kind(p) == "parquet" for p in inputs):
            parquet_io.require_pyarrow()
        writer = parquet_io.open_score_writer(out, force=force, top=top)
    except (parquet_io.MissingDependency, ValueError, OSError) as e:
        fail(str(e))
    shown = 0
    try:
        det = load_detector(model, embedder, threshold)
        settings = Settings(model, embedder, threshold, text_field, id_field, top)

        def items():
            for path in inputs:
                if input_kind(path) == "parquet":
                    yield from parquet_io.iter_parquet_articles(path, text_field, id_field)
                else:
                    yield from iter_jsonl_articles(path, text_field, id_field)

        with _progress(None, "documents") as bar:
            task = bar.add_task("scoring", total=None)
            for rows in score_items(items(), det, settings.top, settings.batch_docs):
                writer.write_rows(rows)
                for r in rows:
                    if r["error"] is not None and shown < MAX_ERRORS_SHOWN:
                        error(r["error"])
                        shown += 1
                bar.advance(task, len(rows))
    except BaseException:
        writer.abort()
        raise
    writer.close()
    n_err = writer.errors_written
    if n_err > shown:
        error(f"{n_err - shown} more row(s) could not be scored; see the 'error' column of {out}")
    if n_err:
        error(f"{n_err} of {writer.rows_written} input row(s) could not be scored")
        return EXIT_SOME_FAILED
    return EXIT_OK


def _prepare_out_dir(out: str, plan: dict, force: bool) -> int:
    """Create ``out`` or check it belongs to this run; returns how many parts are already done."""
    d = Path(out)
    if d.exists() and not d.is_dir():
        fail(f"{out}: exists and is a file; --engine dask writes a directory of part-*.parquet files")
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
            fail(f"{out}: holds parts of a run with other inputs, --partition-rows or model; "
                 "use --force to replace them or choose another --out")
    from ..distributed import clean_temporary_files

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
            fail(f"cannot connect to the Dask scheduler {scheduler}: {str(e).splitlines()[0] if str(e) else type(e).__name__}")
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
) -> int:
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

    Returns
    -------
    int
        0 when every row was scored, 1 when some rows have an error or a
        partition failed (a rerun retries failed partitions).
    """
    from .. import parquet_io
    from .. import distributed as dist

    try:
        dist.require_dask()
        parquet_io.require_pyarrow()
    except parquet_io.MissingDependency as e:
        fail(str(e))
    _check_common(inputs, partition_rows, top, threshold)
    if local_workers < 1:
        fail(f"--local-workers must be 1 or more, got {local_workers}")
    if embedder is not None and not Path(embedder).is_dir():
        fail(f"--embedder {embedder}: no such directory")
    info = _model_info(model)
    parts = dist.plan_partitions(inputs, partition_rows)
    plan = {
        "inputs": [str(Path(p).resolve()) for p in inputs], "text_field": text_field, "id_field": id_field,
        "partition_rows": partition_rows, "partitions": len(parts), "model": info,
        "embedder": str(Path(embedder).resolve()) if embedder else None, "threshold": threshold, "top": top,
    }
    _prepare_out_dir(out, plan, force)
    for p in parts:
        if p.kind == "error":
            error(p.message)
    # The model as the user named it: None lets each worker find its own
    # installed default, which may live at another path than on this machine.
    settings = dist.Settings(model_dir=str(Path(model).resolve()) if model else None,
                             embedder_dir=plan["embedder"], threshold=threshold,
                             text_field=text_field, id_field=id_field, top=top)
    client, cluster = _client(scheduler, local_workers)
    try:
        link = _dashboard_link(client, cluster)
        if link:
            stderr_console().print(f"Dask dashboard: {link}")
        with _progress(len(parts), "partitions") as bar:
            task = bar.add_task("partitions", total=len(parts))
            summaries = dist.score_partitions(client, parts, str(Path(out).resolve()), settings,
                                              on_done=lambda s: bar.advance(task))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    failed = [s for s in summaries if s.get("failed")]
    for s in failed:
        error(f"partition {s['index']} ({s['path']}) failed: {s['failed']}; rerun the same command to retry it")
    rows = sum(s["rows"] for s in summaries)
    bad = sum(s["errors"] for s in summaries)
    skipped = sum(s["skipped"] for s in summaries)
    if skipped:
        warn(f"{skipped} partition(s) were already done and kept")
    if bad:
        error(f"{bad} of {rows} input row(s) could not be scored; see the 'error' column in {out}")
    return EXIT_SOME_FAILED if bad or failed else EXIT_OK


__all__ = ["score_to_file", "score_with_dask"]
