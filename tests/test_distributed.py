"""The Dask engine on a real LocalCluster (2 worker processes): equality with the
local `spindetect score`, resume, error rows, and a worker killed mid-partition."""

import json
import os
import sys

import pytest

pytest.importorskip("distributed")
pa = pytest.importorskip("pyarrow")
import pyarrow.parquet as pq  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from spindetect import distributed as dist  # noqa: E402
from spindetect.cli import app  # noqa: E402
from spindetect.crawl import CrawlError, score_to_file, score_with_dask  # noqa: E402
from spindetect.parquet_io import document_row, read_scores  # noqa: E402
from spindetect.errors import ReadError  # noqa: E402
from spindetect.io.records import count_jsonl_lines, iter_jsonl_articles, record_article  # noqa: E402

from . import texts  # noqa: E402
from .test_parquet_io import shipped_model  # noqa: E402

# Written for these tests: short news items and hand-spun versions of them.
STORIES = [
    texts.HUMAN_NEWS,
    texts.SPUN_NEWS,
    texts.ABBREVIATIONS,
    texts.ONE_SENTENCE,
    "The library will stay open until nine on weekdays from March. Staff asked for the change after a survey. "
    "Students said they needed a quiet place to work in the evening.",
    "From March, the library is going to continue to be open till nine on weekdays. Personnel requested the "
    "modification following a study. Pupils stated they required a silent location to labor in the night.",
    "A freight train left the rails near the river crossing early on Sunday. No one was hurt. "
    "The line will reopen on Wednesday, the operator said.",
    "Early on Sunday a cargo locomotive departed the tracks close to the stream intersection. Nobody was injured. "
    "The route is set to resume on Wednesday, as stated by the operator.",
    texts.CURLY,
]
N_DOCS = 22
BAD_ROWS = {5: {"url": "bad-int", "text": 42}, 11: {"url": "bad-empty", "text": "   "}, 17: "not json at all"}


