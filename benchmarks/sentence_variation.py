"""Does a rewriter make a document's sentences more alike than a writer does? Zero-shot, per rewriter family.

A rewriter treats every sentence the same way; a writer does not. If that left a trace that points the same way for
the rewriters that make text noisier (spinner, back-translation) and those that make it cleaner (LLM paraphrase and
polish, dipper), it would be the kind of evidence the family split lacks (benchmarks/README.md, 2026-12-06). For each
document with at least three sentences of five or more words, the standard deviation over its sentences of five
per-sentence statistics (mean word Zipf frequency, mean word length, share of the 300 most frequent English words,
commas per word, share of words below Zipf 3) and the mean absolute change of the mean Zipf frequency from one
sentence to the next; printed: each statistic's ROC AUC, each family's rewrites against the human originals of its
datasets (above 0.5: the rewrites vary more).

    python benchmarks/sentence_variation.py --data ../shared/data [--seed N]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from spindetect import cache, train_doc, trainset  # noqa: E402
from spindetect.artifacts import _zipf  # noqa: E402
from spindetect.augment.paraphrase import Paraphraser, cache_file  # noqa: E402
from spindetect.segment import segment  # noqa: E402
from spindetect.signals import charstyle  # noqa: E402

NAMES = ("sd_zipf", "sd_word_len", "sd_frequent_share", "sd_commas", "sd_rare_share", "step_zipf")
MIN_WORDS, MIN_SENTENCES = 5, 3
_WORD = re.compile(r"[A-Za-z][A-Za-z']*")


def variation(text: str, keep: frozenset[str]) -> np.ndarray:
    """The ``NAMES`` statistics of one document (NaN when it has fewer than MIN_SENTENCES long enough sentences)."""
    rows = []
    for s in segment(text):
        words = [w.lower() for w in _WORD.findall(s.norm)]
        if len(words) >= MIN_WORDS:
            z = np.array([_zipf(w) for w in words])
            rows.append([z.mean(), np.mean([len(w) for w in words]), np.mean([w in keep for w in words]),
                         s.norm.count(",") / len(words), (z < 3).mean()])
    if len(rows) < MIN_SENTENCES:
        return np.full(len(NAMES), np.nan)
    r = np.array(rows)
    return np.append(r.std(axis=0), np.abs(np.diff(r[:, 0])).mean())


def main() -> None:
    from sklearn.metrics import roc_auc_score

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--seed", type=int, default=0, help="the draw of documents (benchmarks/draws.py)")
    args = ap.parse_args()
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    cfg = train_doc.Config(para_docs=train_doc.SHIPPED_PARA_DOCS, seed=args.seed)
    docs = trainset.training_set(args.data, cfg, (), log, Paraphraser(cache_file(cache.root()), log, cached_only=True))
    keep = charstyle.keep_words()
    x = np.array([variation(d.text, keep) for d in docs])
    y, fam = np.array([d.label for d in docs]), np.array([d.family for d in docs])
    ds, dom = np.array([d.dataset for d in docs]), np.array([d.domain for d in docs])
    ok = ~np.isnan(x).any(axis=1)
    print(f"{ok.mean():.1%} of {len(docs)} documents have {MIN_SENTENCES}+ sentences of {MIN_WORDS}+ words")
    print("| family | " + " | ".join(NAMES) + " |\n|---" + "|---" * len(NAMES) + "|")
    for f in np.unique(fam[y == 1]):
        m = train_doc.against_humans(fam, y, ds, f) & np.isin(dom, train_doc.DOMAINS) & ok
        print(f"| {f} | " + " | ".join(f"{roc_auc_score(y[m], x[m, j]):.3f}" for j in range(len(NAMES))) + " |")


if __name__ == "__main__":
    main()
