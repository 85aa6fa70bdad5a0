"""Reference mode: the pair rule (pairscore), `compare`'s verdict, and `score --against/--index` (real encoder and model)."""

import gzip
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from spindetect.align import Alignment, Link
from spindetect.cli import app
from spindetect.compare import compare
from spindetect.pairscore import DERIVED_THRESHOLD, carried_share, content_words, is_derived, pair_features, pair_score
from spindetect.types import Article

from .test_align import ORIGINAL, REORDERED, UNRELATED

runner = CliRunner()
DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

# Two paragraphs of one article on one event, written for this test: the second
# is not made from the first, but half its words sit in sentences that link to
# it at cosine >= 0.55 (the coverage rule compare used before called it a rewrite).
PARAGRAPH_1 = (
    "The harbour bridge in Westport will close on Monday for eight months of repairs, the city council decided on Tuesday. "
    "Engineers found cracks in two steel supports of the bridge during an inspection last month. "
    "About 12,000 cars cross the bridge every day, most of them commuters heading to the business district. "
    "The repairs will cost 4 million dollars, paid from the city's road budget."
)
PARAGRAPH_2 = (
    "Commuters who drive across the harbour bridge each morning face longer journeys from next week. "
    "The city will run extra ferries every twenty minutes while the bridge is shut for repairs. "
    "Shop owners near the bridge fear that the closure will keep customers away until the summer. "
    "Council engineers said the cracked supports had been rusting for years before anyone noticed."
)
#: The agreed per-document JSON of reference mode (fields may be added, never renamed).
SOURCE_KEYS = {"path", "similarity", "coverage", "derived", "pairs"}
PAIR_KEYS = {"sentence", "source_sentence", "similarity", "diff"}


@pytest.fixture(scope="module")
def embedder():
    from spindetect.embed import Embedder

    return Embedder()


# -- the rule: pure functions ---------------------------------------------------


def test_carried_share_counts_content_words_in_order():
    assert carried_share("The cat sat on the mat.", "the cat sat on the mat") == (1.0, 1.0)
    in_order, any_order = carried_share("mat sat cat", "cat sat mat")
    assert in_order == pytest.approx(1 / 3) and any_order == 1.0
    assert carried_share("the of and", "cat") == (0.0, 0.0)  # no content words
    assert content_words("The 12,000 cars and THE bridge") == ["12,000", "cars", "bridge"]
    # a copy disguised with look-alike letters and a zero-width space carries over every word
    assert carried_share("The \u0441ars cro\u200bssed the bridge.", "The cars crossed the bridge.") == (1.0, 1.0)


def _alignment(links, n, m):
    return Alignment(tuple(Link(s, o, 0.8, "match") for s, o in links), n, m, 1.0, 1.0, 0.8, 0.55)


def test_order_counts_links_out_of_order_at_half_weight():
    sents = ["Alpha bravo charlie.", "Delta echo foxtrot.", "Golf hotel india."]
    words = [3, 3, 3]
    ordered = pair_features(_alignment([((0,), (0,)), ((1,), (1,)), ((2,), (2,))], 3, 3), sents, sents, words)
    shuffled = pair_features(_alignment([((0,), (2,)), ((1,), (0,)), ((2,), (1,))], 3, 3),
                             sents, [sents[1], sents[2], sents[0]], words)
    assert ordered.carried == pytest.approx(1.0) and ordered.in_order == 1.0 and ordered.longest_run == 3
    # the same sentence pairs, but the links jump back and forth: only the run 1->0, 2->1 is in order
    assert shuffled.longest_run == 2 and shuffled.in_order == pytest.approx(2 / 3)
    assert shuffled.carried == pytest.approx((0.5 + 1 + 1) / 3)
    assert pair_score(ordered) > pair_score(shuffled)
    empty = pair_features(_alignment([], 0, 3), [], sents, [])
    assert pair_score(empty) == 0.0 and not is_derived(pair_score(empty))


def test_threshold_has_a_recorded_origin():
    import spindetect.pairscore as ps

    assert 0.0 < DERIVED_THRESHOLD < 1.0
    assert "benchmarks/pairs.py" in ps.DERIVED_NOTE


# -- compare uses the same rule ------------------------------------------------


