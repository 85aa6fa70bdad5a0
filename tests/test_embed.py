"""The embedder: onnx backend parity with sentence-transformers, backend choice, batching.

The ONNX export is made once per session from the packaged weights into a
temporary cache, so these tests also exercise the documented export command.
"""

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from spindetect import embed_onnx
from spindetect.cache import ENV_CACHE
from spindetect.embed import BACKENDS, Embedder, EmbedderError, default_embedder_dir

from . import texts

# Written for these tests: news-like sentences of varied length, casing, digits,
# quotes, accents and one far past the 256-token truncation.
SENTENCES = [
    "The city council approved the new budget on Tuesday.",
    "Officials said the bridge would reopen to traffic by the end of next month.",
    "Shares of the carmaker fell 4.3% after it cut its sales forecast for the year.",
    "\"We are not going to back down,\" the union leader told reporters outside the plant.",
    "The storm knocked out power to roughly 120,000 homes across three counties.",
    "Police have not released the names of the two men arrested on Sunday night.",
    "The school board voted 5-2 to delay the start of classes until September 8.",
    "A spokesperson for the ministry declined to comment on the report.",
    "Rescue teams worked through the night to reach villagers stranded by the floods.",
    "The museum will return the statue to its country of origin later this year.",
    "Inflation slowed for a third straight month, according to figures released Thursday.",
    "The senator introduced a bill that would cap the price of insulin at $35 a month.",
    "Residents packed the town hall to oppose plans for a new landfill near the river.",
    "The company said the data breach affected fewer than 2,000 customer accounts.",
    "Fans lined the streets to welcome the team home after its first title in 40 years.",
    "Doctors warned that hospital beds were filling faster than at any time since winter.",
    "The judge ordered both sides to submit their final arguments by Friday.",
    "Farmers say the drought has cut their wheat harvest by nearly half.",
    "The airline cancelled dozens of flights after a software fault grounded its fleet.",
    "Negotiators reached a tentative agreement shortly before the midnight deadline.",
    "The mayor, who took office in January, promised to hire 200 more teachers.",
    "Scientists found traces of the chemical in water samples from six wells.",
    "Ticket prices for the festival rose sharply this year, organizers confirmed.",
    "The prime minister spoke with the president by phone for about an hour.",
    "Both leaders agreed to keep talking, a statement from the president's office said.",
    "He added that no decision had been made about sending more troops to the region.",
    "The wildfire has burned more than 15,000 acres and is 30 percent contained.",
    "Local shops reported a rise in sales during the holiday weekend.",
    "the town chamber sanctioned a spending plan for highway mending on tuesday.",
    "Adversaries said the levy ascent would injure boutiques downtown downtown.",
    "In a landmark decision, the court ruled that the law violated the constitution.",
    "According to the report, emissions from the sector grew by 2.1 percent last year.",
    "Furthermore, it is important to note that the policy has far-reaching implications.",
    "The orchestra's new conductor, Zoë Martínez, will lead her first concert in May.",
    "Der Stadtrat hat am Dienstag den Haushalt beschlossen.",
    "Le maire a annoncé la fermeture de la piscine municipale pour travaux.",
    "Voters in the district will choose between three candidates on November 5.",
    "The recall covers about 48,000 vehicles built between 2019 and 2021.",
    "Nobody was hurt in the blaze, which started in a kitchen on the ground floor.",
    "The treaty, signed in 1987, limited the number of missiles each side could deploy.",
    "Experts cautioned that the early results were promising but not conclusive.",
    "Ms. Lee said the U.S. delegation arrived at 9 a.m. local time.",
    "Wow!",
    "Yes.",
    "BREAKING: Officials confirm the dam is holding.",
    "Read more: How the new rules affect your pension",
    "Prices at the pump climbed for the second week in a row, to an average of $3.41 a gallon.",
    "The festival drew visitors from as far away as Japan and Brazil.",
    " ".join(["The committee reviewed the long list of proposals one by one"] * 30) + ".",
    "",
]


