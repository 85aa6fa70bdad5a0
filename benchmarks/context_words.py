"""Which words does the context fit single out: swapped words against kept ones, and how often human words qualify.

    python benchmarks/context_words.py --data ../shared/data [--docs 150] --out benchmarks/runs/context-words-DATE

For ``--docs`` rewritten documents of each family (seed 1) and as many human ones: each content word's fit to its
context (spindetect/signals/context.py, the shipped fast model's vectors) and its label (benchmarks/word_labels.py:
1 when the rewrite's word has no counterpart in its original). Per family, the ROC AUC of the fit taken negative
for swapped/new words against kept ones (all content words, and lower-case ones only: names fit their context
poorly whoever wrote them); then, for rare (zipf < 4) lower-case words below each fit threshold, how many a
human document has per 100 content words, and in the spinner's output the share of them that are swaps
(precision) and the share of swaps they catch (recall). Prints Markdown tables; writes ``metrics.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import word_labels  # noqa: E402
from spindetect import modeldir, train_doc  # noqa: E402
from spindetect.signals import context  # noqa: E402

THRESHOLDS = (-0.1, -0.05, 0.0, 0.05, 0.1)
FAMILIES = ("spinner", "llm-paraphrase", "llm-polish", "back-translation", "dipper")


def measured(docs, lab, vectors, idx) -> list[tuple[float, float, bool, int]]:
    """(fit, zipf, lower-case, label) of every labelled content word of documents ``idx``."""
    out = []
    for i in idx:
        d = docs[i]
        w, y = lab(d)
        label = {a: int(v) for (a, _, _), v in zip(w, y)}
        for a, b, f, z in context.word_fits(vectors, d.text):
            if label.get(a, -1) >= 0:
                out.append((f, z, d.text[a].islower(), label[a]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--docs", type=int, default=150)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    vectors = modeldir.load(modeldir.default_model_dir("fast")).document.vectors
    docs = word_labels.documents(args.data)
    lab = word_labels.Labeller(docs)
    rng = np.random.default_rng(1)
    res: dict = {"by_family": {}, "thresholds": {}}
    rows = {}
    for fam in FAMILIES + ("human",):
        pool = [i for i, d in enumerate(docs) if d.family == fam and d.label == (0 if fam == "human" else 1)]
        rows[fam] = np.array(measured(docs, lab, vectors, rng.choice(pool, min(args.docs, len(pool)), replace=False)))
    print("| family | content words | share swapped/new | word ROC AUC (fit, negative) | lower-case words only |")
    print("|---|---|---|---|---|")
    for fam in FAMILIES:
        r = rows[fam]
        lower = r[:, 2] == 1
        a = train_doc._auc(r[:, 3], -r[:, 0])
        b = train_doc._auc(r[lower, 3], -r[lower, 0])
        res["by_family"][fam] = {"words": len(r), "swapped": round(float(r[:, 3].mean()), 4), "roc_auc": round(a, 4),
                                 "roc_auc_lower_case": round(b, 4)}
        print(f"| {fam} | {len(r)} | {r[:, 3].mean():.3f} | {a:.3f} | {b:.3f} |")
    h, sp = rows["human"], rows["spinner"]
    print("\n| rare lower-case words with fit below | per 100 content words, human documents | spinner: precision | "
          "spinner: recall of swaps |")
    print("|---|---|---|---|")
    for t in THRESHOLDS:
        flag_h = (h[:, 0] < t) & (h[:, 1] < context.RARE_ZIPF) & (h[:, 2] == 1)
        flag_s = (sp[:, 0] < t) & (sp[:, 1] < context.RARE_ZIPF) & (sp[:, 2] == 1)
        prec = float(sp[flag_s, 3].mean()) if flag_s.any() else float("nan")
        rec = float(flag_s[sp[:, 3] == 1].mean())
        res["thresholds"][str(t)] = {"human_per_100": round(100 * float(flag_h.mean()), 3),
                                     "spinner_precision": round(prec, 4), "spinner_recall": round(rec, 4)}
        print(f"| {t:g} | {100 * flag_h.mean():.2f} | {prec:.3f} | {rec:.3f} |")
    if args.out:
        o = Path(args.out)
        o.mkdir(parents=True, exist_ok=True)
        (o / "metrics.json").write_text(json.dumps(res, indent=2) + "\n")


if __name__ == "__main__":
    main()
