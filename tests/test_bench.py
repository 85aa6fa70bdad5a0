"""Labeled-set readers, sampling, sentence alignment and `spindetect bench` end to end.

Every text here was written for these tests. The CLI tests score with a real
model directory: a tiny logistic model fitted in a fixture on the texts below
with the real packaged embedder (the scoring path is not mocked), and, when it
exists, the shipped spindetect-base.
"""

import csv
import gzip
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from spindetect import bench as core
from spindetect.labeled import LabeledError, group_fields, read_labeled, read_labeled_file

# (original, spun) pairs: the spun side swaps words the way article spinners do
# and copies one sentence unchanged, so sentence labels have both classes.
PAIRS = [
    (
        "The county fair opened on Friday with a record crowd. Organisers counted more than 12,000 visitors by noon. "
        "A new petting zoo drew long lines of families.",
        "The region carnival commenced on Friday with a documented horde. Organisers counted more than 12,000 visitors by noon. "
        "A novel stroking menagerie attracted lengthy queues of households.",
    ),
    (
        "The school board voted to extend the bus routes into the northern suburbs. Parents had asked for the change for two years. "
        "The new routes will start in September.",
        "The academy panel elected to prolong the coach pathways into the boreal outskirts. Parents had asked for the change for two years. "
        "The fresh pathways shall commence in September.",
    ),
    (
        "Heavy rain flooded several streets near the river on Monday night. Firefighters rescued two drivers from stalled cars. "
        "No injuries were reported.",
        "Weighty precipitation inundated numerous avenues close to the stream on Monday evening. Firefighters rescued two drivers from stalled cars. "
        "No wounds were documented.",
    ),
    (
        "The local library will stay open until nine on weekdays. The longer hours are funded by a private donation. "
        "Staff said evening visits have doubled since spring.",
        "The regional athenaeum shall remain accessible till nine on workdays. The longer hours are funded by a private donation. "
        "Personnel stated twilight calls have multiplied since springtime.",
    ),
]
EXTRA_ORIGINAL = "A bakery on Elm Street won a regional award for its rye bread. The owner thanked her staff."
EXTRA_SPUN = "A patisserie on Elm Avenue earned a provincial accolade for its rye loaf. The proprietor appreciated her workforce."


# --------------------------------------------------------------------------- fixtures: labeled files


def _pair_rows():
    rewriters = ["spinbot", "spinbot", "thesaurus-x", "thesaurus-x"]
    return [
        {"id": f"p{k}", "dataset": "handmade", "rewriter": r, "method": "spin", "domain": "news", "original": o, "rewritten": s, "meta": {"k": k}}
        for k, ((o, s), r) in enumerate(zip(PAIRS, rewriters))
    ]


def _doc_rows():
    rows = []
    for k, (o, s) in enumerate(PAIRS):
        rows.append({"id": f"o{k}", "text": o, "label": 0, "group": "a" if k % 2 else "b"})
        rows.append({"id": f"s{k}", "text": s, "label": 1, "group": "a" if k % 2 else "b"})
    return rows


def _write_jsonl(path: Path, rows, gz=False):
    data = "".join(json.dumps(r) + "\n" for r in rows).encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def _write_csv(path: Path, rows, fields, gz=False):
    import io

    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    data = buf.getvalue().encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def _write_dir(root: Path):
    for k, (o, s) in enumerate(PAIRS):
        (root / "original").mkdir(parents=True, exist_ok=True)
        (root / "spun").mkdir(parents=True, exist_ok=True)
        (root / "original" / f"story{k}.txt").write_text(o, encoding="utf-8")
        (root / "spun" / f"story{k}.txt").write_text(s, encoding="utf-8")
    (root / "spun" / "extra.txt").write_text(EXTRA_SPUN, encoding="utf-8")
    (root / "original" / "empty.txt").write_text("  \n", encoding="utf-8")
    return root


# --------------------------------------------------------------------------- readers


@pytest.mark.parametrize("gz", [False, True])
def test_read_jsonl_pairs(tmp_path, gz):
    path = _write_jsonl(tmp_path / ("pairs.jsonl.gz" if gz else "pairs.jsonl"), _pair_rows(), gz=gz)
    docs = read_labeled(path)
    assert len(docs) == 8
    assert [d.label for d in docs] == [0, 1] * 4
    orig, rew = docs[0], docs[1]
    assert orig.id == "p0/original" and rew.id == "p0/rewritten"
    assert orig.pair_id == rew.pair_id == "p0"
    assert rew.original_text == orig.text == PAIRS[0][0] and orig.original_text is None
    assert rew.groups["rewriter"] == "spinbot" and orig.groups["rewriter"] == "spinbot"
    assert {"dataset", "rewriter", "method", "domain", "file"} <= set(group_fields(docs))
    assert "meta" not in rew.groups