@pytest.fixture(scope="session")
def model_dir():
    return default_embedder_dir()


def _prepare(cache_root, *args):
    from typer.testing import CliRunner

    from spindetect.cli import app

    return CliRunner().invoke(app, ["prepare", *args], env={ENV_CACHE: str(cache_root)})


@pytest.fixture(scope="session")
def cache(tmp_path_factory, model_dir):
    """A cache root holding a fresh fp32 export of the packaged MiniLM, made by `spindetect prepare`."""
    root = tmp_path_factory.mktemp("cache")
    r = _prepare(root)
    assert r.exit_code == 0 and "fp32" in r.output and "exported in" in r.output, r.output
    assert (root / "onnx" / embed_onnx.export_dir(model_dir).name / embed_onnx.ONNX_NAME).is_file()
    return root


@pytest.fixture
def use_cache(monkeypatch, cache):
    monkeypatch.setenv(ENV_CACHE, str(cache))
    monkeypatch.delenv("SPINDETECT_BACKEND", raising=False)
    return cache


@pytest.fixture
def empty_cache(monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_CACHE, str(tmp_path))
    monkeypatch.delenv("SPINDETECT_BACKEND", raising=False)
    return tmp_path


@pytest.fixture(scope="session")
def reference(model_dir):
    """sentence-transformers' own vectors for SENTENCES."""
    return Embedder(model_dir, backend="torch").encode(SENTENCES)


def _cosines(a, b):
    return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def test_onnx_matches_sentence_transformers(use_cache, reference):
    fast = Embedder(backend="onnx")
    assert fast.backend == "onnx" and fast.name == "all-MiniLM-L6-v2"
    got = fast.encode(SENTENCES)
    assert got.shape == reference.shape == (len(SENTENCES), 384)
    assert got.dtype == np.float32
    cos = _cosines(got, reference)
    assert cos.min() >= 0.99, [(s[:40], c) for s, c in zip(SENTENCES, cos) if c < 0.99]
    # The default export is fp32: it should be numerically the same model.
    assert cos.min() >= 0.9999
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_auto_prefers_onnx_when_exported(use_cache):
    assert Embedder().backend == "onnx"


def test_auto_falls_back_to_torch_without_export(empty_cache):
    assert Embedder().backend == "torch"


def test_env_forces_torch(use_cache, monkeypatch):
    monkeypatch.setenv("SPINDETECT_BACKEND", "torch")
    assert Embedder().backend == "torch"


def test_forced_onnx_without_export_names_the_fix(empty_cache, monkeypatch):
    monkeypatch.setenv("SPINDETECT_BACKEND", "onnx")
    with pytest.raises(EmbedderError, match="run 'spindetect prepare'"):
        Embedder()


