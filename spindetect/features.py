"""Sentence feature matrix: embedding columns followed by artifact columns.

The same function builds features in training and scoring, so the two cannot
drift apart; the manifest stores ``feature_names`` and loading refuses a model
whose list differs from what this code builds.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from . import artifacts
from .artifacts import Hit


def feature_names(embedding_dim: int) -> list[str]:
    return [f"emb:{k}" for k in range(embedding_dim)] + artifacts.feature_names()


def build(embeddings: np.ndarray, hits: Sequence[Sequence[Hit]]) -> np.ndarray:
    """Concatenate ``(n, d)`` embeddings with the ``(n, k)`` artifact counts."""
    if len(embeddings) != len(hits):
        raise ValueError(f"{len(embeddings)} embeddings but {len(hits)} hit lists")
    return np.hstack([embeddings.astype(np.float32), artifacts.feature_matrix(hits)])
