"""`spindetect info`: which model, embedder, versions and thresholds are in use."""

from __future__ import annotations

import json
from typing import Optional

import typer

from ._common import embedder_option, fail, model_option


def _versions(pkgs: tuple[str, ...]) -> dict[str, str]:
    """Installed versions, read from ``*.dist-info`` folder names on sys.path in one pass.

    ``importlib.metadata.version`` scans every path entry per package (~5 ms
    each here); one directory listing per entry is enough for `info`.
    Anything not found that way falls back to importlib.metadata.
    """
    import os
    import re
    import sys

    def canon(name: str) -> str:
        return re.sub(r"[-_.]+", "_", name).lower()

    want = {canon(p): p for p in pkgs}
    out: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for n in names:
            if n.endswith(".dist-info"):
                dist, _, ver = n[: -len(".dist-info")].rpartition("-")
                pkg = want.get(canon(dist))
                if pkg and pkg not in out:
                    out[pkg] = ver
    missing = [p for p in pkgs if p not in out]
    if missing:
        # Imported only here: importlib.metadata pulls in email and more (~45 ms).
        from importlib import metadata

        for pkg in missing:
            try:
                out[pkg] = metadata.version(pkg)
            except metadata.PackageNotFoundError:
                out[pkg] = "not installed"
    return {p: out[p] for p in pkgs}


def info(
    model_dir: Optional[str] = typer.Argument(None, metavar="[DIR]", help="Model directory to describe (instead of --model / $SPINDETECT_MODEL)."),
    model: Optional[str] = model_option(),
    embedder: Optional[str] = embedder_option("Local sentence-transformers directory."),
    as_json: bool = typer.Option(False, "--json", help="Print the information as JSON."),
) -> None:
    """Show the model directory, embedder, library versions, thresholds and artifact codes (loads no neural network)."""
    from pathlib import Path

    from .. import artifact_codes as artifacts
    from ..embed import EmbedderError
    from ..modeldir import ModelError, default_model_dir, load_manifest
    from ..version import __version__

    model = model_dir or model  # a directory named on the command line wins over $SPINDETECT_MODEL
    mdir = Path(model) if model else default_model_dir()
    try:
        manifest = load_manifest(mdir)
    except ModelError as e:
        fail(str(e))
    try:
        from ..embed import Embedder

        emb = Embedder(embedder)  # resolving the backend reads file metadata only
        edir, backend = str(emb.path), emb.backend
    except EmbedderError as e:
        edir, backend = f"unavailable ({e})", "none"
    data = {
        "spindetect": __version__,
        "model_dir": str(mdir),
        "model": {"name": manifest["name"], "version": manifest["version"]},
        "kind": manifest.get("kind", "sentence"),
        "embedder": {**manifest.get("embedder", {}), "dir": edir, "backend": backend},
        "threshold": manifest["threshold"],
        "aggregation": manifest.get("aggregation"),
        "calibration": manifest.get("calibration"),
        "held_out_metrics": _held_out(manifest),
        "trained_with": manifest.get("versions") or manifest.get("library_versions", {}),
        "installed": _versions(("sentence-transformers", "torch", "transformers", "onnxruntime", "scikit-learn", "numpy", "pysbd")),
        "artifact_codes": {c: d for c, d in artifacts.CODES},
        "other_reason_codes": {c: d for c, d in (*artifacts.OBFUSCATION_CODES, artifacts.CHAR_STYLE, artifacts.CONTEXT_MISFIT, ("lm_surprise", LM_SURPRISE))},
        "modes": _modes(),
    }
    if as_json:
        typer.echo(json.dumps(data, indent=2, sort_keys=True))
        return
    typer.echo(f"spindetect {data['spindetect']}")
    typer.echo(f"model:      {data['model']['name']} {data['model']['version']}  ({mdir})")
    if data["kind"] == "document":
        tagged = manifest.get("training", {}).get("config", {}).get("pos_tags")
        signals = ("character style" + (" with part-of-speech n-grams" if tagged else "") + " + artifacts" + (" + context fit" if any(f.startswith("ctx:") for f in manifest["features"]) else "")
                   + (" + language-model surprisal" if manifest.get("uses_lm") else ""))
        typer.echo(f"detector:   document model ({signals}); the embedder serves compare/index/find")
    else:
        typer.echo("detector:   sentence model (MiniLM embedding + artifacts)")
    typer.echo(f"embedder:   {data['embedder'].get('name', 'all-MiniLM-L6-v2')} backend={backend}  ({edir})")
    th = data["threshold"]
    typer.echo(f"threshold:  {th['value']:.4f}  — {th.get('how') or th.get('rule', '')}")
    if data["calibration"]:
        for line in _calibration_lines(data["calibration"]):
            typer.echo(line)
    if data["aggregation"]:
        typer.echo(f"aggregation: {data['aggregation'].get('method')} a={data['aggregation']['a']:.4g} b={data['aggregation']['b']:.4g}")
    for k, v in data["held_out_metrics"].items():
        typer.echo(f"held-out {k}: {v}")
    typer.echo("installed:  " + ", ".join(f"{k} {v}" for k, v in data["installed"].items()))
    typer.echo("trained with: " + ", ".join(f"{k} {v}" for k, v in sorted(data["trained_with"].items())))
    typer.echo("modes:")
    for name, m in data["modes"].items():
        typer.echo(f"  {name:<9} {m['model_dir']}" + (f"  (language model: {m['language_model']})" if "language_model" in m else ""))
    typer.echo("artifact codes:")
    for c, d in data["artifact_codes"].items():
        typer.echo(f"  {c:<22} {d}")
    for c, d in artifacts.OBFUSCATION_CODES:
        typer.echo(f"  {c:<22} {d} (a reason, not a feature column: the model sees the text undone)")
    typer.echo(f"  {artifacts.CHAR_STYLE[0]:<22} {artifacts.CHAR_STYLE[1]} (a reason, not a feature column)")
    typer.echo(f"  {artifacts.CONTEXT_MISFIT[0]:<22} {artifacts.CONTEXT_MISFIT[1]} (fast mode only; a reason, not a feature column)")
    typer.echo(f"  {'lm_surprise':<22} {LM_SURPRISE} (accurate mode only; a reason, not a feature column)")


