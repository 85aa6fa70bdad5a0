"""Crawl-scale input and output: Parquet articles in, one score row per document out.

Reading streams a Parquet file batch by batch (``iter_parquet_articles``);
a bad row becomes a ``ReadError`` naming ``<path>:<row>`` and the rest go on,
as ``io.records.iter_jsonl_articles`` does for JSON Lines.

Writing turns ``DocumentScore.to_dict()`` into one flat row per document
(``document_row``), with the top sentences as a nested column, and a failed
document into a row whose ``error`` holds the one-line message
(``error_row``). ``ParquetScoreWriter`` and ``JsonlScoreWriter`` write rows
as they come to a temporary file beside the target and rename it into place
on ``close()``, so a crash never leaves a half-written file under the final
name, and an existing file is refused unless ``force=True``.

pyarrow is imported only inside the functions that need it; without it they
raise ``MissingDependency`` whose message says what to install.
"""

from __future__ import annotations

import gzip
import json
import os
import uuid
from pathlib import Path
from typing import Iterable, Iterator

from .errors import ReadError
from .io.files import MAX_BYTES, too_large
from .io.records import record_article as _record_article
from .types import Article, DocumentScore

#: Sentences kept per document in the ``top_sentences`` column.
DEFAULT_TOP = 5
#: Rows per Parquet row group: ~1,000 documents with 5 top sentences is a
#: few MB in memory, small enough to stream and large enough to compress.
ROW_GROUP_ROWS = 1000
#: Rows read per batch from an input Parquet file.
BATCH_ROWS = 1024
OUTPUT_SUFFIXES = (".parquet", ".jsonl", ".jsonl.gz")
INSTALL_HINT = "pip install 'spindetect[dask]'"

#: Output columns, in order (the Parquet schema is ``output_schema()``).
COLUMNS = (
    "id", "path", "score", "label", "threshold", "n_sentences", "top_sentences",
    "model_name", "model_version", "warnings", "error",
)


class MissingDependency(ImportError):
    """An optional dependency is not installed; the message says how to install it."""


def require_pyarrow():
    """Import pyarrow and pyarrow.parquet, or raise ``MissingDependency`` with the install hint."""
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise MissingDependency(f"Parquet support needs pyarrow; install it with: {INSTALL_HINT}") from None
    return pyarrow


