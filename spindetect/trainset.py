"""The training set `spindetect train` builds: the shared data's files, the packaged corpora, generated documents.

The documents themselves are made by :mod:`spindetect.docset` (pairs, spinner, copy editor, SmolLM2
paraphrases, the fluent rewriter's documents) and :mod:`spindetect.corpora`; this module reads the files and puts them together for
:mod:`spindetect.train_doc` and the benchmarks. ``cfg`` is a :class:`spindetect.train_doc.Config`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from . import docset

#: The files of ../shared/data the shipped document models train on (benchmarks use the same list).
TRAINING_FILES = ("llmfake", "sheepdog_politifact", "f3", "hppt", "detectrl_paraphrase_nonnews", "human_paraphrase_pairs",
                  "padben_sentences")


def training_files(data_dir: str | Path) -> list[Path]:
    """The paths of ``TRAINING_FILES`` in a shared-data folder."""
    return [Path(data_dir) / f"{name}.jsonl.gz" for name in TRAINING_FILES]


def build_documents(data: Sequence[str | Path], cfg, paraphraser=None) -> list[docset.Doc]:
    """Read the data files and build the documents of ``cfg`` (``paraphraser``: for ``cfg.para_docs``)."""
    from .data import read_training_file

    pairs, texts = [], []
    for f in data:
        a, b = read_training_file(f)
        pairs += a
        texts += b
    return docset.build(pairs, texts, per_dataset=cfg.per_dataset, max_words=cfg.max_words,
                        spin_docs=cfg.spin_docs, edit_docs=cfg.edit_docs, seed=cfg.seed,
                        para_docs=cfg.para_docs, paraphraser=paraphraser, para_prompts=cfg.para_prompts,
                        fluent_docs=cfg.fluent_docs, fluent_vectors=_vectors() if cfg.fluent_docs else None)


def _vectors():
    from .signals import context

    return context.packaged_vectors()


def corpus_documents(corpora: dict[str, Path], cfg, log: Callable = print) -> tuple[list[docset.Doc], dict]:
    """The documents of the packaged corpora (spindetect/corpora.py; training side only) and what the manifest says."""
    from . import corpora as packaged

    docs, extra = [], {}
    for name, folder in sorted(corpora.items()):
        more = packaged.documents(name, Path(folder), cfg.max_words, cfg.corpus_spin_every, cfg.seed)
        extra[name] = {"package": packaged.CORPORA[name].package, "documents": len(more),
                       "spun": sum(d.label for d in more), "note": "training side only: never in a validation test set"}
        docs += more
        log(f"+ {len(more)} documents of the {name} corpus ({extra[name]['spun']} spun), training side only")
    return docs, extra


def training_set(data_dir: str | Path, cfg, corpus_specs: Sequence[str] = (),
                 log: Callable = print, paraphraser=None) -> list[docset.Doc]:
    """The documents `spindetect train` builds from the shared data folder and ``--corpus NAME=DIR`` options; with
    ``cfg.para_docs``, SmolLM2 paraphrases by ``paraphraser``, by default from the cache only (a sentence missing
    there stays as it is)."""
    from . import corpora

    if cfg.para_docs and paraphraser is None:
        from .augment.paraphrase import Paraphraser, cache_file
        from .cache import root

        paraphraser = Paraphraser(cache_file(root()), log, cached_only=True)
    docs = build_documents(training_files(data_dir), cfg, paraphraser)
    return docs + corpus_documents(corpora.parse(corpus_specs), cfg, log)[0]
