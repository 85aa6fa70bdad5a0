"""The document model: character style, artifact evidence and (accurate mode) LM surprisal, stacked.

``logit(doc) = bias + sum_f coef_f * (x_f - mean_f) / scale_f`` over the
document features :func:`features` builds:

- ``char``: the :mod:`.charstyle` log-odds of the whole text (in training,
  out-of-fold, so the stack learns how far to trust it on unseen documents);
- ``strong:<code>``: hits of the artifact codes that almost never fire on
  human text (measured per code in benchmarks/README.md), capped at
  ``STRONG_CAP`` per document -- a moved quote mark or a contradictory title
  is strong evidence by itself;
- ``rate:<code>``: hits per sentence of the weaker, common codes;
- ``lex:*``: the :mod:`.lexical` statistics (word rarity, punctuation, rhythm),
  and ``lex2:*``, each one's squared distance from the human training mean in
  human standard deviations -- two-sided evidence: a text far from human
  habits in either direction (rarer words like a spinner, commoner ones like
  an LLM) is suspicious (leave-one-family-out 0.653 without the lexical
  columns, 0.674 with the two-sided ones alone: benchmarks/README.md);
- ``lm:*`` (accurate mode): document statistics of the language model's
  token surprisal and rank, plus each one's squared distance from the human
  training mean -- two-sided, because spinners raise surprisal and LLM
  rewriters lower it;
- ``ctx:*`` (both modes since 2026-12-04): the :mod:`.context` statistics, how
  well each lower-case word's vector fits its neighbours' (a spinner's swaps
  fit worse than human words, an LLM's choices a little better), raw and
  two-sided likewise.

Experts (:class:`Expert`) sit beside the stack, each a logistic model of one
block of statistics (``EXPERT_SOURCE``: the LM's, or the context fit's; raw
z-scores against human text and their squares) fitted on one direction of
rewriting against human documents only (``EXPERT_FAMILIES``): in accurate
mode the synonym spinner (more surprising than human text) and the LLM
rewriters (less surprising), in fast mode the spinner by its words' context
fit (the ``context`` expert). Training fits those named in
``FITTED_EXPERTS``: the spinner's only, since the LLM expert was measured to
fire on encyclopedic human prose, which the language model finds as
unsurprising as an LLM's (benchmarks/README.md, "Encyclopedic prose"); a
model that has one still loads and uses it. The stack has to share one
direction of the LM columns between the two kinds, and the LLM families are
the majority: alone, the spinner expert finds the spinner in domains it never
saw with ROC AUC 0.896, the stack 0.679 (benchmarks/README.md). Each expert
*adds* to the stack's logit: ``EXPERT_WEIGHT`` stack human standard
deviations for every one of its own human standard deviations beyond
``EXPERT_OFFSET``, nothing below. Added, not maxed: text from a domain the
model never saw scores high on the stack as a whole (its human documents
too), which drowns a maximum, while a sum keeps the expert's ranking inside
that domain.

On top of both, one rule with a measured false-positive rate
(:class:`StrongRule`): a document holding at least ``min_hits`` hits of the
rule's ``codes`` (those that fired in at most ``RULE_CODE_MAX_RATE`` of human
training documents) scores at least ``score``, one minus the (add-one
smoothed) share of human training documents that reach that many hits.
``min_hits`` is the smallest count whose human rate is within
``RULE_FPR_BUDGET``. ``fit_rule`` measures all three at training time; they
are stored in the manifest.

A sentence's score is the same linear function applied to the sentence as a
one-sentence document (its own char logit, artifacts and LM statistics), so
sentence and document scores share one scale and a strong artifact raises its
sentence. The experts score documents only (a sentence's LM statistics
are too few tokens). Arrays only; nothing is unpickled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..types import Hit
from . import context, lexical
from .charstyle import CharStyle

#: Artifact codes counted as strong evidence: on the 3,027 human documents of
#: the training set (shared data + copy-edited originals) each fired in at most
#: 2 % of documents, three of them in at most 0.13 % (benchmarks/README.md,
#: `benchmarks/signals.py --codes-only`).
STRONG_CODES = ("quote_attribution", "title_conflict", "quote_glued", "doubled_word", "broken_join")
STRONG_CAP = 3
RATE_CODES = ("llm_word", "stock_phrase", "rare_word", "lowercase_start", "repeated_phrase", "quote_unbalanced")
#: A code joins the rule when it fired in at most this share of human training documents ...
RULE_CODE_MAX_RATE = 0.005
#: ... and the rule fires at the smallest hit count that at most this share of them reach.
RULE_FPR_BUDGET = 0.001
#: Each expert adds EXPERT_WEIGHT stack deviations per expert deviation above EXPERT_OFFSET (in human standard
#: deviations of each). Measured for the spinner expert on the training folds with max(stack, expert - c) for c in
#: 0-2 and this sum for weights 0.5/1/2 and offsets 0/1/2; weight 1, offset 1 raised the leave-one-family-out mean
#: most with leave-one-domain-out not lower; for the LLM expert added to that, weights 0.5/1 and offsets 0/1, the
#: same join has the best leave-one-family-out mean of those that lower no mean and no worst group
#: (benchmarks/README.md, benchmarks/spinner_expert.py).
EXPERT_WEIGHT = 1.0
EXPERT_OFFSET = 1.0
#: How an expert joins the stack (``Expert.bonus``): an added rectified term, or the larger of the two.
EXPERT_JOINS = ("sum", "max")
#: Experts joined otherwise than the sum above, as (join, weight, offset). Fast mode's context expert, on the same
#: grid (benchmarks/spinner_expert.py --fast; benchmarks/README.md, "Whether a word fits its context"): with the
#: context statistics over lower-case words, the maximum at offset 1.5 has the highest held-out family mean of the
#: joins that lower no mean and no worst group (0.688 (0.608) by family, 0.729 (0.668) by domain).
EXPERT_JOIN = {"context": ("max", 1.0, 1.5)}
#: The rewriter families each expert is fitted on (against human documents): synonym spinning makes text more
#: surprising to the language model, LLM rewriting less; the context expert is fast mode's spinner expert.
EXPERT_FAMILIES = {"spinner": ("spinner",), "llm": ("llm-paraphrase", "llm-polish", "dipper"), "context": ("spinner",)}
#: The block of statistics each expert reads: "lm" (LM_NAMES) or "ctx" (context.NAMES).
EXPERT_SOURCE = {"spinner": "lm", "llm": "lm", "context": "ctx"}
#: The experts `train_doc.fit` fits. The LLM expert raised the held-out means (leave-one-family-out 0.691 -> 0.697,
#: leave-one-domain-out 0.736 -> 0.744) but fired on 62 % of human Wikipedia documents (SmolLM2 finds them as
#: unsurprising as an LLM's rewrite) and cut the spinner on encyclopedic text from 0.676 to 0.561; dropped by a
#: rule written before the measurement (benchmarks/README.md, benchmarks/wiki_corpus.py --llm-joins).
FITTED_EXPERTS = ("spinner",)
#: Fast mode (no LM, context statistics): the context expert.
FITTED_EXPERTS_FAST = ("context",)
#: What a positive bonus says, for the score's notes.
EXPERT_LOOKS = {"spinner": "the language model's surprise looks like a synonym spinner's (more surprising than human text)",
                "llm": "the language model's surprise looks like an LLM rewriter's (less surprising than human text)",
                "context": "its words fit their context the way a synonym spinner's swaps do (worse than human text's)"}
#: With no spinner output to fit on (validation folds that hold the spinner out), the expert is zero-shot: the
#: z-score of this statistic, the share of tokens outside the LM's top 1000 (ROC AUC 0.892 on spinner output).
SPINNER_ZERO_SHOT = "rank_ge_1000"
#: Each expert's zero-shot statistic (context.ZERO_SHOT: the share of rare words fitting their context poorly);
#: an expert not named here is absent when training holds none of its families.
EXPERT_ZERO_SHOT = {"spinner": SPINNER_ZERO_SHOT, "context": context.ZERO_SHOT}
#: Language-model document statistics (accurate mode), from ``lm_statistics``.
LM_NAMES = ("mean_nll", "std_nll", "q90_nll", "median_nll", "rank_ge_10", "rank_ge_100", "rank_ge_1000",
            "top1", "mean_log1p_rank")
#: The language model reads a document's first ``LM_SENTENCES`` sentences as one
#: text, up to ``LM_DOC_TOKENS`` tokens, so every token has its context: on a
#: 1,300-document sample this raised the zero-shot ROC AUC of the mean surprisal
#: for the spinner from 0.804 (sentences scored one by one) to 0.875, and the
#: stack's held-out means by 0.04-0.05 (benchmarks/README.md).
#: ``DocumentModel.row``'s default for statistics it measures itself (None means "the text has none").
MEASURE = object()
LM_SENTENCES = 6
LM_DOC_TOKENS = 200


def lm_input(sentences: Sequence[str]) -> str:
    """The text the language model reads for a document's statistics."""
    return " ".join(sentences[:LM_SENTENCES])


