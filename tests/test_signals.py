"""The document signals as pure functions: char n-gram style, lexical statistics, the strong rule, document sets."""

import zlib
from dataclasses import replace

import numpy as np
import pytest

from spindetect import docset
from spindetect.signals import charstyle, docmodel, lexical


def test_char_ngrams_follow_sklearn_char_wb():
    # " ab " gives 2-grams " a", "ab", "b "; 3-grams " ab", "ab "; one 4-gram " ab "
    assert sum(charstyle.ngram_counts("AB").values()) == 6
    # a one-letter word: " a " has 2-grams " a", "a ", one 3-gram, and no 4-gram
    assert sum(charstyle.ngram_counts("a").values()) == 3
    assert charstyle.ngram_counts("") == {} and charstyle.ngram_counts("Same") == charstyle.ngram_counts("same")


def _toy_model():
    texts = ["The council said on Tuesday; it was late.", "Additionally, the council noted it was late.",
             "He said -- quietly -- that it rained.", "Furthermore, it rained, officials noted."] * 3
    return charstyle.fit(texts, [0, 1, 0, 1] * 3, c=1.0), texts


def test_char_scoring_equals_the_training_matrix():
    model, texts = _toy_model()
    x = charstyle.tfidf(charstyle.count_matrix(texts), model.idf)
    np.testing.assert_allclose(x @ model.weights + model.bias, model.logits(texts), atol=1e-12)
    assert model.logit("Additionally, it rained.") > model.logit("He said -- it rained; late.")


def test_word_contributions_split_the_logit_exactly():
    model, _ = _toy_model()
    text = "Additionally,  the council   noted it rained."
    words = model.word_contributions(text)
    assert [text[a:b] for a, b, _ in words] == text.split()
    assert sum(c for _, _, c in words) + model.bias == pytest.approx(model.logit(text), abs=1e-12)
    assert model.word_contributions("   ") == []


def test_char_arrays_round_trip_and_refuse_bad_shapes():
    model, _ = _toy_model()
    again = charstyle.CharStyle.from_arrays(model.arrays())
    assert again.logit("Additionally, it rained.") == pytest.approx(model.logit("Additionally, it rained."), abs=1e-6)
    with pytest.raises(ValueError, match="buckets"):
        charstyle.CharStyle.from_arrays({"idf": np.ones(3), "weights": np.ones(3), "bias": np.zeros(1)})
    with pytest.raises(ValueError, match="'bias' is missing"):
        charstyle.CharStyle.from_arrays({"idf": model.idf, "weights": model.weights})


