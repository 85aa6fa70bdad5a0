"""`spindetect spin`: rewrite articles like a commercial spinner, with span-level labels."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from ._common import EXIT_OK, EXIT_SOME_FAILED, Inputs, check_choice, error, fail, max_bytes_option

LABELS_FILE = "labels.jsonl"


def spin(
    paths: List[str] = typer.Argument(..., metavar="PATH...", help="Files, directories (every .txt/.md below, sorted) or - for stdin."),
    rate: float = typer.Option(0.3, "--rate", "-r", help="Probability (0-1) that each candidate word, phrase, clause, quote, number or title is changed."),
    seed: int = typer.Option(0, "--seed", "-s", help="Random seed: the same input, rate, seed and mode give the same output."),
    mode: str = typer.Option("mixed", "--mode", help="synonym, phrase, restructure or mixed."),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="Write one <name>.txt per input into this directory (default: stdout)."),
    labels: bool = typer.Option(False, "--labels", help=f"Also write the edits as JSONL {{path, text, edits}} (to stdout, or {LABELS_FILE} in --out)."),
    force: bool = typer.Option(False, "--force", help="Overwrite files that already exist in --out."),
    max_bytes: int = max_bytes_option(),
) -> None:
    """Spin articles (thesaurus swaps, phrase swaps, reordered attributions, moved quotes, number formats) to make labelled training data."""
    from ..augment.spin import MODES
    from ..augment.spin import spin as spin_text
    from ..augment.thesaurus import ThesaurusError

    check_choice("mode", mode, MODES)
    if not 0.0 <= rate <= 1.0:
        fail(f"--rate must be between 0 and 1, got {rate}")
    if paths.count("-") > 1:
        fail("'-' (stdin) may be given only once")
    out_dir = Path(out) if out else None
    if out_dir is not None:
        if out_dir.exists() and not out_dir.is_dir():
            fail(f"--out {out}: exists and is not a directory")
        if labels and (out_dir / LABELS_FILE).exists() and not force:
            fail(f"{out_dir / LABELS_FILE}: already exists; use --force to overwrite it")
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            fail(f"--out {out}: cannot create the directory ({e.strerror or e})")

    inputs = Inputs(paths, max_bytes)
    used_names: set[str] = set()
    label_lines: list[str] = []
    first = True
    for art in inputs:
        try:
            result = spin_text(art.text, rate=rate, seed=seed, mode=mode)
        except ThesaurusError as e:
            fail(str(e))
        record = json.dumps(
            {"path": art.path, "text": result.text, "edits": [e.to_dict() for e in result.edits], "seed": seed, "rate": rate, "mode": mode},
            ensure_ascii=False,
        )
        if out_dir is None:
            if labels:
                sys.stdout.write(record + "\n")
            else:
                if not first:
                    sys.stdout.write("\n")
                sys.stdout.write(result.text)
                if not result.text.endswith("\n"):
                    sys.stdout.write("\n")
            first = False
            continue
        target = out_dir / _output_name(art.path, used_names)
        if target.exists() and not force:
            inputs.fail(f"{target}: already exists; use --force to overwrite it")
            continue
        try:
            with open(target, "w", encoding="utf-8", newline="") as f:
                f.write(result.text)
        except OSError as e:
            inputs.fail(f"{target}: cannot write ({e.strerror or e})")
            continue
        label_lines.append(record)
    if out_dir is not None and labels:
        try:
            with open(out_dir / LABELS_FILE, "w", encoding="utf-8", newline="\n") as f:
                f.writelines(line + "\n" for line in label_lines)
        except OSError as e:
            fail(f"{out_dir / LABELS_FILE}: cannot write ({e.strerror or e})", 1)
    sys.stdout.flush()
    if inputs.failures:
        error(f"{inputs.failures} input(s) could not be spun")
        raise typer.Exit(EXIT_SOME_FAILED)
    raise typer.Exit(EXIT_OK)


def _output_name(path: str, used: set[str]) -> str:
    """``<stem>.txt`` for an input (``stdin.txt`` for -), made unique within one run."""
    stem = "stdin" if path == "-" else Path(path).stem
    name, k = f"{stem}.txt", 2
    while name in used:
        name, k = f"{stem}-{k}.txt", k + 1
    used.add(name)
    return name
