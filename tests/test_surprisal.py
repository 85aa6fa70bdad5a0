"""The language-model stage (accurate mode): token surprisal, features, surprising words."""

from __future__ import annotations

import math
from pathlib import Path
import subprocess
import sys

import pytest

from spindetect import surprisal
from spindetect.surprisal import TokenScores, sentence_features, surprising_words

needs_lm = pytest.mark.skipif(
    surprisal.find_prepared() is None, reason="language model not prepared (bash scripts/setup.sh --accurate)"
)


def test_sentence_features_by_hand():
    t = TokenScores(spans=((0, 3), (3, 8), (8, 12)), surprisal=(1.0, 3.0, 8.0), rank=(0, 12, 3))
    mean, std, top, ge10, top1, logrank = sentence_features(t)
    assert mean == pytest.approx(4.0)
    assert std == pytest.approx(math.sqrt((9 + 1 + 16) / 3))
    assert top == 8.0
    assert ge10 == pytest.approx(1 / 3) and top1 == pytest.approx(1 / 3)
    assert logrank == pytest.approx((0 + math.log(13) + math.log(4)) / 3)
    assert sentence_features(TokenScores((), (), ())) == [0.0] * len(surprisal.NAMES)


def test_surprising_words_widen_to_lower_case_words_only():
    s = "Kim tacked on a remark to Reuters."
    #     0123456789...
    spans = ((0, 3), (3, 7), (7, 10), (10, 13), (13, 15), (15, 22), (22, 25), (25, 33), (33, 34))
    hi = surprisal.SURPRISE_NATS
    sur = (hi + 1, hi + 1, 2.0, 1.0, 1.0, 3.0, 1.0, hi + 2, 0.5)
    rank = (5000, 4000, 3, 0, 0, 10, 0, 9000, 0)
    got = surprising_words(s, TokenScores(spans, sur, rank))
    # "Kim" (a name) and "Reuters" (capitalised) are skipped; the "tack" + "ed"
    # pieces become one word.
    assert [(s[a:b], v) for a, b, v in got] == [("tacked", hi + 1)]


def test_surprising_words_need_both_surprise_and_rank():
    s = "they opined loudly"
    spans = ((0, 4), (4, 11), (11, 18))
    hi = surprisal.SURPRISE_NATS + 2
    assert surprising_words(s, TokenScores(spans, (1.0, hi, 1.0), (0, 10, 0))) == []  # rank too good
    assert surprising_words(s, TokenScores(spans, (1.0, 5.0, 1.0), (0, 5000, 0))) == []  # not surprising enough
    assert [s[a:b] for a, b, _ in surprising_words(s, TokenScores(spans, (1.0, hi, 1.0), (0, 5000, 0)))] == ["opined"]


def test_missing_language_model_is_one_line_error(tmp_path):
    # An empty cache: the accurate mode must name the fix, not crash.
    import os

    env = {**os.environ, "SPINDETECT_CACHE": str(tmp_path)}
    r = subprocess.run(
        [sys.executable, "-m", "spindetect", "score", "--mode", "accurate", "seeds/spun_biden_putin_call.txt"],
        capture_output=True, text=True, env=env,
    )
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr
    assert "no prepared language model" in lines[0] and "setup.sh --accurate" in lines[0]


def test_unknown_mode_names_the_choices():
    r = subprocess.run([sys.executable, "-m", "spindetect", "score", "--mode", "turbo", "x.txt"], capture_output=True, text=True)
    assert r.returncode == 2
    assert "expected one of: fast, accurate" in r.stderr


@needs_lm
def test_real_model_scores_fluent_text_as_less_surprising():
    lm = surprisal.LanguageModel()
    fluent = "The city council voted on Tuesday to raise the minimum wage next year."
    salad = "Tuesday wage the council next minimum on raise voted city the year to."
    a, b = lm.score([fluent, salad])
    assert len(a.surprisal) == len(a.rank) == len(a.spans) > 5
    # token spans point into the sentence, in order
    assert all(0 <= x < y <= len(fluent) for x, y in a.spans)
    assert [x for x, _ in a.spans] == sorted(x for x, _ in a.spans)
    fa, fb = sentence_features(a), sentence_features(b)
    assert fa[0] < fb[0] - 1.0  # mean surprisal (nats)
    assert fa[4] > fb[4]  # share of tokens the model guessed first
    x = lm.features([fluent, salad, fluent])
    assert x.shape == (3, len(surprisal.NAMES))
    assert x[0].tolist() == pytest.approx(x[2].tolist(), abs=1e-4)
    assert lm.features([]).shape == (0, len(surprisal.NAMES))
    assert lm.score([]) == []
    # a document's statistics read its first sentences as one text, up to LM_DOC_TOKENS tokens
    from spindetect.signals import docmodel

    long = [fluent] * 30
    (t,) = lm.score([docmodel.lm_input(long)], max_tokens=docmodel.LM_DOC_TOKENS)
    assert len(t.surprisal) == min(docmodel.LM_DOC_TOKENS, len(lm.score([docmodel.lm_input(long)], max_tokens=10_000)[0].surprisal))
    stats = docmodel.document_lm_statistics(lm, long)
    assert stats.shape == (len(docmodel.LM_NAMES),) and docmodel.document_lm_statistics(lm, []) is None
    # in context, the repeated sentence is far less surprising than alone
    assert stats[0] < sentence_features(a)[0]


