"""The part-of-speech tagger (signals/postag.py) and the character model's tagged word n-grams (signals/charstyle.py).

The tagger is trained here on Brown-format files written by tests/test_corpora.py (the real corpus is not in CI);
the shipped accurate model's tagger, trained on the real corpus, is checked in tests/test_detector.py's scoring.
"""

import zlib

import numpy as np
import pytest

from spindetect import corpora, docprep
from spindetect.signals import charstyle, postag
from tests.test_corpora import _corpus


@pytest.fixture(scope="module")
def tagger(tmp_path_factory):
    return postag.brown_tagger(_corpus(tmp_path_factory.mktemp("brown")), tmp_path_factory.mktemp("c") / "t.npz",
                               log=lambda m: None)


def test_coarse_tags_of_brown_tags():
    assert [postag.coarse(t) for t in ("nns-tl", "pps+bez", "fw-nn", ".", "vbd", "jjt", "np$", "at", "ql", "nil")] == \
        ["NNS", "PRP", "NN", ".", "VBD", "JJS", "NP", "DT", "RB", "X"]


def test_read_brown_lower_cases_words_and_coarsens_tags(tmp_path):
    files = postag.read_brown(_corpus(tmp_path))
    assert sorted(files) == ["ca01", "cb02", "cc03", "cd04"]
    first = files["ca01"][0]
    assert first[:3] == [("the", "DT"), ("committee", "NN"), ("said", "VBD")] and ("may", "NP") in first
    with pytest.raises(corpora.CorpusError, match="does not exist"):
        postag.read_brown(tmp_path / "nowhere")


def test_the_tagger_learns_its_corpus(tagger, tmp_path):
    sents = [s for v in postag.read_brown(_corpus(tmp_path)).values() for s in v]
    acc, _ = postag.accuracy(tagger, sents)
    assert acc > 0.95
    assert tagger.tag(["the", "committee", "said", "friday"]) == ["DT", "NN", "VBD", "NN"]
    assert tagger.tag([]) == []


def test_tagger_arrays_round_trip_and_bad_arrays_are_named(tagger, tmp_path):
    arrays = tagger.arrays()
    assert set(arrays) == set(postag.ARRAYS) and all(a.dtype != object for a in arrays.values())
    again = postag.Tagger.from_arrays(arrays)
    words = "the engineer said the river rose 12 % overnight .".split()
    assert again.tag(words) == tagger.tag(words) and again.tagdict == tagger.tagdict
    with pytest.raises(ValueError, match="lack pos_values"):
        postag.Tagger.from_arrays({k: v for k, v in arrays.items() if k != "pos_values"})
    with pytest.raises(ValueError, match="do not fit together"):
        postag.Tagger.from_arrays(arrays | {"pos_values": arrays["pos_values"][:-1]})
    with pytest.raises(ValueError, match="not UTF-8"):
        postag.Tagger.from_arrays(arrays | {"pos_tags": np.array([0xFF], dtype=np.uint8)})


def test_brown_tagger_is_cached_by_the_corpus(tmp_path, monkeypatch):
    monkeypatch.setenv("SPINDETECT_CACHE", str(tmp_path / "cache"))
    root = _corpus(tmp_path / "a")
    logged = []
    first = postag.brown_tagger(root, log=logged.append)
    assert len(list((tmp_path / "cache").glob("pos-tagger-*.npz"))) == 1 and logged
    logged.clear()
    second = postag.brown_tagger(root, log=logged.append)  # read back, not trained again
    assert not logged and second.tags == first.tags and second.tagdict == first.tagdict
    assert second.weights.keys() == first.weights.keys()
    changed = _corpus(tmp_path / "b", n=3)  # another corpus: another cache file, trained again
    postag.brown_tagger(changed, log=logged.append)
    assert logged and len(list((tmp_path / "cache").glob("pos-tagger-*.npz"))) == 2


def test_tagged_word_ngrams_are_counted_beside_the_distorted_ones(tagger):
    keep = charstyle.keep_words()
    text = "The committee said the bridge would open"
    without, with_tags = charstyle.ngram_counts(text, keep), charstyle.ngram_counts(text, keep, tagger)
    # <s> + 7 tokens + </s>: 8 bigrams and 7 trigrams more, hashed with their own seed
    assert sum(with_tags.values()) == sum(without.values()) + 15 and set(without) < set(with_tags)
    tags = tagger.tag(text.lower().split())
    seq = ["<s>", *(w if w in keep else "*" + t for w, t in zip(text.lower().split(), tags)), "</s>"]
    crc = lambda g: zlib.crc32(" ".join(g).encode(), charstyle.POS_NGRAM_SEED) & (charstyle.N_FEATURES - 1)  # noqa: E731
    assert crc(seq[1:3]) in with_tags and crc(seq[1:3]) not in without
    grams = list(charstyle.word_ngrams(text.lower().split(), keep, tagger))
    assert len(grams) == 2 * 15 and {g[0] for g in grams} == set(with_tags) - set(charstyle._char_counts(
        text.lower().split(), keep))


def test_a_tagged_char_model_splits_its_logit_over_words_and_round_trips(tagger):
    keep = charstyle.keep_words()
    texts = ["The committee said the bridge would open in May.", "Additionally, the panel noted the span shall open.",
             "Crews worked late on the river.", "Moreover, teams toiled belatedly upon the waterway."] * 3
    model = charstyle.fit(texts, [0, 1] * 6, c=1.0, keep=keep, tagger=tagger)
    x = charstyle.tfidf(charstyle.count_matrix(texts, keep, tagger), model.idf)
    np.testing.assert_allclose(x @ model.weights + model.bias, model.logits(texts), atol=1e-12)
    text = "Furthermore,  the council   noted it rained."
    assert sum(c for _, _, c in model.word_contributions(text)) + model.bias == pytest.approx(model.logit(text), abs=1e-12)
    again = charstyle.CharStyle.from_arrays(model.arrays())
    assert again.tagger is not None and again.logit(text) == pytest.approx(model.logit(text), abs=1e-6)
    plain = charstyle.fit(texts, [0, 1] * 6, c=1.0, keep=keep)
    assert plain.logit(text) != pytest.approx(model.logit(text), abs=1e-9)
    with pytest.raises(ValueError, match="needs the distorted view's kept words"):
        charstyle.CharStyle(model.idf, model.weights, model.bias, None, tagger)


def test_documents_are_counted_with_the_tagger_their_model_reads(tagger):
    from spindetect import train_doc
    from tests import texts as t

    docs = t.human_spun_and_llm_documents(np.random.RandomState(0))
    keep = charstyle.keep_words()
    tagged = docprep.prepare(docs, log=lambda *a: None, keep=keep, tagger=tagger)
    plain = docprep.prepare(docs, log=lambda *a: None, keep=keep)
    idx = np.arange(len(docs))
    model = train_doc._fit_char(tagged, idx)
    assert model.tagger is tagger and tagged.counts.nnz > plain.counts.nnz
    np.testing.assert_allclose(train_doc._char_logits(tagged, model, idx), model.logits(tagged.texts), atol=1e-9)
    with pytest.raises(ValueError, match="without the tagged view the character model reads"):
        train_doc._char_logits(plain, model, idx)
    assert docprep.subset(tagged, idx[:3]).tagger is tagger
