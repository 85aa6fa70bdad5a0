"""Model directories load without unpickling and refuse damaged or foreign files."""

import hashlib
import json
import os
import shutil

import numpy as np
import pytest

from spindetect import modeldir
from spindetect.modeldir import ModelError


class _Boom:
    """Unpickling this creates a file: the test checks that never happens."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


@pytest.fixture()
def model_copy(tmp_path):
    src = modeldir.default_model_dir()
    dst = tmp_path / "model"
    shutil.copytree(src, dst)
    return dst


def _rehash(d):
    m = json.loads((d / "manifest.json").read_text())
    for name in m["files"]:
        m["files"][name] = hashlib.sha256((d / name).read_bytes()).hexdigest()
    (d / "manifest.json").write_text(json.dumps(m))


def test_shipped_model_loads_and_has_provenance():
    m = modeldir.load()
    assert m.name == "spindetect-base"
    assert 0.0 < m.threshold < 1.0
    assert m.manifest["threshold"]["rule"]
    assert m.manifest["metrics"]["leave_one_family_out"]["mean"]["roc_auc"] > 0.5
    assert m.manifest["metrics"]["leave_one_domain_out"]["mean"]["roc_auc"] > 0.5
    assert all(len(h) == 64 for h in m.manifest["files"].values())


def test_tampered_weights_are_refused(model_copy):
    f = model_copy / "stack.coef.npy"
    data = bytearray(f.read_bytes())
    data[-1] ^= 1
    f.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256"):
        modeldir.load(model_copy)


def test_truncated_weights_are_refused(model_copy):
    f = model_copy / "stack.mean.npy"
    f.write_bytes(f.read_bytes()[:50])
    with pytest.raises(ModelError):
        modeldir.load(model_copy)


def test_missing_weight_file(model_copy):
    os.remove(model_copy / "stack.bias.npy")
    with pytest.raises(ModelError, match="missing"):
        modeldir.load(model_copy)


def test_incompatible_format_version(model_copy):
    m = json.loads((model_copy / "manifest.json").read_text())
    m["format_version"] = 99
    (model_copy / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(ModelError, match="not supported"):
        modeldir.load(model_copy)


def test_malicious_pickle_with_matching_hash_never_runs(model_copy, tmp_path):
    marker = tmp_path / "pwned"
    arr = np.empty(1, dtype=object)
    arr[0] = _Boom(str(marker))
    np.save(model_copy / "stack.coef.npy", arr, allow_pickle=True)
    _rehash(model_copy)  # an attacker can rewrite the manifest too
    with pytest.raises(ModelError, match="without pickle"):
        modeldir.load(model_copy)
    assert not marker.exists()


def test_random_directory_and_file(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(ModelError, match="no manifest.json"):
        modeldir.load(tmp_path)
    with pytest.raises(ModelError, match="is a file"):
        modeldir.load(tmp_path / "notes.txt")


def test_manifest_cannot_point_outside_the_directory(model_copy):
    m = json.loads((model_copy / "manifest.json").read_text())
    m["files"]["../../etc/passwd"] = "0" * 64
    (model_copy / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(ModelError, match="unexpected file"):
        modeldir.load(model_copy)


def test_save_refuses_to_overwrite_a_foreign_directory(tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    m = modeldir.load()
    with pytest.raises(ModelError, match="not a spindetect model directory"):
        modeldir.save_document(tmp_path, m.document, m.manifest)
    assert (tmp_path / "mine.txt").read_text() == "keep me"