def test_prepare_keeps_a_matching_export_and_names_a_missing_embedder(use_cache, tmp_path):
    r = _prepare(use_cache)
    assert r.exit_code == 0 and "already prepared" in r.output and str(use_cache) in r.output, r.output
    missing = _prepare(tmp_path, "--embedder", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2 and "nowhere: not a directory" in missing.output
    assert "Traceback" not in missing.output and not list(tmp_path.iterdir())


def test_unknown_backend_names_choices(empty_cache):
    with pytest.raises(EmbedderError, match="expected one of: auto, onnx, torch"):
        Embedder(backend="tensorflow")
    assert BACKENDS == ("auto", "onnx", "torch")


def test_stale_export_is_ignored(tmp_path, model_dir, cache):
    src = embed_onnx.export_dir(model_dir, None).name
    copy = tmp_path / "onnx" / src
    shutil.copytree(cache / "onnx" / src, copy)
    assert embed_onnx.find_export(model_dir, copy) == copy
    meta = json.loads((copy / "meta.json").read_text())
    meta["source"]["stamp"]["size"] += 1  # as if the weights had been replaced
    (copy / "meta.json").write_text(json.dumps(meta))
    assert embed_onnx.find_export(model_dir, copy) is None


def test_empty_and_order(use_cache, reference):
    fast = Embedder()
    assert fast.encode([]).shape == (0, 384)
    # Length bucketing reorders internally; rows must come back in input order.
    rev = fast.encode(SENTENCES[::-1])
    np.testing.assert_allclose(rev[::-1], fast.encode(SENTENCES), atol=1e-5)
    one = np.vstack([fast.encode([s]) for s in SENTENCES[:5]])
    np.testing.assert_allclose(one, fast.encode(SENTENCES[:5], batch_size=2), atol=1e-5)
    assert _cosines(one, reference[:5]).min() >= 0.9999


def test_onnx_encoder_rejects_bad_batch_size(use_cache):
    with pytest.raises(ValueError, match="batch_size"):
        Embedder().encode(["a"], batch_size=0)


def test_onnx_path_imports_no_torch(use_cache):
    code = (
        "import sys\n"
        "from spindetect.embed import Embedder\n"
        "e = Embedder(backend='onnx'); v = e.encode(['The council met on Tuesday.'])\n"
        "assert v.shape == (1, 384), v.shape\n"
        "heavy = [m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules]\n"
        "print(','.join(heavy) or 'none')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "none", out.stdout + out.stderr


def test_detector_scores_identically_enough_on_both_backends(use_cache):
    from spindetect import embed, modeldir

    try:
        modeldir.load_manifest(modeldir.default_model_dir())
    except modeldir.ModelError:
        pytest.skip("no shipped model yet")
    from spindetect.detector import Detector

    fast = Detector.load()
    slow = Detector.load()
    slow.embedder = embed.Embedder(backend="torch")
    assert fast.embedder.backend == "onnx"
    a, b = fast.score(texts.SPUN_NEWS), slow.score(texts.SPUN_NEWS)
    assert abs(a.score - b.score) < 0.02
    assert [s.index for s in a.sentences] == [s.index for s in b.sentences]


def test_prepare_command_rejects_unknown_quantize():
    out = subprocess.run(
        [sys.executable, "-m", "spindetect", "prepare", "--quantize", "int4"], capture_output=True, text=True
    )
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0
    assert "expected one of: none, int8" in out.stderr


@pytest.mark.slow
def test_int8_export_parity(tmp_path, model_dir, reference):
    d = embed_onnx.export(model_dir, tmp_path / "int8", quantize="int8")
    enc = embed_onnx.OnnxEncoder(model_dir, d)
    cos = _cosines(enc.encode(SENTENCES), reference)
    assert enc.quantize == "int8"
    # Below the 0.99 parity bar (why int8 is not the default), but still the same model.
    assert cos.min() >= 0.93 and cos.mean() >= 0.985


def test_batches_cover_every_sentence_once_within_budget():
    rng = np.random.default_rng(0)
    lens = rng.integers(3, 257, size=500)
    batches = list(embed_onnx._batches(lens, 64))
    assert sorted(np.concatenate([b for _, b in batches]).tolist()) == list(range(500))
    for width, b in batches:
        assert 1 <= len(b) <= 64
        assert width % embed_onnx.WIDTH_STEP == 0 and (lens[b] <= width).all() and (lens[b] > width - embed_onnx.WIDTH_STEP).all()
        assert len(b) == 1 or len(b) * width <= embed_onnx.TOKEN_BUDGET


def test_vectors_do_not_depend_on_batch_neighbours(use_cache):
    # Bit-for-bit: a sentence encoded alone, with others, reversed, or in batches
    # of two gets the same vector, so a document scores the same in any batch.
    fast = Embedder()
    assert fast.backend == "onnx"
    together = fast.encode(SENTENCES)
    alone = np.vstack([fast.encode([s]) for s in SENTENCES])
    assert np.array_equal(alone, together)
    assert np.array_equal(fast.encode(SENTENCES[::-1])[::-1], together)
    assert np.array_equal(fast.encode(SENTENCES, batch_size=2), together)
    mixed = fast.encode(SENTENCES[:3] + ["An unrelated, much longer sentence about weather, trade and the late bus. " * 3])
    assert np.array_equal(mixed[:3], together[:3])
