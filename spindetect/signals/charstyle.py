"""Character n-gram style: how a text is typed, not what it says.

LLM rewriters drop dashes and semicolons and add commas and stock
connectives; back-translation leaves spaced hyphens and odd casing; spinners
leave rare word shapes. A linear model over hashed ``char_wb`` 2-4-grams
(each whitespace token padded with one space, as scikit-learn's ``char_wb``
analyser does) catches these habits.

A second view of each word is its *distorted* form (Stamatatos' text
distortion, 2013): the letters of every word outside the ``KEEP_WORDS`` most
frequent English words masked as ``*`` and digits as ``#`` ("Peskov added," ->
"****** *****,"; "and the" stays). Its n-grams, hashed apart from the plain
ones, keep function words, punctuation and word lengths (style) and drop
what the content words say (topic and domain), so they transfer better to
rewriters and domains never seen (benchmarks/README.md, "Text distortion").
With the distorted view come word 2-3-grams of the distorted tokens (kept
words, ``*`` for any other word, ``#`` for a number, punctuation marks as
they are, ``<s>``/``</s>`` at the text's ends): "said * , *" or "which is
*", the syntax a rewriter leans on, across words. A model with a part-of-speech
tagger (:mod:`.postag`, the accurate model) also counts them with each masked
word's tag ("said *NN , *VBD"), hashed apart again.

Features are hashed with CRC-32 into ``2**BITS`` buckets, so the model is two
float arrays (idf and weights), a bias, the kept words (and the tagger's arrays): nothing to
unpickle, and scoring needs neither scikit-learn nor scipy. Term frequencies
are sublinear (``1 + log tf``), multiplied by idf and L2-normalised per text.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np

from .postag import ARRAYS as POS_ARRAYS, Tagger

BITS = 20
N_FEATURES = 1 << BITS
_MASK = N_FEATURES - 1
NGRAM_RANGE = (2, 4)
_TOKEN = re.compile(r"\S+")


#: Words up to this long keep their n-gram buckets in a cache (natural text repeats its words; a very long
#: "word" is rare and would only fill the cache).
CACHED_WORD_CHARS = 64
#: How many of the most frequent English words (wordfreq) a distorted word keeps unmasked.
KEEP_WORDS = 300
#: CRC-32 start value of the distorted n-grams (the plain ones start at 0), so the two views hash apart.
DISTORTED_SEED = 0x5EED
_LETTERS = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_DIGIT = re.compile(r"\d")
#: Word n-gram lengths over distorted tokens, and their CRC-32 start value.
WORD_NGRAM_RANGE = (2, 3)
WORD_NGRAM_SEED = 0xABCD
#: CRC-32 start value of the word n-grams of the tagged tokens (a model with a part-of-speech tagger: postag.py).
POS_NGRAM_SEED = 0x9051
_WORD_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\d+|[^\w\s]")


def keep_words(n: int = KEEP_WORDS) -> frozenset[str]:
    """The ``n`` most frequent English words of wordfreq (training only: a model stores the words it was fitted with)."""
    import wordfreq

    return frozenset(wordfreq.top_n_list("en", n))


def distort(word: str, keep: frozenset[str]) -> str:
    """A lower-cased token with the letters of each word outside ``keep`` masked as ``*`` and its digits as ``#``."""
    return _DIGIT.sub("#", _LETTERS.sub(lambda m: m.group(0) if m.group(0) in keep else "*" * len(m.group(0)), word))


def ngram_counts(text: str, keep: frozenset[str] | None = None, tagger: Tagger | None = None) -> Counter:
    """Hashed ``char_wb`` n-gram counts of the lower-cased text: ``{bucket: count}``; given ``keep``, each word's
    distorted n-grams and the word n-grams of the distorted tokens as well (:func:`distort`, :func:`word_ngrams`),
    and given a ``tagger`` those of the tagged tokens too.

    Each distinct word's n-grams are hashed once and counted times its
    frequency, so a run-on of one repeated word costs one word's hashing (and
    each distinct word n-gram is hashed once). The buckets keep the order in
    which the text first reaches them.
    """
    words = text.lower().split()
    out = _char_counts(words, keep)
    if keep is not None and words:
        lo, hi = WORD_NGRAM_RANGE
        for seed, view in _word_views(words, keep, tagger):
            seq = [t for t, _ in view]
            for n in range(lo, hi + 1):
                for gram, k in Counter(zip(*(seq[j:] for j in range(n)))).items():
                    out[_word_ngram_bucket(gram, seed)] += k
    return out


