"""Would a score read against the human documents *nearest in topic* rank better? (fast mode, held-out folds)

Human text of some domains and sources scores higher than of others (model card, "Known failure modes"), and a
held-out group mixes them. This measures, on the held-out scores of `spindetect train`'s folds, how much a
per-document reference would buy:

    none     the score as shipped
    oracle   the score less the mean score of the held-out *human* documents of its own dataset and domain (uses
             the test labels: an upper bound on what any reference of the same kind can buy, not a detector)
    knn-K    the score less the mean out-of-fold score of the K training human documents nearest to it in topic
             (cosine of the packaged MiniLM's embedding of the document's first 256 word pieces): something the
             model could ship (the reference documents' embeddings and scores), no labels of the tested documents
    knn-K-half  the same, half the mean taken off

Training humans are scored with the character model's out-of-fold log-odds in the stack, as the stack was fitted
(their in-sample scores are far lower than any new document's). If even the oracle moves the held-out figures by
little, a reference of this kind is not worth shipping.

`--splits` chooses among leave-one-family-out (`family`), leave-one-domain-out (`domain`) and a third split, `seen`: every family and domain seen in
training (the model fitted on one half of the split by original, each family tested against its datasets' human
originals in the other half), the ceiling the held-out figures are read against: how much of the gap is the
family never seen, how much the separation within a family.

    bash scripts/get_corpora.sh brown lee     # prints the --corpus options
    python benchmarks/local_reference.py --data ../shared/data --corpus brown=DIR --corpus lee=DIR [--seed 0] \
        [--para-docs 0] [--k 10,50,200] [--splits family,domain,seen] [--out benchmarks/runs/local-reference-YYYY-MM-DD]

`--para-docs 0` (the default) leaves out the SmolLM2 paraphrase documents of the shipped recipe, so it runs on a
machine without the paraphrase cache; every variant is compared with `none` of the same run.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extra_humans import fast_prepared, listed, save  # noqa: E402

from spindetect import train_doc, trainset  # noqa: E402
from spindetect.metrics import tpr_at_fpr  # noqa: E402


def embeddings(texts: list[str], log) -> np.ndarray:
    """Unit MiniLM vectors of each text's opening (the encoder truncates at its 256 word pieces)."""
    from spindetect.embed import Embedder

    t = time.time()
    e = Embedder().encode(texts, batch_size=16)
    log(f"embedded {len(texts)} documents in {time.time() - t:.0f} s")
    return e


def oof_training_scores(p, model, tr: np.ndarray, oof_char: np.ndarray) -> np.ndarray:
    """Stack log-odds (experts applied, the strong rule left out: it floors a handful of documents) of training
    documents ``tr`` with their out-of-fold character log-odds."""
    x = train_doc._rows(p, tr, oof_char, (model.lex_mean, model.lex_scale), (None, None),
                        (model.ctx_mean, model.ctx_scale) if model.ctx_mean is not None else (None, None))
    stack = logit = ((x - model.mean) / model.scale) @ model.coef + model.bias
    for name, e in model.experts().items():
        logit = logit + e.bonus(e.score(train_doc.expert_z(p, model, name, tr)), stack)
    return logit


def corrected(p, te, s, emb, ref_idx, ref_s, ks) -> dict[str, np.ndarray]:
    """Every variant's scores of the tested documents ``te`` (see the module docstring)."""
    out = {"none": s}
    cell = np.array([f"{p.dataset[i]}|{p.domain[i]}" for i in te])
    human = p.y[te] == 0
    off = np.zeros(len(te))
    for c in np.unique(cell):
        m = cell == c
        off[m] = s[m & human].mean() if (m & human).any() else 0.0
    out["oracle"] = s - off
    sim = emb[te] @ emb[ref_idx].T
    order = np.argsort(-sim, axis=1)
    for k in ks:
        mean = ref_s[order[:, :k]].mean(axis=1)
        out[f"knn-{k}"] = s - mean
        out[f"knn-{k}-half"] = s - 0.5 * mean
    return out


#: the held-out splits this measures (train_doc.folds' two and seen_folds)
SPLITS = ("family", "domain", "seen")


