"""``python -m spindetect`` runs the CLI."""

from .cli import app

app(prog_name="spindetect")
