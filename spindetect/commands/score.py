"""`spindetect score`: score files, directories or stdin."""

from __future__ import annotations

import sys
from typing import List, Optional

import typer

from ._common import EXIT_OK, EXIT_SOME_FAILED, check_choice, error, fail, load_detector, warn

BATCH_DOCS = 16


def score(
    paths: List[str] = typer.Argument(..., help="Files, directories (every .txt/.md below, sorted) or - for stdin."),
    format: str = typer.Option("table", "--format", "-f", help="table, json, jsonl or csv."),
    top: int = typer.Option(5, "--top", "-n", help="Sentences shown per document in the table view."),
    threshold: Optional[float] = typer.Option(None, "--threshold", "-t", help="Label 'spun' at or above this document score (default: the model's)."),
    model: Optional[str] = typer.Option(None, "--model", "-m", envvar="SPINDETECT_MODEL", help="Model directory (default: the shipped spindetect-base)."),
    embedder: Optional[str] = typer.Option(None, "--embedder", envvar="SPINDETECT_EMBEDDER", help="Local sentence-transformers directory (default: packaged all-MiniLM-L6-v2)."),
    max_bytes: int = typer.Option(10 * 1024 * 1024, "--max-bytes", help="Refuse inputs larger than this many bytes."),
) -> None:
    """Score articles for machine rewriting (1 = spun) and show the most suspicious sentences."""
    from .. import render
    from ..reader import ReadError, expand_paths, read_path

    check_choice("format", format, render.FORMATS)
    if top < 0:
        fail(f"--top must be 0 or more, got {top}")
    if paths.count("-") > 1:
        fail("'-' (stdin) may be given only once")

    failures = 0

    def articles():
        nonlocal failures
        for item in expand_paths(paths):
            if isinstance(item, ReadError):
                failures += 1
                error(str(item))
                continue
            try:
                art = read_path(item, max_bytes=max_bytes)
            except ReadError as e:
                failures += 1
                error(str(e))
                continue
            for w in art.warnings:
                warn(w)
            yield art

    det = load_detector(model, embedder, threshold)
    out = sys.stdout
    scored = _score_stream(det, articles())
    if format == "jsonl":
        render.write_jsonl(scored, out)
    elif format == "json":
        render.write_json(scored, out)
    elif format == "csv":
        w = render.CsvWriter(out)
        for doc in scored:
            w.write(doc)
    else:
        from rich.console import Console

        console = Console(highlight=False)
        rest = []
        for k, doc in enumerate(scored):
            if k == 0:
                console.print(render.table_detail(doc, top))
            else:
                rest.append(doc)
        if rest:
            console.print()
            console.print(render.table_summary(rest))
    if failures:
        error(f"{failures} input(s) could not be scored")
        raise typer.Exit(EXIT_SOME_FAILED)
    raise typer.Exit(EXIT_OK)


def _score_stream(det, articles):
    """Score in small batches so the embedder sees many sentences at once and output streams."""
    batch = []
    for art in articles:
        batch.append(art)
        if len(batch) == BATCH_DOCS:
            yield from det.score_articles(batch)
            batch = []
    if batch:
        yield from det.score_articles(batch)
