"""Syntactic surprise as a document signal: how unlikely a text's sequence of parts of speech is, and how unsure the
tagger is of its words.

A language model's surprisal separates the spinner (too surprising) and the LLM rewriters (too fluent) in accurate
mode; fast mode has no language model. The part-of-speech tagger of signals/postag.py already ships in the accurate
model and tags about 40k tokens a second, so a surprisal over *tags* is cheap: back-translation's broken syntax ("I
will be very good in rooms and bathrooms, call comfort"), a spinner's adverb for an adjective, and an LLM's regular
clauses should show in it, and syntax depends less on the topic than words do. Six length-free statistics are added
to the lexical block (signals/lexical.py; the stack then has them raw and two-sided):

    tag:nll_mean, tag:nll_std, tag:nll_q90   per-token negative log-likelihood (nats) of each tag given the two before
                                             it, under a tag trigram model with deleted interpolation (Brants' TnT)
                                             counted on the Brown corpus's gold coarse tags; each sentence tagged
                                             alone, from two start tags to an end tag
    tag:share_nll_gt_4                       the share of tokens above 4 nats
    tag:margin_mean                          over tokens outside the tagger's tag dictionary, the mean of
                                             log1p(best score - second score) of the perceptron
    tag:share_margin_lt_1                    the share of those tokens whose margin is below 1

The tag model and the tagger are both counted on all of Brown, and the training set has Brown documents among its
human texts (the brown corpus), which therefore fit both better than other human text: a confound to keep in mind,
as for the accurate model's tagged n-grams.

First the zero-shot ROC AUC of each statistic per rewriter family (each family against the human originals of its
datasets; 0.5 is chance, below 0.5 the statistic is lower for the rewrites), then the fast model evaluated with them
(benchmarks/extra_humans.py's `evaluate`: the folds of `spindetect train`). The shipped rows of the same draw are
benchmarks/draws.py's runs.

    python benchmarks/tag_surprise.py --data ../shared/data $(bash scripts/get_corpora.sh brown lee) \\
        [--seed N] [--zero-shot-only] [--out benchmarks/runs/tag-surprise-YYYY-MM-DD-seedN]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Sequence

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extra_humans import evaluated, fast_prepared, save  # noqa: E402

from spindetect import cache, corpora, docprep, train_doc, trainset  # noqa: E402
from spindetect.augment.paraphrase import Paraphraser, cache_file  # noqa: E402
from spindetect.segment import segment  # noqa: E402
from spindetect.signals import charstyle, lexical, postag  # noqa: E402

NAMES = ("lex:tag_nll_mean", "lex:tag_nll_std", "lex:tag_nll_q90", "lex:tag_share_nll_gt_4", "lex:tag_margin_mean",
         "lex:tag_share_margin_lt_1")
HIGH_NLL, LOW_MARGIN = 4.0, 1.0
_NAMES, _FEATURES = lexical.NAMES, lexical.features
S0, S1, E = "<s0>", "<s1>", "</s>"


class TagTrigrams:
    """P(tag | two tags before) with TnT's deleted interpolation of uni-, bi- and trigram relative frequencies."""

    def __init__(self, sents: Sequence[Sequence[str]]):
        self.uni, self.bi, self.tri = Counter(), Counter(), Counter()
        for tags in sents:
            seq = [S0, S1, *tags, E]
            for k in range(2, len(seq)):
                self.uni[seq[k]] += 1
                self.bi[seq[k - 1], seq[k]] += 1
                self.tri[seq[k - 2], seq[k - 1], seq[k]] += 1
        self.ctx1 = Counter()  # counts of a tag as a context (including the start tags)
        self.ctx2 = Counter()
        for (a, b), n in self.bi.items():
            self.ctx1[a] += n
        for (a, b, c), n in self.tri.items():
            self.ctx2[a, b] += n
        self.n = sum(self.uni.values())
        lam = np.zeros(3)
        for (a, b, c), n in self.tri.items():
            f3 = (n - 1) / (self.ctx2[a, b] - 1) if self.ctx2[a, b] > 1 else 0.0
            f2 = (self.bi[b, c] - 1) / (self.ctx1[b] - 1) if self.ctx1[b] > 1 else 0.0
            f1 = (self.uni[c] - 1) / (self.n - 1)
            lam[int(np.argmax([f1, f2, f3]))] += n
        self.lam = lam / lam.sum()
        self.v = len(self.uni) + 1

    def nll(self, tags: Sequence[str]) -> list[float]:
        """Negative log-likelihood (nats) of each tag and of the end tag after them."""
        seq, out = [S0, S1, *tags, E], []
        l1, l2, l3 = self.lam
        for k in range(2, len(seq)):
            a, b, c = seq[k - 2], seq[k - 1], seq[k]
            p = (l1 * (self.uni[c] + 1) / (self.n + self.v)
                 + (l2 * self.bi[b, c] / self.ctx1[b] if self.ctx1[b] else 0.0)
                 + (l3 * self.tri[a, b, c] / self.ctx2[a, b] if self.ctx2[a, b] else 0.0))
            out.append(-math.log(p))
        return out


