"""End-to-end `spindetect score` with the real embedder and the shipped model."""

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from spindetect.cli import app

from . import texts

SEED = "seeds/spun_biden_putin_call.txt"
runner = CliRunner()


def _run(args, input=None):
    return runner.invoke(app, args, input=input)


@pytest.fixture(scope="module")
def articles(tmp_path_factory):
    d = tmp_path_factory.mktemp("articles")
    (d / "human.txt").write_text(texts.HUMAN_NEWS, encoding="utf-8")
    (d / "spun.md").write_text(texts.SPUN_NEWS, encoding="utf-8")
    (d / "ignored.bin").write_bytes(b"\x00\x01")
    return d


def test_seed_shows_its_spinning_traces_and_outscores_a_human_article(tmp_path):
    # Not its label: the threshold is chosen on held-out data, never on the
    # seed (the shipped model puts the seed just under it; see README). What
    # must hold: the seed's visible traces are found and shown, and it scores
    # above a human-written article.
    human = tmp_path / "human.txt"
    human.write_text(texts.HUMAN_NEWS, encoding="utf-8")
    r = _run(["score", SEED, str(human), "--format", "json"])
    assert r.exit_code == 0, r.output
    seed, plain = json.loads(r.stdout)
    codes = {x["code"] for s in seed["sentences"] for x in s["reasons"]}
    assert {"quote_attribution", "title_conflict", "link_leadin"} <= codes
    assert seed["score"] > plain["score"]
    assert (seed["label"] == "spun") == (seed["score"] >= seed["threshold"])


def test_json_document_schema_and_offsets():
    r = _run(["score", SEED, "--format", "json"])
    (doc,) = json.loads(r.stdout)
    text = open(SEED, encoding="utf-8").read()
    for key in ("path", "score", "label", "threshold", "model", "n_sentences", "sentences"):
        assert key in doc
    assert {"name", "version"} <= set(doc["model"])
    assert doc["n_sentences"] == len(doc["sentences"]) > 10
    for s in doc["sentences"]:
        assert text[s["start"] : s["end"]] == s["text"]
        assert 0.0 <= s["score"] <= 1.0
        for reason in s["reasons"]:
            assert s["start"] <= reason["start"] < reason["end"] <= s["end"]
    assert 0.0 <= doc["score"] <= 1.0


def test_formats_agree(articles):
    js = json.loads(_run(["score", str(articles), "--format", "json"]).stdout)
    jl = [json.loads(line) for line in _run(["score", str(articles), "--format", "jsonl"]).stdout.splitlines()]
    rows = list(csv.DictReader(io.StringIO(_run(["score", str(articles), "--format", "csv"]).stdout)))
    assert js == jl
    assert [d["path"] for d in js] == sorted(d["path"] for d in js)  # directory order is sorted
    assert len(rows) == sum(d["n_sentences"] for d in js)
    by_path = {d["path"]: d for d in js}
    for row in rows:
        s = by_path[row["path"]]["sentences"][int(row["index"])]
        assert float(row["score"]) == pytest.approx(s["score"])
        assert row["text"] == s["text"]


def test_rerun_is_byte_identical():
    a = _run(["score", SEED, "--format", "json"]).stdout
    b = _run(["score", SEED, "--format", "json"]).stdout
    assert a == b


def test_stdin_matches_file():
    from_file = json.loads(_run(["score", SEED, "--format", "json"]).stdout)[0]
    from_stdin = json.loads(_run(["score", "-", "--format", "json"], input=open(SEED, "rb").read()).stdout)[0]
    assert from_stdin["path"] == "-"
    assert from_stdin["score"] == from_file["score"]


def test_table_view_shows_score_label_and_sentences():
    r = _run(["score", SEED, "--top", "3"])
    assert r.exit_code == 0
    doc = json.loads(_run(["score", SEED, "--format", "json"]).stdout)[0]
    assert f"score {doc['score']:.3f}" in r.stdout and f"label {doc['label'].upper()}" in r.stdout
    top = max(doc["sentences"], key=lambda s: s["score"])
    assert f"{top['score']:.3f}" in r.stdout


