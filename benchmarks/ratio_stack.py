"""Does the two-LM ratio add to the shipped fast model's held-out score? A cheap test before scoring every training
document with Gemma.

benchmarks/two_lm.py found one statistic that points the same way for all six families and five domains: SmolLM2's
nats per character divided by Gemma-3-270M's, on the document's first ~700 characters. Alone it is weak (ROC AUC
0.53–0.78). Whether it is worth putting into a model depends on whether it carries what the shipped model misses, so
this script asks exactly that on the documents two_lm.py already scored:

1. the shipped fast recipe's held-out log-odds of every document, from the model that did not see its family (its
   domain): `spindetect train`'s own folds (train_doc.folds), nothing changed;
2. for each held-out family (domain) f, a logistic regression on [held-out log-odds, ratio] fitted on the other
   families' (domains') held-out documents that two_lm.py scored, tested on f's: the combiner sees only scores of
   rewriters its model never saw, which is what it would meet at release;
3. ROC AUC of the log-odds alone and of the combination on the same test documents (paired), per group.

    python benchmarks/ratio_stack.py --data ../shared/data $(bash scripts/get_corpora.sh brown lee) \\
        --rows benchmarks/runs/two-lm-2026-12-05-seed1 --rows benchmarks/runs/two-lm-2026-12-05 [--seed 0] [--out DIR]

The scored documents are found in the training set by their text. Needs no language model (the statistics are read
from the --rows folders); the fast evaluation takes ~9 min on the 2-core VM.
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
from two_lm import RATIO, columns  # noqa: E402

from spindetect import cache, train_doc, trainset  # noqa: E402
from spindetect.augment.paraphrase import Paraphraser, cache_file  # noqa: E402

#: Extra columns tried beside the held-out log-odds (names of two_lm.columns).
COMBINATIONS = {
    "log-odds + ratio": [RATIO],
    "log-odds + both models' nats per char": ["smollm2:nats_per_char", "gemma:nats_per_char"],
    "log-odds + all ten LM statistics": [f"{m}:{s}" for m in ("smollm2", "gemma")
                                         for s in ("nats_per_char", "mean_nll", "mean_entropy", "nll_minus_entropy",
                                                   "binoculars")],
}


def scored_statistics(data: str, row_dirs: list[str], log) -> dict[str, dict[str, float]]:
    """text -> two_lm column values, for every document an earlier two_lm.py run scored."""
    docs = trainset.training_set(data, train_doc.Config(para_docs=0), (), log)  # the list two_lm.py samples from
    out: dict[str, dict[str, float]] = {}
    for d in row_dirs:
        rows = json.loads((Path(d) / "rows.json").read_text())
        idx = np.load(Path(d) / "rows_index.npy").tolist()
        cols = columns(rows)
        for k, i in enumerate(idx):
            out[docs[i].text] = {c: float(v[k]) for c, v in cols.items()}
    return out


def held_out(p, by: str, log) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Group -> (document indices, held-out log-odds) over both halves, as train_doc.validate computes them."""
    out: dict[str, tuple[list, list]] = {}
    for h in (0, 1):
        for name, tr, te in train_doc.folds(p, by, h):
            te = te[np.isin(p.domain[te], train_doc.DOMAINS)]
            if len(set(p.y[tr].tolist())) < 2 or len(set(p.y[te].tolist())) < 2:
                continue
            s = train_doc.predict(p, train_doc.fit(p, tr, False), te)
            i, v = out.setdefault(name, ([], []))
            i.extend(te.tolist())
            v.extend(s.tolist())
            log(f"  {by} {name} half {h}: {len(te)} held-out documents")
    return {k: (np.array(i), np.array(v)) for k, (i, v) in out.items()}


