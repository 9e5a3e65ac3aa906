"""What the facilitator keeps of a workshop for afterwards: their own notes, and how many days
after the end its answers are kept (the Summary view's writes; docs/privacy.md).

Publishing the take-home summary and deleting answers are the data lifecycle's
(`hearth.services.retention`); these two writes only change the workshop's own fields and
show on no live screen, so they record no change for the hub.
"""

from __future__ import annotations

from typing import Any

from hearth.errors import HearthError, invalid_payload
from hearth.extensions import writing
from hearth.models import Workshop
from hearth.services.workshops import check_settings

# Notes are a page or two of the facilitator's own words, not a document store.
MAX_NOTES = 20_000


def save_notes(workshop: Workshop, notes: Any) -> None:
    """Store the facilitator's own notes (plain text; they stay when answers are purged)."""
    if not isinstance(notes, str):
        raise invalid_payload("'notes' must be text.")
    # Forms send \r\n; the textarea and every export use \n.
    notes = notes.replace("\r\n", "\n").replace("\r", "\n")
    if len(notes) > MAX_NOTES:
        raise HearthError(
            "too_long",
            "Notes can be up to %(limit)s characters; these are %(length)s. "
            "Keep the longer text in a document of your own.",
            limit=MAX_NOTES,
            length=len(notes),
        )
    with writing():
        workshop.notes = notes


def set_retention(workshop: Workshop, days: Any) -> None:
    """Change how many days after the end a workshop's answers are deleted (1..365)."""
    if workshop.purged_on is not None:
        raise HearthError("invalid_state", "The answers were already deleted.", 409)
    if isinstance(days, str) and days.strip().isdigit():
        days = int(days.strip())
    # The same rule as a new workshop's settings (min_group is passed through unchanged).
    _, days = check_settings(
        {"purge_after_days": days}, workshop.min_group, workshop.purge_after_days
    )
    with writing():
        workshop.purge_after_days = days
