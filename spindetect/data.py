"""Readers for labeled training data.

Two shapes are read: the pair schema of the shared data
(``{"id", "dataset", "rewriter", "method", "domain", "original", "rewritten", ...}``,
one human original and its machine rewrite) and labeled texts
(``{"text", "label", ...}``, 1 = machine-rewritten). Files may be gzipped.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .fileutil import JsonLineError, json_lines
from .labeled import parse_label

#: Rewriter family of each (dataset, method/rewriter): the unit held out when
#: validating leave-one-family-out.
FAMILIES = {
    "paraphrase": "llm-paraphrase",
    "rewrite": "llm-paraphrase",
    "manipulate": "llm-paraphrase",
    "perturb": "llm-paraphrase",
    "reframe": "llm-paraphrase",
    "open-ended": "llm-generation",
    "polish": "llm-polish",
    "back-translation": "back-translation",
    "human-paraphrase": "human",
    "human-related": "human",
    "spin": "spinner",
}


class DataError(ValueError):
    """A data file cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class Pair:
    id: str
    dataset: str
    rewriter: str
    method: str
    domain: str
    original: str
    rewritten: str
    meta: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def family(self) -> str:
        if self.rewriter == "dipper":
            return "dipper"
        return FAMILIES.get(self.method, self.method)


@dataclass(frozen=True)
class LabeledText:
    id: str
    dataset: str
    text: str
    label: int
    rewriter: str = ""
    group: str = ""


def open_text(path: str | Path):
    path = Path(path)
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, dict]]:
    try:
        with open_text(path) as f:
            yield from json_lines(f, path)
    except JsonLineError as e:
        raise DataError(str(e)) from e
    except (OSError, EOFError, UnicodeDecodeError) as e:
        raise DataError(f"{path}: cannot read ({e})") from e


def read_training_file(path: str | Path) -> tuple[list[Pair], list[LabeledText]]:
    """Read one JSONL(.gz) file of pairs or labeled texts (the shape is taken per line)."""
    pairs: list[Pair] = []
    texts: list[LabeledText] = []
    stem = Path(path).name.split(".")[0]
    for n, row in iter_jsonl(path):
        dataset = str(row.get("dataset") or stem)
        rid = str(row.get("id", f"{dataset}-{n}"))
        if "original" in row and "rewritten" in row:
            if not isinstance(row["original"], str) or not isinstance(row["rewritten"], str):
                raise DataError(f"{path}:{n}: 'original' and 'rewritten' must be strings")
            pairs.append(
                Pair(
                    id=rid, dataset=dataset, rewriter=str(row.get("rewriter", "")), method=str(row.get("method", "")),
                    domain=str(row.get("domain", "")), original=row["original"], rewritten=row["rewritten"],
                    meta=row.get("meta") or {},
                )
            )
        elif "text" in row and "label" in row:
            try:
                label = parse_label(row["label"])  # the spellings `bench` reads ("spun", "human", ...)
            except ValueError as e:
                raise DataError(f"{path}:{n}: {e}") from None
            texts.append(
                LabeledText(
                    id=rid, dataset=dataset, text=str(row["text"]), label=int(label),
                    rewriter=str(row.get("rewriter", "")), group=str(row.get("group", "")),
                )
            )
        else:
            raise DataError(f"{path}:{n}: expected 'original'+'rewritten' (pair) or 'text'+'label' fields")
    return pairs, texts
