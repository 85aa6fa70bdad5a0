"""Parquet article reading and the score-row writers (no Dask needed)."""

import gzip
import json
import os

import pytest

pa = pytest.importorskip("pyarrow")
import pyarrow.parquet as pq  # noqa: E402

from spindetect import modeldir, parquet_io  # noqa: E402
from spindetect.parquet_io import (  # noqa: E402
    COLUMNS, JsonlScoreWriter, ParquetScoreWriter, document_row, error_row, open_score_writer, read_scores,
)
from spindetect.io import parquet as parquet_in  # noqa: E402
from spindetect.io.parquet import iter_parquet_articles  # noqa: E402
from spindetect.errors import ReadError  # noqa: E402
from spindetect.types import Article  # noqa: E402

from .texts import ABBREVIATIONS, HUMAN_NEWS, SPUN_NEWS  # noqa: E402


def shipped_model():
    """The shipped model directory (``SPINDETECT_TEST_MODEL`` overrides it while it is being trained)."""
    override = os.environ.get("SPINDETECT_TEST_MODEL")
    path = override or modeldir.default_model_dir()
    if not (modeldir.Path(path) / modeldir.MANIFEST).is_file():
        pytest.skip("models/spindetect-base is not trained yet")
    return str(path)


@pytest.fixture(scope="module")
def det():
    from spindetect.distributed import get_detector

    return get_detector(shipped_model())


def _parquet(path, rows, row_group_size=3):
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=row_group_size)
    return str(path)


def test_parquet_articles_carry_ids_and_name_rows(tmp_path):
    p = _parquet(tmp_path / "c.parquet", [{"url": "a", "body": HUMAN_NEWS}, {"url": "b", "body": SPUN_NEWS}])
    arts = list(iter_parquet_articles(p, text_field="body", id_field="url"))
    assert [a.id for a in arts] == ["a", "b"]
    assert [a.path for a in arts] == [f"{p}:1", f"{p}:2"]
    assert arts[0].text == HUMAN_NEWS


def test_parquet_bad_rows_become_read_errors_and_the_rest_continue(tmp_path):
    rows = [{"id": 1, "text": HUMAN_NEWS}, {"id": 2, "text": None}, {"id": 3, "text": "   "},
            {"id": 4, "text": "bad\x00\x01\x02\x03\x04\x05\x06\x07\x08"}, {"id": 5, "text": SPUN_NEWS}]
    p = _parquet(tmp_path / "c.parquet", rows)
    got = list(iter_parquet_articles(p))
    assert [type(g) for g in got] == [Article, ReadError, ReadError, ReadError, Article]
    assert str(got[1]) == f"{p}:2: field 'text' is null"
    assert "empty" in str(got[2]) and "binary" in str(got[3])
    assert got[4].id == "5"


def test_parquet_too_long_text_is_a_read_error(tmp_path):
    p = _parquet(tmp_path / "c.parquet", [{"text": "word " * 50}, {"text": HUMAN_NEWS[:100]}])
    got = list(iter_parquet_articles(p, max_bytes=200))
    assert isinstance(got[0], ReadError) and str(got[0]).startswith(f"{p}:1: too large")
    assert isinstance(got[1], Article)


@pytest.mark.parametrize("start,stop", [(0, 10), (2, 7), (3, 6), (9, 10), (5, 5)])
def test_parquet_row_ranges_cross_row_groups(tmp_path, start, stop):
    p = _parquet(tmp_path / "c.parquet", [{"id": f"d{k}", "text": f"Story number {k} was filed today."} for k in range(10)])
    got = [a.id for a in iter_parquet_articles(p, start=start, stop=stop, batch_rows=2)]
    assert got == [f"d{k}" for k in range(start, stop)]


