"""Train the document model (:mod:`spindetect.signals.docmodel`) and validate it on what it never saw.

Steps: length-matched documents from the shared data plus augmentation
(:mod:`spindetect.docset`), each measured once (:mod:`spindetect.docprep`);
the character model's out-of-fold log-odds (``OOF_FOLDS`` folds of original
groups; each fit keeps only the n-grams the training families agree on,
``Config.char_agree``); a logistic stack over those features. Validation refits everything
inside each fold:

- leave-one-family-out: train without one rewriter family, test that family
  against the human originals of the datasets it rewrote;
- leave-one-domain-out: train without one domain (news, abstract, arxiv,
  story, review), test every document of it;

each on both halves of a split by original (a held-out original is never in
training), with ROC AUC and TPR at 1 % FPR per fold. The threshold is the
``1 - target_fpr`` quantile of the held-out human documents' scores pooled over
both validations' folds, so it is chosen on text the model did not see (from an
unseen domain, or beside an unseen rewriter family), never on the final fit.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from . import docset, trainset
from .docprep import Prepared, measures, prepare
from .metrics import tpr_at_fpr
from .signals import charstyle, docmodel, postag

OOF_FOLDS = 3
#: Inverse L2 strength of the stack and of the character model: the char value
#: is the prototype's (FINDINGS.md); the stack's was set once and not tuned.
STACK_C = 0.3
CHAR_C = 4.0
#: The character model keeps an n-gram's weight only if at least this share of the training rewriter families
#: whose documents hold it give it the pooled model's sign, each family fitted alone against the human originals of
#: its datasets (an invariance mask; benchmarks/README.md, "N-grams the rewriter families agree on"): the default of
#: ``Config.char_agree`` (`train --char-agree`). 0 keeps every weight, as the accurate model is trained.
CHAR_AGREE = 0.5
#: A family is fitted alone for that only with at least this many documents on each side.
AGREE_MIN_DOCS = 10
FAMILIES = ("llm-paraphrase", "llm-polish", "back-translation", "dipper", "mixed-paraphrase", "spinner")
DOMAINS = ("news", "abstract", "arxiv", "story", "review")


#: SmolLM2-paraphrased originals per dataset in both shipped models' training (`--para-docs`; benchmarks measure with
#: them; benchmarks/README.md, "Text distortion").
SHIPPED_PARA_DOCS = 60


def against_humans(family: np.ndarray, y: np.ndarray, dataset: np.ndarray, f: str) -> np.ndarray:
    """Mask of family ``f``'s documents and the human originals of the datasets it rewrote (how a family is tested)."""
    return (family == f) | ((y == 0) & (family == "human") & np.isin(dataset, np.unique(dataset[family == f])))


@dataclass(frozen=True)
class Config:
    per_dataset: int = 300
    max_words: int = 300
    spin_docs: int = 80
    edit_docs: int = 40
    lm: bool = False
    #: Documents given LM statistics (a seeded sample; ~0.2 s a document on 2 cores).
    lm_docs: int = 7000
    #: With extra corpora (train(corpora=...)): every n-th of their texts is also spun (0: none).
    corpus_spin_every: int = 2
    #: Originals per dataset paraphrased by SmolLM2 (docset.build; training side only).
    para_docs: int = 0
    para_prompts: tuple = ("paraphrase",)
    #: Originals per dataset rewritten by augment/fluent.py's rules (docset.build; training side only).
    fluent_docs: int = 0
    target_fpr: float = 0.05
    seed: int = 0
    #: The context statistics (signals/context.py) in the stack; in fast mode also their expert.
    context: bool = True
    #: The character model reads each word's distorted view too (charstyle.distort; benchmarks/README.md, "Text
    #: distortion"), as both shipped models do.
    distort: bool = True
    #: The character model's agreement share (CHAR_AGREE; 0: every n-gram keeps its weight).
    char_agree: float = CHAR_AGREE
    #: The character model's word n-grams also read each masked word's part of speech (signals/postag.py, a tagger
    #: trained on the Brown corpus given as a corpus; benchmarks/README.md, "Part-of-speech word n-grams"), as the
    #: accurate model does.
    pos_tags: bool = False


