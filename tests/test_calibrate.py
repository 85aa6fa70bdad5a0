"""`spindetect calibrate`: the threshold at a false-positive rate on a user's human texts, and its provenance.

The threshold rule is checked on arrays; the command runs in-process with the
shipped model and the real scorer, and `score --model` is run on the
calibrated directory to check that the FPR it promises is the one it gives.
"""

import json
import random
import shutil

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from spindetect import calibration, modeldir
from spindetect.calibration import CalibrationError
from spindetect.cli import app

runner = CliRunner()


def _human_articles(n: int, seed: int = 0) -> list[str]:
    """``n`` distinct short local-news articles written from templates (no third-party text)."""
    rng = random.Random(seed)
    towns = ["Ashford", "Bexley", "Carrow", "Dunmore", "Elston", "Fairley", "Glenrock", "Hollis"]
    things = ["road repairs", "a new library", "school buses", "flood defences", "park lighting", "a fire station"]
    names = ["Ana Ruiz", "Tom Becker", "Priya Shah", "Lena Ortiz", "Sam Okafor", "Mei Chen"]
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    out = []
    for k in range(n):
        town, thing, name = rng.choice(towns), rng.choice(things), rng.choice(names)
        parts = [
            f"The {town} council approved ${rng.randint(1, 9)}.{rng.randint(0, 9)} million for {thing} on "
            f"{rng.choice(days)}, after {rng.randint(2, 9)} weeks of debate.",
            f"\"We have waited long enough,\" said council member {name}, who chaired the committee.",
            f"The money comes from a state grant and a {rng.randint(1, 5)} percent rise in parking fees.",
            f"Shop owners on {rng.choice(['Main', 'High', 'Mill', 'Church'])} Street said the fees would keep customers away.",
            f"Work is expected to begin in {rng.choice(['March', 'April', 'May', 'June'])} and to take "
            f"{rng.randint(3, 14)} months, according to the public works department.",
            f"A public meeting on the plan is set for {rng.choice(days)} at {rng.randint(5, 8)} p.m. at the town hall.",
        ]
        rng.shuffle(parts[1:])
        out.append(f"Item {k}. " + " ".join(parts[: rng.randint(4, 6)]))
    return out


@pytest.fixture(scope="module")
def human_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("human")
    for k, text in enumerate(_human_articles(64)):
        (d / f"{k:03d}.txt").write_text(text, encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def calibrated(human_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("cal") / "model"
    r = runner.invoke(app, ["calibrate", str(human_dir), "--fpr", "0.05", "--out", str(out)])
    return r, out


# ---------------------------------------------------------------- the rule, on arrays


def test_threshold_is_the_conformal_rank():
    s = np.arange(99) / 100  # 0.00 .. 0.98: n + 1 = 100
    assert calibration.rank(99, 0.01) == 1 and calibration.threshold_at_fpr(s, 0.01) == 0.980001  # flags none
    assert calibration.rank(99, 0.05) == 5 and calibration.threshold_at_fpr(s, 0.05) == 0.940001  # flags 4
    assert calibration.expected_fpr(99, 0.05) == 0.05
    assert calibration.rank(50, 0.01) == 1 and calibration.expected_fpr(50, 0.01) == 1 / 51  # cannot reach 1 %
    assert calibration.needed(0.01) == 99 and calibration.needed(0.05) == 50


def test_ties_at_the_cut_are_all_left_unflagged():
    s = np.array([0.9] * 5 + [0.1] * 95)
    t = calibration.threshold_at_fpr(s, 0.03)  # rank 3 (2 flagged), but 5 tie at 0.9: flagging any flags all
    assert t == 0.900001 and (s >= t).sum() == 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 1_000_000), min_size=50, max_size=400), st.floats(0.001, 0.5))