def word_ngrams(words: Sequence[str], keep: frozenset[str], tagger: Tagger | None = None):
    """``(bucket, first, last)`` of each word 2-3-gram of the distorted tokens of lower-cased whitespace tokens
    ``words``, in order, then (given a ``tagger``) of the tagged ones; ``first`` and ``last`` index the tokens of
    ``words`` it spans (none for no words)."""
    if not words:
        return
    lo, hi = WORD_NGRAM_RANGE
    for seed, seq in _word_views(words, keep, tagger):
        for n in range(lo, hi + 1):
            for k in range(len(seq) - n + 1):
                part = seq[k : k + n]
                yield _word_ngram_bucket(tuple(t for t, _ in part), seed), part[0][1], part[-1][1]


def _word_views(words: Sequence[str], keep: frozenset[str],
                tagger: Tagger | None) -> list[tuple[int, list[tuple[str, int]]]]:
    """``(hash seed, [(token, index of its word)])`` of each view the word n-grams read, tokens between ``<s>`` and
    ``</s>``: the distorted tokens (a word outside ``keep`` as ``*``) and, given a ``tagger``, the tagged ones (that
    word as ``*`` and its part of speech, ``*NN``; the tagger reads the text's tokens as one run)."""
    shapes: dict[str, tuple[tuple[str, str], ...]] = {}
    tokens = []
    for i, w in enumerate(words):
        sh = shapes.get(w)
        if sh is None:
            sh = shapes[w] = tuple((t, _shape(t, keep)) for t in _WORD_TOKEN.findall(w))
        tokens.extend((t, s, i) for t, s in sh)
    ends = [("<s>", 0)], [("</s>", len(words) - 1)]
    views = [(WORD_NGRAM_SEED, ends[0] + [(s, i) for _, s, i in tokens] + ends[1])]
    if tagger is not None:
        tags = tagger.tag([t for t, _, _ in tokens])
        views.append((POS_NGRAM_SEED, ends[0] + [("*" + g if s == "*" else s, i)
                                                 for (_, s, i), g in zip(tokens, tags)] + ends[1]))
    return views


@lru_cache(maxsize=1 << 16)
def _word_ngram_bucket(gram: tuple[str, ...], seed: int) -> int:
    return zlib.crc32(" ".join(gram).encode("utf-8"), seed) & _MASK


def _shape(token: str, keep: frozenset[str]) -> str:
    if token[0].isdigit():
        return "#"
    if token[0].isalpha():
        return token if token in keep else "*"
    return token


def _char_counts(words: Sequence[str], keep: frozenset[str] | None) -> Counter:
    out: Counter = Counter()
    for word, k in Counter(words).items():
        cached = len(word) <= CACHED_WORD_CHARS
        for g in (_cached_word_grams(word) if cached else _word_grams(word)):
            out[g] += k
        if keep is not None:
            for g in (_cached_distorted_grams(word, keep) if cached else _distorted_grams(word, keep)):
                out[g] += k
    return out


def _word_grams(word: str, seed: int = 0) -> tuple[int, ...]:
    """The hashed ``char_wb`` n-grams of one lower-cased word, in order, repeats kept (each distinct one hashed once:
    a long run of one pattern, or a distorted word's ``****``, costs little)."""
    lo, hi = NGRAM_RANGE
    out = []
    crc = zlib.crc32
    hashed: dict[str, int] = {}
    w = f" {word} "
    n_w = len(w)
    for n in range(lo, hi + 1):
        for k in range(max(1, n_w - n + 1)):  # a padded word shorter than n counts once, whole
            g = w[k : k + n]
            h = hashed.get(g)
            if h is None:
                h = hashed[g] = crc(g.encode("utf-8"), seed) & _MASK
            out.append(h)
        if n_w <= n:  # as scikit-learn: no longer n-grams of a word that fitted in this one
            break
    return tuple(out)


def _distorted_grams(word: str, keep: frozenset[str]) -> tuple[int, ...]:
    return _word_grams(distort(word, keep), DISTORTED_SEED)


