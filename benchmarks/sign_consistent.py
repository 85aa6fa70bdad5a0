"""Character n-grams that point the same way for every training rewriter: does keeping only those transfer better?

The character model is one logistic regression over hashed 2–4-gram tf-idf, fitted on every training family at
once. An n-gram that marks one family (a spinner's odd synonym) and is neutral or human-like for the others still
gets weight; for an unseen rewriter that weight is noise or points the wrong way. The idea of an invariance mask
("AND-mask", Parascandolo et al., 2020, ICLR 2021: keep the directions the environments agree on): per held-out
family, fit one regression per *training* family (its rewrites against the human originals of its datasets), and
keep an n-gram only if every family that uses it gives its weight the pooled model's sign. Three character models
per held-out family, each scored alone on the held-out family's documents (ROC AUC, the fast model's folds):

* pooled: the character model as shipped before 2026-12-05 (one regression, C = 4);
* masked: the pooled weights with the disagreeing n-grams set to zero (no refit; `train --char-agree`, 0.5 in the fast model);
* refit: a regression fitted again on the agreeing n-grams only.

    python benchmarks/sign_consistent.py --data ../shared/data $(bash scripts/get_corpora.sh brown lee) \\
        [--halves 0,1] [--agree 1.0] [--out benchmarks/runs/sign-consistent-YYYY-MM-DD]

``--agree`` is the share of the families using an n-gram that must give it the pooled sign (1.0: all of them).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extra_humans import fast_prepared  # noqa: E402

from spindetect import cache, train_doc, trainset  # noqa: E402
from spindetect.augment.paraphrase import Paraphraser, cache_file  # noqa: E402
from spindetect.signals import charstyle  # noqa: E402


def main() -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--corpus", action="append", default=[], metavar="NAME=DIR")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--halves", default="0,1")
    ap.add_argument("--agree", type=float, default=1.0)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.time()
    cfg = train_doc.Config(corpus_spin_every=2, para_docs=train_doc.SHIPPED_PARA_DOCS, seed=args.seed)
    docs = trainset.training_set(args.data, cfg, args.corpus, log,
                                 Paraphraser(cache_file(cache.root()), log, cached_only=True))
    p = fast_prepared(docs, cfg, log)
    per: dict[str, dict[str, list]] = {}
    for h in [int(x) for x in args.halves.split(",")]:
        for f, tr, te in train_doc.folds(p, "family", h):
            pooled = charstyle.fit_counts(p.counts[tr], p.y[tr], c=train_doc.CHAR_C, keep=p.keep)
            masked = train_doc._agreed(p, tr, pooled, args.agree)
            keep = masked.weights != 0
            x = charstyle.tfidf(p.counts[tr], pooled.idf)
            m = LogisticRegression(C=train_doc.CHAR_C, max_iter=3000, solver="liblinear")
            m.fit(x[:, np.flatnonzero(keep)], p.y[tr])
            w = np.zeros(charstyle.N_FEATURES)
            w[np.flatnonzero(keep)] = m.coef_[0]
            refit = charstyle.CharStyle(pooled.idf, w, float(m.intercept_[0]), pooled.keep)
            row = per.setdefault(f, {"pooled": [], "masked": [], "refit": []})
            for name, model in (("pooled", pooled), ("masked", masked), ("refit", refit)):
                row[name].append(float(roc_auc_score(p.y[te], train_doc._char_logits(p, model, te))))
            nz = pooled.weights != 0
            log(f"  {f} half {h}: kept {keep[nz].mean():.1%} of {nz.sum()} n-grams; "
                + ", ".join(f"{k} {v[-1]:.3f}" for k, v in row.items()) + f" ({time.time() - t0:.0f} s)")
    table = {f: {k: round(float(np.mean(v)), 4) for k, v in r.items()} for f, r in per.items()}
    table["mean"] = {k: round(float(np.mean([r[k] for r in table.values()])), 4) for k in ("pooled", "masked", "refit")}
    table["worst"] = {k: round(float(np.min([r[k] for f, r in table.items() if f != "mean"])), 4)
                      for k in ("pooled", "masked", "refit")}
    print(f"\n| held-out family | pooled | masked (agree >= {args.agree}) | refit |\n|---|---|---|---|")
    for f, r in table.items():
        print(f"| {f} | {r['pooled']:.3f} | {r['masked']:.3f} | {r['refit']:.3f} |")
    if args.out:
        d = Path(args.out)
        d.mkdir(parents=True, exist_ok=True)
        (d / "metrics.json").write_text(json.dumps({"table": table, "seconds": round(time.time() - t0)}, indent=2) + "\n")
        (d / "args.json").write_text(json.dumps(vars(args), indent=2) + "\n")


if __name__ == "__main__":
    main()