def test_human_paraphrase_pairs_are_two_originals(tmp_path):
    rows = _pair_rows()[:1] + [{"id": "h1", "rewriter": "human", "original": PAIRS[1][0], "rewritten": "Parents had asked for longer bus routes for two years."}]
    lf = read_labeled_file(_write_jsonl(tmp_path / "human.jsonl", rows))
    assert [(d.id, d.label) for d in lf.docs] == [("p0/original", 0), ("p0/rewritten", 1), ("h1/original", 0), ("h1/rewritten", 0)]
    assert lf.docs[3].pair_id is None and lf.docs[3].original_text is None
    assert "1 pair(s) with rewriter 'human'" in lf.warnings[0]


@pytest.mark.parametrize("gz", [False, True])
def test_read_jsonl_documents(tmp_path, gz):
    path = _write_jsonl(tmp_path / ("docs.jsonl.gz" if gz else "docs.jsonl"), _doc_rows(), gz=gz)
    docs = read_labeled(path)
    assert [d.id for d in docs][:2] == ["o0", "s0"]
    assert sum(d.label for d in docs) == 4
    assert all(d.pair_id is None and d.original_text is None for d in docs)
    assert docs[1].groups["group"] == "b"


@pytest.mark.parametrize("gz", [False, True])
def test_read_csv(tmp_path, gz):
    path = _write_csv(tmp_path / ("docs.csv.gz" if gz else "docs.csv"), _doc_rows(), ["id", "text", "label", "group"], gz=gz)
    docs = read_labeled(path)
    assert len(docs) == 8 and [d.label for d in docs[:2]] == [0, 1]
    assert docs[0].text == PAIRS[0][0] and docs[0].groups["group"] == "b"


def test_read_csv_pairs_and_tsv(tmp_path):
    path = _write_csv(tmp_path / "pairs.csv", _pair_rows(), ["id", "rewriter", "original", "rewritten"])
    docs = read_labeled(path)
    assert len(docs) == 8 and docs[1].original_text == PAIRS[0][0]
    tsv = tmp_path / "docs.tsv"
    tsv.write_text("text\tlabel\n" + "\n".join(f"{o}\t0\n{s}\t1" for o, s in PAIRS) + "\n", encoding="utf-8")
    assert [d.label for d in read_labeled(tsv)] == [0, 1] * 4


def test_read_directory(tmp_path):
    lf = read_labeled_file(_write_dir(tmp_path / "set"))
    docs = lf.docs
    assert len(docs) == 9 and lf.skipped_empty == 1
    assert any("skipped 1 empty" in w for w in lf.warnings)
    paired = [d for d in docs if d.pair_id]
    assert len(paired) == 8
    spun0 = next(d for d in docs if d.id == "spun/story0")
    assert spun0.label == 1 and spun0.original_text == PAIRS[0][0] and spun0.pair_id == "story0"
    extra = next(d for d in docs if d.id == "spun/extra")
    assert extra.pair_id is None and extra.original_text is None


def test_json_array_and_sniffed_extension(tmp_path):
    arr = tmp_path / "docs.json"
    arr.write_text(json.dumps(_doc_rows()), encoding="utf-8")
    assert len(read_labeled(arr)) == 8
    odd = _write_jsonl(tmp_path / "docs.data", _doc_rows())
    assert len(read_labeled(odd)) == 8


def test_label_spellings_and_empty_rows_are_counted(tmp_path):
    rows = [
        {"text": "One human sentence here.", "label": "original"},
        {"text": "One spun sentence here.", "label": "spun"},
        {"text": "   ", "label": 1},
        {"text": "Another human line.", "label": "0"},
        {"original": "", "rewritten": "A rewrite whose original is empty."},
    ]
    lf = read_labeled_file(_write_jsonl(tmp_path / "mixed.jsonl", rows))
    assert [d.label for d in lf.docs] == [0, 1, 0, 1]
    assert lf.skipped_empty == 2 and "skipped 2" in lf.warnings[0]
    # A pair with an empty side is no pair.
    assert lf.docs[-1].pair_id is None and lf.docs[-1].original_text is None


