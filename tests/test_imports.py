"""The package's import graph (issue 15): no cycles, and no module importing from the package top."""

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "spindetect"


def _module(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports anywhere (function-level imports included)."""
    paths = {_module(p): p for p in PKG.rglob("*.py")}
    graph = {}
    for mod, path in paths.items():
        package = mod if path.name == "__init__.py" else mod.rsplit(".", 1)[0]
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
                target = ".".join(base + ([node.module] if node.module else []))
                deps |= {f"{target}.{a.name}" if f"{target}.{a.name}" in paths else target for a in node.names}
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names}
        graph[mod] = {d for d in deps if d in paths and d != mod}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, or None (depth-first search)."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(m):
        state[m] = 1
        path.append(m)
        for d in sorted(graph[m]):
            if state.get(d) == 1:
                return path[path.index(d):] + [d]
            if d not in state and (found := visit(d)):
                return found
        state[m] = 2
        path.pop()
        return None

    for m in sorted(graph):
        if m not in state and (found := visit(m)):
            return found
    return None


def test_graph_sees_lazy_imports():
    # guards the checks below: function-level and relative imports are edges too
    g = _graph()
    assert "spindetect.embed_onnx" in g["spindetect.embed"] and "spindetect.version" in g["spindetect.cli"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_import_cycles():
    assert _cycle(_graph()) is None


def test_no_module_imports_the_package_top():
    # e.g. `from . import __version__` (spindetect.version holds it)
    upward = sorted(m for m, deps in _graph().items() if "spindetect" in deps)
    assert upward == []


#: What only the library may import: the CLI commands parse options and call it (issue 15).
LIBRARY_ONLY = ("dask", "distributed", "pyarrow", "threading", "spindetect.distributed", "spindetect.parquet_io")


def _external_imports(path: Path) -> set[str]:
    """Absolute module names ``path`` imports (relative ones resolved), function-level imports included."""
    package = _module(path).rsplit(".", 1)[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            names |= {target} | {f"{target}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
    return names


def test_commands_leave_dask_parquet_and_threads_to_the_library():
    found = {
        p.name: sorted(n for n in _external_imports(p) if any(n == x or n.startswith(x + ".") for x in LIBRARY_ONLY))
        for p in (PKG / "commands").glob("*.py")
    }
    assert {k: v for k, v in found.items() if v} == {}


def test_tests_and_benchmarks_use_no_cli_private_module():
    root = PKG.parent
    private = sorted(
        f"{p.relative_to(root)}: {n}"
        for d in ("tests", "benchmarks") for p in (root / d).glob("*.py")
        for n in _external_imports(p) if n.startswith("spindetect.commands._")
    )
    assert private == []


def test_render_owns_every_table():
    # Commands print what spindetect.render builds; none builds a rich table itself.
    builders = sorted(
        p.name for p in (PKG / "commands").glob("*.py")
        if any(n == "rich.table" or n.startswith("rich.table.") for n in _external_imports(p))
    )
    assert builders == []


def test_shared_cli_options_are_declared_once():
    for flag in ('"--model"', '"--embedder"', '"--max-bytes"', '"fast", "--mode"'):
        where = sorted(p.name for p in (PKG / "commands").glob("*.py") if flag in p.read_text(encoding="utf-8"))
        assert where == ["_common.py"], (flag, where)
