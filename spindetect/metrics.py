"""Benchmark metrics as pure functions of labels and scores (1 = spun).

Every number comes from scikit-learn; this module only picks operating
points, handles undefined cases and returns plain JSON-ready dicts. A metric
that is undefined for the data (ROC AUC with one class, precision with no
positive predictions, ...) is ``None`` and its reason is listed under
``"undefined"``, so callers can print what *is* defined.

scikit-learn is imported inside the functions: the CLI imports this module
for ``--help``.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

#: Expected calibration error binning: 10 equal-width bins on [0, 1]
#: (``calibration_curve(strategy="uniform")``), each bin weighted by its share
#: of the documents.
ECE_BINS = 10
ECE_STRATEGY = "uniform"
#: False-positive rates at which the true-positive rate is reported.
FPR_TARGETS = {"1pct": 0.01, "5pct": 0.05}


def _arrays(labels, scores) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(labels, dtype=np.int64).ravel()
    s = np.asarray(scores, dtype=np.float64).ravel()
    if y.shape != s.shape:
        raise ValueError(f"{y.size} labels but {s.size} scores")
    if y.size and not np.isin(y, (0, 1)).all():
        raise ValueError("labels must be 0 (original) or 1 (spun)")
    if not np.isfinite(s).all():
        raise ValueError("scores must be finite numbers")
    return y, s


def _num(x) -> float | None:
    """A JSON-safe float: NaN and infinities become None."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def tpr_at_fpr(labels, scores, max_fpr: float) -> dict:
    """The highest true-positive rate whose false-positive rate is at most ``max_fpr``.

    Parameters
    ----------
    labels, scores : array-like
        0/1 labels and scores where higher means more likely spun.
    max_fpr : float
        The largest acceptable false-positive rate, in [0, 1].

    Returns
    -------
    dict
        ``tpr``, the ``fpr`` actually reached and the ``threshold`` that
        reaches them (label spun when ``score >= threshold``; ``None`` when
        only "flag nothing" keeps the FPR low enough). All ``None`` when
        either class is missing.
    """
    from sklearn.metrics import roc_curve

    y, s = _arrays(labels, scores)
    if y.size == 0 or y.min() == y.max():
        return {"tpr": None, "fpr": None, "threshold": None}
    # Keep every threshold: dropping "intermediate" points could hide the best
    # point under the FPR cap.
    fpr, tpr, thr = roc_curve(y, s, drop_intermediate=False)
    ok = np.flatnonzero(fpr <= max_fpr + 1e-12)
    k = ok[np.argmax(tpr[ok])]
    return {"tpr": float(tpr[k]), "fpr": float(fpr[k]), "threshold": _num(thr[k])}


def expected_calibration_error(labels, scores, n_bins: int = ECE_BINS) -> float | None:
    """ECE with ``calibration_curve``'s uniform bins, weighted by bin counts.

    ``sum_b (n_b / n) * |fraction spun in b - mean score in b|`` over the
    non-empty bins of ``n_bins`` equal-width bins on [0, 1]. ``None`` when
    there are no documents or a score lies outside [0, 1].
    """
    from sklearn.calibration import calibration_curve

    y, s = _arrays(labels, scores)
    if y.size == 0 or s.min() < 0 or s.max() > 1:
        return None
    prob_true, prob_pred = calibration_curve(y, s, n_bins=n_bins, strategy=ECE_STRATEGY, pos_label=1)
    # calibration_curve drops empty bins and does not return counts: recount
    # with its own bin assignment (searchsorted on the inner edges).
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    counts = np.bincount(np.searchsorted(edges[1:-1], s), minlength=n_bins)
    counts = counts[counts > 0]
    return float(np.sum(counts / y.size * np.abs(prob_true - prob_pred)))


