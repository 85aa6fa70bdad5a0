"""Lexical profile of a sentence: how common its words are, and how it is punctuated.

Synonym spinners swap in rarer words; LLM paraphrasers and polishers favour
common, smooth vocabulary and longer words; back-translation flattens
punctuation. These are cheap, pure, length-free measurements (raw sentence
length is left out on purpose: the shared data's sides differ in length, and
the model must not learn that).
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from .artifacts import _zipf  # one shared, cached wordfreq table

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")

NAMES = (
    "style:mean_zipf",
    "style:share_zipf_lt3",
    "style:share_zipf_lt4",
    "style:share_function_words",
    "style:mean_word_length",
    "style:commas_per_word",
    "style:share_capitalised",
    "style:has_digit",
)


def profile(sentence: str) -> list[float]:
    """The ``NAMES`` measurements of one normalised sentence (zeros when it has no words)."""
    words = _WORD.findall(sentence)
    if not words:
        return [0.0] * len(NAMES)
    z = np.array([_zipf(w.lower()) for w in words])
    n = len(words)
    return [
        float(z.mean()),
        float((z < 3.0).mean()),
        float((z < 4.0).mean()),
        float((z >= 6.0).mean()),
        float(np.mean([len(w) for w in words])),
        sentence.count(",") / n,
        sum(1 for w in words[1:] if w[0].isupper()) / n,
        float(any(c.isdigit() for c in sentence)),
    ]


def feature_matrix(sentences: Sequence[str]) -> np.ndarray:
    """``(len(sentences), len(NAMES))`` float32."""
    if not sentences:
        return np.zeros((0, len(NAMES)), dtype=np.float32)
    return np.array([profile(s) for s in sentences], dtype=np.float32)
