"""Small file helpers shared by the modules that verify what they load."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Iterator


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of a file's bytes, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class JsonLineError(ValueError):
    """A line of a JSONL stream is not a JSON object; the message names file and line."""


def json_lines(f, name: str | Path) -> Iterator[tuple[int, dict]]:
    """``(line number, object)`` for each non-blank line of a JSONL text stream."""
    for n, line in enumerate(f, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as e:
            raise JsonLineError(f"{name}:{n}: not valid JSON ({getattr(e, 'msg', e)})") from e
        if not isinstance(row, dict):
            raise JsonLineError(f"{name}:{n}: expected one JSON object per line")
        yield n, row
