"""`spindetect score`: score files, directories, JSONL records or stdin."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from ._common import (
    EXIT_OK, EXIT_SOME_FAILED, check_choice, embedder_option, error, fail, load_detector, max_bytes_option, mode_option, model_for, model_option, stderr_console, warn,
)

SCORE_FORMATS = ("table", "json", "jsonl", "csv", "html")
#: Row errors of a crawl printed one per line before the rest are only counted.
MAX_ERRORS_SHOWN = 20


def score(
    paths: List[str] = typer.Argument(..., metavar="PATH...", help="Files, directories (every .txt/.md/.html below, sorted), JSONL files, or - for stdin."),
    format: str = typer.Option("table", "--format", "-f", help="table, json, jsonl, csv or html."),
    top: int = typer.Option(5, "--top", "-n", help="Sentences shown per document in the table view."),
    threshold: Optional[float] = typer.Option(None, "--threshold", "-t", help="Label 'spun' at or above this document score (default: the model's)."),
    model: Optional[str] = model_option(),
    mode: str = mode_option(),
    embedder: Optional[str] = embedder_option(),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="Write results to this file (atomically, streamed) instead of stdout."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing --out file."),
    resume: Optional[str] = typer.Option(None, "--resume", help="Continue an interrupted jsonl/csv output file: skip ids/paths already in it."),
    html: Optional[bool] = typer.Option(None, "--html/--no-html", help="Treat inputs as HTML pages (default: detect by content)."),
    jsonl: Optional[bool] = typer.Option(None, "--jsonl/--no-jsonl", help="Treat inputs as JSONL records (default: by .jsonl/.jsonl.gz suffix)."),
    text_field: str = typer.Option("text", "--text-field", help="JSONL field holding the article text."),
    id_field: str = typer.Option("id", "--id-field", help="JSONL field holding the article id."),
    max_bytes: int = max_bytes_option(),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress", help="Progress bar on stderr (default: when stderr is a terminal)."),
    engine: str = typer.Option("local", "--engine", help="local (one process, streaming) or dask (partitions on a Dask cluster; needs --out DIR and spindetect[dask])."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address (tcp://host:8786); default: a LocalCluster."),
    local_workers: Optional[int] = typer.Option(None, "--local-workers", help="Workers of the LocalCluster started when no --scheduler is given (default 2)."),
    partition_rows: int = typer.Option(1000, "--partition-rows", help="Documents per Dask partition / output part file."),
    explain: bool = typer.Option(False, "--explain", help="Table view: every flagged sentence in reading order with each reason and the text it points at."),
    against: Optional[str] = typer.Option(None, "--against", help="Reference mode: say whether each document derives from this source file (aligned sentences, word diffs, pair verdict)."),
    index_dir: Optional[str] = typer.Option(None, "--index", help="Reference mode: find each document's source in this index ('spindetect index') and give the pair verdict."),
) -> None:
    """Score articles for machine rewriting (1 = spun) and show the most suspicious sentences."""
    from .. import render
    from ..crawl import iter_articles
    from ..outfile import AtomicOutput, OutputError, done_keys
    from ..errors import ReadError
    from ..io.files import expand_paths

    check_choice("format", format, SCORE_FORMATS)
    model = model_for(mode, model)
    check_choice("engine", engine, ("local", "dask"))
    if engine != "dask" and (scheduler or local_workers is not None):
        fail("--scheduler and --local-workers need --engine dask")
    tracer = _tracer(against, index_dir, paths, embedder, max_bytes, format, engine, out) if (against is not None or index_dir is not None) else None
    if engine == "dask" or (out and out.endswith(".parquet")):
        if engine == "dask" and not out:
            fail("--engine dask writes partitioned Parquet: give --out DIR")
        crawl_options = dict(text_field=text_field, id_field=id_field, model=model, embedder=embedder,
                             threshold=threshold, force=force, top=top)
        if engine == "dask":
            crawl_options.update(scheduler=scheduler, local_workers=2 if local_workers is None else local_workers,
                                 partition_rows=partition_rows)
        raise typer.Exit(_crawl(engine, paths, out, crawl_options))
    if top < 0:
        fail(f"--top must be 0 or more, got {top}")
    if paths.count("-") > 1:
        fail("'-' (stdin) may be given only once")
    if resume and out and Path(resume) != Path(out):
        fail("--resume names the output file to continue; give it alone or with the same --out")
    if resume and force:
        fail("--resume and --force contradict each other; choose one")
    target = resume or out
    skip: set[str] = set()
    try:
        if resume:
            if not Path(resume).is_file():
                fail(f"{resume}: no such output file to resume")
            skip = done_keys(Path(resume), format)
        sink = AtomicOutput(Path(target), force=force, resume=bool(resume)) if target else None
    except OutputError as e:
        fail(str(e))
    except OSError as e:
        fail(f"{target}: cannot write ({e.strerror or e})")

    items = list(expand_paths(paths))
    failures, skipped_n = 0, 0

    def report(e: Exception) -> None:
        nonlocal failures
        failures += 1
        error(str(e))

    def articles():
        nonlocal skipped_n

        def skipped():
            nonlocal skipped_n
            skipped_n += 1

        for art in iter_articles(items, text_field=text_field, id_field=id_field, max_bytes=max_bytes, html=html,
                                 jsonl=jsonl, skip=skip, on_skip=skipped):
            if isinstance(art, ReadError):
                report(art)
            else:
                yield _warned(art)

    det = load_detector(model, embedder, threshold)
    counted = _Counter()
    stream = sink.stream if sink else sys.stdout
    bar = _progress(len(items), progress)
    interrupted = False
    try:
        docs = _score_stream(det, articles(), bar, tracer)
        if format == "jsonl":
            render.write_jsonl(counted(docs), stream)
        elif format == "json":
            render.write_json(counted(docs), stream)
        elif format == "csv":
            w = render.CsvWriter(stream, header=not (resume and Path(resume).stat().st_size))
            for doc in counted(docs):
                w.write(doc)
        elif format == "html":
            from ..render_html import render_report

            stream.write(render_report([d.to_dict() for d in counted(docs)], title="spindetect report"))
        else:
            _table(render, counted(docs), top, stream, explain)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        if bar is not None:
            bar.stop()
    scored_n = counted.n
    if sink:
        if interrupted and format not in ("jsonl", "csv"):
            sink.discard()
        else:
            sink.commit()
    if interrupted:
        where = f"; {target} holds complete lines, continue with --resume {target}" if sink and format in ("jsonl", "csv") else ""
        error(f"interrupted after {scored_n} scored document(s){where}")
        raise typer.Exit(130)
    if skipped_n:
        warn(f"skipped {skipped_n} input(s) already in {resume}")
    if failures:
        error(f"{failures} input(s) could not be scored; {scored_n} scored")
        raise typer.Exit(EXIT_SOME_FAILED)
    raise typer.Exit(EXIT_OK)


#: Output formats that carry reference mode's source and verdict (csv has one row per sentence and a fixed header).
REFERENCE_FORMATS = ("table", "json", "jsonl", "html")


def _tracer(against, index_dir, paths, embedder, max_bytes, format, engine, out):
    """Reference mode's ``Tracer`` for ``--against FILE`` or ``--index DIR``; one-line exit-2 errors for bad ones."""
    from ..embed import Embedder, EmbedderError
    from ..index import IndexFileError, SourceIndex
    from ..errors import ReadError
    from ..io.files import read_path
    from ..reference import Tracer

    if against is not None and index_dir is not None:
        fail("--against and --index both name sources; give one (--against FILE for one source, --index DIR for many)")
    flag = "--against" if against is not None else "--index"
    if engine == "dask" or (out and out.endswith(".parquet")):
        fail(f"{flag} works with --engine local and table, json, jsonl or html output, not Parquet")
    if format not in REFERENCE_FORMATS:
        fail(f"{flag} needs a format that shows the source; expected one of: {', '.join(REFERENCE_FORMATS)}")
    emb = Embedder(embedder)
    try:
        emb._load()
    except EmbedderError as e:
        fail(str(e))
    if index_dir is not None:
        try:
            idx = SourceIndex.open(index_dir)
        except IndexFileError as e:
            fail(f"--index {e}")
        if idx.embedder != emb.name:
            fail(f"--index {index_dir}: built with embedder {idx.embedder!r}, not {emb.name!r}; pass --embedder for it")
        if not idx.docs:
            fail(f"--index {index_dir}: the index holds no documents; add some with 'spindetect index --append'")
        return Tracer(emb, index=idx)
    if against == "-" and "-" in paths:
        fail("'-' (stdin) may be given only once: as a PATH or as --against")
    if against != "-" and Path(against).is_dir():
        fail(f"--against {against}: is a directory; give one source file, or index many with 'spindetect index' and pass --index")
    try:
        art = read_path(against, max_bytes=max_bytes)
    except ReadError as e:
        fail(f"--against {e}")
    for w in art.warnings:
        warn(w)
    return Tracer(emb, against=art)


