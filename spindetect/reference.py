"""Reference mode of ``spindetect score``: trace each scored document to a source, then give one verdict.

``--against FILE`` names the one candidate source; ``--index DIR`` searches an
index of originals (``spindetect.index``) and measures the rewrite evidence
of its best few candidates. Whether a document derives from a source is
``spindetect.pairscore``'s rule (the one ``compare`` uses): wording carried
over in order, not topic. When a source is found the verdict rests on it;
when none is, the single-text score stands and the verdict says how many
documents were searched.

The stage runs after scoring: ``Tracer.attach(articles, docs)`` returns the
documents with ``reference`` and ``verdict`` set. It segments each article as
the detector did, so sentence indices agree with the document's ``sentences``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Sequence

import numpy as np

from .align import LINK_THRESHOLD, Alignment, align, word_count
from .compare import diff_words
from .pairscore import DERIVED_THRESHOLD, is_derived, pair_features, pair_score
from .segment import segment
from .types import AlignedPair, Article, DocumentScore, Reference, SourceEvidence, Verdict

if TYPE_CHECKING:  # pragma: no cover
    from .embed import Embedder
    from .index import SourceIndex

#: Label of a document that derives from a source while its own text does not
#: read as machine-rewritten (a person's rewrite, or a copy).
LABEL_DERIVED = "derived"
#: Candidates of the index's topic search (``SourceIndex.find``) whose rewrite evidence is measured.
INDEX_CANDIDATES = 5


def source_evidence(
    path: str,
    alignment: Alignment,
    suspect: Sequence[str],
    source: Sequence[str],
    suspect_words: Sequence[int],
    threshold: float = DERIVED_THRESHOLD,
) -> SourceEvidence:
    """The pair verdict of one suspect against one source, with its aligned sentences and word diffs.

    Parameters
    ----------
    path : str
        Path or id of the source.
    alignment : Alignment
        ``align`` of the suspect's sentences to the source's.
    suspect, source : sequence of str
        Sentence texts of each side.
    suspect_words : sequence of int
        Word count of each suspect sentence.
    threshold : float
        Pair score at or above which the suspect derives from the source.

    Returns
    -------
    SourceEvidence
    """
    f = pair_features(alignment, suspect, source, suspect_words)
    score = pair_score(f)
    pairs = []
    for link in alignment.links:
        src = " ".join(source[j] for j in link.original)
        pairs.append(AlignedPair(
            sentence=link.suspect[0], sentences=link.suspect, source_sentence=src, source_index=link.original,
            similarity=round(float(link.similarity), 4), kind=link.kind,
            diff=tuple(diff_words(src, " ".join(suspect[i] for i in link.suspect))),
        ))
    return SourceEvidence(
        path=path, similarity=round(score, 4), coverage=round(alignment.sentence_share, 4),
        derived=is_derived(score, threshold), threshold=threshold, evidence=f.to_dict(), pairs=tuple(pairs),
    )


def _text_part(doc: DocumentScore) -> str:
    if doc.label == "unscorable":
        return "its text has no words to score"
    op = ">=" if doc.score >= doc.threshold else "<"
    return f"its single-text score {doc.score:.2f} {op} {doc.threshold:.2f} labels it {doc.label}"


def _evidence_part(s: SourceEvidence) -> str:
    e = s.evidence
    op = ">=" if s.derived else "<"
    return (f"{round(100 * s.coverage)} % of its sentences align to it, carrying over {round(100 * e['carried'])} % "
            f"of its wording in order (pair score {s.similarity:.2f} {op} {s.threshold:.2f})")


def verdict(doc: DocumentScore, ref: Reference) -> Verdict:
    """The document's verdict: the pair's when a source was found, else the single-text label.

    A derived document keeps the label ``spun`` when its text also reads as
    machine-rewritten, else it is labelled ``derived`` (the source is the
    evidence; who rewrote it is not known).
    """
    s = ref.source
    if s is not None and s.derived:
        if doc.label == "spun":
            return Verdict("spun", "source", f"derives from {s.path}: {_evidence_part(s)}; {_text_part(doc)} too")
        return Verdict(LABEL_DERIVED, "source",
                       f"derives from {s.path}: {_evidence_part(s)}; {_text_part(doc)}, so a person may have rewritten it")
    if s is not None:
        return Verdict(doc.label, "text", f"does not derive from {s.path}: {_evidence_part(s)}; {_text_part(doc)}")
    docs = "document" if ref.searched == 1 else "documents"
    near = ""
    if ref.nearest is not None:
        near = (f" (the nearest, {ref.nearest['path']}, shares topic, not wording: "
                f"pair score {ref.nearest['similarity']:.2f} < {ref.nearest['threshold']:.2f})")
    return Verdict(doc.label, "text", f"no source found in {ref.searched} {docs}{near}; {_text_part(doc)}")


class Tracer:
    """Reference mode over many documents: an embedder and either one source or an index.

    Parameters
    ----------
    embedder : Embedder
        Sentence embedder (the index's, for ``index``).
    against : Article, optional
        The one candidate source (``--against``).
    index : SourceIndex, optional
        An index of originals (``--index``). Give exactly one of the two.
    threshold : float
        Pair score at or above which a document derives from a source.

    Raises
    ------
    ValueError
        Neither or both of ``against`` and ``index``; a threshold outside [0, 1].
    """

    def __init__(self, embedder: "Embedder", against: Article | None = None, index: "SourceIndex | None" = None,
                 threshold: float = DERIVED_THRESHOLD, min_similarity: float = LINK_THRESHOLD):
        if (against is None) == (index is None):
            raise ValueError("give exactly one of against (a source text) and index (a source index)")
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1, got {threshold}")
        self.embedder = embedder
        self.against = against
        self.index = index
        self.threshold = threshold
        self.min_similarity = min_similarity
        self._source = None  # (sentence texts, word counts, embeddings) of ``against``, encoded once

    def _against(self):
        if self._source is None:
            sents = segment(self.against.text)
            self._source = ([s.text for s in sents], [word_count(s.text) for s in sents],
                            self.embedder.encode([s.norm for s in sents]))
        return self._source

    def trace(self, sentences: Sequence[str], emb: np.ndarray) -> Reference:
        """The source search of one document, from its sentence texts and their unit embeddings."""
        words = [word_count(t) for t in sentences]
        if self.against is not None:
            texts, src_words, src_emb = self._against()
            al = align(emb, src_emb, words, src_words, min_similarity=self.min_similarity)
            return Reference(1, source_evidence(self.against.path, al, sentences, texts, words, self.threshold))
        matches = self.index.find(emb, words, top=INDEX_CANDIDATES, min_similarity=self.min_similarity)
        found = [source_evidence(m.source, m.alignment, sentences, m.sentences, words, self.threshold) for m in matches]
        searched = len(self.index.docs)
        if not found:
            return Reference(searched, None)
        best = max(found, key=lambda s: s.similarity)  # ties: the better topic match (find's order)
        if best.derived:
            return Reference(searched, best)
        return Reference(searched, None, {"path": best.path, "similarity": best.similarity, "threshold": self.threshold})

    def attach(self, articles: Sequence[Article], docs: Sequence[DocumentScore]) -> list[DocumentScore]:
        """``docs`` (the scores of ``articles``, in order) with ``reference`` and ``verdict`` set; one embedder call."""
        segmented = [segment(a.text) for a in articles]
        emb = self.embedder.encode([s.norm for sents in segmented for s in sents])
        out, k = [], 0
        for doc, sents in zip(docs, segmented):
            ref = self.trace([s.text for s in sents], emb[k : k + len(sents)])
            k += len(sents)
            out.append(replace(doc, reference=ref, verdict=verdict(doc, ref)))
        return out