def test_parquet_file_problems_are_one_line_errors(tmp_path):
    p = _parquet(tmp_path / "c.parquet", [{"body": "x"}])
    (err,) = list(iter_parquet_articles(p))
    assert isinstance(err, ReadError) and "no 'text' column (columns: body)" in str(err)
    junk = tmp_path / "junk.parquet"
    junk.write_bytes(b"this is not parquet at all")
    (err,) = list(iter_parquet_articles(str(junk)))
    assert str(err).startswith(f"{junk}: not a readable Parquet file") and "\n" not in str(err)
    (err,) = list(iter_parquet_articles(str(tmp_path / "missing.parquet")))
    assert "no such file" in str(err)


def test_document_row_keeps_top_sentences_by_score(det):
    doc = det.score(SPUN_NEWS, path="spun.txt")
    row = document_row(doc, top=3)
    assert list(row) == list(COLUMNS)
    scores = [s["score"] for s in row["top_sentences"]]
    assert len(scores) == 3 and scores == sorted(scores, reverse=True)
    assert max(s.score for s in doc.sentences) == scores[0]
    for s in row["top_sentences"]:
        assert SPUN_NEWS[s["start"]:s["end"]] == s["text"]
        assert all(isinstance(c, str) for c in s["reasons"])
    assert row["score"] == doc.score and row["error"] is None
    assert row["model_name"] == doc.model["name"]
    assert document_row(doc.to_dict(), top=0)["top_sentences"] == []


def test_parquet_writer_round_trip_and_row_groups(tmp_path, det):
    docs = det.score_articles([Article(path=f"d{k}", text=t, id=str(k)) for k, t in enumerate([HUMAN_NEWS, SPUN_NEWS, ABBREVIATIONS])])
    out = tmp_path / "s.parquet"
    with ParquetScoreWriter(out, row_group_rows=2) as w:
        for d in docs:
            w.write(d)
        w.write_error("d3", "d3: empty file (no text to score)", id="3")
        assert not out.exists(), "the file must appear only when complete"
    assert pq.ParquetFile(out).metadata.num_row_groups == 2
    t = read_scores(out)
    assert t.schema.equals(parquet_io.output_schema())
    assert t.column("id").to_pylist() == ["0", "1", "2", "3"]
    assert t.column("score").to_pylist()[:3] == [d.score for d in docs]
    assert t.column("error").to_pylist() == [None, None, None, "d3: empty file (no text to score)"]
    assert t.column("score").to_pylist()[3] is None
    assert w.rows_written == 4 and w.errors_written == 1


def test_writer_refuses_existing_file_unless_forced(tmp_path):
    out = tmp_path / "s.parquet"
    out.write_bytes(b"keep me")
    with pytest.raises(FileExistsError, match="already exists; use --force"):
        ParquetScoreWriter(out)
    with ParquetScoreWriter(out, force=True) as w:
        w.write_row(error_row("x", "x: broken"))
    assert read_scores(out).num_rows == 1


def test_writer_leaves_nothing_behind_on_failure(tmp_path):
    out = tmp_path / "s.parquet"
    with pytest.raises(RuntimeError):
        with ParquetScoreWriter(out) as w:
            w.write_row(error_row("x", "x: broken"))
            raise RuntimeError("crash while writing")
    assert list(tmp_path.iterdir()) == []


def test_jsonl_gz_writer_and_suffix_choice(tmp_path):
    out = tmp_path / "s.jsonl.gz"
    w = open_score_writer(out)
    assert isinstance(w, JsonlScoreWriter)
    w.write_row(error_row("x:1", "x:1: field 'text' is null", id="7"))
    w.close()
    rows = [json.loads(line) for line in gzip.open(out, "rt")]
    assert rows == [error_row("x:1", "x:1: field 'text' is null", id="7")]
    with pytest.raises(ValueError, match=r"expected a name ending in one of: \.parquet, \.jsonl, \.jsonl\.gz"):
        open_score_writer(tmp_path / "s.csv")


def test_missing_pyarrow_says_how_to_install(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(parquet_in.MissingDependency, match=r"pip install 'spindetect\[dask\]'"):
        parquet_in.require_pyarrow()
