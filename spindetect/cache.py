"""Where spindetect keeps what it prepares, and the switches that keep Hugging Face libraries offline.

The cache root holds the ONNX export of the embedder (``onnx/``), the
converted language model (``lm/``), the sorted wordfreq table (``wordfreq/``)
and training caches; ``spindetect prepare`` fills it. Imports nothing heavy.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_CACHE = "SPINDETECT_CACHE"
#: Set (unless already set) before sentence-transformers, transformers or huggingface_hub is imported:
#: nothing is downloaded at run time.
OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


def root() -> Path:
    """``$SPINDETECT_CACHE``, else ``$XDG_CACHE_HOME/spindetect``, else ``~/.cache/spindetect``."""
    env = os.environ.get(ENV_CACHE)
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "spindetect"


def offline() -> None:
    """Put ``OFFLINE_ENV`` into the environment, keeping values the user set."""
    for k, v in OFFLINE_ENV.items():
        os.environ.setdefault(k, v)
