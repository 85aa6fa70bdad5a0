"""Property tests of the whole scoring path (real embedder, shipped model): any text
gets a score or nothing, never an exception, and offsets always hold."""

from hypothesis import HealthCheck, given, settings, strategies as st

from spindetect.errors import ReadError
from spindetect.io.files import read_bytes

from . import texts

words = st.sampled_from(["the", "council", "said", '"', "“", "”", "U.S.", "a.m.", "Mr.", ".", ",", "\n", "é", "ß", "😀", "עברית", "中文", "\u0301", "\x00", "\t",
                         "s\u0430id", "\u0430", "\u0422he", "pre\u200bsident", "\u200b", "\u202e", "\uff53aid", "\u041f\u0443\u0442\u0438\u043d"])
mixed = st.lists(words, max_size=60).map(" ".join)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(st.text(max_size=300), mixed, st.just(texts.SPUN_NEWS)))
def test_score_any_text(detector, text):
    doc = detector.score(text, path="prop")
    assert 0.0 <= doc.score <= 1.0
    assert doc.label in ("spun", "original", "unscorable")
    assert (doc.label == "unscorable") == any("nothing to score" in w for w in doc.warnings)
    assert doc.n_sentences == len(doc.sentences)
    for s in doc.sentences:
        assert text[s.start : s.end] == s.text
        assert 0.0 <= s.score <= 1.0
        for r in s.reasons:
            assert s.start <= r.start < r.end <= s.end


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=400))
def test_read_then_score_any_bytes(detector, data):
    try:
        art = read_bytes(data, "prop.bin")
    except ReadError as e:
        assert str(e).startswith("prop.bin:") and "\n" not in str(e)
        return
    doc = detector.score_articles([art])[0]
    for s in doc.sentences:
        assert art.text[s.start : s.end] == s.text
