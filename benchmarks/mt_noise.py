"""A rewriter of machine-translation errors in training: does it teach the held-out back-translation?

Back-translation is the weakest held-out family on most draws (0.566-0.661 by family), and nothing in training
writes the way machine translation errs. This rewriter makes the errors that grammatical-error-correction work
lists for MT output and learners, at rates fixed before any measurement (not tuned): articles dropped or
swapped, prepositions confused, nouns' number and verbs' tense or agreement flipped (the part-of-speech tagger of
signals/postag.py finds them, lemminflect re-inflects them), contractions written out. Its rewrites join the
fast training set as training-only documents in the slot of the fluent rewriter (dataset `docset.FLUENT_DATASET`,
never tested: every figure is on the same held-out documents; they leave training when the spinner is held out, as
the fluent rewriter's do):

    shipped    the shipped training set (the draws.py figures of the same draw)
    mt-noise   plus --docs originals per dataset cut to 160 words, each beside its rewrite (kept with 3+ edits)

    python benchmarks/mt_noise.py --data ../shared/data $(bash scripts/get_corpora.sh brown lee) \\
        [--variants mt-noise] [--docs 60] [--seed 0] [--out benchmarks/runs/mt-noise-YYYY-MM-DD-seedN]

Fast mode unless --accurate (the accurate recipe, train_doc.ACCURATE: language-model statistics, no spun corpus
documents, no agreement mask, the part-of-speech n-grams; give it only the brown corpus, as the shipped model had;
SmolLM2 scores each document not yet in $SPINDETECT_CACHE/train-lm-stats.json, ~0.2 s each).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extra_humans import evaluated, fast_prepared, save  # noqa: E402

from spindetect import cache, corpora, docprep, docset, train_doc, trainset  # noqa: E402
from spindetect.augment import fluent  # noqa: E402
from spindetect.augment.paraphrase import Paraphraser, cache_file  # noqa: E402
from spindetect.signals import postag  # noqa: E402

#: Per-occurrence rates, set once from the kinds of error, not measured.
P_DROP_THE, P_A_TO_THE, P_PREP, P_NUMBER, P_TENSE, P_AGREE, P_EXPAND = 0.25, 0.2, 0.12, 0.08, 0.08, 0.08, 0.8
PREPS = ("in", "on", "at", "to", "for", "of", "with", "from", "by", "about")
CONTRACTIONS = {"n't": " not", "'re": " are", "'ll": " will", "'ve": " have", "'m": " am"}
_CORE = re.compile(r"^(\W*)([A-Za-z][A-Za-z']*)(\W*)$")
_REWRITE = fluent.rewrite


def _cased(new: str, old: str) -> str:
    return new[:1].upper() + new[1:] if old[:1].isupper() else new


def rewrite(text: str, tagger: postag.Tagger, seed: int) -> tuple[str, int]:
    """``text`` with machine-translation-like errors, and how many edits were made."""
    from lemminflect import getInflection, getLemma

    r = random.Random(seed)
    toks = text.split(" ")
    cores = [_CORE.match(t) for t in toks]
    tags = tagger.tag([m.group(2).lower() if m else t.lower() for m, t in zip(cores, toks)])
    out, edits, cap_next = [], 0, False
    for tok, m, tag in zip(toks, cores, tags):
        new = tok
        if m:
            pre, word, post = m.groups()
            low = word.lower()
            rep = None
            if low == "the" and not post and r.random() < P_DROP_THE:
                edits += 1
                cap_next = cap_next or bool(word[0].isupper())
                continue
            if low in ("a", "an") and not post and r.random() < P_A_TO_THE:
                rep = "the"
            elif low in PREPS and r.random() < P_PREP:
                rep = r.choice([p for p in PREPS if p != low])
            elif tag in ("NN", "NNS") and r.random() < P_NUMBER:
                lemma = (getLemma(low, "NOUN") or (low,))[0]
                rep = (getInflection(lemma, "NN" if tag == "NNS" else "NNS") or (None,))[0]
            elif tag == "VBD" and r.random() < P_TENSE:
                lemma = (getLemma(low, "VERB") or (low,))[0]
                rep = (getInflection(lemma, "VBZ") or (None,))[0]
            elif tag == "VBZ" and r.random() < P_AGREE:
                rep = (getLemma(low, "VERB") or (None,))[0]
            elif "'" in low and r.random() < P_EXPAND:
                for c, full in CONTRACTIONS.items():
                    if low.endswith(c) and len(low) > len(c):
                        rep = word[: -len(c)] + full
                        break
            if rep and rep != low:
                new = pre + _cased(rep, word) + post
                edits += 1
        if cap_next:
            new = new[:1].upper() + new[1:]
            cap_next = False
        out.append(new)
    return " ".join(out), edits


def use(variant: str, tagger: postag.Tagger | None) -> None:
    """The fluent slot's rewriter: the MT-error rules (mt-noise) or the package's."""
    if variant == "mt-noise":
        fluent.rewrite = lambda text, vectors, seed=0, **_: rewrite(text, tagger, seed)
    elif variant == "shipped":
        fluent.rewrite = _REWRITE
    else:
        raise ValueError(f"unknown variant {variant!r}; expected shipped or mt-noise")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--corpus", action="append", default=[], metavar="NAME=DIR")
    ap.add_argument("--variants", default="mt-noise")
    ap.add_argument("--docs", type=int, default=60)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--accurate", action="store_true", help="the accurate recipe instead (train_doc.ACCURATE)")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    variants = args.variants.split(",")
    try:
        for v in variants:
            use(v, None)
        given = corpora.parse(args.corpus)
        brown = docprep.tagger_corpus(train_doc.Config(pos_tags=True), given)
    except (ValueError, corpora.CorpusError) as e:
        sys.exit(f"error: {e}")
    finally:
        use("shipped", None)
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.time()
    tagger = postag.brown_tagger(brown, log=log)
    para = Paraphraser(cache_file(cache.root()), log, cached_only=True)
    results = {}
    try:
        for v in variants:
            use(v, tagger)
            cfg = train_doc.Config(**({"corpus_spin_every": 2, "para_docs": train_doc.SHIPPED_PARA_DOCS,
                                      "fluent_docs": 0 if v == "shipped" else args.docs, "seed": args.seed}
                                     | (train_doc.ACCURATE if args.accurate else {})))
            docs = trainset.training_set(args.data, cfg, args.corpus, log, para)
            made = [d for d in docs if d.family == docset.FLUENT_FAMILY]
            if made:
                log(f"{len(made)} rewrites; the first: {made[0].text[:300]}")
            if args.accurate:
                from spindetect.surprisal import LanguageModel

                p = docprep.prepare(docs, LanguageModel(), docprep.default_lm_cache(), log, cfg.lm_docs, cfg.seed,
                                    **docprep.measures(cfg, given, log))
            else:
                p = fast_prepared(docs, cfg, log)
            results[v] = evaluated(v, p, args.accurate, log, f"{len(made)} rewrites, ", rewrites=len(made))
    finally:
        use("shipped", None)
    print(f"({time.time() - t0:.0f} s)", file=sys.stderr)
    if args.out:
        save(results, args.out, args.accurate)


if __name__ == "__main__":
    main()
