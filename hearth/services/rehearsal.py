"""Rehearsals: a workshop run to try a plan before the real room (docs/protocol.md).

A rehearsal is an ordinary workshop with `rehearsal` set when it is created. Every screen says
so; the control room may add simulated answers to what is showing (`simulate {count}`), which
travel the phones' own answer path (hearth.services.responses: the kind's checks, the group
commit, the results changes, the tick), so the projector shows exactly what a room would see:
k thresholds, reveals and moderation included. A rehearsal is never exported and has no
take-home page, and everything answered in it is deleted when it ends (docs/privacy.md).
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import current_app
from sqlalchemy import select

from hearth import changes
from hearth.changes import ResultsChanged
from hearth.errors import HearthError
from hearth.extensions import db
from hearth.kinds import KINDS
from hearth.models import Workshop, WorkshopActivity, today_utc
from hearth.services import responses, retention
from hearth.simulate import plausible_values

SIMULATE_RANGE = (1, 200)


def check_rehearsal(settings: Any) -> bool:
    """Whether the settings ask for a rehearsal; `invalid_settings` naming the field when the
    value is not a boolean, or when it is asked for a session of a series. Writes nothing."""
    if not isinstance(settings, dict):
        return False
    wanted = settings.get("rehearsal", False)
    if not isinstance(wanted, bool):
        raise HearthError(
            "invalid_settings", "'settings.rehearsal' must be true or false (JSON booleans)."
        )
    if wanted and settings.get("series") is not None:
        raise HearthError(
            "invalid_settings",
            "'settings.rehearsal' cannot be combined with 'settings.series': a rehearsal is "
            "not one of the group's sessions.",
        )
    return wanted


# --- simulated answers --------------------------------------------------------------------


def _count(payload: dict[str, Any]) -> int:
    """The 'count' of a simulate action: a whole number within SIMULATE_RANGE."""
    count = payload.get("count")
    lo, hi = SIMULATE_RANGE
    if isinstance(count, bool) or not isinstance(count, int) or not lo <= count <= hi:
        raise HearthError(
            "invalid_action",
            "'simulate' needs a whole-number 'count' from %(lo)s to %(hi)s.",
            lo=lo,
            hi=hi,
        )
    return count


def _targets(workshop: Workshop) -> list[WorkshopActivity]:
    """The activities simulated phones answer: the current one, or in a self-paced rehearsal
    every activity that takes answers (all of them open once it started)."""
    if workshop.phase != "live":
        raise HearthError("invalid_state", "Start the rehearsal first.", 409)
    if workshop.pace == "self":
        return [a for a in workshop.activities if KINDS[a.kind].takes_answers and a.accepting]
    activity = workshop.current_activity
    assert activity is not None
    if not KINDS[activity.kind].takes_answers:
        raise HearthError("invalid_state", "This slide does not collect answers.", 409)
    if not activity.accepting:
        raise HearthError(
            "invalid_state", "This question is closed: open it to add simulated answers.", 409
        )
    return [activity]


def act_simulate(workshop: Workshop, payload: dict[str, Any]) -> None:
    """Check a simulate action inside the action's transaction; writes nothing.

    The answers themselves are sent by `simulate` once that transaction is over, because the
    answer path commits them in a transaction of its own.
    """
    if not workshop.rehearsal:
        raise HearthError(
            "not_rehearsal", "Simulated answers are only for rehearsals; this is a real room.", 409
        )
    _count(payload)
    _targets(workshop)


def simulate(workshop_id: int, payload: dict[str, Any]) -> int:
    """Send `count` simulated phones' answers to the activities `act_simulate` allowed, through
    the phones' answer path; returns how many were written (an activity closed meanwhile
    refuses the rest, as it would a phone's)."""
    workshop = db.session.get(Workshop, workshop_id)
    assert workshop is not None
    count = _count(payload)
    answers: list[tuple[str, dict[str, Any]]] = []
    for activity in _targets(workshop):
        values = plausible_values(activity.id, activity.spec, count, workshop.language)
        for value in values:
            # A token of its own for each simulated phone: its response key (an HMAC of the
            # token and the activity) is as unlinkable as a phone's; the token is not kept.
            token = secrets.token_urlsafe(18)
            msg_id = f"rehearsal-{secrets.token_hex(8)}"
            message = {"activity_id": activity.id, "value": value, "msg_id": msg_id}
            answers.append((token, message))
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return responses.submit_simulated(workshop_id, answers, app)


# --- the end ------------------------------------------------------------------------------


def forget(workshop: Workshop) -> None:
    """When a rehearsal ends (inside that transaction): delete every answer, question and vote,
    the reaction and break counts, and mark its answers deleted today."""
    if not workshop.rehearsal:
        return
    retention.delete_answers(workshop.id)
    for activity in workshop.activities:
        activity.hidden_words = []
        changes.record(ResultsChanged(workshop.id, activity.id))
    workshop.reactions = {}
    workshop.break_signals = 0
    workshop.summary_key = None
    workshop.purged_on = today_utc()


def after_end(workshop_id: int, payload: dict[str, Any]) -> None:
    """Once a rehearsal's end has committed: make SQLite drop the deleted rows from disk too."""
    if db.session.scalar(select(Workshop.rehearsal).where(Workshop.id == workshop_id)):
        retention.checkpoint()