def test_fit_never_exceeds_the_rate_and_one_step_lower_would(raw, fpr):
    s = np.array(raw) / 1e6
    j = calibration.rank(s.size, fpr)
    allowed = j - 1
    if (s == 1.0).sum() > allowed:  # no threshold in [0, 1] leaves them unflagged
        with pytest.raises(CalibrationError, match=r"human documents score 1\.0, more than --fpr"):
            calibration.fit(s, fpr, resamples=20)
        return
    cal = calibration.fit(s, fpr, resamples=20)
    assert cal.n_flagged == (s >= cal.threshold).sum() <= allowed
    assert cal.fpr_achieved == cal.n_flagged / s.size < fpr
    assert cal.fpr_expected == round(j / (s.size + 1), 6) and (cal.fpr_expected <= fpr + 1e-6 or j == 1)
    if cal.threshold < 1.0:
        assert (s >= round(cal.threshold - calibration.SCORE_STEP, 6)).sum() > allowed
    lo, hi = cal.threshold_interval
    assert 0.0 <= lo <= hi <= 1.0
    assert 0.0 <= cal.fpr_interval[0] <= cal.fpr_achieved <= cal.fpr_interval[1] <= 1.0


def test_fit_is_reproducible_with_its_seed_and_changes_with_another():
    s = np.random.default_rng(3).beta(2, 5, size=300)
    a, b = calibration.fit(s, 0.01), calibration.fit(s, 0.01)
    assert a == b and a.resamples == 1000 and a.seed == 0
    # with few resamples the interval's ends show the seed (with 1000 they sit on the same order statistics)
    assert calibration.fit(s, 0.01, resamples=40, seed=1).threshold_interval != calibration.fit(s, 0.01, resamples=40).threshold_interval


def test_clopper_pearson_known_values():
    assert calibration.clopper_pearson(0, 50) == (0.0, round(1 - 0.025 ** (1 / 50), 6))  # 0.071
    lo, hi = calibration.clopper_pearson(5, 500)
    assert lo < 0.01 < hi and round(hi, 3) == 0.023


@pytest.mark.parametrize("fpr", [0.0, -0.1, 0.51, 1.0, float("nan")])
def test_rate_outside_zero_to_a_half_is_refused(fpr):
    with pytest.raises(CalibrationError, match=r"--fpr must be above 0 and at most 0.5"):
        calibration.fit(np.linspace(0, 1, 100), fpr)


def test_fewer_than_fifty_documents_are_refused_naming_the_count():
    with pytest.raises(CalibrationError, match=r"^got 49 scorable human document\(s\); calibration needs at least 50"):
        calibration.fit(np.linspace(0, 1, 49), 0.01)


def test_data_hash_ignores_order_and_keeps_boundaries():
    h = calibration.data_sha256
    assert h(["b", "a"]) == h(["a", "b"]) != h(["a", "b", "b"])
    assert h(["ab", "c"]) != h(["a", "bc"])
    assert len(h([])) == 64


# ---------------------------------------------------------------- the command


def test_calibrate_writes_a_hashed_model_with_provenance(calibrated, human_dir):
    r, out = calibrated
    assert r.exit_code == 0, r.output
    assert f"wrote {out}" in r.stdout and "calibrated on 64 human documents" in r.stdout
    model = modeldir.load(out)  # every array verified against the manifest
    base = modeldir.load_manifest(modeldir.default_model_dir())
    m = model.manifest
    c = m["calibration"]
    assert m["files"] == base["files"] and m["features"] == base["features"]  # the same model...
    assert model.threshold == c["threshold"] == m["threshold"]["value"] != base["threshold"]["value"]  # ...a new threshold
    assert m["threshold"]["target_fpr"] == c["fpr_requested"] == 0.05
    assert c["base_model"]["manifest_sha256"] == modeldir.manifest_sha256(modeldir.default_model_dir())
    assert c["base_model"]["threshold"] == base["threshold"]["value"]
    from spindetect.io.files import read_path

    texts = [read_path(str(p), check_language=False).text for p in sorted(human_dir.iterdir())]
    assert c["data"]["sha256"] == calibration.data_sha256(texts) and c["data"]["n_documents"] == 64
    assert c["n_flagged"] <= 2 and c["fpr_achieved"] == c["n_flagged"] / 64  # rank floor(0.05 * 65) = 3
    assert c["fpr_expected_new"] == round(3 / 65, 6)
    assert c["threshold_interval"]["low"] <= c["threshold_interval"]["high"]
    assert "1000 resamples" in c["threshold_interval"]["method"] and c["date"].endswith("+00:00")
    assert m["version"] == f"{base['version']}+cal.{c['data']['sha256'][:8]}"
    assert not list(out.parent.glob(".model.*"))  # no temporary folder left behind


