"""Artifact detectors: one positive and one negative example per code (texts
written for these tests), document-level context, feature matrix, robustness."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spindetect import artifacts
from spindetect.artifacts import CODES, Hit, detect, detect_many, feature_matrix, feature_names


def codes_of(sentence: str, context: list[str] | None = None) -> list[str]:
    """Codes fired on ``sentence`` (the last sentence of ``context + [sentence]``)."""
    sents = (context or []) + [sentence]
    return [h.code for h in detect(sents)[-1]]


def evidence(sentence: str, code: str) -> list[str]:
    return [sentence[h.start : h.end] for h in detect([sentence])[0] if h.code == code]


# --------------------------------------------------------------------------
# positive / negative example per code; each sentence is normalised text
# (straight quotes), as detect() receives it
# --------------------------------------------------------------------------

POSITIVE = {
    "quote_attribution": 'The harbour will stay closed until spring "The port authority quoted its director as saying.',
    "quote_glued": 'The mayor spoke outside the depot "The buses will run again on Friday and the fares will not change."',
    "quote_swallowed": '"The bridge is safe for traffic again, the engineer said."',
    "link_leadin": "Read more: Ferry timetables change for the winter season.",
    "credit": "The new library opened on Saturday (Photo: Jan Novak) after two years of work.",
    "share_fragment": "Share this article with your friends and family.",
    "lowercase_start": "the council voted to close the swimming pool for repairs.",
    "doubled_word": "The committee will meet in the the town hall on Monday.",
    "broken_join": "The council voted to close the pool.Residents were not consulted.",
    "repeated_phrase": "Officials said the water supply is safe, the water supply is safe for everyone in the valley.",
    "rare_word": "The minister posited that the tariffs would hurt farmers.",
    "llm_word": "The report underscores the pivotal role of volunteers in the flood response.",
    "stock_phrase": "It is important to note that the survey covered only three villages.",
}

NEGATIVE = {
    "quote_attribution": '"The harbour will stay closed until spring," the port authority said.',
    "quote_glued": 'Fans of "The Long Road Home" queued for hours, and the director said: "We are grateful for all of you."',
    "quote_swallowed": '"The bridge is safe for traffic again," the engineer said, "and the ramps open tomorrow."',
    "link_leadin": "Related agencies will read the report before Friday.",
    "credit": "The photographer won an award for her pictures of the flood.",
    "share_fragment": "Farmers share the cost of the new irrigation canal.",
    "lowercase_start": "The council voted to close the swimming pool for repairs.",
    "doubled_word": "She said that that decision had had no effect on the budget.",
    "broken_join": "The council met at 9 a.m. in the U.S. embassy in Oslo.",
    "repeated_phrase": '"We will rebuild, and we will rebuild stronger," she said.',
    "rare_word": "The minister said that the tariffs would hurt farmers.",
    "llm_word": "The report says volunteers helped a lot during the flood.",
    "stock_phrase": "The survey covered only three villages, the authors noted.",
}


def test_examples_cover_every_code_but_title_and_unbalanced():
    # title_conflict and quote_unbalanced need document context: tested below
    assert set(POSITIVE) == set(NEGATIVE) == {c for c, _ in CODES} - {"title_conflict", "quote_unbalanced"}


@pytest.mark.parametrize("code", sorted(POSITIVE))
def test_positive_example_fires(code):
    assert code in codes_of(POSITIVE[code])


@pytest.mark.parametrize("code", sorted(NEGATIVE))
def test_negative_example_does_not_fire(code):
    assert code not in codes_of(NEGATIVE[code])


def test_evidence_spans_point_at_the_artifact():
    assert evidence(POSITIVE["quote_attribution"], "quote_attribution") == ['"The']
    assert evidence(POSITIVE["doubled_word"], "doubled_word") == ["the the"]
    assert evidence(POSITIVE["link_leadin"], "link_leadin") == ["Read more"]
    assert evidence(POSITIVE["rare_word"], "rare_word") == ["posited"]
    assert sorted(evidence(POSITIVE["llm_word"], "llm_word")) == ["pivotal", "underscores"]
    assert evidence(POSITIVE["repeated_phrase"], "repeated_phrase") == ["the water supply is safe, the water supply"]
    assert evidence(POSITIVE["stock_phrase"], "stock_phrase") == ["It is important to note"]


# --------------------------------------------------------------------------
# quotes
# --------------------------------------------------------------------------


def test_quote_attribution_after_a_glued_closing_mark():
    s = '"The road is long and the work is hard, we believe "Kowalski added on the radio.'
    assert "quote_attribution" in codes_of(s)


def test_misplaced_closing_mark_needs_no_speech_verb_when_parity_is_clear():
    s = '"The queue moved slowly all morning, as far as we could tell "Nowak recalled in her diary.'
    assert evidence(s, "quote_attribution") == ['"Nowak']


def test_all_caps_or_long_tail_is_not_an_attribution():
    assert "quote_attribution" not in codes_of('THE LAW APPLIES TO "THE ACTIVITY" AND NOT TO "THE PERSON DISQUALIFIED.')
    long_tail = "The committee then went on to discuss the budget for the next three years in great detail."
    assert "quote_attribution" not in codes_of('"We are done here "' + long_tail)


def test_quote_after_full_stop_is_a_new_quotation_not_an_attribution():
    # multi-paragraph quotes stay open in news style: '. "The' opens a new one
    s = 'She described the storm. "The wind tore the roof off, the neighbours told me.'
    assert "quote_attribution" not in codes_of(s)


def test_quote_after_speech_verb_is_not_glued():
    assert "quote_glued" not in codes_of('He said "We will open the school again in the autumn term."')


def test_title_in_quotes_is_not_glued():
    assert "quote_glued" not in codes_of('The band played "Rain Over The Old Harbour Town" twice.')


def test_unbalanced_quote_without_partner_fires():
    sents = ["The vote was close.", 'The chair called it "a fair result.', "Turnout was low."]
    assert [h.code for h in detect(sents)[1]] == ["quote_unbalanced"]


def test_quote_spanning_two_sentences_is_balanced():
    sents = ['"The vote was close.', 'We accept it," the chair said.', "Turnout was low."]
    assert all("quote_unbalanced" not in [h.code for h in hs] for hs in detect(sents))


# --------------------------------------------------------------------------
# titles and names (document context)
# --------------------------------------------------------------------------


def test_contradictory_title_for_the_same_person_is_flagged_against_majority():
    doc = [
        "Vice President Maria Lindqvist visited the shipyard on Monday.",
        "Vice President Lindqvist met the workers' council.",
        "President Maria Lindqvist promised new orders for the yard.",
    ]
    hits = detect(doc)
    assert [h.code for h in hits[0]] == [] and [h.code for h in hits[1]] == []
    flagged = [doc[2][h.start : h.end] for h in hits[2] if h.code == "title_conflict"]
    assert flagged == ["President Maria Lindqvist"]


def test_two_people_in_one_unique_office():
    doc = [
        "Chancellor Weber opened the trade fair in the morning.",
        "Chancellor Weber praised the exhibitors.",
        "Later, Chancellor Hahn toured the hall with the mayor.",
    ]
    hits = detect(doc)
    assert "title_conflict" in [h.code for h in hits[2]]
    assert all(h.code != "title_conflict" for h in hits[0] + hits[1])


def test_legitimate_title_variants_do_not_conflict():
    doc = [
        "Former President Maria Lindqvist wrote the foreword.",
        "Vice President Maria Lindqvist served two terms before that.",
        "German Chancellor Weber and Austrian Chancellor Hahn met in Vienna.",
        "Senator Okafor said President Okafor would be the wrong headline for next year.",
        "How would a President Lindqvist govern, the columnist asked.",
    ]
    assert all(h.code != "title_conflict" for hs in detect(doc) for h in hs)


def test_different_people_with_one_surname_do_not_conflict():
    doc = ["President Anna Berg spoke first.", "Vice President Tomas Berg spoke second."]
    assert all(h.code != "title_conflict" for hs in detect(doc) for h in hs)


def test_title_conflict_needs_the_document():
    # the same sentence alone has nothing to contradict
    assert "title_conflict" not in codes_of("President Maria Lindqvist promised new orders for the yard.")


# --------------------------------------------------------------------------
# repetition, boilerplate and structure edge cases
# --------------------------------------------------------------------------


def test_repetition_inside_a_quote_spanning_sentences_does_not_fire():
    sents = ['"We will rebuild the school, we will rebuild the school.', 'And more," he said.']
    assert all(h.code != "repeated_phrase" for hs in detect(sents) for h in hs)


def test_distant_parallel_phrases_do_not_fire():
    s = "Prices in the north rose sharply last year while, according to the ministry, prices in the north fell."
    assert "repeated_phrase" not in codes_of(s)


def test_stopword_only_repeat_does_not_fire():
    assert "repeated_phrase" not in codes_of("It is one of the best and one of the oldest bridges in the region.")


def test_advertisement_is_a_label_only_at_the_start():
    assert "credit" in codes_of("Advertisement The ferry company raised its prices.")
    assert "credit" not in codes_of("The ferry company bought an advertisement in the local paper.")
    assert "share_fragment" not in codes_of("The ferry company sends a newsletter to its customers.")


def test_capitalised_double_names_are_not_doubled_words():
    assert "doubled_word" not in codes_of("The singer Bo Bo played at the festival.")


def test_lowercase_start_allows_brand_names():
    assert "lowercase_start" not in codes_of("iPhone sales fell in the second quarter.")


def test_credit_and_lead_in_messages_are_short_and_named():
    for code, desc in CODES:
        assert code.isidentifier() and 0 < len(desc) <= 120


# --------------------------------------------------------------------------
# interface: feature matrix, names, detect_many, offsets, robustness
# --------------------------------------------------------------------------


def test_feature_matrix_shape_order_and_cap():
    hits = [[Hit("rare_word", "", 0, 1)] * 5 + [Hit("doubled_word", "", 0, 1)], []]
    x = feature_matrix(hits)
    assert x.shape == (2, len(CODES)) and x.dtype == np.float32
    names = feature_names()
    assert x[0, names.index("artifact:rare_word")] == 3.0  # capped
    assert x[0, names.index("artifact:doubled_word")] == 1.0
    assert x[1].sum() == 0
    assert feature_matrix([]).shape == (0, len(CODES))


def test_feature_names_follow_codes():
    assert feature_names() == [f"artifact:{c}" for c, _ in CODES]
    assert len(set(feature_names())) == len(CODES)


def test_every_emitted_code_is_registered():
    sents = list(POSITIVE.values())
    for hs in detect(sents):
        for h in hs:
            assert h.code in artifacts.CODE_INDEX


def test_empty_input():
    assert detect([]) == []
    assert detect([""]) == [[]]


def test_detect_many_matches_per_document_detect():
    doc_a = ["Vice President Maria Lindqvist spoke.", "Vice President Lindqvist left.", "President Lindqvist returned."]
    doc_b = ["President Lindqvist opened the bridge.", POSITIVE["doubled_word"]]
    assert detect_many(doc_a + doc_b, [0, 0, 0, 1, 1]) == detect(doc_a) + detect(doc_b)
    # in doc_b alone 'President Lindqvist' has no rival title
    assert all(h.code != "title_conflict" for h in detect(doc_b)[0])
    with pytest.raises(ValueError, match="2 sentences but 1 document ids"):
        detect_many(["a", "b"], [0])


def test_detect_is_deterministic():
    sents = list(POSITIVE.values()) + list(NEGATIVE.values())
    assert detect(sents) == detect(sents)


def test_degenerate_line_gives_few_reasons():
    (hits,) = detect(["opined the the " * 2000])
    counts = {c: sum(h.code == c for h in hits) for c in {h.code for h in hits}}
    assert counts["rare_word"] == 10 and counts["doubled_word"] <= 3


def test_huge_sentence_is_fast_and_safe():
    import time

    s = ('word "quote ' * 20000) + "the the end"
    t = time.perf_counter()
    hits = detect([s, s.upper(), "x" * 200_000])
    assert time.perf_counter() - t < 10
    for sent, hs in zip([s, s.upper(), "x" * 200_000], hits):
        assert all(0 <= h.start <= h.end <= len(sent) for h in hs)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=300), max_size=6))
def test_any_unicode_never_raises_and_offsets_are_local(sentences):
    hits = detect(sentences)
    assert len(hits) == len(sentences)
    for s, hs in zip(sentences, hits):
        for h in hs:
            assert h.code in artifacts.CODE_INDEX
            assert 0 <= h.start <= h.end <= len(s)
    assert feature_matrix(hits).shape == (len(sentences), len(CODES))


_NOISE = st.lists(st.sampled_from(
    ['"', " ", "President ", "Vice President ", "Chancellor ", "Weber", "Hahn", "the", "said", ".", ",",
     "\u05e9\u05dc\u05d5\u05dd", "\U0001f600", "A", "a", "Related:", "'", "\u202e"]), max_size=60).map("".join)


@settings(max_examples=100, deadline=None)
@given(st.lists(_NOISE, max_size=5))
def test_structured_noise_never_raises(sentences):
    hits = detect(sentences)
    for s, hs in zip(sentences, hits):
        assert all(0 <= h.start <= h.end <= len(s) for h in hs)
