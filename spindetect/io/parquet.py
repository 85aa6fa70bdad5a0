"""Parquet crawl records to Articles, streamed batch by batch; pyarrow is imported only here, when a
Parquet file is read (``require_pyarrow``: without it, ``MissingDependency`` says what to install).

A bad row becomes a ``ReadError`` naming ``<path>:<row>`` and the rest go on,
as ``io.records.iter_jsonl_articles`` does for JSON Lines; every row goes
through ``io.records.record_article``, so a crawl scores the same whether it
arrives as JSONL or Parquet.
"""

from __future__ import annotations

from typing import Iterator

from ..errors import ReadError
from ..types import Article
from .files import MAX_BYTES
from .records import record_article

#: Rows read per batch from an input Parquet file.
BATCH_ROWS = 1024
INSTALL_HINT = "pip install 'spindetect[dask]'"


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
        As for ``io.records.record_article``.

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
