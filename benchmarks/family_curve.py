"""Does a held-out rewriter get caught better the more *kinds* of rewriter the model trained on? (fast mode)

The held-out family figures are far below the seen ones (benchmarks/README.md, "Where the gap is"). This fits the
leave-one-family-out fold of each family with only K of the other rewriter families in training (every human
document of the training half kept), for K = 1, 3 and all, and prints the held-out ROC AUC per K: the slope says
what one more kind of rewriter in the training data is worth.

    bash scripts/get_corpora.sh brown lee     # prints the --corpus options
    python benchmarks/family_curve.py --data ../shared/data --corpus brown=DIR --corpus lee=DIR [--seed 0] \
        [--subsets 2] [--half 0] [--out benchmarks/runs/family-curve-YYYY-MM-DD]

Fast recipe without the SmolLM2 paraphrase documents (`--para-docs 0`, as benchmarks/local_reference.py); the
generated spinner documents count as the `spinner` family, so they are in or out with it. One half of the split by
original (`--half`); for K below all, `--subsets` random sets of K families per held-out family (seeded).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extra_humans import fast_prepared, save  # noqa: E402

from spindetect import docset, train_doc, trainset  # noqa: E402
from spindetect.metrics import tpr_at_fpr  # noqa: E402


def subsets(others: tuple[str, ...], k: int, n: int, rng: np.random.Generator) -> list[tuple[str, ...]]:
    """``n`` random sets of ``k`` of ``others`` (all of them when there are at most ``n``)."""
    every = list(itertools.combinations(others, k))
    if len(every) <= n:
        return every
    return [every[i] for i in sorted(rng.choice(len(every), size=n, replace=False))]


def curve(p, h: int, n_subsets: int, seed: int, log) -> dict:
    """Per held-out family, per K: [(training families, ROC AUC, TPR at 1 % FPR), ...]."""
    rng = np.random.default_rng(seed)
    out: dict[str, dict[int, list]] = {}
    for name, tr, te in train_doc.folds(p, "family", h):
        others = tuple(sorted(set(p.family[tr][p.y[tr] == 1]) - set(docset.DERIVED_FAMILIES.get(name, ()))))
        for k in sorted({1, 3, len(others)}):
            for fams in subsets(others, k, n_subsets, rng):
                keep = tr[(p.y[tr] == 0) | np.isin(p.family[tr], fams)]
                s = train_doc.predict(p, train_doc.fit(p, keep, False), te)
                auc, tpr = train_doc._auc(p.y[te], s), tpr_at_fpr(p.y[te], s, 0.01)["tpr"] or 0.0
                out.setdefault(name, {}).setdefault(k, []).append((list(fams), round(auc, 4), round(tpr, 4)))
                log(f"  {name} held out, trained on {', '.join(fams)}: ROC AUC {auc:.3f}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--corpus", action="append", default=[], metavar="NAME=DIR")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--half", type=int, default=0, choices=(0, 1))
    ap.add_argument("--subsets", type=int, default=2, help="random family sets per held-out family and K")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.time()
    cfg = train_doc.Config(seed=args.seed)
    p = fast_prepared(trainset.training_set(args.data, cfg, args.corpus, log), cfg, log)
    res = curve(p, args.half, args.subsets, args.seed, log)
    ks = sorted({k for r in res.values() for k in r})
    print("| held out | " + " | ".join(f"K = {k}" for k in ks) + " |\n|---|" + "---|" * len(ks))
    means = {k: [] for k in ks}
    for name, r in res.items():
        cells = []
        for k in ks:
            a = [auc for _, auc, _ in r.get(k, [])]
            cells.append(f"{np.mean(a):.3f} ({min(a):.3f}-{max(a):.3f})" if a else "")
            if a:
                means[k].append(np.mean(a))
        print(f"| {name} | " + " | ".join(cells) + " |")
    print("| **mean** (worst) | " + " | ".join(f"**{np.mean(means[k]):.3f}** ({min(means[k]):.3f})" for k in ks) + " |")
    print(f"({time.time() - t0:.0f} s)", file=sys.stderr)
    if args.out:
        save({"args": vars(args), "curve": res}, args.out, lm=False)


if __name__ == "__main__":
    main()