def test_duplicate_ids_are_kept_and_renamed(tmp_path):
    rows = [{"id": "x", "text": "First text.", "label": 0}, {"id": "x", "text": "Second text.", "label": 1}]
    lf = read_labeled_file(_write_jsonl(tmp_path / "dup.jsonl", rows))
    assert [d.id for d in lf.docs] == ["x", "x#2"] and "duplicate" in lf.warnings[0]


@pytest.mark.parametrize(
    "name,content,match",
    [
        ("nolabel.jsonl", '{"text": "Some text."}\n', "no label; every document needs 'label'"),
        ("badlabel.jsonl", '{"text": "Some text.", "label": 2}\n', "unknown label 2; expected one of: 0, 1"),
        ("badlabel.csv", "text,label\nSome text.,maybe\n", "unknown label 'maybe'"),
        ("nolabel.csv", "text,group\nSome text.,a\n", "no 'label' column"),
        ("notext.jsonl", '{"body": "x", "label": 1}\n', "no 'text' field"),
        ("broken.jsonl", '{"text": "a", "label": 1\n', ":1: not valid JSON"),
        ("empty.jsonl", "", "no labeled documents"),
        ("allempty.jsonl", '{"text": "", "label": 1}\n', "every row was empty"),
        ("weird.xml", "<doc>text</doc>", "unknown labeled-set format; expected one of: .jsonl"),
        ("bad.jsonl.gz", "this is not gzip", "cannot read \\(not a complete gzip file\\)"),
        ("latin1.csv", None, "not UTF-8"),
    ],
)
def test_bad_files_raise_one_line_errors(tmp_path, name, content, match):
    p = tmp_path / name
    if content is None:
        p.write_bytes("text,label\ncaf\xe9 opens,0\n".encode("latin-1"))
    else:
        p.write_text(content, encoding="utf-8")
    with pytest.raises(LabeledError, match=match) as e:
        read_labeled(p)
    assert "\n" not in str(e.value) and str(p) in str(e.value)


def test_missing_path_and_incomplete_directory(tmp_path):
    with pytest.raises(LabeledError, match="no such file"):
        read_labeled(tmp_path / "nope.jsonl")
    (tmp_path / "d" / "spun").mkdir(parents=True)
    with pytest.raises(LabeledError, match="lacks original/"):
        read_labeled(tmp_path / "d")


# --------------------------------------------------------------------------- sampling and alignment


def test_limit_keeps_pairs_together_and_is_deterministic(tmp_path):
    docs = read_labeled(_write_jsonl(tmp_path / "p.jsonl", _pair_rows())) + read_labeled(
        _write_jsonl(tmp_path / "d.jsonl", [{"text": EXTRA_SPUN, "label": 1}])
    )
    for limit in (1, 2, 3, 5, 9):
        a = core.limit_docs(docs, limit, seed=7)
        # Units hold at most two documents, so the greedy fill ends within one of the limit.
        assert limit - 1 <= len(a) <= limit and a == core.limit_docs(docs, limit, seed=7)
        pairs = [d.pair_id for d in a if d.pair_id]
        assert all(pairs.count(p) == 2 for p in pairs)
        # Input order is kept.
        assert [docs.index(d) for d in a] == sorted(docs.index(d) for d in a)
    assert core.limit_docs(docs, None) == docs


def test_limit_differs_across_seeds(tmp_path):
    rows = [{"id": f"d{k}", "text": f"Text number {k}.", "label": k % 2} for k in range(40)]
    docs = read_labeled(_write_jsonl(tmp_path / "many.jsonl", rows))
    picks = {tuple(d.id for d in core.limit_docs(docs, 10, seed=s)) for s in range(5)}
    assert len(picks) > 1


def test_align_sentences_labels_copied_and_changed():
    orig = ["The fair opened on Friday.", "Organisers counted 12,000 visitors.", "A petting zoo drew lines."]
    rew = ["A stroking menagerie attracted queues.", "organisers counted 12,000 visitors.", "The carnival commenced on Friday."]
    e_o = np.eye(3, dtype=np.float32)
    # Rewritten sentence i is closest to original sentence (2, 1, 0)[i].
    e_r = np.array([[0.1, 0.2, 0.97], [0.0, 1.0, 0.0], [0.9, 0.1, 0.1]], dtype=np.float32)
    out = core.align_sentences(rew, orig, e_r, e_o)
    assert [a["match"] for a in out] == [2, 1, 0]
    assert [a["label"] for a in out] == [1, 0, 1]
    assert out[1]["ratio"] == 1.0
    assert core.align_sentences([], orig, np.zeros((0, 3)), e_o) == []
    assert [a["label"] for a in core.align_sentences(rew, [], e_r, np.zeros((0, 3)))] == [1, 1, 1]


