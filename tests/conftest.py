import pytest

from spindetect import cache

cache.offline()


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
