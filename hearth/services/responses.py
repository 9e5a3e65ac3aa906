"""Answers, passes and retractions from phones: validated, upserted, committed, then acked."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Iterator
from typing import Any, NamedTuple

from flask import Flask, current_app
from sqlalchemy import BindParameter, Connection, Select, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from hearth import changes
from hearth.changes import ResultsChanged
from hearth.errors import HearthError, invalid_payload, record_id, refuse_if_ended
from hearth.extensions import db, socketio, writing
from hearth.kinds import KINDS
from hearth.memory import collector
from hearth.models import Response, Workshop, WorkshopActivity
from hearth.privacy import response_key
from hearth.services.care import care_of

log = logging.getLogger(__name__)

MAX_MSG_ID = 64


def _key(token: str, activity_id: int, app: Flask | None = None) -> str:
    """The unlinkable storage key of this phone's response to this activity."""
    config = (app or current_app).config
    return response_key(config["SECRET_KEY"], token, activity_id)


def _activity_id(payload: Any) -> int:
    """The 'activity_id' field of a phone's message."""
    if not isinstance(payload, dict):
        raise invalid_payload("The message must be an object.")
    return record_id(payload.get("activity_id"), "activity_id")


def check_msg_id(payload: dict[str, Any]) -> str:
    """The 'msg_id' that makes a retried message harmless."""
    msg_id = payload.get("msg_id")
    if not isinstance(msg_id, str) or not 1 <= len(msg_id) <= MAX_MSG_ID:
        raise invalid_payload(
            "'msg_id' must be a string of 1 to %(limit)s characters.", limit=MAX_MSG_ID
        )
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
        _workshops.c.pace,
    )
    .join(_workshops, _workshops.c.id == _activities.c.workshop_id)
    .where(
        _activities.c.id == bindparam("activity_id"),
        _activities.c.workshop_id == bindparam("workshop_id"),
    )
)
_STORED_COLUMNS = (
    _responses.c.key,
    _responses.c.id,
    _responses.c.value,
    _responses.c.passed,
    _responses.c.moderation,
    _responses.c.care,
    _responses.c.msg_id,
)
# A group reads its stored rows with `key IN (:k0, ..., :kN)` for N a power of two (padded by
# repeating a key), so a few statements are compiled and cached once; an "expanding" IN is
# rendered again on every execution, which was a quarter of a burst's time.
_STORED_SIZES = tuple(2**n for n in range(9))  # 1 .. 256 keys a statement


def _select_stored(size: int) -> Select[Any]:
    """The stored-rows query for `size` keys."""
    keys: list[BindParameter[Any]] = [bindparam(f"k{i}") for i in range(size)]
    return select(*_STORED_COLUMNS).where(
        _responses.c.activity_id == bindparam("activity_id"), _responses.c.key.in_(keys)
    )


_SELECT_STORED = {size: _select_stored(size) for size in _STORED_SIZES}


def _stored_rows(connection: Connection, activity_id: int, keys: list[str]) -> Iterator[Any]:
    """The stored responses of these phones' keys to one activity."""
    largest = _STORED_SIZES[-1]
    for start in range(0, len(keys), largest):
        chunk = keys[start : start + largest]
        size = next(size for size in _STORED_SIZES if size >= len(chunk))
        params: dict[str, Any] = {f"k{i}": chunk[min(i, len(chunk) - 1)] for i in range(size)}
        params["activity_id"] = activity_id
        yield from connection.execute(_SELECT_STORED[size], params)


_INSERT = insert(_responses)
_WRITTEN = ("value", "passed", "moderation", "care", "msg_id")
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
    refuse_if_ended(row.phase)
    if not KINDS[row.kind].takes_answers:
        raise HearthError("no_answers", "This slide does not take answers.")
    # Self-paced phones answer any activity of their workshop, in any order.
    if row.phase != "live" or (row.pace != "self" and row.current_index != row.position):
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


class _Answer:
    """One phone's answer or pass, waiting to be written in the next group commit."""

    __slots__ = (
        "workshop_id",
        "activity_id",
        "key",
        "msg_id",
        "payload",
        "passed",
        "mine",
        "error",
        "done",
        "wake",
    )

    def __init__(
        self,
        workshop_id: int,
        activity_id: int,
        key: str,
        msg_id: str,
        payload: Any,
        *,
        passed: bool,
    ) -> None:
        self.workshop_id, self.activity_id, self.key = workshop_id, activity_id, key
        self.msg_id, self.payload, self.passed = msg_id, payload, passed
        self.mine: dict[str, Any] | None = None
        self.error: BaseException | None = None
        self.done = False
        self.wake = threading.Event()  # set when done, or when it is this answer's turn to write


# Group commit: answers that arrive while a commit is being written wait, and whoever writes
# next writes every waiting answer in one transaction. A burst of 2,000 answers becomes a few
# dozen transactions instead of 2,000 (see docs/performance.md). Each answer waits on its own
# event, not on the lock: a lock hands itself on one waiter per hub turn, and answers long
# written would queue behind it.
_writer = threading.Lock()
_waiting: list[_Answer] = []
# With real threads a waiter looks again this often, in case the writer left just as it began
# to wait. Green threads cannot interleave there, so they wait without a timer (a timer per
# answer was a measurable part of a flood's cost).
_RECHECK_SECONDS = 0.05


