"""Break signals and reactions: counted, never attributed, and kept off phones' screens."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from hearth import changes
from hearth.changes import SignalsChanged
from hearth.errors import HearthError, invalid_payload, not_found, refuse_if_ended
from hearth.extensions import db, writing
from hearth.models import Workshop

REACTIONS = ("💛", "🙏", "👍", "🤔")
SIGNAL_KINDS = ("break",)


def _workshop(workshop_id: int) -> Workshop:
    """The workshop, if it exists and has not ended."""
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None:
        raise not_found("There is no such workshop.")
    refuse_if_ended(workshop.phase)
    return workshop


def send_signal(workshop_id: int, payload: Any) -> None:
    """Count an "I need a break" signal; the facilitator sees a count, never who."""
    if not isinstance(payload, dict) or payload.get("kind") not in SIGNAL_KINDS:
        raise invalid_payload("A signal needs 'kind': 'break'.")
    with writing():
        _workshop(workshop_id)
        db.session.execute(
            update(Workshop)
            .where(Workshop.id == workshop_id)
            .values(break_signals=Workshop.break_signals + 1)
        )
        changes.record(SignalsChanged(workshop_id))


def send_reaction(workshop_id: int, payload: Any) -> None:
    """Count a reaction from the fixed set."""
    if not isinstance(payload, dict) or payload.get("emoji") not in REACTIONS:
        raise HearthError(
            "invalid_value", "React with one of %(reactions)s.", reactions=" ".join(REACTIONS)
        )
    emoji = payload["emoji"]
    with writing():
        _workshop(workshop_id)
        # Locked so that two workers adding to the JSON counter at once cannot lose a count.
        workshop = db.session.get(
            Workshop, workshop_id, with_for_update=True, populate_existing=True
        )
        assert workshop is not None
        counts = dict(workshop.reactions or {})
        counts[emoji] = counts.get(emoji, 0) + 1
        workshop.reactions = counts
        changes.record(SignalsChanged(workshop_id))
