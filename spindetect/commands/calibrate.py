"""`spindetect calibrate`: a threshold for your domain from texts you know are human."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ._common import (
    EXIT_OK, EXIT_SOME_FAILED, error, fail, load_detector, max_bytes_option, mode_option, model_for, model_option, warn,
)


def calibrate(
    paths: List[str] = typer.Argument(..., metavar="HUMAN_TEXTS...", help="Texts known to be human: files, directories, JSONL files, or - for stdin (read as by score)."),
    out: str = typer.Option(..., "--out", "-o", help="New model directory to write (a copy of the model with the calibrated threshold)."),
    fpr: float = typer.Option(0.01, "--fpr", help="False-positive rate wanted on new human texts like these, in (0, 0.5]."),
    model: Optional[str] = model_option("Model directory to calibrate (default: the shipped model of --mode)."),
    mode: str = mode_option(),
    force: bool = typer.Option(False, "--force", help="Replace --out if it is an existing model directory."),
    resamples: int = typer.Option(1000, "--resamples", help="Bootstrap resamples for the threshold's interval."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap."),
    html: Optional[bool] = typer.Option(None, "--html/--no-html", help="Treat inputs as HTML pages (default: detect by content)."),
    jsonl: Optional[bool] = typer.Option(None, "--jsonl/--no-jsonl", help="Treat inputs as JSONL records (default: by .jsonl/.jsonl.gz suffix)."),
    text_field: str = typer.Option("text", "--text-field", help="JSONL field holding the article text."),
    id_field: str = typer.Option("id", "--id-field", help="JSONL field holding the article id."),
    max_bytes: int = max_bytes_option(),
) -> None:
    """Choose the threshold for your domain from texts known to be human, at a false-positive rate, and write a model directory."""
    from datetime import datetime, timezone

    from .. import calibration, modeldir
    from ..version import __version__

    try:
        calibration.check_fpr(fpr)
    except calibration.CalibrationError as e:
        fail(str(e))
    if resamples < 1:
        fail(f"--resamples must be 1 or more, got {resamples}")
    if paths.count("-") > 1:
        fail("'-' (stdin) may be given only once")
    base = Path(model_for(mode, model) or modeldir.default_model_dir())
    try:
        modeldir.check_new(Path(out), force, base)  # before minutes of scoring
    except modeldir.ModelError as e:
        fail(str(e))
    det = load_detector(str(base), None, None)

    failures = 0

    def report(e: Exception) -> None:
        nonlocal failures
        failures += 1
        error(str(e))

    scores, texts, unscorable = [], [], 0
    for doc, text in _scored(det, _articles(paths, report, html=html, jsonl=jsonl, text_field=text_field,
                                            id_field=id_field, max_bytes=max_bytes)):
        if doc.label == "unscorable":
            unscorable += 1
        else:
            scores.append(doc.score)
            texts.append(text)
    unique = dict(zip(texts, scores))  # the same text twice would count twice
    if len(unique) < len(texts):
        warn(f"left out {len(texts) - len(unique)} exact duplicate text(s)")
    left_out = f"; {failures} input(s) unreadable, {unscorable} unscorable" if failures or unscorable else ""
    try:
        cal = calibration.fit(list(unique.values()), fpr, resamples=resamples, seed=seed)
    except calibration.CalibrationError as e:
        fail(f"{e}{left_out}")
    if cal.fpr_expected > fpr:
        warn(f"with {cal.n_documents} documents the threshold is above all of them, and new human documents like "
             f"them may still be flagged {cal.fpr_expected:.2%} of the time, more than the {fpr:g} asked; "
             f"give at least {calibration.needed(fpr)}")
    base_manifest = modeldir.load_manifest(base)
    base_threshold = det.model.threshold
    data_sha = calibration.data_sha256(unique)
    record = calibration.provenance(
        cal,
        base={"name": base_manifest["name"], "version": base_manifest["version"], "path": str(base),
              "manifest_sha256": modeldir.manifest_sha256(base), "threshold": base_threshold,
              "fpr_on_data": sum(s >= base_threshold for s in unique.values()) / cal.n_documents},
        data={"sha256": data_sha, "n_documents": cal.n_documents, "n_unreadable": failures,
              "n_unscorable": unscorable, "n_duplicates": len(texts) - len(unique),
              "hash": "sha256 over the sorted texts, each as its UTF-8 length (8 bytes, big-endian) then its bytes"},
        date=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        tool={"spindetect": __version__, "mode": mode, "fpr": fpr, "resamples": resamples, "seed": seed},
    )
    try:
        modeldir.save_calibrated(base, Path(out), threshold=calibration.threshold_entry(cal), calibration=record,
                                 version=f"{base_manifest['version']}+cal.{data_sha[:8]}", force=force)
    except modeldir.ModelError as e:
        fail(str(e))
    except OSError as e:
        fail(f"{out}: cannot write the model directory ({e.strerror or e})")
    typer.echo(_summary(cal, record, out))
    if failures:
        error(f"{failures} input(s) could not be read; calibrated on the {cal.n_documents} others")
        raise typer.Exit(EXIT_SOME_FAILED)
    raise typer.Exit(EXIT_OK)


def _articles(paths, report, *, html, jsonl, text_field, id_field, max_bytes):
    """Articles from PATH arguments, read as `score` reads them (``crawl.iter_articles``); each unreadable
    input goes to ``report``."""
    from ..crawl import iter_articles
    from ..errors import ReadError
    from ..io.files import expand_paths

    for art in iter_articles(expand_paths(paths), text_field=text_field, id_field=id_field, max_bytes=max_bytes,
                             html=html, jsonl=jsonl, check_language=False):
        if isinstance(art, ReadError):
            report(art)
        else:
            yield art


def _scored(det, articles):
    """``(DocumentScore, text)`` for each article, scored in ``Detector.score_batches``."""
    for batch, docs in det.score_batches(articles):
        yield from zip(docs, (a.text for a in batch))


def _summary(cal, record, out) -> str:
    base = record["base_model"]
    ti, fi = record["threshold_interval"], record["fpr_interval"]
    return "\n".join([
        f"calibrated on {cal.n_documents} human documents (data sha256 {record['data']['sha256'][:12]})",
        f"threshold:  {cal.threshold:.6f}  (95 % bootstrap interval {ti['low']:.6f}-{ti['high']:.6f}); "
        f"base model {base['threshold']:.6f}",
        f"FPR:        asked {cal.fpr_requested:g}; on new human documents like these at most {cal.fpr_expected:.4f} "
        f"on average; on these {cal.n_documents}: {cal.fpr_achieved:.4f} ({cal.n_flagged} flagged, 95 % interval "
        f"{fi['low']:.4f}-{fi['high']:.4f}), at the base threshold {base['fpr_on_data']:.4f}",
        f"wrote {out}  (score with: spindetect score --model {out} ...)",
    ])
