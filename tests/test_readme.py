"""Every command is documented in the README with its help text, so docs cannot drift."""

from pathlib import Path

from spindetect.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands():
    for c in app.registered_commands:
        name = c.name or c.callback.__name__
        yield name, (c.callback.__doc__ or "").strip().splitlines()[0]


def test_every_command_is_in_the_readme_with_its_help():
    missing = [(n, h) for n, h in _commands() if f"`spindetect {n}`" not in README or h not in README]
    assert not missing, f"README lacks these commands or their help lines: {missing}"


def test_readme_has_the_two_setup_commands():
    assert "bash scripts/setup.sh && spindetect score seeds/spun_biden_putin_call.txt" in README
    assert "bash .ci/run" in README
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()
    assert "python3 -m pytest" in ci and "scripts/setup.sh --test" in ci
