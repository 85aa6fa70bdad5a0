"""Each signal of the document model alone, then stacked: leave-one-family-out and leave-one-domain-out.

The same documents, folds and stack as `spindetect train` (spindetect/train_doc.py),
with the stack restricted to one signal's columns per row:

    python benchmarks/signals.py --data ../shared/data --out benchmarks/runs/signals-YYYY-MM-DD
    python benchmarks/signals.py --data ../shared/data --lm    # the LM rows and the LM's zero-shot AUC per family
                                                               # (needs the LM; uses the training LM cache)
    python benchmarks/signals.py --data ../shared/data --codes-only   # artifact codes' firing rates only

``--corpus NAME=DIR`` (repeatable) and ``--corpus-spin-every N`` add the packaged corpora the shipped models train
with (their model cards name them; `bash scripts/get_corpora.sh` prints the options); they are never tested.

Leave-one-domain-out also reports each family's ROC AUC over the held-out domains ("family_in_unseen_domain"):
a rewriter the model was trained on, met in a domain it was not (the spinner row is the nearest this data comes
to the release evaluation's commercial spinner on encyclopedic text).

Every run first prints how often each artifact column fires on human and rewritten documents.

Writes ``metrics.json`` and ``args.json`` into --out and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from spindetect import docprep, train_doc, trainset  # noqa: E402

ROWS = {
    "char style": ("char",),
    "lexical (raw + two-sided)": ("lex", "lex2"),
    "artifacts (strong + rates, rule)": ("strong", "rate"),
    "stack (shipped fast)": None,
}
LM_ROWS = {
    "LM statistics (raw + two-sided)": ("lm", "lm2"),
    "stack without LM, same documents": ("char", "strong", "rate", "lex", "lex2"),
    "stack with LM (shipped accurate)": None,
}


def code_rates(p) -> dict:
    """Share of human and of rewritten documents in which each artifact column of the stack is non-zero."""
    from spindetect.signals import docmodel

    names = [f"strong:{c}" for c in docmodel.STRONG_CODES] + [f"rate:{c}" for c in docmodel.RATE_CODES]
    out = {}
    for k, n in enumerate(names):
        fired = p.art[:, k] > 0
        out[n] = {"human_docs": round(float(fired[p.y == 0].mean()), 4),
                  "rewritten_docs": round(float(fired[p.y == 1].mean()), 4),
                  "spinner_docs": round(float(fired[p.family == "spinner"].mean()), 4)}
    return out


def zero_shot(p) -> dict:
    """Per family: ROC AUC of the LM's mean surprisal (higher = rewritten), no training, on the LM sample."""
    import numpy as np
    from sklearn.metrics import roc_auc_score

    have = ~np.isnan(p.lm).any(axis=1)
    out = {}
    for f in train_doc.FAMILIES:
        m = have & train_doc.against_humans(p.family, p.y, p.dataset, f)
        if (p.family[m] == f).sum() >= 10:
            out[f] = round(float(roc_auc_score(p.y[m], p.lm[m, 0])), 3)
    return out


def per_family(p, idx, logit) -> dict:
    """ROC AUC of each (seen) rewriter family against the human originals of its datasets, over held-out domains."""
    out = {}
    fam, y, ds = p.family[idx], p.y[idx], p.dataset[idx]
    for f in train_doc.FAMILIES:
        m = train_doc.against_humans(fam, y, ds, f)
        out[f] = round(train_doc._auc(y[m], logit[m]), 3) if (fam[m] == f).sum() >= 10 else None
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default=None)
    ap.add_argument("--per-dataset", type=int, default=300)
    ap.add_argument("--lm", action="store_true")
    ap.add_argument("--lm-cache", default=None)
    ap.add_argument("--codes-only", action="store_true", help="only the artifact codes' firing rates (no validation)")
    ap.add_argument("--corpus", action="append", default=[], metavar="NAME=DIR", help="a training corpus (repeatable)")
    ap.add_argument("--corpus-spin-every", type=int, default=2)
    ap.add_argument("--para-docs", type=int, default=None, help="SmolLM2-paraphrased originals per dataset, from the "
                    "cache (default: the shipped models', train_doc.SHIPPED_PARA_DOCS)")
    args = ap.parse_args()
    t0 = time.time()
    para = args.para_docs if args.para_docs is not None else train_doc.SHIPPED_PARA_DOCS
    cfg = train_doc.Config(per_dataset=args.per_dataset, lm=args.lm, corpus_spin_every=args.corpus_spin_every, para_docs=para)
    docs = trainset.training_set(args.data, cfg, args.corpus, lambda m: print(m, file=sys.stderr))
    lm_model = None
    if args.lm:
        from spindetect.surprisal import LanguageModel

        lm_model = LanguageModel()
    cache = Path(args.lm_cache) if args.lm_cache else docprep.default_lm_cache()
    p = docprep.prepare(docs, lm_model, cache, lambda m: print(m, file=sys.stderr), cfg.lm_docs, cfg.seed,
                          **docprep.measures(cfg))
    rows = {} if args.codes_only else LM_ROWS if args.lm else ROWS
    out = {"artifact codes": code_rates(p)}
    print(f"| code | human documents with a hit ({int((p.y == 0).sum())}) | rewritten ({int((p.y == 1).sum())}) | "
          "spinner output |\n|---|---|---|---|")
    for n, r in out["artifact codes"].items():
        print(f"| {n} | {r['human_docs']:.2%} | {r['rewritten_docs']:.2%} | {r['spinner_docs']:.2%} |")
    if args.lm:
        out["zero-shot mean surprisal"] = zero_shot(p)
        print("zero-shot: ROC AUC of the mean token surprisal (no training), each family against the human "
              "originals of its datasets:", json.dumps(out["zero-shot mean surprisal"]))
    for label, signals in rows.items():
        out[label] = {}
        for by in ("family", "domain"):
            print(f"{label}: leave-one-{by}-out", file=sys.stderr)
            table, idx, logit = train_doc.validate(p, by, args.lm, lambda m: print(m, file=sys.stderr), signals=signals)
            out[label][by] = table
            if by == "domain":
                out[label]["family_in_unseen_domain"] = per_family(p, idx, logit)
    if not rows:
        return _write(args, out)
    print("| signal | LOFO mean ROC AUC (worst) | LOFO TPR@1%FPR | LODO mean ROC AUC (worst) | LODO TPR@1%FPR "
          "| spinner (seen) in unseen domains |")
    print("|---|---|---|---|---|---|")
    for label, r in out.items():
        if not isinstance(r, dict) or "family" not in r:
            continue
        f, d = r["family"]["mean"], r["domain"]["mean"]
        print(f"| {label} | {f['roc_auc']:.3f} ({f['min_roc_auc']:.3f}) | {f['tpr_at_fpr_1pct']:.3f} | "
              f"{d['roc_auc']:.3f} ({d['min_roc_auc']:.3f}) | {d['tpr_at_fpr_1pct']:.3f} | "
              f"{r['family_in_unseen_domain'].get('spinner')} |")
    print(f"({time.time() - t0:.0f} s)", file=sys.stderr)
    _write(args, out)


def _write(args, out: dict) -> None:
    if args.out:
        o = Path(args.out)
        o.mkdir(parents=True, exist_ok=True)
        (o / "metrics.json").write_text(json.dumps(out, indent=2, sort_keys=True) + "\n")
        (o / "args.json").write_text(json.dumps(vars(args), indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
