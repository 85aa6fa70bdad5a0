"""Each signal of the document model alone, then stacked: leave-one-family-out and leave-one-domain-out.

The same documents, folds and stack as `spindetect train` (spindetect/train_doc.py),
with the stack restricted to one signal's columns per row:

    python benchmarks/signals.py --data ../shared/data --out benchmarks/runs/signals-YYYY-MM-DD
    python benchmarks/signals.py --data ../shared/data --lm    # adds the LM rows (needs the LM; uses the
                                                               # training LM cache when it holds the documents)

Writes ``metrics.json`` and ``args.json`` into --out and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from spindetect import docset, train_doc  # noqa: E402
from spindetect.data import read_training_file  # noqa: E402

FILES = ("llmfake", "sheepdog_politifact", "f3", "hppt", "detectrl_paraphrase_nonnews", "human_paraphrase_pairs",
         "padben_sentences")
ROWS = {
    "char style": ("char",),
    "lexical (raw + two-sided)": ("lex", "lex2"),
    "artifacts (strong + rates, rule)": ("strong", "rate"),
    "stack (shipped fast)": None,
}
LM_ROWS = {
    "LM statistics (raw + two-sided)": ("lm", "lm2"),
    "stack without LM, LM sample only": ("char", "strong", "rate", "lex", "lex2"),
    "stack with LM (shipped accurate)": None,
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default=None)
    ap.add_argument("--per-dataset", type=int, default=300)
    ap.add_argument("--lm", action="store_true")
    ap.add_argument("--lm-cache", default=None)
    args = ap.parse_args()
    t0 = time.time()
    pairs, texts = [], []
    for name in FILES:
        a, b = read_training_file(Path(args.data) / f"{name}.jsonl.gz")
        pairs += a
        texts += b
    cfg = train_doc.Config(per_dataset=args.per_dataset, lm=args.lm)
    docs = docset.build(pairs, texts, per_dataset=cfg.per_dataset, max_words=cfg.max_words, spin_docs=cfg.spin_docs,
                        edit_docs=cfg.edit_docs, seed=cfg.seed)
    lm_model = None
    if args.lm:
        from spindetect.surprisal import LanguageModel

        lm_model = LanguageModel()
    import os

    cache = Path(args.lm_cache) if args.lm_cache else Path(os.environ.get("SPINDETECT_CACHE") or Path.home() / ".cache" / "spindetect") / "train-lm-stats.json"
    p = train_doc.prepare(docs, lm_model, cache, lambda m: print(m, file=sys.stderr), cfg.lm_docs, cfg.seed)
    rows = LM_ROWS if args.lm else ROWS
    out = {}
    for label, signals in rows.items():
        out[label] = {}
        for by in ("family", "domain"):
            print(f"{label}: leave-one-{by}-out", file=sys.stderr)
            table, _, _ = train_doc.validate(p, by, args.lm, lambda m: print(m, file=sys.stderr), signals=signals)
            out[label][by] = table
    print("| signal | LOFO mean ROC AUC (worst) | LOFO TPR@1%FPR | LODO mean ROC AUC (worst) | LODO TPR@1%FPR |")
    print("|---|---|---|---|---|")
    for label, r in out.items():
        f, d = r["family"]["mean"], r["domain"]["mean"]
        print(f"| {label} | {f['roc_auc']:.3f} ({f['min_roc_auc']:.3f}) | {f['tpr_at_fpr_1pct']:.3f} | "
              f"{d['roc_auc']:.3f} ({d['min_roc_auc']:.3f}) | {d['tpr_at_fpr_1pct']:.3f} |")
    print(f"({time.time() - t0:.0f} s)", file=sys.stderr)
    if args.out:
        o = Path(args.out)
        o.mkdir(parents=True, exist_ok=True)
        (o / "metrics.json").write_text(json.dumps(out, indent=2, sort_keys=True) + "\n")
        (o / "args.json").write_text(json.dumps(vars(args), indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
