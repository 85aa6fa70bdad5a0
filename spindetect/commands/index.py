"""`spindetect index` builds a local sentence index of original articles; `spindetect find` traces suspects to them."""

from __future__ import annotations

import sys
from typing import List, Optional

import typer

from ._common import (
    EXIT_OK, EXIT_SOME_FAILED, Inputs, check_choice, embedder_option, error, fail, max_bytes_option, warn,
)

FIND_FORMATS = ("table", "json")


def _load_embedder(path: Optional[str]):
    from ..embed import Embedder, EmbedderError

    emb = Embedder(path)
    try:
        emb._load()
    except EmbedderError as e:
        fail(str(e))
    return emb


def index(
    corpus: List[str] = typer.Argument(..., metavar="CORPUS...", help="Original articles: files, directories (every .txt/.md below) or .jsonl(.gz) files with 'text' and 'id' fields."),
    out: str = typer.Option(..., "--out", "-o", help="Index directory to create (or to add to with --append)."),
    append: bool = typer.Option(False, "--append", "-a", help="Add documents to an existing index instead of creating a new one."),
    embedder: Optional[str] = embedder_option(),
) -> None:
    """Embed every sentence of a corpus of original articles into a local index for 'spindetect find'."""
    from pathlib import Path

    from ..index import MANIFEST, IndexFileError, SourceIndex, read_corpus
    from ..errors import ReadError
    from ..segment import segment

    target = Path(out)
    exists = (target / MANIFEST).is_file()
    if exists and not append:
        fail(f"{out}: already holds an index; pass --append to add documents, or choose a new --out")
    if target.exists() and not target.is_dir():
        fail(f"{out}: exists and is not a directory")
    if not exists and target.is_dir() and any(target.iterdir()):
        fail(f"{out}: directory is not empty and holds no index; choose an empty or new --out")
    if "-" in corpus:
        fail("the corpus must be files or directories, not stdin ('-')")

    emb = _load_embedder(embedder)
    try:
        idx = SourceIndex.open(target) if exists else None
    except IndexFileError as e:
        fail(str(e))
    if idx is not None and idx.embedder != emb.name:
        fail(f"{out}: the index was built with embedder {idx.embedder!r}, not {emb.name!r}; pass --embedder for it or build a new index")

    failures = skipped = 0
    known = idx.sources() if idx else set()
    docs = []
    for item in read_corpus(corpus):
        if isinstance(item, ReadError):
            failures += 1
            error(str(item))
            continue
        source, text = item
        if source in known:
            skipped += 1
            warn(f"{source}: already in the index; skipped")
            continue
        sents = segment(text)
        if not sents:
            failures += 1
            error(f"{source}: no sentences to index")
            continue
        known.add(source)
        docs.append((source, sents))

    if idx is None:
        try:
            idx = SourceIndex.create(target, emb.name, emb.dim)
        except (IndexFileError, OSError) as e:
            fail(str(e))
    vecs = emb.encode([s.norm for _, sents in docs for s in sents])
    try:
        added = idx.add([(src, [s.text for s in sents]) for src, sents in docs], vecs)
    except OSError as e:
        fail(f"{out}: cannot write the index ({e.strerror or e})", EXIT_SOME_FAILED)
    print(
        f"indexed {added} document(s), {len(vecs)} sentences into {out}"
        f" (now {len(idx.docs)} documents, {idx.n_sentences} sentences)"
        + (f"; {skipped} already indexed" if skipped else ""),
        file=sys.stderr,
    )
    if failures:
        error(f"{failures} input(s) could not be indexed")
        raise typer.Exit(EXIT_SOME_FAILED)
    raise typer.Exit(EXIT_OK)


def find(
    suspects: List[str] = typer.Argument(..., metavar="SUSPECT...", help="Suspected rewrites: files, directories (every .txt/.md below) or - for stdin."),
    index_dir: str = typer.Option(..., "--index", "-i", help="Index directory built with 'spindetect index'."),
    top: int = typer.Option(5, "--top", "-k", help="How many candidate sources to list per suspect."),
    format: str = typer.Option("table", "--format", "-f", help="table or json."),
    min_score: Optional[float] = typer.Option(None, "--min-score", help="Report 'no source found' below this match score (default: the benchmarked one)."),
    embedder: Optional[str] = embedder_option("Local sentence-transformers directory; must be the one the index was built with."),
    max_bytes: int = max_bytes_option(),
) -> None:
    """Find the most likely sources of each suspect article in an index of originals."""
    from ..align import word_count
    from ..index import NO_SOURCE_THRESHOLD, IndexFileError, SourceIndex
    from ..segment import segment

    check_choice("format", format, FIND_FORMATS)
    if top < 1:
        fail(f"--top must be 1 or more, got {top}")
    if suspects.count("-") > 1:
        fail("'-' (stdin) may be given only once")
    min_score = NO_SOURCE_THRESHOLD if min_score is None else min_score
    if not 0.0 <= min_score <= 1.0:
        fail(f"--min-score must be between 0 and 1, got {min_score}")
    try:
        idx = SourceIndex.open(index_dir)
    except IndexFileError as e:
        fail(str(e))
    emb = _load_embedder(embedder)
    if idx.embedder != emb.name:
        fail(f"{index_dir}: the index was built with embedder {idx.embedder!r}, not {emb.name!r}; pass --embedder for it")

    inputs = Inputs(suspects, max_bytes)
    results = []
    for art in inputs:
        sents = segment(art.text)
        matches = idx.find(emb.encode([s.norm for s in sents]), [word_count(s.text) for s in sents], top=top)
        results.append(_result(art.path, sents, matches, min_score))
        if format == "table":
            _print_table(results[-1])

    if format == "json":
        import json

        sys.stdout.write(json.dumps(results, ensure_ascii=False, sort_keys=True, indent=1) + "\n")
    if inputs.failures:
        error(f"{inputs.failures} input(s) could not be searched")
        raise typer.Exit(EXIT_SOME_FAILED)
    raise typer.Exit(EXIT_OK)


def _result(path: str, sents, matches, min_score: float) -> dict:
    """The JSON object of one suspect: matches, and the aligned sentences of the best one."""
    found = bool(matches) and matches[0].score >= min_score
    best = None
    if matches:
        m = matches[0]
        best = {
            "source": m.source,
            "coverage": round(m.alignment.coverage, 4),
            "pairs": [
                {
                    **link.to_dict(),
                    "suspect_text": " ".join(sents[k].text for k in link.suspect),
                    "source_text": " ".join(m.sentences[k] for k in link.original),
                }
                for link in m.alignment.links
            ],
        }
    return {
        "path": path,
        "source_found": found,
        "min_score": min_score,
        "matches": [m.to_dict() for m in matches],
        "best": best,
    }


def _print_table(r: dict) -> None:
    from rich.console import Console

    from .. import render

    console = Console(highlight=False)
    for view in render.find_view(r):
        console.print(view)