#: What the accurate model's recipe changes from Config's defaults (the fast model's): `train --lm
#: --corpus-spin-every 0 --char-agree 0 --pos-tags` (models/spindetect-accurate/MODEL_CARD.md); benchmarks that measure
#: "the accurate recipe" build their Config from this.
ACCURATE = {"lm": True, "corpus_spin_every": 0, "char_agree": 0.0, "pos_tags": True}


def _fit_char(p: Prepared, idx: np.ndarray) -> charstyle.CharStyle:
    return _agreed(p, idx, charstyle.fit_counts(p.counts[idx], p.y[idx], c=CHAR_C, keep=p.keep, tagger=p.tagger),
                   p.agree)


def _agreed(p: Prepared, idx: np.ndarray, pooled: charstyle.CharStyle, share: float,
            sets: list[np.ndarray] | None = None) -> charstyle.CharStyle:
    """``pooled`` (fitted on ``idx``) with the n-grams fewer than ``share`` of the families of ``idx`` give its sign
    set to 0; ``pooled`` itself when ``share`` is 0 or no family is large enough to be fitted alone. ``sets``
    replaces the families by other groups of ``idx`` (index arrays; benchmarks/sign_consistent.py ``--envs``)."""
    sets = (_family_sets(p, idx) if sets is None else sets) if share > 0 else []
    if not sets:
        return pooled
    families = [charstyle.fit_counts(p.counts[f], p.y[f], c=CHAR_C, keep=p.keep).weights for f in sets]
    return replace(pooled, weights=charstyle.agreeing(pooled.weights, families, share))


def _family_sets(p: Prepared, idx: np.ndarray) -> list[np.ndarray]:
    """Each rewriter family of the documents ``idx`` with the human originals of its datasets (indices), where both
    sides have at least AGREE_MIN_DOCS documents."""
    fam, y, ds = p.family[idx], p.y[idx], p.dataset[idx]
    return _sided(p, idx, [against_humans(fam, y, ds, f) for f in np.unique(fam[y == 1])])


