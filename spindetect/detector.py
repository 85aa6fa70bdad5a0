"""The scoring path: Article -> sentences -> features -> sentence scores -> document score.

``Detector`` holds one loaded model and one embedder and scores many
documents with the embedder batched across them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np

from . import artifacts, features, modeldir
from .classifier import sigmoid
from .embed import Embedder
from .normalize import obfuscation_counts, obfuscation_hits
from .segment import paragraphs, segment
from .signals import context, docmodel
from .types import Article, DocumentScore, Hit, Reason, Sentence, SentenceScore, Word
from .version import __version__

LABEL_SPUN, LABEL_ORIGINAL = "spun", "original"
#: A text with no words (only emoji, punctuation, numbers, or one endless "word"): score 0.0, no verdict.
LABEL_UNSCORABLE = "unscorable"
#: A whitespace-separated token longer than this is not a word (the longest English ones have 45 letters).
MAX_WORD_CHARS = 45
#: Below this many sentences a document score is flagged as unreliable: the
#: threshold was chosen on held-out articles of at least this length (train.MIN_DOC_SENTENCES).
MIN_RELIABLE_SENTENCES = 3
#: Word-level evidence kept per sentence, and the least log-odds a word must add to be shown. Measured on
#: the first 60 f3 pairs (first 2,000 characters of each side): 11.8 % of human words and 18 % of rewritten
#: words add >= 0.3 (0.1: 33 % / 45 %; 0.5: 4.8 % / 9 %). Weak evidence per word, hence few words.
WORDS_PER_SENTENCE = 3
WORD_MIN_LOGODDS = 0.3
#: A sentence at or above this score with no artifact gets a ``char_style`` reason naming its most
#: machine-like words, so that a flagged sentence is never left without a reason (0.5: "as likely
#: rewritten as not"); only a sentence with no word pushing it up at all would be.
STYLE_REASON_MIN_SCORE = 0.5
#: Documents scored together by ``Detector.score_stream``: the embedder (sentence models) and the language
#: model see all their sentences in one call, and output still streams. Which documents share a batch does
#: not change any score (embed_onnx.WIDTH_STEP, classifier._rowwise).
BATCH_DOCS = 16


def _with_lm_surprise(hits, norms, tokens) -> list[list[Hit]]:
    """Each sentence's hits plus an ``lm_surprise`` hit per word the language model found very surprising."""
    from .surprisal import surprising_words

    return [
        list(hs) + [Hit("lm_surprise", f"'{n[a:b]}' surprised the language model ({v:.0f} nats)", a, b)
                    for a, b, v in surprising_words(n, t)]
        for hs, n, t in zip(hits, norms, tokens)
    ]


def _with_context_misfits(hits, norms, measured) -> list[list[Hit]]:
    """Each sentence's hits plus a ``context_misfit`` hit per rare word that does not fit its context (fast mode;
    ``measured``: the document's ``context.measure``, whose context runs across sentences)."""
    out = [list(hs) for hs in hits]
    starts = np.cumsum([0] + [len(n) + 1 for n in norms])  # offsets of the sentences in " ".join(norms)
    for a, b, f in context.misfits(measured):
        k = int(np.searchsorted(starts, a, side="right")) - 1
        a, b = a - starts[k], b - starts[k]
        out[k].append(Hit("context_misfit", f"'{norms[k][a:b]}' does not fit its context (fit {f:+.2f})", int(a), int(b)))
    return out


def _lm_words(norm: str, tokens, to_input) -> tuple[Word, ...]:
    """Accurate mode's ``words``: the sentence's most surprising words to the language model (score: nats)."""
    from .surprisal import WORD_NATS, surprising_words

    found = sorted(surprising_words(norm, tokens, min_nats=WORD_NATS), key=lambda t: (-t[2], t[0]))
    return tuple(Word(*to_input(a, b), round(v, 4)) for a, b, v in sorted(found[:WORDS_PER_SENTENCE]))


