"""The fluent rewriter's documents in training (spindetect/augment/fluent.py; benchmarks/README.md, "A rewriter of
rules pointing the LLM way").

Each variant adds --fluent-docs originals per dataset (cut to 160 words), each beside its rewrite, to the shipped fast
training set as training-only documents (dataset `docset.FLUENT_DATASET`: never tested, so every figure is on the same
held-out documents; the rewrites leave training when the spinner, whose thesaurus they use, is held out):

    shipped             the shipped training set
    fluent              the rewriter as in the package (rate 0.15; dashes and semicolons smoothed)
    fluent-contractions the same, contractions expanded too
    fluent-synonyms     word swaps only, no smoothing
    fluent-rate=X       the package's rewriter with swap rate X

    bash scripts/get_corpora.sh brown lee     # prints the --corpus options
    python benchmarks/fluent_aug.py --data ../shared/data --corpus brown=DIR --corpus lee=DIR \
        [--variants shipped,fluent,fluent-contractions,fluent-synonyms] [--fluent-docs 60] [--seed 0] [--out DIR]

Fast mode only. --seed changes the draw of every document and the split (train_doc.Config.seed): a second seed
checks that a difference is not the luck of one split.
"""

from __future__ import annotations

import argparse
import sys
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extra_humans import evaluate, fast_prepared, save, summary  # noqa: E402

from spindetect import cache, docset, train_doc, trainset  # noqa: E402
from spindetect.augment import fluent  # noqa: E402
from spindetect.augment.paraphrase import Paraphraser, cache_file  # noqa: E402

VARIANTS = ("shipped", "fluent", "fluent-contractions", "fluent-synonyms")
_REWRITE = fluent.rewrite


def use(variant: str) -> None:
    """Set the rewriter to ``variant`` (module docstring)."""
    fluent.rewrite = _REWRITE
    name, _, value = variant.partition("=")
    if variant == "fluent-contractions":
        fluent.rewrite = partial(_REWRITE, smoothing=("dash", "semicolon", "contraction"))
    elif variant == "fluent-synonyms":
        fluent.rewrite = partial(_REWRITE, smoothing=())
    elif name == "fluent-rate" and value:
        fluent.rewrite = partial(_REWRITE, rate=float(value))
    elif variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; expected one of {', '.join(VARIANTS)} or fluent-rate=X")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--corpus", action="append", default=[], metavar="NAME=DIR")
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--fluent-docs", type=int, default=60)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    variants = args.variants.split(",")
    try:
        for v in variants:
            use(v)
    except ValueError as e:
        sys.exit(f"error: {e}")
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.time()
    para = Paraphraser(cache_file(cache.root()), log, cached_only=True)
    results = {}
    try:
        for v in variants:
            t = time.time()
            use(v)
            cfg = train_doc.Config(corpus_spin_every=2, para_docs=train_doc.SHIPPED_PARA_DOCS,
                                   fluent_docs=0 if v == "shipped" else args.fluent_docs, seed=args.seed)
            docs = trainset.training_set(args.data, cfg, args.corpus, log, para)
            p = fast_prepared(docs, cfg, log)
            results[v] = r = evaluate(p, False, log)
            r["fluent_docs"] = sum(d.family == docset.FLUENT_FAMILY for d in docs)
            r["seconds"] = round(time.time() - t)
            print(summary(v, r), flush=True)
            print(f"  by family {r['by_family']}\n  by domain {r['by_domain']}  ({r['fluent_docs']} rewrites, "
                  f"{r['seconds']} s)", flush=True)
    finally:
        use("shipped")
    print(f"({time.time() - t0:.0f} s)", file=sys.stderr)
    if args.out:
        save(results, args.out, False)


if __name__ == "__main__":
    main()
