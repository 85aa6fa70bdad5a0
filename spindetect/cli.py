"""The spindetect command line (typer). Commands live in spindetect/commands/."""

from __future__ import annotations

from typing import Optional

import typer

from . import __version__
from .commands import info, score, train

app = typer.Typer(
    name="spindetect",
    help="Detect spun news: articles a machine rewrote from someone else's story.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
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
# --- commands registered by other modules (one line each) ---
from .commands import spin  # noqa: E402

app.command("spin")(spin.spin)
from .commands import compare as _compare_cmd, index as _index_cmd  # noqa: E402  (compare, index, find)
app.command("compare")(_compare_cmd.compare)
app.command("index")(_index_cmd.index)
app.command("find")(_index_cmd.find)
from .commands import bench as _bench_cmd; app.command("bench")(_bench_cmd.bench)  # noqa: E402,E702
# --- end of registered commands ---