def document_metrics(labels: Sequence[int], scores: Sequence[float], threshold: float) -> dict:
    """Classification metrics of ``scores`` against 0/1 ``labels`` at ``threshold``.

    Parameters
    ----------
    labels : sequence of int
        1 = spun, 0 = original.
    scores : sequence of float
        Document scores in [0, 1]; a document is predicted spun when
        ``score >= threshold`` (the detector's rule).
    threshold : float
        The operating threshold for accuracy, precision, recall, F1 and the
        confusion matrix.

    Returns
    -------
    dict
        ``n, n_pos, n_neg, roc_auc, pr_auc`` (average precision), ``accuracy,
        precision, recall, f1, fpr`` (at ``threshold``), ``tpr_at_fpr_1pct, fpr_at_fpr_1pct,
        threshold_at_fpr_1pct`` (and ``_5pct``), ``brier, ece, ece_bins,
        threshold, confusion_matrix`` (``tn, fp, fn, tp``) and ``undefined``
        (metric -> reason) for every metric that is ``None``.

    Raises
    ------
    ValueError
        Labels other than 0/1, non-finite scores, or mismatched lengths.
    """
    from sklearn.metrics import (
        accuracy_score,
        average_precision_score,
        brier_score_loss,
        confusion_matrix,
        precision_recall_fscore_support,
        roc_auc_score,
    )

    y, s = _arrays(labels, scores)
    n_pos = int(y.sum())
    n_neg = int(y.size - n_pos)
    out: dict = {"n": int(y.size), "n_pos": n_pos, "n_neg": n_neg, "threshold": float(threshold)}
    undefined: dict[str, str] = {}
    both = n_pos > 0 and n_neg > 0
    if y.size == 0:
        why = "no documents"
    elif not both:
        why = f"only one class ({n_pos} spun, {n_neg} original)"
    if both:
        out["roc_auc"] = float(roc_auc_score(y, s))
        out["pr_auc"] = float(average_precision_score(y, s))
    else:
        out["roc_auc"] = out["pr_auc"] = None
        undefined["roc_auc"] = undefined["pr_auc"] = why

    pred = (s >= threshold).astype(np.int64)
    if y.size:
        out["accuracy"] = float(accuracy_score(y, pred))
        p, r, f, _ = precision_recall_fscore_support(
            y, pred, labels=[1], average=None, zero_division=np.nan
        )
        out["precision"], out["recall"], out["f1"] = _num(p[0]), _num(r[0]), _num(f[0])
        if out["precision"] is None:
            undefined["precision"] = "no document scored at or above the threshold"
        if out["recall"] is None:
            undefined["recall"] = "no spun documents"
        if out["f1"] is None:
            undefined["f1"] = "precision or recall undefined"
        tn, fp, fn, tp = (int(v) for v in confusion_matrix(y, pred, labels=[0, 1]).ravel())
    else:
        out["accuracy"] = out["precision"] = out["recall"] = out["f1"] = None
        for k in ("accuracy", "precision", "recall", "f1"):
            undefined[k] = why
        tn = fp = fn = tp = 0
    out["confusion_matrix"] = {"tn": tn, "fp": fp, "fn": fn, "tp": tp}
    # The false-positive rate at the threshold is the one number a set of
    # originals alone (hard negatives such as human paraphrases) can give.
    out["fpr"] = fp / (fp + tn) if fp + tn else None
    if out["fpr"] is None:
        undefined["fpr"] = "no original documents"

    for name, target in FPR_TARGETS.items():
        op = tpr_at_fpr(y, s, target)
        out[f"tpr_at_fpr_{name}"] = op["tpr"]
        out[f"fpr_at_fpr_{name}"] = op["fpr"]
        out[f"threshold_at_fpr_{name}"] = op["threshold"]
        if op["tpr"] is None:
            undefined[f"tpr_at_fpr_{name}"] = why

    in_unit = y.size > 0 and s.min() >= 0 and s.max() <= 1
    out["brier"] = float(brier_score_loss(y, s, pos_label=1)) if in_unit else None
    out["ece"] = expected_calibration_error(y, s) if in_unit else None
    out["ece_bins"] = f"{ECE_BINS} {ECE_STRATEGY} bins on [0, 1] (sklearn calibration_curve), weighted by count"
    if not in_unit:
        undefined["brier"] = undefined["ece"] = "no documents" if y.size == 0 else "scores outside [0, 1]"
    out["undefined"] = undefined
    return out


def sentence_metrics(labels: Sequence[int], scores: Sequence[float]) -> dict:
    """Ranking metrics of sentence scores: ``n, n_pos, n_neg, roc_auc, pr_auc`` (``None`` with one class)."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    y, s = _arrays(labels, scores)
    n_pos = int(y.sum())
    out = {"n": int(y.size), "n_pos": n_pos, "n_neg": int(y.size - n_pos)}
    if n_pos and n_pos < y.size:
        out["roc_auc"] = float(roc_auc_score(y, s))
        out["pr_auc"] = float(average_precision_score(y, s))
    else:
        out["roc_auc"] = out["pr_auc"] = None
    return out


def worst_first_key(entry: dict) -> tuple:
    """Sort key: lowest ROC AUC first, undefined ROC AUC last, then larger groups, then name."""
    auc = entry.get("roc_auc")
    return (auc is None, auc if auc is not None else 0.0, -entry.get("n", 0), str(entry.get("group", "")))


def group_metrics(
    labels: Sequence[int], scores: Sequence[float], groups: Sequence[str], threshold: float
) -> list[dict]:
    """``document_metrics`` for each distinct value of ``groups``, worst first.

    Parameters
    ----------
    labels, scores : sequence
        As for ``document_metrics``.
    groups : sequence of str
        The group of each document (same length as ``labels``).
    threshold : float
        The operating threshold.

    Returns
    -------
    list of dict
        One ``{"group": name, **document_metrics(...)}`` per group, sorted by
        ROC AUC ascending; groups whose ROC AUC is undefined (one class) come
        last. An empty input gives an empty list.
    """
    y, s = _arrays(labels, scores)
    g = np.asarray([str(x) for x in groups], dtype=object)
    if g.shape != y.shape:
        raise ValueError(f"{y.size} labels but {g.size} group values")
    out = []
    for name in sorted(set(g.tolist())):
        m = g == name
        out.append({"group": name, **document_metrics(y[m], s[m], threshold)})
    return sorted(out, key=worst_first_key)


def pair_win_rate(original_scores: Sequence[float], rewritten_scores: Sequence[float]) -> dict:
    """How often a rewrite scores above its own original (ties count one half).

    Pairwise comparison cancels what differs between sources rather than
    between human and machine text (length, scrape debris): the shared data's
    README asks for it over raw original-vs-rewritten accuracy. It is the ROC
    AUC restricted to the pairs.

    Returns
    -------
    dict
        ``n_pairs`` and ``win_rate`` (``None`` without pairs).
    """
    o = np.asarray(original_scores, dtype=np.float64).ravel()
    r = np.asarray(rewritten_scores, dtype=np.float64).ravel()
    if o.shape != r.shape:
        raise ValueError(f"{o.size} original scores but {r.size} rewritten scores")
    if o.size == 0:
        return {"n_pairs": 0, "win_rate": None}
    return {"n_pairs": int(o.size), "win_rate": float(np.mean((r > o) + 0.5 * (r == o)))}
