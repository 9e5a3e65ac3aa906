"""Support resources shown on phones: a small, dated default set the facilitator must review.

Numbers change over time, so none of these is presented as authoritative: each carries the day
it was last checked, and the control room asks the facilitator to review them for their area.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hearth.errors import HearthError

DEFAULT_RESOURCES: list[dict[str, str]] = [
    {
        "name": "Your facilitator",
        "contact": "Speak to the facilitator in a break or after the session.",
        "purpose": "Talk something through in person.",
        "checked_on": "2026-11-27",
    },
    {
        "name": "Emergency services",
        "contact": "Your local emergency number (112 in the EU, 999 in the UK, 911 in the US).",
        "purpose": "If you or someone else is in immediate danger.",
        "checked_on": "2026-11-27",
    },
    {
        "name": "988 Suicide & Crisis Lifeline (US)",
        "contact": "Call or text 988.",
        "purpose": "Free, confidential crisis support, 24/7.",
        "checked_on": "2026-11-27",
    },
    {
        "name": "Samaritans (UK and Ireland)",
        "contact": "Call 116 123.",
        "purpose": "Someone to talk to, 24/7.",
        "checked_on": "2026-11-27",
    },
]

FIELDS = {"name": 120, "contact": 200, "purpose": 200, "checked_on": 10}
MAX_RESOURCES = 12


def check_resources(raw: Any) -> list[dict[str, str]]:
    """Validate a facilitator's list of support resources."""
    if not isinstance(raw, list) or len(raw) > MAX_RESOURCES:
        raise HearthError(
            "invalid_value", "Give a list of up to %(most)s resources.", most=MAX_RESOURCES
        )
    cleaned = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise HearthError(
                "invalid_value", "Resource %(number)s must be an object.", number=number
            )
        entry = {}
        for field, limit in FIELDS.items():
            value = item.get(field, "")
            if not isinstance(value, str) or len(value.strip()) > limit:
                raise HearthError(
                    "invalid_value",
                    "Resource %(number)s: '%(field)s' must be text of %(limit)s or fewer "
                    "characters.",
                    number=number,
                    field=field,
                    limit=limit,
                )
            entry[field] = value.strip()
        if not entry["name"] or not entry["contact"]:
            raise HearthError(
                "invalid_value", "Resource %(number)s needs a name and a contact.", number=number
            )
        if entry["checked_on"]:
            try:
                date.fromisoformat(entry["checked_on"])
            except ValueError:
                raise HearthError(
                    "invalid_value",
                    "Resource %(number)s: 'checked_on' must be a date (YYYY-MM-DD).",
                    number=number,
                ) from None
        cleaned.append(entry)
    return cleaned