def _calibration_lines(c: dict) -> list[str]:
    """Where a calibrated threshold came from (`spindetect calibrate`), in a few lines."""
    base, data, ti, fi = c["base_model"], c["data"], c["threshold_interval"], c["fpr_interval"]
    return [
        f"calibrated: {c['date']} on {data['n_documents']} human documents (sha256 {data['sha256']}), "
        f"FPR asked {c['fpr_requested']:g}, expected on new documents {c.get('fpr_expected_new', float('nan')):.4f}, "
        f"on these {c['fpr_achieved']:.4f} ({fi['level']:.0%} interval {fi['low']:.4f}-{fi['high']:.4f})",
        f"            threshold {ti['level']:.0%} bootstrap interval {ti['low']:.6f}-{ti['high']:.6f}; "
        f"base {base['name']} {base['version']} (manifest sha256 {base['manifest_sha256']}) "
        f"threshold {base['threshold']:.4f}, FPR {base['fpr_on_data']:.4f} on these documents",
    ]


def _held_out(manifest: dict) -> dict:
    """The manifest's held-out summary: mean leave-one-family/domain-out figures of a document model."""
    metrics = manifest.get("metrics", {})
    if "summary" in metrics:
        return metrics["summary"]
    out = {}
    for key in ("leave_one_family_out", "leave_one_domain_out"):
        if key in metrics and "mean" in metrics[key]:
            out[key.replace("_", "-")] = metrics[key]["mean"]
    return out


LM_SURPRISE = "a word the language model found very surprising in its context (a possible synonym swap)"


def _modes() -> dict:
    """Each --mode, its shipped model directory and, for accurate, whether the LM is ready (no model is loaded)."""
    from ..modeldir import MANIFEST, MODES, default_model_dir
    from ..surprisal import cache_dir, find_prepared, gguf_file, LanguageModelUnavailable

    out = {}
    for mode in MODES:
        d = default_model_dir(mode)
        out[mode] = {"model_dir": str(d) if (d / MANIFEST).is_file() else f"{d} (missing)"}
    try:
        gguf_file()
        ready = find_prepared()
        out["accurate"]["language_model"] = str(ready) if ready else f"installed, not prepared: run spindetect prepare --accurate (into {cache_dir()})"
    except LanguageModelUnavailable as e:
        out["accurate"]["language_model"] = f"not installed: {e}"
    return out
