"""The Python API with the real embedder and the shipped classifier."""

import numpy as np
import pytest

from spindetect import Detector
from spindetect.types import DocumentScore

from . import texts


def test_score_returns_dataclasses(detector):
    doc = detector.score(texts.HUMAN_NEWS, path="human")
    assert isinstance(doc, DocumentScore)
    assert doc.path == "human" and doc.n_sentences == len(doc.sentences) > 0
    assert all(0.0 <= s.score <= 1.0 for s in doc.sentences)


def test_empty_text_scores_zero_with_warning(detector):
    doc = detector.score("", path="empty")
    assert doc.n_sentences == 0 and doc.score == 0.0 and doc.label == "unscorable"
    assert doc.warnings


def test_batch_equals_single(detector):
    from spindetect.types import Article

    arts = [Article("a", texts.HUMAN_NEWS), Article("b", texts.SPUN_NEWS), Article("c", texts.ONE_SENTENCE)]
    batch = detector.score_articles(arts)
    for art, doc in zip(arts, batch):
        single = detector.score(art.text, path=art.path)
        if detector.embedder.backend == "onnx":  # bit-for-bit on the scoring backend
            assert doc.score == single.score
            assert [s.score for s in doc.sentences] == [s.score for s in single.sentences]
        else:  # sentence-transformers pads to the longest sentence in a batch
            assert doc.score == pytest.approx(single.score, abs=1e-5)


def test_a_strong_artifact_never_lowers_the_score(detector):
    """Strong codes are evidence of rewriting by design: one more hit never lowers a document's log-odds."""
    dm = detector.model.document
    weights = dm.input_weights()
    strong = [n for n in dm.names if n.startswith("strong:")]
    assert strong and all(weights[n] >= 0 for n in strong)
    from spindetect import artifacts
    from spindetect.segment import segment

    norms = [s.norm for s in segment(texts.HUMAN_NEWS)]
    row = dm.row(norms, artifacts.detect(norms))
    for n in strong:
        bumped = row.copy()
        bumped[dm.names.index(n)] += 1
        assert dm.logit(bumped) >= dm.logit(row)


def test_scoring_path_equals_the_training_path(detector):
    """The detector's document score equals train_doc.predict's vectorised arithmetic on the same text."""
    from spindetect import artifacts, docprep, docset, train_doc
    from spindetect.segment import segment

    docs = [docset.Doc(t, 0, "x", "human", "news", "0") for t in (texts.HUMAN_NEWS, texts.SPUN_NEWS)]
    dm = detector.model.document
    with pytest.raises(ValueError, match="distorted view"):  # counted without the view the shipped model reads
        train_doc.predict(docprep.prepare(docs, log=lambda *a: None, vectors=dm.vectors), dm, np.arange(len(docs)))
    p = docprep.prepare(docs, log=lambda *a: None, vectors=dm.vectors, keep=dm.char.keep)
    vectorised = train_doc.predict(p, detector.model.document, np.arange(len(docs)))
    for d, v in zip(docs, vectorised):
        norms = [s.norm for s in segment(d.text)]
        dm = detector.model.document
        assert dm.probability(norms, artifacts.detect(norms)) == pytest.approx(1 / (1 + np.exp(-v)), abs=1e-12)


def test_spun_sample_scores_above_its_original(detector):
    assert detector.score(texts.SPUN_NEWS).score > detector.score(texts.HUMAN_NEWS).score


def test_save_load_gives_identical_scores(detector, tmp_path):
    from spindetect import modeldir

    m = detector.model
    modeldir.save_document(tmp_path / "copy", m.document, {k: v for k, v in m.manifest.items() if k not in ("files",)})
    again = Detector(modeldir.load(tmp_path / "copy"), detector.embedder)
    a, b = detector.score(texts.SPUN_NEWS), again.score(texts.SPUN_NEWS)
    assert a == b


def test_short_texts_are_flagged_as_unreliable(detector):
    short = detector.score(texts.ONE_SENTENCE, path="short")
    assert any("little signal" in w for w in short.warnings)
    assert not any("little signal" in w for w in detector.score(texts.HUMAN_NEWS).warnings)


def test_every_flagged_sentence_has_a_reason_and_words_point_into_the_input(detector):
    text = open("seeds/spun_biden_putin_call.txt", encoding="utf-8").read()
    doc = detector.score(text)
    flagged = [s for s in doc.sentences if s.score >= 0.5]
    assert flagged and all(s.reasons for s in flagged)
    words = [w for s in doc.sentences for w in s.words]
    assert words
    for s in doc.sentences:
        for w in s.words:
            assert s.start <= w.start < w.end <= s.end and text[w.start : w.end] == w.text and w.score >= 0.3
    # the seed's visible traces are among its reasons, and the strong rule says why the document scores as it does
    codes = {r.code for s in doc.sentences for r in s.reasons}
    assert {"quote_attribution", "title_conflict"} <= codes
    assert doc.label == "spun" and any("strong rule" in n for n in doc.notes)


def test_score_stream_is_score_articles_in_batches(detector):
    """The one batching loop: same scores as one call, lazily, in order, whatever the batch size."""
    from spindetect.errors import ReadError
    from spindetect.types import Article

    arts = [Article(path=f"d{k}", text=t) for k, t in enumerate([texts.HUMAN_NEWS, texts.SPUN_NEWS, texts.ONE_SENTENCE] * 2)]
    whole = [d.to_dict() for d in detector.score_articles(arts)]
    for batch_docs in (1, 4, 16):
        assert [d.to_dict() for d in detector.score_stream(iter(arts), batch_docs=batch_docs)] == whole
    bad = ReadError("x: cannot read")
    batches = list(detector.score_batches([arts[0], bad, arts[1], arts[2]], batch_docs=2))
    assert [len(b) for b, _ in batches] == [3, 1]  # a ReadError passes through and does not count
    assert batches[0][1][1] is bad and [d.to_dict() for d in batches[0][1][::2]] == whole[:2]
    assert list(detector.score_stream([])) == []
    with pytest.raises(ValueError, match="batch_docs must be 1 or more"):
        next(detector.score_stream(arts, batch_docs=0))


def test_isolated_failures_cost_only_the_failing_document(detector, monkeypatch):
    from spindetect.types import Article

    arts = [Article(path="good", text=texts.HUMAN_NEWS), Article(path="bad", text=texts.SPUN_NEWS)]
    real = type(detector).score_articles

    def flaky(self, batch):
        if any(a.path == "bad" for a in batch):
            raise RuntimeError("boom")
        return real(self, batch)

    monkeypatch.setattr(type(detector), "score_articles", flaky)
    (batch, results), = detector.score_batches(arts, isolate_failures=True)
    assert results[0].path == "good" and isinstance(results[1], RuntimeError)
    with pytest.raises(RuntimeError):
        list(detector.score_stream(arts))


def test_fast_mode_names_a_word_that_does_not_fit_its_context(detector):
    """A rare lower-case word whose vector fits its neighbours' below context.MISFIT_FIT is a context_misfit reason,
    with offsets into the input; human text of the same kind has none."""
    tail = " Council members ascended the budget after residents complained about potholes and broken pavement."
    text = texts.HUMAN_NEWS + tail
    got = [r for s in detector.score(text).sentences for r in s.reasons if r.code == "context_misfit"]
    assert [text[r.start:r.end] for r in got] == ["ascended"] and "does not fit its context" in got[0].message
    assert not [r for s in detector.score(texts.HUMAN_NEWS).sentences for r in s.reasons if r.code == "context_misfit"]
