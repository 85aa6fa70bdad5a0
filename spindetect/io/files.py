"""Read inputs (files, directories, stdin) into Articles.

Every problem is a ``ReadError`` whose message names the input and the reason,
so the CLI can report it on one line and go on with the rest of a batch.
Nothing an input contains may raise anything else: hostile bytes, odd
encodings, huge lines and deeply nested HTML all end as text or a ReadError
(``tests/test_fuzz_inputs.py`` and ``benchmarks/fuzz.py`` check this).

The steps, in order: refuse oversized input -> take the text layer of a PDF
or Word file (``io.documents``, recognised by content) -> recognise binary
formats -> decode (``io.decode``) -> extract the article from HTML
(``io.html``) or strip Markdown markup (``io.markdown``) -> refuse empty text
-> warn when the text is not English. ``Article.text`` is the final text;
sentence offsets point into it. JSONL and Parquet records: ``io.records``.
"""

from __future__ import annotations

import os
import stat
import sys
import unicodedata
from pathlib import Path
from typing import Iterator

from ..errors import ReadError  # defined apart so that io.documents need not import this module
from ..types import Article
from . import MAX_BYTES
from .decode import MAX_JUNK_SHARE, binary_format, clean_text, decode, junk_share
from .html import declared_charset, extract_html, looks_like_html
from .markdown import strip_markdown

HTML_SUFFIXES = (".html", ".htm")
MARKDOWN_SUFFIXES = (".md", ".markdown")
#: What a directory expands to (PDF and Word files are recognised by content, see io.documents).
TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
#: Warn that a text is not English only when the identifier is this sure.
MIN_LANGUAGE_PROB = 0.7


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


def too_large(name: str, size: int | None, max_bytes: int) -> ReadError:
    what = _size(size) if size is not None else "more than the limit"
    return ReadError(
        f"{name}: too large ({what}; the limit is {_size(max_bytes)}, "
        "raise it with --max-bytes or split the file)"
    )



def language_warning(text: str, name: str) -> str | None:
    """A warning when ``text`` is confidently not English, else None.

    Parameters
    ----------
    text : str
        The article text.
    name : str
        The input's name, used in the warning.

    Returns
    -------
    str or None
    """
    from .. import langid

    if langid.looks_english(text):
        return None
    lang, prob = langid.detect_language(text)
    if lang in ("en", "und") or prob < MIN_LANGUAGE_PROB:
        return None
    return (
        f"{name}: text looks like {langid.language_name(lang)}, not English; "
        "the model was trained on English news"
    )



# ---------------------------------------------------------------- articles


def is_blank(text: str) -> bool:
    """True when ``text`` has nothing but whitespace and invisible format characters (BOM, ZWSP)."""
    return all(c.isspace() or unicodedata.category(c) == "Cf" for c in text)


