"""Export the sentence embedder to ONNX so `spindetect score` runs without torch.

Same as ``python -m spindetect.embed_onnx``; kept here so the build step is
visible next to the other scripts. Usage::

    python scripts/export_onnx.py [--embedder DIR] [--quantize none|int8]

The export lands in the cache folder the embedder looks in
($SPINDETECT_CACHE, else ~/.cache/spindetect); needs torch, transformers and
onnx, which only this step uses.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from spindetect.embed_onnx import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