def test_copy_rule_threshold():
    from spindetect import copies

    a = "The new routes will start in September after a long public consultation with parents and teachers."
    one_word = a.replace("long", "lengthy")
    assert copies.copy_ratio(a, one_word) >= copies.COPY_RATIO and copies.label(copies.copy_ratio(a, one_word)) == 0
    assert copies.label(copies.copy_ratio(a, "The fresh pathways shall commence in September.")) == 1
    # punctuation and case are not words: restyling them keeps a copy; no words, no copy
    assert copies.copy_ratio(a, a.upper().replace(".", "!")) == 1.0
    assert copies.copy_ratio("--", "--") == 0.0 and copies.label(0.0) == 1


def test_training_benchmark_and_alignment_labels_share_the_copy_rule():
    # issue 15: examples.copy_labels (was train.copy_labels), bench.align_sentences and benchmarks/alignment_labels.py had three rules
    import ast
    from pathlib import Path

    from spindetect import copies, examples

    orig = ["The fair opened on Friday after weeks of delay.", "Organisers counted 12,000 visitors on the first day."]
    rew = ["the fair opened on Friday, after weeks of delay!", "Organisers counted 12,000 guests on day one."]
    emb = np.eye(2, dtype=np.float32)
    expected = [copies.label(copies.copy_ratio(r, o)) for r, o in zip(rew, orig)]
    assert expected == [0, 1]
    assert examples.copy_labels(orig, rew) == expected
    assert [a["label"] for a in core.align_sentences(rew, orig, emb, emb)] == expected
    root = Path(__file__).resolve().parents[1]
    for path in ["spindetect/train.py", "spindetect/examples.py", "spindetect/bench.py", "spindetect/align.py", "benchmarks/alignment_labels.py"]:
        tree = ast.parse((root / path).read_text())
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        imported = {a.name for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
        assert "COPY_RATIO" not in names | imported and "difflib" not in imported, path


# --------------------------------------------------------------------------- end to end with a real (tiny) model


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    """A nearest-centroid linear model on real embeddings of the texts above, saved as a model directory.

    Only the embedding columns get weights (spun centroid minus original
    centroid), so the fixture depends on nothing but the feature names and the
    real packaged embedder; scoring then runs the full detector path.
    """
    from spindetect import features, modeldir
    from spindetect.aggregate import Aggregator
    from spindetect.classifier import SentenceClassifier
    from spindetect.embed import Embedder
    from spindetect.segment import segment

    emb = Embedder()
    sides = {0: [], 1: []}
    for o, s in PAIRS + [(EXTRA_ORIGINAL, EXTRA_SPUN)]:
        sides[0] += [x.norm for x in segment(o)]
        sides[1] += [x.norm for x in segment(s)]
    mu0, mu1 = (emb.encode(sides[k]).mean(axis=0).astype(np.float64) for k in (0, 1))
    names = features.feature_names(emb.dim)
    w = np.zeros((len(names), 1))
    # Scale so that the centroids sit a few log-odds apart.
    w[: emb.dim, 0] = 20.0 * (mu1 - mu0)
    b = np.array([-20.0 * float((mu1 - mu0) @ (mu1 + mu0)) / 2])
    clf = SentenceClassifier(np.zeros(len(names)), np.ones(len(names)), (w,), (b,))
    path = tmp_path_factory.mktemp("models") / "tiny"
    manifest = {
        "name": "tiny-test", "version": "0", "features": names,
        "threshold": {"value": 0.5, "how": "fixed for tests"}, "embedder": {"name": emb.name, "dim": emb.dim},
    }
    modeldir.save(path, clf, Aggregator(a=1.0, b=0.0), manifest)
    return path


@pytest.fixture(scope="module")
def app():
    from spindetect import cli

    assert "bench" in {c.name for c in cli.app.registered_commands}
    return cli.app


def _run(app, args):
    runner = CliRunner()
    return runner.invoke(app, ["bench", *map(str, args)])


JSON_KEYS = {
    "n", "roc_auc", "pr_auc", "f1", "precision", "recall", "accuracy", "tpr_at_fpr_1pct", "tpr_at_fpr_5pct",
    "brier", "ece", "threshold", "sentence_roc_auc", "groups", "throughput",
}


def test_cli_json_pairs_grouped(app, tiny_model, tmp_path):
    data = _write_jsonl(tmp_path / "pairs.jsonl.gz", _pair_rows(), gz=True)
    r = _run(app, [data, "--model", tiny_model, "--format", "json", "--group-by", "rewriter"])
    assert r.exit_code == 0, r.output
    m = json.loads(r.stdout)
    assert JSON_KEYS <= set(m)
    assert m["n"] == 8 and m["n_pos"] == 4 and m["threshold"] == 0.5
    # The centroid model separates the texts it was built from: the scoring path is real.
    assert m["roc_auc"] >= 0.9 and 0.0 <= m["ece"] <= 1.0
    # One copied sentence per pair, two changed: both sentence classes exist.
    sl = m["sentence_level"]
    assert sl["n_neg"] == 4 and sl["n_pos"] == 8 and m["sentence_roc_auc"] is not None
    assert "difflib" in sl["alignment_rule"]
    assert [g["group"] for g in m["groups"]] and {g["group"] for g in m["groups"]} == {"spinbot", "thesaurus-x"}
    for g in m["groups"]:
        assert JSON_KEYS - {"groups", "throughput"} <= set(g)
    aucs = [g["roc_auc"] for g in m["groups"]]
    assert aucs == sorted(aucs)
    assert m["n_pairs"] == 4 and 0.0 <= m["pair_win_rate"] <= 1.0
    assert sum(g["n_pairs"] for g in m["groups"]) == 4
    tp = m["throughput"]
    assert tp["documents"] == 8 and tp["sentences_scored"] == 24 and tp["documents_per_s"] > 0 and tp["wall_s"] > 0


def test_cli_scores_match_the_detector(app, tiny_model, tmp_path):
    from spindetect import Detector
    from spindetect.types import Article

    data = _write_jsonl(tmp_path / "docs.jsonl", _doc_rows())
    out = tmp_path / "run"
    r = _run(app, [data, "--model", tiny_model, "--format", "json", "--out", out])
    assert r.exit_code == 0, r.output
    det = Detector.load(tiny_model)
    expected = {d["id"]: s.score for d, s in zip(_doc_rows(), det.score_articles([Article("-", d["text"]) for d in _doc_rows()]))}
    with open(out / "scores.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["id"] for r in rows] == [d["id"] for d in _doc_rows()]
    for row, doc in zip(rows, _doc_rows()):
        assert float(row["score"]) == pytest.approx(expected[doc["id"]], abs=1e-6)
        assert int(row["label"]) == doc["label"]
    m = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert m == json.loads(r.stdout)
    # No pairs: the sentence metric is undefined and says why.
    assert m["sentence_roc_auc"] is None and "no pairs" in m["undefined"]["sentence_roc_auc"]


def test_cli_out_dir_files_and_no_overwrite(app, tiny_model, tmp_path):
    data = _write_dir(tmp_path / "set")
    out = tmp_path / "out"
    r = _run(app, [data, "--model", tiny_model, "--out", out, "--group-by", "file"])
    assert r.exit_code == 0, r.output
    assert {p.name for p in out.iterdir()} == set(core.OUT_FILES)
    args = json.loads((out / "args.json").read_text(encoding="utf-8"))
    assert len(args["model"]["manifest_sha256"]) == 64
    assert args["versions"]["scikit-learn"] and args["date"].endswith("+00:00")
    assert args["args"]["group_by"] == "file" and args["data_files"][0]["skipped_empty"] == 1
    assert (out / "roc.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    header = (out / "scores.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "id,group,label,score"
    # Metrics are recomputable from scores.csv: ROC AUC, and the pairs' win rate.
    from sklearn.metrics import roc_auc_score

    with open(out / "scores.csv", encoding="utf-8") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    m = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    y = [int(r["label"]) for r in rows.values()]
    s = [float(r["score"]) for r in rows.values()]
    assert m["roc_auc"] == pytest.approx(roc_auc_score(y, s), abs=1e-6)
    pair_scores = [(float(rows[f"original/story{k}"]["score"]), float(rows[f"spun/story{k}"]["score"])) for k in range(len(PAIRS))]
    wins = [(r > o) + 0.5 * (r == o) for o, r in pair_scores]
    assert m["n_pairs"] == 4 and m["pair_win_rate"] == pytest.approx(sum(wins) / 4, abs=1e-6)
    # The table goes to stdout, the skipped-file warning to stderr.
    assert "ROC AUC" in r.stdout and "skipped 1 empty" in r.stderr
    again = _run(app, [data, "--model", tiny_model, "--out", out])
    assert again.exit_code == 2 and "not empty" in again.stderr and "--force" in again.stderr
    forced = _run(app, [data, "--model", tiny_model, "--out", out, "--force", "--format", "json"])
    assert forced.exit_code == 0, forced.output


def test_cli_single_class_still_reports(app, tiny_model, tmp_path):
    data = _write_jsonl(tmp_path / "spun.jsonl", [{"text": s, "label": 1} for _, s in PAIRS])
    r = _run(app, [data, "--model", tiny_model, "--format", "json"])
    assert r.exit_code == 0, r.output
    m = json.loads(r.stdout)
    assert m["roc_auc"] is None and m["recall"] is not None
    assert "ROC AUC is undefined: only one class" in r.stderr and "Traceback" not in r.output


def test_cli_limit_and_seed(app, tiny_model, tmp_path):
    data = _write_jsonl(tmp_path / "pairs.jsonl", _pair_rows())
    r1 = _run(app, [data, "--model", tiny_model, "--format", "json", "--limit", "5", "--seed", "3", "--out", tmp_path / "a"])
    r2 = _run(app, [data, "--model", tiny_model, "--format", "json", "--limit", "5", "--seed", "3", "--out", tmp_path / "b"])
    assert r1.exit_code == 0 and r2.exit_code == 0
    assert json.loads(r1.stdout)["n"] == 4
    assert (tmp_path / "a" / "scores.csv").read_bytes() == (tmp_path / "b" / "scores.csv").read_bytes()


def test_cli_threshold_override(app, tiny_model, tmp_path):
    data = _write_jsonl(tmp_path / "docs.jsonl", _doc_rows())
    r = _run(app, [data, "--model", tiny_model, "--format", "json", "--threshold", "1.0"])
    m = json.loads(r.stdout)
    assert m["threshold"] == 1.0 and m["confusion_matrix"]["tp"] + m["confusion_matrix"]["fp"] == 0


@pytest.mark.parametrize(
    "args,code,message",
    [
        (["--format", "xml"], 2, "unknown format 'xml'; expected one of: table, json"),
        (["--group-by", "colour"], 2, "unknown --group-by field 'colour'; expected one of: file, group"),
        (["--limit", "0"], 2, "--limit must be 1 or more"),
        (["--threshold", "1.5"], 2, "--threshold must be between 0 and 1"),
        (["--model", "/nonexistent/model"], 2, "not a spindetect model directory"),
    ],
)
def test_cli_usage_errors(app, tiny_model, tmp_path, args, code, message):
    data = _write_jsonl(tmp_path / "docs.jsonl", _doc_rows())
    full = [data, *args] if "--model" in args else [data, "--model", tiny_model, *args]
    r = _run(app, full)
    assert r.exit_code == code, r.output
    assert message in r.stderr and "Traceback" not in r.output
    assert r.stdout == ""


def test_cli_unreadable_input_among_good_ones(app, tiny_model, tmp_path):
    good = _write_jsonl(tmp_path / "docs.jsonl", _doc_rows())
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "label": "perhaps"}\n', encoding="utf-8")
    r = _run(app, [good, bad, tmp_path / "missing.csv", "--model", tiny_model, "--format", "json"])
    assert r.exit_code == 1
    assert json.loads(r.stdout)["n"] == 8
    lines = [l for l in r.stderr.splitlines() if l.startswith("spindetect: error:")]
    assert len(lines) == 3 and "unknown label 'perhaps'" in lines[0] and "no such file" in lines[1]
    only_bad = _run(app, [bad, "--model", tiny_model])
    assert only_bad.exit_code == 1 and "no labeled documents to benchmark" in only_bad.stderr


SHIPPED = Path(__file__).resolve().parents[1] / "models" / "spindetect-base" / "manifest.json"


@pytest.mark.skipif(not SHIPPED.is_file(), reason="shipped model missing")
def test_cli_shipped_model_end_to_end(app, tmp_path):
    data = _write_jsonl(tmp_path / "pairs.jsonl", _pair_rows())
    r = _run(app, [data, "--format", "json", "--group-by", "rewriter", "--out", tmp_path / "out"])
    assert r.exit_code == 0, r.output
    m = json.loads(r.stdout)
    assert JSON_KEYS <= set(m) and m["n"] == 8 and m["model"]["name"] == "spindetect-base"
    assert 0.0 <= m["roc_auc"] <= 1.0 and len(m["groups"]) == 2
