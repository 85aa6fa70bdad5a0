"""Sentence alignment of a suspect text against an original it may derive from.

A monotone alignment with gaps is found by dynamic programming over the
cosine-similarity matrix of the two texts' sentence embeddings (the
Gale-Church / bleualign recipe with embeddings instead of lengths). Besides
1-1 links it allows a *merge* (one suspect sentence made from two original
sentences) and a *split* (two suspect sentences made from one original
sentence); every other sentence is a gap: inserted in the suspect or dropped
from the original. Rewriters also reorder, which a monotone path cannot
follow, so a second pass links each suspect sentence left over to its best
original sentence when that similarity is clearly high (kind ``moved``).

The embedding of a merged pair is the word-weighted sum of the two unit
vectors, renormalised: for a mean-pooling model this is close to embedding
the concatenated text and needs no second encoder call.

Only numpy is needed; embeddings come in as unit-length rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

#: Minimum cosine for a sentence link. Chosen by benchmarks/retrieval.py
#: (all-MiniLM-L6-v2; /work/shared/data, 20 rewrite pairs from each of llmfake,
#: sheepdog_politifact, f3, hppt, detectrl_paraphrase_nonnews, open-ended
#: generations left out; negatives: each rewrite against 10 other originals of
#: its dataset): of 0.45-0.70 in steps of 0.05, 0.55 gave the best ROC AUC of
#: document coverage, 0.993 (0.50: 0.993, 0.60: 0.984, 0.70: 0.955).
LINK_THRESHOLD = 0.55
#: A merge or split must beat the plain 1-1 link by this much to be preferred:
#: it keeps the path from absorbing an unrelated neighbour for a tiny gain.
MERGE_PENALTY = 0.05
#: Each part of a merge or split must reach this cosine on its own, and the
#: merged similarity must be at least the best single one: otherwise a short
#: unrelated neighbour (an inserted sentence) rides along with a strong link.
PART_FLOOR = 0.30
#: A non-monotone ("moved") link needs this much more than LINK_THRESHOLD,
#: because it has no neighbouring links to support it.
MOVE_MARGIN = 0.10

KINDS = ("match", "merge", "split", "moved")


@dataclass(frozen=True)
class Link:
    """Suspect sentence(s) and the original sentence(s) they were made from."""

    suspect: tuple[int, ...]
    original: tuple[int, ...]
    similarity: float
    kind: str

    def to_dict(self) -> dict:
        return {
            "suspect": list(self.suspect),
            "original": list(self.original),
            "similarity": round(float(self.similarity), 4),
            "kind": self.kind,
        }


@dataclass(frozen=True)
class Alignment:
    """The result of ``align``.

    ``coverage`` is the share of the suspect's words that lie in linked
    sentences; ``sentence_share`` the share of its sentences; ``score`` weighs
    each linked word by its link similarity (0 for unlinked words), so it ranks
    candidate sources more finely than coverage.
    """

    links: tuple[Link, ...]
    n_suspect: int
    n_original: int
    coverage: float
    sentence_share: float
    score: float
    min_similarity: float

    @property
    def inserted(self) -> list[int]:
        """Suspect sentences that derive from no original sentence."""
        used = {i for link in self.links for i in link.suspect}
        return [i for i in range(self.n_suspect) if i not in used]

    @property
    def dropped(self) -> list[int]:
        """Original sentences that no suspect sentence derives from."""
        used = {j for link in self.links for j in link.original}
        return [j for j in range(self.n_original) if j not in used]

    def to_dict(self) -> dict:
        return {
            "coverage": round(self.coverage, 4),
            "sentence_share": round(self.sentence_share, 4),
            "score": round(self.score, 4),
            "min_similarity": self.min_similarity,
            "n_suspect": self.n_suspect,
            "n_original": self.n_original,
            "links": [link.to_dict() for link in self.links],
            "inserted": self.inserted,
            "dropped": self.dropped,
        }


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.where(n == 0, 1.0, n)


def _pair_sums(emb: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Unit embeddings of each adjacent pair (k, k+1), weighted by word count."""
    if len(emb) < 2:
        return np.zeros((0, emb.shape[1]), dtype=np.float32)
    w = words.astype(np.float32)[:, None]
    return _unit(emb[:-1] * w[:-1] + emb[1:] * w[1:]).astype(np.float32)


def _matrix(x: np.ndarray, name: str) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 1 and x.size == 0:
        return x.reshape(0, 0)
    if x.ndim != 2:
        raise ValueError(f"{name} embeddings must be a 2-d array, got shape {x.shape}")
    return x


def _joinable(joined: float, part_a: float, part_b: float, tau: float) -> bool:
    """Whether a merge/split link is allowed (see PART_FLOOR)."""
    return joined >= tau and min(part_a, part_b) >= PART_FLOOR and joined >= max(part_a, part_b)


