"""Machine-rewrite artifact detectors: small pure functions over sentence text.

Each detector looks at one sentence (with the whole document's sentences as
context) and returns ``Hit`` objects with a stable code, a short message and
a span local to the sentence text. ``feature_matrix`` turns hits into the
fixed-order count features the classifier uses; ``CODES`` is that order and is
recorded in the model manifest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np


@dataclass(frozen=True)
class Hit:
    code: str
    message: str
    start: int
    end: int


_OPEN_Q = "\"\u201c\u201e"
_ATTRIB_VERBS = r"(?:said|says|added|told|quoted|explained|noted|stated|wrote|according)"

# A quote mark directly followed by an upper-case attribution clause that ends
# the sentence: '... private "The Russian news agency Tass quoted him as saying.'
_QUOTE_THEN_ATTRIBUTION = re.compile(
    r"[\"\u201c\u201d]\s*(?=[A-Z][^\"\u201c\u201d]{0,80}\b" + _ATTRIB_VERBS + r"\b[^\"\u201c\u201d]*[.!?]?$)"
)
# Text glued to an opening quote with no punctuation before it: 'live "The leaders'
_GLUED_QUOTE = re.compile(r"[a-z0-9]\s+[\"\u201c](?=[A-Z])")


def _quote_placement(sentence: str, context: Sequence[str], i: int) -> list[Hit]:
    hits = []
    for m in _QUOTE_THEN_ATTRIBUTION.finditer(sentence):
        # a real closing quote is preceded by punctuation: ', "' or '." '
        before = sentence[: m.start()].rstrip()
        if before and before[-1] not in ",.!?:;":
            hits.append(Hit("quote_attribution", "quote mark opens on the attribution", m.start(), m.end() + 1))
    for m in _GLUED_QUOTE.finditer(sentence):
        hits.append(Hit("quote_glued", "quotation glued to the clause before it without punctuation", m.start() + 1, m.end() + 1))
    n_straight = sentence.count('"')
    n_open, n_close = sentence.count("\u201c"), sentence.count("\u201d")
    if n_straight % 2 or (n_open + n_close and n_open != n_close):
        k = max(sentence.rfind('"'), sentence.rfind("\u201c"), sentence.rfind("\u201d"))
        hits.append(Hit("quote_unbalanced", "unbalanced quotation marks", max(k, 0), max(k, 0) + 1))
    return hits


def _lowercase_start(sentence: str, context: Sequence[str], i: int) -> list[Hit]:
    m = re.match(r"\s*([a-z][a-z]*)", sentence)
    if m and not re.match(r"\s*(?:e\.g|i\.e|iphone|ipad|ebay|x)\b", sentence, re.I):
        return [Hit("lowercase_start", "sentence starts in lower case", m.start(1), m.end(1))]
    return []


Detector = Callable[[str, Sequence[str], int], list[Hit]]

#: (code, description) for every code a detector can emit, in feature order.
CODES: tuple[tuple[str, str], ...] = (
    ("quote_attribution", "a quote mark opens on the attribution ('... private \"The agency quoted him')"),
    ("quote_glued", "a quotation glued to the preceding clause with no punctuation"),
    ("quote_unbalanced", "unbalanced or mismatched quotation marks"),
    ("lowercase_start", "a sentence that starts in lower case"),
)
DETECTORS: tuple[Detector, ...] = (_quote_placement, _lowercase_start)
CODE_INDEX = {c: k for k, (c, _) in enumerate(CODES)}


def detect(sentences: Sequence[str]) -> list[list[Hit]]:
    """Run every detector on every sentence; one list of hits per sentence."""
    out = []
    for i, s in enumerate(sentences):
        hits: list[Hit] = []
        for det in DETECTORS:
            hits.extend(det(s, sentences, i))
        out.append(hits)
    return out


def feature_matrix(hits: Sequence[Sequence[Hit]]) -> np.ndarray:
    """Count features: ``(len(hits), len(CODES))`` float32, each count capped at 3."""
    x = np.zeros((len(hits), len(CODES)), dtype=np.float32)
    for i, hs in enumerate(hits):
        for h in hs:
            x[i, CODE_INDEX[h.code]] += 1
    return np.minimum(x, 3.0)


def feature_names() -> list[str]:
    return [f"artifact:{c}" for c, _ in CODES]