def _suffix(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def finish_article(
    text: str,
    name: str,
    encoding: str,
    warnings: list[str],
    markdown: bool,
    check_language: bool,
    article_id: str | None = None,
) -> Article:
    """Markdown stripping, the empty check and the language check, shared by all readers."""
    if markdown:
        text = strip_markdown(text)
        if is_blank(text):
            raise ReadError(f"{name}: no text left after removing the Markdown markup")
    if is_blank(text):
        raise ReadError(f"{name}: empty file (no text to score)")
    if check_language:
        w = language_warning(text, name)
        if w:
            warnings.append(w)
    return Article(path=name, text=text, encoding=encoding, warnings=tuple(warnings), id=article_id)


def read_bytes(
    data: bytes,
    name: str,
    max_bytes: int = MAX_BYTES,
    *,
    html: bool | None = None,
    markdown: bool | None = None,
    check_language: bool = True,
) -> Article:
    """Turn raw bytes into an Article.

    Parameters
    ----------
    data : bytes
        The raw input.
    name : str
        The input's name (a path, or ``-`` for stdin), used in messages and to
        recognise ``.html``/``.htm`` and ``.md``/``.markdown`` files.
    max_bytes : int
        Larger inputs are refused.
    html : bool or None
        Extract the article from HTML. None: when the name ends in
        .html/.htm or the content starts like an HTML page.
    markdown : bool or None
        Strip Markdown markup. None: when the name ends in .md/.markdown.
    check_language : bool
        Warn when the text is confidently not English (loads a 2 s model the
        first time a text is not plainly English).

    Returns
    -------
    Article
        ``text`` is the text to score; ``encoding`` the codec used (``pdf`` or
        ``docx`` for text taken from a PDF or Word file, whatever its name);
        ``warnings`` one-line messages naming ``name``.

    Raises
    ------
    ReadError
        Too large, empty, binary, HTML with no article text, or a PDF/Word
        file that is encrypted, has no text layer, or is damaged.
    """
    if len(data) > max_bytes:
        raise too_large(name, len(data), max_bytes)
    if not data.strip():
        raise ReadError(f"{name}: empty file (no text to score)")
    from . import documents  # imports pypdf / python-docx only for such a file

    kind = documents.sniff(data)
    if kind is not None:
        text, warnings = documents.extract(data, name, kind)
        if junk_share(text) > MAX_JUNK_SHARE:  # fonts without a Unicode map give control characters
            raise ReadError(f"{name}: the {kind.upper()}'s text layer is unreadable (control or unmapped "
                            "characters); run OCR on it or give its text")
        text, more = clean_text(text, name)
        return finish_article(text, name, kind, warnings + more, False, check_language)
    suffix = _suffix(name)
    maybe_html = html if html is not None else suffix in HTML_SUFFIXES or looks_like_html(data)
    warnings: list[str] = []
    text = None
    declared = declared_charset(data) if maybe_html else None
    if declared is not None and binary_format(data) is None:
        try:
            text = data.decode(declared)
        except UnicodeDecodeError:
            warnings.append(f"{name}: the page declares charset {declared} but is not valid {declared}; detecting")
        except (LookupError, ValueError, TypeError):  # e.g. 'base64': a codec, but not a text encoding
            pass
    if isinstance(text, str) and junk_share(text) <= MAX_JUNK_SHARE:
        encoding = declared
        text, more = clean_text(text, name)
    else:
        text, encoding, more = decode(data, name)
    warnings += more
    if html is None:
        # Sniff the decoded text too: UTF-16 pages do not look like HTML as bytes.
        html = maybe_html or looks_like_html(text)
    if markdown is None:
        markdown = not html and suffix in MARKDOWN_SUFFIXES
    if html:
        text = extract_html(text, name)
    return finish_article(text, name, encoding, warnings, bool(markdown), check_language)


def _read_limited(f, max_bytes: int) -> bytes:
    """Read at most ``max_bytes + 1`` bytes, so /dev/zero or a huge pipe cannot exhaust memory."""
    return f.read(max_bytes + 1)


def read_path(
    path: str,
    max_bytes: int = MAX_BYTES,
    *,
    html: bool | None = None,
    markdown: bool | None = None,
    check_language: bool = True,
) -> Article:
    """Read one file, or stdin for ``-``.

    Parameters
    ----------
    path : str
        A file path, or ``-`` for stdin.
    max_bytes : int
        Larger inputs are refused.
    html, markdown, check_language
        As for :func:`read_bytes`.

    Returns
    -------
    Article

    Raises
    ------
    ReadError
        Missing, unreadable, a directory, too large, or any reason
        :func:`read_bytes` gives.
    """
    opts = dict(html=html, markdown=markdown, check_language=check_language)
    if path == "-":
        data = _read_limited(sys.stdin.buffer, max_bytes)
        if len(data) > max_bytes:
            raise too_large("-", None, max_bytes)
        return read_bytes(data, "-", max_bytes, **opts)
    if "\x00" in path:
        raise ReadError(f"{path!r}: invalid path (contains a NUL character)")
    try:
        p = Path(path)
        try:
            st = p.stat()
        except FileNotFoundError:
            raise ReadError(f"{path}: no such file or directory") from None
        if stat.S_ISDIR(st.st_mode):
            raise ReadError(f"{path}: is a directory")
        if not stat.S_ISREG(st.st_mode):
            # opening a FIFO with no writer would block the whole batch
            raise ReadError(special_file_error(path, st.st_mode))
        size = st.st_size
        if size > max_bytes:
            raise too_large(path, size, max_bytes)
        with open(p, "rb") as f:
            data = _read_limited(f, max_bytes)
    except OSError as e:
        raise ReadError(f"{path}: cannot read ({e.strerror or e})") from e
    except ValueError as e:  # e.g. a NUL character in the path
        if isinstance(e, ReadError):
            raise
        raise ReadError(f"{path!r}: invalid path ({e})") from e
    if len(data) > max_bytes:  # a device or FIFO whose size stat() does not know
        raise too_large(path, None, max_bytes)
    return read_bytes(data, path, max_bytes, **opts)


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "a special file"


def special_file_error(path: str, mode: int) -> str:
    """The one-line error for a FIFO, socket or device given as an input (skipped, never opened)."""
    return f"{path}: {_special_kind(mode)}, not a regular file; skipped (pipe text in with '-' instead)"


def special_file(path: str) -> ReadError | None:
    """A ReadError when ``path`` is a FIFO, socket or device (which must not be opened), else None."""
    if path == "-":
        return None
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None  # missing or unreadable: the reader reports it in its own words
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return ReadError(special_file_error(path, mode))


def expand_paths(paths: list[str]) -> Iterator[str | ReadError]:
    """Expand directories to the text files below them; pass files and '-' through.

    Parameters
    ----------
    paths : list[str]
        Files, directories or ``-``.

    Yields
    ------
    str or ReadError
        File paths given (a FIFO, socket or device among them is a ReadError
        instead), and each directory's regular .txt/.md/.html/.htm/.pdf/.docx files,
        sorted, found recursively without following symbolic links to folders
        (so a link loop is never walked) and skipping hidden (dot) files and
        folders. A ReadError (yielded, not raised, so a batch can report it
        and go on) for a directory with no such files or one that cannot be
        listed, for each FIFO, socket or device found (never opened, so a
        batch cannot block on one), and for each text-named link that cannot
        be followed (a loop or a dangling link).
    """
    for path in paths:
        if path == "-" or not os.path.isdir(path):
            yield special_file(path) or path  # a FIFO, socket or device is reported, never opened
            continue
        errors: list[OSError] = []
        files: list[str] = []
        special: list[ReadError] = []
        for root, dirs, names in os.walk(path, onerror=errors.append):  # never follows symbolic links to folders
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for n in names:
                if n.startswith("."):
                    continue
                full = os.path.join(root, n)
                try:
                    mode = os.stat(full).st_mode  # follows a link to a file; a link loop raises ELOOP
                except OSError as e:
                    if _suffix(n) in TEXT_SUFFIXES:
                        special.append(ReadError(f"{full}: cannot read ({e.strerror or e})"))
                    continue
                if stat.S_ISREG(mode):
                    if _suffix(n) in TEXT_SUFFIXES:
                        files.append(full)
                elif not stat.S_ISDIR(mode):  # FIFO, socket or device: reported, never opened
                    special.append(ReadError(special_file_error(full, mode)))
        for e in errors:
            yield ReadError(f"{e.filename or path}: cannot list directory ({e.strerror or e})")
        yield from sorted(special, key=str)
        if not files and not errors and not special:
            yield ReadError(f"{path}: directory has no {'/'.join(TEXT_SUFFIXES)} files")
        yield from sorted(files)
