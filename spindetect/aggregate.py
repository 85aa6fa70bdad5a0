"""From sentence log-odds to a calibrated document score.

The document statistic is the mean of the sentence log-odds (optionally of the
top fraction of them); it never drops when one sentence's score rises. A Platt
scaling ``sigmoid(a * stat + b)`` with ``a > 0``, fitted on documents from
datasets held out of the sentence classifier's training, turns it into a
probability so that 0.5 means "as likely spun as not" on unseen rewriters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .classifier import sigmoid


@dataclass(frozen=True)
class Aggregator:
    a: float = 1.0
    b: float = 0.0
    top_fraction: float = 1.0

    def statistic(self, sentence_logits: np.ndarray) -> float:
        """Mean of the highest ``top_fraction`` of the sentence log-odds (0.0 when empty)."""
        if len(sentence_logits) == 0:
            return 0.0
        k = max(1, int(np.ceil(self.top_fraction * len(sentence_logits))))
        return float(np.mean(np.sort(sentence_logits)[::-1][:k]))

    def score(self, sentence_logits: np.ndarray) -> float:
        return float(sigmoid(np.array([self.a * self.statistic(sentence_logits) + self.b]))[0])

    def to_dict(self) -> dict:
        return {"method": "platt(mean of top fraction of sentence log-odds)", "a": self.a, "b": self.b, "top_fraction": self.top_fraction}

    @classmethod
    def from_dict(cls, d: dict) -> "Aggregator":
        agg = cls(a=float(d["a"]), b=float(d["b"]), top_fraction=float(d.get("top_fraction", 1.0)))
        if not agg.a > 0:
            raise ValueError("aggregation slope must be positive (document score must rise with sentence scores)")
        return agg


def fit_platt(stats: np.ndarray, labels: np.ndarray, top_fraction: float, sample_weight: np.ndarray | None = None) -> Aggregator:
    """Fit ``a, b`` by (weighted) logistic regression of labels on the document statistic."""
    from sklearn.linear_model import LogisticRegression

    m = LogisticRegression(C=1e4, max_iter=1000).fit(stats.reshape(-1, 1), labels, sample_weight=sample_weight)
    a, b = float(m.coef_[0, 0]), float(m.intercept_[0])
    if a <= 0:
        raise ValueError("calibration found no positive relation between sentence scores and labels")
    return Aggregator(a=a, b=b, top_fraction=top_fraction)
