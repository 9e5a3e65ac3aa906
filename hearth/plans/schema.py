"""The plan format's JSON Schema (hearth/plan.schema.json) and the limits read from it."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator

# The schema is package data, so it is found the same way in a checkout and in a wheel.
PLAN_SCHEMA: dict[str, Any] = json.loads(
    resources.files("hearth").joinpath("plan.schema.json").read_text(encoding="utf-8")
)
validator = Draft202012Validator(PLAN_SCHEMA)
OPTIONS_SCHEMA: dict[str, Any] = PLAN_SCHEMA["$defs"]["options"]
MAX_ACTIVITIES: int = PLAN_SCHEMA["properties"]["activities"]["maxItems"]
KIND_NAMES: list[str] = PLAN_SCHEMA["$defs"]["activity"]["properties"]["kind"]["enum"]
SLUG_MAX_LENGTH: int = PLAN_SCHEMA["properties"]["slug"]["maxLength"]
