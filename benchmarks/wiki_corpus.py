"""Encyclopedic prose in training: the `wiki` corpus (spindetect/corpora.py), and the spinner on encyclopedic text.

The release evaluation runs a commercial spinner over encyclopedic text, a domain the shared data lacks. This
measures, in one mode, the shipped training set of that mode with and without the `wiki` corpus (99 Wikipedia
articles in gensim's test data, up to 4 texts of ~300 words each; every second one also spun, as `--corpus-spin-every
2` does, or --wiki-human: none):

* the usual folds (extra_humans.evaluate: leave-one-family-out, leave-one-domain-out, the spinner seen in training
  in unseen domains, calibration across domains, the pooled threshold), which never test the corpora;
* **encyclopedic text**: the built-in spinner's output on Wikipedia texts against the human Wikipedia texts. Without
  the corpus in training: the model fitted on the whole training set (an unseen domain). With it: for each half of
  the split by article, the model fitted without that half's Wikipedia documents, tested on them.

    bash scripts/get_corpora.sh      # prints --corpus brown=DIR --corpus lee=DIR --corpus wiki=DIR
    python benchmarks/wiki_corpus.py --data ../shared/data --corpus brown=DIR --corpus lee=DIR --corpus wiki=DIR \
        [--lm] [--out benchmarks/runs/wiki-corpus-YYYY-MM-DD]

Fast mode's shipped set is Brown and Lee, every second text spun; accurate mode's (--lm) is Brown, human only.

`--lm --llm-joins` measures instead the accurate model's LLM expert joined at other weights and offsets (or not at
all) on accurate mode's shipped training set: the usual folds and the encyclopedic figure (the model fitted on the
whole training set, Wikipedia unseen), each fold fitted once and scored with every join.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extra_humans import encyclopedic, evaluate, save, summary  # noqa: E402

from spindetect import corpora, docprep, train_doc, trainset  # noqa: E402
from spindetect.metrics import tpr_at_fpr  # noqa: E402


#: LLM expert joins (weight, offset) of --llm-joins; None: no LLM expert. The shipped join is 1 / 1.
LLM_JOINS = {"1/1": (1.0, 1.0), "none": None, "1/2": (1.0, 2.0), "0.5/2": (0.5, 2.0), "0.5/1": (0.5, 1.0)}


def _with_llm(p, idx, model):
    """``model`` with the LLM expert fitted on ``idx`` (train_doc.fit no longer fits it: docmodel.FITTED_EXPERTS)."""
    return replace(model, llm=train_doc._fit_expert(p, idx, model, "llm", 0))


def _joined(model, join):
    if join is None or model.llm is None:
        return replace(model, llm=None)
    return replace(model, llm=replace(model.llm, weight=join[0], offset=join[1]))


def llm_joins(p_all, is_wiki: np.ndarray, log) -> dict:
    """Per LLM_JOINS entry: leave-one-family-out / -domain-out means, worst groups, TPR at 1 % FPR, and encyclopedic."""
    p = docprep.subset(p_all, np.where(~is_wiki)[0])
    per = {k: {"family": {}, "domain": {}} for k in LLM_JOINS}
    for by in ("family", "domain"):
        for h in (0, 1):
            for name, tr, te in train_doc.folds(p, by, h):
                te, tr = te[~np.isnan(p.lm[te]).any(axis=1)], tr[~np.isnan(p.lm[tr]).any(axis=1)]
                model = _with_llm(p, tr, train_doc.fit(p, tr, True))
                for k, join in LLM_JOINS.items():
                    s = train_doc.predict(p, _joined(model, join), te)
                    per[k][by].setdefault(name, []).append(
                        (train_doc._auc(p.y[te], s), tpr_at_fpr(p.y[te], s, 0.01)["tpr"] or 0.0))
            log(f"  {by} half {h} done")
    wiki = np.where(is_wiki)[0]
    train = np.where(~is_wiki)[0]
    model = _with_llm(p_all, train, train_doc.fit(p_all, train, True))
    out = {}
    for k, join in LLM_JOINS.items():
        out[k] = {}
        for by in ("family", "domain"):
            groups = {n: np.mean(v, axis=0) for n, v in per[k][by].items()}
            aucs = np.array([g[0] for g in groups.values()])
            out[k][by] = {"mean": round(float(aucs.mean()), 4), "worst": round(float(aucs.min()), 4),
                          "tpr_at_fpr_1pct": round(float(np.mean([g[1] for g in groups.values()])), 4),
                          "groups": {n: round(float(g[0]), 4) for n, g in groups.items()}}
        s = train_doc.predict(p_all, _joined(model, join), wiki)
        out[k]["encyclopedic"] = {"roc_auc": round(train_doc._auc(p_all.y[wiki], s), 4),
                                  "tpr_at_fpr_1pct": round(tpr_at_fpr(p_all.y[wiki], s, 0.01)["tpr"] or 0.0, 4)}
        r = out[k]
        print(f"LLM expert {k:6s} LOFO {r['family']['mean']:.3f} ({r['family']['worst']:.3f}) "
              f"LODO {r['domain']['mean']:.3f} ({r['domain']['worst']:.3f}) encyclopedic {r['encyclopedic']}", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--corpus", action="append", default=[], metavar="NAME=DIR", help="brown, lee and wiki")
    ap.add_argument("--lm", action="store_true", help="accurate mode (LM statistics, experts)")
    ap.add_argument("--wiki-human", action="store_true", help="train on the human Wikipedia texts only")
    ap.add_argument("--llm-joins", action="store_true", help="with --lm: the LLM expert's joins (module docstring)")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    folders = corpora.parse(args.corpus)
    if set(folders) != {"brown", "lee", "wiki"}:
        sys.exit("error: needs --corpus brown=DIR --corpus lee=DIR --corpus wiki=DIR (bash scripts/get_corpora.sh)")
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.time()
    cfg = train_doc.Config(lm=args.lm, corpus_spin_every=0 if args.lm else 2)
    shipped = {"brown": folders["brown"]} if args.lm else {"brown": folders["brown"], "lee": folders["lee"]}
    docs = trainset.build_documents(trainset.training_files(args.data), cfg) + trainset.corpus_documents(shipped, cfg, log)[0]
    # every second Wikipedia text spun for the encyclopedic test; --wiki-human decides which of them train
    wiki = corpora.documents("wiki", folders["wiki"], cfg.max_words, 2, cfg.seed)
    lm_model = None
    if args.lm:
        from spindetect.surprisal import LanguageModel

        lm_model = LanguageModel()
    everything = docs + wiki
    p_all = docprep.prepare(everything, lm_model, docprep.default_lm_cache(), log, len(everything), cfg.seed,
                              **docprep.measures(cfg))
    is_wiki = np.arange(len(everything)) >= len(docs)
    if args.llm_joins:
        if not args.lm:
            sys.exit("error: --llm-joins needs --lm")
        results = llm_joins(p_all, is_wiki, log)
        if args.out:
            save(results, args.out, True, "llm-joins.json")
        print(f"({time.time() - t0:.0f} s)", file=sys.stderr)
        return
    results = {"shipped": evaluate(docprep.subset(p_all, np.where(~is_wiki)[0]), args.lm, log)
               | {"encyclopedic": encyclopedic(p_all, ~is_wiki, args.lm)}}
    print(summary("shipped", results["shipped"]), "encyclopedic", results["shipped"]["encyclopedic"], flush=True)
    # + wiki: its human texts (and, unless --wiki-human, its spun ones) join the training side
    train = (~is_wiki | (p_all.y == 0)) if args.wiki_human else np.ones(len(everything), dtype=bool)
    name = "+wiki human" if args.wiki_human else "+wiki, every second text spun"
    results[name] = evaluate(docprep.subset(p_all, np.where(train)[0]), args.lm, log) | {
        "encyclopedic": encyclopedic(p_all, train, args.lm)}
    print(summary(name, results[name]), "encyclopedic", results[name]["encyclopedic"], flush=True)
    print(f"({time.time() - t0:.0f} s)", file=sys.stderr)
    if args.out:
        save(results, args.out, args.lm)


if __name__ == "__main__":
    main()
