"""How much the held-out figures move from one draw of documents and split to another (fast mode).

Every figure in benchmarks/README.md comes from one draw: `train_doc.Config.seed` picks which documents of each
dataset are used, which are spun, paraphrased or copy-edited, and how originals are split into the two halves. The
same training recipe measured on two seeds gave leave-one-family-out 0.720 and 0.700 (benchmarks/README.md, "A
rewriter of rules pointing the LLM way"). This script measures the shipped fast recipe (or, with --fluent-docs N,
the recipe with the fluent rewriter's documents) on several seeds and prints each figure's mean, lowest and
highest, so a difference between two recipes can be read against the spread of one:

    bash scripts/get_corpora.sh brown lee     # prints the --corpus options
    python benchmarks/draws.py --data ../shared/data --corpus brown=DIR --corpus lee=DIR --seeds 0,1,2 \
        [--out benchmarks/runs/draws-YYYY-MM-DD]

Each seed takes as long as one fast evaluation (4–8 min on the 2-core VM). With --accurate, the shipped accurate
recipe instead (train_doc.ACCURATE: language-model statistics, `spindetect train --lm --corpus-spin-every 0
--char-agree 0 --pos-tags`, give it only the brown corpus as the shipped model had): needs `spindetect prepare --accurate`; SmolLM2 scores every document not yet in
the cache ($SPINDETECT_CACHE/train-lm-stats.json), ~0.2 s each, so the first seed takes ~30 min and later ones less.
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

from extra_humans import evaluate, fast_prepared, summary  # noqa: E402

from spindetect import cache, corpora, docprep, train_doc, trainset  # noqa: E402
from spindetect.augment.paraphrase import Paraphraser, cache_file  # noqa: E402


def figures(r: dict) -> dict[str, float]:
    """The figures of one evaluation that decide whether a recipe ships (benchmarks/README.md's rule)."""
    out = {"LOFO mean": r["lofo"]["roc_auc"], "LOFO worst": r["lofo"]["min_roc_auc"],
           "LOFO TPR at 1 % FPR": r["lofo"]["tpr_at_fpr_1pct"],
           "LODO mean": r["lodo"]["roc_auc"], "LODO worst": r["lodo"]["min_roc_auc"],
           "LODO TPR at 1 % FPR": r["lodo"]["tpr_at_fpr_1pct"],
           "spinner in unseen domains": r["spinner_in_unseen_domains"],
           "copy-edited flagged": r["pooled"]["copy_edited"], "MRPC flagged": r["pooled"]["human_paraphrases"]}
    out.update({f"family {k}": v for k, v in r["by_family"].items()})
    out.update({f"domain {k}": v for k, v in r["by_domain"].items()})
    return out


def spread(results: dict) -> dict[str, dict[str, float]]:
    """Per figure: mean, lowest, highest and highest minus lowest over the evaluations in ``results`` (seed -> dict)."""
    per = [figures(r) for r in results.values()]
    out = {}
    for k in per[0]:
        v = np.array([f[k] for f in per], dtype=float)
        out[k] = {"mean": round(float(v.mean()), 4), "min": round(float(v.min()), 4),
                  "max": round(float(v.max()), 4), "range": round(float(v.max() - v.min()), 4)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--corpus", action="append", default=[], metavar="NAME=DIR")
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--fluent-docs", type=int, default=0, help="the fluent rewriter's documents per dataset (`spindetect "
                    "train --fluent-docs`; 0, the shipped recipe, by default)")
    ap.add_argument("--accurate", action="store_true", help="the accurate recipe (language-model statistics)")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    if args.accurate and args.fluent_docs:
        sys.exit("error: --fluent-docs is a fast-recipe variant; leave it out with --accurate")
    try:
        seeds = [int(s) for s in args.seeds.split(",")]
    except ValueError:
        sys.exit(f"error: --seeds must be comma-separated integers, got {args.seeds!r}")
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.time()
    para = Paraphraser(cache_file(cache.root()), log, cached_only=True)
    lm_model = None
    if args.accurate:
        from spindetect.surprisal import LanguageModel

        lm_model = LanguageModel()
    results = {}
    for s in seeds:
        t = time.time()
        cfg = train_doc.Config(para_docs=train_doc.SHIPPED_PARA_DOCS, seed=s, fluent_docs=args.fluent_docs,
                               **(train_doc.ACCURATE if args.accurate else {}))
        docs = trainset.training_set(args.data, cfg, args.corpus, log, para)
        if args.accurate:
            p = docprep.prepare(docs, lm_model, docprep.default_lm_cache(), log, cfg.lm_docs, cfg.seed,
                                **docprep.measures(cfg, corpora.parse(args.corpus), log))
        else:
            p = fast_prepared(docs, cfg, log)
        results[s] = r = evaluate(p, args.accurate, log)
        r["seconds"] = round(time.time() - t)
        print(summary(f"seed {s}", r), f"({r['seconds']} s)", flush=True)
        if args.out:  # written after every seed: the last write is the whole run
            _write(args, results)
    sp = spread(results)
    print(f"\n| figure | mean over seeds {args.seeds} | lowest | highest | range |\n|---|---|---|---|---|")
    for k, v in sp.items():
        print(f"| {k} | {v['mean']:.3f} | {v['min']:.3f} | {v['max']:.3f} | {v['range']:.3f} |")
    print(f"({time.time() - t0:.0f} s)", file=sys.stderr)


def _write(args, results: dict) -> None:
    d = Path(args.out)
    d.mkdir(parents=True, exist_ok=True)
    out = {"seeds": {str(k): v for k, v in results.items()}, "spread": spread(results)}
    (d / "metrics.json").write_text(json.dumps(out, indent=2) + "\n")
    (d / "args.json").write_text(json.dumps(vars(args), indent=2) + "\n")


if __name__ == "__main__":
    main()
