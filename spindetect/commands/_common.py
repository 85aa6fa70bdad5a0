"""Helpers shared by the CLI commands: one-line errors, warnings and exit codes.

Only the CLI prints or exits; library code raises exceptions with messages
that already name the problem.
"""

from __future__ import annotations

import sys
from typing import NoReturn, Sequence

import typer

from .. import modeldir as _modeldir  # light: json and paths (numpy loads with the arrays)
from ..io import MAX_BYTES  # the package alone: no reader is imported for --help

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def stderr_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def error(message: str) -> None:
    """Print a one-line error to stderr."""
    print(f"spindetect: error: {message}", file=sys.stderr, flush=True)


def warn(message: str) -> None:
    print(f"spindetect: warning: {message}", file=sys.stderr, flush=True)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print a one-line error and exit with ``code`` (2 = usage error by default)."""
    error(message)
    raise typer.Exit(code)


def check_choice(name: str, value: str, choices: Sequence[str]) -> str:
    """Return ``value`` if valid, else exit 2 naming the valid choices."""
    if value not in choices:
        fail(f"unknown {name} {value!r}; expected one of: {', '.join(choices)}")
    return value


MODES = tuple(_modeldir.MODES)
MODE_HELP = (
    "fast: embeddings + artifacts (spindetect-base); accurate: adds language-model surprisal "
    "(spindetect-accurate; slower, needs the LM, see README). --model overrides."
)


def mode_option():
    """``--mode fast|accurate``: which shipped model scores (``model_for``)."""
    return typer.Option("fast", "--mode", help=MODE_HELP)


# The options several commands share, declared once: flags, environment variable and default here; a
# command whose option means more (the model it calibrates, the embedder an index was built with)
# passes its own help.
MODEL_HELP = "Model directory (default: the shipped spindetect-base)."
EMBEDDER_HELP = "Local sentence-transformers directory (default: packaged all-MiniLM-L6-v2)."
MAX_BYTES_HELP = "Refuse inputs larger than this many bytes."


def model_option(help: str = MODEL_HELP):
    """``--model/-m DIR`` or $SPINDETECT_MODEL; None: the shipped model."""
    return typer.Option(None, "--model", "-m", envvar="SPINDETECT_MODEL", help=help)


def embedder_option(help: str = EMBEDDER_HELP):
    """``--embedder DIR`` or $SPINDETECT_EMBEDDER; None: the packaged all-MiniLM-L6-v2."""
    return typer.Option(None, "--embedder", envvar="SPINDETECT_EMBEDDER", help=help)


def max_bytes_option(help: str = MAX_BYTES_HELP):
    """``--max-bytes N``: inputs larger than this are refused (``io.MAX_BYTES`` by default)."""
    return typer.Option(MAX_BYTES, "--max-bytes", help=help)


def model_for(mode: str, model: str | None) -> str | None:
    """The model directory to load: ``--model`` (or $SPINDETECT_MODEL) if given, else the shipped model of ``mode``."""
    check_choice("mode", mode, MODES)
    if model is not None or mode == "fast":
        return model
    return str(_modeldir.default_model_dir(mode))


def load_detector(model: str | None, embedder: str | None, threshold: float | None):
    """Load a Detector, turning model/embedder/LM problems into a one-line exit-2 error."""
    from ..detector import Detector
    from ..embed import EmbedderError
    from ..modeldir import ModelError
    from ..surprisal import LanguageModelUnavailable

    if threshold is not None and not 0.0 <= threshold <= 1.0:
        fail(f"--threshold must be between 0 and 1, got {threshold}")
    try:
        det = Detector.load(model_dir=model, embedder_dir=embedder, threshold=threshold)
        if det.needs_embedder:  # a document model scores without it
            det.embedder._load()
    except (ModelError, EmbedderError, LanguageModelUnavailable) as e:
        fail(str(e))
    except OSError as e:
        fail(f"cannot load the model: {e}")
    return det


class Inputs:
    """Articles read from PATH arguments (files, directories, ``-``).

    Each unreadable input is reported on one line and counted in
    ``failures``; its warnings are printed; the rest are yielded in order.
    """

    def __init__(self, paths: Sequence[str], max_bytes: int, **read_options):
        self.paths = list(paths)
        self.max_bytes = max_bytes
        self.read_options = read_options
        self.failures = 0

    def fail(self, message: str) -> None:
        """Report one more failed input (also for failures found after reading)."""
        self.failures += 1
        error(message)

    def __iter__(self):
        from ..errors import ReadError
        from ..io.files import expand_paths, read_path

        for item in expand_paths(self.paths):
            if isinstance(item, ReadError):
                self.fail(str(item))
                continue
            try:
                art = read_path(item, max_bytes=self.max_bytes, **self.read_options)
            except ReadError as e:
                self.fail(str(e))
                continue
            for w in art.warnings:
                warn(w)
            yield art
