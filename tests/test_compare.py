"""`spindetect compare`: library and CLI, with the real embedder."""

import json

import pytest
from typer.testing import CliRunner

from spindetect.cli import app
from spindetect.compare import compare, diff_words
from spindetect.types import Article

from .test_align import INSERTED, ORIGINAL, REORDERED, UNRELATED

runner = CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("compare")
    for name, text in (("original.txt", ORIGINAL), ("rewrite.txt", REORDERED), ("inserted.txt", INSERTED), ("unrelated.txt", UNRELATED)):
        (d / name).write_text(text, encoding="utf-8")
    (d / "empty.txt").write_text("", encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def embedder():
    from spindetect.embed import Embedder

    return Embedder()


def test_diff_words_reconstructs_both_sides():
    old, new = "The bridge carries about 12,000 cars a day.", "About 12,000 cars cross the bridge each day."
    ops = diff_words(old, new)
    assert {op["op"] for op in ops} <= {"equal", "delete", "insert"}
    assert " ".join(op.get("old", op["text"]) for op in ops if op["op"] != "insert") == old
    assert " ".join(op["text"] for op in ops if op["op"] != "delete") == new
    assert diff_words("", "") == []
    assert diff_words("Same words here.", "same words here.") == [{"op": "equal", "text": "same words here.", "old": "Same words here."}]


def test_rewrite_and_unrelated_verdicts(embedder):
    rewrite = compare(Article("o.txt", ORIGINAL), Article("r.txt", INSERTED), embedder)
    assert rewrite.is_rewrite
    assert rewrite.verdict.startswith("r.txt is a rewrite of o.txt: 75 % of its sentences")
    other = compare(Article("o.txt", ORIGINAL), Article("u.txt", UNRELATED), embedder)
    assert not other.is_rewrite
    assert other.verdict.startswith("u.txt is not a rewrite of o.txt")
    d = rewrite.to_dict()
    assert [i["index"] for i in d["inserted"]] == [1]
    assert "bakeries" in d["inserted"][0]["text"]
    assert all(p["original_text"] and p["suspect_text"] for p in d["pairs"])


def test_threshold_is_validated(embedder):
    with pytest.raises(ValueError, match="between 0 and 1"):
        compare(Article("a", ORIGINAL), Article("b", REORDERED), embedder, threshold=1.5)


def test_cli_json(files):
    r = runner.invoke(app, ["compare", str(files / "original.txt"), str(files / "rewrite.txt"), "--format", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["is_rewrite"] is True and d["coverage"] == 1.0
    assert {p["kind"] for p in d["pairs"]} == {"match", "moved"}
    assert d["threshold"] > 0 and d["threshold_note"]
    # byte-identical on a second run
    r2 = runner.invoke(app, ["compare", str(files / "original.txt"), str(files / "rewrite.txt"), "--format", "json"])
    assert r2.stdout == r.stdout


def test_cli_table_from_stdin(files):
    r = runner.invoke(app, ["compare", str(files / "original.txt"), "-"], input=UNRELATED)
    assert r.exit_code == 0, r.output
    assert "- is not a rewrite of" in " ".join(r.stdout.split())


def test_cli_html_out(files, tmp_path):
    out = tmp_path / "cmp.html"
    r = runner.invoke(app, ["compare", str(files / "original.txt"), str(files / "inserted.txt"), "-f", "html", "--out", str(out)])
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<del>" in page and "<ins>" in page
    assert page.count('class="pair"') == 3 and "bakeries" in page


@pytest.mark.parametrize(
    "args,code,message",
    [
        (["compare", "{d}/original.txt", "{d}/missing.txt"], 1, "missing.txt: no such file or directory"),
        (["compare", "{d}/original.txt", "{d}/empty.txt"], 1, "empty file"),
        (["compare", "-", "-"], 2, "stdin"),
        (["compare", "{d}/original.txt", "{d}/rewrite.txt", "--format", "xml"], 2, "expected one of: table, json, html"),
        (["compare", "{d}/original.txt", "{d}/rewrite.txt", "--threshold", "2"], 2, "--threshold must be between 0 and 1"),
    ],
)
def test_cli_bad_input_is_one_line(files, args, code, message):
    r = runner.invoke(app, [a.format(d=files) for a in args])
    assert r.exit_code == code
    assert message in r.stderr
    assert "Traceback" not in r.output and len(r.stderr.strip().splitlines()) == 1
