"""The invariants every consumer of spinner and copy-editor edit spans relies on (shared by test_spin and test_edit)."""

from __future__ import annotations

from typing import Collection

from spindetect.augment.proposals import SpinResult, apply_edits


def check_edits(original: str, result: SpinResult, ops: Collection[str]) -> None:
    """Edits are sorted, non-overlapping, exact in both texts, of a known op, and rebuild the result."""
    assert isinstance(result.text, str)
    prev_src = prev_dst = 0
    for e in result.edits:
        assert e.op in ops
        assert e.before == original[e.src_start : e.src_end]
        assert e.after == result.text[e.dst_start : e.dst_end]
        assert e.before != e.after
        assert prev_src <= e.src_start <= e.src_end and prev_dst <= e.dst_start <= e.dst_end
        # unchanged text between edits is copied verbatim, so the gaps line up
        assert e.dst_start - prev_dst == e.src_start - prev_src
        prev_src, prev_dst = e.src_end, e.dst_end
    assert len(result.text) - prev_dst == len(original) - prev_src
    assert apply_edits(original, result.edits) == result.text
