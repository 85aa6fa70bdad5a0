"""Read inputs (files, directories, stdin) into Articles.

Every problem is a ``ReadError`` whose message names the input and the reason,
so the CLI can report it on one line and go on with the rest of a batch.
"""

from __future__ import annotations

import codecs
import sys
from pathlib import Path
from typing import Iterator

from .types import Article

TEXT_SUFFIXES = (".txt", ".md")
#: Larger inputs are refused: ~10 MB is ~100k sentences, minutes of scoring.
MAX_BYTES = 10 * 1024 * 1024


class ReadError(ValueError):
    """An input could not be turned into text; the message names it and why."""


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    ctrl = sum(1 for b in head if b < 9 or 13 < b < 32)
    return bool(head) and ctrl / len(head) > 0.05


def decode(data: bytes, name: str) -> tuple[str, str, tuple[str, ...]]:
    """Decode bytes; return (text, encoding, warnings). Raises ReadError for binary data."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig", ()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16", ()
    if _looks_binary(data):
        raise ReadError(f"{name}: binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8", ()
    except UnicodeDecodeError as e:
        first_bad = e.start
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding not in ("utf_8", "utf-8"):
        enc = best.encoding
        return str(best), enc, (f"{name}: not valid UTF-8 (byte {first_bad}); decoded as {enc}",)
    return (
        data.decode("utf-8", errors="replace"),
        "utf-8",
        (f"{name}: invalid UTF-8 at byte {first_bad}; undecodable bytes replaced with U+FFFD",),
    )


def read_bytes(data: bytes, name: str, max_bytes: int = MAX_BYTES) -> Article:
    """Turn raw bytes into an Article, or raise ReadError naming ``name``."""
    if len(data) > max_bytes:
        raise ReadError(
            f"{name}: too large ({len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.1f} MB, "
            "raise it with --max-bytes or split the file)"
        )
    text, encoding, warnings = decode(data, name)
    if not text.strip():
        raise ReadError(f"{name}: empty file (no text to score)")
    return Article(path=name, text=text, encoding=encoding, warnings=warnings)


def read_path(path: str, max_bytes: int = MAX_BYTES) -> Article:
    """Read one file, or stdin for ``-``."""
    if path == "-":
        return read_bytes(sys.stdin.buffer.read(), "-", max_bytes)
    p = Path(path)
    if not p.exists():
        raise ReadError(f"{path}: no such file or directory")
    if p.is_dir():
        raise ReadError(f"{path}: is a directory")
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise ReadError(
                f"{path}: too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.1f} MB, "
                "raise it with --max-bytes or split the file)"
            )
        data = p.read_bytes()
    except OSError as e:
        raise ReadError(f"{path}: cannot read ({e.strerror or e})") from e
    return read_bytes(data, path, max_bytes)


def expand_paths(paths: list[str]) -> Iterator[str | ReadError]:
    """Expand directories to their .txt/.md files (sorted); pass files and '-' through.

    Yields a ReadError (instead of raising) for a directory with no text files,
    so a batch can report it and go on.
    """
    for path in paths:
        p = Path(path)
        if path != "-" and p.is_dir():
            files = sorted(
                f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES
            )
            if not files:
                yield ReadError(f"{path}: directory has no {'/'.join(TEXT_SUFFIXES)} files")
            for f in files:
                yield str(f)
        else:
            yield path
