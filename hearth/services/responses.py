"""Answers, passes and retractions from phones: validated, upserted, committed, then acked."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import delete, select

from hearth import realtime
from hearth.errors import HearthError, invalid_payload, record_id
from hearth.extensions import db, writing
from hearth.kinds import KINDS
from hearth.models import Response, Workshop, WorkshopActivity
from hearth.privacy import response_key

MAX_MSG_ID = 64


def _key(token: str, activity_id: int) -> str:
    """The unlinkable storage key of this phone's response to this activity."""
    return response_key(current_app.config["SECRET_KEY"], token, activity_id)


def _activity_id(payload: Any) -> int:
    """The 'activity_id' field of a phone's message."""
    if not isinstance(payload, dict):
        raise invalid_payload("The message must be an object.")
    return record_id(payload.get("activity_id"), "activity_id")


def check_msg_id(payload: dict[str, Any]) -> str:
    """The 'msg_id' that makes a retried message harmless."""
    msg_id = payload.get("msg_id")
    if not isinstance(msg_id, str) or not 1 <= len(msg_id) <= MAX_MSG_ID:
        raise invalid_payload(f"'msg_id' must be a string of 1 to {MAX_MSG_ID} characters.")
    return msg_id


def _answerable(workshop_id: int, activity_id: int) -> WorkshopActivity:
    """The activity if this phone may answer it now, or the reason it may not."""
    activity = db.session.get(WorkshopActivity, activity_id)
    if activity is None or activity.workshop_id != workshop_id:
        raise HearthError("unknown_activity", "That question is not part of this workshop.", 404)
    workshop: Workshop = activity.workshop
    if workshop.phase == "ended":
        raise HearthError(
            "workshop_ended", "This workshop has ended. Thank you for taking part.", 410
        )
    if not KINDS[activity.kind].takes_answers:
        raise HearthError("no_answers", "This slide does not take answers.")
    if workshop.current_activity is None or workshop.current_activity.id != activity.id:
        raise HearthError("not_current", "The facilitator has moved on from that question.", 409)
    if not activity.accepting:
        raise HearthError(
            "closed", "This question is closed, so answers can no longer change.", 409
        )
    return activity


def mine(row: Response | None) -> dict[str, Any] | None:
    """What the phone is told of its own response."""
    if row is None:
        return None
    return {"value": row.value, "passed": row.passed}


def _upsert(
    workshop_id: int, token: str, payload: Any, *, passed: bool
) -> tuple[int, dict[str, Any]]:
    """Store an answer or a pass once per phone and activity; a repeated msg_id is a no-op."""
    activity_id = _activity_id(payload)
    msg_id = check_msg_id(payload)
    key = _key(token, activity_id)
    changed = False
    with writing():
        row = db.session.scalar(
            select(Response).where(Response.activity_id == activity_id, Response.key == key)
        )
        if row is not None and row.msg_id == msg_id:
            return activity_id, mine(row) or {}
        activity = _answerable(workshop_id, activity_id)
        value = None
        if not passed:
            value = KINDS[activity.kind].parse_value(activity.spec, payload.get("value"))
        moderation = "pending" if activity.kind == "open" and not passed else None
        if row is None:
            row = Response(activity_id=activity_id, key=key)
            db.session.add(row)
        if row.value != value or row.passed != passed or row.moderation != moderation:
            row.value, row.passed, row.moderation = value, passed, moderation
            changed = True
        row.msg_id = msg_id
        result = mine(row) or {}
    if changed:
        realtime.results_changed(workshop_id, activity_id)
    return activity_id, result


def submit_answer(workshop_id: int, token: str, payload: Any) -> tuple[int, dict[str, Any]]:
    """Record (or change) this phone's answer; returns (activity id, mine)."""
    if isinstance(payload, dict) and "value" not in payload:
        raise invalid_payload("'value' is missing.")
    return _upsert(workshop_id, token, payload, passed=False)


def submit_pass(workshop_id: int, token: str, payload: Any) -> tuple[int, dict[str, Any]]:
    """Record that this phone passed on the activity."""
    return _upsert(workshop_id, token, payload, passed=True)


def retract(workshop_id: int, token: str, payload: Any) -> int:
    """Delete this phone's response to one activity, or to all of them; returns how many."""
    if isinstance(payload, dict) and payload.get("all") is True:
        activity_ids = list(
            db.session.scalars(
                select(WorkshopActivity.id).where(WorkshopActivity.workshop_id == workshop_id)
            )
        )
    else:
        activity_ids = [_activity_id(payload)]
        activity = db.session.get(WorkshopActivity, activity_ids[0])
        if activity is None or activity.workshop_id != workshop_id:
            raise HearthError(
                "unknown_activity", "That question is not part of this workshop.", 404
            )
    keys = {activity_id: _key(token, activity_id) for activity_id in activity_ids}
    removed: list[int] = []
    with writing():
        for activity_id, key in keys.items():
            result = db.session.execute(
                delete(Response).where(Response.activity_id == activity_id, Response.key == key)
            )
            if result.rowcount:  # type: ignore[attr-defined]
                removed.append(activity_id)
    for activity_id in removed:
        realtime.results_changed(workshop_id, activity_id)
    return len(removed)


def my_response(token: str, activity_id: int) -> Response | None:
    """This phone's response to an activity, if any."""
    return db.session.scalar(
        select(Response).where(
            Response.activity_id == activity_id, Response.key == _key(token, activity_id)
        )
    )
