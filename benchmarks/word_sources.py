"""Which words to underline: the character model's word contributions or the language model's word surprisal.

    python benchmarks/word_sources.py --data ../shared/data [--docs 40]

For 40 rewritten documents of each family (seed 1) and 40 human ones: each word's largest character-model
contribution and largest SmolLM2 token surprisal (sentence by sentence, sentences whose normalised text equals
the raw text); ROC AUC of swapped/new words (benchmarks/word_labels.py) against kept ones, and the human
percentiles of word surprisal with the share of spinner words above them that are swaps. Results:
benchmarks/README.md ("Which words to underline").
"""
import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("--data", default="../shared/data")
ap.add_argument("--docs", type=int, default=40)
args = ap.parse_args()
import word_labels  # noqa: E402
from sklearn.metrics import roc_auc_score
from spindetect import modeldir
from spindetect.segment import segment
from spindetect.surprisal import LanguageModel
docs = word_labels.documents(args.data)
lab = word_labels.Labeller(docs)
m = modeldir.load(modeldir.default_model_dir("fast")).document
lm = LanguageModel()
rng = np.random.default_rng(1)
out = {}
res = {}
for fam in ("spinner", "llm-paraphrase", "back-translation", "human"):
    idx = [i for i, d in enumerate(docs) if d.family == fam and (d.label == 1 if fam != "human" else d.label == 0)]
    idx = list(rng.choice(idx, args.docs, replace=False))
    ys, cs, ls = [], [], []
    t0 = time.time()
    for i in idx:
        d = docs[i]
        w, y = lab(d)
        if (y < 0).all():
            continue
        starts = np.array([a for a, _, _ in w]); ends = np.array([b for _, b, _ in w])
        c = np.full(len(w), np.nan); l = np.full(len(w), np.nan)
        for s in segment(d.text):
            if s.norm != d.text[s.start:s.end]:
                continue  # keep offsets simple: sentences whose norm equals the raw text
            for a, b, v in m.char.word_contributions(s.norm):
                j = np.searchsorted(ends, s.start + b, side="left")
                if j < len(w) and starts[j] <= s.start + a < ends[j]:
                    c[j] = v if np.isnan(c[j]) else max(c[j], v)
            t = lm.score([s.norm])[0]
            for (a, b), sv in zip(t.spans, t.surprisal):
                j = np.searchsorted(ends, s.start + b, side="left")
                if j < len(w) and starts[j] < s.start + b and s.start + a < ends[j]:
                    l[j] = sv if np.isnan(l[j]) else max(l[j], sv)
        k = ~np.isnan(c) & ~np.isnan(l) & (y >= 0)
        ys.append(y[k]); cs.append(c[k]); ls.append(l[k])
    y, c, l = map(np.concatenate, (ys, cs, ls))
    res[fam] = (y, l)
    aucs = "" if fam == "human" else f" char word AUC {roc_auc_score(y, c):.3f}  LM word AUC {roc_auc_score(y, l):.3f}"
    print(f"{fam}: {len(y)} words, share swapped {y.mean():.3f}{aucs} ({time.time() - t0:.0f} s)", flush=True)

yh, lh = res["human"]; ys, ls = res["spinner"]
for q in (0.9, 0.95, 0.98):
    T = np.quantile(lh, q)
    sel = ls >= T
    print(f"human q{q}: T={T:.2f} nats; spinner words over T: {sel.mean():.3f}, of them swapped {ys[sel].mean():.3f} (base {ys.mean():.3f}); recall {sel[ys==1].mean():.3f}")
