"""Pure functions from response rows to results (DESIGN.md §4), tested without a server."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from typing import Any, NamedTuple


class AnswerRow(NamedTuple):
    """What a tally needs of one non-pass response."""

    id: int
    value: Any
    moderation: str | None = None


def tally_choice(spec: dict[str, Any], rows: Sequence[AnswerRow]) -> dict[str, Any]:
    """Count answers per option, in option order."""
    counts = [0] * len(spec["options"])
    for row in rows:
        if isinstance(row.value, int) and 0 <= row.value < len(counts):
            counts[row.value] += 1
    return {"counts": counts}


def tally_scale(spec: dict[str, Any], rows: Sequence[AnswerRow]) -> dict[str, Any]:
    """Histogram over every point of the scale, with mean and median (None when empty)."""
    values = [row.value for row in rows if isinstance(row.value, int)]
    seen = Counter(values)
    histogram = {str(point): seen.get(point, 0) for point in range(spec["min"], spec["max"] + 1)}
    return {
        "histogram": histogram,
        "mean": round(statistics.fmean(values), 2) if values else None,
        "median": statistics.median(values) if values else None,
    }


def tally_open(spec: dict[str, Any], rows: Sequence[AnswerRow]) -> dict[str, Any]:
    """Approved texts, in the order given (the caller shuffles), and how many wait."""
    return {
        "entries": [row.value for row in rows if row.moderation == "approved"],
        "pending": sum(1 for row in rows if row.moderation == "pending"),
    }


def visibility(*, answered: int, min_group: int, revealed: bool, audience: str) -> str | None:
    """Why results are hidden from an audience ("below_threshold", "not_revealed") or None."""
    if answered < min_group:
        return "below_threshold"
    if audience != "facilitator" and not revealed:
        return "not_revealed"
    return None
