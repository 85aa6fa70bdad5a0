"""`spindetect train`: rebuild a model directory from labeled data."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ._common import check_choice, fail


def train(
    data: List[str] = typer.Argument(..., metavar="DATA...", help="Pair JSONL(.gz) files (schema of shared/data) or labeled {text,label} JSONL."),
    out: str = typer.Option(..., "--out", "-o", help="Model directory to write (new, empty, or an existing model directory)."),
    max_docs: int = typer.Option(400, "--max-docs", help="Pairs sampled per dataset."),
    max_sentences: int = typer.Option(12, "--max-sentences", help="Sentences kept per document (originals cut to the rewrite's length)."),
    classifier: str = typer.Option("logistic", "--classifier", help="logistic or mlp."),
    c: float = typer.Option(0.1, "--c", help="Inverse regularisation strength."),
    top_fraction: float = typer.Option(1.0, "--top-fraction", help="Document statistic: mean of this top fraction of sentence log-odds."),
    target_fpr: float = typer.Option(0.05, "--target-fpr", help="Threshold: false-positive rate allowed on held-out originals."),
    seed: int = typer.Option(0, "--seed", help="Sampling and fitting seed."),
    spin_docs: int = typer.Option(150, "--spin-docs", help="Further originals per news dataset spun by the built-in spinner (0: none)."),
    edit_docs: int = typer.Option(100, "--edit-docs", help="Further originals per news dataset copy-edited (typos, spelling, number style, a sentence moved or cut) as label-0 documents (0: none)."),
    lm: bool = typer.Option(False, "--lm", help="Add language-model surprisal features (the accurate mode's model; needs the LM, ~400 tokens/s)."),
    embedder: Optional[str] = typer.Option(None, "--embedder", envvar="SPINDETECT_EMBEDDER", help="Local sentence-transformers directory."),
    cache: Optional[str] = typer.Option(None, "--cache", help="Embedding cache file (.npz); default ~/.cache/spindetect/train-embeddings.npz."),
    no_families: bool = typer.Option(False, "--no-families", help="Skip the leave-one-family-out table."),
) -> None:
    """Train the sentence classifier, validate on held-out datasets, and write a model directory."""
    from ..data import DataError
    from ..embed import Embedder, EmbedderError
    from ..modeldir import ModelError
    from ..surprisal import LanguageModelUnavailable
    from ..train import TrainConfig, train as run

    check_choice("classifier", classifier, ("logistic", "mlp"))
    for path in data:
        if not Path(path).is_file():
            fail(f"{path}: no such file")
    if not 0 < top_fraction <= 1 or not 0 < target_fpr < 1 or max_docs < 1 or max_sentences < 1 or c <= 0 or spin_docs < 0 or edit_docs < 0:
        fail("--top-fraction must be in (0, 1], --target-fpr in (0, 1), --max-docs/--max-sentences >= 1, --c > 0, --spin-docs/--edit-docs >= 0")
    cfg = TrainConfig(max_docs=max_docs, max_sentences=max_sentences, classifier=classifier, c=c,
                      top_fraction=top_fraction, target_fpr=target_fpr, seed=seed, spin_docs=spin_docs, edit_docs=edit_docs, lm=lm)
    cache_path = Path(cache) if cache else Path.home() / ".cache" / "spindetect" / "train-embeddings.npz"
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
