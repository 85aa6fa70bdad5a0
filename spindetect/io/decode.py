"""Bytes to clean text: recognise binary formats, decode (BOM, BOM-less UTF-16, UTF-8, else
cp1252 / charset-normalizer), repair mojibake (ftfy), strip control characters.

Every problem is a ``ReadError`` naming the input; charset-normalizer and ftfy
are imported only when an input needs them.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from ..errors import ReadError

#: Share of characters that are control characters, U+FFFD or unassigned code
#: points above which decoded "text" is taken to be binary data. Random bytes
#: score 0.12-0.5 however they are decoded; real text with a few stray NULs
#: scores well under 0.01.
MAX_JUNK_SHARE = 0.05
#: charset-normalizer's own default ceiling on "mess" (its ``threshold``).
MAX_MESS = 0.2
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
def binary_format(data: bytes) -> str | None:
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


def junk_share(text: str) -> float:
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
            if junk_share(text) <= MAX_JUNK_SHARE:
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
    what = binary_format(data)
    if what is not None:
        raise ReadError(f"{name}: binary file ({what}), not text")
    text, encoding, warnings = _decode_bytes(data, name)
    if junk_share(text) > MAX_JUNK_SHARE:
        raise ReadError(f"{name}: binary file (control or undecodable bytes), not text")
    text, more = clean_text(text, name)
    return text, encoding, tuple(warnings + more)