def _sided(p: Prepared, idx: np.ndarray, masks: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The documents of ``idx`` under each mask (over ``idx``) whose both sides have at least AGREE_MIN_DOCS."""
    y = p.y[idx]
    return [idx[m] for m in masks if min((y[m] == 0).sum(), (y[m] == 1).sum()) >= AGREE_MIN_DOCS]


def _char_logits(p: Prepared, model: charstyle.CharStyle, idx: np.ndarray) -> np.ndarray:
    if p.keep != model.keep:
        raise ValueError("the documents' n-grams were counted " + ("with" if p.keep else "without")
                         + " the distorted view the character model " + ("lacks" if p.keep else "reads")
                         + ": prepare them with the model's keep words")
    if (p.tagger is None) != (model.tagger is None):
        raise ValueError("the documents' n-grams were counted " + ("without" if p.tagger is None else "with")
                         + " the tagged view the character model " + ("reads" if p.tagger is None else "lacks")
                         + ": prepare them with the model's tagger")
    return charstyle.tfidf(p.counts[idx], model.idf) @ model.weights + model.bias


def _oof_char(p: Prepared, idx: np.ndarray) -> np.ndarray:
    """Character log-odds of each training document from a model that did not see its original."""
    out = np.zeros(len(idx))
    fold = np.array([int(p.group[i][:6], 16) % OOF_FOLDS for i in idx])
    for k in range(OOF_FOLDS):
        te = fold == k
        if len(set(p.y[idx[~te]].tolist())) == 2:  # (a tiny training set may leave one class; then log-odds 0)
            out[te] = _char_logits(p, _fit_char(p, idx[~te]), idx[te])
    return out


def _rows(p: Prepared, idx: np.ndarray, char: np.ndarray, lex_ref, lm_ref, ctx_ref=(None, None)) -> np.ndarray:
    """Feature rows in ``docmodel.feature_names`` order (the scoring path's ``docmodel.features``, vectorised)."""
    lex = p.lex[idx]
    x = np.hstack([char[:, None], p.art[idx], lex, docmodel.two_sided(lex, *lex_ref)])
    for name, block, ref in (("language-model", p.lm, lm_ref), ("context", p.ctx, ctx_ref)):
        if ref[0] is not None:
            if block is None:
                raise ValueError(f"the model reads {name} statistics; the documents were prepared without them")
            b = _filled(block[idx], ref[0])
            x = np.hstack([x, b, docmodel.two_sided(b, *ref)])
    return x


def _filled(x: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Missing statistics (NaN) as the human mean: no evidence either way, as at scoring time."""
    return np.where(np.isnan(x), mean, x)


def _reference(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Human mean and standard deviation of each column (the two-sided features' origin and unit; NaN ignored, and a
    column no human document has a value in is 0 +- 1e-6: no evidence)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "mean of empty slice" for such a column
        mean, std = np.nanmean(x, axis=0), np.nanstd(x, axis=0)
    return np.nan_to_num(mean, nan=0.0), np.nan_to_num(std, nan=0.0) + 1e-6


def fit(p: Prepared, idx: np.ndarray, lm: bool, seed: int = 0, signals: Sequence[str] | None = None) -> docmodel.DocumentModel:
    """Fit the character model and the stack on documents ``idx``.

    ``signals`` (feature-name prefixes such as ``char``, ``lex``, ``strong``)
    restricts the stack to those columns, the others getting weight 0: the
    per-signal rows of benchmarks/signals.py.
    """
    from sklearn.linear_model import LogisticRegression

    idx = np.asarray(idx)
    if lm:
        if p.lm is None:
            raise ValueError("an LM stack needs documents prepared with the language model")
        idx = idx[~np.isnan(p.lm[idx]).any(axis=1)]  # documents the LM could not score (empty) are left out
    human = idx[p.y[idx] == 0]
    lex_ref = _reference(p.lex[human])
    lm_ref = _reference(p.lm[human]) if lm else (None, None)
    ctx = p.ctx is not None
    ctx_ref = _reference(p.ctx[human]) if ctx else (None, None)
    x = _rows(p, idx, _oof_char(p, idx), lex_ref, lm_ref, ctx_ref)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-8] = 1.0
    z = (x - mean) / scale
    names = docmodel.feature_names(lm, ctx)
    strong = np.array([n.startswith("strong:") for n in names])
    keep = np.ones(len(names), dtype=bool)
    if signals is not None:
        keep = np.array([n.split(":", 1)[0] in signals for n in names])
    # A strong code is evidence of rewriting by design; a negative weight would
    # come from the one or two human documents it fired in, so such a code is
    # dropped (weight 0) and the stack refitted without it.
    for _ in range(int(strong.sum()) + 1):
        m = LogisticRegression(C=STACK_C, max_iter=5000, random_state=seed).fit(z[:, keep], p.y[idx])
        coef = np.zeros(len(names))
        coef[keep] = m.coef_[0]
        negative = strong & keep & (coef < 0)
        if not negative.any():
            break
        keep &= ~negative
    model = docmodel.DocumentModel(
        char=_fit_char(p, idx), names=tuple(names), mean=mean, scale=scale,
        coef=coef, bias=float(m.intercept_[0]), rule=docmodel.fit_rule(p.strong[idx], p.y[idx]) if signals is None or "strong" in signals else docmodel.StrongRule(), lex_mean=lex_ref[0], lex_scale=lex_ref[1],
        lm_mean=lm_ref[0], lm_scale=lm_ref[1], vectors=p.vectors if ctx else None, ctx_mean=ctx_ref[0],
        ctx_scale=ctx_ref[1],
    )
    if signals is None:
        model = replace(model, **{name: _fit_expert(p, idx, model, name, seed)
                                  for name in docmodel.fitted_experts(lm, ctx)})
    return model


def expert_z(p: Prepared, model: docmodel.DocumentModel, name: str, idx=slice(None)) -> np.ndarray:
    """The statistics expert ``name`` reads, of documents ``idx``, in the model's human standard deviations."""
    if docmodel.EXPERT_SOURCE[name] == "lm":
        return (_filled(p.lm[idx], model.lm_mean) - model.lm_mean) / model.lm_scale
    return (_filled(p.ctx[idx], model.ctx_mean) - model.ctx_mean) / model.ctx_scale


def _fit_expert(p: Prepared, idx: np.ndarray, stack: docmodel.DocumentModel, name: str,
                seed: int) -> docmodel.Expert | None:
    """Expert ``name`` (docmodel.EXPERT_FAMILIES): its families' output in ``idx`` against the human documents.

    With none of its families in ``idx``: an expert named in ``docmodel.EXPERT_ZERO_SHOT`` is zero-shot (the z-score
    of that statistic), any other is None.
    """
    from sklearn.linear_model import LogisticRegression

    human = idx[p.y[idx] == 0]
    rewritten = idx[np.isin(p.family[idx], docmodel.EXPERT_FAMILIES[name])]
    z = expert_z(p, stack, name)
    names = docmodel.source_names(name)
    k = len(names)
    if len(rewritten):
        both = np.concatenate([human, rewritten])
        m = LogisticRegression(C=STACK_C, max_iter=5000, random_state=seed).fit(
            np.hstack([z[both], z[both] ** 2]), p.y[both])
        coef, bias, kind = m.coef_[0], float(m.intercept_[0]), "fitted"
    elif name in docmodel.EXPERT_ZERO_SHOT:
        coef, bias, kind = np.zeros(2 * k), 0.0, "zero-shot"
        coef[names.index(docmodel.EXPERT_ZERO_SHOT[name])] = 1.0
    else:
        return None
    e = np.hstack([z[human], z[human] ** 2]) @ coef + bias
    sh = _stack_logits(p, stack, human)
    join, weight, offset = docmodel.EXPERT_JOIN.get(name, ("sum", docmodel.EXPERT_WEIGHT, docmodel.EXPERT_OFFSET))
    return docmodel.Expert(coef, bias, float(e.mean()), float(e.std() + 1e-9), float(sh.std() + 1e-9), weight, offset,
                           kind, names, join, float(sh.mean()))


def _stack_logits(p: Prepared, model: docmodel.DocumentModel, idx: np.ndarray) -> np.ndarray:
    x = _rows(p, idx, _char_logits(p, model.char, idx), (model.lex_mean, model.lex_scale), (model.lm_mean, model.lm_scale),
              (model.ctx_mean, model.ctx_scale))
    return ((x - model.mean) / model.scale) @ model.coef + model.bias


def predict(p: Prepared, model: docmodel.DocumentModel, idx: np.ndarray) -> np.ndarray:
    """Document log-odds of ``idx``, experts and strong rule applied (the scoring path's arithmetic, vectorised)."""
    stack = logit = _stack_logits(p, model, idx)
    for name, e in model.experts().items():
        logit = logit + e.bonus(e.score(expert_z(p, model, name, idx)), stack)
    rule = model.rule
    if rule.codes and rule.min_hits:
        n = p.strong[idx][:, [docmodel.STRONG_CODES.index(c) for c in rule.codes]].sum(axis=1)
        floor = np.log(rule.score / (1.0 - rule.score))
        logit = np.where(n >= rule.min_hits, np.maximum(logit, floor), logit)
    return logit


def folds(p: Prepared, by: str, h: int) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(name, train, test) index arrays of one half ``h`` of the split by original."""
    out = []
    # Documents of other domains (the extra corpora: spindetect/corpora.py) and generated training-only
    # datasets are training material, never tested.
    testable = np.isin(p.domain, DOMAINS) & ~np.isin(p.dataset, docset.TRAINING_ONLY_DATASETS)
    if by == "family":
        for f in FAMILIES:
            if not (p.family == f).any():
                continue
            test = against_humans(p.family, p.y, p.dataset, f) & testable
            train = (p.half != h) & ~np.isin(p.family, (f, *docset.DERIVED_FAMILIES.get(f, ())))
            out.append((f, np.where(train)[0], np.where((p.half == h) & test)[0]))
    elif by == "domain":
        for d in DOMAINS:
            if not (p.domain == d).any():
                continue
            out.append((d, np.where((p.half != h) & (p.domain != d))[0], np.where((p.half == h) & (p.domain == d) & testable)[0]))
    else:
        raise ValueError(f"unknown split {by!r}; expected one of: family, domain")
    return out


def _auc(y, s) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, s)) if len(set(y.tolist())) == 2 else float("nan")


def validate(p: Prepared, by: str, lm: bool, log: Callable = print,
             signals: Sequence[str] | None = None) -> tuple[dict, np.ndarray, np.ndarray]:
    """Per held-out group: ROC AUC and TPR at 1 % FPR (mean over the two halves); also every held-out (index, logit)."""
    per: dict[str, list] = {}
    all_idx, all_s = [], []
    for h in (0, 1):
        for name, tr, te in folds(p, by, h):
            if lm:
                te = te[~np.isnan(p.lm[te]).any(axis=1)]
                tr = tr[~np.isnan(p.lm[tr]).any(axis=1)]
            if len(set(p.y[tr].tolist())) < 2 or len(set(p.y[te].tolist())) < 2 or len(tr) < 2 * OOF_FOLDS:
                log(f"  {name:<18} skipped in half {h}: training or test set lacks one class")
                continue
            s = predict(p, fit(p, tr, lm, signals=signals), te)
            per.setdefault(name, []).append((_auc(p.y[te], s), tpr_at_fpr(p.y[te], s, 0.01)["tpr"] or 0.0, len(te)))
            all_idx.append(te)
            all_s.append(s)
    table = {}
    for name, v in per.items():
        a = np.array(v)
        table[name] = {"roc_auc": round(float(np.nanmean(a[:, 0])), 4), "tpr_at_fpr_1pct": round(float(np.mean(a[:, 1])), 4),
                       "n_docs": int(a[:, 2].sum())}
        log(f"  {name:<18} ROC AUC {table[name]['roc_auc']:.3f}  TPR@1%FPR {table[name]['tpr_at_fpr_1pct']:.3f}  ({table[name]['n_docs']} docs)")
    aucs = [t["roc_auc"] for t in table.values()]
    if not aucs:
        return table, np.zeros(0, dtype=int), np.zeros(0)
    table["mean"] = {"roc_auc": round(float(np.mean(aucs)), 4), "min_roc_auc": round(float(np.min(aucs)), 4),
                     "tpr_at_fpr_1pct": round(float(np.mean([t["tpr_at_fpr_1pct"] for t in table.values()])), 4)}
    log(f"  {'mean':<18} ROC AUC {table['mean']['roc_auc']:.3f}  (worst {table['mean']['min_roc_auc']:.3f})")
    return table, np.concatenate(all_idx), np.concatenate(all_s)


def _fpr_at(p: Prepared, idx: np.ndarray, logits: np.ndarray, mask: np.ndarray, threshold: float) -> dict:
    sel = mask[idx]
    probs = 1.0 / (1.0 + np.exp(-logits[sel]))
    return {"fpr": round(float((probs >= threshold).mean()), 4) if sel.any() else None, "n_docs": int(sel.sum())}


def train(
    data: Sequence[str | Path],
    out: Path,
    cfg: Config,
    lm_model=None,
    lm_cache: Path | None = None,
    log: Callable = print,
    corpora: dict[str, Path] | None = None,
    paraphraser=None,
) -> dict:
    """Build documents, validate leave-one-family-out and leave-one-domain-out, fit on all, save ``out``.

    ``corpora``: corpus name -> folder (spindetect/corpora.py); their texts join the training side only.
    Returns the manifest written.
    """
    from . import modeldir
    from .augment.fluent import describe as fluent_record
    from .augment.paraphrase import describe as paraphrase_record
    from .version import __version__

    t0 = time.time()
    docs = trainset.build_documents(data, cfg, paraphraser)
    if len({d.label for d in docs}) < 2:
        raise ValueError("training needs both human (0) and machine-rewritten (1) documents")
    log(f"{len(docs)} documents ({sum(d.label for d in docs)} rewritten) from {len(data)} file(s)")
    more, extra = trainset.corpus_documents(corpora or {}, cfg, log)
    docs += more
    p = prepare(docs, lm_model if cfg.lm else None, lm_cache, log, cfg.lm_docs, cfg.seed,
                **measures(cfg, corpora, log))
    log("leave-one-family-out:")
    by_family, f_idx, f_logit = validate(p, "family", cfg.lm, log)
    log("leave-one-domain-out:")
    by_domain, d_idx, d_logit = validate(p, "domain", cfg.lm, log)
    # Every held-out score, from both splits: a human document of an unseen
    # domain and one of a seen domain beside an unseen rewriter family.
    d_idx, d_logit = np.concatenate([f_idx, d_idx]), np.concatenate([f_logit, d_logit])
    human = p.y[d_idx] == 0
    probs = 1.0 / (1.0 + np.exp(-d_logit))
    if human.any():
        threshold = float(np.quantile(probs[human], 1.0 - cfg.target_fpr))
        rule = (f"{1 - cfg.target_fpr:.2f} quantile of held-out human documents' scores "
                f"(leave-one-family-out and leave-one-domain-out folds, both halves: {int(human.sum())} scores)")
    else:
        threshold, rule = 0.5, "0.5: no domain could be held out (one domain in the data), so no held-out human scores"
        log("warning: " + rule)
    edited = _fpr_at(p, d_idx, d_logit, p.dataset == "edited", threshold)
    paraphrase = _fpr_at(p, d_idx, d_logit, p.family == "human-paraphrase", threshold)
    log(f"threshold {threshold:.4f} (held-out human documents, {cfg.target_fpr:.0%} FPR); "
        f"copy-edited flagged {edited['fpr']}, human paraphrases flagged {paraphrase['fpr']}")
    model = fit(p, np.arange(len(docs)), cfg.lm, cfg.seed)
    counts: dict[str, int] = {}
    for d in docs:
        key = f"{d.dataset}/{d.family}/{d.label}"
        counts[key] = counts.get(key, 0) + 1
    manifest = {
        "name": Path(out).name,
        "version": __version__,
        "kind": "document",
        "features": list(model.names),
        "threshold": {"value": threshold, "rule": rule, "target_fpr": cfg.target_fpr},
        "uses_lm": cfg.lm,
        "training": {"files": [Path(f).name for f in data], "extra_corpora": extra, "config": cfg.__dict__,
                     "character_model": {"c": CHAR_C, **({"pos_tagger": postag.describe(model.char.tagger)}
                                                         if model.char.tagger is not None else {})},
                     **({"paraphrases": paraphrase_record(cfg.para_docs, cfg.para_prompts)} if cfg.para_docs else {}),
                     **({"fluent_rewrites": fluent_record(cfg.fluent_docs)} if cfg.fluent_docs else {}),
                     "documents": counts,
                     "seconds": round(time.time() - t0, 1)},
        "metrics": {"leave_one_family_out": by_family, "leave_one_domain_out": by_domain,
                    "flagged_copy_edited": edited, "flagged_human_paraphrases": paraphrase},
        "weights": {k: round(v, 6) for k, v in model.input_weights().items()},
        "strong_rule": model.rule.to_dict(),
        **{f"{name}_expert": e.to_dict() | {"families": list(docmodel.EXPERT_FAMILIES[name])}
           for name, e in model.experts().items()},
        "library_versions": _versions(),
    }
    modeldir.save_document(Path(out), model, manifest)
    log(f"wrote {out} ({time.time() - t0:.0f} s)")
    return manifest


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in ("numpy", "scikit-learn", "scipy", "wordfreq", "pysbd", "torch", "transformers"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            pass
    return out