def _span_map(s: Sentence):
    """``to_input(a, b) -> (start, end, text)``: a span of ``s.norm`` as offsets into the article text.

    Normalisation may change lengths; its position map is computed once per sentence.
    """
    from .normalize import normalize_with_map

    norm, pos = normalize_with_map(s.text)

    def to_input(a: int, b: int) -> tuple[int, int, str]:
        a = min(a, len(norm) - 1) if norm else 0
        b = max(min(b, len(norm)), a + 1)
        start, end = s.start + pos[a], s.start + pos[b - 1] + 1
        return start, end, s.text[start - s.start : end - s.start]

    return to_input


def check_features(model: modeldir.Model) -> None:
    """Raise ``ModelError`` when a sentence model's feature list differs from what this version builds.

    (A document model's list is checked when its arrays load.) The one check
    both ``Detector.load`` and the Dask front end run.
    """
    if model.document is not None:
        return
    try:
        dim = int(model.manifest["embedder"]["dim"])
    except (KeyError, TypeError, ValueError) as e:
        raise modeldir.ModelError(f"{model.path}: damaged manifest ({type(e).__name__}: {e})") from e
    built = features.feature_names(dim, lm=features.uses_lm(model.feature_names))
    if built != model.feature_names:
        raise modeldir.ModelError(
            f"{model.path}: model was trained with {len(model.feature_names)} features "
            f"that differ from the {len(built)} this spindetect {__version__} builds; retrain it with 'spindetect train'"
        )


def _has_word(norm: str) -> bool:
    """Whether ``norm`` holds a word: a whitespace-separated token of at most MAX_WORD_CHARS with a letter."""
    return any(len(t) <= MAX_WORD_CHARS and any(c.isalpha() for c in t) for t in norm.split())


