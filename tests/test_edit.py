"""Ordinary copy editing (hard negatives): determinism, exact spans, each op, readable output, training documents."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from typer.testing import CliRunner

from spindetect.cli import app
from spindetect.data import Pair
from spindetect.augment.edit import OPS, EditResult, edit
from spindetect.segment import segment
from spindetect.examples import build_examples

from .edits import check_edits

# Written for these tests (no third-party text): a short news story with
# something for every operation.
ARTICLE = (
    "The goverment said on Nov. 27 that the the new harbor center would open in the spring.\n"
    "Officials expect 25000 visitors, and ticket prices will rise 5 percent, the mayor said.\n"
    "\"We have waited a long time for this,\" said Dana Whitfield, who chairs the council. "
    "The council voted 7 to 2 to organize a neighborhood festival. "
    "Critics said the 1,200 dollars spent on banners was wasted. "
    "Work begins Monday.\n"
    "Related: More stories about the harbor"
)

# One text per operation: (op, text, a change that must be among the edits).
CASES = [
    ("typo", "The goverment met today. It was calm.", ("goverment", "government")),
    ("typo", "The vote took place in the the town hall. It was calm.", ("the the", "the")),
    ("typo", "The vote ended late.Officials left at once.", ("late.", "late. ")),
    ("typo", "The vote ended late , and officials left.", (" ", "")),
    ("typo", "The vote ended late.  Officials left.", ("  ", " ")),
    ("spelling", "The color of the center was gray. Nobody liked it.", ("color", "colour")),
    ("spelling", "The colour of the centre was grey, said the organiser.", ("centre", "center")),
    ("number", "Prices rose 5 percent in a year.", ("5 percent", "5%")),
    ("number", "Prices rose 5% in a year.", ("5%", "5 percent")),
    ("number", "The vote was held on Nov. 27 in the hall.", ("Nov. 27", "November 27")),
    ("number", "The vote was held on November 27 in the hall.", ("November 27", "Nov. 27")),
    ("number", "The fair drew 1,000 people.", ("1,000", "1000")),
    ("number", "The fair drew 25000 people and cost $120000.", ("25000", "25,000")),
    ("quotes", "\"We are ready,\" she said. It's late.", ('"', "\u201c")),
    ("quotes", "\u201cWe are ready,\u201d she said. It\u2019s late.", ("\u201c", '"')),
    ("paragraph", "The vote was held. The mayor spoke. The council left.", (" ", "\n\n")),
    ("paragraph", "The vote was held.\nThe mayor spoke.", ("\n", " ")),
    ("delete", "The vote was held. The mayor spoke. The council left.", None),
    ("move", "The vote was held. The mayor spoke. The council left. Rain fell.", None),
    ("boilerplate", "The vote was held. The mayor spoke.\nRelated: More council news", ("\nRelated: More council news", "")),
    ("boilerplate", "The vote was held. The mayor spoke. Sign up for our newsletter.", (" Sign up for our newsletter.", "")),
]


def _check_edits(original: str, result) -> None:
    check_edits(original, result, OPS)


def _words(s: str) -> list[str]:
    return re.findall(r"[A-Za-z]+", s.lower())


def test_same_seed_same_result_and_seeds_differ():
    a = edit(ARTICLE, seed=3, rate=0.5)
    assert a == edit(ARTICLE, seed=3, rate=0.5)
    texts = {edit(ARTICLE, seed=s, rate=0.5).text for s in range(8)}
    assert len(texts) >= 4
    assert edit(ARTICLE, seed=3, rate=0.0) == EditResult(ARTICLE, ())


@pytest.mark.parametrize("op, text, change", CASES)
def test_each_operation_fires_with_exact_spans(op, text, change):
    result = edit(text, seed=0, rate=1.0, ops=(op,))
    assert result.edits and {e.op for e in result.edits} == {op}
    _check_edits(text, result)
    if change:
        assert change in {(e.before, e.after) for e in result.edits}


def test_delete_and_move_keep_whole_sentences():
    text = "The vote was held. The mayor spoke. The council left. Rain fell."
    sentences = [s.text for s in segment(text)]
    for seed in range(6):
        deleted = edit(text, seed=seed, rate=1.0, ops=("delete",))
        kept = [s.text for s in segment(deleted.text)]
        assert len(kept) == 3 and set(kept) < set(sentences) and kept[0] == sentences[0]
        moved = edit(text, seed=seed, rate=1.0, ops=("move",))
        order = [s.text for s in segment(moved.text)]
        assert sorted(order) == sorted(sentences) and order != sentences and order[0] == sentences[0]


def test_whole_text_stays_readable():
    # all ops at full rate, many seeds: no word is lost except from a deleted
    # sentence, trimmed boilerplate, a doubled word, "percent" or a re-spelled word
    n = len(segment(ARTICLE))
    for seed in range(10):
        r = edit(ARTICLE, seed=seed, rate=1.0)
        _check_edits(ARTICLE, r)
        lost = Counter(_words(ARTICLE)) - Counter(_words(r.text))
        allowed = Counter(w for e in r.edits for w in _words(e.before))
        assert not lost - allowed, (seed, lost - allowed)
        for e in r.edits:
            if e.op not in ("delete", "move", "boilerplate"):
                assert len(_words(e.before)) - len(_words(e.after)) <= 1, e
        assert n - 2 <= len(segment(r.text)) <= n + 1
        assert r.text.count("\u201c") == r.text.count("\u201d")
        assert r.text.strip() == r.text.strip(" ")  # no stray whitespace at either end
        assert "  " not in r.text


def test_names_addresses_and_ids_are_left_alone():
    text = "Veterans met at Pearl Harbor on Labor Day, see example.com/news or the U.S. site. Call ZIP 20500 today."
    r = edit(text, seed=0, rate=1.0, ops=("typo", "spelling", "number"))
    assert r.edits == ()


def test_bad_arguments_name_the_choices():
    with pytest.raises(ValueError, match="expected one of: typo"):
        edit(ARTICLE, ops=("rewrite",))
    with pytest.raises(ValueError, match="between 0 and 1"):
        edit(ARTICLE, rate=1.5)
    assert edit("", seed=1) == EditResult("", ())
    assert edit("  \n", seed=1) == EditResult("  \n", ())


def _pairs(n: int, dataset: str = "alpha", one_sentence: bool = False) -> list[Pair]:
    def original(i: int) -> str:
        if one_sentence:
            return f"Town {i} met on the hill"
        return (
            f"The council of Town {i} approved the budget on Tuesday, the mayor said. "
            f"Taxes will rise 5 percent in {2000 + i}, according to the treasurer. "
            "Members debated the plan for an hour before the vote. The color of the new center was gray."
        )

    return [
        Pair(id=f"{dataset}-{i}", dataset=dataset, rewriter="llm", method="paraphrase", domain="news",
             original=original(i), rewritten=f"Town {i} passed its budget. Taxes go up. Members argued for an hour.")
        for i in range(n)
    ]


def test_build_examples_adds_label_zero_edited_documents():
    pairs = {p.id: p for p in _pairs(14)}
    ex = build_examples(list(pairs.values()), [], max_docs=4, max_sentences=12, seed=0, spin_docs=3, edit_docs=3)
    docs = [d for d, ds in enumerate(ex.doc_dataset) if ds == "edited"]
    assert len(docs) == 3
    for d in docs:
        assert ex.doc_label[d] == 0 and ex.doc_family[d] == "human" and ex.doc_id[d].endswith(":edited")
        assert all(label == 0 for label, doc in zip(ex.labels, ex.doc) if doc == d)
        original = pairs[ex.doc_id[d].split(":")[0]].original
        window = [s.norm for s in segment(original)]
        assert [t for t, doc in zip(ex.texts, ex.doc) if doc == d] != window  # a visible edit

    def originals(dataset, suffix=""):
        return {pairs[i.split(":")[0]].original for ds, i in zip(ex.doc_dataset, ex.doc_id) if ds == dataset and i.endswith(suffix)}

    edited = originals("edited")
    assert not edited & originals("alpha") and not edited & originals("spinner")
    # the other documents are the same with or without edited ones
    plain = build_examples(list(pairs.values()), [], max_docs=4, max_sentences=12, seed=0, spin_docs=3, edit_docs=0)
    assert plain.doc_id == [i for i, ds in zip(ex.doc_id, ex.doc_dataset) if ds != "edited"]
    assert "edited" not in plain.doc_dataset


def test_build_examples_passes_over_originals_with_nothing_to_edit():
    ex = build_examples(_pairs(8, one_sentence=True), [], max_docs=2, max_sentences=12, seed=0, edit_docs=3)
    assert "edited" not in ex.doc_dataset


def test_train_rejects_negative_edit_docs(tmp_path):
    data = tmp_path / "d.jsonl"
    data.write_text("")
    r = CliRunner().invoke(app, ["train", str(data), "--out", str(tmp_path / "m"), "--edit-docs", "-1"])
    assert r.exit_code == 2 and "--edit-docs" in r.stderr