def test_score_with_the_calibrated_model_gives_the_promised_rate(calibrated, human_dir):
    _, out = calibrated
    c = modeldir.load_manifest(out)["calibration"]
    r = runner.invoke(app, ["score", str(human_dir), "--model", str(out), "--format", "jsonl"])
    assert r.exit_code == 0, r.output
    docs = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(docs) == 64 and {d["threshold"] for d in docs} == {c["threshold"]}
    assert sum(d["label"] == "spun" for d in docs) == c["n_flagged"]
    # the shipped threshold's rate on the same texts is what the manifest says it is
    base = runner.invoke(app, ["score", str(human_dir), "--format", "jsonl"])
    assert sum(json.loads(line)["label"] == "spun" for line in base.stdout.splitlines()) / 64 == c["base_model"]["fpr_on_data"]


def test_info_shows_the_calibration(calibrated, monkeypatch):
    _, out = calibrated
    monkeypatch.setenv("SPINDETECT_MODEL", str(modeldir.default_model_dir()))  # DIR wins over the environment
    r = runner.invoke(app, ["info", str(out)])
    assert r.exit_code == 0, r.output
    c = modeldir.load_manifest(out)["calibration"]
    assert "calibrated: " in r.stdout and c["data"]["sha256"] in r.stdout and c["base_model"]["manifest_sha256"] in r.stdout
    assert json.loads(runner.invoke(app, ["info", str(out), "--json"]).stdout)["calibration"] == c