def document_lm_statistics(lm, sentences: Sequence[str]) -> np.ndarray | None:
    """``LM_NAMES`` of a document (its normalised sentences) from ``surprisal.LanguageModel`` ``lm``."""
    if not sentences:
        return None
    return lm_statistics(lm.score([lm_input(sentences)], batch_size=1, max_tokens=LM_DOC_TOKENS))


def fitted_experts(lm: bool, ctx: bool) -> tuple[str, ...]:
    """The experts training fits for a model with these statistics (accurate mode's LM ones win)."""
    return FITTED_EXPERTS if lm else FITTED_EXPERTS_FAST if ctx else ()


def source_names(name: str) -> tuple[str, ...]:
    """The statistics expert ``name`` reads."""
    return LM_NAMES if EXPERT_SOURCE[name] == "lm" else context.NAMES


def feature_names(lm: bool, ctx: bool = False) -> list[str]:
    names = ["char"] + [f"strong:{c}" for c in STRONG_CODES] + [f"rate:{c}" for c in RATE_CODES]
    lex = [n.split(":", 1)[1] for n in lexical.NAMES]
    names += [f"lex:{n}" for n in lex] + [f"lex2:{n}" for n in lex]
    if lm:
        names += [f"lm:{n}" for n in LM_NAMES] + [f"lm2:{n}" for n in LM_NAMES]
    if ctx:
        names += [f"ctx:{n}" for n in context.NAMES] + [f"ctx2:{n}" for n in context.NAMES]
    return names