def output_schema():
    """The pyarrow schema of score rows (one row per document)."""
    pa = require_pyarrow()
    sentence = pa.struct([
        ("index", pa.int32()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("score", pa.float64()),
        ("text", pa.string()),
        ("reasons", pa.list_(pa.string())),
    ])
    return pa.schema([
        ("id", pa.string()),
        ("path", pa.string()),
        ("score", pa.float64()),
        ("label", pa.string()),
        ("threshold", pa.float64()),
        ("n_sentences", pa.int32()),
        ("top_sentences", pa.list_(sentence)),
        ("model_name", pa.string()),
        ("model_version", pa.string()),
        ("warnings", pa.list_(pa.string())),
        ("error", pa.string()),
    ])


# ------------------------------------------------------------------ rows


def document_row(doc: DocumentScore | dict, top: int = DEFAULT_TOP) -> dict:
    """One output row from a scored document.

    Parameters
    ----------
    doc : DocumentScore or dict
        A scored document, or its ``to_dict()``.
    top : int
        Keep this many sentences, highest score first (ties: earlier first).

    Returns
    -------
    dict
        Keys ``COLUMNS``; ``top_sentences`` holds dicts with index, start,
        end, score, text and the reason codes; ``error`` is None.
    """
    d = doc.to_dict() if isinstance(doc, DocumentScore) else doc
    ranked = sorted(d["sentences"], key=lambda s: (-s["score"], s["index"]))[: max(top, 0)]
    model = d.get("model") or {}
    return {
        "id": d.get("id"),
        "path": d["path"],
        "score": float(d["score"]),
        "label": d["label"],
        "threshold": float(d["threshold"]),
        "n_sentences": int(d["n_sentences"]),
        "top_sentences": [
            {
                "index": s["index"], "start": s["start"], "end": s["end"], "score": float(s["score"]),
                "text": s["text"], "reasons": [r["code"] for r in s["reasons"]],
            }
            for s in ranked
        ],
        "model_name": model.get("name"),
        "model_version": model.get("version"),
        "warnings": list(d.get("warnings") or ()),
        "error": None,
    }


def error_row(path: str, message: str, id: str | None = None, model: dict | None = None) -> dict:
    """An output row for a document that could not be scored (score, label and sentences null)."""
    model = model or {}
    return {
        "id": id, "path": path, "score": None, "label": None, "threshold": None, "n_sentences": None,
        "top_sentences": None, "model_name": model.get("name"), "model_version": model.get("version"),
        "warnings": [], "error": message.splitlines()[0] if message else "unknown error",
    }


# ------------------------------------------------------------------ reading


def record_article(text, raw_id, name: str, text_field: str = "text", id_field: str = "id",
                   *, max_bytes: int = MAX_BYTES, html: bool | None = None,
                   check_language: bool = True) -> Article:
    """Turn one record's text and id values into an Article, as the JSONL reader does.

    Parameters
    ----------
    text, raw_id
        The values of the text and id fields (``raw_id`` may be None).
    name : str
        Names the record in messages and becomes ``Article.path``.
    text_field, id_field : str
        Field names, for messages.
    max_bytes : int
        Longer texts (in UTF-8 bytes) are refused, as JSONL lines are.
    html : bool or None
        Extract the article from HTML; None: when the text starts like a page.
    check_language : bool
        Warn when the text is confidently not English.

    Raises
    ------
    ReadError
        The text is missing, not a string, too long, binary, or empty after cleaning.
    """
    if text is None:
        raise ReadError(f"{name}: field {text_field!r} is null")
    if not isinstance(text, str):
        raise ReadError(f"{name}: field {text_field!r} is {type(text).__name__}, expected a string")
    # Four bytes per character at most, so only long texts pay for the encode.
    if len(text) * 4 > max_bytes and len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise too_large(name, None, max_bytes)
    # The same steps, limits and messages as a JSONL record, so a crawl
    # scores the same whether it arrives as JSONL or Parquet.
    return _record_article(text, raw_id, name, text_field, id_field, html, check_language)


def parquet_row_count(path: str) -> int:
    """Rows in a Parquet file, from its footer (raises ReadError when it is not readable Parquet)."""
    pq = require_pyarrow().parquet
    try:
        return pq.ParquetFile(path).metadata.num_rows
    except OSError as e:
        raise ReadError(f"{path}: {_arrow_message(e)}") from None


def _arrow_message(e: Exception) -> str:
    msg = str(e).splitlines()[0] if str(e) else type(e).__name__
    if isinstance(e, FileNotFoundError):
        return "no such file or directory"
    return f"not a readable Parquet file ({msg})"


def iter_parquet_articles(
    path: str,
    text_field: str = "text",
    id_field: str = "id",
    batch_rows: int = BATCH_ROWS,
    *,
    start: int = 0,
    stop: int | None = None,
    max_bytes: int = MAX_BYTES,
    html: bool | None = None,
    check_language: bool = True,
) -> Iterator[Article | ReadError]:
    """Read a Parquet crawl in batches: one Article per row.

    Parameters
    ----------
    path : str
        A Parquet file.
    text_field : str
        The column holding the article text.
    id_field : str
        The column holding the id (string or integer); a missing column gives
        ``Article.id = None``.
    batch_rows : int
        Rows decoded at a time; memory stays flat however long the file is.
    start, stop : int
        Read only rows ``start <= row < stop`` (0-based); only the row groups
        that overlap the range are decoded.
    max_bytes, html, check_language
        As for :func:`record_article`.

    Yields
    ------
    Article or ReadError
        Articles have ``path = "<path>:<row>"`` with a 1-based row number, as
        JSONL lines are numbered. A bad row yields a ReadError naming it and
        the rest continue; an unreadable file yields one ReadError and stops.
    """
    pq = require_pyarrow().parquet
    if batch_rows < 1:
        raise ValueError(f"batch_rows must be 1 or more, got {batch_rows}")
    try:
        pf = pq.ParquetFile(path)
        names = pf.schema_arrow.names
    except (OSError, ValueError) as e:
        yield ReadError(f"{path}: {_arrow_message(e)}")
        return
    if text_field not in names:
        cols = ", ".join(names[:10]) or "none"
        yield ReadError(f"{path}: no {text_field!r} column (columns: {cols}); choose one with --text-field")
        return
    columns = [text_field] + ([id_field] if id_field in names and id_field != text_field else [])
    meta = pf.metadata
    stop = meta.num_rows if stop is None else min(stop, meta.num_rows)
    groups, first_row, offset = [], None, 0
    for g in range(meta.num_row_groups):
        n = meta.row_group(g).num_rows
        if offset + n > start and offset < stop:
            groups.append(g)
            first_row = offset if first_row is None else first_row
        offset += n
    if not groups:
        return
    row = first_row
    try:
        for batch in pf.iter_batches(batch_size=batch_rows, row_groups=groups, columns=columns):
            texts = batch.column(0).to_pylist()
            ids = batch.column(1).to_pylist() if len(columns) > 1 else [None] * len(texts)
            for text, raw_id in zip(texts, ids):
                if start <= row < stop:
                    name = f"{path}:{row + 1}"
                    try:
                        yield record_article(text, raw_id, name, text_field, id_field, max_bytes=max_bytes,
                                             html=html, check_language=check_language)
                    except ReadError as e:
                        yield e
                row += 1
                if row >= stop:
                    return
    except (OSError, ValueError) as e:
        yield ReadError(f"{path}: corrupt or truncated file after row {row} ({str(e).splitlines()[0]})")


def read_scores(path: str | Path):
    """Read score rows back: one Parquet file, or a directory of ``part-*.parquet`` files.

    Returns
    -------
    pyarrow.Table
        Parts are concatenated in name order (= input order).
    """
    pa = require_pyarrow()
    pq = pa.parquet
    p = Path(path)
    if p.is_dir():
        parts = sorted(p.glob("part-*.parquet"))
        if not parts:
            return output_schema().empty_table()
        return pa.concat_tables([pq.read_table(f) for f in parts])
    return pq.read_table(p)


# ------------------------------------------------------------------ writing


def _temp_beside(path: Path) -> Path:
    # Same directory, so the final os.replace is an atomic rename on one
    # filesystem; a leading dot and a .tmp suffix keep it out of part-* globs.
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")


class DocumentRowWriter:
    """Write score rows to ``path`` through a temporary file renamed into place on ``close()``.

    Use as a context manager: on an exception the temporary file is removed
    and ``path`` is left as it was. Subclasses implement ``_open``,
    ``_write_rows`` and ``_finish``.

    Parameters
    ----------
    path : str or Path
        The output file; its directory must exist.
    force : bool
        Replace an existing file (at ``close()``); otherwise refuse it.
    top : int
        Top sentences kept per document.

    Raises
    ------
    FileExistsError
        ``path`` exists and ``force`` is False.
    FileNotFoundError
        The directory of ``path`` does not exist.
    """

    def __init__(self, path: str | Path, *, force: bool = False, top: int = DEFAULT_TOP):
        self.path = Path(path)
        self.top = top
        if self.path.exists() and not force:
            raise FileExistsError(f"{self.path}: already exists; use --force to replace it")
        if self.path.is_dir():
            raise IsADirectoryError(f"{self.path}: is a directory, expected a file name")
        if not self.path.parent.is_dir():
            raise FileNotFoundError(f"{self.path.parent}: no such directory")
        self.rows_written = 0
        self.errors_written = 0
        self._tmp = _temp_beside(self.path)
        self._closed = False
        self._open()

    def write(self, doc: DocumentScore | dict) -> None:
        """Write one scored document."""
        self.write_row(document_row(doc, self.top))

    def write_error(self, path: str, message: str, id: str | None = None, model: dict | None = None) -> None:
        """Write a row for a document that could not be scored."""
        self.write_row(error_row(path, message, id, model))

    def write_row(self, row: dict) -> None:
        """Write one row made by ``document_row`` or ``error_row``."""
        self.write_rows([row])

    def write_rows(self, rows: Iterable[dict]) -> None:
        rows = list(rows)
        self._write_rows(rows)
        self.rows_written += len(rows)
        self.errors_written += sum(r["error"] is not None for r in rows)

    def close(self) -> Path:
        """Finish the file and rename it into place; returns the final path."""
        if not self._closed:
            self._closed = True
            try:
                self._finish()
                os.replace(self._tmp, self.path)
            except BaseException:
                self._tmp.unlink(missing_ok=True)
                raise
        return self.path

    def abort(self) -> None:
        """Drop everything written; ``path`` is left as it was."""
        if not self._closed:
            self._closed = True
            try:
                self._finish()
            except Exception:  # the file is being discarded; its close error does not matter
                pass
            self._tmp.unlink(missing_ok=True)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.close()
        else:
            self.abort()
        return False

    def _open(self) -> None:
        raise NotImplementedError

    def _write_rows(self, rows: list[dict]) -> None:
        raise NotImplementedError

    def _finish(self) -> None:
        raise NotImplementedError


class ParquetScoreWriter(DocumentRowWriter):
    """Score rows to a Parquet file, one row group per ``row_group_rows`` rows (see ``DocumentRowWriter``)."""

    def __init__(self, path: str | Path, *, force: bool = False, top: int = DEFAULT_TOP,
                 row_group_rows: int = ROW_GROUP_ROWS):
        self._pa = require_pyarrow()
        self._schema = output_schema()
        self._group = max(int(row_group_rows), 1)
        self._buffer: list[dict] = []
        super().__init__(path, force=force, top=top)

    def _open(self) -> None:
        self._writer = self._pa.parquet.ParquetWriter(self._tmp, self._schema, compression="zstd")

    def _write_rows(self, rows: list[dict]) -> None:
        self._buffer.extend(rows)
        if len(self._buffer) >= self._group:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            self._writer.write_table(self._pa.Table.from_pylist(self._buffer, schema=self._schema))
            self._buffer = []

    def _finish(self) -> None:
        try:
            self._flush()
        finally:
            self._writer.close()


class JsonlScoreWriter(DocumentRowWriter):
    """Score rows as JSON Lines, gzipped when the name ends in .gz (see ``DocumentRowWriter``)."""

    def _open(self) -> None:
        raw = open(self._tmp, "wb")
        self._f = gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) if self.path.name.endswith(".gz") else raw
        self._raw = raw

    def _write_rows(self, rows: list[dict]) -> None:
        for r in rows:
            self._f.write(json.dumps(r, ensure_ascii=False).encode("utf-8") + b"\n")

    def _finish(self) -> None:
        try:
            self._f.close()
        finally:
            self._raw.close()


def open_score_writer(path: str | Path, *, force: bool = False, top: int = DEFAULT_TOP) -> DocumentRowWriter:
    """A writer chosen by the file name: .parquet, .jsonl or .jsonl.gz.

    Raises
    ------
    ValueError
        Any other suffix (the message names the valid ones).
    """
    name = str(path).lower()
    if name.endswith(".parquet"):
        return ParquetScoreWriter(path, force=force, top=top)
    if name.endswith(".jsonl") or name.endswith(".jsonl.gz"):
        return JsonlScoreWriter(path, force=force, top=top)
    raise ValueError(f"{path}: unknown output type; expected a name ending in one of: {', '.join(OUTPUT_SUFFIXES)}")
