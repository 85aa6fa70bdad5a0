"""spindetect.metrics against scikit-learn on known scores (no model needed)."""

import json
import math

import numpy as np
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)

from spindetect.metrics import (
    ECE_BINS,
    document_metrics,
    expected_calibration_error,
    group_metrics,
    sentence_metrics,
    tpr_at_fpr,
)

LABELS = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 1]
SCORES = [0.05, 0.2, 0.35, 0.55, 0.1, 0.9, 0.62, 0.4, 0.81, 0.97, 0.7, 0.5]


def test_document_metrics_match_sklearn():
    m = document_metrics(LABELS, SCORES, threshold=0.5)
    y, s = np.array(LABELS), np.array(SCORES)
    pred = (s >= 0.5).astype(int)
    assert m["n"] == 12 and m["n_pos"] == 6 and m["n_neg"] == 6
    assert m["roc_auc"] == pytest.approx(roc_auc_score(y, s))
    assert m["pr_auc"] == pytest.approx(average_precision_score(y, s))
    assert m["precision"] == pytest.approx(precision_score(y, pred))
    assert m["recall"] == pytest.approx(recall_score(y, pred))
    assert m["f1"] == pytest.approx(f1_score(y, pred))
    assert m["accuracy"] == pytest.approx((pred == y).mean())
    assert m["brier"] == pytest.approx(brier_score_loss(y, s))
    cm = m["confusion_matrix"]
    assert (cm["tn"], cm["fp"], cm["fn"], cm["tp"]) == (4, 2, 1, 5)
    assert m["fpr"] == pytest.approx(2 / 6)
    assert m["undefined"] == {}
    json.dumps(m, allow_nan=False)


def test_threshold_is_inclusive_like_the_detector():
    # A score equal to the threshold is labeled spun.
    m = document_metrics([0, 1], [0.3, 0.5], threshold=0.5)
    assert m["confusion_matrix"]["tp"] == 1 and m["accuracy"] == 1.0


def test_tpr_at_fpr_is_best_point_under_the_cap():
    # 100 originals, one of which outscores most spun documents.
    y = [0] * 100 + [1] * 10
    s = [i / 1000 for i in range(99)] + [0.95] + [0.5 + i / 100 for i in range(10)]
    op1 = tpr_at_fpr(y, s, 0.01)
    # One false positive (0.95) is allowed at 1 %: all 10 spun (0.50..0.59) are caught.
    assert op1 == {"tpr": 1.0, "fpr": 0.01, "threshold": pytest.approx(0.5)}
    op0 = tpr_at_fpr(y, s, 0.0)
    assert op0["fpr"] == 0.0 and op0["tpr"] == 0.0 and op0["threshold"] is None
    # The threshold it reports really achieves the rates it reports.
    pred = np.array(s) >= op1["threshold"]
    assert pred[np.array(y) == 1].mean() == op1["tpr"]
    assert pred[np.array(y) == 0].mean() == op1["fpr"]


def test_tpr_at_5pct_never_below_1pct():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 400)
    s = np.clip(rng.normal(0.4 + 0.2 * y, 0.2), 0, 1)
    m = document_metrics(y, s, 0.5)
    assert 0 <= m["tpr_at_fpr_1pct"] <= m["tpr_at_fpr_5pct"] <= 1
    assert m["fpr_at_fpr_1pct"] <= 0.01 and m["fpr_at_fpr_5pct"] <= 0.05


def test_ece_weights_sklearn_bins_by_count():
    y, s = np.array(LABELS), np.array(SCORES)
    prob_true, prob_pred = calibration_curve(y, s, n_bins=ECE_BINS, strategy="uniform")
    ece = expected_calibration_error(y, s)
    assert 0 <= ece <= 1
    # Hand check on a case with one document per bin: ECE = mean |label - score|.
    assert expected_calibration_error([0, 1, 1], [0.05, 0.55, 0.95]) == pytest.approx((0.05 + 0.45 + 0.05) / 3)
    # Two documents in one bin: |mean label - mean score| weighted by 2/3.
    assert expected_calibration_error([0, 1, 1], [0.31, 0.35, 0.95]) == pytest.approx(
        2 / 3 * abs(0.5 - 0.33) + 1 / 3 * 0.05
    )
    # Perfect calibration in every bin gives 0.
    assert expected_calibration_error([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5]) == pytest.approx(0.0)
    assert len(prob_true) <= ECE_BINS


@pytest.mark.parametrize("label", [0, 1])
def test_single_class_reports_what_is_defined(label):
    m = document_metrics([label] * 4, [0.2, 0.4, 0.6, 0.8], 0.5)
    assert m["roc_auc"] is None and m["pr_auc"] is None and m["tpr_at_fpr_1pct"] is None
    assert "only one class" in m["undefined"]["roc_auc"]
    assert m["accuracy"] == 0.5
    assert m["fpr"] == (0.5 if label == 0 else None)
    assert m["brier"] is not None and m["ece"] is not None
    json.dumps(m, allow_nan=False)


