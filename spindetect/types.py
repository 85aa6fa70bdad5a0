"""Small frozen dataclasses exchanged between the stages.

Data flows one way: read -> Article -> segment -> Sentence -> features ->
sentence scores -> aggregate -> DocumentScore -> render.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Article:
    """A decoded input text and where it came from."""

    path: str
    text: str
    encoding: str = "utf-8"
    warnings: tuple[str, ...] = ()
    id: str | None = None


@dataclass(frozen=True)
class Sentence:
    """One sentence: ``text == article.text[start:end]``; ``norm`` is what the model sees."""

    index: int
    start: int
    end: int
    text: str
    norm: str


@dataclass(frozen=True)
class Hit:
    """One piece of artifact evidence: ``sentence[start:end]`` is what the message is about."""

    code: str
    message: str
    start: int
    end: int


@dataclass(frozen=True)
class Reason:
    """An artifact found in a sentence; offsets point into the article text."""

    code: str
    message: str
    start: int
    end: int
    weight: float = 0.0


@dataclass(frozen=True)
class Word:
    """A suspected swapped word; offsets into the article text.

    Fast mode: a word whose character n-grams push its sentence towards 'rewritten', ``score`` its share of the
    sentence's log-odds (document-model units, > 0). Accurate mode: a word the language model found very
    surprising, ``score`` its surprisal in nats (>= ``surprisal.WORD_NATS``).
    """

    start: int
    end: int
    text: str
    score: float


@dataclass(frozen=True)
class SentenceScore:
    index: int
    start: int
    end: int
    text: str
    score: float
    reasons: tuple[Reason, ...] = ()
    words: tuple[Word, ...] = ()


@dataclass(frozen=True)
class AlignedPair:
    """One link of a document to its source: the document's sentence(s), the source's, and the word diff."""

    sentence: int
    sentences: tuple[int, ...]
    source_sentence: str
    source_index: tuple[int, ...]
    similarity: float
    kind: str
    diff: tuple[dict, ...]

    def to_dict(self) -> dict:
        return {
            "sentence": self.sentence, "sentences": list(self.sentences), "source_sentence": self.source_sentence,
            "source_index": list(self.source_index), "similarity": self.similarity, "kind": self.kind,
            "diff": [dict(op) for op in self.diff],
        }


@dataclass(frozen=True)
class SourceEvidence:
    """A candidate source of a document and the pair verdict (``spindetect.pairscore``)."""

    path: str
    similarity: float
    coverage: float
    derived: bool
    threshold: float
    evidence: dict
    pairs: tuple[AlignedPair, ...]

    def to_dict(self) -> dict:
        return {
            "path": self.path, "similarity": self.similarity, "coverage": self.coverage, "derived": self.derived,
            "threshold": self.threshold, "evidence": dict(self.evidence), "pairs": [p.to_dict() for p in self.pairs],
        }


@dataclass(frozen=True)
class Reference:
    """Reference mode's search: how many documents were searched and the source found (None: none)."""

    searched: int
    source: SourceEvidence | None
    #: With no source: the closest document searched, ``{"path", "similarity"}``, if any shared a sentence's topic.
    nearest: dict | None = None

    def to_dict(self) -> dict:
        d = {"searched": self.searched, "source": self.source.to_dict() if self.source else None}
        if self.nearest is not None:
            d["nearest"] = dict(self.nearest)
        return d


@dataclass(frozen=True)
class Verdict:
    """The document's final label and which evidence decided it: ``by`` "source" (the pair) or "text" (the score)."""

    label: str
    by: str
    why: str


@dataclass(frozen=True)
class DocumentScore:
    path: str
    score: float
    label: str
    threshold: float
    model: dict
    n_sentences: int
    sentences: tuple[SentenceScore, ...]
    encoding: str = "utf-8"
    warnings: tuple[str, ...] = ()
    id: str | None = None
    #: Document-level evidence beside the sentences' (e.g. the strong rule firing).
    notes: tuple[str, ...] = ()
    #: The input's paragraphs as half-open ranges of sentence indexes (``segment.paragraphs``).
    paragraphs: tuple[tuple[int, int], ...] = ()
    #: Reference mode only (``score --against/--index``): the source search and the verdict it gives.
    reference: Reference | None = None
    verdict: Verdict | None = None

    def to_dict(self) -> dict:
        """Plain JSON-ready dict (the single source for every output format)."""
        d = asdict(self)
        d["sentences"] = [
            {**s, "reasons": [dict(r) for r in s["reasons"]], "words": [dict(w) for w in s["words"]]} for s in d["sentences"]
        ]
        d["warnings"] = list(self.warnings)
        d["notes"] = list(self.notes)
        d["paragraphs"] = [list(p) for p in self.paragraphs]
        del d["reference"], d["verdict"]
        if self.reference is not None:  # keys only in reference mode: plain scoring output is unchanged
            d["reference"] = self.reference.to_dict()
            d["verdict"] = asdict(self.verdict) if self.verdict is not None else None
        return d