class Detector:
    """Score articles for machine rewriting.

    Use ``Detector.load()`` for the shipped model and the packaged embedder.
    """

    def __init__(self, model: modeldir.Model, embedder: Embedder, threshold: float | None = None, lm=None):
        self.model = model
        self.embedder = embedder
        #: ``surprisal.LanguageModel`` for a model trained with LM columns (accurate mode), else None.
        self.lm = lm
        self.threshold = model.threshold if threshold is None else float(threshold)
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1, got {self.threshold}")
        self._artifact_weights = self._reason_weights()
        #: The stack's weight on the character-style log-odds (document model), for words and char_style reasons.
        self._char_weight = model.document.input_weights()["char"] if model.document is not None else 0.0

    @classmethod
    def load(
        cls,
        model_dir: str | Path | None = None,
        embedder_dir: str | Path | None = None,
        threshold: float | None = None,
    ) -> "Detector":
        """Load a model directory (default: the shipped one) and its embedder.

        A model trained with language-model columns (the accurate mode) also
        loads the language model (``surprisal.LanguageModel``).

        Raises
        ------
        modeldir.ModelError
            The model directory is missing, damaged or built for other features.
        surprisal.LanguageModelUnavailable
            The model needs the language model and it is not installed or prepared.
        """
        model = modeldir.load(Path(model_dir) if model_dir else None)
        embedder = Embedder(embedder_dir)
        if model.document is not None:
            lm = None
            if model.document.uses_lm:
                from .surprisal import LanguageModel

                lm = LanguageModel()
            return cls(model, embedder, threshold, lm)
        check_features(model)
        needs_lm = features.uses_lm(model.feature_names)
        lm = None
        if needs_lm:
            from .surprisal import LanguageModel

            lm = LanguageModel()
        return cls(model, embedder, threshold, lm)

    @property
    def needs_embedder(self) -> bool:
        """Whether scoring runs the sentence embedder (a sentence model) or not (a document model)."""
        return self.model.document is None

    @property
    def model_info(self) -> dict:
        return {"name": self.model.name, "version": self.model.version}

    def _reason_weights(self) -> dict[str, float]:
        if self.model.document is not None:
            w = self.model.document.input_weights()
            out = {n.split(":", 1)[1]: v for n, v in w.items() if n.startswith(("strong:", "rate:"))}
            if "lm2:q90_nll" in w:  # what a reported surprising word feeds
                out["lm_surprise"] = w["lm2:q90_nll"]
            return out
        w = self.model.classifier.input_weights()
        if w is None:
            return {}
        names = self.model.feature_names
        out = {n.split(":", 1)[1]: float(w[k]) for k, n in enumerate(names) if n.startswith("artifact:")}
        if "lm:max_surprisal" in names:  # what a reported surprising word feeds
            out["lm_surprise"] = float(w[names.index("lm:max_surprisal")])
        return out

    def score(self, text: str, path: str = "-") -> DocumentScore:
        """Score one text; see ``score_articles``."""
        return self.score_articles([Article(path=path, text=text)])[0]

    def score_articles(self, articles: Sequence[Article]) -> list[DocumentScore]:
        """Score articles with one embedder call (and one LM pass) over all their sentences."""
        segmented = [segment(a.text) for a in articles]
        if self.model.document is not None:
            return [self._score_document(a, sents) for a, sents in zip(articles, segmented)]
        flat = [s.norm for sents in segmented for s in sents]
        emb = self.embedder.encode(flat)
        tokens = self.lm.score(flat) if self.lm is not None else None
        out, k = [], 0
        for article, sents in zip(articles, segmented):
            part = tokens[k : k + len(sents)] if tokens is not None else None
            out.append(self._score_one(article, sents, emb[k : k + len(sents)], part))
            k += len(sents)
        return out

    def score_batches(
        self, items: Iterable, batch_docs: int = BATCH_DOCS, isolate_failures: bool = False,
    ) -> Iterator[tuple[list, list]]:
        """Score a stream in batches of ``batch_docs`` articles: the one batching loop.

        Parameters
        ----------
        items : iterable
            Articles, possibly mixed with other values (e.g. a reader's
            ``ReadError``), which pass through unscored and do not count
            towards a batch.
        batch_docs : int
            Articles scored together (``score_articles``).
        isolate_failures : bool
            When a batch raises, score its articles one by one and put the
            exception of each one that fails in its place, instead of raising.

        Yields
        ------
        (batch, results) : (list, list)
            The items of one batch in input order, and for each its
            ``DocumentScore`` (an Article), the item itself (anything else) or
            the exception it raised (``isolate_failures``).
        """
        if batch_docs < 1:
            raise ValueError(f"batch_docs must be 1 or more, got {batch_docs}")
        batch: list = []
        n_articles = 0
        for item in items:
            batch.append(item)
            n_articles += isinstance(item, Article)
            if n_articles >= batch_docs:
                yield batch, self._score_batch(batch, isolate_failures)
                batch, n_articles = [], 0
        if batch:
            yield batch, self._score_batch(batch, isolate_failures)

    def score_stream(self, articles: Iterable[Article], batch_docs: int = BATCH_DOCS) -> Iterator[DocumentScore]:
        """Score articles in batches (``score_batches``) and yield their scores in input order; lazy."""
        for _, docs in self.score_batches(articles, batch_docs):
            yield from docs

    def _score_batch(self, batch: list, isolate_failures: bool) -> list:
        arts = [a for a in batch if isinstance(a, Article)]
        scored = iter(self._score_isolated(arts) if isolate_failures else self.score_articles(arts))
        return [next(scored) if isinstance(a, Article) else a for a in batch]

    def _score_isolated(self, arts: list[Article]) -> list:
        """Scores of ``arts``; when the batch fails, one by one so that only a bad article gets its exception."""
        if not arts:
            return []
        try:
            return self.score_articles(arts)
        except Exception as e:
            if len(arts) == 1:
                return [e]
        out: list = []
        for a in arts:
            try:
                out.append(self.score_articles([a])[0])
            except Exception as e:
                out.append(e)
        return out

    def _score_document(self, article: Article, sents: list[Sentence]) -> DocumentScore:
        """The document model's path: char style + artifacts (+ LM) for the text and for each sentence."""
        dm = self.model.document
        norms = [s.norm for s in sents]
        hits = artifacts.detect(norms)
        tokens = self.lm.score(norms) if (self.lm is not None and dm.uses_lm) else None
        # the document's word fits, measured once for its statistics and (fast mode) its context_misfit reasons
        measured = context.measure(dm.vectors, norms) if dm.vectors is not None else None
        if tokens is not None:
            shown = _with_lm_surprise(hits, norms, tokens)
        else:
            shown = _with_context_misfits(hits, norms, measured) if measured is not None else hits
        notes: tuple[str, ...] = ()
        if sents:
            doc_lm = docmodel.document_lm_statistics(self.lm, norms) if tokens is not None else None
            doc_ctx = context.summary(measured) if measured is not None else None
            stack = dm.logit(dm.row(norms, hits, doc_lm, doc_ctx))
            bonuses = dm.bonuses(stack, doc_lm, doc_ctx)
            doc = dm.decide(stack, sum(bonuses.values()), hits)
            n = dm.rule.hits(hits)
            if dm.rule.fires(n):
                notes = (f"strong rule: {n} hits of {', '.join(dm.rule.codes)}; {dm.rule.min_hits} or more were found in "
                         f"{dm.rule.human_docs_firing} of {dm.rule.human_docs} human training documents",)
            for name, b in bonuses.items():
                if b > 0:
                    notes += (f"{name} expert: {docmodel.EXPERT_LOOKS[name]}; it raised "
                              f"the score from {docmodel.sigmoid(stack):.3f} (+{b:.2f} log-odds)",)
        else:
            doc = 0.0
        scored = []
        for k, (s, n, hs) in enumerate(zip(sents, norms, hits)):
            p = docmodel.sigmoid(dm.logit(dm.row([n], [hs], docmodel.lm_statistics([tokens[k]]) if tokens is not None else None)))
            to_input = _span_map(s)
            # accurate mode underlines the words the language model found most surprising (surprisal.WORD_NATS)
            words = self._words(n, to_input) if tokens is None else _lm_words(n, tokens[k], to_input)
            reasons = self._reasons(shown[k], to_input, s.text)
            if p >= STYLE_REASON_MIN_SCORE and not reasons:
                # a flagged sentence with no artifact: name its most machine-like words, even under the words' cut
                char_words = words if tokens is None else self._words(n, to_input)
                top = char_words or self._words(n, to_input, min_logodds=0.0)
                if top:
                    reasons = (self._style_reason(top),)
            scored.append(SentenceScore(index=s.index, start=s.start, end=s.end, text=s.text, score=round(p, 6),
                                        reasons=reasons, words=words))
        scored = tuple(scored)
        return self._document(article, sents, doc, scored, notes)

    def _document(self, article: Article, sents: list[Sentence], doc: float, scored: tuple,
                  notes: tuple[str, ...] = ()) -> DocumentScore:
        warnings = article.warnings
        label = LABEL_SPUN if doc >= self.threshold else LABEL_ORIGINAL
        if not any(_has_word(x.norm) for x in sents):
            label, doc = LABEL_UNSCORABLE, 0.0
            # no sentence verdicts either: a row of emoji must not show up as a 1.000 sentence
            scored = tuple(replace(x, score=0.0, reasons=(), words=()) for x in scored)
            warnings += (
                f"{article.path}: nothing to score: " + (
                    "no sentences found" if not sents else
                    f"no words (only emoji, punctuation, numbers or runs of more than {MAX_WORD_CHARS} characters)"
                ) + f"; labelled '{LABEL_UNSCORABLE}'",
            )
        elif len(sents) < MIN_RELIABLE_SENTENCES:
            warnings += (
                f"{article.path}: only {len(sents)} sentence(s); the threshold was chosen on articles of "
                f"{MIN_RELIABLE_SENTENCES}+ sentences, so this score carries little signal",
            )
        obfuscated = obfuscation_counts([x.text for x in sents])
        if obfuscated:
            parts = [f"{c} look-alike letter(s) from other scripts in {w} word(s) (homoglyph)" if code == "homoglyph"
                     else f"{c} invisible character(s) inside {w} word(s) (invisible_char)"
                     for code, (c, w) in sorted(obfuscated.items())]
            warnings += (f"{article.path}: obfuscated text, undone before scoring: {'; '.join(parts)}; "
                         "hiding words from matching like this suggests an intent to pass the text off",)
        return DocumentScore(
            path=article.path,
            score=round(doc, 6),
            label=label,
            threshold=self.threshold,
            model=self.model_info,
            n_sentences=len(sents),
            sentences=scored,
            encoding=article.encoding,
            warnings=warnings,
            id=article.id,
            notes=notes,
            paragraphs=paragraphs(article.text, sents),
        )

    def _score_one(self, article: Article, sents: list[Sentence], emb: np.ndarray, tokens=None) -> DocumentScore:
        norms = [s.norm for s in sents]
        hits = artifacts.detect(norms)
        lm = None
        if tokens is not None:
            from .surprisal import NAMES, sentence_features

            lm = np.array([sentence_features(t) for t in tokens], dtype=np.float32).reshape(len(sents), len(NAMES))
            # Reported beside the artifacts; not artifact columns (the LM columns carry the signal).
            shown = _with_lm_surprise(hits, norms, tokens)
        else:
            shown = hits
        x = features.build(emb, hits, norms, lm)
        logits = self.model.classifier.logits(x)
        probs = sigmoid(logits)
        doc = self.model.aggregator.score(logits) if len(sents) else 0.0
        scored = tuple(
            SentenceScore(
                index=s.index, start=s.start, end=s.end, text=s.text, score=round(float(p), 6),
                reasons=self._reasons(hs, _span_map(s), s.text),
            )
            for s, p, hs in zip(sents, probs, shown)
        )
        return self._document(article, sents, doc, scored)

    def _words(self, norm: str, to_input, min_logodds: float = WORD_MIN_LOGODDS) -> tuple[Word, ...]:
        """The sentence's ``WORDS_PER_SENTENCE`` words with the largest character-style push towards 'rewritten'."""
        w = self._char_weight
        if w <= 0:
            return ()
        contrib = [(a, b, c * w) for a, b, c in self.model.document.char.word_contributions(norm)
                   if c * w > 0 and c * w >= min_logodds]
        contrib.sort(key=lambda t: (-t[2], t[0]))
        out = []
        for a, b, c in sorted(contrib[:WORDS_PER_SENTENCE]):
            start, end, text = to_input(a, b)
            out.append(Word(start, end, text, round(c, 4)))
        return tuple(out)

    def _style_reason(self, words: tuple[Word, ...]) -> Reason:
        """The ``char_style`` reason of a flagged sentence: its words with the most machine-like spelling habits."""
        top = max(words, key=lambda w: w.score)
        listed = ", ".join(f"'{w.text}'" for w in sorted(words, key=lambda w: -w.score))
        return Reason("char_style", f"character n-grams typical of machine rewriting, most in {listed}", top.start, top.end,
                      round(self._char_weight, 4))

    def _reasons(self, hits: Iterable[Hit], to_input, raw: str) -> tuple[Reason, ...]:
        """Reasons with offsets into the input: ``hits`` were found on the normalised sentence; obfuscation that
        normalisation undid is found on the ``raw`` sentence (in normalised coordinates too)."""
        out = []
        for h in list(hits) + (obfuscation_hits(raw) if not raw.isascii() else []):
            start, end, _ = to_input(h.start, h.end)
            out.append(Reason(h.code, h.message, start, end, round(self._artifact_weights.get(h.code, 0.0), 4)))
        return tuple(out)
