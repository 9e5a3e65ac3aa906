"""Answers, passes and retractions from phones: validated, upserted, committed, then acked."""

from __future__ import annotations

from typing import Any, NamedTuple

from flask import current_app
from sqlalchemy import bindparam, delete, insert, select, update

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


# The answer path's statements, built once: constructing and cache-keying SQLAlchemy
# statements per call cost more than SQLite's own work (see docs/performance.md).
_responses, _activities, _workshops = (
    Response.__table__,
    WorkshopActivity.__table__,
    Workshop.__table__,
)
_SELECT_TARGET = (
    select(
        _activities.c.kind,
        _activities.c.spec,
        _activities.c.position,
        _activities.c.accepting,
        _workshops.c.phase,
        _workshops.c.current_index,
    )
    .join(_workshops, _workshops.c.id == _activities.c.workshop_id)
    .where(
        _activities.c.id == bindparam("activity_id"),
        _activities.c.workshop_id == bindparam("workshop_id"),
    )
)
_SELECT_STORED = select(
    _responses.c.id,
    _responses.c.value,
    _responses.c.passed,
    _responses.c.moderation,
    _responses.c.msg_id,
).where(_responses.c.activity_id == bindparam("activity_id"), _responses.c.key == bindparam("key"))
_INSERT = insert(_responses)
_UPDATE = update(_responses).where(_responses.c.id == bindparam("row_id"))


class Target(NamedTuple):
    """What the answer path needs of an activity, read in one query."""

    kind: str
    spec: dict[str, Any]


def _answerable(workshop_id: int, activity_id: int) -> Target:
    """The activity if this phone may answer it now, or the reason it may not.

    One Core query for the activity and its workshop's phase: the answer path is the hot path
    of a 2,000-phone burst, and ORM loading was most of its cost.
    """
    row = (
        db.session.connection()
        .execute(_SELECT_TARGET, {"activity_id": activity_id, "workshop_id": workshop_id})
        .first()
    )
    if row is None:
        raise HearthError("unknown_activity", "That question is not part of this workshop.", 404)
    if row.phase == "ended":
        raise HearthError(
            "workshop_ended", "This workshop has ended. Thank you for taking part.", 410
        )
    if not KINDS[row.kind].takes_answers:
        raise HearthError("no_answers", "This slide does not take answers.")
    if row.phase != "live" or row.current_index != row.position:
        raise HearthError("not_current", "The facilitator has moved on from that question.", 409)
    if not row.accepting:
        raise HearthError(
            "closed", "This question is closed, so answers can no longer change.", 409
        )
    return Target(row.kind, row.spec)


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
    with writing():
        connection = db.session.connection()
        stored = connection.execute(
            _SELECT_STORED, {"activity_id": activity_id, "key": key}
        ).first()
        if stored is not None and stored.msg_id == msg_id:
            # A retry of a message already stored (its ack was lost): acknowledge it again.
            return activity_id, {"value": stored.value, "passed": stored.passed}
        target = _answerable(workshop_id, activity_id)
        value = (
            None if passed else KINDS[target.kind].parse_value(target.spec, payload.get("value"))
        )
        unchanged = stored is not None and stored.value == value and stored.passed == passed
        moderation = None
        if target.kind == "open" and not passed:
            # The same text keeps its verdict; new text waits for the facilitator again.
            moderation = stored.moderation if unchanged and stored is not None else "pending"
        fields = {"value": value, "passed": passed, "moderation": moderation, "msg_id": msg_id}
        if stored is None:
            connection.execute(_INSERT, {"activity_id": activity_id, "key": key, **fields})
        else:
            connection.execute(_UPDATE, {"row_id": stored.id, **fields})
    if not unchanged:
        realtime.results_changed(workshop_id, activity_id)
    return activity_id, {"value": value, "passed": passed}


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
