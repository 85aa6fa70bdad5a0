"""Whether a word fits its context, zero-shot: each context statistic's ROC AUC per rewriter family, no training.

For every document of fast mode's training set (and, with ``--wiki``, the built-in spinner's output on Wikipedia
texts beside the human ones) the statistics of spindetect/signals/context.py, with the GloVe vocabulary cut to
``--vocab`` words (repeatable: one table each). Each family is ranked against the human originals of the datasets
it rewrote; "spinner / DOMAIN" is the spinner in one domain against that domain's human originals. ROC AUC of the
statistic as it stands: above 0.5 when the rewrites score higher (fit worse for the shares, better for the means).

    python benchmarks/context_fit.py --data ../shared/data --corpus brown=DIR --corpus lee=DIR --wiki DIR \
        --vocab 400000 --vocab 50000 --vocab 20000 --out benchmarks/runs/context-fit-YYYY-MM-DD

Prints Markdown tables; writes ``metrics.json`` into --out.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from spindetect import corpora, train_doc, trainset  # noqa: E402
from spindetect.segment import segment  # noqa: E402
from spindetect.signals import context  # noqa: E402


def table(p_fam, p_y, p_ds, p_dom, x: np.ndarray, wiki_y: np.ndarray | None, wiki_x: np.ndarray | None) -> dict:
    """ROC AUC of each statistic (column of ``x``) per family, per spinner domain, and on Wikipedia."""
    def aucs(y, s):
        ok = ~np.isnan(s).any(axis=1)
        return [round(train_doc._auc(y[ok], s[ok, k]), 4) for k in range(s.shape[1])]

    out = {}
    for f in train_doc.FAMILIES:
        m = train_doc.against_humans(p_fam, p_y, p_ds, f)
        if (p_fam == f).any():
            out[f] = aucs(p_y[m], x[m])
    spun_sets = np.unique(p_ds[p_fam == "spinner"])
    for d in train_doc.DOMAINS:
        m = train_doc.against_humans(p_fam, p_y, p_ds, "spinner") & (p_dom == d) & np.isin(p_ds, spun_sets)
        if len(set(p_y[m].tolist())) == 2:
            out[f"spinner / {d}"] = aucs(p_y[m], x[m])
    if wiki_x is not None:
        out["spinner / Wikipedia"] = aucs(wiki_y, wiki_x)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--corpus", action="append", default=[], metavar="NAME=DIR", help="brown, lee (fast mode's corpora)")
    ap.add_argument("--wiki", default=None, help="the wiki corpus folder (bash scripts/get_corpora.sh wiki)")
    ap.add_argument("--vocab", type=int, action="append", default=None, help=f"vocabulary size (default {context.VOCAB})")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    t0 = time.time()
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    cfg = train_doc.Config()
    docs = trainset.training_set(args.data, cfg, args.corpus, log)
    wiki = corpora.documents("wiki", Path(args.wiki), cfg.max_words, 2, cfg.seed) if args.wiki else []
    sents = [[s.norm for s in segment(d.text)] for d in docs + wiki]
    fam, y = np.array([d.family for d in docs]), np.array([d.label for d in docs])
    ds, dom = np.array([d.dataset for d in docs]), np.array([d.domain for d in docs])
    glove = context.glove_file()
    results = {}
    for vocab in args.vocab or [context.VOCAB]:
        vectors = context.read_glove(glove, vocab)
        x = context.statistics_matrix(vectors, sents)
        wy = np.array([d.label for d in wiki]) if wiki else None
        res = table(fam, y, ds, dom, x[: len(docs)], wy, x[len(docs):] if wiki else None)
        results[str(vocab)] = res
        print(f"\nvocabulary {vocab} words ({time.time() - t0:.0f} s)\n")
        print("| rewrites | " + " | ".join(context.NAMES) + " |")
        print("|---" * (1 + len(context.NAMES)) + "|")
        for k, v in res.items():
            print(f"| {k} | " + " | ".join(f"{a:.3f}" for a in v) + " |")
    if args.out:
        o = Path(args.out)
        o.mkdir(parents=True, exist_ok=True)
        (o / "metrics.json").write_text(json.dumps({"statistics": context.NAMES, "by_vocab": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
