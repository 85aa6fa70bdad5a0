"""Sentence feature matrix: embedding columns, then artifact counts, then the lexical profile.

The same function builds features in training and scoring, so the two cannot
drift apart; the manifest stores ``feature_names`` and loading refuses a model
whose list differs from what this code builds.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from . import artifacts, style
from .artifacts import Hit


def feature_names(embedding_dim: int) -> list[str]:
    return [f"emb:{k}" for k in range(embedding_dim)] + artifacts.feature_names() + list(style.NAMES)


def build(embeddings: np.ndarray, hits: Sequence[Sequence[Hit]], sentences: Sequence[str]) -> np.ndarray:
    """Concatenate ``(n, d)`` embeddings, ``(n, k)`` artifact counts and the lexical profile.

    ``sentences`` are the normalised texts the embeddings and hits came from.
    """
    if not len(embeddings) == len(hits) == len(sentences):
        raise ValueError(f"{len(embeddings)} embeddings, {len(hits)} hit lists, {len(sentences)} sentences")
    return np.hstack(
        [embeddings.astype(np.float32), artifacts.feature_matrix(hits), style.feature_matrix(sentences)]
    )
