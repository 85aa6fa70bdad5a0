"""Read inputs (files, directories, stdin, JSONL crawls) into Articles.

Every problem is a ``ReadError`` whose message names the input and the reason,
so the CLI can report it on one line and go on with the rest of a batch.
Nothing an input contains may raise anything else: hostile bytes, odd
encodings, huge lines and deeply nested HTML all end as text or a ReadError
(``tests/test_fuzz_inputs.py`` and ``benchmarks/fuzz.py`` check this).

The steps, in order: refuse oversized input -> take the text layer of a PDF
or Word file (docformats, recognised by content) -> recognise binary formats ->
decode (BOM, BOM-less UTF-16, UTF-8, else charset-normalizer) -> repair
mojibake (ftfy) -> strip control characters -> extract the article from HTML
(trafilatura) or strip Markdown markup -> refuse empty text -> warn when the
text is not English. ``Article.text`` is the final text; sentence offsets
point into it. charset-normalizer, ftfy, trafilatura and the language model
are imported only when an input needs them.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import re
import stat
import sys
import unicodedata
import zlib
from pathlib import Path
from typing import Iterator

from .errors import ReadError  # defined apart so that docformats need not import this module
from .types import Article

HTML_SUFFIXES = (".html", ".htm")
MARKDOWN_SUFFIXES = (".md", ".markdown")
#: What a directory expands to (PDF and Word files are recognised by content, see docformats).
TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
#: Larger inputs are refused: ~10 MB is ~100k sentences, minutes of scoring.
MAX_BYTES = 10 * 1024 * 1024
#: Share of characters that are control characters, U+FFFD or unassigned code
#: points above which decoded "text" is taken to be binary data. Random bytes
#: score 0.12-0.5 however they are decoded; real text with a few stray NULs
#: scores well under 0.01.
MAX_JUNK_SHARE = 0.05
#: charset-normalizer's own default ceiling on "mess" (its ``threshold``).
MAX_MESS = 0.2
#: Warn that a text is not English only when the identifier is this sure.
MIN_LANGUAGE_PROB = 0.7

# Leading bytes of formats people pass by mistake; checked before decoding so
# that a PNG is named as a PNG rather than decoded as Latin-1 noise.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive, not a Word .docx document (.odt and .epub files are ZIP archives; save as text first)"),
    (b"\x1f\x8b", "gzip-compressed data; decompress it first (JSONL crawls may be gzipped)"),
    (b"\xfd7zXZ\x00", "xz-compressed data; decompress it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Microsoft Office (OLE) document; save it as text first"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"MZ\x90\x00", "a Windows executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
# UTF-32 first: its little-endian BOM begins with the UTF-16 one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# ECMA-48 escape sequences (terminal colours from `script` or log captures).
_TERMINAL_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
# Control characters removed from text; \t \n \r stay and \f \v become newlines.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_PAGE_BREAK = re.compile(r"[\x0b\x0c]")
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.I)
_HTML_DOCUMENT = re.compile(r"<(?:html|body)\b", re.I)
_HTML_TAGS = re.compile(r"<(?:p|div|article|span|br|a\s|h[1-6]|table|section|meta|title|script)\b", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)


# ---------------------------------------------------------------- decoding


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


def _too_large(name: str, size: int | None, max_bytes: int) -> ReadError:
    what = _size(size) if size is not None else "more than the limit"
    return ReadError(
        f"{name}: too large ({what}; the limit is {_size(max_bytes)}, "
        "raise it with --max-bytes or split the file)"
    )


def _magic(data: bytes) -> str | None:
    """What binary format ``data`` starts with, if a known one."""
    for sig, what in _MAGIC:
        if data.startswith(sig):
            return what
    return None


def _sniff_utf16(data: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` for BOM-less UTF-16 of mostly Latin text, else None.

    ASCII-range text in UTF-16 has a zero in every other byte; random or
    single-byte data almost never does.
    """
    head = data[:4096]
    head = head[: len(head) // 2 * 2]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    z_even, z_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if z_odd > 0.3 and z_even < 0.05:
        return "utf-16-le"
    if z_even > 0.3 and z_odd < 0.05:
        return "utf-16-be"
    return None


def _junk_share(text: str) -> float:
    """Share of the first 8,192 characters that no text file contains."""
    head = text[:8192]
    if not head:
        return 0.0
    junk = 0
    for ch in head:
        if ch in "\t\n\r\x0b\x0c":
            continue
        if ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Cn", "Cs", "Co"):
            junk += 1
    return junk / len(head)


def _decode_bytes(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Bytes to str; returns (text, encoding, warnings) and never raises UnicodeError."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            warnings = []
            try:
                text = body.decode(enc)
            except UnicodeDecodeError as e:
                text = body.decode(enc, errors="replace")
                warnings.append(
                    f"{name}: invalid {enc.upper()} at byte {e.start + len(bom)}; "
                    "undecodable bytes replaced with U+FFFD"
                )
            return text, enc + ("-sig" if enc == "utf-8" else ""), warnings
    enc16 = _sniff_utf16(data)
    if enc16 is not None:
        try:
            text = data.decode(enc16)
        except UnicodeDecodeError:
            pass
        else:
            if _junk_share(text) <= MAX_JUNK_SHARE:
                return text, enc16, [f"{name}: no byte-order mark; decoded as {enc16.upper()}"]
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as e:
        first_bad = e.start
    # UTF-8 with some corrupt bytes (a truncated download, a bad splice) still
    # has valid multi-byte sequences; text in a legacy code page almost never
    # forms one, and random bytes form far fewer than invalid ones. Decoding
    # such text with a code page would garble every accented letter to rescue
    # a handful of bad bytes.
    n_valid = len(_UTF8_MULTIBYTE.findall(data))
    n_invalid = data.decode("utf-8", errors="replace").count("\ufffd") - data.count(b"\xef\xbf\xbd")
    if n_valid and 2 * n_valid >= n_invalid:
        return _utf8_replaced(data, name, first_bad)

    # English news in a legacy encoding is nearly always Windows-1252 (a
    # superset of Latin-1's printable characters). charset-normalizer alone
    # often calls short Western text cp1250 or cp437 (measured: "naïve" came
    # back as "naďve"), so cp1252 wins whenever it decodes cleanly; text in
    # other code pages (Cyrillic, Greek) reads as a mess in cp1252 and falls through.
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    else:
        if mess_ratio(text[:65536], MAX_MESS) < MAX_MESS:
            return text, "cp1252", [f"{name}: not valid UTF-8 (byte {first_bad}); decoded as cp1252"]
    best = from_bytes(data).best()
    if best is not None and best.encoding.replace("_", "-") != "utf-8":
        enc = best.encoding
        return str(best), enc, [f"{name}: not valid UTF-8 (byte {first_bad}); decoded as {enc}"]
    return _utf8_replaced(data, name, first_bad)


def _utf8_replaced(data: bytes, name: str, first_bad: int) -> tuple[str, str, list[str]]:
    text = data.decode("utf-8", errors="replace")
    n_bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    return text, "utf-8", [
        f"{name}: invalid UTF-8 at byte {first_bad}; {n_bad} undecodable byte sequence(s) replaced with U+FFFD"
    ]


def _ftfy_config():
    from ftfy import TextFixerConfig

    # Only the encoding repairs: quotes, ligatures, widths and line breaks are
    # left as the author wrote them (normalize.py handles what the model needs).
    return TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_encoding=True,
        restore_byte_a0=True,
        replace_lossy_sequences=True,
        decode_inconsistent_utf8=True,
        fix_c1_controls=True,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=True,
        remove_control_chars=False,
        normalization=None,
        explain=True,
    )


def repair_mojibake(text: str) -> tuple[str, list[str]]:
    """Undo double encoding ("cafÃ©" -> "café") with ftfy, line by line.

    Parameters
    ----------
    text : str
        Decoded text.

    Returns
    -------
    tuple[str, list[str]]
        The repaired text and the distinct ftfy steps applied (empty if none).

    Notes
    -----
    ASCII-only lines cannot hold mojibake and are skipped: ftfy's badness
    check costs ~1 s per MB of non-ASCII text, nothing for ASCII.
    """
    if text.isascii():
        return text, []
    from ftfy import fix_and_explain

    config = _ftfy_config()
    steps: list[str] = []
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.isascii():
            continue
        fixed, explanation = fix_and_explain(line, config)
        if fixed != line:
            lines[i] = fixed
            for step in explanation or ():
                label = step[1] if step[0] in ("encode", "decode") else f"{step[0]} {step[1]}"
                if label not in steps:
                    steps.append(label)
    return "".join(lines), steps


def clean_text(text: str, name: str) -> tuple[str, list[str]]:
    """Repair mojibake and remove control characters; return (text, warnings).

    Parameters
    ----------
    text : str
        Decoded text.
    name : str
        The input's name, used in warnings.

    Returns
    -------
    tuple[str, list[str]]
        Cleaned text and one-line warnings naming ``name``.
    """
    warnings: list[str] = []
    text, steps = repair_mojibake(text)
    if steps:
        warnings.append(f"{name}: repaired mojibake (double-encoded text; ftfy: {', '.join(steps)})")
    n_esc = 0
    if "\x1b" in text:
        text, n_esc = _TERMINAL_ESCAPE.subn("", text)
    text = _PAGE_BREAK.sub("\n", text)
    found = _CONTROL.findall(text)
    if found or n_esc:
        kinds = sorted({f"U+{ord(c):04X}" for c in found})
        shown = ", ".join(kinds[:5]) + (", ..." if len(kinds) > 5 else "")
        parts = []
        if n_esc:
            parts.append(f"{n_esc} terminal escape sequence(s)")
        if found:
            parts.append(f"{len(found)} control character(s) ({shown})")
        warnings.append(f"{name}: removed {' and '.join(parts)}")
        text = _CONTROL.sub("", text)
    return text, warnings


def decode(data: bytes, name: str) -> tuple[str, str, tuple[str, ...]]:
    """Decode bytes into clean text.

    Parameters
    ----------
    data : bytes
        The raw input.
    name : str
        The input's name, used in messages.

    Returns
    -------
    tuple[str, str, tuple[str, ...]]
        ``(text, encoding, warnings)``; ``encoding`` is a Python codec name
        (``utf-8``, ``utf-8-sig``, ``utf-16-le``, ``cp1252``, ...).

    Raises
    ------
    ReadError
        For binary data (a known file format, or too many control characters).
    """
    what = _magic(data)
    if what is not None:
        raise ReadError(f"{name}: binary file ({what}), not text")
    text, encoding, warnings = _decode_bytes(data, name)
    if _junk_share(text) > MAX_JUNK_SHARE:
        raise ReadError(f"{name}: binary file (control or undecodable bytes), not text")
    text, more = clean_text(text, name)
    return text, encoding, tuple(warnings + more)


# ---------------------------------------------------------------- HTML


def looks_like_html(text: str | bytes) -> bool:
    """True when ``text`` starts like an HTML page.

    That is: after an optional BOM, XML declaration and comments, it opens
    with a doctype, ``<html>``, ``<head>`` or ``<body>``; or it opens with a
    tag and has at least three common HTML tags in its first 4 KB. A plain
    article that merely mentions a tag does not open with one.

    Parameters
    ----------
    text : str or bytes
        The input; bytes are looked at as Latin-1 (tags are ASCII).

    Returns
    -------
    bool
    """
    head = text[:4096]
    if isinstance(head, bytes):
        head = head.decode("latin-1")
    head = head.lstrip("\ufeff\xef\xbb\xbf \t\r\n")
    if head.startswith("<?xml"):
        end = head.find("?>")
        head = head[end + 2 :].lstrip() if end >= 0 else ""
    while head.startswith("<!--"):
        end = head.find("-->")
        head = head[end + 3 :].lstrip() if end >= 0 else ""
    if _HTML_START.match(head):
        return True
    return head.startswith("<") and len(_HTML_TAGS.findall(head)) >= 3


def _html_charset(data: bytes) -> str | None:
    """The codec a ``<meta charset>`` declares, if Python knows it."""
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    try:
        name = codecs.lookup(m.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    # WHATWG: pages labelled Latin-1 or ASCII are decoded as windows-1252.
    return "cp1252" if name in ("iso8859-1", "ascii") else name


def extract_html(html: str, name: str) -> str:
    """The main article text of an HTML page, without navigation and boilerplate.

    Parameters
    ----------
    html : str
        The page, decoded.
    name : str
        The input's name, used in messages.

    Returns
    -------
    str
        Paragraphs separated by newlines (trafilatura's plain-text output).

    Raises
    ------
    ReadError
        When trafilatura finds no article text or cannot parse the page.
    """
    import trafilatura

    if not _HTML_DOCUMENT.search(html[:65536]):
        # trafilatura finds nothing in a bare fragment ("<p>...</p>"); give it a body.
        html = f"<html><body>{html}</body></html>"
    try:
        # Precision over recall: boilerplate scored as prose would be noise.
        # The default mode kept a link-less <nav>Home</nav>; favor_precision
        # drops it and still keeps one-paragraph pages. favor_recall turned
        # navigation-only pages into their menu instead of an error.
        text = trafilatura.extract(html, include_comments=False, with_metadata=False, favor_precision=True)
    except RecursionError as e:
        raise ReadError(f"{name}: HTML nested too deeply to parse") from e
    except (ValueError, TypeError, AttributeError) as e:  # lxml parse errors are ValueErrors
        raise ReadError(f"{name}: cannot parse the HTML ({type(e).__name__}: {e})".splitlines()[0]) from e
    if not text or not text.strip():
        raise ReadError(
            f"{name}: no article text found in the HTML (the page may be empty, "
            "built by JavaScript, or nested too deeply to parse)"
        )
    return text


# ---------------------------------------------------------------- Markdown

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)")
_ATX_CLOSE = re.compile(r"[ \t]+#+[ \t]*$")
_SETEXT_OR_RULE = re.compile(r"^ {0,3}(?:=+|-+|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|(?:-[ \t]*){3,})[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}(?:>[ \t]?)+")
_LIST = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?")
_REFDEF = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*\S")
_TABLE_SEP = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$|^[ \t]*\|[ \t]*:?-+:?[ \t]*\|[ \t]*$")
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
# Link text and emphasis bodies cannot contain their own delimiter, and every
# span is bounded, so a hostile line with thousands of unclosed "[" or "**"
# costs linear time (each attempt stops at the next delimiter).
_URL = r"(?:[^()\s]|\([^()\s]{0,200}\)){0,2000}(?:\s+(?:\"[^\"\n]{0,300}\"|'[^'\n]{0,300}'))?\s*"
_INLINE = (
    (re.compile(r"!\[[^\[\]\n]{0,500}\]\(" + _URL + r"\)"), ""),  # images
    (re.compile(r"!\[[^\[\]\n]{0,500}\]\[[^\[\]\n]{0,500}\]"), ""),  # reference images
    (re.compile(r"\[\^[^\[\]\n]{0,100}\]"), ""),  # footnote markers
    (re.compile(r"\[([^\[\]\n]{0,500})\]\(" + _URL + r"\)"), r"\1"),  # [text](url "title")
    (re.compile(r"\[([^\[\]\n]{1,500})\]\[[^\[\]\n]{0,500}\]"), r"\1"),  # [text][ref]
    (re.compile(r"<((?:https?|ftp|mailto):[^<>\s]{1,2000})>"), r"\1"),  # <http://...>
    (re.compile(r"</?[A-Za-z][A-Za-z0-9-]{0,30}(?:\s[^<>\n]{0,500})?/?>"), ""),  # inline HTML tags
    (re.compile(r"(`{1,3})([^`\n]{1,500}?)\1"), r"\2"),  # `code`
    (re.compile(r"(?<![\w*])\*\*(?=[^\s*])([^*\n]{1,500}?)(?<=[^\s*])\*\*(?![\w*])"), r"\1"),  # **bold**
    (re.compile(r"(?<![\w_])__(?=[^\s_])([^_\n]{1,500}?)(?<=[^\s_])__(?![\w_])"), r"\1"),  # __bold__
    (re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]{1,500}?)(?<=[^\s*])\*(?![\w*])"), r"\1"),  # *em*
    (re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]{1,500}?)(?<=[^\s_])_(?![\w_])"), r"\1"),  # _em_
    (re.compile(r"~~(?=[^\s~])([^~\n]{1,500}?)(?<=[^\s~])~~"), r"\1"),  # ~~strike~~
)
_ESCAPABLE = "\\`*_{}[]()#+-.!|>~<"
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")
# Escaped characters are parked in Supplementary Private Use Area-A while the
# inline rules run, so "\*" never opens emphasis.
_PARK_BASE = 0xF0000
_UNPARK = {_PARK_BASE + ord(c): c for c in _ESCAPABLE}