def tag_with_margins(tagger: postag.Tagger, words: Sequence[str]) -> tuple[list[str], list[float]]:
    """Tagger.tag's tags, and the perceptron's margin (best - second score) of each word outside its tag dictionary."""
    ctx = [*postag.START, *(postag._norm(w) for w in words), *postag.END]
    prev, prev2, tags, margins = postag.START[0], postag.START[1], [], []
    for i, w in enumerate(words):
        t = tagger.tagdict.get(w)
        if t is None:
            scores = tagger.scores(postag._features(i, postag._norm(w), ctx, prev, prev2))
            t = max(tagger.tags, key=lambda x: (scores[x], x))
            top = sorted((scores[x] for x in tagger.tags), reverse=True)
            margins.append(top[0] - top[1])
        tags.append(t)
        prev2, prev = prev, t
    return tags, margins


def statistics(sentences: Sequence[str], tagger: postag.Tagger, model: TagTrigrams) -> np.ndarray:
    """The ``NAMES`` statistics of one document's normalised sentences (zeros without tokens)."""
    nll, margins = [], []
    for s in sentences:
        words = charstyle._WORD_TOKEN.findall(s.lower())
        if words:
            tags, m = tag_with_margins(tagger, words)
            nll += model.nll(tags)
            margins += m
    if not nll:
        return np.zeros(len(NAMES), dtype=np.float32)
    x = np.array(nll)
    m = np.array(margins) if margins else np.array([np.nan])
    return np.nan_to_num(np.array([x.mean(), x.std(), np.quantile(x, 0.9), (x > HIGH_NLL).mean(),
                                   np.log1p(np.maximum(m, 0)).mean(), (m < LOW_MARGIN).mean()],
                                  dtype=np.float32), nan=0.0)


def use(tagger: postag.Tagger | None, model: TagTrigrams | None = None) -> None:
    """The lexical block with the tag statistics (given a tagger and a tag model), or as shipped."""
    if tagger is not None:
        lexical.NAMES = _NAMES + NAMES
        lexical.features = lambda sentences: np.concatenate([_FEATURES(sentences),
                                                             statistics(sentences, tagger, model)])
    else:
        lexical.NAMES, lexical.features = _NAMES, _FEATURES


def zero_shot(docs, tagger: postag.Tagger, model: TagTrigrams, log) -> dict:
    """ROC AUC of each statistic, each family's rewrites against the human documents of the same datasets."""
    from sklearn.metrics import roc_auc_score

    t = time.time()
    x = np.array([statistics([s.norm for s in segment(d.text)], tagger, model) for d in docs])
    log(f"tag statistics of {len(docs)} documents ({time.time() - t:.0f} s)")
    y = np.array([d.label for d in docs])
    fam = np.array([d.family for d in docs])
    ds = np.array([d.dataset for d in docs])
    dom = np.array([d.domain for d in docs])
    out = {}
    for f in np.unique(fam[y == 1]):
        m = train_doc.against_humans(fam, y, ds, f) & np.isin(dom, train_doc.DOMAINS)
        if len(set(y[m])) == 2:
            out[f] = {n: round(float(roc_auc_score(y[m], x[m, j])), 3) for j, n in enumerate(NAMES)}
            print(f"  {f:18s} " + " ".join(f"{n.split(':')[1]} {v:.3f}" for n, v in out[f].items()), flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--corpus", action="append", default=[], metavar="NAME=DIR")
    ap.add_argument("--seed", type=int, default=0, help="the draw of documents and split (benchmarks/draws.py)")
    ap.add_argument("--zero-shot-only", action="store_true")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.time()
    cfg = train_doc.Config(corpus_spin_every=2, para_docs=train_doc.SHIPPED_PARA_DOCS, seed=args.seed)
    try:
        brown = docprep.tagger_corpus(train_doc.Config(pos_tags=True), corpora.parse(args.corpus))
        sents = postag.read_brown(brown)
    except corpora.CorpusError as e:
        sys.exit(f"error: {e}")
    tagger = postag.brown_tagger(brown, log=log)
    model = TagTrigrams([[t for _, t in s] for v in sents.values() for s in v])
    log(f"tag trigram model: {len(model.uni)} tags, lambdas {np.round(model.lam, 3).tolist()}")
    docs = trainset.training_set(args.data, cfg, args.corpus, log,
                                 Paraphraser(cache_file(cache.root()), log, cached_only=True))
    results = {"zero_shot": zero_shot(docs, tagger, model, log)}
    if not args.zero_shot_only:
        use(tagger, model)
        results["tag-surprise"] = evaluated("tag-surprise", fast_prepared(docs, cfg, log), False, log)
        use(None)
    print(f"({time.time() - t0:.0f} s)", file=sys.stderr)
    if args.out:
        save(results, args.out, False)


if __name__ == "__main__":
    main()
