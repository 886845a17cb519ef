"""The house's structural rules, checked on the code itself (issue 13): which room may import
which, no import cycles, transactions only in db.py, no module over 500 lines."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "beiwen"
MAX_LINES = 500


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(SRC.rglob("*.py"))}


def imports(path: Path) -> Iterator[tuple[str, int]]:
    """(module imported, line) for every import of `path`, at any depth, except those under
    `if TYPE_CHECKING:` (annotations only, never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(child) for child in ast.walk(node)}
    package = (
        module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else module_name(path)
    )
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            yield target, node.lineno
            for alias in node.names:  # `from beiwen.services import people` names a module
                if f"{target}.{alias.name}" in MODULES:
                    yield f"{target}.{alias.name}", node.lineno


def room(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in ("commands", "services", "repository", "io"):
        return parts[1]
    if len(parts) > 1 and parts[1].startswith("render"):
        return "render"
    return module


RULES = [
    ("commands", ("beiwen.repository", "beiwen.db", "sqlite3")),
    ("services", ("beiwen.render", "rich", "typer", "click", "beiwen.commands", "beiwen.cli")),
    ("repository", ("beiwen.services", "beiwen.commands", "beiwen.render", "rich", "typer")),
]


@pytest.mark.parametrize(("which", "forbidden"), RULES, ids=[rule[0] for rule in RULES])
def test_rooms_import_only_what_they_may(which: str, forbidden: tuple[str, ...]) -> None:
    offenders = [
        f"{name}:{line}: {target}"
        for name, path in MODULES.items()
        if room(name) == which
        for target, line in imports(path)
        if any(target == bad or target.startswith(bad + ".") for bad in forbidden)
        or (which == "services" and room(target) == "render")
    ]
    assert offenders == []


def test_no_import_cycles() -> None:
    graph = {
        name: {target for target, _ in imports(path) if target in MODULES and target != name}
        for name, path in MODULES.items()
    }
    # A package's __init__ re-exporting its own modules is not a cycle of rooms.
    for name in graph:
        graph[name] = {t for t in graph[name] if not name.startswith(t + ".") or t == name}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert cycles == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_500_lines(name: str) -> None:
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, (name, lines)