def _inline(line: str) -> str:
    line = _ESCAPE.sub(lambda m: chr(_PARK_BASE + ord(m.group(1))), line)
    for pattern, repl in _INLINE:
        line = pattern.sub(repl, line)
    return line.translate(_UNPARK)


def _table_cells(line: str) -> str:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    cells = re.split(r"(?<!\\)\|", line)
    return "\t".join(c.strip() for c in cells)


def strip_markdown(text: str) -> str:
    """Remove Markdown markup, keeping the prose (quotes, list items, headings).

    Headings, emphasis, links (kept as their text), images, footnote markers,
    code fences (with their code), front matter, reference definitions,
    rules, blockquote markers, list markers and table pipes are removed;
    table rows become tab-separated cells. Line structure is kept, so each
    heading and list item stays its own sentence.

    Parameters
    ----------
    text : str
        Markdown source.

    Returns
    -------
    str
        Plain text.
    """
    text = _HTML_COMMENT.sub("", text)
    lines = text.split("\n")
    start = 0
    if lines and lines[0].strip() == "---":  # YAML front matter
        for k in range(1, min(len(lines), 200)):
            if lines[k].strip() in ("---", "..."):
                start = k + 1
                break
    out: list[str] = []
    fence: str | None = None
    in_table = False
    for i in range(start, len(lines)):
        raw = lines[i].rstrip("\r")
        if fence is not None:
            if raw.lstrip(" ").startswith(fence):
                fence = None
            continue
        m = _FENCE.match(raw)
        if m:
            fence = m.group(1)[0] * len(m.group(1))
            continue
        if not raw.strip():
            in_table = False
            out.append("")
            continue
        if _TABLE_SEP.match(raw) and "|" in raw:
            in_table = True
            continue
        if _SETEXT_OR_RULE.match(raw) or _REFDEF.match(raw):
            continue
        line = _QUOTE.sub("", raw)
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if "|" in line and (in_table or (_TABLE_SEP.match(nxt) and "|" in nxt)):
            out.append(_inline(_table_cells(line)))
            continue
        if _ATX.match(line):
            line = _ATX_CLOSE.sub("", _ATX.sub("", line))
        else:
            line = _LIST.sub("", line)
        out.append(_inline(line))
    return "\n".join(out)


