"""The machinery the spinner and the copy editor share: proposed replacements, the choice of which
to keep, and the text and ``Edit`` list they make.

A generator proposes replacements (``Proposal``: replace ``text[start:end]``
with ``after``; ``start == end`` inserts), each decided by its own seeded
generator (``rng``); ``resolve`` keeps a non-overlapping set, higher-priority
operations first; ``assemble`` applies them and records every real change as
an ``Edit``, which ``apply_edits`` replays.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import asdict, dataclass
from typing import Iterable, Mapping, Sequence


@dataclass(frozen=True)
class Edit:
    """One change: ``original[src_start:src_end] == before`` became ``spun[dst_start:dst_end] == after``."""

    op: str
    src_start: int
    src_end: int
    dst_start: int
    dst_end: int
    before: str
    after: str

    def to_dict(self) -> dict:
        """JSON-ready dict with the keys of the labels file."""
        return asdict(self)


@dataclass(frozen=True)
class SpinResult:
    """The rewritten text and the edits (sorted by ``src_start``, non-overlapping) that made it.

    The spinner's result, and the copy editor's (``augment.edit.EditResult`` is this class).
    """

    text: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class Proposal:
    """Replace ``text[start:end]`` with ``after`` (``start == end``: insert), as operation ``op``."""

    op: str
    start: int
    end: int
    after: str
    group: int = -1  # proposals sharing a group (a move's two halves) are kept or dropped together
    moved: tuple[int, int] | None = None  # a move's insertion: the span of the sentence it re-inserts


def check_rate(rate: float) -> None:
    """Refuse an edit rate outside [0, 1] (spin and edit share the rule)."""
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must be between 0 and 1, got {rate}")


def rng(seed: int | str, *key) -> random.Random:
    """The generator that decides one candidate: seeded by ``seed`` and the candidate's ``key``.

    One generator per candidate, so adding a candidate elsewhere changes no
    other decision; a str seed is hashed with SHA-512 by random.Random, so
    this is stable across processes and PYTHONHASHSEED.
    """
    return random.Random(":".join(map(str, (seed, *key))))


def resolve(proposals: Iterable[Proposal], priority: Mapping[str, int]) -> list[Proposal]:
    """Keep non-overlapping proposals, higher-priority ops (lower ``priority[op]``) first, then left to right.

    Two replacements overlap when their spans share a character; an insertion
    overlaps a replacement strictly around it, or another insertion at the
    same offset. Proposals of one ``group`` are kept or dropped together.

    Returns
    -------
    list of Proposal
        Sorted by ``(start, end)``: an insertion comes before a replacement
        that starts at the same offset.
    """
    groups: dict[int, list[Proposal]] = {}
    units: list[list[Proposal]] = []
    for p in proposals:
        if p.group < 0:
            units.append([p])
        elif p.group in groups:
            groups[p.group].append(p)
        else:
            groups[p.group] = [p]
            units.append(groups[p.group])
    # The kept spans, sorted: replacements (disjoint) and insertion points, so
    # one bisect finds the only neighbours a new span could overlap (a linear
    # scan made a long article quadratic).
    starts: list[int] = []
    ends: list[int] = []
    points: list[int] = []

    def overlaps(p: Proposal) -> bool:
        if p.start == p.end:
            k = bisect.bisect_left(starts, p.start)
            inside = k > 0 and ends[k - 1] > p.start
            i = bisect.bisect_left(points, p.start)
            return inside or (i < len(points) and points[i] == p.start)
        k = bisect.bisect_right(starts, p.start)
        if (k and ends[k - 1] > p.start) or (k < len(starts) and starts[k] < p.end):
            return True
        i = bisect.bisect_right(points, p.start)
        return i < len(points) and points[i] < p.end

    kept: list[Proposal] = []
    for unit in sorted(units, key=lambda u: (priority[u[0].op], u[0].start, u[0].end)):
        if any(overlaps(p) for p in unit):
            continue
        for p in unit:
            if p.start == p.end:
                bisect.insort(points, p.start)
            else:
                k = bisect.bisect_right(starts, p.start)
                starts.insert(k, p.start)
                ends.insert(k, p.end)
        kept.extend(unit)
    return sorted(kept, key=lambda p: (p.start, p.end))


def assemble(text: str, kept: Sequence[Proposal]) -> SpinResult:
    """Apply sorted, non-overlapping replacements: the new text and its edits.

    A replacement equal to what it replaces is dropped, so every ``Edit`` is a real change.
    """
    out, edits, pos, dst = [], [], 0, 0
    for p in kept:
        before = text[p.start : p.end]
        if before == p.after:
            continue
        gap = text[pos : p.start]
        out.append(gap)
        dst += len(gap)
        out.append(p.after)
        edits.append(Edit(p.op, p.start, p.end, dst, dst + len(p.after), before, p.after))
        dst += len(p.after)
        pos = p.end
    out.append(text[pos:])
    return SpinResult("".join(out), tuple(edits))


def apply_edits(original: str, edits: Sequence[Edit]) -> str:
    """Rebuild the rewritten text from ``original`` and its edits (sorted, non-overlapping).

    Raises
    ------
    ValueError
        An edit's ``before`` does not match ``original`` or edits overlap.
    """
    out, pos = [], 0
    for e in sorted(edits, key=lambda e: e.src_start):
        if e.src_start < pos:
            raise ValueError(f"edit at {e.src_start} overlaps the previous one (ends at {pos})")
        if original[e.src_start : e.src_end] != e.before:
            raise ValueError(f"edit at {e.src_start}: 'before' {e.before!r} does not match the original")
        out.append(original[pos : e.src_start])
        out.append(e.after)
        pos = e.src_end
    out.append(original[pos:])
    return "".join(out)
