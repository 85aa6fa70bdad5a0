"""Read labeled sets for benchmarking: documents with a 0/1 label (1 = spun).

Formats, chosen by extension (``.gz`` is stripped first) and, failing that,
by the first non-blank character:

- JSONL (``.jsonl``, ``.json``, ``.ndjson``), one object per line, either a
  document ``{"text", "label": 0|1, "group"?, "id"?, ...}`` or a pair in the
  schema of the shared training data
  ``{"id", "dataset", "rewriter", "method", "domain", "original", "rewritten"}``.
  A pair yields two documents: the original (label 0) and the rewrite
  (label 1, carrying ``original_text``), both with ``pair_id`` set. Pairs
  whose ``rewriter`` is ``human`` (human paraphrases, hard negatives) yield
  two unpaired originals (label 0), as in training.
- CSV (``.csv``; ``.tsv`` is tab-separated) with a header naming ``text`` and
  ``label`` columns (or ``original`` and ``rewritten`` for pairs); every other
  column becomes a group field.
- A directory holding ``original/`` (label 0) and ``spun/`` (label 1)
  folders of ``.txt`` files. Files with the same relative path on both
  sides are a pair.

Rows whose text is empty are skipped and counted, never scored. Anything
else that is wrong raises ``LabeledError`` with a one-line message naming the
file, the line and the valid choices.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

from .fileutil import JsonLineError, json_lines, sha256_file

#: Label spellings accepted in data files; 1 means spun (machine-rewritten).
LABEL_VALUES = {
    0: 0, 1: 1, "0": 0, "1": 1,  # False and True are the keys 0 and 1
    "original": 0, "human": 0, "spun": 1, "rewritten": 1,
}
_LABEL_CHOICES = "0, 1, original, human, spun, rewritten"
#: Pairs with this rewriter are human rewordings: both sides read as label 0.
HUMAN_REWRITER = "human"
#: Fields that are content or identity, never groups.
_NOT_GROUPS = {"text", "label", "id", "original", "rewritten", "meta", "cased"}
DIR_SIDES = {"original": 0, "spun": 1}
TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".json", ".ndjson")
CSV_SUFFIXES = (".csv", ".tsv")


class LabeledError(ValueError):
    """A labeled file cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class LabeledDoc:
    """One labeled document.

    ``groups`` maps a field name (``file``, ``dataset``, ``rewriter``, ``method``,
    ``domain``, ``group``, or any extra CSV/JSONL column) to its value.
    ``pair_id`` is set on both sides of a pair; ``original_text`` only on the
    rewritten side.
    """

    id: str
    text: str
    label: int
    groups: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    pair_id: str | None = None
    original_text: str | None = None


@dataclass(frozen=True)
class LabeledFile:
    """What ``read_labeled_file`` found: the documents, and what it skipped."""

    path: str
    docs: list[LabeledDoc]
    skipped_empty: int = 0
    warnings: tuple[str, ...] = ()
    sha256: str | None = None


def read_labeled(path: str | Path) -> list[LabeledDoc]:
    """Read a labeled set (JSONL, CSV, either gzipped, or a directory).

    Parameters
    ----------
    path : str or Path
        A ``.jsonl``/``.csv`` file (optionally ``.gz``) or a directory with
        ``original/`` and ``spun/`` subfolders.

    Returns
    -------
    list of LabeledDoc
        In file order; a pair's original comes right before its rewrite.
        Rows with empty text are skipped (``read_labeled_file`` counts them).

    Raises
    ------
    LabeledError
        The file is missing or unreadable, has no labels, an unknown label
        value, or no usable documents.
    """
    return read_labeled_file(path).docs


def read_labeled_file(path: str | Path) -> LabeledFile:
    """Like ``read_labeled`` but also return the skipped-row count, warnings and the file's sha256."""
    p = Path(path)
    if not p.exists():
        raise LabeledError(f"{path}: no such file or directory")
    if p.is_dir():
        return _read_dir(p)
    kind = _kind(p)
    rows = _iter_jsonl(p) if kind == "jsonl" else _iter_csv(p, delimiter="\t" if _suffix(p) == ".tsv" else ",")
    stem = p.name.split(".")[0]
    docs: list[LabeledDoc] = []
    skipped = 0
    seen: dict[str, int] = {}
    dup = 0
    human = 0
    for n, row in rows:
        new, skip = _docs_from_row(row, n, p, stem)
        skipped += skip
        human += "original" in row and str(row.get("rewriter", "")).strip().lower() == HUMAN_REWRITER
        for d in new:
            if d.id in seen:
                # Two rows with one id would merge in scores.csv; keep both, renamed.
                dup += 1
                seen[d.id] += 1
                d = LabeledDoc(f"{d.id}#{seen[d.id]}", d.text, d.label, d.groups, d.pair_id, d.original_text)
            seen.setdefault(d.id, 1)
            docs.append(d)
    warnings = []
    if skipped:
        warnings.append(f"{path}: skipped {skipped} row(s) or pair side(s) with empty text")
    if human:
        warnings.append(f"{path}: {human} pair(s) with rewriter 'human' read as originals (label 0) on both sides")
    if dup:
        warnings.append(f"{path}: {dup} duplicate id(s) renamed with a #n suffix")
    if not docs:
        raise LabeledError(f"{path}: no labeled documents (every row was empty)" if skipped else f"{path}: no labeled documents")
    return LabeledFile(str(path), docs, skipped, tuple(warnings), sha256_file(p))