def test_compare_another_paragraph_of_the_same_article_is_not_a_rewrite(embedder):
    c = compare(Article("p1.txt", PARAGRAPH_1), Article("p2.txt", PARAGRAPH_2), embedder)
    assert c.alignment.coverage >= 0.33  # topic: the old coverage rule said "rewrite" here
    assert not c.is_rewrite
    assert c.verdict.startswith("p2.txt is not a rewrite of p1.txt")
    assert c.to_dict()["similarity"] < DERIVED_THRESHOLD
    rewrite = compare(Article("o.txt", ORIGINAL), Article("r.txt", REORDERED), embedder)
    assert rewrite.is_rewrite and rewrite.similarity >= DERIVED_THRESHOLD


@pytest.mark.skipif(not (DATA / "llmfake.jsonl.gz").is_file(), reason="../shared/data is not here")
def test_compare_on_paragraphs_of_real_articles(embedder):
    """Real articles: the second part of an original against its first part is (almost) never a rewrite; its rewrite is."""
    rows = [json.loads(line) for line in gzip.open(DATA / "llmfake.jsonl.gz", "rt", encoding="utf-8")]
    rows = [r for r in rows if r["method"] == "paraphrase" and r["rewriter"] == "gpt-3.5-turbo"]
    from spindetect.segment import segment

    called, derived, n = 0, 0, 0
    for r in rows:
        sents = segment(r["original"])
        if len(sents) < 10:
            continue
        first = " ".join(s.text for s in sents[:5])
        second = " ".join(s.text for s in sents[5:10])
        called += compare(Article("a", first), Article("b", second), embedder).is_rewrite
        derived += compare(Article("o", r["original"]), Article("r", r["rewritten"]), embedder).is_rewrite
        n += 1
        if n == 8:
            break
    assert n == 8
    assert called <= 1
    assert derived >= 5


# -- score --against / --index ---------------------------------------------------


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("reference")
    (d / "original.txt").write_text(ORIGINAL, encoding="utf-8")
    (d / "paragraph1.txt").write_text(PARAGRAPH_1, encoding="utf-8")
    sus = d / "suspects"
    sus.mkdir()
    (sus / "a_rewrite.txt").write_text(REORDERED, encoding="utf-8")
    (sus / "b_unrelated.txt").write_text(UNRELATED, encoding="utf-8")
    (sus / "c_paragraph2.txt").write_text(PARAGRAPH_2, encoding="utf-8")
    (d / "empty.txt").write_text("  \n", encoding="utf-8")
    (d / "binary.txt").write_bytes(b"\x00\xff\x10" * 100)
    origs = d / "originals"
    origs.mkdir()
    (origs / "bridge.txt").write_text(ORIGINAL, encoding="utf-8")
    (origs / "westport.txt").write_text(PARAGRAPH_1, encoding="utf-8")
    r = runner.invoke(app, ["index", str(origs), "--out", str(d / "idx")])
    assert r.exit_code == 0, r.output
    (d / "schools").mkdir()
    (d / "schools" / "school.txt").write_text(UNRELATED, encoding="utf-8")
    r = runner.invoke(app, ["index", str(d / "schools"), "--out", str(d / "school-idx")])
    assert r.exit_code == 0, r.output
    return d


def _docs(r):
    assert "Traceback" not in r.output
    return {Path(d["path"]).name: d for d in map(json.loads, r.stdout.splitlines())}


def _check_shape(doc, searched):
    ref = doc["reference"]
    assert ref["searched"] == searched
    assert set(doc["verdict"]) == {"label", "by", "why"} and doc["verdict"]["by"] in ("source", "text")
    src = ref["source"]
    if src is not None:
        assert SOURCE_KEYS <= set(src)
        assert 0.0 <= src["similarity"] <= 1.0 and 0.0 <= src["coverage"] <= 1.0
        for p in src["pairs"]:
            assert PAIR_KEYS <= set(p)
            assert 0 <= p["sentence"] < len(doc["sentences"])
            assert {op["op"] for op in p["diff"]} <= {"equal", "delete", "insert"}
            # the diff rebuilds the document's sentence(s) and the source sentence
            assert " ".join(op["text"] for op in p["diff"] if op["op"] != "delete") == " ".join(
                doc["sentences"][k]["text"] for k in p["sentences"])
            assert " ".join(op.get("old", op["text"]) for op in p["diff"] if op["op"] != "insert") == p["source_sentence"]


