import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path_factory):
    """Keep tests away from a user's model/embedder overrides."""
    for var in ("SPINDETECT_MODEL", "SPINDETECT_EMBEDDER", "SPINDETECT_BACKEND"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(scope="session")
def detector():
    """The shipped model with the real packaged embedder (loaded once per session)."""
    from spindetect import Detector

    return Detector.load()
