"""SmolLM2 paraphrases as training documents (spindetect/augment/paraphrase.py, docset._paraphrased).

The answers are read from a cache file written here, the way a generating run leaves it; the model itself is
not loaded (generation takes ~0.7 s a sentence).
"""

import json

import numpy as np
import pytest

from spindetect import docprep, docset, train_doc
from spindetect.augment.paraphrase import Paraphraser, cache_file, clean, key, rewrite
from spindetect.data import Pair

S = "The council approved the budget on Tuesday after a long debate, the mayor said."


@pytest.mark.parametrize("answer, expected", [
    ("The budget was approved by the council on Tuesday following a lengthy debate, according to the mayor.",
     "The budget was approved by the council on Tuesday following a lengthy debate, according to the mayor."),
    ('"The council passed the budget on Tuesday after a long debate, said the mayor."',
     "The council passed the budget on Tuesday after a long debate, said the mayor."),
    (S, None),                                                             # unchanged
    ("  " + S.replace("  ", " ") + " ", None),                             # unchanged up to spaces
    ("Here's a revised version: The council passed the budget on Tuesday.", None),
    ("The sentence is rephrased to say the council approved a budget.", None),
    ("I'm a helpful AI named SmolLM, designed to provide accurate translations.", None),
    ("The council approved the budget.", None),                            # under 0.6 of the length
    ("The council approved it.\nThe mayor said so after a long debate on Tuesday.", None),
    ("Watch the latest television show on the streaming service every single night this week.", None),  # off topic
    ("", None),
])
def test_clean_keeps_rewrites_and_refuses_the_rest(answer, expected):
    assert clean(S, answer) == expected


def test_rewrite_keeps_a_sentence_whose_answer_is_refused():
    sents = [S, "Taxes will rise five percent next year, according to the treasurer."]
    text, changed = rewrite(sents, ["The budget was approved by the council on Tuesday following a long debate, the mayor said.",
                                    "Sure! Here it is."])
    assert changed == 1
    assert text.endswith(" " + sents[1]) and text.startswith("The budget was approved")
    assert rewrite(sents, [None, None]) == (" ".join(sents), 0)


def _pairs(n):
    body = ("Members debated the plan for more than an hour before the final vote was taken. "
            "Residents who attended the meeting asked about road repairs and the new library. "
            "The treasurer said the reserve fund would cover any shortfall in the first quarter. "
            "Several members said they would revisit the plan in the spring.")
    return [Pair(id=f"alpha-{i}", dataset="alpha", rewriter="llm", method="paraphrase", domain="news",
                 original=f"The council of Town {i} approved the budget on Tuesday, the mayor said. {body}",
                 rewritten=f"Town {i} passed its budget. Taxes go up. Members argued for an hour about it all.")
            for i in range(12)]


def _answer(s: str) -> str:
    # A written-out paraphrase: same content words, one extra word and the clauses turned round.
    return "Indeed, " + s[0].lower() + s[1:]


