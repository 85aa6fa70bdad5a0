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
* refit (``--refit``): a regression fitted again on the agreeing n-grams only.

    python benchmarks/sign_consistent.py --data ../shared/data $(bash scripts/get_corpora.sh brown lee) \\
        [--halves 0,1] [--agree 1.0] [--envs family,domain,cell,family+domain] [--split family|domain] [--refit] \\
        [--out benchmarks/runs/sign-consistent-YYYY-MM-DD]

``--agree`` is the share of the groups using an n-gram that must give it the pooled sign (1.0: all of them).
``--envs`` names the groups fitted alone, one masked column each: the training rewriter families (as shipped), the
domains, each family within each domain, or the families and domains together. ``--split domain`` holds out
domains instead of families.
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


def domain_sets(p, idx: np.ndarray) -> list[np.ndarray]:
    """Each domain of ``idx`` (the extra corpora are domains too): its rewrites against its human documents."""
    dom = p.domain[idx]
    return train_doc._sided(p, idx, [dom == d for d in np.unique(dom)])


def cell_sets(p, idx: np.ndarray) -> list[np.ndarray]:
    """Each rewriter family within each domain, against the human originals of its datasets in that domain."""
    fam, y, ds, dom = p.family[idx], p.y[idx], p.dataset[idx], p.domain[idx]
    return train_doc._sided(p, idx, [train_doc.against_humans(fam, y, ds, f) & (dom == d)
                           for f in np.unique(fam[y == 1]) for d in np.unique(dom)])


ENVS = {"family": train_doc._family_sets, "domain": domain_sets, "cell": cell_sets,
        "family+domain": lambda p, idx: train_doc._family_sets(p, idx) + domain_sets(p, idx)}


def main() -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--corpus", action="append", default=[], metavar="NAME=DIR")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--halves", default="0,1")
    ap.add_argument("--agree", type=float, default=1.0)
    ap.add_argument("--envs", default="family",
                    help="comma-separated groups fitted alone whose signs must agree, one masked column each: "
                         + ", ".join(ENVS) + " (family: as shipped)")
    ap.add_argument("--split", default="family", choices=("family", "domain"),
                    help="hold out each rewriter family (LOFO) or each domain (LODO)")
    ap.add_argument("--refit", action="store_true", help="also refit on the first mask's n-grams")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    envs = args.envs.split(",")
    unknown = sorted(set(envs) - set(ENVS))
    if unknown:
        ap.error(f"unknown --envs {', '.join(unknown)}; expected some of: {', '.join(ENVS)}")
    cols = ["pooled"] + [f"masked:{e}" for e in envs] + (["refit"] if args.refit else [])
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.time()
    cfg = train_doc.Config(corpus_spin_every=2, para_docs=train_doc.SHIPPED_PARA_DOCS, seed=args.seed)
    docs = trainset.training_set(args.data, cfg, args.corpus, log,
                                 Paraphraser(cache_file(cache.root()), log, cached_only=True))
    p = fast_prepared(docs, cfg, log)
    per: dict[str, dict[str, list]] = {}
    for h in [int(x) for x in args.halves.split(",")]:
        for f, tr, te in train_doc.folds(p, args.split, h):
            pooled = charstyle.fit_counts(p.counts[tr], p.y[tr], c=train_doc.CHAR_C, keep=p.keep)
            models = {"pooled": pooled}
            for e in envs:
                models[f"masked:{e}"] = train_doc._agreed(p, tr, pooled, args.agree, ENVS[e](p, tr))
            if args.refit:
                keep = models[cols[1]].weights != 0
                x = charstyle.tfidf(p.counts[tr], pooled.idf)
                m = LogisticRegression(C=train_doc.CHAR_C, max_iter=3000, solver="liblinear")
                m.fit(x[:, np.flatnonzero(keep)], p.y[tr])
                w = np.zeros(charstyle.N_FEATURES)
                w[np.flatnonzero(keep)] = m.coef_[0]
                models["refit"] = charstyle.CharStyle(pooled.idf, w, float(m.intercept_[0]), pooled.keep)
            row = per.setdefault(f, {k: [] for k in cols})
            for name, model in models.items():
                row[name].append(float(roc_auc_score(p.y[te], train_doc._char_logits(p, model, te))))
            nz = pooled.weights != 0
            kept = ", ".join(f"{e} {(models[f'masked:{e}'].weights[nz] != 0).mean():.0%}" for e in envs)
            log(f"  {f} half {h}: kept of {nz.sum()} n-grams: {kept}; "
                + ", ".join(f"{k} {v[-1]:.3f}" for k, v in row.items()) + f" ({time.time() - t0:.0f} s)")
    table = {f: {k: round(float(np.mean(v)), 4) for k, v in r.items()} for f, r in per.items()}
    groups = list(table)
    table["mean"] = {k: round(float(np.mean([table[g][k] for g in groups])), 4) for k in cols}
    table["worst"] = {k: round(float(np.min([table[g][k] for g in groups])), 4) for k in cols}
    print(f"\n| held-out {args.split} | " + " | ".join(cols) + f" |  (agree >= {args.agree})\n|---"
          + "|---" * len(cols) + "|")
    for f, r in table.items():
        print(f"| {f} | " + " | ".join(f"{r[k]:.3f}" for k in cols) + " |")
    if args.out:
        d = Path(args.out)
        d.mkdir(parents=True, exist_ok=True)
        (d / "metrics.json").write_text(json.dumps({"table": table, "seconds": round(time.time() - t0)}, indent=2) + "\n")
        (d / "args.json").write_text(json.dumps(vars(args), indent=2) + "\n")


if __name__ == "__main__":
    main()
