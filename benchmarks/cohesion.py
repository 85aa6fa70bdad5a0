"""Lexical cohesion as a document signal: do rewriters repeat the words of nearby sentences less than writers do?

A writer names a thing and keeps its name ("the summit ... the summit"); a rewriter that works sentence by sentence
(back-translation, paraphrase models, synonym spinners) renders each mention on its own and so varies it ("the
summit ... the meeting ... the conference"). Three length-free statistics are added to the lexical block
(signals/lexical.py) and the fast model is evaluated with them (benchmarks/extra_humans.py's `evaluate`: the same
leave-one-family-out and leave-one-domain-out folds as `spindetect train`):

    cohesion3          per sentence, the share of its content words (4+ letters, Zipf frequency < 6) found among
                       the content words of the three sentences before it; mean over the document's sentences
    stem_cohesion3     the same on five-letter prefixes ("investigate" and "investigation" meet)
    content_repeat50   in windows of 50 words, the share of content words that repeat one earlier in the window

The variant changes only the lexical block (and so the stack's columns and their two-sided twins); the character
model, context statistics and experts are fitted as shipped. The "shipped" rows of the same draw are
benchmarks/char_variants.py's ``agree=0.5`` runs (the shipped recipe); ``--with-shipped`` measures them again.

    python benchmarks/cohesion.py --data ../shared/data $(bash scripts/get_corpora.sh brown lee) \\
        [--seed N] [--with-shipped] [--out benchmarks/runs/cohesion-YYYY-MM-DD-seedN]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Sequence

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extra_humans import evaluated, fast_prepared, save  # noqa: E402

from spindetect import cache, train_doc, trainset  # noqa: E402
from spindetect.artifacts import _zipf  # noqa: E402
from spindetect.augment.paraphrase import Paraphraser, cache_file  # noqa: E402
from spindetect.signals import lexical  # noqa: E402

#: Sentences looked back over, and the window of content_repeat50.
BACK, WINDOW = 3, 50
NAMES = ("lex:cohesion3", "lex:stem_cohesion3", "lex:content_repeat50")
_NAMES, _FEATURES = lexical.NAMES, lexical.features


def _content(sentence: str) -> list[str]:
    return [w for w in (x.lower() for x in lexical._WORD.findall(sentence)) if len(w) >= 4 and _zipf(w) < 6.0]


def _back_share(sents: list[list[str]]) -> float:
    """Mean over sentences with content words (after the first) of the share found in the BACK sentences before."""
    shares = []
    for i in range(1, len(sents)):
        if sents[i]:
            seen = {w for s in sents[max(0, i - BACK):i] for w in s}
            shares.append(sum(w in seen for w in sents[i]) / len(sents[i]))
    return float(np.mean(shares)) if shares else 0.0


def cohesion(sentences: Sequence[str]) -> np.ndarray:
    """The ``NAMES`` statistics of one document's normalised sentences (zeros when there is nothing to compare)."""
    sents = [_content(s) for s in sentences]
    flat = [w for s in sents for w in s]
    reps = []
    for k in range(0, max(1, len(flat) - WINDOW + 1), WINDOW):
        win = flat[k:k + WINDOW]
        if win:
            reps.append(1.0 - len(set(win)) / len(win))
    return np.array([_back_share(sents), _back_share([[w[:5] for w in s] for s in sents]),
                     float(np.mean(reps)) if reps else 0.0], dtype=np.float32)


def use(on: bool) -> None:
    """The lexical block with (``on``) or without the cohesion statistics."""
    if on:
        lexical.NAMES = _NAMES + NAMES
        lexical.features = lambda sentences: np.concatenate([_FEATURES(sentences), cohesion(sentences)])
    else:
        lexical.NAMES, lexical.features = _NAMES, _FEATURES


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--corpus", action="append", default=[], metavar="NAME=DIR")
    ap.add_argument("--seed", type=int, default=0, help="the draw of documents and split (benchmarks/draws.py)")
    ap.add_argument("--with-shipped", action="store_true", help="also evaluate the recipe as shipped")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.time()
    cfg = train_doc.Config(corpus_spin_every=2, para_docs=train_doc.SHIPPED_PARA_DOCS, seed=args.seed)
    docs = trainset.training_set(args.data, cfg, args.corpus, log,
                                 Paraphraser(cache_file(cache.root()), log, cached_only=True))
    results = {}
    for name, on in ([("shipped", False)] if args.with_shipped else []) + [("cohesion", True)]:
        use(on)
        results[name] = evaluated(name, fast_prepared(docs, cfg, log), False, log)
    use(False)
    print(f"({time.time() - t0:.0f} s)", file=sys.stderr)
    if args.out:
        save(results, args.out, False)


if __name__ == "__main__":
    main()