def lm_statistics(token_scores: Sequence) -> np.ndarray | None:
    """``LM_NAMES`` over all tokens of the given ``surprisal.TokenScores`` (None when there are none)."""
    s = np.array([x for t in token_scores for x in t.surprisal], dtype=np.float64)
    r = np.array([x for t in token_scores for x in t.rank], dtype=np.float64)
    if len(s) == 0:
        return None
    return np.array([
        s.mean(), s.std(), np.quantile(s, 0.9), np.quantile(s, 0.5),
        (r >= 10).mean(), (r >= 100).mean(), (r >= 1000).mean(), (r == 0).mean(), np.log1p(r).mean(),
    ])


def artifact_columns(hits: Sequence[Sequence[Hit]]) -> np.ndarray:
    """Strong-code counts (capped) and weak-code rates per sentence of one text's hits."""
    n = max(1, len(hits))
    counts = {}
    for hs in hits:
        for h in hs:
            counts[h.code] = counts.get(h.code, 0) + 1
    strong = [min(counts.get(c, 0), STRONG_CAP) for c in STRONG_CODES]
    rates = [counts.get(c, 0) / n for c in RATE_CODES]
    return np.array(strong + rates, dtype=np.float64)


def two_sided(x: np.ndarray, mean: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Squared distance from the human mean in human standard deviations, per column."""
    return ((x - mean) / scale) ** 2


def features(char_logit: float, hits: Sequence[Sequence[Hit]], lex: np.ndarray, lex_mean: np.ndarray,
             lex_scale: np.ndarray, lm_stats: np.ndarray | None, lm_mean: np.ndarray | None,
             lm_scale: np.ndarray | None, ctx_stats: np.ndarray | None = None, ctx_mean: np.ndarray | None = None,
             ctx_scale: np.ndarray | None = None) -> np.ndarray:
    """One document's (or sentence's) feature row in ``feature_names`` order.

    ``lm_stats`` (``ctx_stats``) None with an LM (context) model means "no
    tokens" ("too few content words"): the human mean is used (no evidence
    either way).
    """
    lex = np.asarray(lex, dtype=np.float64)
    row = [np.array([char_logit]), artifact_columns(hits), lex, two_sided(lex, lex_mean, lex_scale)]
    for stats, mean, scale in ((lm_stats, lm_mean, lm_scale), (ctx_stats, ctx_mean, ctx_scale)):
        if mean is not None:
            x = mean if stats is None else np.asarray(stats, dtype=np.float64)
            row += [x, two_sided(x, mean, scale)]
    return np.concatenate(row)


@dataclass(frozen=True)
class StrongRule:
    """``score(doc) >= rule_score`` when the document has ``min_hits`` hits of ``codes``; see the module docstring."""

    codes: tuple[str, ...] = ()
    min_hits: int = 0
    score: float = 0.0
    #: Provenance: human training documents, and how many of them reach ``min_hits``.
    human_docs: int = 0
    human_docs_firing: int = 0

    def hits(self, hits: Sequence[Sequence[Hit]]) -> int:
        return sum(1 for hs in hits for h in hs if h.code in self.codes)

    def fires(self, n_hits: int) -> bool:
        return bool(self.codes) and self.min_hits > 0 and n_hits >= self.min_hits

    def to_dict(self) -> dict:
        return {"codes": list(self.codes), "min_hits": self.min_hits, "score": self.score,
                "human_docs": self.human_docs, "human_docs_firing": self.human_docs_firing,
                "rule": f"codes firing in <= {RULE_CODE_MAX_RATE:.1%} of human documents; the least hit count "
                        f"reached by <= {RULE_FPR_BUDGET:.1%} of them; score = 1 - (firing + 1) / (docs + 2)"}

    @classmethod
    def from_dict(cls, d: dict | None) -> "StrongRule":
        if not d:
            return cls()
        return cls(tuple(d["codes"]), int(d["min_hits"]), float(d["score"]), int(d.get("human_docs", 0)),
                   int(d.get("human_docs_firing", 0)))


def fit_rule(strong_counts: np.ndarray, labels: np.ndarray) -> StrongRule:
    """Measure the rule on documents' uncapped hit counts of ``STRONG_CODES`` (one column each) and their labels."""
    human = strong_counts[np.asarray(labels) == 0]
    n = len(human)
    if n == 0:
        return StrongRule()
    codes = [c for k, c in enumerate(STRONG_CODES) if (human[:, k] > 0).mean() <= RULE_CODE_MAX_RATE]
    if not codes:
        return StrongRule()
    total = human[:, [STRONG_CODES.index(c) for c in codes]].sum(axis=1)
    for k in range(1, 11):
        firing = int((total >= k).sum())
        if firing / n <= RULE_FPR_BUDGET:
            return StrongRule(tuple(codes), k, 1.0 - (firing + 1) / (n + 2), n, firing)
    return StrongRule()


