"""spindetect.cache: the one place that knows the cache root and the offline environment (issue 15)."""

import os
from pathlib import Path

from spindetect import cache

PKG = Path(__file__).resolve().parent.parent / "spindetect"


def test_cache_root_prefers_the_variable_then_xdg_then_home(monkeypatch, tmp_path):
    monkeypatch.setenv("SPINDETECT_CACHE", str(tmp_path / "mine"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.root() == tmp_path / "mine"
    monkeypatch.delenv("SPINDETECT_CACHE")
    assert cache.root() == tmp_path / "xdg" / "spindetect"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache.root() == tmp_path / ".cache" / "spindetect"


def test_offline_keeps_what_the_user_set(monkeypatch):
    monkeypatch.setenv("TOKENIZERS_PARALLELISM", "true")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    cache.offline()
    assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["TOKENIZERS_PARALLELISM"] == "true"


def test_only_the_cache_module_names_the_cache_variable_or_the_offline_switches():
    import ast

    names = {"SPINDETECT_CACHE", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "TOKENIZERS_PARALLELISM", ".cache"}

    def named(path):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value in names}

    assert named(PKG / "cache.py") == names
    assert {str(p.relative_to(PKG)): named(p) for p in PKG.rglob("*.py") if p.name != "cache.py" and named(p)} == {}
