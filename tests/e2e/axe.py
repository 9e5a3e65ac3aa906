"""axe-core inside a Playwright page: zero violations at any impact, WCAG 2.2 AA and best practice.

axe-core comes from npm (package.json, devDependencies) and is injected into the page under test
from node_modules; it is never copied into static/ and never served to people. The rules and the
one rule left out are explained in docs/accessibility.md.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# Rules switched off, each with its reason in docs/accessibility.md ("What axe checks").
DISABLED: dict[str, str] = {}


@functools.cache
def _source() -> str:
    """axe-core's script, read once."""
    return AXE_JS.read_text(encoding="utf-8")


def axe_results(page: Page, context: str | None = None) -> dict[str, Any]:
    """Run axe on the page (or the elements matching the CSS selector `context`)."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make setup` (npm ci installs axe-core)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the page's Content-Security-Policy (script-src
        # 'self') stays on and is not what is being tested around.
        page.evaluate(_source() + "\n;void 0")
    options = {
        "runOnly": {"type": "tag", "values": TAGS},
        "rules": {rule: {"enabled": False} for rule in DISABLED},
        "resultTypes": ["violations"],
    }
    script = "([context, options]) => axe.run(context || document, options)"
    return dict(page.evaluate(script, [context, options]))


def describe(violations: list[dict[str, Any]]) -> str:
    """A readable list: rule, impact, help and the first few offending nodes."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {json.dumps(node['target'])}: {node['failureSummary']}")
    return "\n".join(lines)


def assert_no_violations(page: Page, context: str | None = None, label: str = "") -> None:
    """Fail with a readable list unless axe finds nothing at any impact."""
    violations = axe_results(page, context)["violations"]
    record = os.environ.get("HEARTH_AXE_RECORD")
    if record:
        # Measuring, not gating: one JSON line per page and state (docs/accessibility.md table).
        dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
        row = {
            "page": label or page.url,
            "scheme": "dark" if dark else "light",
            "violations": {v["id"]: len(v["nodes"]) for v in violations},
        }
        with open(record, "a", encoding="utf-8") as out:
            out.write(json.dumps(row) + "\n")
        return
    assert not violations, f"axe on {label or page.url}:\n{describe(violations)}"