def group_fields(docs: Sequence[LabeledDoc]) -> list[str]:
    """Sorted names of the group fields present on at least one document."""
    return sorted({k for d in docs for k in d.groups})


# --------------------------------------------------------------------------- files


def _suffix(p: Path) -> str:
    """The format suffix, ignoring a trailing ``.gz``."""
    name = p.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return Path(name).suffix


def _open(p: Path):
    if p.name.lower().endswith(".gz"):
        return io.TextIOWrapper(gzip.open(p, "rb"), encoding="utf-8-sig", newline="")
    return open(p, encoding="utf-8-sig", newline="")


def _kind(p: Path) -> str:
    suffix = _suffix(p)
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in CSV_SUFFIXES:
        return "csv"
    # Unknown extension: sniff the first non-blank character.
    try:
        with _open(p) as f:
            head = f.read(4096).lstrip()
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile) as e:
        raise LabeledError(f"{p}: cannot read ({_why(e)})") from e
    if head.startswith("{"):
        return "jsonl"
    first = head.splitlines()[0].lower() if head else ""
    if ("text" in first and "label" in first) or ("original" in first and "rewritten" in first):
        return "csv"
    raise LabeledError(
        f"{p}: unknown labeled-set format; expected one of: .jsonl, .json, .ndjson, .csv, .tsv "
        "(optionally .gz), or a directory with original/ and spun/ folders"
    )


def _why(e: BaseException) -> str:
    if isinstance(e, UnicodeDecodeError):
        return f"not UTF-8 text at byte {e.start}"
    if isinstance(e, (gzip.BadGzipFile, EOFError)):
        return "not a complete gzip file"
    if isinstance(e, OSError) and e.strerror:
        return e.strerror
    return str(e)


def _iter_jsonl(p: Path) -> Iterator[tuple[int, dict]]:
    try:
        with _open(p) as f:
            head = f.read(4096).lstrip()
            f.seek(0)
            if head.startswith("["):
                yield from _iter_json_array(p, f)
                return
            yield from json_lines(f, p)
    except JsonLineError as e:
        raise LabeledError(str(e)) from e
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile) as e:
        raise LabeledError(f"{p}: cannot read ({_why(e)})") from e


def _iter_json_array(p: Path, f) -> Iterator[tuple[int, dict]]:
    """A ``.json`` file holding one array of objects (numbered from 1 like lines)."""
    try:
        rows = json.load(f)
    except ValueError as e:
        raise LabeledError(f"{p}: not valid JSON ({getattr(e, 'msg', e)})") from e
    for n, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            raise LabeledError(f"{p}: item {n} of the JSON array is not an object")
        yield n, row


def _iter_csv(p: Path, delimiter: str) -> Iterator[tuple[int, dict]]:
    # News articles easily exceed csv's default 128 kB field limit.
    csv.field_size_limit(1 << 28)
    try:
        with _open(p) as f:
            reader = csv.DictReader(f, delimiter=delimiter)
            header = [h.strip() for h in (reader.fieldnames or [])]
            if not header:
                raise LabeledError(f"{p}: empty file (no header row)")
            reader.fieldnames = header
            cols = set(header)
            if not ({"original", "rewritten"} <= cols or "text" in cols):
                raise LabeledError(
                    f"{p}: no 'text' column; expected a header with text,label[,group] or original,rewritten"
                )
            if "text" in cols and "label" not in cols and not {"original", "rewritten"} <= cols:
                raise LabeledError(f"{p}: no 'label' column; expected a header with text,label[,group]")
            for row in reader:
                # DictReader puts surplus cells under the key None.
                row.pop(None, None)
                yield reader.line_num, row
    except csv.Error as e:
        raise LabeledError(f"{p}: not valid CSV ({e})") from e
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile) as e:
        raise LabeledError(f"{p}: cannot read ({_why(e)})") from e




# --------------------------------------------------------------------------- rows


def parse_label(value) -> int:
    """0 (human) or 1 (spun) from any accepted spelling (``LABEL_VALUES``); ``ValueError`` naming the choices."""
    key = value.strip().lower() if isinstance(value, str) else value
    if isinstance(key, float) and key in (0.0, 1.0):
        key = int(key)
    try:
        return LABEL_VALUES[key]
    except (KeyError, TypeError):
        raise ValueError(f"unknown label {value!r}; expected one of: {_LABEL_CHOICES}") from None


