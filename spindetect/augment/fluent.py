"""A rewriter made of rules that points the way the LLM rewriters do: training material only.

The spinner (:mod:`spindetect.augment.spin`) swaps words for thesaurus entries without regard to sense, which makes
text *more* surprising; the LLM rewriters of the shared data, and back-translation, pick the expected word and
smooth punctuation. This rewriter takes the spinner's candidates (the same thesaurus, part of speech and
re-inflection: :func:`spindetect.augment.words.word_proposals`) but chooses like them:

- a drawn word (each with probability ``rate``) is replaced only by a common substitute (zipf ≥ :data:`MIN_ZIPF`)
  whose GloVe vector is close to the word's (cosine ≥ :data:`MIN_SIMILARITY`) and that fits the content words
  around it at least about as well as the word did (:data:`FIT_SLACK`); of those, the one with the highest fit plus
  similarity. Words without a vector are left alone;
- punctuation is smoothed as the operations in ``smoothing`` say (:data:`SMOOTHING`): a spaced dash becomes a comma,
  a semicolon a full stop, a contraction its long form (each occurrence with its own probability). By default
  (:data:`DEFAULT_SMOOTHING`) dashes and semicolons only: in the shared data DIPPER *adds* contractions (13 → 16
  per 1,000 words) where back-translation and the LLMs remove them, and expanding them cost the held-out DIPPER
  family (benchmarks/README.md).

No language model runs, so a document costs milliseconds. The GloVe vectors are the context signal's
(:mod:`spindetect.signals.context`). The substitutes are still the thesaurus's, so a swap can miss the sense
("upper floors" -> "upper concrete"): the rules imitate the LLMs' direction (commoner, better-fitting words, smoother
punctuation), not their quality.

Measured, not shipped (benchmarks/README.md, "A rewriter of rules pointing the LLM way"): `spindetect train
--fluent-docs 60` lifts the held-out llm-polish family by 0.02 on two draws of the documents, but the other
families and the domains move by up to ±0.01 in opposite directions on the two draws, and on the second the
domain mean and both worst groups fall. Off by default.
"""

from __future__ import annotations

import random
import re
from typing import Sequence

import numpy as np

from ..segment import segment
from ..signals import context
from .proposals import assemble, resolve
from .thesaurus import zipf
from .words import word_proposals

#: Share of eligible words drawn for a swap.
RATE = 0.15
#: A substitute must be at least this common (wordfreq zipf) ...
MIN_ZIPF = 3.5
#: ... this close to the word it replaces (cosine of GloVe unit vectors) ...
MIN_SIMILARITY = 0.6
#: ... and fit its context no more than this much worse than the word did.
FIT_SLACK = 0.02
#: Tokens on each side of a word whose content words make its context.
WINDOW = 8
#: A rewrite with fewer swaps than this is not kept as a training document.
MIN_SWAPS = 3
#: The punctuation operations and the probability each occurrence is rewritten.
SMOOTHING = {"dash": 0.8, "semicolon": 0.7, "contraction": 0.8}
DEFAULT_SMOOTHING = ("dash", "semicolon")
_TOKEN = re.compile(r"[A-Za-z]+")
_SPACED_DASH = re.compile(r"\s+(?:--|\u2014|\u2013|-)\s+")
_CLOSED_DASH = re.compile(r"(?<=\w)\u2014(?=\w)")
_SEMICOLON = re.compile(r";\s+(\w)")
_CONTRACTIONS = (
    (re.compile(r"\b(won)'t\b", re.I), "will not"), (re.compile(r"\b(can)'t\b", re.I), "cannot"),
    (re.compile(r"\b(\w+)n't\b"), r"\1 not"), (re.compile(r"\b(it|that|there|he|she|what)'s\b", re.I), r"\1 is"),
    (re.compile(r"\b(\w+)'re\b"), r"\1 are"), (re.compile(r"\b(\w+)'ll\b"), r"\1 will"),
    (re.compile(r"\b(\w+)'ve\b"), r"\1 have"), (re.compile(r"\b(I)'m\b"), r"\1 am"),
)


