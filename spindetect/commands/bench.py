"""`spindetect bench`: benchmark the detector on labeled sets."""

from __future__ import annotations

import sys
from typing import List, Optional

import typer

from ._common import (
    EXIT_OK, EXIT_SOME_FAILED, check_choice, embedder_option, error, fail, load_detector, mode_option, model_for, model_option, stderr_console, warn,
)

FORMATS = ("table", "json")


def bench(
    data: List[str] = typer.Argument(
        ...,
        metavar="DATA...",
        help="Labeled sets: .jsonl/.json/.csv/.tsv (optionally .gz) with text+label or original+rewritten pairs, "
        "or directories holding original/ and spun/ .txt files.",
    ),
    model: Optional[str] = model_option(),
    mode: str = mode_option(),
    embedder: Optional[str] = embedder_option(),
    group_by: Optional[str] = typer.Option(None, "--group-by", "-g", help="Also report metrics per value of this field (rewriter, dataset, method, domain, group, file, ...), worst first."),
    format: str = typer.Option("table", "--format", "-f", help="table or json (json prints metrics.json)."),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="Write scores.csv, metrics.json, args.json and roc.png into this new or empty directory."),
    force: bool = typer.Option(False, "--force", help="Allow --out to be an existing non-empty directory (its files are overwritten)."),
    limit: Optional[int] = typer.Option(None, "--limit", "-n", help="Score at most N documents: a deterministic sample (see --seed) that keeps pairs together."),
    threshold: Optional[float] = typer.Option(None, "--threshold", "-t", help="Operating threshold for accuracy/precision/recall/F1 (default: the model's)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the --limit sample."),
) -> None:
    """Benchmark the detector on labeled sets: ROC/PR AUC, F1, TPR at 1%/5% FPR, calibration, per group."""
    from .. import bench as core
    from ..labeled import LabeledError, group_fields, read_labeled_file

    check_choice("format", format, FORMATS)
    model = model_for(mode, model)
    if limit is not None and limit < 1:
        fail(f"--limit must be 1 or more, got {limit}")
    out_dir = None
    if out is not None:
        try:
            out_dir = core.check_out_dir(out, force)
        except core.OutDirError as e:
            fail(str(e))

    failures = 0
    docs, files = [], []
    for path in data:
        try:
            lf = read_labeled_file(path)
        except LabeledError as e:
            failures += 1
            error(str(e))
            continue
        for w in lf.warnings:
            warn(w)
        files.append({"path": path, "sha256": lf.sha256, "documents": len(lf.docs), "skipped_empty": lf.skipped_empty})
        docs.extend(lf.docs)
    if not docs:
        fail("no labeled documents to benchmark", EXIT_SOME_FAILED)
    if group_by is not None:
        fields = group_fields(docs)
        check_choice("--group-by field", group_by, fields)
    n_read = len(docs)
    docs = core.limit_docs(docs, limit, seed)

    det = load_detector(model, embedder, threshold)
    result = _run(core, det, docs, group_by)
    m = result.metrics
    m["model"]["manifest_sha256"] = _manifest_sha256(det)
    m["skipped_empty"] = sum(f["skipped_empty"] for f in files)
    m["unreadable_inputs"] = failures
    m["n_read"] = n_read
    _warn_undefined(m)

    if out_dir is not None:
        args = {
            "command": ["spindetect", *sys.argv[1:]] if sys.argv and sys.argv[0].endswith("spindetect") else list(sys.argv),
            "args": {
                "data": list(data), "model": str(det.model.path), "embedder": str(det.embedder.path), "group_by": group_by,
                "format": format, "out": out, "force": force, "limit": limit, "threshold": det.threshold, "seed": seed,
            },
            "model": m["model"],
            "data_files": files,
            "versions": core.library_versions(),
            "date": _utc_now(),
        }
        try:
            core.write_out_dir(out_dir, result, args)
        except OSError as e:
            fail(f"--out {out}: cannot write ({e.strerror or e})", EXIT_SOME_FAILED)

    if format == "json":
        sys.stdout.write(core.dumps(m) + "\n")
    else:
        from rich.console import Console

        # Piped output would wrap at 80 columns and cut group names; the table is for reading.
        console = Console(highlight=False)
        if not console.is_terminal:
            console = Console(highlight=False, width=120)
        from .. import render

        for view in render.bench_tables(m):
            console.print(view)
    if failures:
        error(f"{failures} input(s) could not be read")
        raise typer.Exit(EXIT_SOME_FAILED)
    raise typer.Exit(EXIT_OK)


def _run(core, det, docs, group_by):
    """run_bench with a progress bar on stderr (drawn only when stderr is a terminal)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = stderr_console()
    n_unique = len({d.text for d in docs})
    with Progress(
        TextColumn("scoring"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console, transient=True, disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task("scoring", total=n_unique)
        return core.run_bench(det, docs, group_by=group_by, on_progress=lambda k: bar.advance(task, k))


def _manifest_sha256(det) -> str | None:
    import hashlib

    try:
        return hashlib.sha256((det.model.path / "manifest.json").read_bytes()).hexdigest()
    except OSError:
        return None


def _utc_now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _warn_undefined(m: dict) -> None:
    if m["roc_auc"] is None:
        warn(f"ROC AUC is undefined: {m['undefined']['roc_auc']}; showing the metrics that are defined")
