"""Variants of the character model and the stack that were measured and not shipped (benchmarks/README.md, "One
character model per rewriter family, balanced families, the regularisation").

Each variant changes one thing of `spindetect train`'s fit and is scored on the same documents and folds
(benchmarks/extra_humans.py's `evaluate`: leave-one-family-out, leave-one-domain-out, recall at the pooled threshold):

    shipped        the fit as shipped (train_doc.CHAR_C 4, train_doc.STACK_C 0.3, --char-agree 0.5)
    family-max     beside the pooled character model, one per rewriter family of the training set (that family
                   against every human document, classes weighed equally; families with fewer than 40 documents
                   have none); the stack's character column is the largest of their log-odds
    char-c=X       the character model's inverse L2 strength X instead of 4
    stack-c=X      the stack's inverse L2 strength X instead of 0.3
    char-balanced  the character model's rewritten documents weighed so that every rewriter family counts the same
                   (their total weight, and the human documents', unchanged)
    char-balanced-llm  as char-balanced among the families other than the spinner, which keeps its weight (chosen
                   after char-balanced had lowered the spinner met in unseen domains)
    char-no-spinner  the character model fitted without the spinner's documents (the stack, its strong rule and the
                   context expert still see them)
    char-spinner=X   in the character model each of the spinner's rewritten documents weighs X (1 as shipped, 0 is
                   char-no-spinner), every other document 1
    word-ngrams=L-H  word L..H-grams of the distorted tokens instead of 2-3-grams (the documents are counted again)
    word-suffix    in the word n-grams of the distorted view a masked word of four or more letters keeps its last
                   two letters (``*ed``, ``*ly``): the documents' n-grams are counted again for this variant
    agree=X        the character model's agreement share X instead of 0.5 (`train --char-agree X`): an n-gram keeps
                   its weight if at least the share X of the training families whose documents hold it give it the
                   pooled sign (agree=0: every weight kept, the fit before 2026-12-05; benchmarks/sign_consistent.py)
    pos-ngrams     in the word n-grams of the distorted view a masked word is its part of speech (``*NN``, ``*VBD``:
                   the Brown-trained tagger of signals/postag.py) instead of ``*``; the documents are counted again
    pos-ngrams-add  the shipped word n-grams kept, and the part-of-speech ones of pos-ngrams added beside them
                   (hashed apart: `train --pos-tags`, as the accurate model is trained); counted again
    no-pos-tags    without the part-of-speech n-grams (the accurate model before 2026-12-05); counted again
    pos-ngrams-add-unmasked  as pos-ngrams-add, the agreement mask kept off the buckets the tagged n-grams reach
                   (they keep their pooled weights; every other n-gram is masked as shipped)
    stack-agree=X  the same mask on the stack: a column keeps its weight if at least the share X of the training
                   families, the stack fitted on each alone, give it the pooled sign; the stack is refitted on the
                   kept columns and its experts after it

    bash scripts/get_corpora.sh brown lee     # prints the --corpus options
    python benchmarks/char_variants.py --data ../shared/data --corpus brown=DIR --corpus lee=DIR \
        [--para-docs 60] [--seed N] [--accurate] [--variants shipped,family-max,char-c=1,char-c=12,stack-c=0.05,stack-c=3,char-balanced,char-balanced-llm,char-no-spinner,char-spinner=X,word-ngrams=L-H,word-suffix,pos-ngrams,pos-ngrams-add,pos-ngrams-add-unmasked,no-pos-tags,agree=X,stack-agree=X] [--out DIR]

Fast mode (no language model) unless --accurate (the accurate recipe: language-model statistics and experts, no
agreement mask, the part-of-speech n-grams; SmolLM2 scores each document not yet in
$SPINDETECT_CACHE/train-lm-stats.json, ~0.2 s each). The tagger is trained on the --corpus brown=DIR corpus (cached).
Paraphrases come from the cache (`spindetect train --para-docs` fills it).
char-balanced, char-spinner=X and family-max's per-family models are plain regressions without the agreement mask,
as they were measured before it shipped. A family-max or agree fit costs about eight character fits, so those
variants take about five times as long as the others.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extra_humans import evaluate, fast_prepared, save, summary  # noqa: E402

from spindetect import cache, corpora, docprep, train_doc, trainset  # noqa: E402
from spindetect.augment.paraphrase import Paraphraser, cache_file  # noqa: E402
from spindetect.signals import charstyle, postag  # noqa: E402

#: A family with fewer rewritten training documents gets no model of its own (family-max).
MIN_FAMILY_DOCS = 40
#: The family char-balanced-llm exempts from the balance and char-no-spinner leaves out of the character model.
SPINNER = "spinner"
#: The shipped fit, restored before each variant.
_FIT_CHAR, _CHAR_LOGITS = train_doc._fit_char, train_doc._char_logits
_FIT, _OOF_CHAR = train_doc.fit, train_doc._oof_char
_CHAR_C, _STACK_C = train_doc.CHAR_C, train_doc.STACK_C
_SHAPE, _WORD_NGRAM_RANGE = charstyle._shape, charstyle.WORD_NGRAM_RANGE
#: Variants that change how the documents are counted (their n-grams are counted again under the variant).
RECOUNT = ("word-suffix", "word-ngrams", "pos-ngrams", "pos-ngrams-add", "pos-ngrams-add-unmasked", "no-pos-tags")
_WORD_VIEWS = charstyle._word_views


def _suffix_shape(token: str, keep: frozenset[str]) -> str:
    shape = _SHAPE(token, keep)
    return "*" + token[-2:] if shape == "*" and len(token) >= 4 else shape


def _tagged_only(tagger: postag.Tagger):
    """charstyle._word_views with the tagged tokens in place of the distorted ones (pos-ngrams)."""
    return lambda words, keep, _: [(charstyle.WORD_NGRAM_SEED, _WORD_VIEWS(words, keep, tagger)[1][1])]


def _recounted(p, variant: str, tagger: postag.Tagger):
    """The documents of ``p`` counted again under a RECOUNT ``variant`` (with the tagger it reads, if any)."""
    with_tags = {"pos-ngrams-add": tagger, "pos-ngrams-add-unmasked": tagger, "no-pos-tags": None}.get(variant, p.tagger)
    return replace(p, counts=charstyle.count_matrix(p.texts, p.keep, with_tags), tagger=with_tags)


def _tagged_buckets(p, plain_counts) -> np.ndarray:
    """Boolean per bucket: the tagged word n-grams of some document of ``p`` (counted with its tagger) reach it, i.e.
    its count differs from ``plain_counts`` (the same documents counted without the tagger)."""
    diff = (p.counts - plain_counts).tocsc()
    diff.eliminate_zeros()
    return np.diff(diff.indptr) > 0


def _fit_char_unmasked(p, idx: np.ndarray, tagged: np.ndarray) -> charstyle.CharStyle:
    pooled = charstyle.fit_counts(p.counts[idx], p.y[idx], c=train_doc.CHAR_C, keep=p.keep, tagger=p.tagger)
    masked = train_doc._agreed(p, idx, pooled, p.agree)
    return replace(masked, weights=np.where(tagged, pooled.weights, masked.weights))


class FamilyMax:
    """The pooled character model and one per rewriter family; log-odds: the largest of them."""

    def __init__(self, pooled: charstyle.CharStyle, families: list[charstyle.CharStyle]):
        self.pooled, self.families, self.keep = pooled, families, pooled.keep

    @classmethod
    def fit(cls, p, idx: np.ndarray) -> "FamilyMax":
        human = idx[p.y[idx] == 0]
        families = []
        for f in np.unique(p.family[idx][p.y[idx] == 1]):
            rewritten = idx[(p.family[idx] == f) & (p.y[idx] == 1)]
            if len(rewritten) < MIN_FAMILY_DOCS:
                continue
            both = np.concatenate([human, rewritten])
            weight = np.where(p.y[both] == 1, len(both) / (2 * len(rewritten)), len(both) / (2 * len(human)))
            families.append(charstyle.fit_counts(p.counts[both], p.y[both], c=train_doc.CHAR_C, keep=p.keep,
                                                 sample_weight=weight))
        return cls(_FIT_CHAR(p, idx), families)

    def logits(self, p, idx: np.ndarray) -> np.ndarray:
        return np.max([_CHAR_LOGITS(p, m, idx) for m in [self.pooled, *self.families]], axis=0)


def _fit_char_balanced(p, idx: np.ndarray, exempt: tuple[str, ...] = ()) -> charstyle.CharStyle:
    y, family = p.y[idx], p.family[idx]
    weight = np.ones(len(idx))
    rewritten = (y == 1) & ~np.isin(family, exempt)
    names = np.unique(family[rewritten])
    for f in names:
        m = rewritten & (family == f)
        weight[m] = rewritten.sum() / (len(names) * m.sum())
    return charstyle.fit_counts(p.counts[idx], y, c=train_doc.CHAR_C, sample_weight=weight, keep=p.keep)


def _fit_char_spinner(p, idx: np.ndarray, w: float) -> charstyle.CharStyle:
    weight = np.where((p.family[idx] == SPINNER) & (p.y[idx] == 1), w, 1.0)
    return charstyle.fit_counts(p.counts[idx], p.y[idx], c=train_doc.CHAR_C, sample_weight=weight, keep=p.keep)


class StackAgree:
    """The stack's columns kept only where at least ``share`` of the training rewriter families, each fitted alone
    (train_doc._family_sets), give the pooled stack's sign; the stack refitted on them, its experts after it."""

    def __init__(self, share: float):
        self.share, self.oof = share, {}

    def oof_char(self, p, idx: np.ndarray) -> np.ndarray:
        key = (id(p), idx.tobytes())  # the stack refit reads the same out-of-fold character scores as the fit
        if key not in self.oof:
            self.oof = {key: _OOF_CHAR(p, idx)}
        return self.oof[key]

    def fit(self, p, idx, lm: bool, seed: int = 0, signals=None):
        from sklearn.linear_model import LogisticRegression

        model = _FIT(p, idx, lm, seed, signals)
        idx = np.asarray(idx)
        x = train_doc._rows(p, idx, self.oof_char(p, idx), (model.lex_mean, model.lex_scale),
                            (model.lm_mean, model.lm_scale), (model.ctx_mean, model.ctx_scale))
        z = (x - model.mean) / model.scale
        pos = {g: i for i, g in enumerate(idx.tolist())}
        families, on = [], model.coef != 0
        for rows in train_doc._family_sets(p, idx):
            r = [pos[g] for g in rows.tolist()]
            w = np.zeros(len(model.coef))
            w[on] = LogisticRegression(C=train_doc.STACK_C, max_iter=5000, random_state=seed).fit(
                z[r][:, on], p.y[rows]).coef_[0]
            families.append(w)
        keep = charstyle.agreeing(model.coef, families, self.share) != 0
        m = LogisticRegression(C=train_doc.STACK_C, max_iter=5000, random_state=seed).fit(z[:, keep], p.y[idx])
        coef = np.zeros(len(model.coef))
        coef[keep] = m.coef_[0]
        model = replace(model, coef=coef, bias=float(m.intercept_[0]))
        if signals is None:
            model = replace(model, **{name: train_doc._fit_expert(p, idx, model, name, seed)
                                      for name in train_doc.docmodel.fitted_experts(lm, p.ctx is not None)})
        return model