def test_no_positive_predictions_leave_precision_undefined():
    m = document_metrics([0, 1, 1], [0.1, 0.2, 0.3], 0.9)
    assert m["precision"] is None and m["recall"] == 0.0
    assert "threshold" in m["undefined"]["precision"]


def test_empty_input():
    m = document_metrics([], [], 0.5)
    assert m["n"] == 0 and m["roc_auc"] is None and m["accuracy"] is None and m["brier"] is None


def test_scores_outside_unit_interval_skip_calibration():
    m = document_metrics([0, 1], [-1.0, 3.0], 0.5)
    assert m["roc_auc"] == 1.0 and m["brier"] is None and m["ece"] is None


@pytest.mark.parametrize(
    "labels,scores,match",
    [([0, 2], [0.1, 0.2], "0 \\(original\\) or 1"), ([0, 1], [0.1], "2 labels but 1 scores"), ([0, 1], [0.1, math.nan], "finite")],
)
def test_bad_input_raises_value_error(labels, scores, match):
    with pytest.raises(ValueError, match=match):
        document_metrics(labels, scores, 0.5)


def test_group_metrics_split_and_order():
    labels = [0, 1, 0, 1, 0, 1, 1, 1]
    scores = [0.1, 0.9, 0.8, 0.2, 0.4, 0.6, 0.7, 0.8]
    groups = ["good", "good", "bad", "bad", "mid", "mid", "onlyspun", "onlyspun"]
    out = group_metrics(labels, scores, groups, 0.5)
    # good and mid tie at 1.0 with the same size: name breaks the tie.
    assert [g["group"] for g in out] == ["bad", "good", "mid", "onlyspun"]
    assert out[0]["roc_auc"] == 0.0
    # Undefined ROC AUC sorts last.
    assert out[-1]["group"] == "onlyspun" and out[-1]["roc_auc"] is None
    aucs = [g["roc_auc"] for g in out if g["roc_auc"] is not None]
    assert aucs == sorted(aucs)
    # Each group equals document_metrics on its own subset.
    good = next(g for g in out if g["group"] == "good")
    assert {k: v for k, v in good.items() if k != "group"} == document_metrics([0, 1], [0.1, 0.9], 0.5)
    assert sum(g["n"] for g in out) == len(labels)


def test_sentence_metrics():
    m = sentence_metrics([0, 1, 1, 0], [0.2, 0.7, 0.9, 0.1])
    assert m["roc_auc"] == 1.0 and m["n_pos"] == 2
    assert sentence_metrics([1, 1], [0.2, 0.3])["roc_auc"] is None
    assert sentence_metrics([], [])["n"] == 0


def test_pair_win_rate():
    from spindetect.metrics import pair_win_rate

    assert pair_win_rate([0.1, 0.5, 0.7, 0.4], [0.9, 0.5, 0.2, 0.6]) == {"n_pairs": 4, "win_rate": (1 + 0.5 + 0 + 1) / 4}
    assert pair_win_rate([], []) == {"n_pairs": 0, "win_rate": None}
    # Equals the ROC AUC of the pooled pair when there is a single pair.
    assert pair_win_rate([0.3], [0.8])["win_rate"] == roc_auc_score([0, 1], [0.3, 0.8])
    with pytest.raises(ValueError, match="2 original scores but 1"):
        pair_win_rate([0.1, 0.2], [0.3])


def test_tpr_at_fpr_means_one_thing_in_training_and_bench():
    """The training manifests (sentence and document models) and `bench` report TPR at 1 % FPR the same way:
    the best ROC point whose FPR is at most 1 % (train._metrics once interpolated the curve instead)."""
    import numpy as np

    from spindetect import train
    from spindetect.metrics import tpr_at_fpr

    # a negative tied with five positives makes a diagonal ROC segment: interpolating it at 1 % FPR
    # gives 0.75, a TPR no threshold reaches; the best point under the cap is 0.5
    y = np.array([1] * 5 + [0] + [1] * 5 + [0] * 49)
    s = np.r_[np.arange(10, 5, -1), [5] * 6, -np.arange(49)].astype(float)
    assert tpr_at_fpr(y, s, 0.01)["tpr"] == 0.5
    assert train._metrics(y, s, None)["tpr_at_fpr_1pct"] == 0.5
    assert train._metrics(y, s, None)["tpr_at_fpr_5pct"] == round(tpr_at_fpr(y, s, 0.05)["tpr"], 4)