def _upsert(
    workshop_id: int, token: str, payload: Any, *, passed: bool, app: Flask | None = None
) -> tuple[int, dict[str, Any]]:
    """Store an answer or a pass once per phone and activity; a repeated msg_id is a no-op.

    Returns only after the commit that holds it (or with the reason it was refused). Needs
    no app context when `app` is given: only the answer that writes a group pushes one.
    """
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    activity_id = _activity_id(payload)
    msg_id = check_msg_id(payload)
    answer = _Answer(
        workshop_id, activity_id, _key(token, activity_id, app), msg_id, payload, passed=passed
    )
    recheck = _RECHECK_SECONDS if socketio.async_mode == "threading" else None
    _waiting.append(answer)
    while not answer.done:
        if _writer.acquire(blocking=False):
            try:
                with app.app_context():
                    # Let the answers already received join this commit before taking it.
                    socketio.sleep(0)
                    _write_waiting()
            finally:
                _release_writer()
        else:
            answer.wake.wait(recheck)
            answer.wake.clear()
    if answer.error is not None:
        raise answer.error
    assert answer.mine is not None
    return activity_id, answer.mine


def _write_waiting() -> None:
    """Write every waiting answer as one group (the caller holds `_writer`)."""
    group = _waiting[:]
    del _waiting[: len(group)]
    if group:
        _write_group(group)


def _release_writer() -> None:
    """Let go of `_writer` and hand the next group to the first answer still waiting."""
    _writer.release()
    if _waiting:
        _waiting[0].wake.set()


def _write_group(group: list[_Answer], *, retry: bool = True) -> None:
    """Write a group in one transaction; if that fails, write each answer on its own.

    Every answer leaves done, with `mine` (committed) or `error` (refused or failed). A lone
    answer refused by a unique constraint is written once more: its new row drew a random id
    already taken (hearth.models.random_id), or another worker wrote the phone's row first,
    and the second attempt draws a fresh id or updates that row.

    The results changes of every transaction written here (the group's, or each answer's)
    are handed on as one batch, after the answers are woken (`hearth.changes.batch`).
    """
    with changes.batch():
        try:
            _commit_group(group)
        except Exception as error:
            _write_after_failure(group, error, retry=retry)
            return
        finally:
            for answer in group:
                if answer.mine is None and answer.error is None:
                    answer.error = HearthError(
                        "server_error", "Something went wrong on our side. Please try again."
                    )
                answer.done = True
                answer.wake.set()
        collector.busy()


def _write_after_failure(group: list[_Answer], error: Exception, *, retry: bool) -> None:
    """After a failed commit: retry a lone answer once, refuse it, or write a group one by one."""
    if len(group) == 1 and retry and isinstance(error, IntegrityError):
        _write_group(group, retry=False)
    elif len(group) == 1:
        group[0].error = error
    else:
        # The type only: an exception's text can hold the SQL parameters (the answers).
        log.warning(
            "A group commit of %d answers failed (%s); writing them one by one",
            len(group),
            type(error).__name__,
        )
        for answer in group:
            _write_group([answer])


def _commit_group(group: list[_Answer]) -> None:
    """Apply a group's answers in order, in one transaction, recording a results change for
    each answer that changed results.

    One change per answer, not per activity: with the tick on, the hub keeps a set anyway;
    with it off (the benchmark's baseline) each change is a broadcast.

    Each activity is checked once (is it live, current, open?) and its stored rows read in one
    query; a phone's second message in the same group sees its first.
    """
    by_activity: dict[int, list[_Answer]] = defaultdict(list)
    for answer in group:
        answer.mine = answer.error = None
        by_activity[answer.activity_id].append(answer)
    with writing():
        connection = db.session.connection()
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for activity_id, answers in by_activity.items():
            rows = _stored_rows(connection, activity_id, list({a.key for a in answers}))
            state = {row.key: row._asdict() for row in rows}
            for key in _apply(answers, state):
                row = state[key]
                fields = {name: row[name] for name in _WRITTEN}
                if row["id"] is None:
                    inserts.append({"activity_id": activity_id, "key": key, **fields})
                else:
                    updates.append({"row_id": row["id"], **fields})
        if inserts:
            connection.execute(_INSERT, inserts)
        if updates:
            connection.execute(_UPDATE, updates)