def use(variant: str, tagger: postag.Tagger | None = None) -> None:
    """Set train_doc's fit to ``variant`` (module docstring; pos-ngrams reads ``tagger``)."""
    train_doc.CHAR_C, train_doc.STACK_C = _CHAR_C, _STACK_C
    train_doc._fit_char, train_doc._char_logits = _FIT_CHAR, _CHAR_LOGITS
    train_doc.fit, train_doc._oof_char = _FIT, _OOF_CHAR
    charstyle._shape, charstyle.WORD_NGRAM_RANGE = _SHAPE, _WORD_NGRAM_RANGE
    charstyle._word_views = _WORD_VIEWS
    name, _, value = variant.partition("=")
    if variant == "word-suffix":
        charstyle._shape = _suffix_shape
    elif variant == "pos-ngrams":
        charstyle._word_views = _tagged_only(tagger)
    elif variant in ("pos-ngrams-add", "no-pos-tags"):
        pass  # the documents' tagger changes (_recounted), not the fit
    elif variant == "pos-ngrams-add-unmasked":
        pass  # main() sets the fit once the tagged buckets are known
    elif variant == "char-balanced":
        train_doc._fit_char = _fit_char_balanced
    elif variant == "char-balanced-llm":
        train_doc._fit_char = lambda p, idx: _fit_char_balanced(p, idx, exempt=(SPINNER,))
    elif variant == "char-no-spinner":
        train_doc._fit_char = lambda p, idx: _FIT_CHAR(p, idx[~((p.family[idx] == SPINNER) & (p.y[idx] == 1))])
    elif name == "word-ngrams" and re.fullmatch(r"[1-9]-[1-9]", value) and value[0] <= value[2]:
        charstyle.WORD_NGRAM_RANGE = (int(value[0]), int(value[2]))
    elif name == "agree" and re.fullmatch(r"0?\.\d+|[01](\.0*)?", value):
        train_doc._fit_char = lambda p, idx: _FIT_CHAR(replace(p, agree=float(value)), idx)
    elif name == "stack-agree" and re.fullmatch(r"0?\.\d+|[01](\.0*)?", value):
        v = StackAgree(float(value))
        train_doc.fit, train_doc._oof_char = v.fit, v.oof_char
    elif name == "char-spinner" and value:
        train_doc._fit_char = lambda p, idx: _fit_char_spinner(p, idx, float(value))
    elif name == "family-max" and not value:
        train_doc._fit_char = FamilyMax.fit
        train_doc._char_logits = lambda p, model, idx: model.logits(p, idx)
    elif name in ("char-c", "stack-c") and value:
        setattr(train_doc, "CHAR_C" if name == "char-c" else "STACK_C", float(value))
    elif variant != "shipped":
        raise ValueError(f"unknown variant {variant!r}; expected shipped, family-max, char-c=X, stack-c=X, char-balanced, char-balanced-llm, char-no-spinner, char-spinner=X, word-ngrams=L-H, word-suffix, pos-ngrams, pos-ngrams-add, pos-ngrams-add-unmasked, no-pos-tags, agree=X or stack-agree=X (0 <= X <= 1)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--corpus", action="append", default=[], metavar="NAME=DIR")
    ap.add_argument("--corpus-spin-every", type=int, default=2)
    ap.add_argument("--para-docs", type=int, default=train_doc.SHIPPED_PARA_DOCS,
                    help="originals per dataset paraphrased by SmolLM2 (from the cache)")
    ap.add_argument("--variants", default="shipped,family-max,char-c=1,char-c=12,stack-c=0.05,stack-c=3,char-balanced,char-balanced-llm,char-no-spinner,word-suffix")
    ap.add_argument("--seed", type=int, default=0, help="the draw of documents and split (benchmarks/draws.py)")
    ap.add_argument("--accurate", action="store_true",
                    help="the accurate recipe instead (language-model statistics, no spun corpus documents, no "
                    "agreement mask, part-of-speech n-grams: `spindetect train --lm --corpus-spin-every 0 --char-agree 0 --pos-tags`; give it only the "
                    "brown corpus, as the shipped model had); needs `spindetect prepare --accurate`")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    variants = args.variants.split(",")
    try:
        for v in variants:
            use(v)
    except ValueError as e:
        sys.exit(f"error: {e}")
    use("shipped")  # the documents are counted as shipped; a RECOUNT variant counts them again
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.time()
    cfg = train_doc.Config(**({"corpus_spin_every": args.corpus_spin_every, "para_docs": args.para_docs,
                               "seed": args.seed} | (train_doc.ACCURATE if args.accurate else {})))
    tagged_variants = bool({"pos-ngrams", "pos-ngrams-add", "pos-ngrams-add-unmasked"} & set(variants))
    try:  # a missing Brown corpus fails here, before the documents are built
        given = corpora.parse(args.corpus)
        brown = docprep.tagger_corpus(replace(cfg, pos_tags=True), given) if args.accurate or tagged_variants else None
        if brown is not None:
            corpora.files("brown", brown)
    except corpora.CorpusError as e:
        sys.exit(f"error: {e}")
    para = Paraphraser(cache_file(cache.root()), log, cached_only=True) if args.para_docs else None
    docs = trainset.training_set(args.data, cfg, args.corpus, log, para)
    if args.accurate:
        from spindetect.surprisal import LanguageModel

        p = docprep.prepare(docs, LanguageModel(), docprep.default_lm_cache(), log, cfg.lm_docs, cfg.seed,
                            **docprep.measures(cfg, given, log))
        tagger = p.tagger  # the one the documents were counted with
    else:
        p = fast_prepared(docs, cfg, log)
        tagger = postag.brown_tagger(brown, log=log) if tagged_variants else None
    results = {}
    for v in variants:
        use(v, tagger)
        t = time.time()
        pv = _recounted(p, v, tagger) if v.partition("=")[0] in RECOUNT else p
        if v == "pos-ngrams-add-unmasked":
            tagged = _tagged_buckets(pv, p.counts)
            log(f"{int(tagged.sum())} buckets reached by the tagged n-grams")
            train_doc._fit_char = lambda q, idx: _fit_char_unmasked(q, idx, tagged)
        results[v] = r = evaluate(pv, args.accurate, log)
        r["seconds"] = round(time.time() - t)
        print(summary(v, r), flush=True)
        print(f"  by family {r['by_family']}\n  by domain {r['by_domain']}  ({r['seconds']} s)", flush=True)
    use("shipped")
    print(f"({time.time() - t0:.0f} s)", file=sys.stderr)
    if args.out:
        save(results, args.out, args.accurate)


if __name__ == "__main__":
    main()
