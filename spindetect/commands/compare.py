"""`spindetect compare ORIGINAL SUSPECT`: align a suspect with an original and say if it is a rewrite."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from ._common import EXIT_OK, EXIT_SOME_FAILED, check_choice, embedder_option, error, fail, max_bytes_option, warn

FORMATS = ("table", "json", "html")


def compare(
    original: str = typer.Argument(..., metavar="ORIGINAL", help="The original article: a file or - for stdin."),
    suspect: str = typer.Argument(..., metavar="SUSPECT", help="The suspected rewrite: a file or - for stdin."),
    format: str = typer.Option("table", "--format", "-f", help="table, json or html."),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="Write the output to this file instead of stdout."),
    threshold: Optional[float] = typer.Option(None, "--threshold", "-t", help="Call it a rewrite at or above this pair score (wording carried over in order; default: the benchmarked one)."),
    min_similarity: Optional[float] = typer.Option(None, "--min-similarity", help="Link sentences at or above this cosine similarity (default: the benchmarked one)."),
    embedder: Optional[str] = embedder_option(),
    max_bytes: int = max_bytes_option(),
) -> None:
    """Align SUSPECT to ORIGINAL sentence by sentence and say whether it is a rewrite of it."""
    from ..align import LINK_THRESHOLD
    from ..compare import compare as run_compare
    from ..embed import Embedder, EmbedderError
    from ..pairscore import DERIVED_THRESHOLD
    from ..errors import ReadError
    from ..io.files import read_path

    check_choice("format", format, FORMATS)
    if original == "-" and suspect == "-":
        fail("'-' (stdin) may be given only once")
    threshold = DERIVED_THRESHOLD if threshold is None else threshold
    if not 0.0 <= threshold <= 1.0:
        fail(f"--threshold must be between 0 and 1, got {threshold}")
    min_similarity = LINK_THRESHOLD if min_similarity is None else min_similarity
    if not -1.0 <= min_similarity <= 1.0:
        fail(f"--min-similarity must be between -1 and 1, got {min_similarity}")

    articles = []
    for path in (original, suspect):
        try:
            art = read_path(path, max_bytes=max_bytes)
        except ReadError as e:
            error(str(e))
            raise typer.Exit(EXIT_SOME_FAILED)
        for w in art.warnings:
            warn(w)
        articles.append(art)

    emb = Embedder(embedder)
    try:
        emb._load()
    except EmbedderError as e:
        fail(str(e))
    result = run_compare(articles[0], articles[1], emb, min_similarity=min_similarity, threshold=threshold)

    if format == "json":
        import json

        _emit(json.dumps(result.to_dict(), ensure_ascii=False, sort_keys=True, indent=1) + "\n", out)
    elif format == "html":
        from ..render_html import render_compare

        _emit(render_compare(result.to_dict()), out)
    else:
        _table(result.to_dict(), out)
    raise typer.Exit(EXIT_OK)


def _emit(text: str, out: Optional[str]) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    try:
        with open(out, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        fail(f"{out}: cannot write ({e.strerror or e})", EXIT_SOME_FAILED)


def _table(r: dict, out: Optional[str]) -> None:
    from rich.console import Console

    from .. import render

    try:
        f = open(out, "w", encoding="utf-8") if out else None
    except OSError as e:
        fail(f"{out}: cannot write ({e.strerror or e})", EXIT_SOME_FAILED)
    try:
        console = Console(file=f, highlight=False) if f else Console(highlight=False)
        for view in render.compare_view(r):
            console.print(view)
    except OSError as e:
        fail(f"{out}: cannot write ({e.strerror or e})", EXIT_SOME_FAILED)
    finally:
        if f:
            f.close()