_cached_word_grams = lru_cache(maxsize=1 << 16)(_word_grams)
_cached_distorted_grams = lru_cache(maxsize=1 << 16)(_distorted_grams)


def _vector(counts: Counter, idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices and L2-normalised sublinear tf-idf values of one text."""
    if not counts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float64, count=len(counts))
    val = tf * idf[idx]
    norm = math.sqrt(float(val @ val))
    return idx, (val / norm if norm > 0 else val)


def count_matrix(texts: Sequence[str], keep: frozenset[str] | None = None, tagger: Tagger | None = None):
    """Raw hashed n-gram counts (:func:`ngram_counts`) as a ``scipy.sparse.csr_matrix`` (training only; scoring never
    imports scipy)."""
    from scipy.sparse import csr_matrix

    indptr, indices, data = [0], [], []
    for t in texts:
        c = ngram_counts(t, keep, tagger)
        indices.append(np.fromiter(c.keys(), dtype=np.int64, count=len(c)))
        data.append(np.fromiter(c.values(), dtype=np.float64, count=len(c)))
        indptr.append(indptr[-1] + len(c))
    ind = np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64)
    dat = np.concatenate(data) if data else np.zeros(0)
    return csr_matrix((dat, ind, np.array(indptr)), shape=(len(texts), N_FEATURES))


def idf_from_counts(counts) -> np.ndarray:
    """Smoothed idf ``log((1 + n) / (1 + df)) + 1`` over hashed buckets (scikit-learn's formula)."""
    df = np.bincount(counts.indices, minlength=N_FEATURES).astype(np.float64)
    return np.log((1.0 + counts.shape[0]) / (1.0 + df)) + 1.0


def tfidf(counts, idf: np.ndarray):
    """Sublinear tf times idf, L2-normalised per row: the same numbers :func:`_vector` gives one text."""
    x = counts.copy()
    x.data = (1.0 + np.log(x.data)) * idf[x.indices]
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    x.data /= np.repeat(norms, np.diff(x.indptr))
    return x


@dataclass(frozen=True)
class CharStyle:
    """A fitted style model: ``logit(text) = w . tfidf(text) + b``; with ``keep``, over both views of each word, and
    with a ``tagger`` over the tagged word n-grams too."""

    idf: np.ndarray
    weights: np.ndarray
    bias: float
    #: The words a distorted word keeps (:func:`distort`); None: plain n-grams only (models saved before distortion).
    keep: frozenset[str] | None = None
    #: The part-of-speech tagger of the tagged word n-grams (postag.py; needs ``keep``), or None: none read.
    tagger: Tagger | None = None

    def __post_init__(self):
        if self.tagger is not None and self.keep is None:
            raise ValueError("a character model with a part-of-speech tagger needs the distorted view's kept words")

    def logit(self, text: str) -> float:
        """Log-odds that the text was machine-rewritten, by its character style alone (bias for no n-grams)."""
        idx, val = _vector(ngram_counts(text, self.keep, self.tagger), self.idf)
        return float(val @ self.weights[idx]) + self.bias

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        return np.array([self.logit(t) for t in texts], dtype=np.float64)

    def ngram_weights(self, text: str) -> dict[int, float]:
        """Each hashed n-gram's contribution to ``logit(text)`` (for explanations)."""
        idx, val = _vector(ngram_counts(text, self.keep, self.tagger), self.idf)
        return {int(i): float(v * self.weights[i]) for i, v in zip(idx, val)}

    def word_contributions(self, text: str) -> list[tuple[int, int, float]]:
        """``(start, end, log-odds)`` of every whitespace token of ``text``: its share of ``logit(text) - bias``.

        ``char_wb`` n-grams never cross a token, so the text's log-odds splits
        exactly over its tokens (an n-gram seen in several tokens is shared by
        count); a word n-gram of the distorted view is shared in equal parts by
        the tokens it spans. Offsets point into ``text``.
        """
        spans = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
        if not spans:
            return []
        tokens = Counter(text[a:b] for a, b in spans)  # each distinct token's n-grams are counted once
        per_token = {t: _char_counts([t.lower()], self.keep) for t in tokens}
        total: Counter = Counter()
        for t, k in tokens.items():
            for g, n in per_token[t].items():
                total[g] += n * k
        # a word n-gram's share goes in equal parts to the tokens it spans
        spanned = (list(word_ngrams([text[a:b].lower() for a, b in spans], self.keep, self.tagger))
                   if self.keep is not None else [])
        for g, _, _ in spanned:
            total[g] += 1
        idx, val = _vector(total, self.idf)
        contrib = {int(i): float(v * self.weights[i]) for i, v in zip(idx, val)}
        share = {t: sum(contrib[g] * n / total[g] for g, n in c.items()) for t, c in per_token.items()}
        out = [share[text[a:b]] for a, b in spans]
        for g, first, last in spanned:
            part = contrib[g] / total[g] / (last - first + 1)
            for k in range(first, last + 1):
                out[k] += part
        return [(a, b, c) for (a, b), c in zip(spans, out)]

    def arrays(self) -> dict[str, np.ndarray]:
        out = {
            "idf": self.idf.astype(np.float32),
            "weights": self.weights.astype(np.float32),
            "bias": np.array([self.bias], dtype=np.float64),
        }
        if self.keep is not None:
            out["keep"] = np.frombuffer("\n".join(sorted(self.keep)).encode("utf-8"), dtype=np.uint8).copy()
        if self.tagger is not None:
            out.update(self.tagger.arrays())
        return out

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> "CharStyle":
        for k in ("idf", "weights", "bias"):
            if k not in arrays:
                raise ValueError(f"char-style arrays need idf, weights and bias; '{k}' is missing")
        if arrays["idf"].shape != (N_FEATURES,) or arrays["weights"].shape != (N_FEATURES,):
            raise ValueError(f"char-style arrays must have {N_FEATURES} buckets")
        keep = None
        if "keep" in arrays:
            try:
                keep = frozenset(arrays["keep"].astype(np.uint8).tobytes().decode("utf-8").split("\n"))
            except UnicodeDecodeError as e:
                raise ValueError("char-style arrays: the kept words are not UTF-8 text") from e
        tagger = Tagger.from_arrays(arrays) if any(k in arrays for k in POS_ARRAYS) else None
        return cls(arrays["idf"].astype(np.float64), arrays["weights"].astype(np.float64), float(arrays["bias"][0]), keep,
                   tagger)


def agreeing(weights: np.ndarray, family_weights: Sequence[np.ndarray], share: float) -> np.ndarray:
    """``weights`` with the n-grams the families disagree on set to 0.

    ``family_weights`` are the weights of models fitted on one rewriter family each (an n-gram absent from a family's
    documents has weight 0 there and takes no part); an n-gram keeps its weight if at least ``share`` of the families
    taking part give it the same sign as ``weights``, and loses it if none takes part.
    """
    sign = np.sign(weights)
    used = np.zeros(len(weights))
    agree = np.zeros(len(weights))
    for w in family_weights:
        on = w != 0
        used += on
        agree += on & (np.sign(w) == sign)
    frac = np.divide(agree, used, out=np.zeros_like(agree), where=used > 0)
    return np.where(frac >= share, weights, 0.0)


def fit_counts(counts, labels, c: float = 4.0, sample_weight=None, seed: int = 0,
               keep: frozenset[str] | None = None, tagger: Tagger | None = None) -> CharStyle:
    """Fit idf and a logistic regression (``C=c``) on rows of :func:`count_matrix` (counted with ``keep`` and
    ``tagger``)."""
    from sklearn.linear_model import LogisticRegression

    idf = idf_from_counts(counts)
    m = LogisticRegression(C=c, max_iter=3000, solver="liblinear", random_state=seed)
    m.fit(tfidf(counts, idf), np.asarray(labels), sample_weight=sample_weight)
    return CharStyle(idf, m.coef_[0].astype(np.float64), float(m.intercept_[0]), keep, tagger)


def fit(texts: Sequence[str], labels: Sequence[int], c: float = 4.0, sample_weight=None, seed: int = 0,
        keep: frozenset[str] | None = None, tagger: Tagger | None = None) -> CharStyle:
    """Fit the style model on texts; see :func:`fit_counts`."""
    return fit_counts(count_matrix(texts, keep, tagger), labels, c, sample_weight, seed, keep, tagger)