def test_threshold_option_changes_label():
    doc = json.loads(_run(["score", SEED, "--format", "json", "--threshold", "1.0"]).stdout)[0]
    assert doc["threshold"] == 1.0 and doc["label"] == "original"
    doc = json.loads(_run(["score", SEED, "--format", "json", "--threshold", "0.0"]).stdout)[0]
    assert doc["threshold"] == 0.0 and doc["label"] == "spun"


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: str(d / "missing.txt"), "no such file"),
        (lambda d: (d / "empty.txt").write_text("   \n") and str(d / "empty.txt"), "empty"),
        (lambda d: (d / "bin.txt").write_bytes(b"\x00\xff\x10" * 100) and str(d / "bin.txt"), "binary"),
        (lambda d: (d / "sub").mkdir() or str(d / "sub"), "no .txt/.md/.html/.htm/.pdf/.docx files"),
        (lambda d: (d / "big.txt").write_bytes(b"word " * 2_200_000) and str(d / "big.txt"), "too large"),
    ],
)
def test_bad_input_is_reported_and_the_rest_scored(tmp_path, make, message):
    bad = make(tmp_path)
    good = tmp_path / "good.txt"
    good.write_text(texts.HUMAN_NEWS, encoding="utf-8")
    r = _run(["score", bad, str(good), "--format", "jsonl"])
    assert r.exit_code == 1
    assert message in r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    assert len(r.stderr.strip().splitlines()) == 2  # the error line and the summary line
    (doc,) = [json.loads(line) for line in r.stdout.splitlines()]
    assert doc["path"] == str(good)


def test_invalid_utf8_is_decoded_with_a_warning(tmp_path):
    p = tmp_path / "latin.txt"
    p.write_bytes("The café reopened on Monday, the owner said. Prices stayed the same.".encode("cp1252"))
    r = _run(["score", str(p), "--format", "json"])
    assert r.exit_code == 0
    assert "not valid UTF-8" in r.stderr
    (doc,) = json.loads(r.stdout)
    assert "café" in doc["sentences"][0]["text"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["score", SEED, "--format", "xml"], "expected one of: table, json, jsonl, csv"),
        (["score", SEED, "--threshold", "2"], "between 0 and 1"),
        (["score", SEED, "--model", "/nonexistent/dir"], "not a spindetect model directory"),
        (["score", SEED, "--model", SEED], "is a file"),
    ],
)
def test_usage_errors_exit_2(args, message):
    r = _run(args)
    assert r.exit_code == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr


def test_version_and_info():
    r = _run(["--version"])
    assert r.exit_code == 0 and r.stdout.startswith("spindetect ")
    r = _run(["info", "--json"])
    assert r.exit_code == 0
    info = json.loads(r.stdout)
    assert info["model"]["name"] == "spindetect-base"
    assert "value" in info["threshold"] and info["threshold"]["rule"]
    assert info["artifact_codes"]
    # versions read from dist-info folder names agree with importlib.metadata
    from importlib import metadata

    assert info["installed"]["numpy"] == metadata.version("numpy")
    assert info["installed"]["scikit-learn"] == metadata.version("scikit-learn")
    assert set(info["modes"]) == {"fast", "accurate"}


@pytest.mark.parametrize("args", [["--help"], ["info"], ["--version"]])
def test_light_commands_import_no_heavy_module(args):
    # Issue 9's 0.3 s budget (measured in benchmarks/speed.py) rests on this:
    # none of these may pull numpy, the neural stack, pydantic or rich.
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from spindetect.cli import app\n"
        f"sys.argv = ['spindetect', *{args!r}]\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "heavy = ('numpy', 'torch', 'transformers', 'sentence_transformers', 'onnxruntime', 'pydantic', 'rich', 'sklearn')\n"
        "print(','.join(m for m in heavy if m in sys.modules) or 'none', file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip().splitlines()[-1] == "none", out.stderr


def test_explain_lists_flagged_sentences_with_reasons():
    r = _run(["score", SEED, "--explain"])
    assert r.exit_code == 0
    doc = json.loads(_run(["score", SEED, "--format", "json"]).stdout)[0]
    flagged = [s for s in doc["sentences"] if s["score"] >= 0.5 or s["reasons"]]
    assert flagged
    for s in flagged:
        assert f"[{s['index']}]" in r.stdout
    codes = {reason["code"] for s in flagged for reason in s["reasons"]}
    assert codes and all(c in r.stdout for c in codes)