def seen_folds(p, h: int) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(family, train, test) of half ``h`` with every family in training: the fit on the other half of the split."""
    testable = np.isin(p.domain, train_doc.DOMAINS) & ~np.isin(p.dataset, train_doc.docset.TRAINING_ONLY_DATASETS)
    train = np.where(p.half != h)[0]
    return [(f, train, np.where((p.half == h) & testable & train_doc.against_humans(p.family, p.y, p.dataset, f))[0])
            for f in train_doc.FAMILIES if (p.family == f).any()]


def run(p, emb, by: str, ks, log) -> dict:
    """Per variant: per held-out group ROC AUC and TPR at 1 % FPR (mean of the two halves), mean and worst."""
    stash = {}
    original = train_doc._oof_char

    def keep_oof(pp, idx):
        stash["oof"] = original(pp, idx)
        return stash["oof"]

    train_doc._oof_char = keep_oof
    per: dict[str, dict[str, list]] = {}
    try:
        for h in (0, 1):
            fitted = None
            for name, tr, te in (seen_folds(p, h) if by == "seen" else train_doc.folds(p, by, h)):
                # the seen split fits one model per half
                model = fitted = fitted if by == "seen" and fitted is not None else train_doc.fit(p, tr, False)
                s = train_doc.predict(p, model, te)
                ref = p.y[tr] == 0
                ref_s = oof_training_scores(p, model, tr, stash["oof"])[ref]
                for v, sv in corrected(p, te, s, emb, tr[ref], ref_s, ks).items():
                    per.setdefault(v, {}).setdefault(name, []).append(
                        (train_doc._auc(p.y[te], sv), tpr_at_fpr(p.y[te], sv, 0.01)["tpr"] or 0.0))
                log(f"  {by} {name} half {h}: none {per['none'][name][-1][0]:.3f} oracle {per['oracle'][name][-1][0]:.3f} "
                    + " ".join(f"knn-{k} {per[f'knn-{k}'][name][-1][0]:.3f}" for k in ks))
    finally:
        train_doc._oof_char = original
    out = {}
    for v, groups in per.items():
        g = {n: {"roc_auc": round(float(np.mean([a for a, _ in r])), 4), "tpr_at_fpr_1pct": round(float(np.mean([t for _, t in r])), 4)}
             for n, r in groups.items()}
        aucs = [x["roc_auc"] for x in g.values()]
        out[v] = {"mean": round(float(np.mean(aucs)), 4), "worst": round(float(np.min(aucs)), 4),
                  "tpr_at_fpr_1pct": round(float(np.mean([x["tpr_at_fpr_1pct"] for x in g.values()])), 4), "groups": g}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--corpus", action="append", default=[], metavar="NAME=DIR")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--para-docs", type=int, default=0, help="SmolLM2 paraphrase documents per dataset (cached only)")
    ap.add_argument("--k", default="10,50,200", help="comma-separated neighbour counts")
    ap.add_argument("--splits", default="family,domain", help=f"comma-separated, of: {', '.join(SPLITS)}")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    try:
        ks = [int(k) for k in args.k.split(",")]
    except ValueError:
        sys.exit(f"error: --k must be comma-separated integers, got {args.k!r}")
    splits = listed(args.splits, SPLITS, "split")
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.time()
    cfg = train_doc.Config(para_docs=args.para_docs, seed=args.seed)
    p = fast_prepared(trainset.training_set(args.data, cfg, args.corpus, log), cfg, log)
    emb = embeddings(p.texts, log)
    results = {by: run(p, emb, by, ks, log) for by in splits}
    for by, r in results.items():
        print(f"\n{by}\n| variant | mean (worst) | TPR at 1 % FPR |\n|---|---|---|")
        for v, x in r.items():
            print(f"| {v} | {x['mean']:.3f} ({x['worst']:.3f}) | {x['tpr_at_fpr_1pct']:.3f} |")
        for v in ("none", "oracle", f"knn-{ks[-1]}"):
            print(f"{by} {v}: " + ", ".join(f"{n} {g['roc_auc']:.3f}" for n, g in r[v]["groups"].items()))
    print(f"({time.time() - t0:.0f} s)", file=sys.stderr)
    if args.out:
        save({"args": vars(args), "results": results}, args.out, lm=False)


if __name__ == "__main__":
    main()
