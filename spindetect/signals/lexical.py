"""Word rarity, punctuation and rhythm of a whole document: length-free statistics.

Synonym spinners make words rarer (lower wordfreq zipf) and break idioms;
LLM rewriters make them more common and smoother, use fewer dashes,
semicolons and parentheses and more commas, and write sentences of even
length. Each statistic is a rate or a share, never a raw length (the shared
data's two sides differ in length). The combiner learns which direction
means what for which rewriter; :func:`features` only measures.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from ..artifacts import _zipf  # one shared, cached wordfreq table

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
#: Characters counted per word, each its own rate.
_MARKS = {
    "comma": ",",
    "semicolon": ";",
    "colon": ":",
    "paren": "(",
    "quote": '"',
    "apostrophe": "'",
    "exclaim": "!",
    "question": "?",
}
_DASH = re.compile(r"\s[-\u2013\u2014]\s|\u2014|\u2013|--")
_HYPHEN = re.compile(r"[A-Za-z]-[A-Za-z]")
_SPACED_HYPHEN = re.compile(r"\w -\w|\w- \w")
#: Window for the type-token ratio, so that it does not fall with document length.
TTR_WINDOW = 50

NAMES = tuple(
    ["lex:mean_zipf", "lex:std_zipf", "lex:share_zipf_0", "lex:share_zipf_lt2_5", "lex:share_zipf_lt3",
     "lex:share_zipf_lt4", "lex:share_zipf_ge6", "lex:content_zipf_q10", "lex:mean_word_len",
     "lex:share_long_words", "lex:ttr50", "lex:share_capitalised"]
    + [f"lex:{k}_per_word" for k in _MARKS]
    + ["lex:dash_per_word", "lex:hyphen_per_word", "lex:spaced_hyphen_per_word", "lex:digit_per_word",
       "lex:mean_sentence_words", "lex:cv_sentence_words", "lex:share_sentences_lt8"]
)


def features(sentences: Sequence[str]) -> np.ndarray:
    """The ``NAMES`` statistics of one document's normalised sentences (zeros when it has no words)."""
    text = " ".join(sentences)
    words = _WORD.findall(text)
    if not words:
        return np.zeros(len(NAMES), dtype=np.float32)
    n = len(words)
    lower = [w.lower() for w in words]
    z = np.array([_zipf(w) for w in lower])
    content = z[(z < 6.0)]
    lens = np.array([len(w) for w in words])
    windows = [lower[k : k + TTR_WINDOW] for k in range(0, max(1, n - TTR_WINDOW + 1), TTR_WINDOW)]
    ttr = float(np.mean([len(set(w)) / len(w) for w in windows]))
    sent_words = np.array([len(_WORD.findall(s)) for s in sentences], dtype=np.float64)
    sent_words = sent_words[sent_words > 0]
    mean_sw = float(sent_words.mean()) if len(sent_words) else 0.0
    cv_sw = float(sent_words.std() / mean_sw) if mean_sw > 0 else 0.0
    row = [
        float(z.mean()), float(z.std()), float((z == 0).mean()), float((z < 2.5).mean()), float((z < 3.0).mean()),
        float((z < 4.0).mean()), float((z >= 6.0).mean()),
        float(np.quantile(content, 0.1)) if len(content) else 0.0,
        float(lens.mean()), float((lens >= 9).mean()), ttr,
        sum(1 for w in words[1:] if w[0].isupper()) / n,
    ]
    row += [text.count(ch) / n for ch in _MARKS.values()]
    row += [
        len(_DASH.findall(text)) / n, len(_HYPHEN.findall(text)) / n, len(_SPACED_HYPHEN.findall(text)) / n,
        sum(c.isdigit() for c in text) / n,
        mean_sw, cv_sw, float((sent_words < 8).mean()) if len(sent_words) else 0.0,
    ]
    return np.array(row, dtype=np.float32)