def _records():
    rows = []
    for k in range(N_DOCS):
        rows.append(BAD_ROWS.get(k, {"url": f"doc-{k:03d}", "text": STORIES[k % len(STORIES)]}))
    return rows


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    """The same 22 rows as JSONL (3 bad) and as Parquet (good rows only), plus .txt copies of the good ones."""
    d = tmp_path_factory.mktemp("crawl")
    with open(d / "crawl.jsonl", "w", encoding="utf-8") as f:
        for r in _records():
            f.write((json.dumps(r) if isinstance(r, dict) else r) + "\n")
    good = [r for r in _records() if isinstance(r, dict) and r["url"].startswith("doc-")]
    pq.write_table(pa.Table.from_pylist(good), d / "crawl.parquet", row_group_size=4)
    (d / "txt").mkdir()
    for r in good:
        (d / "txt" / f"{r['url']}.txt").write_text(r["text"], encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def model():
    return shipped_model()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Two worker processes, one thread each; workers inherit the crash-flag path at spawn."""
    from distributed import Client, LocalCluster

    flag = tmp_path_factory.mktemp("fault") / "crash-once"
    os.environ[dist.ENV_CRASH_FLAG] = str(flag)
    c = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, scheduler_port=0,
                     dashboard_address=None, silence_logs=50)
    client = Client(c)
    yield client, flag
    client.close()
    c.close()
    os.environ.pop(dist.ENV_CRASH_FLAG, None)


def _dask(crawl, out, cluster, model, **kw):
    client, _ = cluster
    args = dict(text_field="text", id_field="url", scheduler=client.scheduler.address, model=model,
                partition_rows=5)
    args.update(kw)
    try:
        return _rc(score_with_dask([str(crawl / "crawl.jsonl")], str(out), **args))
    except CrawlError:
        return 2


def _rc(result):
    """The exit code `spindetect score` gives for this result (0 complete, 1 some rows or partitions failed)."""
    return 0 if result.complete else 1


# ------------------------------------------------------------------ planning and reading


def test_plan_is_deterministic_and_covers_every_line(crawl):
    parts = dist.plan_partitions([str(crawl / "crawl.jsonl"), str(crawl / "crawl.parquet")], 5)
    assert parts == dist.plan_partitions([str(crawl / "crawl.jsonl"), str(crawl / "crawl.parquet")], 5)
    jl = [p for p in parts if p.kind == "jsonl"]
    assert [(p.start, p.stop) for p in jl] == [(0, 5), (5, 10), (10, 15), (15, 20), (20, 22)]
    assert sum(p.stop - p.start for p in parts if p.kind == "parquet") == N_DOCS - len(BAD_ROWS)
    assert [p.index for p in parts] == list(range(len(parts)))
    with pytest.raises(ValueError, match=r"expected a name ending in one of: \.jsonl, \.jsonl\.gz, \.parquet"):
        dist.plan_partitions(["crawl.csv"])


def test_line_count_without_final_newline(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_bytes(b'{"text": "a"}\n\n{"text": "b"}')
    assert count_jsonl_lines(str(p)) == 3


def test_jsonl_ranges_match_the_whole_file_reader(crawl):
    path = str(crawl / "crawl.jsonl")

    def key(x):
        return (type(x).__name__, str(x) if isinstance(x, ReadError) else (x.path, x.id, x.text))

    whole = [key(x) for x in iter_jsonl_articles(path, "text", "url")]
    pieces = [key(x) for p in dist.plan_partitions([path], 4) for x in iter_jsonl_articles(path, "text", "url", start=p.start, stop=p.stop)]
    assert pieces == whole and len(whole) == N_DOCS


# ------------------------------------------------------------------ scores equal the local path


def test_dask_scores_equal_local_spindetect_score(crawl, cluster, model, tmp_path):
    rc = _dask(crawl, tmp_path / "dask", cluster, model)
    assert rc == 1  # three bad rows
    t = read_scores(tmp_path / "dask")
    assert t.num_rows == N_DOCS and t.column("path").to_pylist() == [f"{crawl / 'crawl.jsonl'}:{k + 1}" for k in range(N_DOCS)]
    by_id = {r["id"]: r for r in t.to_pylist() if r["error"] is None}

    # The local `spindetect score` on the same texts, as .txt files.
    r = CliRunner().invoke(app, ["score", str(crawl / "txt"), "--format", "jsonl", "--model", model])
    assert r.exit_code == 0, r.output
    local = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(local) == len(by_id) == N_DOCS - len(BAD_ROWS)
    for doc in local:
        _assert_same(by_id[os.path.basename(doc["path"])[:-4]], document_row(doc))

    # The single-process streaming path writes the same rows.
    out = tmp_path / "local.parquet"
    assert _rc(score_to_file([str(crawl / "crawl.jsonl")], str(out), text_field="text", id_field="url", model=model)) == 1
    streamed = read_scores(out).to_pylist()
    assert [r["path"] for r in streamed] == t.column("path").to_pylist()
    for a, b in zip(streamed, t.to_pylist()):
        assert a["error"] == b["error"]
        if a["error"] is None:
            _assert_same(a, b)


def _assert_same(row, want):
    """Same document, same scores, bit for bit.

    Embeddings do not depend on the other sentences in a batch
    (embed_onnx.WIDTH_STEP) and the classifier multiplies row by row, so a
    partition of other documents cannot move a score.
    """
    for k in ("score", "label", "threshold", "n_sentences", "top_sentences", "model_name", "model_version"):
        assert row[k] == want[k], k
    # Warnings name the document by its path, which differs (JSONL line vs .txt file).
    assert [w.split(": ", 1)[1] for w in row["warnings"]] == [w.split(": ", 1)[1] for w in want["warnings"]]


def test_error_rows_keep_their_place_and_message(crawl, cluster, model, tmp_path):
    rc = _dask(crawl, tmp_path / "dask", cluster, model)
    assert rc == 1
    rows = read_scores(tmp_path / "dask").to_pylist()
    errors = {k: r["error"] for k, r in enumerate(rows) if r["error"] is not None}
    assert set(errors) == set(BAD_ROWS)
    assert errors[5].endswith(":6: field 'text' is int, expected a string")
    assert "empty" in errors[11] and "invalid JSON" in errors[17]
    assert all(rows[k]["score"] is None and rows[k]["top_sentences"] is None for k in errors)


def test_model_loads_once_per_worker(crawl, cluster, model, tmp_path):
    client, _ = cluster
    _dask(crawl, tmp_path / "a", cluster, model, partition_rows=2)  # 11 partitions on 2 workers
    stats = client.run(dist.load_stats)
    assert all(s["loads"] == 1 for s in stats.values()), stats


# ------------------------------------------------------------------ resume and faults


def test_rerun_skips_finished_partitions(crawl, cluster, model, tmp_path):
    out = tmp_path / "dask"
    assert _dask(crawl, out, cluster, model) == 1
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("part-*.parquet")}
    full = read_scores(out)
    (out / "part-00002.parquet").unlink()
    assert _dask(crawl, out, cluster, model) == 1
    after = {p.name: p.stat().st_mtime_ns for p in out.glob("part-*.parquet")}
    assert set(after) == set(before)
    assert [n for n in after if after[n] != before[n]] == ["part-00002.parquet"]
    assert read_scores(out).equals(full)


def test_rerun_with_other_settings_is_refused_unless_forced(crawl, cluster, model, tmp_path):
    out = tmp_path / "dask"
    assert _dask(crawl, out, cluster, model) == 1
    with pytest.raises(CrawlError, match="use --force"):
        score_with_dask([str(crawl / "crawl.jsonl")], str(out), text_field="text", id_field="url",
                        scheduler=cluster[0].scheduler.address, model=model, partition_rows=7)
    assert _dask(crawl, out, cluster, model, partition_rows=7, force=True) == 1
    assert len(list(out.glob("part-*.parquet"))) == 4


def test_worker_killed_mid_partition_loses_and_duplicates_nothing(crawl, cluster, model, tmp_path):
    client, flag = cluster
    flag.write_text("crash the next partition once")
    out = tmp_path / "dask"
    assert _dask(crawl, out, cluster, model, partition_rows=3) == 1
    assert not flag.exists(), "no worker crashed: the fault was not injected"
    rows = read_scores(out).to_pylist()
    assert [r["path"] for r in rows] == [f"{crawl / 'crawl.jsonl'}:{k + 1}" for k in range(N_DOCS)]
    ids = [r["id"] for r in rows if r["id"]]
    assert len(ids) == len(set(ids))


# ------------------------------------------------------------------ notebook API


def test_score_dataframe_and_bag_match_the_partition_scores(crawl, cluster, model, tmp_path):
    import dask.bag as db
    import dask.dataframe as dd
    import pandas as pd

    pdf = pd.DataFrame({"url": ["a", "b", "c"], "text": [texts.HUMAN_NEWS, None, texts.SPUN_NEWS]})
    got = dist.score_dataframe(dd.from_pandas(pdf, npartitions=2), text_col="text", id_col="url", model_dir=model).compute()
    det = dist.get_detector(model)
    want = det.score_articles([record_article(t, None, "x") for t in (texts.HUMAN_NEWS, texts.SPUN_NEWS)])
    assert list(got["id"]) == ["a", "b", "c"]
    assert got["score"].tolist()[0] == want[0].score and got["score"].tolist()[2] == want[1].score
    assert got["error"].tolist()[1] == "row 1: field 'text' is null" and pd.isna(got["score"].tolist()[1])

    bag = db.from_sequence([{"text": texts.HUMAN_NEWS, "id": 1}, texts.SPUN_NEWS, {"id": 3}], npartitions=2)
    rows = dist.score_bag(bag, model_dir=model).compute()
    assert [r["score"] for r in rows[:2]] == [want[0].score, want[1].score]
    assert rows[0]["id"] == "1" and rows[2]["id"] == "3" and "null" in rows[2]["error"]


def test_missing_dask_is_a_one_line_install_hint(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(CrawlError, match=r"pip install 'spindetect\[dask\]'"):
        score_with_dask([str(tmp_path / "x.jsonl")], str(tmp_path / "out"))
    # The CLI: one line on stderr, exit 2.
    r = CliRunner().invoke(app, ["score", str(tmp_path / "x.jsonl"), "--engine", "dask", "--out", str(tmp_path / "out")])
    err = r.stderr.strip()
    assert r.exit_code == 2 and err.count("\n") == 0 and "pip install 'spindetect[dask]'" in err, r.stderr


def test_bad_arguments_exit_2_naming_the_problem(tmp_path):
    for kwargs, msg in [
        (dict(partition_rows=0), "--partition-rows must be 1 or more"),
        (dict(top=-1), "--top must be 0 or more"),
        (dict(local_workers=0), "--local-workers must be 1 or more"),
    ]:
        with pytest.raises(CrawlError, match=msg):
            score_with_dask([str(tmp_path / "x.jsonl")], str(tmp_path / "out"), **kwargs)
    with pytest.raises(CrawlError, match=r"expected a name ending in one of: \.jsonl, \.jsonl\.gz, \.parquet"):
        score_with_dask([str(tmp_path / "x.txt")], str(tmp_path / "out"))
    r = CliRunner().invoke(app, ["score", str(tmp_path / "x.jsonl"), "--engine", "dask", "--out", str(tmp_path / "out"),
                                 "--partition-rows", "0"])
    assert r.exit_code == 2 and r.stderr.strip() == "spindetect: error: --partition-rows must be 1 or more, got 0"


def test_outdated_model_is_one_error_before_any_worker_starts(tmp_path, model):
    import shutil

    stale = tmp_path / "stale"
    shutil.copytree(model, stale)
    manifest = json.loads((stale / "manifest.json").read_text())
    # As if trained by a spindetect whose last feature was another one.
    manifest["features"][-1] = "artifact:a_code_this_version_does_not_have"
    (stale / "manifest.json").write_text(json.dumps(manifest))
    (tmp_path / "x.jsonl").write_text('{"text": "A short story."}\n')
    with pytest.raises(CrawlError) as e:
        score_with_dask([str(tmp_path / "x.jsonl")], str(tmp_path / "out"), model=str(stale))
    err = str(e.value)
    assert err.count("\n") == 0 and "retrain it with 'spindetect train'" in err


def test_the_shipped_accurate_model_passes_the_dask_front_end_check():
    """`--mode accurate --engine dask` once refused the shipped accurate model (the Dask front end kept its own
    feature check without the language-model columns); both front ends now run detector.check_features."""
    from spindetect.crawl import model_info
    from spindetect.modeldir import default_model_dir

    info = model_info(str(default_model_dir("accurate")))
    assert info["name"] == "spindetect-accurate"
