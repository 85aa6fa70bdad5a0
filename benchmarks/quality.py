"""Held-out quality of the detector: leave-one-dataset-out and leave-one-family-out,
for feature subsets (the ablation of issue 4) and confound baselines (issue 5).

Runs the training pipeline of `spindetect train` (same sampling, labels,
features and classifier) but fits one model per held-out group and per
feature subset. Document AUROC compares each held-out dataset's rewritten
documents with its original windows.

    python benchmarks/quality.py --data ../shared/data --out benchmarks/runs/quality

Embeddings are cached in ~/.cache/spindetect/train-embeddings.npz (shared with
`spindetect train`), so a rerun costs minutes, not the first run's ~30.

With ``--lm`` the language-model surprisal columns (the accurate mode) are
computed too (cached in train-lm-smollm2-int8.npz, shared with
`spindetect train --lm`) and two more rows compare them, on the same sample,
with the fast mode's features. At ~400 tokens/s that is ~15 min per 10k new
sentences, so the accurate-mode comparison runs on a smaller sample:

    python benchmarks/quality.py --data ../shared/data --lm --max-docs 80 --spin-docs 40 --edit-docs 25 --families --out benchmarks/runs/quality-lm
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from spindetect import train as T  # noqa: E402
from spindetect.cache import root as cache_root  # noqa: E402
from spindetect.data import read_training_file  # noqa: E402
from spindetect.embed import Embedder  # noqa: E402

FILES = ("llmfake", "sheepdog_politifact", "f3", "hppt", "detectrl_paraphrase_nonnews", "human_paraphrase_pairs", "padben_sentences")
SUBSETS = {
    "embeddings only": ("emb:",),
    "artifacts only": ("artifact:",),
    "artifacts + lexical profile": ("artifact:", "style:"),
    "embeddings + artifacts": ("emb:", "artifact:"),
    "all (shipped)": ("emb:", "artifact:", "style:"),
}
LM_SUBSETS = {
    "LM surprisal only": ("lm:",),
    "all + LM surprisal (accurate mode)": ("emb:", "artifact:", "style:", "lm:"),
}


def baselines(prep: T.Prepared) -> dict[str, np.ndarray]:
    """Confound checks: features a detector must NOT be able to win with."""
    texts = prep.ex.texts
    n_words = np.array([[len(t.split())] for t in texts], dtype=np.float32)
    punct = np.array([[sum(t.count(c) for c in ",;:") / max(len(t), 1), t.count('"') / max(len(t), 1)] for t in texts], dtype=np.float32)
    return {"baseline: sentence length only": n_words, "baseline: punctuation only": punct}


def spinner_in_distribution(prep: T.Prepared, x: np.ndarray, cfg: T.TrainConfig) -> float:
    """Document ROC AUC on half the spinner documents with the other half in training.

    Two folds by the parity of the source pair's number, so a spun window and
    its unspun twin stay on the same side.
    """
    from sklearn.metrics import roc_auc_score

    from spindetect.classifier import fit

    ex = prep.ex
    doc_ds = np.array(ex.doc_dataset)
    labels = np.array(ex.doc_label)
    spin_docs = np.flatnonzero(doc_ds == "spinner")
    parity = {d: int("".join(c for c in ex.doc_id[d].rsplit(":", 1)[0] if c.isdigit()) or 0) % 2 for d in spin_docs}
    aucs = []
    for fold in (0, 1):
        test_docs = np.array([d for d in spin_docs if parity[d] == fold])
        test = np.isin(prep.sent_doc, test_docs)
        w = T._sample_weights(prep.y[~test], prep.sent_dataset[~test])
        clf = fit(x[~test], prep.y[~test], sample_weight=w, kind=cfg.classifier, c=cfg.c, seed=cfg.seed)
        stats = T.doc_statistics(clf.logits(x), prep.sent_doc, test_docs, cfg.top_fraction)
        aucs.append(roc_auc_score(labels[test_docs], stats))
    return round(float(np.mean(aucs)), 3)


def auc_table(prep: T.Prepared, x: np.ndarray, cfg: T.TrainConfig, by: str) -> dict[str, float]:
    from sklearn.metrics import roc_auc_score

    p = T.Prepared(prep.ex, x, prep.y, prep.sent_doc, prep.sent_dataset, prep.sent_family, prep.embedding_dim)
    folds, _, _ = T.held_out(p, cfg, by, log=lambda m: None)
    labels = np.array(prep.ex.doc_label)
    out = {}
    for g, f in folds.items():
        y = labels[f["docs"]]
        if len(set(y.tolist())) == 2:
            out[g] = round(float(roc_auc_score(y, f["stats"])), 3)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default="benchmarks/runs/quality")
    ap.add_argument("--max-docs", type=int, default=T.TrainConfig.max_docs)
    ap.add_argument("--spin-docs", type=int, default=T.TrainConfig.spin_docs)
    ap.add_argument("--edit-docs", type=int, default=T.TrainConfig.edit_docs)
    ap.add_argument("--families", action="store_true", help="also leave-one-family-out for every subset")
    ap.add_argument("--lm", action="store_true", help="add the language-model rows (accurate mode)")
    args = ap.parse_args(argv)
    cfg = T.TrainConfig(max_docs=args.max_docs, spin_docs=args.spin_docs, edit_docs=args.edit_docs, lm=args.lm)
    t0 = time.time()
    pairs, texts = [], []
    for f in FILES:
        p, t = read_training_file(Path(args.data) / f"{f}.jsonl.gz")
        pairs += p
        texts += t
    ex = T.build_examples(pairs, texts, cfg.max_docs, cfg.max_sentences, cfg.seed, cfg.spin_docs, cfg.edit_docs)
    cache_dir = cache_root()
    cache = T.EmbeddingCache(cache_dir / "train-embeddings.npz")
    lm = lm_cache = None
    if args.lm:
        from spindetect.surprisal import LanguageModel

        lm, lm_cache = LanguageModel().features, T.EmbeddingCache(cache_dir / "train-lm-smollm2-int8.npz")
    t_feat = time.time()
    prep = T.prepare(ex, Embedder(backend="torch").encode, cache, lambda a, b: print(f"  computed {a}/{b}", flush=True), lm, lm_cache)
    print(f"{len(ex.texts)} sentences, features in {time.time() - t_feat:.0f}s", flush=True)
    names = __import__("spindetect.features", fromlist=["feature_names"]).feature_names(prep.embedding_dim, lm=args.lm)
    results = {"config": cfg.__dict__, "n_sentences": len(ex.texts), "dataset": {}, "family": {}, "spinner_in_distribution": {}}
    subsets = {**SUBSETS, **(LM_SUBSETS if args.lm else {})}
    rows = [(name, prep.x[:, [i for i, n in enumerate(names) if n.startswith(pref)]]) for name, pref in subsets.items()]
    rows += list(baselines(prep).items())
    for name, x in rows:
        results["dataset"][name] = auc_table(prep, x, cfg, "dataset")
        if not name.startswith("baseline"):
            results["spinner_in_distribution"][name] = spinner_in_distribution(prep, x, cfg)
        print(name, results["dataset"][name], flush=True)
        if args.families or name == "all (shipped)" or "accurate" in name:
            results["family"][name] = auc_table(prep, x, cfg, "family")
            print("  families:", results["family"][name], flush=True)
    results["seconds"] = round(time.time() - t0)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "quality.json").write_text(json.dumps(results, indent=2))
    print(markdown(results))
    return 0


def markdown(results: dict) -> str:
    lines = ["\nspinner documents, half held out (spinner family seen in training): document ROC AUC\n"]
    lines += [f"- {k}: {v}" for k, v in results.get("spinner_in_distribution", {}).items()]
    for by in ("dataset", "family"):
        table = results[by]
        if not table:
            continue
        cols = sorted({g for r in table.values() for g in r})
        lines.append(f"\nleave-one-{by}-out document ROC AUC\n")
        lines.append("| features | " + " | ".join(cols) + " | mean |")
        lines.append("|---" * (len(cols) + 2) + "|")
        for name, r in table.items():
            vals = [r.get(c) for c in cols]
            mean = np.mean([v for v in vals if v is not None]) if any(v is not None for v in vals) else float("nan")
            lines.append(f"| {name} | " + " | ".join("-" if v is None else f"{v:.3f}" for v in vals) + f" | {mean:.3f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
