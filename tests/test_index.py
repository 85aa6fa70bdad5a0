"""`spindetect index` / `spindetect find` on a small corpus written for these tests."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from spindetect.cli import app
from spindetect.index import SourceIndex

from .test_align import ORIGINAL as BRIDGE
from .test_align import REORDERED as BRIDGE_REWRITE

runner = CliRunner()

CORPUS = {
    "school.txt": (
        "The school board hired a new head teacher for the primary school on Elm Road. "
        "She previously ran a science programme in another district. "
        "Parents welcomed the appointment at a meeting on Thursday evening. "
        "The board said the new head will start in September."
    ),
    "football.md": (
        "Riverside United beat Northgate 3-1 on Saturday to move top of the regional league. "
        "Striker Tom Bell scored twice in the first half. "
        "Northgate pulled a goal back from a penalty after the break. "
        "A late header from the captain sealed the win in front of 4,000 fans."
    ),
    "factory.txt": (
        "A paper factory that employed 300 people will close in March, its owners announced on Monday. "
        "The company blamed rising energy prices and falling demand for printed catalogues. "
        "Union leaders called the decision a heavy blow for the valley. "
        "The regional government promised retraining grants for the workers who lose their jobs."
    ),
}
JSONL_ROWS = [
    {"id": "storm-1", "text": (
        "A storm with winds of up to 120 kilometres an hour swept across the coast overnight. "
        "Thousands of homes lost power and several roads were blocked by fallen trees. "
        "Emergency services said two people were treated for minor injuries."
    )},
    {"id": "library-7", "text": (
        "The town library will open on Sundays from next month after a vote by residents. "
        "Volunteers will staff the reading rooms at weekends. "
        "The library also plans a repair cafe for broken toys and bicycles."
    )},
]
FACTORY_REWRITE = (
    "Owners of a paper mill with 300 staff said on Monday that it will shut down in March. "
    "Higher energy costs and weaker demand for printed catalogues were given as the reasons. "
    "Trade union officials described the closure as a severe blow to the valley."
)
NOVEL = (
    "A new bakery opened on the high street, selling sourdough and cinnamon rolls. "
    "The owner trained in a bakery abroad for five years before returning home. "
    "Queues formed outside the shop on its first morning."
)


@pytest.fixture()
def corpus(tmp_path):
    d = tmp_path / "corpus"
    d.mkdir()
    for name, text in CORPUS.items():
        (d / name).write_text(text, encoding="utf-8")
    (tmp_path / "more.jsonl").write_text("".join(json.dumps(r) + "\n" for r in JSONL_ROWS), encoding="utf-8")
    (tmp_path / "bridge.txt").write_text(BRIDGE, encoding="utf-8")
    (tmp_path / "sus_bridge.txt").write_text(BRIDGE_REWRITE, encoding="utf-8")
    (tmp_path / "sus_factory.txt").write_text(FACTORY_REWRITE, encoding="utf-8")
    (tmp_path / "sus_novel.txt").write_text(NOVEL, encoding="utf-8")
    return tmp_path


def _index(*args):
    return runner.invoke(app, ["index", *map(str, args)])


def _find(*args):
    r = runner.invoke(app, ["find", *map(str, args), "--format", "json"])
    return r, (json.loads(r.stdout) if r.exit_code in (0, 1) and r.stdout.strip() else None)


def test_index_then_find(corpus):
    idx = corpus / "idx"
    r = _index(corpus / "corpus", corpus / "more.jsonl", corpus / "bridge.txt", "--out", idx)
    assert r.exit_code == 0, r.output
    assert "indexed 6 document(s)" in r.stderr
    r, res = _find(corpus / "sus_bridge.txt", corpus / "sus_factory.txt", corpus / "sus_novel.txt", "--index", idx, "--top", "3")
    assert r.exit_code == 0, r.output
    assert [x["path"] for x in res] == [str(corpus / n) for n in ("sus_bridge.txt", "sus_factory.txt", "sus_novel.txt")]
    bridge, factory, novel = res
    assert bridge["matches"][0]["source"] == str(corpus / "bridge.txt") and bridge["source_found"]
    assert bridge["matches"][0]["n_aligned"] == 4
    assert factory["matches"][0]["source"] == str(corpus / "corpus" / "factory.txt") and factory["source_found"]
    assert not novel["source_found"]
    for x in res:
        assert len(x["matches"]) <= 3
        assert all(set(m) == {"source", "score", "n_aligned"} and 0 < m["score"] <= 1 for m in x["matches"])
        assert [m["score"] for m in x["matches"]] == sorted((m["score"] for m in x["matches"]), reverse=True)
    pairs = bridge["best"]["pairs"]
    assert any(p["kind"] == "moved" and "Ferries" in p["source_text"] for p in pairs)


def test_jsonl_documents_are_named_by_id(corpus, tmp_path):
    idx = corpus / "idx"
    assert _index(corpus / "more.jsonl", "--out", idx).exit_code == 0
    (tmp_path / "q.txt").write_text(
        "Residents voted to open the town library on Sundays starting next month. Volunteers will run the reading rooms on weekends.",
        encoding="utf-8",
    )
    r, res = _find(tmp_path / "q.txt", "--index", idx)
    assert res[0]["matches"][0]["source"] == "library-7"


def test_append_is_incremental(corpus):
    idx = corpus / "idx"
    assert _index(corpus / "corpus", "--out", idx).exit_code == 0
    r, res = _find(corpus / "sus_bridge.txt", "--index", idx)
    assert not res[0]["source_found"]
    before = {p.name: p.read_bytes() for p in idx.glob("shard-*")}
    r = _index(corpus / "bridge.txt", "--out", idx, "--append")
    assert r.exit_code == 0, r.output
    assert "now 4 documents" in r.stderr
    assert {p.name: p.read_bytes() for p in idx.glob("shard-*") if p.name in before} == before  # old shards untouched
    assert len(json.loads((idx / "manifest.json").read_text())["shards"]) == 2
    r, res = _find(corpus / "sus_bridge.txt", "--index", idx)
    assert res[0]["source_found"] and res[0]["matches"][0]["source"] == str(corpus / "bridge.txt")
    r = _index(corpus / "bridge.txt", "--out", idx, "--append")
    assert r.exit_code == 0 and "already in the index; skipped" in r.stderr


def test_index_files_are_plain_arrays(corpus):
    idx = corpus / "idx"
    assert _index(corpus / "corpus", "--out", idx).exit_code == 0
    arr = np.load(idx / "shard-00000.npy", allow_pickle=False)
    assert arr.dtype == np.float32 and arr.shape[1] == 384
    assert np.allclose(np.linalg.norm(arr, axis=1), 1.0, atol=1e-4)
    loaded = SourceIndex.open(idx)
    assert loaded.n_sentences == len(arr) == sum(len(d["sentences"]) for d in loaded.docs)


@pytest.mark.parametrize(
    "make_args,code,message",
    [
        (lambda c: ["index", c / "corpus", "--out", c / "idx"], 2, "already holds an index; pass --append"),
        (lambda c: ["find", c / "sus_bridge.txt", "--index", c / "nowhere"], 2, "not an index directory"),
        (lambda c: ["find", c / "sus_bridge.txt", "--index", c / "idx", "--format", "xml"], 2, "expected one of: table, json"),
        (lambda c: ["find", c / "sus_bridge.txt", "--index", c / "idx", "--top", "0"], 2, "--top must be 1 or more"),
        (lambda c: ["find", c / "missing.txt", "--index", c / "idx"], 1, "missing.txt: no such file or directory"),
        (lambda c: ["index", c / "missing.txt", "--out", c / "idx2"], 1, "missing.txt: no such file or directory"),
    ],
)
def test_bad_input_is_one_line(corpus, make_args, code, message):
    assert _index(corpus / "corpus", "--out", corpus / "idx").exit_code == 0
    r = runner.invoke(app, [str(a) for a in make_args(corpus)])
    assert r.exit_code == code, r.output
    assert message in r.stderr and "Traceback" not in r.output


def test_tampered_index_is_refused(corpus):
    idx = corpus / "idx"
    assert _index(corpus / "corpus", "--out", idx).exit_code == 0
    arr = np.load(idx / "shard-00000.npy")
    arr[0, 0] += 0.5
    np.save(idx / "shard-00000.npy", arr)
    r = runner.invoke(app, ["find", str(corpus / "sus_bridge.txt"), "--index", str(idx)])
    assert r.exit_code == 2 and "sha256 mismatch" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_library_search_exact_and_ann_agree(corpus):
    pytest.importorskip("usearch")
    from spindetect.align import word_count
    from spindetect.embed import Embedder
    from spindetect.segment import segment

    idx = corpus / "idx"
    assert _index(corpus / "corpus", corpus / "more.jsonl", corpus / "bridge.txt", "--out", idx).exit_code == 0
    index = SourceIndex.open(idx)
    sents = segment(FACTORY_REWRITE)
    q = Embedder().encode([s.norm for s in sents])
    w = [word_count(s.text) for s in sents]
    exact = [(m.source, round(m.score, 5)) for m in index.find(q, w, top=3, exact=True)]
    ann = [(m.source, round(m.score, 5)) for m in index.find(q, w, top=3, exact=False)]
    assert exact[0][0].endswith("factory.txt") and ann[0] == exact[0]
    assert index.find(q[:0], [], top=3) == []


def test_find_table_output(corpus):
    idx = corpus / "idx"
    assert _index(corpus / "corpus", corpus / "bridge.txt", "--out", idx).exit_code == 0
    r = runner.invoke(app, ["find", str(corpus / "sus_bridge.txt"), str(corpus / "sus_novel.txt"), "--index", str(idx)])
    assert r.exit_code == 0, r.output
    out = " ".join(r.stdout.split())
    assert "aligned sentences of" in out and "bridge.txt" in out
    assert out.count("no source found") == 1


def _unit_rows(rng, n, dim=16):
    x = rng.normal(size=(n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_ann_graph_is_saved_and_extended_on_append(tmp_path, monkeypatch):
    pytest.importorskip("usearch")
    import spindetect.index as index_mod

    monkeypatch.setattr(index_mod, "EXACT_LIMIT", 50)
    rng = np.random.default_rng(3)
    idx = SourceIndex.create(tmp_path / "i", "toy", 16)
    first = _unit_rows(rng, 60)
    idx.add([(f"d{k}", ["s"] * 10) for k in range(6)], first)
    meta = json.loads((tmp_path / "i" / "manifest.json").read_text())["ann"]
    assert meta["n_sentences"] == 60 and (tmp_path / "i" / meta["file"]).is_file()
    second = _unit_rows(rng, 20)
    SourceIndex.open(tmp_path / "i").add([("e0", ["s"] * 10), ("e1", ["s"] * 10)], second)
    reopened = SourceIndex.open(tmp_path / "i")
    assert reopened.manifest["ann"]["n_sentences"] == 80 and len(reopened._load_ann()) == 80
    # a query made of noisy copies of e1's sentences finds e1 by both paths
    q = second[10:16] + 0.05 * rng.normal(size=(6, 16)).astype(np.float32)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    for exact in (True, False):
        assert reopened.find(q, [10] * 6, top=1, min_similarity=0.5, exact=exact)[0].source == "e1"
    # an altered graph is only a cache: it is rebuilt from the verified embeddings
    (tmp_path / "i" / meta["file"]).write_bytes(b"garbage")
    again = SourceIndex.open(tmp_path / "i")
    assert again.find(q, [10] * 6, top=1, min_similarity=0.5, exact=False)[0].source == "e1"
