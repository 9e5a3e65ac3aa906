"""The browser code's folders depend one way (docs/architecture.md, "The browser code").

static/js/common/ is what every screen shares; the phone (participant/), the projector (present/)
and the control room and editor (facilitator/) build on it and never on each other's folders,
so a change made for one screen cannot quietly change another. Imports are read from the source
text: the modules are plain ES modules with no bundler, so their specifiers are the graph.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parent.parent / "static"
JS = STATIC / "js"

# Which top-level folders of static/js may not import from which.
FORBIDDEN = {
    "participant": {"facilitator", "present"},
    "present": {"facilitator", "participant"},
    "facilitator": {"participant", "present"},
    "common": {"facilitator", "participant", "present"},
}

_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_LINE_COMMENT = re.compile(r"^\s*//.*$", re.MULTILINE)
_SPECIFIERS = (
    re.compile(r"""\b(?:import|export)\s[^;'"]*?\bfrom\s*["']([^"']+)["']"""),
    re.compile(r"""\bimport\s*\(\s*["']([^"']+)["']\s*\)"""),
    re.compile(r"""\bimport\s*["']([^"']+)["']"""),
)


def imports_of(source: str) -> list[str]:
    """The module specifiers a source imports or re-exports (comments are not code)."""
    code = _LINE_COMMENT.sub("", _BLOCK_COMMENT.sub("", source))
    return [match for pattern in _SPECIFIERS for match in pattern.findall(code)]


def resolve(module: Path, specifier: str, static: Path) -> Path:
    """The file a specifier names: relative to the module, or from the site root's /static/."""
    if specifier.startswith("/static/"):
        return (static / specifier.removeprefix("/static/")).resolve()
    return (module.parent / specifier).resolve()


def violations(static: Path) -> list[str]:
    """Every import that crosses a forbidden line or names a missing file, as readable lines."""
    js = static / "js"
    found = []
    for module in sorted(js.rglob("*.js")):
        folder = module.relative_to(js).parts[0]
        for specifier in imports_of(module.read_text(encoding="utf-8")):
            target = resolve(module, specifier, static)
            where = f"{module.relative_to(static)} imports {specifier}"
            if not target.is_file():
                found.append(f"{where}: no such file")
            elif target.is_relative_to(js):
                if target.relative_to(js).parts[0] in FORBIDDEN.get(folder, set()):
                    found.append(f"{where}: {folder}/ may not import from there")
    return found


def test_screens_import_only_common_code_and_their_own() -> None:
    assert violations(STATIC) == []


def test_every_top_level_folder_has_a_rule() -> None:
    """A new folder must be placed in the graph on purpose, not slip past the check."""
    folders = {path.name for path in JS.iterdir() if path.is_dir()}
    assert folders == set(FORBIDDEN)


def test_the_imports_are_read_from_real_code() -> None:
    """The reader sees every import form the modules use, and skips commented-out ones."""
    source = """
    /* import { gone } from "./block.js"; */
    // import { gone } from "./line.js";
    import { a, b } from "../common/dom.js";
    import {
      c,
    } from "./multi-line.js";
    import * as d from "/static/js/common/socket.js";
    export { e } from "./again.js";
    import "./side-effect.js";
    const f = await import("./later.js");
    """
    assert sorted(imports_of(source)) == sorted(
        [
            "../common/dom.js",
            "./multi-line.js",
            "/static/js/common/socket.js",
            "./again.js",
            "./side-effect.js",
            "./later.js",
        ]
    )


@pytest.mark.parametrize(
    ("folder", "specifier", "problem"),
    [
        ("present", "../facilitator/latest.js", "present/ may not import from there"),
        ("participant", "/static/js/facilitator/latest.js", "participant/ may not import"),
        ("facilitator", "../participant/activity.js", "facilitator/ may not import"),
        ("common", "../present/slides.js", "common/ may not import"),
        ("present", "../gone/dom.js", "no such file"),
    ],
)
def test_a_crossing_import_is_caught(
    tmp_path: Path, folder: str, specifier: str, problem: str
) -> None:
    js = tmp_path / "js"
    for name in (
        "common/dom.js",
        "facilitator/latest.js",
        "participant/activity.js",
        "present/slides.js",
    ):
        (js / name).parent.mkdir(parents=True, exist_ok=True)
        (js / name).write_text("export const x = 1;\n", encoding="utf-8")
    (js / folder / "entry.js").write_text(f'import {{ x }} from "{specifier}";\n', encoding="utf-8")
    (found,) = violations(tmp_path)
    assert problem in found
