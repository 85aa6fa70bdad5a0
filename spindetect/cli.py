"""The spindetect command line (typer). Commands live in spindetect/commands/."""

from __future__ import annotations

from typing import Optional

import typer

from .commands import bench, calibrate, compare, index, info, prepare, score, spin, train
from .version import __version__

app = typer.Typer(
    name="spindetect",
    help="Detect spun news: articles a machine rewrote from someone else's story.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain click help: typer's rich help formatter imports rich, markdown-it
    # and pygments (~0.2 s), which alone broke the 0.3 s budget of --help.
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"spindetect {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Optional[bool] = typer.Option(None, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Detect spun news: articles a machine rewrote from someone else's story."""


app.command("score")(score.score)
app.command("info")(info.info)
app.command("train")(train.train)
app.command("bench")(bench.bench)
app.command("spin")(spin.spin)
app.command("compare")(compare.compare)
app.command("index")(index.index)
app.command("find")(index.find)
app.command("prepare")(prepare.prepare)
app.command("calibrate")(calibrate.calibrate)
