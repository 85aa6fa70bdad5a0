from hypothesis import given, settings, strategies as st

from spindetect.normalize import normalize, normalize_with_map
from spindetect.segment import MAX_SENTENCE_CHARS, paragraphs, segment

from . import texts


def _check_offsets(text):
    sents = segment(text)
    for k, s in enumerate(sents):
        assert s.index == k
        assert text[s.start : s.end] == s.text
        assert s.text.strip() == s.text and s.text
        assert normalize(s.text) == s.norm
    starts = [s.start for s in sents]
    assert starts == sorted(starts)
    return sents


def test_offsets_reconstruct_every_sample():
    for name in ("HUMAN_NEWS", "SPUN_NEWS", "UNICODE", "ABBREVIATIONS", "CURLY", "ONE_SENTENCE"):
        assert _check_offsets(getattr(texts, name)), name


def test_empty_and_whitespace_give_no_sentences():
    assert segment(texts.EMPTY) == []
    assert segment(texts.WHITESPACE) == []


def test_abbreviations_and_quotes_do_not_split():
    got = [s.text for s in segment(texts.ABBREVIATIONS)]
    assert got == [
        "The U.S. Army said at 10 a.m. ET that Mr. Smith would go.",
        '"I will not resign. Never," he said.',
        "Dr. Jones agreed.",
    ]


def test_line_breaks_are_boundaries():
    got = [s.text for s in segment("Headline without a stop\nFirst sentence. Second one.")]
    assert got == ["Headline without a stop", "First sentence.", "Second one."]


def test_curly_quotes_are_normalised_for_the_model_but_offsets_point_at_input():
    (s,) = segment(texts.CURLY)
    assert s.text == texts.CURLY
    assert s.norm == "\"It's done,\" she said - and left."


def test_run_on_text_is_chunked():
    text = "word " * 100_000
    sents = _check_offsets(text)
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sents)


def test_normalize_map_points_into_input():
    text = "A\u0301b  \u201cc\u201d\u00a0d"
    norm, pos = normalize_with_map(text)
    assert norm == "\u00c1b \"c\" d"
    assert len(pos) == len(norm) + 1
    assert pos[0] == 0 and pos[1] == 2


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_offsets_hold_for_any_unicode(text):
    _check_offsets(text)


_PYSBD_WORDS = st.sampled_from(
    ["He said.", "Mr.", "Dr. Smith", "U.S.", "a.m.", "It rained.", "Why?", "No!", "\"Yes.\"", "5.5", "i.e.", "etc.",
     "the", "vote", "St.", "Jan.", "No.", "1.", "(a)", "...", "—", "“Quote.”", "\t", "  ", "é", "e\u0301", "Inc."]
)


def _pysbd_pair():
    import pysbd

    from spindetect.segment import _segmenter

    return pysbd.Segmenter(language="en", clean=False), _segmenter()


def test_fast_span_search_equals_pysbd_on_samples():
    ref, fast = _pysbd_pair()
    for name in ("HUMAN_NEWS", "SPUN_NEWS", "UNICODE", "ABBREVIATIONS", "CURLY", "ONE_SENTENCE"):
        text = getattr(texts, name)
        for line in text.splitlines() + [text]:
            assert fast.segment(line) == ref.segment(line), (name, line)
    repeated = "It rained. It rained.  It rained. Then it stopped. It rained."
    assert fast.segment(repeated) == ref.segment(repeated)
    many = " ".join(["It rained.", "It rained.", "Then it stopped."] * 100)  # resumed searches (issue 15)
    assert fast.segment(many) == ref.segment(many)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PYSBD_WORDS, max_size=40).map(" ".join))
def test_fast_span_search_equals_pysbd(text):
    ref, fast = _pysbd_pair()
    assert fast.segment(text) == ref.segment(text)


def test_normalize_of_ascii_text_equals_the_character_loop():
    # the ASCII fast path (issue 15) must give what the general per-character loop gives
    from spindetect import normalize as nz

    for text in ["", "  a  b\t\tc \n", "\x00x\x7fy\x1f", "one", " \r\n ", "a\x0bb\x0cc  "]:
        assert nz._normalize_ascii(text) == nz._normalize_chars(text, True), repr(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=200))
def test_normalize_of_any_ascii_text_equals_the_character_loop(text):
    from spindetect import normalize as nz

    assert nz._normalize_ascii(text) == nz._normalize_chars(text, False)


def test_pysbd_sees_pieces_of_bounded_size(monkeypatch):
    # issue 15: pysbd is super-linear on dense full stops with no unambiguous sentence end
    # ("word. word. ...": 20 kB pieces took 2.4 s each, minutes for 2 MB)
    from spindetect.segment import MAX_PYSBD_CHARS, _segmenter

    seen = []
    real = _segmenter().segment
    monkeypatch.setattr(_segmenter(), "segment", lambda text: seen.append(len(text)) or real(text))
    for unit in ("word.", "U.S.", "a.m."):
        text = " ".join([unit] * 8_000)
        sents = _check_offsets(text)
        assert len(seen) >= len(text) // MAX_PYSBD_CHARS and max(seen) <= MAX_PYSBD_CHARS
        assert "".join(s.text for s in sents).replace(" ", "") == text.replace(" ", "")
        seen.clear()


def _paragraph_texts(text):
    sents = segment(text)
    return [" ".join(s.text for s in sents[a:b]) for a, b in paragraphs(text, sents)]


def test_paragraphs_one_per_line_as_in_the_seed():
    from pathlib import Path

    seed = (Path(__file__).resolve().parent.parent / "seeds" / "spun_biden_putin_call.txt").read_text(encoding="utf-8")
    lines = [line.strip() for line in seed.splitlines() if line.strip()]
    assert _paragraph_texts(seed) == lines and len(lines) == 24


def test_paragraphs_blank_lines_and_hard_wrapping():
    wrapped = (
        "A headline\n\n"
        "The council met on Tuesday to discuss the budget for the\n"
        "coming year, which includes money for roads and a new\n"
        "library. It passed.\r\n\r\n"
        "Opponents said the plan was too expensive for the town and\n"
        "would raise taxes.\n"
    )
    assert _paragraph_texts(wrapped) == [
        "A headline",
        "The council met on Tuesday to discuss the budget for the coming year, which includes money for roads and a new library. It passed.",
        "Opponents said the plan was too expensive for the town and would raise taxes.",
    ]
    # the same lines unwrapped, one paragraph per line: a short headline and byline do not count as wrapping
    per_line = "A headline\nBy A. Writer\n\nThe council met on Tuesday. It passed the budget.\nOpponents said it costs too much.\u2029Third."
    assert _paragraph_texts(per_line) == [
        "A headline", "By A. Writer", "The council met on Tuesday. It passed the budget.", "Opponents said it costs too much.", "Third.",
    ]
    assert paragraphs("", []) == ()
    assert paragraphs("One. Two.  Three.", segment("One. Two.  Three.")) == ((0, 3),)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab. \n\r\u2029"), max_size=200))
def test_paragraphs_cover_every_sentence_once_in_order(text):
    sents = segment(text)
    ranges = paragraphs(text, sents)
    assert [k for a, b in ranges for k in range(a, b)] == list(range(len(sents)))
    assert all(a < b for a, b in ranges)
