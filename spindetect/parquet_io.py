"""Crawl-scale output: one score row per document, written to Parquet or JSONL.

(Parquet input is ``io.parquet``.) Writing turns ``DocumentScore.to_dict()`` into one flat row per document
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
from typing import Iterable

from .io.parquet import require_pyarrow
from .types import DocumentScore

#: Sentences kept per document in the ``top_sentences`` column.
DEFAULT_TOP = 5
#: Rows per Parquet row group: ~1,000 documents with 5 top sentences is a
#: few MB in memory, small enough to stream and large enough to compress.
ROW_GROUP_ROWS = 1000
OUTPUT_SUFFIXES = (".parquet", ".jsonl", ".jsonl.gz")

#: Output columns, in order (the Parquet schema is ``output_schema()``).
COLUMNS = (
    "id", "path", "score", "label", "threshold", "n_sentences", "top_sentences",
    "model_name", "model_version", "warnings", "error",
)


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


# ------------------------------------------------------------------ reading back


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