# ---------------------------------------------------------------- language


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
    from . import langid

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


def _blank(text: str) -> bool:
    """True when ``text`` has nothing but whitespace and invisible format characters (BOM, ZWSP)."""
    return all(c.isspace() or unicodedata.category(c) == "Cf" for c in text)


def _suffix(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def _finish(
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
        if _blank(text):
            raise ReadError(f"{name}: no text left after removing the Markdown markup")
    if _blank(text):
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
        raise _too_large(name, len(data), max_bytes)
    if not data.strip():
        raise ReadError(f"{name}: empty file (no text to score)")
    from . import docformats  # imports pypdf / python-docx only for such a file

    kind = docformats.sniff(data)
    if kind is not None:
        text, warnings = docformats.extract(data, name, kind)
        if _junk_share(text) > MAX_JUNK_SHARE:  # fonts without a Unicode map give control characters
            raise ReadError(f"{name}: the {kind.upper()}'s text layer is unreadable (control or unmapped "
                            "characters); run OCR on it or give its text")
        text, more = clean_text(text, name)
        return _finish(text, name, kind, warnings + more, False, check_language)
    suffix = _suffix(name)
    maybe_html = html if html is not None else suffix in HTML_SUFFIXES or looks_like_html(data)
    warnings: list[str] = []
    text = None
    declared = _html_charset(data) if maybe_html else None
    if declared is not None and _magic(data) is None:
        try:
            text = data.decode(declared)
        except UnicodeDecodeError:
            warnings.append(f"{name}: the page declares charset {declared} but is not valid {declared}; detecting")
        except (LookupError, ValueError, TypeError):  # e.g. 'base64': a codec, but not a text encoding
            pass
    if isinstance(text, str) and _junk_share(text) <= MAX_JUNK_SHARE:
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
    return _finish(text, name, encoding, warnings, bool(markdown), check_language)


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
            raise _too_large("-", None, max_bytes)
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
            raise _too_large(path, size, max_bytes)
        with open(p, "rb") as f:
            data = _read_limited(f, max_bytes)
    except OSError as e:
        raise ReadError(f"{path}: cannot read ({e.strerror or e})") from e
    except ValueError as e:  # e.g. a NUL character in the path
        if isinstance(e, ReadError):
            raise
        raise ReadError(f"{path!r}: invalid path ({e})") from e
    if len(data) > max_bytes:  # a device or FIFO whose size stat() does not know
        raise _too_large(path, None, max_bytes)
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


# ---------------------------------------------------------------- JSONL crawls


def _open_jsonl(path: str):
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


def iter_jsonl_articles(
    path: str,
    text_field: str = "text",
    id_field: str = "id",
    max_bytes: int = MAX_BYTES,
    *,
    html: bool | None = None,
    check_language: bool = True,
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
        As for :func:`read_bytes`.

    Yields
    ------
    Article or ReadError
        Articles have ``path = "<path>:<line>"``. A bad line yields a
        ReadError naming ``<path>:<line>`` and the rest continue; an
        unreadable or corrupt file yields one ReadError and stops.
    """
    try:
        f = _open_jsonl(path)
    except OSError as e:
        yield ReadError(f"{path}: cannot read ({e.strerror or e})")
        return
    except ValueError as e:
        yield ReadError(f"{path!r}: invalid path ({e})")
        return
    with f:
        n = 0
        while True:
            try:
                raw = f.readline(max_bytes + 1)
            except (OSError, EOFError, zlib.error) as e:
                yield ReadError(f"{path}: corrupt or truncated file after line {n} ({e})")
                return
            if not raw:
                return
            n += 1
            name = f"{path}:{n}"
            if len(raw) > max_bytes:
                yield _too_large(name, None, max_bytes)
                # Skip the rest of the overlong line.
                while raw and not raw.endswith(b"\n"):
                    try:
                        raw = f.readline(1 << 20)
                    except (OSError, EOFError, zlib.error) as e:
                        yield ReadError(f"{path}: corrupt or truncated file after line {n} ({e})")
                        return
                continue
            if not raw.strip():
                continue
            try:
                yield _jsonl_article(raw, name, text_field, id_field, html, check_language)
            except ReadError as e:
                yield e


def _jsonl_article(
    raw: bytes, name: str, text_field: str, id_field: str, html: bool | None, check_language: bool
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
    return record_article(text, row.get(id_field), name, text_field, id_field, html, check_language, warnings)


def record_article(
    text: str, raw_id, name: str, text_field: str, id_field: str,
    html: bool | None, check_language: bool, warnings: list[str] | None = None,
) -> Article:
    """A crawl record's text and id to an Article: the steps JSONL and Parquet records share.

    Raises ReadError naming ``name`` for a bad id, binary data or empty text.
    """
    warnings = list(warnings or [])
    if raw_id is None or isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool):
        article_id = None if raw_id is None else str(raw_id)
    else:
        raise ReadError(f"{name}: field {id_field!r} is {type(raw_id).__name__}, expected a string or number")
    # JSON escapes can smuggle in lone surrogates ("\ud800"), which no encoder accepts.
    if any("\ud800" <= c <= "\udfff" for c in text):
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        warnings.append(f"{name}: lone surrogates in {text_field!r} replaced with U+FFFD")
    if _junk_share(text) > MAX_JUNK_SHARE:
        raise ReadError(f"{name}: field {text_field!r} holds binary data (control characters), not text")
    text, more = clean_text(text, name)
    warnings += more
    if html is None:
        html = looks_like_html(text)
    if html:
        text = extract_html(text, name)
    return _finish(text, name, "utf-8", warnings, False, check_language, article_id)
