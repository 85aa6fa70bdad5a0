"""Small frozen dataclasses exchanged between the stages.

Data flows one way: read -> Article -> segment -> Sentence -> features ->
sentence scores -> aggregate -> DocumentScore -> render.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


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
class Reason:
    """An artifact found in a sentence; offsets point into the article text."""

    code: str
    message: str
    start: int
    end: int
    weight: float = 0.0


@dataclass(frozen=True)
class Word:
    """A word whose character n-grams push its sentence towards 'rewritten'; offsets into the article text.

    ``score`` is the word's share of the sentence's log-odds (document-model units, > 0).
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

    def to_dict(self) -> dict:
        """Plain JSON-ready dict (the single source for every output format)."""
        d = asdict(self)
        d["sentences"] = [
            {**s, "reasons": [dict(r) for r in s["reasons"]], "words": [dict(w) for w in s["words"]]} for s in d["sentences"]
        ]
        d["warnings"] = list(self.warnings)
        d["notes"] = list(self.notes)
        d["paragraphs"] = [list(p) for p in self.paragraphs]
        return d


@dataclass(frozen=True)
class ModelInfo:
    name: str
    version: str
    extra: dict = field(default_factory=dict)
