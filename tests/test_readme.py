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


PKG = Path(__file__).resolve().parent.parent / "spindetect"
#: Modules allowed over MAX_MODULE_LINES, and why (README "Layout" says the same).
MAX_MODULE_LINES = 500
OVERSIZED: dict[str, str] = {}


def _layout_entries() -> set[str]:
    """The modules and packages the README's Layout section lists under spindetect/ (paths below it)."""
    import re

    section = README.split("## Layout", 1)[1].split("\n## ", 1)[0]
    block = section.split("```", 2)[1]
    return {m.group(1) for line in block.splitlines() if (m := re.match(r"^  (\S+)\s", line))}


def test_layout_lists_every_module_and_only_modules_that_exist():
    modules = {p.relative_to(PKG).as_posix() for p in PKG.rglob("*.py")}
    packages = {f"{p.parent.relative_to(PKG).as_posix()}/" for p in PKG.rglob("__init__.py") if p.parent != PKG}
    listed = _layout_entries()
    assert sorted((modules | packages) - listed) == [], "modules missing from the README's Layout"
    assert sorted(listed - (modules | packages)) == [], "the README's Layout names modules that do not exist"


def test_modules_stay_small():
    sizes = {p.relative_to(PKG).as_posix(): len(p.read_text(encoding="utf-8").splitlines()) for p in PKG.rglob("*.py")}
    over = sorted(m for m, n in sizes.items() if n > MAX_MODULE_LINES and m not in OVERSIZED)
    assert over == [], f"modules over {MAX_MODULE_LINES} lines: {over}"
    assert all(m in README for m in OVERSIZED)