def test_against_a_directory_of_suspects(files):
    r = runner.invoke(app, ["score", str(files / "suspects"), "--against", str(files / "original.txt"), "-f", "jsonl"])
    assert r.exit_code == 0, r.output
    docs = _docs(r)
    assert set(docs) == {"a_rewrite.txt", "b_unrelated.txt", "c_paragraph2.txt"}
    for d in docs.values():
        _check_shape(d, 1)
        assert d["reference"]["source"]["path"] == str(files / "original.txt")
    rw = docs["a_rewrite.txt"]
    assert rw["reference"]["source"]["derived"] is True and rw["verdict"]["by"] == "source"
    assert rw["verdict"]["label"] == ("spun" if rw["label"] == "spun" else "derived")
    assert [p["sentence"] for p in rw["reference"]["source"]["pairs"]] == [0, 1, 2, 3]
    for name in ("b_unrelated.txt", "c_paragraph2.txt"):
        d = docs[name]
        assert d["reference"]["source"]["derived"] is False
        assert d["verdict"] == {**d["verdict"], "label": d["label"], "by": "text"}
        assert "does not derive from" in d["verdict"]["why"]


def test_another_paragraph_is_not_derived_in_score_either(files):
    r = runner.invoke(app, ["score", str(files / "suspects" / "c_paragraph2.txt"), "--against", str(files / "paragraph1.txt"), "-f", "json"])
    assert r.exit_code == 0, r.output
    (doc,) = json.loads(r.stdout)
    _check_shape(doc, 1)
    assert doc["reference"]["source"]["coverage"] >= 0.5  # half its sentences share the topic
    assert doc["reference"]["source"]["derived"] is False and doc["verdict"]["by"] == "text"


def test_index_finds_the_source_among_many(files):
    r = runner.invoke(app, ["score", str(files / "suspects"), "--index", str(files / "idx"), "-f", "jsonl"])
    assert r.exit_code == 0, r.output
    docs = _docs(r)
    for d in docs.values():
        _check_shape(d, 2)
    assert docs["a_rewrite.txt"]["reference"]["source"]["path"].endswith("bridge.txt")
    assert docs["a_rewrite.txt"]["verdict"]["by"] == "source"
    # same story as westport.txt (and bridge.txt), other paragraph: no source; the nearest is named
    para = docs["c_paragraph2.txt"]
    assert para["reference"]["source"] is None
    nearest = para["reference"]["nearest"]
    assert Path(nearest["path"]).name in ("westport.txt", "bridge.txt") and nearest["similarity"] < nearest["threshold"]
    assert para["verdict"]["why"].startswith("no source found in 2 documents")