def align(
    suspect: np.ndarray,
    original: np.ndarray,
    suspect_words: Sequence[int] | None = None,
    original_words: Sequence[int] | None = None,
    min_similarity: float = LINK_THRESHOLD,
    moves: bool = True,
) -> Alignment:
    """Align suspect sentences to the original sentences they derive from.

    Parameters
    ----------
    suspect, original : ndarray of shape (n, dim) and (m, dim)
        Unit-length sentence embeddings, in text order.
    suspect_words, original_words : sequence of int, optional
        Word count per sentence: weights for merged embeddings and coverage
        (every sentence counts 1 when omitted).
    min_similarity : float
        Cosine below which two sentences are never linked.
    moves : bool
        Link leftover suspect sentences out of order (kind ``moved``) when
        their best similarity reaches ``min_similarity + MOVE_MARGIN``.

    Returns
    -------
    Alignment
        Links in suspect order. Empty inputs give no links and coverage 0.

    Raises
    ------
    ValueError
        Shapes or word counts do not match.
    """
    suspect, original = _matrix(suspect, "suspect"), _matrix(original, "original")
    n, m = len(suspect), len(original)
    if n and m and suspect.shape[1] != original.shape[1]:
        raise ValueError(f"embedding sizes differ: suspect {suspect.shape[1]}, original {original.shape[1]}")
    ws = np.ones(n) if suspect_words is None else np.asarray(suspect_words, dtype=float)
    wo = np.ones(m) if original_words is None else np.asarray(original_words, dtype=float)
    if len(ws) != n or len(wo) != m:
        raise ValueError("one word count per sentence is needed")
    ws, wo = np.maximum(ws, 1), np.maximum(wo, 1)
    if n == 0 or m == 0:
        return Alignment((), n, m, 0.0, 0.0, 0.0, min_similarity)

    tau = min_similarity
    sim = suspect @ original.T  # (n, m)
    merged = suspect @ _pair_sums(original, wo).T  # (n, m-1): s_i vs o_j + o_j+1
    split = _pair_sums(suspect, ws) @ original.T  # (n-1, m): s_i + s_i+1 vs o_j

    # best[i, j]: best gain aligning the first i suspect and first j original sentences.
    neg = -np.inf
    best = np.full((n + 1, m + 1), neg)
    back = np.zeros((n + 1, m + 1), dtype=np.int8)  # 0 start, 1 ins, 2 drop, 3 match, 4 merge, 5 split
    best[0, :] = 0.0
    best[:, 0] = 0.0
    back[1:, 0] = 1
    back[0, 1:] = 2
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            g, b = best[i - 1, j], 1
            if best[i, j - 1] > g:
                g, b = best[i, j - 1], 2
            s = sim[i - 1, j - 1]
            if s >= tau and best[i - 1, j - 1] + s - tau > g:
                g, b = best[i - 1, j - 1] + s - tau, 3
            if j >= 2 and _joinable(merged[i - 1, j - 2], sim[i - 1, j - 2], sim[i - 1, j - 1], tau):
                v = best[i - 1, j - 2] + merged[i - 1, j - 2] - tau - MERGE_PENALTY
                if v > g:
                    g, b = v, 4
            if i >= 2 and _joinable(split[i - 2, j - 1], sim[i - 2, j - 1], sim[i - 1, j - 1], tau):
                v = best[i - 2, j - 1] + 2 * (split[i - 2, j - 1] - tau) - MERGE_PENALTY
                if v > g:
                    g, b = v, 5
            best[i, j], back[i, j] = g, b

    links: list[Link] = []
    i, j = n, m
    while i > 0 or j > 0:
        b = back[i, j]
        if b == 1:
            i -= 1
        elif b == 2:
            j -= 1
        elif b == 3:
            links.append(Link((i - 1,), (j - 1,), float(sim[i - 1, j - 1]), "match"))
            i, j = i - 1, j - 1
        elif b == 4:
            links.append(Link((i - 1,), (j - 2, j - 1), float(merged[i - 1, j - 2]), "merge"))
            i, j = i - 1, j - 2
        elif b == 5:
            links.append(Link((i - 2, i - 1), (j - 1,), float(split[i - 2, j - 1]), "split"))
            i, j = i - 2, j - 1
        else:  # pragma: no cover - the table is fully filled
            break

    if moves:
        used = {k for link in links for k in link.suspect}
        for k in range(n):
            if k in used:
                continue
            jj = int(np.argmax(sim[k]))
            if sim[k, jj] >= tau + MOVE_MARGIN:
                links.append(Link((k,), (jj,), float(sim[k, jj]), "moved"))
    links.sort(key=lambda link: link.suspect)

    linked_words = 0.0
    weighted = 0.0
    n_linked = 0
    for link in links:
        w = float(sum(ws[k] for k in link.suspect))
        linked_words += w
        weighted += w * link.similarity
        n_linked += len(link.suspect)
    total = float(ws.sum())
    return Alignment(
        links=tuple(links),
        n_suspect=n,
        n_original=m,
        coverage=linked_words / total,
        sentence_share=n_linked / n,
        score=weighted / total,
        min_similarity=min_similarity,
    )


def word_count(text: str) -> int:
    """Whitespace-separated words (at least 1, so weights never vanish)."""
    return max(1, len(text.split()))
