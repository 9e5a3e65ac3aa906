"""The built-in plans: plans/*.yaml in a checkout, hearth/assets/plans in a wheel
(hearth/bundle.py).

Storing them is a write, so it is hearth.services.plans.load_builtin_plans; this only reads them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hearth.bundle import asset_path
from hearth.plans.files import parse_plan_text
from hearth.plans.format import validate_plan

BUILTIN_DIR = asset_path("plans")


def builtin_documents() -> Iterator[dict[str, Any]]:
    """Each built-in plan, checked and normalised, in file name order."""
    for path in sorted(BUILTIN_DIR.glob("*.yaml")):
        yield validate_plan(parse_plan_text(path.read_text(encoding="utf-8"), "yaml"))