def _accurate_model_shipped() -> bool:
    from spindetect import modeldir

    try:
        modeldir.load_manifest(modeldir.default_model_dir("accurate"))
        return True
    except modeldir.ModelError:
        return False


@needs_lm
@pytest.mark.skipif(not _accurate_model_shipped(), reason="models/spindetect-accurate not built")
def test_accurate_mode_scores_the_seed_with_lm_features_and_reasons():
    import json

    r = subprocess.run(
        [sys.executable, "-m", "spindetect", "score", "--mode", "accurate", "--format", "json", "seeds/spun_biden_putin_call.txt"],
        capture_output=True, text=True,
    )
    assert r.returncode == 0, r.stderr
    (doc,) = json.loads(r.stdout)
    assert doc["model"]["name"] == "spindetect-accurate"
    assert 0.0 <= doc["score"] <= 1.0 and doc["n_sentences"] > 20
    text = open("seeds/spun_biden_putin_call.txt", encoding="utf-8").read()
    lm = [x for s in doc["sentences"] for x in s["reasons"] if x["code"] == "lm_surprise"]
    # every reported word is a lower-case word of the input, at its offsets
    for x in lm:
        word = text[x["start"] : x["end"]]
        assert word.isalpha() and word.islower() and word in x["message"]
    # accurate mode underlines the words the LM found most surprising: lower-case words of the input, at their
    # offsets, each at least WORD_NATS, at most 3 a sentence; the seed's "tacked on to the conversation" is one
    words = [w for s in doc["sentences"] for w in s["words"]]
    assert all(len(s["words"]) <= 3 for s in doc["sentences"])
    for w in words:
        assert text[w["start"] : w["end"]] == w["text"] and w["text"].isalpha() and w["text"].islower()
        assert w["score"] >= surprisal.WORD_NATS
    assert "tacked" in [w["text"] for w in words]
    # the accurate model really uses the LM columns
    from spindetect import modeldir

    from spindetect.signals.docmodel import LM_NAMES

    names = modeldir.load_manifest(modeldir.default_model_dir("accurate"))["features"]
    assert [n for n in names if n.startswith("lm:")] == [f"lm:{n}" for n in LM_NAMES]
    assert [n for n in names if n.startswith("lm2:")] == [f"lm2:{n}" for n in LM_NAMES]
    # ... and ships a spinner expert fitted on spinner output, loaded with the model
    manifest = modeldir.load_manifest(modeldir.default_model_dir("accurate"))
    assert manifest["spinner_expert"]["kind"] == "fitted"
    assert "llm_expert" not in manifest  # dropped: it fired on encyclopedic human prose (docmodel.FITTED_EXPERTS)
    dm = modeldir.load(modeldir.default_model_dir("accurate")).document
    assert dm.spinner is not None and dm.llm is None


@needs_lm
@pytest.mark.skipif(not _accurate_model_shipped(), reason="models/spindetect-accurate not built")
def test_the_spinner_expert_raises_spun_text_and_says_so(tmp_path):
    """Spinner output is more surprising to the LM than its original: the expert adds to its score and a note says it."""
    import json

    from spindetect.augment.spin import spin
    from tests import texts

    (tmp_path / "original.txt").write_text(texts.HUMAN_NEWS, encoding="utf-8")
    for seed in range(3):
        (tmp_path / f"spun{seed}.txt").write_text(spin(texts.HUMAN_NEWS, rate=0.3, seed=seed).text, encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "spindetect", "score", "--mode", "accurate", "--format", "json",
                        str(tmp_path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    docs = {Path(d["path"]).stem: d for d in json.loads(r.stdout)}
    expert = [n for n in docs["original"]["notes"] if n.startswith("spinner expert")]
    assert not expert
    for seed in range(3):
        d = docs[f"spun{seed}"]
        assert d["score"] > docs["original"]["score"]
        assert any(n.startswith("spinner expert") and "log-odds" in n for n in d["notes"])
