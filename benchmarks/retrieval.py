"""Choose and check the tracing thresholds: `compare` verdict and `find` "no source".

Usage::

    python benchmarks/retrieval.py --data /work/shared/data --per-dataset 50 --out benchmarks/runs/retrieval

Data: the rewrite pairs of /work/shared/data (``open-ended`` generations are
left out: they are not rewrites). Per dataset ``--per-dataset`` pairs with
distinct originals are sampled (seeded).

1. Pairwise (``spindetect compare``): positives are (rewrite, its original);
   negatives are (rewrite, ``--negatives`` other originals of the same
   dataset) -- same beat, so the hard case. For each link threshold on a grid
   the coverage threshold is the lowest value whose false-positive rate on the
   negatives is <= 1 %; the link threshold with the best ROC AUC is chosen
   (its true-positive rate at that point is reported).
2. Retrieval (``spindetect index`` / ``find``): all sampled originals are
   indexed; each rewrite is a query. Top-1 / top-5 source accuracy per
   dataset; the false-match score is the best score of a source other than
   the true one (what ``find`` reports when the true source is not indexed).
   The "no source" threshold is the lowest score with <= 1 % false matches
   (a wrong source that is a near-copy of the true original, i.e. the same
   story in two datasets, is counted as a duplicate, not a false match).
   Index build and query times are measured; the ANN path (usearch) is
   compared with exact search on the same index.

Everything (arguments, per-item scores, metrics) is written to ``--out``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from spindetect.align import align, word_count  # noqa: E402
from spindetect.embed import Embedder  # noqa: E402
from spindetect.index import SourceIndex  # noqa: E402
from spindetect.segment import segment  # noqa: E402

DATASETS = ("llmfake", "sheepdog_politifact", "f3", "hppt", "detectrl_paraphrase_nonnews")
LINK_GRID = (0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
MAX_FPR = 0.01
#: A wrong source that shares this much (coverage, either direction) with the
#: true original is a duplicate of it.
DUPLICATE_COVERAGE = 0.5


def load_pairs(data: Path, name: str, n: int, rng: random.Random) -> list[dict]:
    rows = [json.loads(line) for line in gzip.open(data / f"{name}.jsonl.gz", "rt", encoding="utf-8")]
    rows = [r for r in rows if r.get("method") != "open-ended"]
    rng.shuffle(rows)
    seen, out = set(), []
    for r in rows:
        key = " ".join(r["original"].split())
        if key in seen:
            continue
        seen.add(key)
        out.append(r)
        if len(out) == n:
            break
    return out


def _encode_cached(emb: Embedder, sents: list[str], cache: Path) -> tuple[np.ndarray, float]:
    """Embeddings and the seconds they took (as measured when first computed)."""
    import hashlib

    key = hashlib.sha256("\n".join([emb.name, *sents]).encode()).hexdigest()[:16]
    f, meta = cache / f"{key}.npy", cache / f"{key}.json"
    if f.is_file() and meta.is_file():
        return np.load(f, allow_pickle=False), json.loads(meta.read_text())["seconds"]
    t0 = time.perf_counter()
    vecs = emb.encode(sents)
    seconds = time.perf_counter() - t0
    cache.mkdir(parents=True, exist_ok=True)
    np.save(f, vecs, allow_pickle=False)
    meta.write_text(json.dumps({"seconds": seconds, "n": len(sents)}))
    return vecs, seconds


def threshold_at_fpr(neg: np.ndarray, pos: np.ndarray, max_fpr: float) -> tuple[float, float, float]:
    """Lowest threshold t (from the observed scores) with FPR(score >= t) <= max_fpr; (t, tpr, fpr)."""
    cands = np.unique(np.concatenate([neg, pos, [1.0 + 1e-9]]))
    for t in cands:
        fpr = float(np.mean(neg >= t))
        if fpr <= max_fpr:
            return float(t), float(np.mean(pos >= t)), fpr
    return 1.0, 0.0, 0.0


def auc(neg: np.ndarray, pos: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(np.r_[np.zeros(len(neg)), np.ones(len(pos))], np.r_[neg, pos]))


def ann_scale(vecs: np.ndarray, n: int, rng: random.Random, doc_len: int = 20, queries: int = 50, q_len: int = 12) -> dict:
    """Exact vs ANN (usearch HNSW) on ``n`` synthetic sentences: real embeddings plus noise.

    Each query is ``q_len`` noisy copies of one document's sentences (cosine
    about 0.8 to the originals, like a paraphrase), so the right answer is known.
    """
    gen = np.random.default_rng(rng.randrange(1 << 30))
    base = vecs[gen.integers(0, len(vecs), n)] + gen.normal(0, 0.06, (n, vecs.shape[1])).astype(np.float32)
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    docs = [(f"doc{k}", ["s"] * doc_len) for k in range(n // doc_len)]
    base = base[: len(docs) * doc_len]
    out = {"n_sentences": len(base), "n_docs": len(docs)}
    with tempfile.TemporaryDirectory() as tmp:
        idx = SourceIndex.create(Path(tmp) / "i", "synthetic", base.shape[1])
        t0 = time.perf_counter()
        idx.add(docs, base)  # builds and saves the HNSW graph when above EXACT_LIMIT
        out["add_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        idx = SourceIndex.open(Path(tmp) / "i")
        out["open_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        idx.find(base[:q_len], [20] * q_len, top=1, exact=False)  # loads (or, below EXACT_LIMIT, builds) the graph
        out["ann_first_query_s"] = time.perf_counter() - t0
        truth = gen.integers(0, len(docs), queries)
        res = {"exact": [], "ann": []}
        for mode in ("ann", "exact"):
            t0 = time.perf_counter()
            for d in truth:
                q = base[d * doc_len : d * doc_len + q_len] + gen.normal(0, 0.035, (q_len, base.shape[1])).astype(np.float32)
                q /= np.linalg.norm(q, axis=1, keepdims=True)
                ms = idx.find(q, [20] * q_len, top=1, exact=(mode == "exact"))
                res[mode].append(bool(ms) and ms[0].source == f"doc{d}")
            out[f"query_ms_{mode}"] = 1000 * (time.perf_counter() - t0) / queries
            out[f"top1_{mode}"] = float(np.mean(res[mode]))
    print("ann scale:", out, flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="/work/shared/data")
    ap.add_argument("--per-dataset", type=int, default=50)
    ap.add_argument("--negatives", type=int, default=3)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", default="benchmarks/runs/retrieval")
    ap.add_argument("--ann-scale", type=int, default=0, help="Also time exact vs ANN search on this many synthetic sentences (0: skip).")
    ap.add_argument("--cache", default="cache/retrieval", help="Embeddings are cached here by a hash of the sentences.")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    data = Path(args.data)

    pairs = {name: load_pairs(data, name, args.per_dataset, rng) for name in DATASETS}
    emb = Embedder()
    t0 = time.perf_counter()
    texts: dict[str, list] = {}  # key -> (sentences, embeddings, words)
    all_sents, keys = [], []
    for name, rows in pairs.items():
        for k, r in enumerate(rows):
            for side in ("original", "rewritten"):
                s = segment(r[side])
                texts[f"{name}/{k}/{side}"] = s
                keys.append(f"{name}/{k}/{side}")
                all_sents.extend(x.norm for x in s)
    seg_s = time.perf_counter() - t0
    vecs, embed_s = _encode_cached(emb, all_sents, Path(args.cache))
    n_sent = len(all_sents)
    print(f"{sum(map(len, pairs.values()))} pairs, {n_sent} sentences: segment {seg_s:.1f}s, embed {embed_s:.1f}s ({n_sent / embed_s:.0f} sent/s)", flush=True)
    E, W, pos = {}, {}, 0
    for key in keys:
        s = texts[key]
        E[key] = vecs[pos : pos + len(s)]
        W[key] = [word_count(x.text) for x in s]
        pos += len(s)

    # 1. pairwise coverage ----------------------------------------------------
    pair_items = []  # (dataset, rewrite key, original key, is_positive)
    for name, rows in pairs.items():
        for k in range(len(rows)):
            pair_items.append((name, f"{name}/{k}/rewritten", f"{name}/{k}/original", 1))
            others = [j for j in range(len(rows)) if j != k]
            for j in rng.sample(others, min(args.negatives, len(others))):
                pair_items.append((name, f"{name}/{k}/rewritten", f"{name}/{j}/original", 0))
    grid = {}
    t0 = time.perf_counter()
    for tau in LINK_GRID:
        cov = np.array([align(E[s], E[o], W[s], W[o], min_similarity=tau).coverage for _, s, o, _ in pair_items])
        y = np.array([p[3] for p in pair_items])
        t, tpr, fpr = threshold_at_fpr(cov[y == 0], cov[y == 1], MAX_FPR)
        grid[tau] = {"coverage_threshold": t, "tpr": tpr, "fpr": fpr, "auc": auc(cov[y == 0], cov[y == 1]), "coverage": cov}
        print(f"link {tau:.2f}: coverage >= {t:.3f}  TPR {tpr:.3f} at FPR {fpr:.3f}  AUC {grid[tau]['auc']:.4f}", flush=True)
    align_s = (time.perf_counter() - t0) / (len(LINK_GRID) * len(pair_items))
    # AUC picks the link threshold: TPR at 1 % FPR rests on the top 1 % of the
    # negatives (a handful of pairs) and, in the first run, favoured a link
    # threshold whose coverage cut (0.13) was one stray sentence per article.
    best_tau = max(LINK_GRID, key=lambda t: (grid[t]["auc"], grid[t]["tpr"]))
    chosen = grid[best_tau]
    cov = chosen["coverage"]
    y = np.array([p[3] for p in pair_items])
    per_ds_pair = {}
    for name in DATASETS:
        m = np.array([p[0] == name for p in pair_items])
        per_ds_pair[name] = {
            "tpr": float(np.mean(cov[m & (y == 1)] >= chosen["coverage_threshold"])),
            "fpr": float(np.mean(cov[m & (y == 0)] >= chosen["coverage_threshold"])),
            "mean_coverage_pos": float(np.mean(cov[m & (y == 1)])),
            "mean_coverage_neg": float(np.mean(cov[m & (y == 0)])),
        }

    # 2. retrieval --------------------------------------------------------------
    sources, docs, doc_emb = set(), [], []
    for name, rows in pairs.items():
        for k in range(len(rows)):
            key = f"{name}/{k}/original"
            docs.append((key, [x.text for x in texts[key]]))
            doc_emb.append(E[key])
            sources.add(key)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        idx = SourceIndex.create(Path(tmp) / "idx", emb.name, vecs.shape[1])
        idx.add(docs, np.concatenate(doc_emb))
        idx = SourceIndex.open(Path(tmp) / "idx")
        write_load_s = time.perf_counter() - t0
        n_index_sent = idx.n_sentences
        orig_sent = sum(len(d[1]) for d in docs)
        build_s = write_load_s + embed_s * orig_sent / n_sent  # embedding share of the originals
        results = {}
        for mode in ("exact", "ann"):
            rows_out = []
            t0 = time.perf_counter()
            for name, rows in pairs.items():
                for k in range(len(rows)):
                    q = f"{name}/{k}/rewritten"
                    ms = idx.find(E[q], W[q], top=10, min_similarity=best_tau, exact=(mode == "exact"))
                    truth = f"{name}/{k}/original"
                    ranked = [m.source for m in ms]
                    true_m = next((m for m in ms if m.source == truth), None)
                    false_m = next((m for m in ms if m.source != truth), None)
                    true_score, false_score = (true_m.score if true_m else 0.0), (false_m.score if false_m else 0.0)
                    # The same story can sit in two datasets (PolitiFact articles are in
                    # llmfake and sheepdog): a "false" source that covers the true original
                    # is a duplicate, not a false match.
                    dup = false_m is not None and max(
                        align(E[a], E[b], W[a], W[b], min_similarity=best_tau).coverage
                        for a, b in ((false_m.source, truth), (truth, false_m.source))
                    ) >= DUPLICATE_COVERAGE
                    true_cov = true_m.alignment.coverage if true_m else 0.0
                    false_cov = false_m.alignment.coverage if false_m else 0.0
                    rows_out.append({"dataset": name, "query": q, "rank": ranked.index(truth) + 1 if truth in ranked else None,
                                     "true_score": true_score, "false_score": false_score,
                                     "true_coverage": true_cov, "false_coverage": false_cov, "false_is_duplicate": dup,
                                     "top": ranked[:5]})
            query_s = (time.perf_counter() - t0) / len(rows_out)
            results[mode] = (rows_out, query_s)
    rows_out, query_s = results["exact"]
    n_dup = sum(r["false_is_duplicate"] for r in rows_out)
    for r in rows_out:
        if r["false_is_duplicate"]:
            r["false_score_raw"], r["false_score"], r["false_coverage"] = r["false_score"], 0.0, 0.0
    fs = np.array([r["false_score"] for r in rows_out])
    ts = np.array([r["true_score"] if r["rank"] == 1 else 0.0 for r in rows_out])
    no_src, recall, false_rate = threshold_at_fpr(fs, ts, MAX_FPR)
    # the same operating point if sources were judged by coverage instead of score
    cov_cut, cov_recall, cov_false = threshold_at_fpr(
        np.array([r["false_coverage"] for r in rows_out]),
        np.array([r["true_coverage"] if r["rank"] == 1 else 0.0 for r in rows_out]),
        MAX_FPR,
    )
    per_ds = {}
    for name in DATASETS:
        rr = [r for r in rows_out if r["dataset"] == name]
        ra = [r for r in results["ann"][0] if r["dataset"] == name]
        per_ds[name] = {
            "n": len(rr),
            "top1": float(np.mean([r["rank"] == 1 for r in rr])),
            "top5": float(np.mean([r["rank"] is not None and r["rank"] <= 5 for r in rr])),
            "top1_ann": float(np.mean([r["rank"] == 1 for r in ra])),
            "false_match_rate": float(np.mean([r["false_score"] >= no_src for r in rr])),
            "found_at_threshold": float(np.mean([r["rank"] == 1 and r["true_score"] >= no_src for r in rr])),
        }
    metrics = {
        "args": vars(args),
        "embedder": emb.name,
        "n_pairs": len(rows_out),
        "n_sentences_embedded": n_sent,
        "embed_sent_per_s": n_sent / embed_s,
        "align_ms_per_pair": 1000 * align_s,
        "pairwise": {
            "grid": {str(t): {k: v for k, v in g.items() if k != "coverage"} for t, g in grid.items()},
            "link_threshold": best_tau,
            "coverage_threshold": chosen["coverage_threshold"],
            "tpr_at_1pct_fpr": chosen["tpr"],
            "fpr": chosen["fpr"],
            "auc": chosen["auc"],
            "n_pos": int(np.sum(y == 1)),
            "n_neg": int(np.sum(y == 0)),
            "per_dataset": per_ds_pair,
        },
        "retrieval": {
            "index_docs": len(docs),
            "index_sentences": n_index_sent,
            "build_s": build_s,
            "write_and_load_s": write_load_s,
            "query_ms_exact": 1000 * query_s,
            "query_ms_ann": 1000 * results["ann"][1],
            "top1": float(np.mean([r["rank"] == 1 for r in rows_out])),
            "top5": float(np.mean([r["rank"] is not None and r["rank"] <= 5 for r in rows_out])),
            "no_source_threshold": no_src,
            "duplicate_sources_excluded": n_dup,
            "false_match_rate": false_rate,
            "found_at_threshold": recall,
            "by_coverage": {"threshold": cov_cut, "false_match_rate": cov_false, "found_at_threshold": cov_recall},
            "per_dataset": per_ds,
        },
    }
    if args.ann_scale:
        metrics["ann_scale"] = ann_scale(vecs, args.ann_scale, rng)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=1))
    (out / "retrieval_rows.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows_out))
    (out / "pairwise_rows.jsonl").write_text(
        "".join(json.dumps({"dataset": p[0], "suspect": p[1], "original": p[2], "positive": p[3], "coverage": float(c)}) + "\n" for p, c in zip(pair_items, cov))
    )
    print(json.dumps({k: v for k, v in metrics.items() if k != "args"}, indent=1))


if __name__ == "__main__":
    main()
