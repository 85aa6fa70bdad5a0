"""Word labels for the replaced-word experiments (frozen_word_probe.py, replaced_word_head.py).

A word of a rewritten document is labelled 1 when it has no counterpart in the document's original (difflib
over lower-cased words: the spinner's substitutions, the LLM rewriters' new words), 0 otherwise and in every
human document, -1 where the rewrite has no original to align with (PadBen's sentence sets).
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from spindetect import train_doc, trainset  # noqa: E402

WORD = re.compile(r"\w+(?:['’]\w+)*")


def documents(data: str) -> list:
    """The training documents of `spindetect train` (default configuration)."""
    return trainset.build_documents(trainset.training_files(data), train_doc.Config())


def words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group().lower()) for m in WORD.finditer(text)]


class Labeller:
    """``labeller(doc) -> (words, labels)``; the original of a rewrite is the human document of its (dataset, group)."""

    def __init__(self, docs):
        self.originals: dict[tuple[str, str], str] = {}
        for d in docs:
            if d.label == 0 and d.family == "human":
                self.originals.setdefault((d.dataset, d.group), d.text)

    def __call__(self, d):
        w = words(d.text)
        y = np.zeros(len(w), np.float32)
        if d.label == 1:
            o = self.originals.get((d.dataset, d.group))
            if o is None:
                return w, np.full(len(w), -1, np.float32)
            sm = difflib.SequenceMatcher(None, [x[2] for x in words(o)], [x[2] for x in w], autojunk=False)
            y[:] = 1
            for _, b, n in sm.get_matching_blocks():
                y[b:b + n] = 0
        return w, y