def test_the_same_texts_as_jsonl_give_the_same_data_hash_and_threshold(calibrated, human_dir, tmp_path):
    _, out = calibrated
    rows = [{"id": p.name, "text": p.read_text(encoding="utf-8")} for p in sorted(human_dir.iterdir())][::-1]
    (tmp_path / "h.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    r = runner.invoke(app, ["calibrate", str(tmp_path / "h.jsonl"), "--fpr", "0.05", "--out", str(tmp_path / "m")])
    assert r.exit_code == 0, r.output
    a, b = modeldir.load_manifest(out)["calibration"], modeldir.load_manifest(tmp_path / "m")["calibration"]
    assert a["data"]["sha256"] == b["data"]["sha256"] and a["threshold"] == b["threshold"]


def test_existing_out_is_never_overwritten_without_force(calibrated, human_dir, tmp_path):
    _, out = calibrated
    before = (out / "manifest.json").read_bytes()
    r = runner.invoke(app, ["calibrate", str(human_dir), "--fpr", "0.01", "--out", str(out)])
    assert r.exit_code == 2 and "exists (a model directory); use --force" in r.stderr
    assert (out / "manifest.json").read_bytes() == before
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    for args in ([], ["--force"]):  # a folder that is not a model directory: not even with --force
        r = runner.invoke(app, ["calibrate", str(human_dir), "--out", str(mine), *args])
        assert r.exit_code == 2 and "is not a spindetect model directory" in r.stderr
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    r = runner.invoke(app, ["calibrate", str(human_dir), "--out", str(mine / "notes.txt")])
    assert r.exit_code == 2 and "is a file" in r.stderr and (mine / "notes.txt").read_text() == "keep me"
    r = runner.invoke(app, ["calibrate", str(human_dir), "--out", str(modeldir.default_model_dir()), "--force"])
    assert r.exit_code == 2 and "is the model being calibrated" in r.stderr


def test_force_replaces_a_model_directory(calibrated, human_dir, tmp_path):
    _, out = calibrated
    target = tmp_path / "m"
    shutil.copytree(out, target)
    r = runner.invoke(app, ["calibrate", str(human_dir), "--fpr", "0.5", "--out", str(target), "--force"])
    assert r.exit_code == 0, r.output
    c = modeldir.load_manifest(target)["calibration"]
    assert c["fpr_requested"] == 0.5 and c["n_flagged"] < 32
    assert modeldir.load(target).threshold < modeldir.load(out).threshold


@pytest.mark.parametrize("fpr", ["0", "-0.01", "0.6", "1"])
def test_cli_refuses_a_rate_outside_zero_to_a_half(human_dir, tmp_path, fpr):
    r = runner.invoke(app, ["calibrate", str(human_dir), "--fpr", fpr, "--out", str(tmp_path / "m")])
    assert r.exit_code == 2
    assert r.stderr.strip() == f"spindetect: error: --fpr must be above 0 and at most 0.5 (e.g. 0.01 for 1 %), got {float(fpr)}"
    assert not (tmp_path / "m").exists()


def test_too_few_documents_are_refused_with_the_count(human_dir, tmp_path):
    few = tmp_path / "few"
    few.mkdir()
    for p in sorted(human_dir.iterdir())[:12]:
        shutil.copy(p, few / p.name)
    (few / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj")
    r = runner.invoke(app, ["calibrate", str(few), "--out", str(tmp_path / "m")])
    assert r.exit_code == 2, r.output
    last = r.stderr.strip().splitlines()[-1]
    assert last == ("spindetect: error: got 12 scorable human document(s); calibration needs at least 50, "
                    "and 99 for --fpr 0.01 to hold on new text; 1 input(s) unreadable, 0 unscorable")
    assert "broken.pdf: damaged or truncated PDF" in r.stderr and "Traceback" not in r.output
    assert not (tmp_path / "m").exists()


def test_empty_directory_is_reported_and_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    r = runner.invoke(app, ["calibrate", str(tmp_path / "empty"), "--out", str(tmp_path / "m")])
    assert r.exit_code == 2
    lines = r.stderr.strip().splitlines()
    assert lines[0].endswith("empty: directory has no .txt/.md/.html/.htm/.pdf/.docx files")
    assert lines[-1].startswith("spindetect: error: got 0 scorable human document(s)")
    assert not (tmp_path / "m").exists()


def test_one_unreadable_input_is_reported_and_the_rest_calibrate(human_dir, tmp_path):
    d = tmp_path / "mixed"
    shutil.copytree(human_dir, d)
    (d / "zz-scan.pdf").write_bytes(b"%PDF-1.4 truncated")
    r = runner.invoke(app, ["calibrate", str(d), "--out", str(tmp_path / "m")])
    assert r.exit_code == 1, r.output  # some inputs failed, the model is written
    assert "zz-scan.pdf: damaged or truncated PDF" in r.stderr
    # 64 documents cannot hold 1 % on new text: the threshold is above all of them, and the user is told
    assert "new human documents like them may still be flagged 1.54% of the time, more than the 0.01 asked; give at least 99" in r.stderr
    assert r.stderr.strip().splitlines()[-1] == "spindetect: error: 1 input(s) could not be read; calibrated on the 64 others"
    assert modeldir.load_manifest(tmp_path / "m")["calibration"]["data"]["n_unreadable"] == 1


def test_a_damaged_base_model_is_refused_and_nothing_is_written(tmp_path):
    base = tmp_path / "base"
    shutil.copytree(modeldir.default_model_dir(), base)
    m = modeldir.load_manifest(base)
    with open(base / "stack.coef.npy", "r+b") as f:
        f.seek(-1, 2)
        f.write(b"\x01")
    with pytest.raises(modeldir.ModelError, match="stack.coef.npy does not match its sha256"):
        modeldir.save_calibrated(base, tmp_path / "out", threshold={"value": 0.5}, calibration={}, version=m["version"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["base"]