def stack(groups: dict, p, stats: list[dict | None], extra: list[str]) -> dict[str, dict[str, float]]:
    """Per held-out group: ROC AUC of its log-odds alone and of [log-odds, extra columns] by a logistic regression
    fitted on the other groups' scored held-out documents (documents of the tested group left out)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    def rows(name):
        i, v = groups[name]
        keep = np.array([stats[j] is not None for j in i], dtype=bool)
        i, v = i[keep], v[keep]
        x = np.column_stack([v] + [[stats[j][c] for j in i] for c in extra])
        return i, x, p.y[i]

    out = {}
    for g in groups:
        ti, tx, ty = rows(g)
        if len(set(ty.tolist())) < 2:
            continue
        parts = [rows(o) for o in groups if o != g]
        tr = [(x[~np.isin(i, ti)], y[~np.isin(i, ti)]) for i, x, y in parts]
        x, y = np.vstack([a for a, _ in tr]), np.concatenate([b for _, b in tr])
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, class_weight="balanced")).fit(x, y)
        out[g] = {"alone": round(float(roc_auc_score(ty, tx[:, 0])), 4),
                  "combined": round(float(roc_auc_score(ty, model.decision_function(tx))), 4),
                  "rewrites": int(ty.sum()), "humans": int((ty == 0).sum())}
    v = {k: [r[k] for r in out.values()] for k in ("alone", "combined")}
    out["mean"] = {k: round(float(np.mean(a)), 4) for k, a in v.items()}
    out["worst"] = {k: round(float(np.min(a)), 4) for k, a in v.items()}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--corpus", action="append", default=[], metavar="NAME=DIR")
    ap.add_argument("--rows", action="append", required=True, metavar="DIR", help="a two_lm.py --out folder")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=None)
    ap.add_argument("--held-out", default=None, metavar="DIR", help="read the held-out log-odds an earlier --out saved "
                    "(same --seed and data) instead of fitting again")
    args = ap.parse_args()
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.time()
    by_text = scored_statistics(args.data, args.rows, log)
    cfg = train_doc.Config(corpus_spin_every=2, para_docs=train_doc.SHIPPED_PARA_DOCS, seed=args.seed)
    docs = trainset.training_set(args.data, cfg, args.corpus, log,
                                 Paraphraser(cache_file(cache.root()), log, cached_only=True))
    stats = [by_text.get(d.text) for d in docs]
    log(f"{sum(s is not None for s in stats)} of {len(by_text)} scored documents found in the training set")
    p = fast_prepared(docs, cfg, log)
    result = {"seed": args.seed, "found": sum(s is not None for s in stats)}
    for by in ("family", "domain"):
        saved = Path(args.held_out or "-") / f"held_out_{by}.npz"
        if saved.exists():
            z = np.load(saved)
            groups = {g: (z[f"{g}:index"], z[f"{g}:logit"]) for g in dict.fromkeys(k.rsplit(":", 1)[0] for k in z.files)}
        else:
            groups = held_out(p, by, log)
        if args.out:  # the held-out log-odds, to read against more scored documents later
            Path(args.out).mkdir(parents=True, exist_ok=True)
            np.savez(Path(args.out) / f"held_out_{by}.npz", **{f"{g}:{k}": a for g, v in groups.items()
                                                                for k, a in zip(("index", "logit"), v)})
        result[by] = {name: stack(groups, p, stats, extra) for name, extra in COMBINATIONS.items()}
        for name, table in result[by].items():
            print(f"\nleave-one-{by}-out, {name}\n| {by} | shipped alone | combined | rewrites / humans |\n|---|---|---|---|")
            for g, r in table.items():
                n = f"{r['rewrites']} / {r['humans']}" if "rewrites" in r else ""
                print(f"| {g} | {r['alone']:.3f} | {r['combined']:.3f} | {n} |")
    result["seconds"] = round(time.time() - t0)
    if args.out:
        d = Path(args.out)
        d.mkdir(parents=True, exist_ok=True)
        (d / "metrics.json").write_text(json.dumps(result, indent=2) + "\n")
        (d / "args.json").write_text(json.dumps(vars(args), indent=2) + "\n")
    log(f"({result['seconds']} s)")


if __name__ == "__main__":
    main()