def test_paraphrased_documents_come_from_the_cache_and_are_never_tested(tmp_path):
    pairs = _pairs(12)
    from spindetect.segment import segment

    f = cache_file(tmp_path)
    f.parent.mkdir(parents=True)
    sents = {s.norm for p in pairs for s in segment(p.original)}
    f.write_text("".join(json.dumps({"key": key("paraphrase", s), "answer": _answer(s)}) + "\n" for s in sents)
                 + "".join(json.dumps({"key": key("simpler", s), "answer": "Simply, " + _answer(s)}) + "\n" for s in sents)
                 + '{"key": "cut sh',
                 encoding="utf-8")
    para = Paraphraser(f, cached_only=True)
    docs = docset.build(pairs, per_dataset=4, spin_docs=2, edit_docs=2, para_docs=3, paraphraser=para)
    assert para.generated == 0 and para._model is None  # everything came from the cache
    sm = [d for d in docs if d.dataset == "smollm"]
    assert [d.label for d in sm] == [0, 1] * 3
    assert {d.family for d in sm} == {"human", "smollm-paraphrase"}
    for human, para_doc in zip(sm[::2], sm[1::2]):
        assert human.group == para_doc.group and para_doc.text.startswith("Indeed, the council")
    # two prompts: the documents alternate between them, the originals drawn are the same
    both = docset.build(pairs, per_dataset=4, spin_docs=2, edit_docs=2, para_docs=3, paraphraser=para,
                        para_prompts=("paraphrase", "simpler"))
    sm2 = [d for d in both if d.dataset == "smollm"]
    assert [d.text.split(",")[0] for d in sm2[1::2]] == ["Indeed", "Simply", "Indeed"]
    assert [d.text for d in sm2[::2]] == [d.text for d in sm[::2]]
    # drawn from originals no other document uses, and nothing else changes
    others = [d for d in docs if d.dataset != "smollm"]
    assert others == docset.build(pairs, per_dataset=4, spin_docs=2, edit_docs=2)
    assert not {d.group for d in sm} & {d.group for d in others}
    p = docprep.prepare(docs, log=lambda m: None)
    smollm = p.dataset == "smollm"
    for by in ("family", "domain"):
        for h in (0, 1):
            for _, tr, te in train_doc.folds(p, by, h):
                assert not smollm[te].any()
                if by == "family":  # they train (the domain folds here leave no other domain to train on)
                    assert smollm[tr].any()


def test_missing_answers_without_the_model_leave_sentences_alone(tmp_path):
    logged = []
    para = Paraphraser(tmp_path / "none.jsonl", log=logged.append, cached_only=True)
    assert para.paraphrase([S]) == [None]
    assert logged and logged[0].startswith("warning: 1 of 1 sentences are not in the paraphrase cache")
    assert docset.build(_pairs(12), per_dataset=4, spin_docs=0, edit_docs=0, para_docs=3, paraphraser=para) == \
        docset.build(_pairs(12), per_dataset=4, spin_docs=0, edit_docs=0)


def test_para_docs_without_a_paraphraser_or_with_an_unknown_prompt_is_refused(tmp_path):
    with pytest.raises(ValueError, match="paraphraser"):
        docset.build([], para_docs=3)
    para = Paraphraser(tmp_path / "none.jsonl", cached_only=True)
    with pytest.raises(ValueError, match="unknown paraphrase prompt.*formal.*expected some of: paraphrase, simpler"):
        docset.build(_pairs(12), para_docs=3, paraphraser=para, para_prompts=("paraphrase", "formal"))
    with pytest.raises(ValueError, match="expected some of"):
        para.paraphrase([S], "formal")
    assert np.isin("smollm", docset.TRAINING_ONLY_DATASETS)


@pytest.mark.skipif(__import__("spindetect.surprisal", fromlist=["x"]).find_prepared() is None,
                    reason="language model not prepared (bash scripts/setup.sh --accurate)")
def test_the_real_model_paraphrases_greedily_and_caches(tmp_path):
    sents = [S, "Shares of the company fell 4 percent in early trading after it cut its forecast."]
    para = Paraphraser(tmp_path / "p.jsonl", log=lambda m: None)
    answers = para.paraphrase(sents)
    assert para.generated == 2 and all(isinstance(a, str) and a.strip() for a in answers)
    assert len((tmp_path / "p.jsonl").read_text().splitlines()) == 2
    again = Paraphraser(tmp_path / "p.jsonl", cached_only=True)
    assert again.paraphrase(sents) == answers and again._model is None
    fresh = Paraphraser(tmp_path / "q.jsonl", log=lambda m: None)
    assert fresh.paraphrase(sents[::-1]) == answers[::-1]  # greedy: a fresh cache gets the same answers
    fresh.paraphrase(sents, "simpler")
    assert fresh.generated == 4  # another prompt is another question: nothing answered from the first
