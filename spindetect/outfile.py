"""Output files that are written as results arrive and appear atomically.

Results stream into a temporary file beside the target (complete lines,
flushed after each document); ``commit`` renames it over the target, so an
existing output is never half-written. An existing target is only replaced
with ``force`` or extended with ``resume``.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from .fileutil import JsonLineError, json_lines


class OutputError(ValueError):
    """The output file cannot be used as asked; the message says why and what to do."""


def done_keys(path: Path, fmt: str) -> set[str]:
    """Ids (or paths) of documents already present in a jsonl or csv output."""
    keys: set[str] = set()
    if not path.is_file():
        return keys
    with open(path, encoding="utf-8", newline="") as f:
        if fmt == "jsonl":
            try:
                for _, row in json_lines(f, path):
                    keys.add(str(row.get("id") or row.get("path")))
            except JsonLineError as e:
                raise OutputError(f"cannot resume: {e}") from e
        elif fmt == "csv":
            for row in csv.DictReader(f):
                keys.add(str(row.get("id") or row.get("path")))
        else:
            raise OutputError(f"--resume works with --format jsonl or csv, not {fmt}")
    return keys


class AtomicOutput:
    """A text stream into ``<target>.partial-<pid>``, renamed onto ``target`` by ``commit``."""

    def __init__(self, target: Path, force: bool = False, resume: bool = False):
        self.target = Path(target)
        if self.target.is_dir():
            raise OutputError(f"{target}: is a directory; --out expects a file path")
        if self.target.exists() and not (force or resume):
            raise OutputError(f"{target}: exists; use --force to overwrite it or --resume {target} to continue it")
        if not self.target.parent.exists():
            raise OutputError(f"{target}: folder {self.target.parent} does not exist")
        self.tmp = self.target.with_name(f".{self.target.name}.partial-{os.getpid()}")
        self.stream = open(self.tmp, "w", encoding="utf-8", newline="")
        if resume and self.target.is_file():
            with open(self.target, encoding="utf-8", newline="") as old:
                for line in old:
                    self.stream.write(line if line.endswith("\n") else line + "\n")

    def commit(self) -> None:
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        os.replace(self.tmp, self.target)

    def discard(self) -> None:
        self.stream.close()
        self.tmp.unlink(missing_ok=True)
