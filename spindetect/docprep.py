"""Measure documents once for training and validation (the stage before :mod:`spindetect.train_doc` fits anything).

Per document: its normalised sentences, artifact hits and strong-code counts, lexical statistics, hashed character
n-gram counts, and, when asked, language-model statistics (cached on disk by the hash of the LM's input) and the
context statistics of :mod:`spindetect.signals.context`. Everything after this reads the :class:`Prepared` arrays;
nothing measures a document again.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from . import artifacts, docset
from .segment import segment
from .signals import charstyle, context, docmodel, lexical, postag

#: The per-document LM statistics cache, in the cache root.
LM_CACHE_NAME = "train-lm-stats.json"


def default_lm_cache() -> Path:
    from .cache import root

    return root() / LM_CACHE_NAME


@dataclass
class Prepared:
    docs: list
    y: np.ndarray
    family: np.ndarray
    dataset: np.ndarray
    domain: np.ndarray
    group: np.ndarray
    half: np.ndarray
    texts: list
    art: np.ndarray
    #: Uncapped hit counts of docmodel.STRONG_CODES (for the strong rule).
    strong: np.ndarray
    lex: np.ndarray
    counts: object
    lm: np.ndarray | None
    #: signals/context.py statistics (NaN rows: too few content words) and the vectors they came from, or None.
    ctx: np.ndarray | None = None
    vectors: context.ContextVectors | None = None
    #: The words the character n-grams' distorted view keeps (charstyle.distort), or None: plain n-grams only.
    keep: frozenset[str] | None = None
    #: How the character model is fitted on these documents: the share of training families that must give an n-gram
    #: the pooled sign for it to keep its weight (train_doc.Config.char_agree; 0: every weight kept).
    agree: float = 0.0
    #: The part-of-speech tagger of the n-grams' tagged view (signals/postag.py), or None: no tagged view counted.
    tagger: postag.Tagger | None = None


def prepare(docs: Sequence[docset.Doc], lm_model=None, lm_cache: Path | None = None, log: Callable = print,
            lm_docs: int = 0, seed: int = 0, vectors: context.ContextVectors | None = None,
            keep: frozenset[str] | None = None, agree: float = 0.0, tagger: postag.Tagger | None = None) -> Prepared:
    """Measure every document once: sentences, artifacts, n-gram counts (with their distorted view given ``keep``,
    their tagged view given ``tagger`` too), LM statistics of ``lm_docs`` of them and (given ``vectors``) the context
    statistics. :func:`measures` gives ``vectors``, ``keep``, ``agree`` and ``tagger`` of a training configuration."""
    t0 = time.time()
    texts, art, lex, strong = [], [], [], []
    sents_all = []
    for d in docs:
        norms = [s.norm for s in segment(d.text)]
        sents_all.append(norms)
        texts.append(" ".join(norms))
        hits = artifacts.detect(norms)
        art.append(docmodel.artifact_columns(hits))
        strong.append([sum(1 for hs in hits for h in hs if h.code == c) for c in docmodel.STRONG_CODES])
        lex.append(lexical.features(norms))
    log(f"segmented and scanned {len(docs)} documents ({time.time() - t0:.0f} s)")
    counts = charstyle.count_matrix(texts, keep, tagger)
    lm = None
    if lm_model is not None:
        chosen = np.zeros(len(docs), dtype=bool)
        chosen[np.random.RandomState(seed + 1).choice(len(docs), size=min(lm_docs, len(docs)), replace=False)] = True
        lm = _lm_statistics([s if c else None for s, c in zip(sents_all, chosen)], lm_model, lm_cache, log)
    ctx = context.statistics_matrix(vectors, sents_all) if vectors is not None else None
    return Prepared(
        docs=list(docs), y=np.array([d.label for d in docs]), family=np.array([d.family for d in docs]),
        dataset=np.array([d.dataset for d in docs]), domain=np.array([d.domain for d in docs]),
        group=np.array([d.group for d in docs]), half=np.array([int(d.group, 16) % 2 for d in docs]),
        texts=texts, art=np.array(art), strong=np.array(strong, dtype=np.int64).reshape(-1, len(docmodel.STRONG_CODES)), lex=np.array(lex, dtype=np.float64), counts=counts, lm=lm,
        ctx=ctx, vectors=vectors, keep=keep, agree=agree, tagger=tagger,
    )


def measures(cfg, corpora: dict[str, Path] | None = None, log: Callable = print) -> dict:
    """What a training configuration (``train_doc.Config``: its ``context``, ``distort``, ``char_agree`` and
    ``pos_tags``) asks :func:`prepare` to measure besides the fixed signals, the word vectors, the distorted n-grams'
    kept words and the tagger of their tagged view (trained on the Brown corpus of ``corpora``:
    :func:`tagger_corpus`), and how the character model will be fitted on them."""
    return {"vectors": context.packaged_vectors() if cfg.context else None,
            "keep": charstyle.keep_words() if cfg.distort else None, "agree": cfg.char_agree,
            "tagger": postag.brown_tagger(tagger_corpus(cfg, corpora), log=log) if cfg.pos_tags else None}


def tagger_corpus(cfg, corpora: dict[str, Path] | None) -> Path | None:
    """The Brown corpus folder a configuration's part-of-speech tagger is trained on (None when it has none);
    CorpusError naming the option when ``cfg.pos_tags`` asks for one and ``corpora`` lacks it."""
    from .corpora import CorpusError

    if not cfg.pos_tags:
        return None
    if not cfg.distort:
        raise CorpusError("--pos-tags tags the distorted view's word n-grams: it needs --distort")
    if "brown" not in (corpora or {}):
        raise CorpusError("--pos-tags trains its tagger on the Brown corpus: give --corpus brown=DIR "
                          "(bash scripts/get_corpora.sh brown prints it)")
    return corpora["brown"]


def subset(p: Prepared, idx: np.ndarray) -> Prepared:
    """The documents ``idx`` of ``p``, with everything measured for them (nothing is measured again)."""
    idx = np.asarray(idx, dtype=int)
    take = lambda a: None if a is None else a[idx]  # noqa: E731
    return Prepared(
        docs=[p.docs[k] for k in idx], y=p.y[idx], family=p.family[idx], dataset=p.dataset[idx],
        domain=p.domain[idx], group=p.group[idx], half=p.half[idx], texts=[p.texts[k] for k in idx],
        art=p.art[idx], strong=p.strong[idx], lex=p.lex[idx], counts=p.counts[idx], lm=take(p.lm), ctx=take(p.ctx),
        vectors=p.vectors, keep=p.keep, agree=p.agree, tagger=p.tagger,
    )


def _lm_key(sentences: Sequence[str]) -> str:
    text = docmodel.lm_input(sentences)
    return f"ctx{docmodel.LM_DOC_TOKENS}:" + hashlib.sha1(text.encode("utf-8")).hexdigest()


def _lm_statistics(sents_all, lm_model, cache: Path | None, log: Callable) -> np.ndarray:
    """LM statistics per document (NaN rows for None entries and empty ones), cached by the hash of the LM's input."""
    known: dict[str, list] = {}
    if cache and cache.is_file():
        known = json.loads(cache.read_text(encoding="utf-8"))
    out = np.full((len(sents_all), len(docmodel.LM_NAMES)), np.nan)
    t0, new = time.time(), 0
    for k, sents in enumerate(sents_all):
        if sents is None:  # not in the LM sample
            continue
        key = _lm_key(sents)
        if key not in known:
            stats = docmodel.document_lm_statistics(lm_model, sents)
            known[key] = None if stats is None else [float(v) for v in stats]
            new += 1
            if cache and new % 100 == 0:
                _write_json(cache, known)
                log(f"  language model: {k + 1}/{len(sents_all)} documents ({time.time() - t0:.0f} s)")
        if known[key] is not None:
            out[k] = known[key]
    if cache and new:
        _write_json(cache, known)
    return out


def _write_json(path: Path, obj) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(obj), encoding="utf-8")
    tmp.replace(path)