def _apply(answers: list[_Answer], state: dict[str, dict[str, Any]]) -> set[str]:
    """Apply one activity's answers, in order, to its stored rows (`state`, by key); returns
    the keys whose rows must be written. Sets each answer's `mine` or `error`."""
    targets: dict[int, Target | HearthError] = {}
    written: set[str] = set()
    for answer in answers:
        stored = state.get(answer.key)
        if stored is not None and stored["msg_id"] == answer.msg_id:
            # A retry of a message already stored (its ack was lost): acknowledge again.
            answer.mine = {"value": stored["value"], "passed": stored["passed"]}
            continue
        try:
            fields = _new_fields(answer, stored, targets)
        except HearthError as error:
            answer.error = error
            continue
        unchanged = (
            stored is not None
            and stored["value"] == fields["value"]
            and stored["passed"] == fields["passed"]
        )
        if not unchanged:
            changes.record(ResultsChanged(answer.workshop_id, answer.activity_id))
        if stored is None:
            state[answer.key] = stored = {"id": None, "key": answer.key}
        stored.update(fields)
        written.add(answer.key)
        answer.mine = {"value": fields["value"], "passed": fields["passed"]}
    return written


def _new_fields(
    answer: _Answer, stored: dict[str, Any] | None, targets: dict[int, Target | HearthError]
) -> dict[str, Any]:
    """The row's fields after this answer, or the HearthError that refuses it."""
    if answer.workshop_id not in targets:
        try:
            targets[answer.workshop_id] = _answerable(answer.workshop_id, answer.activity_id)
        except HearthError as error:
            targets[answer.workshop_id] = error
    target = targets[answer.workshop_id]
    if isinstance(target, HearthError):
        # A fresh error per answer: one shared exception would collect every raiser's frames.
        raise HearthError(target.code, target.text, target.status)
    value = (
        None
        if answer.passed
        else KINDS[target.kind].parse_value(target.spec, answer.payload.get("value"))
    )
    moderation = care = None
    if target.kind == "open" and not answer.passed:
        # The same text keeps its verdict; new text waits for the facilitator again, or is
        # held for their care when it has crisis language (hearth.services.care).
        if stored is not None and stored["value"] == value and not stored["passed"]:
            moderation, care = stored["moderation"], stored["care"]
        else:
            care = care_of(answer.workshop_id, str(value))
            moderation = "held" if care else "pending"
    return {
        "value": value,
        "passed": answer.passed,
        "moderation": moderation,
        "care": care,
        "msg_id": answer.msg_id,
    }


def submit_answer(
    workshop_id: int, token: str, payload: Any, app: Flask | None = None
) -> tuple[int, dict[str, Any]]:
    """Record (or change) this phone's answer; returns (activity id, mine)."""
    if isinstance(payload, dict) and "value" not in payload:
        raise invalid_payload("'value' is missing.")
    return _upsert(workshop_id, token, payload, passed=False, app=app)


def submit_pass(
    workshop_id: int, token: str, payload: Any, app: Flask | None = None
) -> tuple[int, dict[str, Any]]:
    """Record that this phone passed on the activity."""
    return _upsert(workshop_id, token, payload, passed=True, app=app)


def submit_simulated(
    workshop_id: int, answers: list[tuple[str, dict[str, Any]]], app: Flask
) -> int:
    """A rehearsal's simulated phones' answers, each `(token, answer message)`: the same checks,
    keys, group commit and results changes as phones' answers (hearth.services.rehearsal),
    written with whatever phones sent meanwhile. Returns how many were written; one refused
    (the activity closed meanwhile) is left out, as a phone's would be."""
    group = [
        _Answer(
            workshop_id,
            _activity_id(message),
            _key(token, _activity_id(message), app),
            check_msg_id(message),
            message,
            passed=False,
        )
        for token, message in answers
    ]
    _writer.acquire()
    try:
        _waiting.extend(group)
        _write_waiting()
    finally:
        _release_writer()
    return sum(1 for answer in group if answer.error is None)


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
    # Answers this phone sent before asking to delete must not be written after the delete:
    # take the writer's turn and write whatever is waiting first.
    _writer.acquire()
    try:
        _write_waiting()
        removed = _delete(workshop_id, keys)
    finally:
        _release_writer()
    return len(removed)


def _delete(workshop_id: int, keys: dict[int, str]) -> list[int]:
    """Delete these keys' responses in one transaction; the activities that had one."""
    removed: list[int] = []
    with writing():
        for activity_id, key in keys.items():
            result = db.session.execute(
                delete(Response).where(Response.activity_id == activity_id, Response.key == key)
            )
            if result.rowcount:  # type: ignore[attr-defined]
                removed.append(activity_id)
                changes.record(ResultsChanged(workshop_id, activity_id))
    return removed


def my_response(token: str, activity_id: int) -> Response | None:
    """This phone's response to an activity, if any."""
    return db.session.scalar(
        select(Response).where(
            Response.activity_id == activity_id, Response.key == _key(token, activity_id)
        )
    )


def my_responses(token: str, activity_ids: list[int]) -> dict[int, Response]:
    """This phone's responses to these activities, by activity id, in one query."""
    if not activity_ids:
        return {}
    keys = {_key(token, activity_id): activity_id for activity_id in activity_ids}
    rows = db.session.scalars(
        select(Response).where(
            Response.activity_id.in_(list(keys.values())), Response.key.in_(list(keys))
        )
    )
    return {row.activity_id: row for row in rows if keys.get(row.key) == row.activity_id}