def test_agreeing_keeps_the_weights_most_families_give_the_pooled_sign():
    pooled = np.array([1.0, 1.0, -2.0, 0.5, 0.3, 0.0])
    families = [np.array([2.0, -1.0, -1.0, 0.0, 0.0, 0.0]),
                np.array([1.0, -1.0, 3.0, 0.0, 0.0, 0.0]),
                np.array([0.5, 1.0, -1.0, -0.2, 0.0, 0.0])]
    # n-gram 0: 3/3 agree; 1: 1/3; 2: 2/3; 3: 0/1 (two families lack it); 4: no family holds it
    assert charstyle.agreeing(pooled, families, 0.5).tolist() == [1.0, 0.0, -2.0, 0.0, 0.0, 0.0]
    assert charstyle.agreeing(pooled, families, 1.0).tolist() == [1.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    assert charstyle.agreeing(pooled, families, 0.3).tolist() == [1.0, 1.0, -2.0, 0.0, 0.0, 0.0]
    assert charstyle.agreeing(pooled, [], 0.5).tolist() == [0.0] * 6


def test_distortion_masks_the_letters_of_words_outside_the_kept_ones():
    keep = charstyle.keep_words()
    assert len(keep) == charstyle.KEEP_WORDS and {"the", "and", "said", "it's"} <= keep and "peskov" not in keep
    assert [charstyle.distort(w, keep) for w in ('"peskov,', "and", "it's", "38-year-old", "café.")] == \
        ['"******,', "and", "it's", "##-year-old", "****."]
    # the distorted view's n-grams are counted beside the plain ones and hash apart from them, with the word 2-3-grams
    # of the distorted tokens: <s> * * </s> has 3 bigrams and 2 trigrams
    plain, both = charstyle.ngram_counts("Peskov added"), charstyle.ngram_counts("Peskov added", keep)
    assert sum(both.values()) == 2 * sum(plain.values()) + 5 and set(plain) < set(both)
    # the distorted view sees word lengths and kept words, not which content word it was
    distorted = lambda t: charstyle.ngram_counts(t, keep) - charstyle.ngram_counts(t)  # noqa: E731
    assert distorted("Peskov added it.") == distorted("Lavrov noted it.") != distorted("Peskov added that.")


def test_word_ngrams_of_distorted_tokens_span_the_words_they_come_from():
    keep = charstyle.keep_words()
    words = 'peskov said, "it was 40 minutes."'.split()
    grams = list(charstyle.word_ngrams(words, keep))
    # tokens: <s> * said , " it was # * . " </s>  (12): 11 bigrams, 10 trigrams
    assert len(grams) == 21 and grams[0][1:] == (0, 0) and grams[-1][1:] == (len(words) - 1, len(words) - 1)
    assert (1, 2) in {g[1:] for g in grams}  # 'said , "' spans "said," and '"it'
    crc = lambda t: zlib.crc32(t.encode("utf-8"), charstyle.WORD_NGRAM_SEED) & (charstyle.N_FEATURES - 1)  # noqa: E731
    assert {crc("was # *"), crc("<s> * said"), crc(", \" it")} <= {g[0] for g in grams}
    assert list(charstyle.word_ngrams([], keep)) == [] and charstyle.ngram_counts("", keep) == {}


def test_a_distorted_char_model_scores_as_trained_splits_its_logit_over_words_and_round_trips():
    keep = charstyle.keep_words()
    _, texts = _toy_model()
    model = charstyle.fit(texts, [0, 1, 0, 1] * 3, c=1.0, keep=keep)
    x = charstyle.tfidf(charstyle.count_matrix(texts, keep), model.idf)
    np.testing.assert_allclose(x @ model.weights + model.bias, model.logits(texts), atol=1e-12)
    text = "Additionally,  the council   noted it rained."
    assert sum(c for _, _, c in model.word_contributions(text)) + model.bias == pytest.approx(model.logit(text), abs=1e-12)
    arrays = model.arrays()
    again = charstyle.CharStyle.from_arrays(arrays)
    assert again.keep == keep and again.logit(text) == pytest.approx(model.logit(text), abs=1e-6)
    assert charstyle.CharStyle.from_arrays({k: v for k, v in arrays.items() if k != "keep"}).keep is None
    with pytest.raises(ValueError, match="kept words"):
        charstyle.CharStyle.from_arrays(arrays | {"keep": np.array([0xFF, 0xFE], dtype=np.uint8)})


def test_lexical_statistics():
    assert not lexical.features([]).any() and not lexical.features(["1 2 3 ..."]).any()
    plain = dict(zip(lexical.NAMES, lexical.features(["The man said it was a good day for the town."])))
    rare = dict(zip(lexical.NAMES, lexical.features(["The gentleman opined it was an auspicious diurnal span."])))
    assert rare["lex:mean_zipf"] < plain["lex:mean_zipf"] and rare["lex:share_zipf_lt4"] > plain["lex:share_zipf_lt4"]
    marks = dict(zip(lexical.NAMES, lexical.features(["He came; she left -- and (quietly) nobody saw."])))
    assert marks["lex:semicolon_per_word"] > 0 and marks["lex:dash_per_word"] > 0 and marks["lex:paren_per_word"] > 0
    assert len(lexical.features(["One. Two words here."])) == len(lexical.NAMES)


def test_strong_rule_is_measured_on_human_documents():
    k = {c: i for i, c in enumerate(docmodel.STRONG_CODES)}
    counts = np.zeros((2000, len(docmodel.STRONG_CODES)), dtype=int)
    labels = np.zeros(2000, dtype=int)
    counts[:3, k["quote_attribution"]] = 1          # 0.15 % of human documents: joins the rule
    counts[:40, k["doubled_word"]] = 1              # 2 %: too common in human text
    labels[1500:] = 1
    counts[1500:1600, k["title_conflict"]] = 2      # rewrites only
    rule = docmodel.fit_rule(counts, labels)
    assert "doubled_word" not in rule.codes and {"quote_attribution", "title_conflict"} <= set(rule.codes)
    # one hit: 3 of 1,500 human documents (0.2 %) > the 0.1 % budget; two hits: none
    assert rule.min_hits == 2 and rule.human_docs == 1500 and rule.human_docs_firing == 0
    assert rule.score == pytest.approx(1 - 1 / 1502)
    assert docmodel.StrongRule.from_dict(rule.to_dict()) == rule
    assert not docmodel.StrongRule().fires(10)


def test_clip_words_cuts_at_a_sentence_end():
    text = "One two three four. Five six seven eight nine ten. Eleven twelve."
    assert docset.clip_words(text, 3) == "One two three four."
    assert docset.clip_words(text, 100) == text
    assert docset.clip_words("a b c d e f", 2, slack=0) == "a b"


def test_document_set_is_length_matched_and_grouped():
    from spindetect.data import Pair

    words = " ".join(f"w{i}" for i in range(80))
    pairs = [Pair(f"p{i}", "alpha", "llm", "paraphrase", "news", f"Original {i}. {words} " * 3, f"Rewrite {i}. {words}.")
             for i in range(6)]
    docs = docset.build(pairs, per_dataset=4, spin_docs=0, edit_docs=0)
    originals = [d for d in docs if d.label == 0]
    rewrites = [d for d in docs if d.label == 1]
    assert len(originals) == len(rewrites) == 4
    for o, r in zip(originals, rewrites):
        assert o.group == r.group and abs(len(o.text.split()) - len(r.text.split())) <= 25
        assert r.family == "llm-paraphrase" and o.family == "human"


def test_char_ngram_counts_equal_scikit_learns_char_wb():
    import zlib
    from collections import Counter

    from sklearn.feature_extraction.text import CountVectorizer

    text = "Hello, a ab abc World!  x  Additionally\u2014the council\u2019s plan. \u00c9t\u00e9 NASA's 2-4"
    v = CountVectorizer(analyzer="char_wb", ngram_range=charstyle.NGRAM_RANGE, lowercase=True)
    x = v.fit_transform([text])
    expected = Counter()
    for gram, col in v.vocabulary_.items():
        expected[zlib.crc32(gram.encode("utf-8")) & (charstyle.N_FEATURES - 1)] += x[0, col]
    assert charstyle.ngram_counts(text) == expected


def _char_wb_per_word(text):
    """The reference: every word's n-grams hashed where it occurs (scikit-learn's ``char_wb``, word by word)."""
    import zlib
    from collections import Counter

    out = Counter()
    for word in text.lower().split():
        w = f" {word} "
        for n in range(charstyle.NGRAM_RANGE[0], charstyle.NGRAM_RANGE[1] + 1):
            for k in range(max(1, len(w) - n + 1)):
                out[zlib.crc32(w[k : k + n].encode("utf-8")) & (charstyle.N_FEATURES - 1)] += 1
            if len(w) <= n:
                break
    return out


def test_char_ngram_counts_equal_the_word_by_word_reference_in_value_and_order():
    # bucket order feeds the dot products of _vector, so it must be the text's first-reach order too
    long_word = "x" * (charstyle.CACHED_WORD_CHARS + 5)
    for text in ["the cat the hat, the cat", "Zebra apple zebra APPLE b a", f"a {long_word} a {long_word} b", ""]:
        got, ref = charstyle.ngram_counts(text), _char_wb_per_word(text)
        assert got == ref and list(got) == list(ref), text


def test_char_ngrams_of_a_repeated_word_are_hashed_once(monkeypatch):
    # issue 15: a 2 MB run-on of one word hashed every occurrence again (~0.4 ms per word end to end)
    import types
    import zlib

    calls = []

    def crc32(data, value=0):
        calls.append(data)
        return zlib.crc32(data, value)

    monkeypatch.setattr(charstyle, "zlib", types.SimpleNamespace(crc32=crc32))
    charstyle._cached_word_grams.cache_clear()
    counts = charstyle.ngram_counts(" ".join(["Word"] * 20_000 + ["other"] * 10_000))
    assert len(calls) == 12 + 15  # " word " has 5 + 4 + 3 n-grams of 2-4 characters, " other " 6 + 5 + 4
    assert sum(counts.values()) == 20_000 * 12 + 10_000 * 15
    # the distorted view: each distinct word n-gram is hashed once too
    charstyle._word_ngram_bucket.cache_clear()
    charstyle.ngram_counts(" ".join(["Word"] * 30_000), charstyle.keep_words())
    assert charstyle._word_ngram_bucket.cache_info().misses == 6  # <s> * | * * | * </s> | <s> * * | * * * | * * </s>


def test_word_contributions_of_repeated_tokens_equal_their_first_occurrence():
    model, _ = _toy_model()
    text = "noted it rained noted it Rained."
    words = model.word_contributions(text)
    assert words[0][2] == words[3][2] and words[1][2] == words[4][2] and words[2][2] != words[5][2]
    assert sum(c for _, _, c in words) + model.bias == pytest.approx(model.logit(text), abs=1e-12)


def _lm_prepared():
    """Documents of three kinds with synthetic LM statistics: spinner output more surprising than human text (its
    share of tokens outside the top 1000 higher), an LLM family less surprising."""
    from spindetect import docprep
    from tests import texts

    rng = np.random.RandomState(0)
    docs = texts.human_spun_and_llm_documents(rng)
    p = docprep.prepare(docs, log=lambda *a: None)
    lm = rng.normal(size=(len(docs), len(docmodel.LM_NAMES)))
    r = docmodel.LM_NAMES.index(docmodel.SPINNER_ZERO_SHOT)
    lm[p.family == "spinner", r] += 3.0
    lm[p.family == "llm-paraphrase", 0] -= 2.0
    p.lm = lm
    return p


def test_spinner_expert_is_fitted_on_spinner_output_and_zero_shot_without_it():
    from spindetect import train_doc

    p = _lm_prepared()
    everything = np.arange(len(p.y))
    m = train_doc.fit(p, everything, lm=True)
    assert m.spinner is not None and m.spinner.kind == "fitted"
    r = docmodel.LM_NAMES.index(docmodel.SPINNER_ZERO_SHOT)
    assert m.spinner.coef[r] == max(m.spinner.coef[: len(docmodel.LM_NAMES)])  # it learned the spinner's column
    no_spinner = everything[p.family != "spinner"]
    z = train_doc.fit(p, no_spinner, lm=True).spinner
    assert z.kind == "zero-shot" and z.coef[r] == 1.0 and np.count_nonzero(z.coef) == 1
    # the bonus: nothing up to `offset` human deviations of the expert, then `weight` stack deviations per deviation
    at = z.human_mean + z.offset * z.human_std
    assert z.join == "sum"
    assert z.bonus(np.array([z.human_mean, at]), 0.0)[:2].tolist() == [0.0, 0.0]
    assert z.bonus(np.array([at + 2 * z.human_std]), 5.0)[0] == pytest.approx(2 * z.weight * z.stack_human_std)
    # fast mode has no expert
    fast = train_doc.fit(p, everything, lm=False)
    assert fast.spinner is None and fast.llm is None and fast.experts() == {}


def test_llm_expert_is_fitted_on_llm_output_and_absent_without_it():
    """The second expert points the other way: LLM rewrites less surprising (mean NLL lower) than human text."""
    from spindetect import train_doc

    p = _lm_prepared()
    everything = np.arange(len(p.y))
    m = train_doc.fit(p, everything, lm=True)
    assert m.llm is None and list(m.experts()) == list(docmodel.FITTED_EXPERTS) == ["spinner"]  # not fitted by default
    m = replace(m, llm=train_doc._fit_expert(p, everything, m, "llm", 0))
    assert m.llm is not None and m.llm.kind == "fitted" and list(m.experts()) == ["spinner", "llm"]
    assert m.llm.coef[0] == min(m.llm.coef[: len(docmodel.LM_NAMES)])  # a lower mean NLL is what it learned
    e = m.llm.score((p.lm - m.lm_mean) / m.lm_scale)
    assert e[p.family == "llm-paraphrase"].min() > e[p.y == 0].max()
    # with no LLM family to learn from there is no LLM expert (and no zero-shot stand-in)
    rest = everything[p.family != "llm-paraphrase"]
    assert train_doc._fit_expert(p, rest, train_doc.fit(p, rest, lm=True), "llm", 0) is None
    # each expert's bonus is its own: a document's bonuses sum to what logits() adds
    from spindetect import artifacts
    from spindetect.segment import segment

    i = int(np.where(p.family == "llm-paraphrase")[0][0])
    norms = [s.norm for s in segment(p.docs[i].text)]
    b = m.bonuses(0.0, p.lm[i])
    assert set(b) == {"spinner", "llm"} and b["llm"] > 0
    assert m.logits(norms, artifacts.detect(norms), p.lm[i])[1] == pytest.approx(sum(b.values()))
    assert m.bonuses(0.0, None) == {}


def test_spinner_expert_scores_equal_in_training_and_scoring_paths_and_save_as_arrays():
    from spindetect import artifacts, train_doc
    from spindetect.segment import segment

    p = _lm_prepared()
    m = train_doc.fit(p, np.arange(len(p.y)), lm=True)
    m = replace(m, llm=train_doc._fit_expert(p, np.arange(len(p.y)), m, "llm", 0))  # a model that has both still works
    logits = train_doc.predict(p, m, np.arange(len(p.y)))
    for i in (0, 1, 2, 3):
        norms = [s.norm for s in segment(p.docs[i].text)]
        hits = artifacts.detect(norms)
        stack, bonus = m.logits(norms, hits, p.lm[i])
        assert m.probability(norms, hits, p.lm[i]) == pytest.approx(docmodel.sigmoid(logits[i]), abs=1e-9)
        assert bonus >= 0 and m.decide(stack, bonus, hits) >= docmodel.sigmoid(stack)  # it only ever raises a score
    # the expert scores spinner output above every human document (the synthetic spinner column is 3 deviations up)
    e = m.spinner.score((p.lm - m.lm_mean) / m.lm_scale)
    assert e[p.family == "spinner"].min() > e[p.y == 0].max()
    again = docmodel.DocumentModel.from_arrays(m.arrays(), m.names, m.rule.to_dict())
    assert again.spinner is not None and np.array_equal(again.spinner.coef, m.spinner.coef)
    assert again.llm is not None and np.array_equal(again.llm.coef, m.llm.coef)
    assert again.llm.human_std == m.llm.human_std and again.llm.stack_human_std == m.llm.stack_human_std
    for name in ("spinner", "llm"):
        bad = dict(m.arrays())
        bad[f"{name}.coef"] = bad[f"{name}.coef"][:-1]
        with pytest.raises(ValueError, match=f"{name} expert arrays"):
            docmodel.DocumentModel.from_arrays(bad, m.names)
    # a model saved before the LLM expert existed (spinner arrays only) still loads, without it
    old = {k: v for k, v in m.arrays().items() if not k.startswith("llm.")}
    assert docmodel.DocumentModel.from_arrays(old, m.names).llm is None