def _label(value, p: Path, n: int) -> int:
    try:
        return parse_label(value)
    except ValueError as e:
        raise LabeledError(f"{p}:{n}: {e}") from None


def _text(value, p: Path, n: int, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise LabeledError(f"{p}:{n}: '{name}' must be a string, got {type(value).__name__}")
    return value


def _groups(row: dict, file_name: str) -> dict[str, str]:
    out = {"file": file_name}
    for k, v in row.items():
        if k in _NOT_GROUPS or not isinstance(k, str) or isinstance(v, (dict, list)) or v is None:
            continue
        v = str(v).strip()
        if v:
            out[k] = v
    return out


def _docs_from_row(row: dict, n: int, p: Path, stem: str) -> tuple[list[LabeledDoc], int]:
    """The documents one row yields, and how many sides were skipped as empty."""
    rid = str(row.get("id") or f"{stem}:{n}")
    groups = _groups(row, p.name)
    if "original" in row and "rewritten" in row:
        orig = _text(row["original"], p, n, "original")
        rew = _text(row["rewritten"], p, n, "rewritten")
        has_o, has_r = bool(orig.strip()), bool(rew.strip())
        # A human paraphrase is not spun: both sides are originals (label 0),
        # as in training (spindetect.train), and they are no machine pair.
        human = str(row.get("rewriter", "")).strip().lower() == HUMAN_REWRITER
        # A pair with one empty side is no pair: keep the other side unpaired.
        pair = rid if has_o and has_r and not human else None
        docs = []
        if has_o:
            docs.append(LabeledDoc(f"{rid}/original", orig, 0, groups, pair, None))
        if has_r:
            docs.append(LabeledDoc(f"{rid}/rewritten", rew, 0 if human else 1, dict(groups), pair, orig if pair else None))
        return docs, (not has_o) + (not has_r)
    if "text" not in row:
        raise LabeledError(
            f"{p}:{n}: no 'text' field; expected 'text'+'label' (document) or 'original'+'rewritten' (pair)"
        )
    if "label" not in row or row["label"] is None or (isinstance(row["label"], str) and not row["label"].strip()):
        raise LabeledError(f"{p}:{n}: no label; every document needs 'label' (one of: {_LABEL_CHOICES})")
    label = _label(row["label"], p, n)
    text = _text(row["text"], p, n, "text")
    if not text.strip():
        return [], 1
    return [LabeledDoc(rid, text, label, groups, None, None)], 0


# --------------------------------------------------------------------------- directories


def _read_dir(p: Path) -> LabeledFile:
    from .errors import ReadError
    from .io.files import read_path

    sides = {name: p / name for name in DIR_SIDES if (p / name).is_dir()}
    if len(sides) < len(DIR_SIDES):
        missing = ", ".join(f"{k}/" for k in DIR_SIDES if k not in sides)
        raise LabeledError(f"{p}: directory lacks {missing}; a labeled directory holds original/ (label 0) and spun/ (label 1)")
    files = {
        name: sorted(f.relative_to(d) for f in d.rglob("*") if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES)
        for name, d in sides.items()
    }
    if not any(files.values()):
        raise LabeledError(f"{p}: original/ and spun/ contain no .txt files")
    texts: dict[tuple[str, Path], str] = {}
    skipped, warnings = 0, []
    for name, rels in files.items():
        for rel in rels:
            try:
                art = read_path(str(sides[name] / rel))
            except ReadError as e:
                if "empty file" in str(e):
                    skipped += 1
                else:
                    warnings.append(f"skipped {e}")
                continue
            warnings.extend(art.warnings)
            texts[(name, rel)] = art.text
    paired = {rel for (side, rel) in texts if side == "spun"} & {rel for (side, rel) in texts if side == "original"}
    docs = []
    for (side, rel), text in texts.items():
        key = rel.with_suffix("").as_posix()
        pair = key if rel in paired else None
        groups = {"file": p.name}
        if rel.parent != Path("."):
            groups["group"] = rel.parent.as_posix()
        original = texts[("original", rel)] if pair and side == "spun" else None
        docs.append(LabeledDoc(f"{side}/{key}", text, DIR_SIDES[side], groups, pair, original))
    # Pairs next to each other (original first), then unpaired, in path order.
    docs.sort(key=lambda d: (d.pair_id is None, d.pair_id or d.id, d.label))
    if skipped:
        warnings.insert(0, f"{p}: skipped {skipped} empty file(s)")
    if not docs:
        raise LabeledError(f"{p}: no labeled documents (every file was empty or unreadable)")
    return LabeledFile(str(p), docs, skipped, tuple(warnings), None)
