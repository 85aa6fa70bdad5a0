"""`spindetect train`: rebuild a model directory from labeled data."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..cache import root as cache_root
from ._common import check_choice, embedder_option, fail


def train(
    data: List[str] = typer.Argument(..., metavar="DATA...", help="Pair JSONL(.gz) files (schema of shared/data) or labeled {text,label} JSONL."),
    out: str = typer.Option(..., "--out", "-o", help="Model directory to write (new, empty, or an existing model directory)."),
    kind: str = typer.Option("document", "--kind", help="document: character style + artifacts (+ LM with --lm) stacked per document (the shipped models); sentence: the earlier MiniLM sentence classifier."),
    per_dataset: int = typer.Option(300, "--per-dataset", help="[document] Pairs sampled per dataset and rewriter family."),
    max_words: int = typer.Option(300, "--max-words", help="[document] Words per document (original cut to its rewrite's length, both capped here)."),
    quick: bool = typer.Option(False, "--quick", help="[document] A small run for CI: 30 pairs per dataset and family, 6 spun and 4 edited per dataset."),
    lm_docs: int = typer.Option(7000, "--lm-docs", help="[document --lm] Documents (a seeded sample) given language-model statistics; ~0.2 s each."),
    corpus: List[str] = typer.Option([], "--corpus", metavar="NAME=DIR", help="[document] A packaged human corpus (brown, lee, wiki; bash scripts/get_corpora.sh prints the options): its texts join the training side as human documents; never tested. Repeatable."),
    corpus_spin_every: int = typer.Option(2, "--corpus-spin-every", help="[document] Every N-th text of the --corpus corpora is also spun beside it (0: none)."),
    para_docs: int = typer.Option(0, "--para-docs", help="[document] Further originals per dataset paraphrased sentence by sentence by the packaged SmolLM2 (training side only; needs `spindetect prepare --accurate`; ~0.7 s a sentence, cached in $SPINDETECT_CACHE/paraphrases)."),
    para_prompts: str = typer.Option("paraphrase", "--para-prompts", help="[document] Comma-separated prompts the --para-docs documents cycle through: paraphrase, simpler."),
    fluent_docs: int = typer.Option(0, "--fluent-docs", help="[document] Further originals per dataset rewritten by the fluent rewriter's rules (common, context-fitting synonyms; dashes and semicolons smoothed; training side only; milliseconds a document)."),
    distort: bool = typer.Option(True, "--distort/--no-distort", help="[document] The character model also reads each word distorted (letters of words outside the 300 most frequent masked) and the word 2-3-grams of the distorted words, as the shipped models do (benchmarks/README.md, \"Text distortion\")."),
    char_agree: Optional[float] = typer.Option(None, "--char-agree", help="[document] Default 0.5 (train_doc.CHAR_AGREE). The character model keeps an n-gram's weight only if at least this share of the training rewriter families holding it, each fitted alone, give it the pooled sign (0: keep every weight, as the accurate model was trained; benchmarks/README.md, \"N-grams the rewriter families agree on\")."),
    pos_tags: bool = typer.Option(False, "--pos-tags", help="[document] The character model's word n-grams also read each masked word's part of speech (\"said *NN , *VBD\"), from a tagger trained on the Brown corpus of --corpus brown=DIR (about 100 s, cached), as the accurate model does (benchmarks/README.md, \"Part-of-speech word n-grams\")."),
    lm_cache: Optional[str] = typer.Option(None, "--lm-cache", help="[document --lm] JSON cache of per-document LM statistics; default $SPINDETECT_CACHE/train-lm-stats.json."),
    max_docs: int = typer.Option(400, "--max-docs", help="Pairs sampled per dataset."),
    max_sentences: int = typer.Option(12, "--max-sentences", help="Sentences kept per document (originals cut to the rewrite's length)."),
    classifier: str = typer.Option("logistic", "--classifier", help="logistic or mlp."),
    c: float = typer.Option(0.1, "--c", help="Inverse regularisation strength."),
    top_fraction: float = typer.Option(1.0, "--top-fraction", help="Document statistic: mean of this top fraction of sentence log-odds."),
    target_fpr: float = typer.Option(0.05, "--target-fpr", help="Threshold: false-positive rate allowed on held-out originals."),
    seed: int = typer.Option(0, "--seed", help="Sampling and fitting seed."),
    spin_docs: Optional[int] = typer.Option(None, "--spin-docs", help="Further originals per dataset spun by the built-in spinner (0: none; default 80 per dataset of every domain for document, 150 per news dataset for sentence)."),
    edit_docs: Optional[int] = typer.Option(None, "--edit-docs", help="Further originals per dataset copy-edited (typos, spelling, number style, a sentence moved or cut) as label-0 documents (0: none; default 40 for document, 100 per news dataset for sentence)."),
    lm: bool = typer.Option(False, "--lm", help="Add language-model surprisal features (the accurate mode's model; needs the LM, ~400 tokens/s)."),
    embedder: Optional[str] = embedder_option("Local sentence-transformers directory."),
    cache: Optional[str] = typer.Option(None, "--cache", help="Embedding cache file (.npz); default $SPINDETECT_CACHE/train-embeddings.npz."),
    no_families: bool = typer.Option(False, "--no-families", help="Skip the leave-one-family-out table."),
) -> None:
    """Train the detector, validate leave-one-family-out and leave-one-domain-out, and write a model directory."""
    check_choice("kind", kind, ("document", "sentence"))
    for path in data:
        if not Path(path).is_file():
            fail(f"{path}: no such file")
    if kind == "document":
        cfg = _document_config(quick, per_dataset=per_dataset, max_words=max_words, spin_docs=spin_docs,
                               edit_docs=edit_docs, lm=lm, lm_docs=lm_docs, target_fpr=target_fpr, seed=seed,
                               corpus_spin_every=corpus_spin_every, para_docs=para_docs, para_prompts=para_prompts,
                               fluent_docs=fluent_docs, distort=distort, char_agree=char_agree, pos_tags=pos_tags)
        _train_document(data, out, cfg, corpus, lm_cache)
        return
    spin_docs = 150 if spin_docs is None else spin_docs
    edit_docs = 100 if edit_docs is None else edit_docs
    from ..data import DataError
    from ..embed import Embedder, EmbedderError
    from ..modeldir import ModelError
    from ..surprisal import LanguageModelUnavailable
    from ..train import TrainConfig, train as run

    check_choice("classifier", classifier, ("logistic", "mlp"))
    if not 0 < top_fraction <= 1 or not 0 < target_fpr < 1 or max_docs < 1 or max_sentences < 1 or c <= 0 or spin_docs < 0 or edit_docs < 0:
        fail("--top-fraction must be in (0, 1], --target-fpr in (0, 1), --max-docs/--max-sentences >= 1, --c > 0, --spin-docs/--edit-docs >= 0")
    cfg = TrainConfig(max_docs=max_docs, max_sentences=max_sentences, classifier=classifier, c=c,
                      top_fraction=top_fraction, target_fpr=target_fpr, seed=seed, spin_docs=spin_docs, edit_docs=edit_docs, lm=lm)
    cache_path = Path(cache) if cache else cache_root() / "train-embeddings.npz"
    try:
        # sentence-transformers (fp32) is the reference and the training path;
        # scoring may use the faster ONNX export of the same model.
        manifest = run(data, Path(out), cfg, Embedder(embedder, backend="torch"), cache_path, log=lambda m: typer.echo(m, err=True), families=not no_families)
    except (DataError, ModelError, EmbedderError, ValueError) as e:
        fail(str(e), 1)
    except LanguageModelUnavailable as e:
        fail(str(e))
    import json

    typer.echo(json.dumps(manifest["metrics"], indent=2, sort_keys=True))


def _document_config(quick: bool, *, per_dataset: int, max_words: int, spin_docs: Optional[int],
                     edit_docs: Optional[int], lm: bool, lm_docs: int, target_fpr: float, seed: int,
                     corpus_spin_every: int, para_docs: int, para_prompts: str, fluent_docs: int = 0,
                     distort: bool, char_agree: Optional[float], pos_tags: bool = False):
    """The `train_doc.Config` of `train --kind document`'s options: --quick's caps and the document defaults of
    --spin-docs / --edit-docs applied, every bound checked (a one-line error naming them otherwise)."""
    from ..augment.paraphrase import check_prompts
    from ..train_doc import CHAR_AGREE, Config

    if quick:
        per_dataset, spin_docs, edit_docs = min(per_dataset, 30), 6 if spin_docs is None else spin_docs, 4 if edit_docs is None else edit_docs
        lm_docs = min(lm_docs, 60)
        para_docs, fluent_docs = min(para_docs, 2), min(fluent_docs, 2)
    spin_docs = 80 if spin_docs is None else spin_docs
    edit_docs = 40 if edit_docs is None else edit_docs
    char_agree = CHAR_AGREE if char_agree is None else char_agree
    if (per_dataset < 1 or max_words < 15 or spin_docs < 0 or edit_docs < 0 or lm_docs < 1 or not 0 < target_fpr < 1
            or corpus_spin_every < 0 or para_docs < 0 or fluent_docs < 0 or not 0 <= char_agree <= 1):
        fail("--per-dataset must be >= 1, --max-words >= 15, --spin-docs/--edit-docs/--corpus-spin-every/--para-docs/--fluent-docs >= 0, --lm-docs >= 1, "
             "--target-fpr in (0, 1), --char-agree in [0, 1]")
    try:
        prompts = check_prompts(p.strip() for p in para_prompts.split(","))
    except ValueError as e:
        fail(str(e))
    return Config(per_dataset=per_dataset, max_words=max_words, spin_docs=spin_docs, edit_docs=edit_docs, lm=lm,
                  lm_docs=lm_docs, target_fpr=target_fpr, seed=seed, corpus_spin_every=corpus_spin_every,
                  para_docs=para_docs, para_prompts=prompts, fluent_docs=fluent_docs, distort=distort,
                  char_agree=char_agree, pos_tags=pos_tags)


def _train_document(data, out: str, cfg, corpus: List[str], lm_cache: Optional[str]) -> None:
    """Train the document model of ``cfg`` (a `train_doc.Config`) on ``data`` and the ``--corpus`` corpora into ``out``."""
    import json

    from ..corpora import CorpusError, files as corpus_files, parse as parse_corpora
    from ..data import DataError
    from ..docprep import default_lm_cache, tagger_corpus
    from ..modeldir import ModelError, check_writable
    from ..surprisal import LanguageModelUnavailable
    from ..train_doc import train as run

    try:
        corpora = parse_corpora(corpus)
        check_writable(Path(out))
        for name, folder in corpora.items():
            corpus_files(name, folder)  # a missing corpus fails here, before the data is read
        tagger_corpus(cfg, corpora)  # so does --pos-tags without the Brown corpus
        if cfg.context:
            from ..signals.context import glove_file

            glove_file()  # so do missing word vectors
    except (ModelError, CorpusError, FileNotFoundError) as e:
        fail(str(e))
    try:
        paraphraser = None
        if cfg.para_docs:
            from ..augment.paraphrase import Paraphraser, cache_file

            paraphraser = Paraphraser(cache_file(cache_root()), log=lambda m: typer.echo(m, err=True))
        model = None
        if cfg.lm:
            from ..surprisal import LanguageModel

            model = LanguageModel()
        cache = Path(lm_cache) if lm_cache else default_lm_cache()
        manifest = run(data, Path(out), cfg, model, cache, log=lambda m: typer.echo(m, err=True),
                       corpora=corpora, paraphraser=paraphraser)
    except (DataError, ModelError, ValueError) as e:
        fail(str(e), 1)
    except LanguageModelUnavailable as e:
        fail(str(e))
    typer.echo(json.dumps(manifest["metrics"], indent=2, sort_keys=True))
