"""Compare a suspect article with an original it may have been rewritten from.

Both texts are segmented and embedded; ``align`` maps each suspect sentence
to the original sentence(s) it was made from (or to none); each link carries
a word-level diff. The verdict is ``spindetect.pairscore``'s rule (rewrite
evidence: wording carried over in order), the one ``score --against/--index``
uses too. Coverage alone (share of words in sentences linked by cosine) is
topic: another paragraph of the same article reaches it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .align import LINK_THRESHOLD, Alignment, align, word_count
from .pairscore import DERIVED_NOTE, DERIVED_THRESHOLD, PairFeatures, is_derived, pair_features, pair_score
from .segment import segment
from .types import Article, Sentence

if TYPE_CHECKING:  # pragma: no cover
    from .embed import Embedder

_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Comparison:
    """The aligned pair of texts and the verdict."""

    original: Article
    suspect: Article
    original_sentences: tuple[Sentence, ...]
    suspect_sentences: tuple[Sentence, ...]
    alignment: Alignment
    threshold: float
    embedder: str
    evidence: PairFeatures

    @property
    def similarity(self) -> float:
        """The pair score (``pairscore.pair_score``): rewrite evidence, not topic."""
        return pair_score(self.evidence)

    @property
    def is_rewrite(self) -> bool:
        return is_derived(self.similarity, self.threshold)

    @property
    def verdict(self) -> str:
        a, f = self.alignment, self.evidence
        share = (
            f"{round(100 * a.sentence_share)} % of its sentences link to it, carrying over {round(100 * f.carried)} % "
            f"of its wording in order (pair score {self.similarity:.2f}, threshold {self.threshold:.2f})"
        )
        if self.is_rewrite:
            return f"{self.suspect.path} is a rewrite of {self.original.path}: {share}"
        return f"{self.suspect.path} is not a rewrite of {self.original.path}: {share}"

    def pairs(self) -> list[dict]:
        """One dict per link: indices, texts, similarity, kind and the word diff."""
        out = []
        for link in self.alignment.links:
            s_text = " ".join(self.suspect_sentences[k].text for k in link.suspect)
            o_text = " ".join(self.original_sentences[k].text for k in link.original)
            out.append(
                {
                    **link.to_dict(),
                    "suspect_text": s_text,
                    "original_text": o_text,
                    "diff": diff_words(o_text, s_text),
                }
            )
        return out

    def to_dict(self) -> dict:
        """Plain JSON-ready dict (every output format is built from it)."""
        a = self.alignment
        return {
            "original": self.original.path,
            "suspect": self.suspect.path,
            "verdict": self.verdict,
            "is_rewrite": self.is_rewrite,
            "similarity": round(self.similarity, 4),
            "evidence": self.evidence.to_dict(),
            "coverage": round(a.coverage, 4),
            "sentence_share": round(a.sentence_share, 4),
            "score": round(a.score, 4),
            "threshold": self.threshold,
            "threshold_note": DERIVED_NOTE,
            "min_similarity": a.min_similarity,
            "embedder": self.embedder,
            "n_suspect": a.n_suspect,
            "n_original": a.n_original,
            "pairs": self.pairs(),
            "inserted": [{"index": k, "text": self.suspect_sentences[k].text} for k in a.inserted],
            "dropped": [{"index": k, "text": self.original_sentences[k].text} for k in a.dropped],
        }


def diff_words(old: str, new: str) -> list[dict]:
    """Word-level diff of ``old`` -> ``new`` as ``[{"op": "equal"|"delete"|"insert", "text": str}]``.

    Words are compared case-insensitively. An ``equal`` op shows the new
    spelling in ``text`` and, when the case differs, the old one in ``old``.
    Joining the ``equal`` and ``insert`` texts with spaces gives ``new`` back
    (up to whitespace); ``equal`` (``old`` when present) and ``delete`` give ``old``.
    """
    a, b = _WORD.findall(old), _WORD.findall(new)
    sm = difflib.SequenceMatcher(None, [w.lower() for w in a], [w.lower() for w in b], autojunk=False)
    ops: list[dict] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            op = {"op": "equal", "text": " ".join(b[j1:j2])}
            if a[i1:i2] != b[j1:j2]:  # same words, other case: keep the original's spelling too
                op["old"] = " ".join(a[i1:i2])
            ops.append(op)
            continue
        if i2 > i1:
            ops.append({"op": "delete", "text": " ".join(a[i1:i2])})
        if j2 > j1:
            ops.append({"op": "insert", "text": " ".join(b[j1:j2])})
    return ops


def compare(
    original: Article,
    suspect: Article,
    embedder: "Embedder | None" = None,
    min_similarity: float = LINK_THRESHOLD,
    threshold: float = DERIVED_THRESHOLD,
) -> Comparison:
    """Align ``suspect`` to ``original`` and decide whether it is a rewrite of it.

    Parameters
    ----------
    original, suspect : Article
        The two texts.
    embedder : Embedder, optional
        Sentence embedder (the packaged MiniLM when omitted).
    min_similarity : float
        Cosine below which sentences are never linked.
    threshold : float
        Pair score at or above which the suspect is called a rewrite (``pairscore.DERIVED_THRESHOLD``).

    Returns
    -------
    Comparison

    Raises
    ------
    ValueError
        A threshold outside [0, 1].
    """
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be between 0 and 1, got {threshold}")
    if not -1.0 <= min_similarity <= 1.0:
        raise ValueError(f"min_similarity must be between -1 and 1, got {min_similarity}")
    if embedder is None:
        from .embed import Embedder

        embedder = Embedder()
    o_sents, s_sents = segment(original.text), segment(suspect.text)
    emb = embedder.encode([s.norm for s in s_sents] + [s.norm for s in o_sents])
    s_emb, o_emb = emb[: len(s_sents)], emb[len(s_sents) :]
    s_words = [word_count(s.text) for s in s_sents]
    alignment = align(s_emb, o_emb, s_words, [word_count(s.text) for s in o_sents], min_similarity=min_similarity)
    return Comparison(
        original=original,
        suspect=suspect,
        original_sentences=tuple(o_sents),
        suspect_sentences=tuple(s_sents),
        alignment=alignment,
        threshold=threshold,
        embedder=embedder.name,
        evidence=pair_features(alignment, [s.text for s in s_sents], [s.text for s in o_sents], s_words),
    )