def test_index_with_no_match_says_how_many_were_searched(files, tmp_path):
    out = tmp_path / "scores.jsonl"
    r = runner.invoke(app, ["score", str(files / "suspects" / "a_rewrite.txt"), "--index", str(files / "school-idx"), "--out", str(out), "-f", "jsonl"])
    assert r.exit_code == 0, r.output
    (doc,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert doc["reference"] == {"searched": 1, "source": None} or doc["reference"]["source"] is None
    assert doc["verdict"]["by"] == "text" and doc["verdict"]["label"] == doc["label"]
    assert doc["verdict"]["why"].startswith("no source found in 1 document")


def test_table_view_shows_the_verdict_and_the_diff(files):
    r = runner.invoke(app, ["score", str(files / "suspects" / "a_rewrite.txt"), "--against", str(files / "original.txt")])
    assert r.exit_code == 0, r.output
    flat = " ".join(r.stdout.split())
    assert "(by source): derives from" in flat and "Ferries will run operate" in flat
    r = runner.invoke(app, ["score", str(files / "suspects"), "--against", str(files / "original.txt")], env={"COLUMNS": "250"})
    assert r.exit_code == 0, r.output
    summary = r.stdout.split("\n\n")[-1]  # the other documents, one row each
    assert "verdict" in summary and "source" in summary
    assert "original.txt (0.00, not derived)" in summary  # b_unrelated.txt


def test_plain_score_output_has_no_reference_keys(files):
    r = runner.invoke(app, ["score", str(files / "suspects" / "a_rewrite.txt"), "-f", "json"])
    assert r.exit_code == 0
    (doc,) = json.loads(r.stdout)
    assert "reference" not in doc and "verdict" not in doc


def test_one_bad_suspect_is_reported_and_the_rest_traced(files):
    r = runner.invoke(app, ["score", str(files / "empty.txt"), str(files / "suspects" / "a_rewrite.txt"),
                            "--against", str(files / "original.txt"), "-f", "jsonl"])
    assert r.exit_code == 1
    assert "empty" in r.stderr and "Traceback" not in r.output
    (doc,) = _docs(r).values()
    assert doc["reference"]["source"]["derived"] is True


def _corrupt_index(d: Path) -> str:
    import shutil

    bad = d / "corrupt-idx"
    if not bad.exists():
        shutil.copytree(d / "idx", bad)
        shard = bad / "shard-00000.json"
        shard.write_text(shard.read_text(encoding="utf-8").replace("bridge", "brigde"), encoding="utf-8")
    return str(bad)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--against", "{d}/missing.txt"], "--against {d}/missing.txt: no such file or directory"),
        (["--against", "{d}/empty.txt"], "--against {d}/empty.txt: empty"),
        (["--against", "{d}/binary.txt"], "binary file"),
        (["--against", "{d}/suspects"], "is a directory; give one source file"),
        (["--index", "{d}/suspects"], "not an index directory"),
        (["--index", "CORRUPT"], "sha256 mismatch"),
        (["--index", "{d}/idx", "--against", "{d}/original.txt"], "give one (--against FILE for one source, --index DIR for many)"),
        (["--against", "{d}/original.txt", "-f", "csv"], "expected one of: table, json, jsonl, html"),
        (["--against", "{d}/original.txt", "--out", "{d}/x.parquet"], "not Parquet"),
    ],
)
def test_bad_reference_input_is_one_line_exit_2(files, args, message):
    args = [a.format(d=files) for a in args]
    if "CORRUPT" in args:
        args[args.index("CORRUPT")] = _corrupt_index(files)
    r = runner.invoke(app, ["score", str(files / "suspects" / "a_rewrite.txt"), *args])
    assert r.exit_code == 2, r.output
    assert message.format(d=files) in r.stderr
    assert "Traceback" not in r.output and len(r.stderr.strip().splitlines()) == 1
    assert not (files / "x.parquet").exists()


def test_output_is_byte_identical_across_runs(files):
    args = ["score", str(files / "suspects"), "--index", str(files / "idx"), "-f", "jsonl"]
    assert runner.invoke(app, args).stdout == runner.invoke(app, args).stdout


def test_against_a_file_never_overwrites_it(files):
    before = (files / "original.txt").read_bytes()
    r = runner.invoke(app, ["score", str(files / "suspects" / "a_rewrite.txt"), "--against", str(files / "original.txt"),
                            "--out", str(files / "original.txt"), "-f", "jsonl"])
    assert r.exit_code == 2 and "exists" in r.stderr
    assert (files / "original.txt").read_bytes() == before


def test_embeddings_of_an_empty_suspect_give_no_source():
    from spindetect.reference import Tracer

    class _Emb:
        name = "fake"

        def encode(self, sents):
            return np.eye(len(sents), 4, dtype=np.float32)

    t = Tracer(_Emb(), against=Article("src.txt", ORIGINAL))
    ref = t.trace([], np.zeros((0, 4), np.float32))
    assert ref.searched == 1 and ref.source.derived is False and ref.source.pairs == ()
    with pytest.raises(ValueError, match="exactly one"):
        Tracer(_Emb())


def test_html_gets_the_reference_in_each_document_dict(files, monkeypatch):
    import spindetect.render_html as render_html

    seen = []
    real = render_html.render_report

    def spy(docs, title):
        seen.extend(docs)
        return real(docs, title)

    monkeypatch.setattr(render_html, "render_report", spy)
    r = runner.invoke(app, ["score", str(files / "suspects" / "a_rewrite.txt"), "--against", str(files / "original.txt"), "-f", "html"])
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("<!DOCTYPE html>")
    (doc,) = seen
    _check_shape(doc, 1)
    assert doc["reference"]["source"]["derived"] is True