@dataclass(frozen=True)
class Expert:
    """One expert (spinner, llm, context); see the module docstring.

    ``score = bias + coef @ [z, z**2]`` with ``z`` its source statistics in
    human standard deviations (the stack's ``lm_mean``/``lm_scale`` or
    ``ctx_mean``/``ctx_scale``). ``bonus`` is what it adds to the stack's
    logit, by its ``join``: "sum" adds ``stack_human_std * weight * max(0, e -
    offset)``, with ``e = (score - human_mean) / human_std``; "max" raises the
    logit to ``stack_human_mean + stack_human_std * weight * (e - offset)``
    when that is higher (the larger of the two in human deviations of each).
    The means and deviations are those of the human training documents' scores.
    """

    coef: np.ndarray
    bias: float
    human_mean: float
    human_std: float
    stack_human_std: float
    weight: float = EXPERT_WEIGHT
    offset: float = EXPERT_OFFSET
    #: "fitted" on its families' output, or "zero-shot" (the z-score of its ``EXPERT_ZERO_SHOT`` statistic).
    kind: str = "fitted"
    #: The statistics it reads (``source_names``).
    names: tuple[str, ...] = LM_NAMES
    #: How it joins the stack (``EXPERT_JOINS``), and the stack's human mean logit that "max" needs.
    join: str = "sum"
    stack_human_mean: float = 0.0

    def score(self, z: np.ndarray) -> np.ndarray:
        """Raw expert scores of its statistics already in human standard deviations (one row per document)."""
        z = np.atleast_2d(z)
        return np.hstack([z, z ** 2]) @ self.coef + self.bias

    def bonus(self, score: np.ndarray, stack: np.ndarray | float) -> np.ndarray:
        """Log-odds added to stack logits ``stack`` for raw expert scores ``score`` (never negative)."""
        lift = self.stack_human_std * self.weight * ((score - self.human_mean) / self.human_std - self.offset)
        if self.join == "max":
            return np.maximum(self.stack_human_mean + lift - stack, 0.0)
        return np.maximum(lift, 0.0)

    def arrays(self, name: str) -> dict[str, np.ndarray]:
        return {f"{name}.coef": self.coef,
                f"{name}.scale": np.array([self.bias, self.human_mean, self.human_std, self.stack_human_std,
                                           self.weight, self.offset, self.stack_human_mean,
                                           EXPERT_JOINS.index(self.join)])}

    def to_dict(self) -> dict:
        return {"kind": self.kind, "join": self.join, "weight": self.weight, "offset": self.offset,
                "human_mean": self.human_mean, "human_std": self.human_std, "stack_human_std": self.stack_human_std,
                "stack_human_mean": self.stack_human_mean,
                "weights": {f"{p}{n}": round(float(c), 6) for (p, n), c in
                            zip([("z:", n) for n in self.names] + [("z2:", n) for n in self.names], self.coef)}}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], name: str) -> "Expert | None":
        if f"{name}.coef" not in arrays:
            return None
        coef, sc = arrays[f"{name}.coef"].astype(np.float64), arrays.get(f"{name}.scale")
        # 6 values: a model saved before the "max" join (a sum); 8: the join and the stack's human mean too
        if sc is None or sc.shape not in ((6,), (8,)) or coef.shape != (2 * len(source_names(name)),):
            raise ValueError(f"{name} expert arrays have the wrong shape; retrain it with 'spindetect train'")
        join, mean = "sum", 0.0
        if sc.shape == (8,):
            if int(sc[7]) not in range(len(EXPERT_JOINS)):
                raise ValueError(f"{name} expert: unknown join {sc[7]:g}; expected one of: {', '.join(EXPERT_JOINS)}")
            join, mean = EXPERT_JOINS[int(sc[7])], float(sc[6])
        return cls(coef, *(float(v) for v in sc[:6]), names=source_names(name), join=join, stack_human_mean=mean)


