"""Chained rewriters in training: SmolLM2 paraphrases then spun, and spun text then paraphrased (measured, not
shipped: benchmarks/README.md, "Chained rewriters").

Issue 14 asks for chains among the rewriter variety generated here. Both kinds are added to the shipped fast
training set (the shared data, the packaged corpora given with --corpus, 60 SmolLM2-paraphrased originals per
dataset) as training-only documents (dataset `docset.PARA_DATASET`: never tested, so every figure is on the same
held-out documents). A chain carries the spinner's edits, so when the spinner family is held out its chains are
left out of training too.

Variants:

    shipped        the shipped training set
    para-spin      each SmolLM2-paraphrased document also spun (`docset.SPIN_DRAWS`, cycled), beside it
    para-spin-light  the same with the spinner's rate capped at 0.15
    para-spin-replace  the spun paraphrase instead of the paraphrase
    spin-para      --chain-docs further originals per dataset (cut to `docset.PARA_WORDS` words) spun, then each
                   spun sentence paraphrased by SmolLM2 ("paraphrase" prompt), beside its original

    bash scripts/get_corpora.sh brown lee     # prints the --corpus options
    python benchmarks/chains.py --data ../shared/data --corpus brown=DIR --corpus lee=DIR \
        [--variants shipped,para-spin,para-spin-light,para-spin-replace,spin-para] [--chain-docs 30] [--generate] [--out DIR]

Fast mode only. Paraphrases come from the cache (`$SPINDETECT_CACHE/paraphrases/`); spin-para's spun sentences
are new to it: --generate makes the missing ones (1,105 sentences: 1,930 s on the two cores beside another job).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extra_humans import evaluate, fast_prepared, listed, save, summary  # noqa: E402

from spindetect import cache, docset, train_doc, trainset  # noqa: E402
from spindetect.augment.paraphrase import Paraphraser, cache_file, rewrite  # noqa: E402
from spindetect.augment.spin import spin  # noqa: E402
from spindetect.segment import segment  # noqa: E402

PARA_SPIN, SPIN_PARA = "smollm-then-spinner", "spinner-then-smollm"
#: The chained families (both carry the spinner's edits).
CHAINS = (PARA_SPIN, SPIN_PARA)
VARIANTS = ("shipped", "para-spin", "para-spin-light", "para-spin-replace", "spin-para")
LIGHT_RATE = 0.15
_DERIVED, _PARAPHRASED = docset.DERIVED_FAMILIES, docset._paraphrased
#: The package's derived families with the chains added to the spinner's: train_doc.folds leaves them out of
#: training when the spinner is the held-out family.
WITH_CHAINS = {**_DERIVED, "spinner": (*_DERIVED.get("spinner", ()), *CHAINS)}


def spin_then_paraphrase(n: int):
    """docset._paraphrased, followed by ``n`` further originals per dataset spun and then paraphrased."""
    def build(by_ds, used, n_para, seed, paraphraser, prompts):
        out = _PARAPHRASED(by_ds, used, n_para, seed, paraphraser, prompts)
        chosen = []
        for k, p, text in docset._sources(by_ds, used, n, docset.PARA_WORDS, seed, "chain"):
            rate, mode = docset.SPIN_DRAWS[k % len(docset.SPIN_DRAWS)]
            spun = spin(text, rate=rate, seed=seed * 100_003 + k, mode=mode).text
            chosen.append((p, [s.norm for s in segment(text)], [s.norm for s in segment(spun)]))
        sents = [s for _, _, ss in chosen for s in ss]
        answers = dict(zip(sents, paraphraser.paraphrase(sents, "paraphrase")))
        for p, original, ss in chosen:
            text, changed = rewrite(ss, [answers[s] for s in ss])
            if ss and changed >= docset.PARA_MIN_CHANGED * len(ss):
                g = docset.group_key(p.original)
                out.append(docset.Doc(" ".join(original), 0, docset.PARA_DATASET, "human", p.domain, g))
                out.append(docset.Doc(text, 1, docset.PARA_DATASET, SPIN_PARA, p.domain, g))
        return out
    return build


def paraphrase_then_spin(docs: list[docset.Doc], variant: str) -> list[docset.Doc]:
    """``docs`` with each SmolLM2 paraphrase also spun (para-spin, -light) or replaced by its spun form (-replace)."""
    out, extra, k = [], [], 0
    for d in docs:
        if d.dataset == docset.PARA_DATASET and d.family == docset.PARA_FAMILY:
            rate, mode = docset.SPIN_DRAWS[k % len(docset.SPIN_DRAWS)]
            spun = spin(d.text, rate=min(rate, LIGHT_RATE) if variant == "para-spin-light" else rate, seed=k, mode=mode)
            k += 1
            if spun.edits:
                chained = docset.Doc(spun.text, 1, d.dataset, PARA_SPIN, d.domain, d.group)
                if variant == "para-spin-replace":
                    out.append(chained)
                    continue
                extra.append(chained)
        out.append(d)
    return out + extra


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--corpus", action="append", default=[], metavar="NAME=DIR")
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--chain-docs", type=int, default=30, help="spin-para: originals per dataset")
    ap.add_argument("--generate", action="store_true", help="generate paraphrases missing from the cache")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    variants = listed(args.variants, VARIANTS, "variant")
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.time()
    cfg = train_doc.Config(corpus_spin_every=2, para_docs=train_doc.SHIPPED_PARA_DOCS)
    para = Paraphraser(cache_file(cache.root()), log, cached_only=not args.generate)
    base = trainset.training_set(args.data, cfg, args.corpus, log, para)
    docset.DERIVED_FAMILIES = WITH_CHAINS
    results = {}
    try:
        for v in variants:
            if v == "spin-para":
                docset._paraphrased = spin_then_paraphrase(args.chain_docs)
                docs = trainset.training_set(args.data, cfg, args.corpus, log, para)
                docset._paraphrased = _PARAPHRASED
            else:
                docs = base if v == "shipped" else paraphrase_then_spin(base, v)
            t = time.time()
            p = fast_prepared(docs, cfg, log)
            results[v] = r = evaluate(p, False, log)
            r["chained_docs"] = sum(d.family in CHAINS for d in docs)
            r["seconds"] = round(time.time() - t)
            print(summary(v, r), flush=True)
            print(f"  by family {r['by_family']}\n  by domain {r['by_domain']}  ({r['chained_docs']} chained "
                  f"documents, {r['seconds']} s)", flush=True)
    finally:
        docset.DERIVED_FAMILIES, docset._paraphrased = _DERIVED, _PARAPHRASED
    print(f"({time.time() - t0:.0f} s)", file=sys.stderr)
    if args.out:
        save(results, args.out, False)


if __name__ == "__main__":
    main()
