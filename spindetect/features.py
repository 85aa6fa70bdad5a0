"""Sentence feature matrix: embedding columns, artifact counts, the lexical profile, then (accurate mode) LM surprisal.

The same function builds features in training and scoring, so the two cannot
drift apart; the manifest stores ``feature_names`` and loading refuses a model
whose list differs from what this code builds.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from . import artifacts, style
from .types import Hit


#: Prefix of the language-model columns; a model whose features include them
#: needs the language model at scoring time (the accurate mode).
LM_PREFIX = "lm:"


def feature_names(embedding_dim: int, lm: bool = False) -> list[str]:
    names = [f"emb:{k}" for k in range(embedding_dim)] + artifacts.feature_names() + list(style.NAMES)
    if lm:
        from .surprisal import NAMES

        names += list(NAMES)
    return names


def uses_lm(names: Sequence[str]) -> bool:
    """Whether a model trained on these feature names needs the language model."""
    return any(n.startswith(LM_PREFIX) for n in names)


def build(
    embeddings: np.ndarray,
    hits: Sequence[Sequence[Hit]],
    sentences: Sequence[str],
    lm: np.ndarray | None = None,
) -> np.ndarray:
    """Concatenate ``(n, d)`` embeddings, ``(n, k)`` artifact counts, the lexical profile and optional LM columns.

    ``sentences`` are the normalised texts the embeddings and hits came from;
    ``lm`` is ``surprisal.LanguageModel.features`` of the same sentences.
    """
    if not len(embeddings) == len(hits) == len(sentences):
        raise ValueError(f"{len(embeddings)} embeddings, {len(hits)} hit lists, {len(sentences)} sentences")
    blocks = [embeddings.astype(np.float32), artifacts.feature_matrix(hits), style.feature_matrix(sentences)]
    if lm is not None:
        if len(lm) != len(sentences):
            raise ValueError(f"{len(lm)} LM rows for {len(sentences)} sentences")
        blocks.append(np.asarray(lm, dtype=np.float32))
    return np.hstack(blocks)