@dataclass(frozen=True)
class DocumentModel:
    """A fitted stack; see the module docstring."""

    char: CharStyle
    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    bias: float
    #: Human mean and std of the lexical statistics (the ``lex2`` reference).
    lex_mean: np.ndarray
    lex_scale: np.ndarray
    #: Human mean and std of the LM statistics (accurate mode), else None.
    lm_mean: np.ndarray | None = None
    lm_scale: np.ndarray | None = None
    rule: StrongRule = StrongRule()
    #: Accurate mode's experts (None in fast mode and in models trained before them).
    spinner: Expert | None = None
    llm: Expert | None = None
    #: Fast mode's context statistics: the word vectors, the human mean and std of the statistics, the expert.
    vectors: context.ContextVectors | None = None
    ctx_mean: np.ndarray | None = None
    ctx_scale: np.ndarray | None = None
    context: Expert | None = None

    def experts(self) -> dict[str, Expert]:
        """The experts this model has, by name (EXPERT_FAMILIES order)."""
        return {n: e for n, e in (("spinner", self.spinner), ("llm", self.llm), ("context", self.context))
                if e is not None}

    @property
    def uses_lm(self) -> bool:
        return self.lm_mean is not None

    @property
    def uses_context(self) -> bool:
        return self.ctx_mean is not None

    def context_statistics(self, sentences: Sequence[str]) -> np.ndarray | None:
        """The :mod:`.context` statistics of a text (None without vectors or with too few content words)."""
        return context.statistics(self.vectors, sentences) if self.vectors is not None else None

    def probability(self, sentences: Sequence[str], hits: Sequence[Sequence[Hit]],
                    lm_stats: np.ndarray | None = None) -> float:
        """The document score: the stack's logit plus the experts' bonuses, as a probability raised to
        ``rule.score`` when the strong rule fires."""
        return self.decide(*self.logits(sentences, hits, lm_stats), hits)

    def decide(self, stack: float, bonus: float, hits: Sequence[Sequence[Hit]]) -> float:
        """The document score from ``logits``' two values and the text's artifact hits."""
        p = sigmoid(stack + bonus)
        return max(p, self.rule.score) if self.rule.fires(self.rule.hits(hits)) else p

    def logits(self, sentences: Sequence[str], hits: Sequence[Sequence[Hit]],
               lm_stats: np.ndarray | None = None) -> tuple[float, float]:
        """The stack's document logit and the experts' bonus to it (0 without experts)."""
        ctx_stats = self.context_statistics(sentences)
        stack = self.logit(self.row(sentences, hits, lm_stats, ctx_stats))
        return stack, sum(self.bonuses(stack, lm_stats, ctx_stats).values())

    def bonuses(self, stack: float, lm_stats: np.ndarray | None, ctx_stats: np.ndarray | None = None) -> dict[str, float]:
        """Each expert's log-odds added to the stack's logit ``stack`` for a document's statistics (none for a
        missing source)."""
        given = {"lm": (lm_stats, self.lm_mean, self.lm_scale), "ctx": (ctx_stats, self.ctx_mean, self.ctx_scale)}
        out = {}
        for n, e in self.experts().items():
            stats, mean, scale = given[EXPERT_SOURCE[n]]
            if stats is not None:
                out[n] = float(e.bonus(e.score((np.asarray(stats, dtype=np.float64) - mean) / scale), stack)[0])
        return out

    def logit(self, row: np.ndarray) -> float:
        if row.shape != self.mean.shape:
            raise ValueError(f"expected {self.mean.shape[0]} document features, got {row.shape[0]}")
        return float(((row - self.mean) / self.scale) @ self.coef) + self.bias

    def row(self, sentences: Sequence[str], hits: Sequence[Sequence[Hit]], lm_stats: np.ndarray | None = None,
            ctx_stats: np.ndarray | None | object = MEASURE) -> np.ndarray:
        """The feature row of a text given as its normalised sentences and their artifact hits. The context
        statistics are measured here unless given (None given: the text has none, as for too few content words)."""
        if ctx_stats is MEASURE:
            ctx_stats = self.context_statistics(sentences)
        return features(self.char.logit(" ".join(sentences)), hits, lexical.features(sentences), self.lex_mean,
                        self.lex_scale, lm_stats, self.lm_mean, self.lm_scale, ctx_stats, self.ctx_mean, self.ctx_scale)

    def input_weights(self) -> dict[str, float]:
        """Each feature's weight on its raw scale (log-odds per unit)."""
        return {n: float(c / s) for n, c, s in zip(self.names, self.coef, self.scale)}

    def arrays(self) -> dict[str, np.ndarray]:
        out = {f"charstyle.{k}": v for k, v in self.char.arrays().items()}
        out.update({"stack.mean": self.mean, "stack.scale": self.scale, "stack.coef": self.coef,
                    "stack.bias": np.array([self.bias]), "stack.lex_mean": self.lex_mean, "stack.lex_scale": self.lex_scale})
        if self.lm_mean is not None:
            out.update({"stack.lm_mean": self.lm_mean, "stack.lm_scale": self.lm_scale})
        if self.ctx_mean is not None:
            out.update({"stack.ctx_mean": self.ctx_mean, "stack.ctx_scale": self.ctx_scale})
        if self.vectors is not None:
            out.update(self.vectors.arrays())
        for name, e in self.experts().items():
            out.update(e.arrays(name))
        return out

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], names: Sequence[str], rule: dict | None = None) -> "DocumentModel":
        char = CharStyle.from_arrays({k.split(".", 1)[1]: v for k, v in arrays.items() if k.startswith("charstyle.")})
        for k in ("stack.mean", "stack.scale", "stack.coef", "stack.bias", "stack.lex_mean", "stack.lex_scale"):
            if k not in arrays:
                raise ValueError(f"document model arrays lack '{k}'")
        m = cls(char, tuple(names), arrays["stack.mean"].astype(np.float64), arrays["stack.scale"].astype(np.float64),
                arrays["stack.coef"].astype(np.float64), float(arrays["stack.bias"][0]),
                arrays["stack.lex_mean"].astype(np.float64), arrays["stack.lex_scale"].astype(np.float64),
                arrays.get("stack.lm_mean"), arrays.get("stack.lm_scale"), StrongRule.from_dict(rule),
                Expert.from_arrays(arrays, "spinner"), Expert.from_arrays(arrays, "llm"),
                context.ContextVectors.from_arrays(arrays), arrays.get("stack.ctx_mean"), arrays.get("stack.ctx_scale"),
                Expert.from_arrays(arrays, "context"))
        for n in m.experts():
            if not (m.uses_lm if EXPERT_SOURCE[n] == "lm" else m.uses_context):
                raise ValueError(f"document model has a {n} expert but not the statistics it reads")
        if m.uses_context and m.vectors is None:
            raise ValueError("document model has context statistics but no word vectors (context.words, context.vectors)")
        if not len(m.names) == m.mean.shape[0] == m.scale.shape[0] == m.coef.shape[0]:
            raise ValueError(f"document model: {len(m.names)} feature names for {m.coef.shape[0]} weights")
        if list(m.names) != feature_names(m.uses_lm, m.uses_context):
            raise ValueError("document model was built for other features; retrain it with 'spindetect train'")
        return m


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))
