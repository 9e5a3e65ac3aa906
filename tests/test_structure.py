"""The code's shape, checked: no function in hearth/, facilitator/ or participant/ is longer than
60 lines (docs/engineering.md). Import rules are import-linter's contracts in pyproject.toml
(`make lint`); branch and argument counts are ruff's (C90, PLR09)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("hearth", "facilitator", "participant")
MAX_LINES = 60

# Functions still longer than MAX_LINES, each owned by another step of #12; remove an entry
# when its function is split. The list only shrinks: a new long function fails the test, and
# so does an entry whose function is gone or short now.
STILL_LONG: set[str] = set()


def function_lengths() -> dict[str, int]:
    """Every function and method, as "path::name" (nested ones "outer.inner"), to its lines."""
    lengths: dict[str, int] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            relative = path.relative_to(ROOT).as_posix()
            for name, node in _functions(tree, ""):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                lengths[f"{relative}::{name}"] = max(lines, lengths.get(f"{relative}::{name}", 0))
    return lengths


def _functions(node: ast.AST, prefix: str) -> list[tuple[str, ast.AST]]:
    """The functions under `node`, named by their enclosing classes and functions."""
    found: list[tuple[str, ast.AST]] = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            name = f"{prefix}{child.name}"
            if not isinstance(child, ast.ClassDef):
                found.append((name, child))
            found.extend(_functions(child, f"{name}."))
        else:
            found.extend(_functions(child, prefix))
    return found


def test_no_function_is_longer_than_sixty_lines() -> None:
    too_long = {
        name: lines
        for name, lines in function_lengths().items()
        if lines > MAX_LINES and name not in STILL_LONG
    }
    assert too_long == {}, f"split these (at most {MAX_LINES} lines; aim for 40): {too_long}"


def test_the_allow_list_holds_only_functions_still_too_long() -> None:
    # A loop, not parametrize: an empty list (the goal) must pass, not skip.
    lengths = function_lengths()
    for name in sorted(STILL_LONG):
        lines = lengths.get(name)
        assert lines is not None, f"{name} no longer exists: remove it from STILL_LONG"
        assert lines > MAX_LINES, f"{name} is {lines} lines now: remove it from STILL_LONG"


def test_the_measure_counts_a_long_function() -> None:
    source = "def f():\n" + "    x = 1\n" * 70
    ((name, node),) = _functions(ast.parse(source), "")
    assert name == "f"
    assert (node.end_lineno or 0) - node.lineno + 1 == 71
