"""What the shipped threshold does on held-out text: recall of each unseen rewriter family, and false positives
on human documents beside an unseen family (seen domain) and from an unseen domain.

The same documents and folds as `spindetect train` (spindetect/train_doc.py); fast mode by default:

    python benchmarks/threshold_recall.py --data ../shared/data --out benchmarks/runs/threshold-recall-YYYY-MM-DD
    python benchmarks/threshold_recall.py --data ../shared/data --lm     # accurate mode (LM cache or the LM)

Pass the shipped model's corpora (`--corpus NAME=DIR ... --corpus-spin-every N`, from its model card) so that
the folds match the threshold read from its manifest. Besides the shipped threshold (the 95th percentile of every held-out human score, both validations pooled) it
reports the thresholds at the 80th/90th/95th percentile of the leave-one-family-out human scores alone.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from spindetect import docprep, modeldir, train_doc, trainset  # noqa: E402



def at(p, fam_idx, fam_prob, dom_idx, dom_prob, threshold: float) -> dict:
    y, fam = p.y[fam_idx], p.family[fam_idx]
    recall = {f: round(float((fam_prob[(fam == f)] >= threshold).mean()), 3) for f in train_doc.FAMILIES
              if (fam == f).any()}
    return {"threshold": round(float(threshold), 4), "recall": recall,
            "fpr_seen_domain": round(float((fam_prob[y == 0] >= threshold).mean()), 4),
            "fpr_unseen_domain": round(float((dom_prob[p.y[dom_idx] == 0] >= threshold).mean()), 4)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default=None)
    ap.add_argument("--lm", action="store_true")
    ap.add_argument("--corpus", action="append", default=[], metavar="NAME=DIR", help="a training corpus (repeatable)")
    ap.add_argument("--corpus-spin-every", type=int, default=2)
    ap.add_argument("--para-docs", type=int, default=None, help="SmolLM2-paraphrased originals per dataset, from the "
                    "cache (default: the shipped models', train_doc.SHIPPED_PARA_DOCS)")
    args = ap.parse_args()
    para = args.para_docs if args.para_docs is not None else train_doc.SHIPPED_PARA_DOCS
    cfg = train_doc.Config(lm=args.lm, corpus_spin_every=args.corpus_spin_every, para_docs=para)
    docs = trainset.training_set(args.data, cfg, args.corpus, lambda m: print(m, file=sys.stderr))
    lm_model = cache = None
    if args.lm:
        from spindetect.surprisal import LanguageModel

        lm_model, cache = LanguageModel(), docprep.default_lm_cache()
    p = docprep.prepare(docs, lm_model, cache, lambda m: print(m, file=sys.stderr), cfg.lm_docs, cfg.seed,
                          **docprep.measures(cfg))
    quiet = lambda m: print(m, file=sys.stderr)  # noqa: E731
    _, fi, fl = train_doc.validate(p, "family", args.lm, quiet)
    _, di, dl = train_doc.validate(p, "domain", args.lm, quiet)
    fp, dp = 1 / (1 + np.exp(-fl)), 1 / (1 + np.exp(-dl))
    shipped = modeldir.load_manifest(modeldir.default_model_dir("accurate" if args.lm else "fast"))["threshold"]["value"]
    rows = {"shipped": at(p, fi, fp, di, dp, shipped)}
    for q in (0.95, 0.90, 0.80):
        rows[f"LOFO humans q{q:.2f}"] = at(p, fi, fp, di, dp, np.quantile(fp[p.y[fi] == 0], q))
    fams = list(rows["shipped"]["recall"])
    print("| threshold | value | " + " | ".join(f"recall {f}" for f in fams)
          + " | FPR humans, seen domain | FPR humans, unseen domain |")
    print("|---" * (4 + len(fams)) + "|")
    for k, r in rows.items():
        print(f"| {k} | {r['threshold']:.3f} | " + " | ".join(f"{r['recall'][f]:.2f}" for f in fams)
              + f" | {r['fpr_seen_domain']:.3f} | {r['fpr_unseen_domain']:.3f} |")
    if args.out:
        o = Path(args.out)
        o.mkdir(parents=True, exist_ok=True)
        (o / "metrics.json").write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
