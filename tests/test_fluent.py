"""The fluent rewriter (spindetect/augment/fluent.py) and its training-only documents, with the shipped word vectors."""

import random

import numpy as np
import pytest

from spindetect import docprep, docset, modeldir, train_doc
from spindetect.augment import fluent
from spindetect.augment.thesaurus import zipf
from spindetect.data import Pair

TEXT = ("Officials said the fire started in a small kitchen and spread quickly to the upper floors of the building. "
        "Residents demanded a thorough investigation after the huge blaze; the mayor promised a detailed report. "
        "Firefighters battled the flames for several hours before they finally brought them under control.")


@pytest.fixture(scope="module")
def vectors():
    return modeldir.load().document.vectors


def _swaps(a: str, b: str) -> list[tuple[str, str]]:
    wa, wb = a.split(), b.split()
    assert len(wa) == len(wb)  # single-word swaps only: the words line up
    return [(x, y) for x, y in zip(wa, wb) if x != y]


def test_swaps_are_common_close_and_fitting_words(vectors):
    out, n = fluent.rewrite(TEXT.replace(";", ","), vectors, rate=1.0, seed=3)
    swaps = _swaps(TEXT.replace(";", ","), out)
    assert n == len(swaps) > 0
    index = vectors.index
    for before, after in swaps:
        b, a = before.strip(".,").lower(), after.strip(".,").lower()
        assert zipf(a) >= fluent.MIN_ZIPF
        sim = float(vectors.vectors[index[a]].astype(np.float32) @ vectors.vectors[index[b]].astype(np.float32))
        assert sim >= fluent.MIN_SIMILARITY - 1e-3  # float16 vectors


def test_rate_zero_swaps_nothing_and_the_same_seed_gives_the_same_rewrite(vectors):
    assert fluent.rewrite(TEXT, vectors, rate=0.0, seed=1, smoothing=()) == (TEXT, 0)
    assert fluent.rewrite(TEXT, vectors, seed=7) == fluent.rewrite(TEXT, vectors, seed=7)


def test_smoothing_turns_dashes_and_semicolons_and_on_request_contractions():
    always = random.Random(0)
    always.random = lambda: 0.0  # every occurrence drawn
    s = "The vote -- held late -- passed; nobody objected. It didn't matter."
    assert fluent.smooth(s, always, ("dash", "semicolon")) == "The vote, held late, passed. Nobody objected. It didn't matter."
    assert fluent.smooth(s, always, ("contraction",)) == s.replace("didn't", "did not")
    assert fluent.DEFAULT_SMOOTHING == ("dash", "semicolon")
    with pytest.raises(ValueError, match="unknown smoothing commas; expected some of: dash, semicolon, contraction"):
        fluent.check_smoothing(("dash", "commas"))


def _pairs(n):
    return [Pair(id=f"a-{i}", dataset="alpha", rewriter="llm", method="paraphrase", domain="news",
                 original=f"Town {i} agreed its budget. {TEXT} {TEXT}", rewritten=f"Town {i} passed a budget. {TEXT}")
            for i in range(n)]


def test_fluent_documents_train_only_and_leave_with_the_spinner(vectors):
    with pytest.raises(ValueError, match="word vectors"):
        docset.build(_pairs(4), fluent_docs=2)
    docs = docset.build(_pairs(12), per_dataset=4, spin_docs=2, edit_docs=0, fluent_docs=3, fluent_vectors=vectors)
    fl = [d for d in docs if d.dataset == docset.FLUENT_DATASET]
    assert [d.label for d in fl] == [0, 1] * (len(fl) // 2) and fl
    assert {d.family for d in fl if d.label} == {docset.FLUENT_FAMILY}
    p = docprep.prepare(docs, log=lambda m: None)
    rewrites = p.family == docset.FLUENT_FAMILY
    for h in (0, 1):
        folds = {name: (tr, te) for name, tr, te in train_doc.folds(p, "family", h)}
        assert not any(rewrites[te].any() for _, te in folds.values())
        assert not rewrites[folds["spinner"][0]].any()  # made with the spinner's thesaurus
        others = [tr for name, (tr, _) in folds.items() if name != "spinner"]
        assert others and all(rewrites[tr].any() for tr in others)
