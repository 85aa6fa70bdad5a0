"""Crawl records to Articles: JSON Lines files (optionally gzipped), read whole or by line range,
and the steps every record (JSONL or Parquet) goes through."""

from __future__ import annotations

import gzip
import json
import zlib
from typing import Iterator

from ..errors import ReadError
from ..types import Article
from .decode import MAX_JUNK_SHARE, clean_text, junk_share
from .files import MAX_BYTES, finish_article, too_large
from .html import extract_html, looks_like_html


def open_jsonl(path: str):
    """A binary file object, gunzipping when the file is gzip-compressed (by content)."""
    f = open(path, "rb")
    try:
        magic = f.read(2)
        f.seek(0)
    except OSError:
        f.close()
        raise
    if magic == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=f, mode="rb")
    return f


def count_jsonl_lines(path: str) -> int:
    """Lines in a JSONL(.gz) file (a last line without newline counts).

    A corrupt gzip file counts the lines before the damage plus one, so the
    range that holds the damage reports it as an error.

    Raises
    ------
    ReadError
        The file cannot be opened.
    """
    try:
        f = open_jsonl(path)
    except OSError as e:
        raise ReadError(f"{path}: cannot read ({e.strerror or e})") from None
    n, last = 0, b"\n"
    with f:
        try:
            for block in iter(lambda: f.read(1 << 20), b""):
                n += block.count(b"\n")
                last = block[-1:]
        except (OSError, EOFError, zlib.error):
            return n + 1
    return n + (last != b"\n")


def iter_jsonl_articles(
    path: str,
    text_field: str = "text",
    id_field: str = "id",
    max_bytes: int = MAX_BYTES,
    *,
    html: bool | None = None,
    check_language: bool = True,
    start: int = 0,
    stop: int | None = None,
) -> Iterator[Article | ReadError]:
    """Read a JSON Lines crawl (optionally gzipped): one Article per line.

    Parameters
    ----------
    path : str
        A ``.jsonl`` or ``.jsonl.gz`` file (gzip is recognised by content).
    text_field : str
        The key holding the article text.
    id_field : str
        The key holding the article id (a string or number); missing ids are
        allowed and give ``Article.id = None``.
    max_bytes : int
        Longer lines are refused.
    html : bool or None
        Extract article text from HTML in ``text_field``; None: when the
        value starts like an HTML page.
    check_language : bool
        As for ``io.files.read_bytes``.
    start, stop : int
        Only lines ``start <= line < stop`` (0-based; ``stop`` None: to the
        end). Earlier lines are skipped unparsed, so a range deep in a file
        does not pay for decoding the rows before it.

    Yields
    ------
    Article or ReadError
        Articles have ``path = "<path>:<line>"``. A bad line yields a
        ReadError naming ``<path>:<line>`` and the rest continue; an
        unreadable or corrupt file yields one ReadError and stops.
    """
    try:
        f = open_jsonl(path)
    except OSError as e:
        yield ReadError(f"{path}: cannot read ({e.strerror or e})")
        return
    except ValueError as e:
        yield ReadError(f"{path!r}: invalid path ({e})")
        return
    with f:
        n = 0
        while stop is None or n < stop:
            try:
                raw = f.readline(max_bytes + 1)
            except (OSError, EOFError, zlib.error) as e:
                yield ReadError(f"{path}: corrupt or truncated file after line {n} ({e})")
                return
            if not raw:
                return
            n += 1
            overlong = len(raw) > max_bytes
            if overlong and n > start:
                yield too_large(f"{path}:{n}", None, max_bytes)
            # Skip the rest of an overlong line.
            while overlong and raw and not raw.endswith(b"\n"):
                try:
                    raw = f.readline(1 << 20)
                except (OSError, EOFError, zlib.error) as e:
                    yield ReadError(f"{path}: corrupt or truncated file after line {n} ({e})")
                    return
            if overlong or n <= start or not raw.strip():
                continue
            try:
                yield _jsonl_article(raw, f"{path}:{n}", text_field, id_field, max_bytes, html, check_language)
            except ReadError as e:
                yield e


def _jsonl_article(
    raw: bytes, name: str, text_field: str, id_field: str, max_bytes: int, html: bool | None, check_language: bool
) -> Article:
    """One JSONL record to an Article, or ReadError naming ``name`` (path:line)."""
    warnings: list[str] = []
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.decode("utf-8", errors="replace")
        warnings.append(f"{name}: invalid UTF-8 at byte {e.start}; undecodable bytes replaced with U+FFFD")
    try:
        row = json.loads(line)
    except json.JSONDecodeError as e:
        raise ReadError(f"{name}: invalid JSON ({e.msg} at column {e.colno})") from None
    except RecursionError:
        raise ReadError(f"{name}: invalid JSON (nested too deeply)") from None
    if not isinstance(row, dict):
        raise ReadError(f"{name}: expected a JSON object, got {type(row).__name__}")
    if text_field not in row:
        keys = ", ".join(sorted(map(str, row))[:10]) or "none"
        raise ReadError(f"{name}: no {text_field!r} field (fields: {keys}); choose one with text_field")
    text = row[text_field]
    if not isinstance(text, str):
        raise ReadError(f"{name}: field {text_field!r} is {type(text).__name__}, expected a string")
    return record_article(text, row.get(id_field), name, text_field, id_field, max_bytes=max_bytes, html=html,
                          check_language=check_language, warnings=warnings)


def record_article(
    text, raw_id, name: str, text_field: str = "text", id_field: str = "id", *,
    max_bytes: int = MAX_BYTES, html: bool | None = None, check_language: bool = True, warnings=(),
) -> Article:
    """Turn one record's text and id values into an Article, the steps JSONL and Parquet
    records share, so a crawl scores the same whether it arrives as JSONL or Parquet.

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
    warnings : sequence of str
        Warnings found before (e.g. the line's invalid UTF-8), kept first.

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
    warnings = list(warnings)
    if raw_id is None or isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool):
        article_id = None if raw_id is None else str(raw_id)
    else:
        raise ReadError(f"{name}: field {id_field!r} is {type(raw_id).__name__}, expected a string or number")
    # JSON escapes can smuggle in lone surrogates ("\ud800"), which no encoder accepts.
    if any("\ud800" <= c <= "\udfff" for c in text):
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        warnings.append(f"{name}: lone surrogates in {text_field!r} replaced with U+FFFD")
    if junk_share(text) > MAX_JUNK_SHARE:
        raise ReadError(f"{name}: field {text_field!r} holds binary data (control characters), not text")
    text, more = clean_text(text, name)
    warnings += more
    if html is None:
        html = looks_like_html(text)
    if html:
        text = extract_html(text, name)
    return finish_article(text, name, "utf-8", warnings, False, check_language, article_id)
