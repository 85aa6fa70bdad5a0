"""The edit machinery the spinner and the copy editor share (spindetect.augment.proposals)."""

from spindetect.augment.proposals import Proposal, apply_edits, assemble, resolve, rng

PRIORITY = {"big": 0, "small": 1}


def test_resolve_keeps_higher_priority_then_leftmost_and_sorts():
    props = [Proposal("small", 0, 3, "x"), Proposal("big", 2, 6, "y"), Proposal("small", 6, 8, "z"), Proposal("small", 7, 9, "w")]
    assert [(p.op, p.start) for p in resolve(props, PRIORITY)] == [("big", 2), ("small", 6)]


def test_insertions_overlap_only_inside_a_replacement_or_at_the_same_offset():
    kept = resolve([Proposal("big", 2, 6, "y"), Proposal("small", 2, 2, "a"), Proposal("small", 6, 6, "b"),
                    Proposal("small", 4, 4, "c"), Proposal("small", 6, 6, "d")], PRIORITY)
    assert [(p.start, p.end, p.after) for p in kept] == [(2, 2, "a"), (2, 6, "y"), (6, 6, "b")]
    # a replacement over a kept insertion point is refused, one that only touches it is kept
    kept = resolve([Proposal("big", 5, 5, "i"), Proposal("small", 3, 7, "r"), Proposal("small", 5, 8, "s")], PRIORITY)
    assert [(p.start, p.end) for p in kept] == [(5, 5), (5, 8)]


def test_a_group_is_kept_or_dropped_whole():
    move = [Proposal("small", 0, 4, "", group=1), Proposal("small", 9, 9, "abcd", group=1)]
    kept = resolve([Proposal("big", 8, 10, "q")] + move, PRIORITY)
    assert [(p.start, p.end) for p in kept] == [(8, 10)]
    assert len(resolve(move, PRIORITY)) == 2


def test_assemble_records_real_changes_that_apply_edits_replays():
    text = "one two three"
    result = assemble(text, [Proposal("small", 0, 3, "1"), Proposal("small", 4, 7, "two"), Proposal("small", 13, 13, "!")])
    assert result.text == "1 two three!" and [e.before for e in result.edits] == ["one", ""]
    assert apply_edits(text, result.edits) == result.text


def test_rng_is_seeded_by_seed_and_key():
    assert rng(3, "quote", 10).random() == rng(3, "quote", 10).random() != rng(3, "quote", 11).random()