def check_smoothing(names: Sequence[str]) -> tuple[str, ...]:
    bad = [n for n in names if n not in SMOOTHING]
    if bad:
        raise ValueError(f"unknown smoothing {', '.join(bad)}; expected some of: {', '.join(SMOOTHING)}")
    return tuple(names)


def smooth(text: str, r: random.Random, ops: Sequence[str] = tuple(SMOOTHING)) -> str:
    """``text`` with the punctuation operations ``ops`` applied, each occurrence drawn from ``r``."""
    def sub(pattern: re.Pattern, op: str, after, s: str) -> str:
        return pattern.sub(lambda m: after(m) if r.random() < SMOOTHING[op] else m.group(0), s)

    if "dash" in ops:
        text = sub(_SPACED_DASH, "dash", lambda m: ", ", text)
        text = sub(_CLOSED_DASH, "dash", lambda m: ", ", text)
    if "semicolon" in ops:
        text = sub(_SEMICOLON, "semicolon", lambda m: ". " + m.group(1).upper(), text)
    if "contraction" in ops:
        for pattern, long in _CONTRACTIONS:
            text = sub(pattern, "contraction", lambda m, long=long: m.expand(long), text)
    return text


class _Chooser:
    """Picks the substitute of a word at an offset of one text (module docstring), or none."""

    def __init__(self, text: str, vectors: context.ContextVectors):
        self.vectors, self.index = vectors, vectors.index
        self.tokens = [(m.start(), m.group().lower()) for m in _TOKEN.finditer(text)]
        self.at = {s: k for k, (s, _) in enumerate(self.tokens)}

    def _unit(self, word: str) -> np.ndarray | None:
        i = self.index.get(word)
        return None if i is None else self.vectors.vectors[i].astype(np.float32)

    def _context(self, k: int) -> np.ndarray | None:
        near = [w for _, w in self.tokens[max(0, k - WINDOW): k] + self.tokens[k + 1: k + 1 + WINDOW]
                if len(w) >= context.MIN_LETTERS and zipf(w) < context.CONTENT_MAX_ZIPF and w in self.index]
        if not near:
            return None
        c = self.vectors.vectors[[self.index[w] for w in near]].astype(np.float32).sum(axis=0)
        return c / (np.linalg.norm(c) + 1e-9)

    def __call__(self, start: int, word: str, substitutes: Sequence[str]) -> str | None:
        k = self.at.get(start)
        own = self._unit(word)
        ctx = self._context(k) if k is not None else None
        if own is None or ctx is None:
            return None
        best, best_score, best_fit = None, -np.inf, 0.0
        for s in substitutes:
            u = self._unit(s)
            if u is None or zipf(s) < MIN_ZIPF:
                continue
            sim, fit = float(u @ own), float(u @ ctx)
            if sim >= MIN_SIMILARITY and fit + sim > best_score:
                best, best_score, best_fit = s, fit + sim, fit
        if best is None or best_fit < float(own @ ctx) - FIT_SLACK:
            return None
        return best


def rewrite(text: str, vectors: context.ContextVectors, rate: float = RATE, seed: int = 0,
            smoothing: Sequence[str] = DEFAULT_SMOOTHING) -> tuple[str, int]:
    """``text`` rewritten (module docstring) and the number of words swapped."""
    smoothed = smooth(text, random.Random(seed), check_smoothing(smoothing))
    choose = _Chooser(smoothed, vectors)
    proposals = word_proposals(smoothed, segment(smoothed), rate, seed, ("synonym",), choose=choose)
    kept = resolve(proposals, {"synonym": 0})
    return assemble(smoothed, kept).text, len(kept)


def describe(docs: int) -> dict:
    """What a model's manifest says about its fluent rewrites."""
    return {"rules": "spindetect/augment/fluent.py", "rate": RATE, "min_zipf": MIN_ZIPF, "min_similarity": MIN_SIMILARITY,
            "fit_slack": FIT_SLACK, "smoothing": {n: SMOOTHING[n] for n in DEFAULT_SMOOTHING},
            "originals_per_dataset": docs, "note": "training side only: never in a validation test set; left out of "
            "training when the spinner is the held-out family"}
