"""`score --out/--resume/--force`, JSONL records and HTML output, with the shipped model."""

import gzip
import json

import pytest
from typer.testing import CliRunner

from spindetect.cli import app

from . import texts

runner = CliRunner()


@pytest.fixture()
def corpus(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for k in range(6):
        (d / f"a{k}.txt").write_text((texts.HUMAN_NEWS if k % 2 else texts.SPUN_NEWS) + f"\nNote {k}.", encoding="utf-8")
    (d / "bad.txt").write_bytes(b"\x00\x01\x02" * 50)
    return d


def _lines(p):
    return [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines()]


def test_out_is_written_and_never_overwritten_without_force(corpus, tmp_path):
    out = tmp_path / "scores.jsonl"
    r = runner.invoke(app, ["score", str(corpus), "--format", "jsonl", "--out", str(out)])
    assert r.exit_code == 1 and "binary" in r.stderr  # one bad file reported, the rest scored
    first = out.read_text(encoding="utf-8")
    assert len(_lines(out)) == 6 and r.stdout == ""
    r = runner.invoke(app, ["score", str(corpus), "--format", "jsonl", "--out", str(out)])
    assert r.exit_code == 2 and "--force" in r.stderr
    assert out.read_text(encoding="utf-8") == first
    r = runner.invoke(app, ["score", str(corpus / "a0.txt"), "--format", "jsonl", "--out", str(out), "--force"])
    assert r.exit_code == 0 and len(_lines(out)) == 1
    assert not list(tmp_path.glob(".scores.jsonl.partial-*"))


def test_resume_scores_each_input_exactly_once(corpus, tmp_path):
    out = tmp_path / "scores.jsonl"
    files = sorted(str(p) for p in corpus.glob("a*.txt"))
    runner.invoke(app, ["score", *files[:2], "--format", "jsonl", "--out", str(out)])
    r = runner.invoke(app, ["score", *files, "--format", "jsonl", "--resume", str(out)])
    assert r.exit_code == 0, r.stderr
    assert "skipped 2" in r.stderr
    paths = [d["path"] for d in _lines(out)]
    assert sorted(paths) == files and len(paths) == len(set(paths))


def test_resume_csv(corpus, tmp_path):
    out = tmp_path / "s.csv"
    files = sorted(str(p) for p in corpus.glob("a*.txt"))
    runner.invoke(app, ["score", files[0], "--format", "csv", "--out", str(out)])
    r = runner.invoke(app, ["score", *files[:3], "--format", "csv", "--resume", str(out)])
    assert r.exit_code == 0
    lines = out.read_text().splitlines()
    assert lines[0].startswith("path,") and sum(1 for line in lines if line.startswith("path,")) == 1


def test_resume_refuses_json_and_force(tmp_path):
    out = tmp_path / "s.json"
    out.write_text("[]")
    r = runner.invoke(app, ["score", "seeds", "--format", "json", "--resume", str(out)])
    assert r.exit_code == 2 and "jsonl or csv" in r.stderr
    r = runner.invoke(app, ["score", "seeds", "--format", "jsonl", "--resume", str(out), "--force"])
    assert r.exit_code == 2


def test_jsonl_records_carry_ids_and_bad_lines_are_reported(tmp_path):
    src = tmp_path / "crawl.jsonl.gz"
    with gzip.open(src, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"url": "https://example.org/a", "body": texts.HUMAN_NEWS}) + "\n")
        f.write("{not json\n")
        f.write(json.dumps({"url": "https://example.org/b", "body": texts.SPUN_NEWS}) + "\n")
    r = runner.invoke(app, ["score", str(src), "--text-field", "body", "--id-field", "url", "--format", "jsonl"])
    assert r.exit_code == 1
    assert ":2" in r.stderr and "Traceback" not in r.stderr
    docs = [json.loads(line) for line in r.stdout.splitlines()]
    assert [d["id"] for d in docs] == ["https://example.org/a", "https://example.org/b"]


def test_html_report_is_self_contained(tmp_path):
    out = tmp_path / "report.html"
    r = runner.invoke(app, ["score", "seeds/spun_biden_putin_call.txt", "--format", "html", "--out", str(out)])
    assert r.exit_code == 0, r.stderr
    page = out.read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html")
    assert "http://" not in page.replace("http://www.w3.org", "") and "<script src" not in page
    assert "data-score" in page
