"""A spinner expert (accurate mode's, or with --fast fast mode's context expert): alone, and joined to the stack.

The same documents, folds and models as `spindetect train --lm` (spindetect/train_doc.py): in every
leave-one-family-out and leave-one-domain-out fold the stack and the expert are fitted on the training side
(the expert zero-shot when the fold holds the spinner out), and the held-out documents are scored by the stack
alone, the expert alone, and two ways of joining them, in human standard deviations of each (z): the larger of
the two, max(z_stack, z_expert - offset), and the shipped sum, z_stack + weight * max(0, z_expert - offset):

    python benchmarks/spinner_expert.py --data ../shared/data --out benchmarks/runs/spinner-expert-YYYY-MM-DD

``--llm-expert`` adds a second expert pointing the other way, fitted the same way on the LLM rewriters
(llm-paraphrase, llm-polish, dipper: less surprising than human text) against human documents, joined to the
shipped sum as one more rectified term; ``--corpus NAME=DIR`` (repeatable, with ``--corpus-spin-every``) trains
on the shipped model's corpora too (spindetect/corpora.py; never tested).

``--fast`` measures fast mode instead: its training set (the shared data and, with ``--corpus``, its corpora, every
second text spun by default), its context statistics (spindetect/signals/context.py) in the stack, and the context
expert in place of the spinner expert (no language model):

    python benchmarks/spinner_expert.py --fast --corpus brown=DIR --corpus lee=DIR --wiki DIR --out benchmarks/runs/context-expert-YYYY-MM-DD

``--context-expert`` (accurate mode) also fits fast mode's context expert in each fold and joins it to the shipped sum
(maxima and rectified sums; rows after the spinner expert's).

Both modes have the context statistics in the stack since 2026-12-04 (in accurate mode the expert stays the LM's
spinner expert); ``--no-context`` measures accurate mode without them, as shipped before.

``--wiki DIR`` adds each join's ROC AUC on encyclopedic text (the built-in spinner's output on the wiki corpus's
texts against the human ones, with everything fitted on the training documents: a domain never trained on).

``--joint-expert`` (accurate mode) fits, beside the shipped spinner expert, one that reads the language model's and
the context statistics together (zero-shot as the shipped one when the fold holds the spinner out), and joins it in
its place.

``--shipped-recipe`` builds and measures the documents as the shipped model of the mode is trained (accurate:
``train_doc.ACCURATE``, the part-of-speech n-grams from ``--corpus brown=DIR``; fast: the agreement mask), and
``--seed N`` draws another sample of documents and split.

Needs the language model's statistics of the training documents (the training LM cache, or the LM itself).
Prints a Markdown table; writes ``metrics.json`` into --out.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from spindetect import corpora, docprep, train_doc, trainset  # noqa: E402
from spindetect.metrics import tpr_at_fpr  # noqa: E402

OFFSETS = (0.0, 0.5, 1.0, 1.5, 2.0)
SUM_WEIGHTS = (0.5, 1.0, 2.0)
SUM_OFFSETS = (0.0, 1.0, 2.0)


def fold_scores(p, tr, te, with_llm: bool, by: str, name: str, with_context: bool = False,
                with_joint: bool = False) -> dict:
    """One fold: the stack and the experts fitted on ``tr``, ``te`` scored in human standard deviations of each.

    The expert is the spinner expert with the LM's statistics (accurate mode), else the context expert (fast mode).
    """
    lm = p.lm is not None
    m = train_doc.fit(p, tr, lm=lm)
    expert = "spinner" if lm else "context"
    e = m.experts()[expert]
    # the LLM expert (docmodel.EXPERT_FAMILIES["llm"]; not in docmodel.FITTED_EXPERTS since 2026-12-04)
    llm = train_doc._fit_expert(p, tr, m, "llm", 0) if with_llm else None
    # accurate mode with fast mode's context expert beside its spinner expert (--context-expert)
    ctx = train_doc._fit_expert(p, tr, m, "context", 0) if with_context else None
    human = tr[p.y[tr] == 0]
    joint = _joint_expert(p, m, tr, human, te, e) if with_joint else None
    stack = replace(m, spinner=None, llm=None, context=None)
    sh = train_doc.predict(p, stack, human)
    z = train_doc.expert_z(p, m, expert, te)
    return {"by": by, "name": name, "te": te, "kind": e.kind,
            "stack": (train_doc.predict(p, stack, te) - sh.mean()) / sh.std(),
            "expert": (e.score(z) - e.human_mean) / e.human_std,
            # None: no LLM family in training
            "llm": (llm.score(z) - llm.human_mean) / llm.human_std if llm else None,
            "context": (ctx.score(train_doc.expert_z(p, m, "context", te)) - ctx.human_mean) / ctx.human_std
            if ctx else None,
            "joint": joint}


def _joint_expert(p, m, tr, human, te, zero_shot) -> np.ndarray:
    """--joint-expert: held-out scores (human deviations) of a spinner expert that reads the language model's and the
    context statistics together ([z, z**2] of both blocks, fitted on the spinner's rewrites in ``tr`` against its
    human documents); with no spinner in ``tr``, the shipped zero-shot expert ``zero_shot``."""
    from sklearn.linear_model import LogisticRegression

    rewritten = tr[p.family[tr] == "spinner"]
    z = np.hstack([train_doc.expert_z(p, m, "spinner"), train_doc.expert_z(p, m, "context")])
    x = np.hstack([z, z ** 2])
    if not len(rewritten):
        return (zero_shot.score(train_doc.expert_z(p, m, "spinner", te)) - zero_shot.human_mean) / zero_shot.human_std
    both = np.concatenate([human, rewritten])
    lr = LogisticRegression(C=train_doc.STACK_C, max_iter=5000, random_state=0).fit(x[both], p.y[both])
    h = lr.decision_function(x[human])
    return (lr.decision_function(x[te]) - h.mean()) / (h.std() + 1e-9)


def held_out_scores(p, with_llm: bool = False, with_context: bool = False, with_joint: bool = False) -> list[dict]:
    """Per fold: held-out indices, the stack's and the expert's scores in human standard deviations of each."""
    out = []
    ok = ~np.isnan(p.lm).any(axis=1) if p.lm is not None else np.ones(len(p.y), dtype=bool)
    for by in ("family", "domain"):
        for h in (0, 1):
            for name, tr, te in train_doc.folds(p, by, h):
                out.append(fold_scores(p, tr[ok[tr]], te[ok[te]], with_llm, by, name, with_context, with_joint))
                print(f"  {by} {name} half {h} ({out[-1]['kind']} expert)", file=sys.stderr)
    return out


def summarise(p, folds: list[dict], combine) -> dict:
    res = {}
    for by in ("family", "domain"):
        per: dict[str, list] = {}
        idx, scores = [], []
        for f in (f for f in folds if f["by"] == by):
            s = combine(f)
            y = p.y[f["te"]]
            per.setdefault(f["name"], []).append((train_doc._auc(y, s), tpr_at_fpr(y, s, 0.01)["tpr"] or 0.0))
            idx.append(f["te"])
            scores.append(s)
        table = {k: [round(float(x), 4) for x in np.mean(v, axis=0)] for k, v in per.items()}
        aucs = [v[0] for v in table.values()]
        res[by] = {"groups": table, "mean": round(float(np.mean(aucs)), 4), "worst": round(float(np.min(aucs)), 4),
                   "tpr_at_fpr_1pct": round(float(np.mean([v[1] for v in table.values()])), 4)}
        if by == "domain":
            i, s = np.concatenate(idx), np.concatenate(scores)
            fam, y, ds = p.family[i], p.y[i], p.dataset[i]
            m = train_doc.against_humans(fam, y, ds, "spinner")
            res["spinner_in_unseen_domains"] = round(train_doc._auc(y[m], s[m]), 4)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default=None)
    ap.add_argument("--lm-cache", default=None)
    ap.add_argument("--llm-expert", action="store_true", help="also join an LLM-direction expert (rows below the sums)")
    ap.add_argument("--corpus", action="append", default=[], metavar="NAME=DIR", help="a training corpus (repeatable)")
    ap.add_argument("--corpus-spin-every", type=int, default=2)
    ap.add_argument("--para-docs", type=int, default=None, help="SmolLM2-paraphrased originals per dataset, from the "
                    "cache (default: the shipped models', train_doc.SHIPPED_PARA_DOCS)")
    ap.add_argument("--fast", action="store_true", help="fast mode: context statistics and the context expert, no LM")
    ap.add_argument("--context-expert", action="store_true", help="accurate mode: also join fast mode's context "
                    "expert to the shipped sum (rows below the sums)")
    ap.add_argument("--no-context", action="store_true", help="accurate mode without the context statistics (as "
                    "shipped before 2026-12-04)")
    ap.add_argument("--joint-expert", action="store_true", help="accurate mode: also a spinner expert reading the "
                    "language model's and the context statistics together (rows after the shipped ones)")
    ap.add_argument("--seed", type=int, default=0, help="the draw of documents and split (benchmarks/draws.py)")
    ap.add_argument("--shipped-recipe", action="store_true", help="the shipped model's recipe of the mode "
                    "(accurate: train_doc.ACCURATE, give it only the brown corpus; fast: train_doc.Config's defaults) "
                    "instead of the settings above")
    ap.add_argument("--wiki", default=None, help="the wiki corpus folder: adds each join's encyclopedic ROC AUC (the "
                    "built-in spinner on Wikipedia texts, never trained on; benchmarks/wiki_corpus.py)")
    args = ap.parse_args()
    t0 = time.time()
    if args.fast and (args.llm_expert or args.no_context or args.context_expert):
        sys.exit("error: --fast joins the context expert: it cannot go with --llm-expert, --context-expert or --no-context")
    if args.joint_expert and (args.fast or args.no_context):
        sys.exit("error: --joint-expert reads the language model's and the context statistics: it cannot go with --fast "
                 "or --no-context")
    if args.context_expert and args.no_context:
        sys.exit("error: --context-expert reads the context statistics: it cannot go with --no-context")
    para = args.para_docs if args.para_docs is not None else train_doc.SHIPPED_PARA_DOCS
    cfg = train_doc.Config(lm=not args.fast, corpus_spin_every=args.corpus_spin_every, context=not args.no_context,
                           para_docs=para, seed=args.seed)
    if args.shipped_recipe:
        cfg = train_doc.Config(para_docs=para, seed=args.seed, **({} if args.fast else train_doc.ACCURATE))
    docs = trainset.training_set(args.data, cfg, args.corpus, lambda m: print(m, file=sys.stderr))
    wiki = corpora.documents("wiki", Path(args.wiki), cfg.max_words, 2, cfg.seed) if args.wiki else []
    cache = Path(args.lm_cache) if args.lm_cache else docprep.default_lm_cache()
    everything = docs + wiki
    lm_model = None
    if not args.fast:
        from spindetect.surprisal import LanguageModel

        lm_model = LanguageModel()
    p_all = docprep.prepare(everything, lm_model, cache, lambda m: print(m, file=sys.stderr), len(everything),
                              cfg.seed, **docprep.measures(cfg, corpora.parse(args.corpus)))
    p = docprep.subset(p_all, np.arange(len(docs)))
    folds = held_out_scores(p, args.llm_expert, args.context_expert, args.joint_expert)
    # Wikipedia: the stack and experts fitted on every training document, the Wikipedia ones scored
    enc = fold_scores(p_all, np.arange(len(docs)), np.arange(len(docs), len(everything)), args.llm_expert,
                      "wiki", "wiki", args.context_expert, args.joint_expert) if wiki else None
    rows = {"stack alone": lambda f: f["stack"], "expert alone": lambda f: f["expert"]}
    for c in OFFSETS:
        rows[f"max(stack, expert - {c:g})"] = lambda f, c=c: np.maximum(f["stack"], f["expert"] - c)
    for w in SUM_WEIGHTS:
        for c in SUM_OFFSETS:
            rows[f"stack + {w:g} * max(0, expert - {c:g})"] = (
                lambda f, w=w, c=c: f["stack"] + w * np.maximum(f["expert"] - c, 0.0))
    shipped = lambda f: f["stack"] + np.maximum(f["expert"] - 1.0, 0.0)  # noqa: E731
    if args.context_expert:
        rows["context expert alone"] = lambda f: f["context"]
        for c in (1.0, 1.5, 2.0):
            rows[f"max(shipped sum, context expert - {c:g})"] = lambda f, c=c: np.maximum(shipped(f), f["context"] - c)
        for w in (0.5, 1.0):
            for c in (1.0, 2.0):
                rows[f"shipped sum + {w:g} * max(0, context expert - {c:g})"] = (
                    lambda f, w=w, c=c: shipped(f) + w * np.maximum(f["context"] - c, 0.0))
    if args.joint_expert:
        rows["joint expert alone"] = lambda f: f["joint"]
        for w, c in ((1.0, 1.0), (1.0, 0.5), (2.0, 1.0), (1.0, 1.5)):
            rows[f"stack + {w:g} * max(0, joint expert - {c:g})"] = (
                lambda f, w=w, c=c: f["stack"] + w * np.maximum(f["joint"] - c, 0.0))
        for c in (0.5, 1.0):
            rows[f"max(stack, joint expert - {c:g})"] = lambda f, c=c: np.maximum(f["stack"], f["joint"] - c)
    if args.llm_expert:
        rows["LLM expert alone"] = lambda f: f["stack"] if f["llm"] is None else f["llm"]
        for w in (0.5, 1.0):
            for c in (0.0, 1.0):
                rows[f"shipped sum + {w:g} * max(0, LLM expert - {c:g})"] = (
                    lambda f, w=w, c=c: shipped(f) + (0.0 if f["llm"] is None else w * np.maximum(f["llm"] - c, 0.0)))
    out = {k: summarise(p, folds, fn) for k, fn in rows.items()}
    if enc is not None:
        y = p_all.y[enc["te"]]
        for k, fn in rows.items():
            out[k]["encyclopedic"] = round(train_doc._auc(y, fn(enc)), 4)
    fams = list(out["stack alone"]["family"]["groups"])
    print("| combination | LOFO mean (worst) | LOFO TPR@1% | LODO mean (worst) | LODO TPR@1% | spinner (seen) in unseen "
          "domains | encyclopedic | " + " | ".join(fams) + " |")
    print("|---" * (7 + len(fams)) + "|")
    for k, r in out.items():
        f, d = r["family"], r["domain"]
        print(f"| {k} | {f['mean']:.3f} ({f['worst']:.3f}) | {f['tpr_at_fpr_1pct']:.3f} | {d['mean']:.3f} ({d['worst']:.3f}) "
              f"| {d['tpr_at_fpr_1pct']:.3f} | {r['spinner_in_unseen_domains']:.3f} | {r.get('encyclopedic', float('nan')):.3f} | "
              + " | ".join(f"{f['groups'][x][0]:.3f}" for x in fams) + " |")
    print(f"({time.time() - t0:.0f} s)", file=sys.stderr)
    if args.out:
        o = Path(args.out)
        o.mkdir(parents=True, exist_ok=True)
        (o / "metrics.json").write_text(json.dumps(out, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