def _warned(art):
    for w in art.warnings:
        warn(w)
    return art


class _Counter:
    """Counts documents as they pass to a writer (for the summary line)."""

    def __init__(self):
        self.n = 0

    def __call__(self, docs):
        for d in docs:
            yield d
            self.n += 1


def _progress(total: int, wanted: Optional[bool]):
    if wanted is False or (wanted is None and not sys.stderr.isatty()) or total < 2:
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from ._common import stderr_console

    bar = Progress(TextColumn("scoring"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=stderr_console(), transient=True)
    bar.start()
    bar.task = bar.add_task("score", total=total)
    return bar


def _score_stream(det, articles, bar=None, tracer=None):
    """Score in ``Detector.score_batches``; reference mode's sources are attached batch by batch."""
    for batch, docs in det.score_batches(articles):
        if tracer is not None:
            docs = tracer.attach(batch, docs)
        if bar is not None:
            bar.advance(bar.task, len({a.path.rsplit(":", 1)[0] if a.id else a.path for a in batch}))
        yield from docs


def _table(render, docs, top, stream, explain=False):
    from rich.console import Console

    console = Console(file=stream, highlight=False)
    rest = []
    for k, doc in enumerate(docs):
        if explain:
            console.print(render.explain_view(doc))
        elif k == 0:
            console.print(render.table_detail(doc, top))
        else:
            rest.append(doc)
    if rest:
        console.print()
        console.print(render.table_summary(rest))


def _crawl(engine: str, paths: list[str], out: str, options: dict) -> int:
    """Run ``crawl.score_with_dask`` (engine dask) or ``crawl.score_to_file``; print what they report; the exit code."""
    from .. import crawl

    shown = 0

    def show(message: str) -> None:
        nonlocal shown
        if engine == "dask" or shown < MAX_ERRORS_SHOWN:
            error(message)
            shown += 1

    bar = _CrawlBar("partitions" if engine == "dask" else "documents")
    try:
        if engine == "dask":
            result = crawl.score_with_dask(paths, out, on_error=show, on_note=stderr_console().print,
                                           on_start=bar.start, on_advance=bar.advance, **options)
        else:
            result = crawl.score_to_file(paths, out, on_error=show, on_start=bar.start, on_advance=bar.advance,
                                         **options)
    except crawl.CrawlError as e:
        fail(str(e))
    finally:
        bar.stop()
    if engine == "dask":
        for s in result.failed:
            error(f"partition {s['index']} ({s['path']}) failed: {s['failed']}; rerun the same command to retry it")
        if result.skipped:
            warn(f"{result.skipped} partition(s) were already done and kept")
        if result.errors:
            error(f"{result.errors} of {result.rows} input row(s) could not be scored; see the 'error' column in {out}")
    else:
        if result.errors > shown:
            error(f"{result.errors - shown} more row(s) could not be scored; see the 'error' column of {out}")
        if result.errors:
            error(f"{result.errors} of {result.rows} input row(s) could not be scored")
    return EXIT_OK if result.complete else EXIT_SOME_FAILED


class _CrawlBar:
    """A rich progress bar on stderr for a crawl, started when the run knows its total (None: a running count)."""

    def __init__(self, what: str):
        self.what = what
        self.bar = None

    def start(self, total: Optional[int]) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        columns = [TextColumn(self.what), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn()]
        self.bar = Progress(*columns, console=stderr_console(), transient=False, disable=total == 0)
        self.bar.start()
        self.task = self.bar.add_task(self.what, total=total)

    def advance(self, n: int) -> None:
        self.bar.advance(self.task, n)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
