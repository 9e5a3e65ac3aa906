"""The JSON format: the summary exactly as built (hearth/exports/export.schema.json)."""

from __future__ import annotations

import json
from typing import Any


def render_json(data: dict[str, Any]) -> bytes:
    """The summary as JSON (hearth/exports/export.schema.json)."""
    return json.dumps(data, ensure_ascii=False, indent=2).encode()
