"""Does a small language model's paraphrases in training help on rewriters never seen? SmolLM2 as a rewriter family.

`spindetect.augment.paraphrase` rewrites originals of every domain sentence by sentence with the packaged
SmolLM2-135M-Instruct (greedy, fp32, cached). Its documents are training material only
(`docset.TRAINING_ONLY_DATASETS`): every figure below is on the same held-out documents with and without them.

Variants (both on the training set of the shipped model of the mode: the shared data plus the packaged corpora
given with --corpus):

    none   without paraphrased documents
    para   with --para-docs originals per dataset paraphrased (beside their originals)

Per variant: leave-one-family-out and leave-one-domain-out ROC AUC (worst group, TPR at 1 % FPR), the seen
spinner in unseen domains, calibration across domains and the pooled threshold's recall and false positives
(benchmarks/extra_humans.py's `evaluate`), and how the model trained *without* them scores the SmolLM2
paraphrases (ROC AUC against their own originals, both halves held out by original): a rewriter it never saw.

    bash scripts/get_corpora.sh brown lee     # prints the --corpus options
    python benchmarks/paraphrase_aug.py --data ../shared/data --corpus brown=DIR --corpus lee=DIR \
        [--corpus-spin-every 2] [--lm] [--para-docs 60] [--prompts paraphrase,simpler] [--generate] [--out benchmarks/runs/paraphrase-aug-YYYY-MM-DD]

Without --generate, paraphrases come from the cache only (`$SPINDETECT_CACHE/paraphrases/`); sentences
missing there stay unparaphrased. With it, missing ones are generated (~0.7 s a sentence on two cores).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extra_humans import evaluate, save, summary  # noqa: E402

from spindetect import cache, docprep, docset, train_doc, trainset  # noqa: E402
from spindetect.augment.paraphrase import Paraphraser, cache_file  # noqa: E402


def unseen_paraphraser(p, lm: bool) -> dict:
    """ROC AUC and TPR at 1 % FPR on the SmolLM2 documents of the model trained on everything else (by half)."""
    from spindetect.metrics import tpr_at_fpr

    sm = p.dataset == docset.PARA_DATASET
    aucs, tprs = [], []
    for h in (0, 1):
        tr = np.where((p.half != h) & ~sm)[0]
        te = np.where((p.half == h) & sm)[0]
        if lm:
            tr = tr[~np.isnan(p.lm[tr]).any(axis=1)]
            te = te[~np.isnan(p.lm[te]).any(axis=1)]
        s = train_doc.predict(p, train_doc.fit(p, tr, lm), te)
        aucs.append(train_doc._auc(p.y[te], s))
        tprs.append(tpr_at_fpr(p.y[te], s, 0.01)["tpr"] or 0.0)
    return {"roc_auc": round(float(np.mean(aucs)), 4), "tpr_at_fpr_1pct": round(float(np.mean(tprs)), 4),
            "n_docs": int(sm.sum())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--corpus", action="append", default=[], metavar="NAME=DIR")
    ap.add_argument("--corpus-spin-every", type=int, default=2)
    ap.add_argument("--para-docs", type=int, default=60, help="originals per dataset paraphrased")
    ap.add_argument("--prompts", default="paraphrase", help="comma-separated prompts the documents cycle through "
                    "(spindetect.augment.paraphrase.PROMPTS)")
    ap.add_argument("--lm", action="store_true", help="accurate mode (LM statistics, experts)")
    ap.add_argument("--generate", action="store_true", help="generate paraphrases missing from the cache")
    ap.add_argument("--distort", action=argparse.BooleanOptionalAction, default=True, help="the character model's "
                    "distorted view (train_doc.Config.distort; default on, as shipped)")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.time()
    cfg = train_doc.Config(lm=args.lm, corpus_spin_every=args.corpus_spin_every, para_docs=args.para_docs,
                           para_prompts=tuple(args.prompts.split(",")), distort=args.distort)
    para = Paraphraser(cache_file(cache.root()), log, cached_only=not args.generate)
    docs = trainset.training_set(args.data, cfg, args.corpus, log, para)
    sm = np.array([d.dataset == docset.PARA_DATASET for d in docs])
    log(f"{len(docs)} documents, {int(sm.sum())} of them SmolLM2 paraphrases and their originals")
    lm_model = None
    if args.lm:
        from spindetect.surprisal import LanguageModel

        lm_model = LanguageModel()
    p_all = docprep.prepare(docs, lm_model, docprep.default_lm_cache(), log, len(docs), cfg.seed,
                              **docprep.measures(cfg))
    results = {"unseen_paraphraser": unseen_paraphraser(p_all, args.lm)}
    log(f"SmolLM2 paraphrases, never trained on: {results['unseen_paraphraser']}")
    for name, keep in (("none", np.where(~sm)[0]), ("para", np.arange(len(docs)))):
        results[name] = r = evaluate(docprep.subset(p_all, keep), args.lm, log)
        print(summary(name, r), flush=True)
        print(f"  by family {r['by_family']}\n  by domain {r['by_domain']}", flush=True)
    print(f"unseen paraphraser: {results['unseen_paraphraser']}  ({time.time() - t0:.0f} s)", flush=True)
    if args.out:
        save(results, args.out, args.lm)


if __name__ == "__main__":
    main()
