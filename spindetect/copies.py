"""The one rule for a *copied* sentence: a near-verbatim copy of an original sentence.

A rewritten sentence copies an original one when difflib's ``SequenceMatcher``
ratio over their lower-cased ``\\w+`` words is at least ``COPY_RATIO`` (0.9: a
word or two changed in a long sentence is still a copy). A sentence with no
words copies nothing. A lexical rule, because "copied unchanged" is a lexical
property: embedding similarity would also call a fluent paraphrase a copy.

Used for the sentence labels of training (``examples.copy_labels``), of
``spindetect bench`` (``bench.align_sentences``) and of
``benchmarks/alignment_labels.py``; they differ only in how they pick the
original sentence to compare with.
"""

from __future__ import annotations

import difflib
import re

#: Word-level difflib ratio at or above which a sentence counts as copied.
COPY_RATIO = 0.9
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The lower-cased ``\\w+`` words the rule compares."""
    return _WORD.findall(text.lower())


def copy_ratio(rewritten: str, original: str) -> float:
    """difflib ratio of the two sentences' words (0.0 when either has none)."""
    a, b = words(rewritten), words(original)
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def label(ratio: float) -> int:
    """0 (copied) when ``ratio`` reaches ``COPY_RATIO``, else 1 (changed)."""
    return 0 if ratio >= COPY_RATIO else 1
