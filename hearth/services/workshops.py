"""Workshops: creation, and every facilitator action that changes what is showing."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any, NamedTuple

from sqlalchemy import select

from hearth import changes
from hearth.aggregate import normalise_word
from hearth.changes import ControlRoomsClosed, QaChanged, WorkshopChanged
from hearth.config import MIN_GROUP_CEILING, MIN_GROUP_FLOOR
from hearth.errors import HearthError, invalid_payload, not_found, record_id
from hearth.extensions import db, writing
from hearth.i18n import LANGUAGES
from hearth.kinds import KINDS
from hearth.models import (
    Facilitator,
    Plan,
    Response,
    Workshop,
    WorkshopActivity,
    WorkshopFacilitator,
    now_utc,
    today_utc,
)
from hearth.resources import check_region, check_resources, default_resources
from hearth.services import care, pace, questions, rehearsal, room

# No 0/O, 1/I/L, 5/S or 8/B: codes are read off a projector and typed on phones.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY234679"
CODE_LENGTH = 6
TIMER_RANGE = (5, 3600)


def new_join_code() -> str:
    """A random 6-character code from the unambiguous alphabet, not in use by any workshop."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.scalar(select(Workshop.id).where(Workshop.code == code)) is None:
            return code


def new_present_key() -> str:
    """A secret key for the projector link (/present/<key>)."""
    return secrets.token_urlsafe(24)


def normalise_code(raw: str) -> str:
    """Uppercase a typed code and drop spaces and dashes."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())[:16]


def find_plan(ref: Any) -> Plan:
    """Find a plan by id or slug."""
    plan = None
    if isinstance(ref, int) and not isinstance(ref, bool):
        plan = db.session.get(Plan, ref)
    elif isinstance(ref, str) and ref.strip():
        ref = ref.strip()
        plan = db.session.scalar(select(Plan).where(Plan.slug == ref))
        if plan is None and ref.isdigit():
            plan = db.session.get(Plan, int(ref))
    if plan is None:
        raise not_found("There is no plan with that id or slug.")
    return plan


def check_settings(settings: Any, default_min_group: int, default_days: int) -> tuple[int, int]:
    """Validate workshop settings and return (min_group, purge_after_days)."""
    if settings is None:
        settings = {}
    if not isinstance(settings, dict):
        raise invalid_payload("'settings' must be an object.")
    min_group = settings.get("min_group", default_min_group)
    if (
        isinstance(min_group, bool)
        or not isinstance(min_group, int)
        or not MIN_GROUP_FLOOR <= min_group <= MIN_GROUP_CEILING
    ):
        raise HearthError(
            "invalid_value",
            "The minimum group size must be a whole number from %(lo)s to %(hi)s.",
            lo=MIN_GROUP_FLOOR,
            hi=MIN_GROUP_CEILING,
        )
    days = settings.get("purge_after_days", default_days)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 365:
        raise HearthError(
            "invalid_value", "Answers must be deleted between 1 and 365 days after the end."
        )
    return min_group, days


def check_language(settings: Any, plan: Plan) -> str:
    """The language a new workshop speaks (its projector): `settings.language`, one Hearth
    speaks, else the plan's. `invalid_settings` naming the field when it is not one of them;
    writes nothing, so a refused request leaves nothing behind."""
    if not isinstance(settings, dict) or settings.get("language") is None:
        return plan.language
    language = settings["language"]
    if not isinstance(language, str) or language not in LANGUAGES:
        raise HearthError(
            "invalid_settings",
            "'%(field)s' must be one of the languages Hearth speaks: %(names)s.",
            field="settings.language",
            names=", ".join(LANGUAGES),
        )
    return language


class Running(NamedTuple):
    """How a new workshop runs: its pace (hearth.services.pace), the language it speaks,
    which its projector follows (check_language; None: its plan's), and the region its room is
    in, which picks the support resources phones show (hearth.resources.region_setting)."""

    paced: pace.Pace = pace.LIVE
    language: str | None = None
    # A rehearsal (hearth.services.rehearsal): simulated answers, nothing kept at the end.
    rehearsal: bool = False
    region: str = "any"


AS_PLANNED = Running()


def create_workshop(
    plan: Plan,
    owner: Facilitator,
    *,
    min_group: int,
    purge_after_days: int,
    series_id: int | None = None,
    running: Running = AS_PLANNED,
) -> Workshop:
    """Start a workshop in the lobby with a frozen copy of the plan's activities (and, when
    given, as the next session of a series: hearth.services.series checks whose it is)."""
    paced, language, is_rehearsal, region = running
    with writing():
        workshop = Workshop(
            code=new_join_code(),
            present_key=new_present_key(),
            title=plan.title,
            language=language or plan.language,
            plan_language=plan.language,
            plan_id=plan.id,
            owner_id=owner.id,
            min_group=min_group,
            purge_after_days=purge_after_days,
            series_id=series_id,
            pace=paced.pace,
            open_days=paced.open_days,
            rehearsal=is_rehearsal,
            resources=default_resources(language or plan.language),
            region=region,
        )
        for position, spec in enumerate(plan.activities):
            workshop.activities.append(
                WorkshopActivity(position=position, kind=spec["kind"], spec=dict(spec))
            )
        db.session.add(workshop)
    return workshop


def can_manage(facilitator: Facilitator, workshop: Workshop) -> bool:
    """True for the owner and the co-facilitators of a workshop."""
    if workshop.owner_id == facilitator.id:
        return True
    link = db.session.get(WorkshopFacilitator, (workshop.id, facilitator.id))
    return link is not None


def managed_workshop(facilitator: Facilitator, workshop_id: Any) -> Workshop:
    """Load a workshop the facilitator may run, or raise not_found / forbidden."""
    workshop = db.session.get(Workshop, record_id(workshop_id, "workshop_id"))
    if workshop is None:
        raise not_found("There is no workshop with that id.")
    if not can_manage(facilitator, workshop):
        raise HearthError("forbidden", "You are not a facilitator of this workshop.", 403)
    return workshop


def co_facilitators(workshop: Workshop) -> list[Facilitator]:
    """The co-facilitators of a workshop (not its owner), by email."""
    query = (
        select(Facilitator)
        .join(WorkshopFacilitator, WorkshopFacilitator.facilitator_id == Facilitator.id)
        .where(WorkshopFacilitator.workshop_id == workshop.id)
        .order_by(Facilitator.email)
    )
    return list(db.session.scalars(query))


def _owned(workshop: Workshop, by: Facilitator) -> None:
    """Refuse a change to the team from anyone but the owner."""
    if workshop.owner_id != by.id:
        raise HearthError(
            "forbidden", "Only the facilitator who started this workshop can change its team.", 403
        )


def add_co_facilitator(workshop: Workshop, by: Facilitator, email: str) -> Facilitator:
    """Let another facilitator account run this workshop too (same control room, same rights)."""
    _owned(workshop, by)
    colleague = db.session.scalar(
        select(Facilitator).where(Facilitator.email == email.strip().lower())
    )
    if colleague is None:
        raise HearthError(
            "not_found",
            "No facilitator account has that email. Whoever runs Hearth on this computer can "
            "make one with: hearth facilitator create EMAIL",
            404,
        )
    if colleague.id == workshop.owner_id:
        raise HearthError("invalid_value", "You already run this workshop.")
    with writing():
        if db.session.get(WorkshopFacilitator, (workshop.id, colleague.id)) is None:
            db.session.add(
                WorkshopFacilitator(workshop_id=workshop.id, facilitator_id=colleague.id)
            )
    return colleague


def remove_co_facilitator(workshop: Workshop, by: Facilitator, facilitator_id: int) -> None:
    """Take a co-facilitator off the team: their open control room leaves the workshop at once.

    They could see the projector link in the control room, so it gets a new key: the old
    link stops working (a projector open on it keeps its connection until it reloads).
    """
    _owned(workshop, by)
    with writing():
        link = db.session.get(WorkshopFacilitator, (workshop.id, facilitator_id))
        if link is None:
            raise not_found("That facilitator is not on this workshop's team.")
        db.session.delete(link)
        workshop.present_key = new_present_key()
        changes.record(ControlRoomsClosed(facilitator_id, (workshop.id,)))
        changes.record(WorkshopChanged(workshop.id))


def workshops_of(facilitator: Facilitator) -> list[Workshop]:
    """Workshops a facilitator owns or co-facilitates, newest first."""
    co = select(WorkshopFacilitator.workshop_id).where(
        WorkshopFacilitator.facilitator_id == facilitator.id
    )
    query = (
        select(Workshop)
        .where((Workshop.owner_id == facilitator.id) | Workshop.id.in_(co))
        .order_by(Workshop.id.desc())
    )
    return list(db.session.scalars(query))


def _takes_answers(activity: WorkshopActivity) -> bool:
    """True if the activity's kind collects answers."""
    return KINDS[activity.kind].takes_answers


def _current(workshop: Workshop) -> WorkshopActivity:
    """The current activity of a live workshop, or invalid_state."""
    activity = workshop.current_activity
    if activity is None:
        raise HearthError("invalid_state", "Start the workshop first.", 409)
    return activity


def _current_answerable(workshop: Workshop) -> WorkshopActivity:
    """The current activity if it collects answers, or invalid_state."""
    activity = _current(workshop)
    if not _takes_answers(activity):
        raise HearthError("invalid_state", "This slide does not collect answers.", 409)
    return activity


def _open(activity: WorkshopActivity) -> None:
    """Start accepting answers; live-reveal activities show results at once."""
    activity.accepting = True
    activity.opened_once = True
    if activity.spec.get("reveal") == "live":
        activity.revealed = True


def _close(activity: WorkshopActivity) -> None:
    """Stop accepting answers and any timer; on_close activities reveal now."""
    if activity.accepting and activity.spec.get("reveal") == "on_close":
        activity.revealed = True
    activity.accepting = False
    activity.closes_at = None


def _enter(workshop: Workshop, index: int) -> None:
    """Move to an activity: close the one being left, open a new one the first time."""
    if not 0 <= index < len(workshop.activities):
        raise HearthError(
            "invalid_state",
            "There is no activity %(number)s in this workshop.",
            409,
            number=index + 1,
        )
    if workshop.phase == "live":
        leaving = workshop.activities[workshop.current_index]
        if leaving.accepting and index != workshop.current_index:
            _close(leaving)
    workshop.current_index = index
    activity = workshop.activities[index]
    if _takes_answers(activity) and not activity.opened_once:
        _open(activity)
        if activity.spec.get("seconds"):
            activity.closes_at = now_utc() + timedelta(seconds=activity.spec["seconds"])


def _index_arg(payload: dict[str, Any]) -> int:
    """The 'index' of a goto action."""
    index = payload.get("index")
    if isinstance(index, bool) or not isinstance(index, int):
        raise invalid_payload("'goto' needs a whole-number 'index'.")
    return index


def _act_start(workshop: Workshop, payload: dict[str, Any]) -> None:
    if workshop.phase != "lobby":
        raise HearthError("invalid_state", "The workshop has already started.", 409)
    if not workshop.activities:
        raise HearthError("invalid_state", "This workshop has no activities.", 409)
    workshop.phase = "live"
    workshop.current_index = 0
    # Q&A is open throughout unless the facilitator closes it.
    workshop.qa_open = True
    _enter(workshop, 0)
    if workshop.pace == "self":
        pace.open_whole_plan(workshop)


def _act_goto(workshop: Workshop, payload: dict[str, Any]) -> None:
    _current(workshop)
    _enter(workshop, _index_arg(payload))


def _act_next(workshop: Workshop, payload: dict[str, Any]) -> None:
    _current(workshop)
    if workshop.current_index + 1 >= len(workshop.activities):
        raise HearthError(
            "invalid_state", "This is the last activity. End the workshop instead.", 409
        )
    _enter(workshop, workshop.current_index + 1)


def _act_prev(workshop: Workshop, payload: dict[str, Any]) -> None:
    _current(workshop)
    if workshop.current_index == 0:
        raise HearthError("invalid_state", "This is the first activity.", 409)
    _enter(workshop, workshop.current_index - 1)


def _act_open(workshop: Workshop, payload: dict[str, Any]) -> None:
    _open(_current_answerable(workshop))


def _act_close(workshop: Workshop, payload: dict[str, Any]) -> None:
    _close(_current_answerable(workshop))


def _act_reveal(workshop: Workshop, payload: dict[str, Any]) -> None:
    _current_answerable(workshop).revealed = True


def _act_hide(workshop: Workshop, payload: dict[str, Any]) -> None:
    _current_answerable(workshop).revealed = False


def _act_timer(workshop: Workshop, payload: dict[str, Any]) -> None:
    activity = _current_answerable(workshop)
    seconds = payload.get("seconds")
    if isinstance(seconds, bool) or not isinstance(seconds, int):
        raise invalid_payload("'timer' needs whole-number 'seconds' (0 cancels the timer).")
    if seconds == 0:
        activity.closes_at = None
        return
    lo, hi = TIMER_RANGE
    if not lo <= seconds <= hi:
        raise HearthError(
            "invalid_value", "A timer runs from %(lo)s to %(hi)s seconds.", lo=lo, hi=hi
        )
    if not activity.accepting:
        _open(activity)
    activity.closes_at = now_utc() + timedelta(seconds=seconds)


def _open_answer(workshop: Workshop, payload: dict[str, Any]) -> Response:
    """The open answer of this workshop an action names, or not_found."""
    row = db.session.get(Response, record_id(payload.get("response_id"), "response_id"))
    # A held answer leaves the care panel only by its own actions (hearth.services.care).
    if row is None or row.activity.workshop_id != workshop.id or row.moderation in (None, "held"):
        raise not_found("That answer is not in this workshop's moderation queue.")
    return row


def _approve(workshop: Workshop, payload: dict[str, Any]) -> int:
    """Approve one open answer of this workshop; returns its activity id."""
    row = _open_answer(workshop, payload)
    row.moderation = "approved"
    return row.activity_id


def _reject(workshop: Workshop, payload: dict[str, Any]) -> int:
    """Reject one open answer of this workshop; returns its activity id."""
    row = _open_answer(workshop, payload)
    row.moderation = "rejected"
    return row.activity_id


# Where a rejected answer may go back to: the moderation queue (the default), or, for an
# undo of rejecting an approved answer, approved again.
RESTORE_ANSWER_TO = ("pending", "approved")


def _restore_answer(workshop: Workshop, payload: dict[str, Any]) -> int:
    """Bring a rejected open answer back (to the queue unless `to` says approved)."""
    row = _open_answer(workshop, payload)
    target = questions.restore_target(payload, RESTORE_ANSWER_TO)
    if row.moderation != "rejected":
        raise HearthError(
            "invalid_state", "That answer is not rejected, so there is nothing to restore.", 409
        )
    row.moderation = target
    return row.activity_id


def _word_arg(workshop: Workshop, payload: dict[str, Any]) -> tuple[WorkshopActivity, str]:
    """The current word-cloud activity and the normalised word an action names."""
    activity = _current_answerable(workshop)
    if activity.kind != "words":
        raise HearthError("invalid_state", "Only a word cloud has words to hide.", 409)
    word = payload.get("word")
    if not isinstance(word, str) or not normalise_word(word):
        raise invalid_payload("This action needs the 'word' to hide or show.")
    return activity, normalise_word(word)


def _act_hide_word(workshop: Workshop, payload: dict[str, Any]) -> None:
    activity, word = _word_arg(workshop, payload)
    if word not in activity.hidden_words:
        activity.hidden_words = [*activity.hidden_words, word]


def _act_show_word(workshop: Workshop, payload: dict[str, Any]) -> None:
    activity, word = _word_arg(workshop, payload)
    activity.hidden_words = [w for w in activity.hidden_words if w != word]


def _act_resources(workshop: Workshop, payload: dict[str, Any]) -> None:
    """The reviewed list, and the room's region when the payload gives one; both are checked
    before either is written."""
    resources = check_resources(payload.get("resources"))
    region = check_region(payload.get("region", workshop.region))
    if region is None:
        raise HearthError(
            "invalid_value",
            "'%(field)s' must be \"any\" or two-letter country codes (ISO 3166) such as DE or "
            "GB/IE.",
            field="region",
        )
    workshop.resources = resources
    workshop.region = region
    workshop.resources_reviewed = True


def _act_end(workshop: Workshop, payload: dict[str, Any]) -> None:
    if workshop.phase == "ended":
        raise HearthError("invalid_state", "The workshop has already ended.", 409)
    for activity in workshop.activities:
        _close(activity)
    workshop.phase = "ended"
    workshop.ended_on = today_utc()
    workshop.qa_shown = False
    rehearsal.forget(workshop)


ACTIONS: dict[str, Callable[[Workshop, dict[str, Any]], None]] = {
    "start": _act_start,
    "goto": _act_goto,
    "next": _act_next,
    "prev": _act_prev,
    "open": _act_open,
    "close": _act_close,
    "reveal": _act_reveal,
    "hide": _act_hide,
    "timer": _act_timer,
    "hide_word": _act_hide_word,
    "show_word": _act_show_word,
    "resources": _act_resources,
    "lock": room.act_lock,
    "unlock": room.act_unlock,
    "head_count": room.act_head_count,
    "qa_open": questions.act_qa_open,
    "qa_close": questions.act_qa_close,
    "qa_approve": questions.act_qa_approve,
    "qa_dismiss": questions.act_qa_dismiss,
    "qa_answered": questions.act_qa_answered,
    "qa_restore": questions.act_restore_question,
    "qa_show": questions.act_qa_show,
    "qa_hide": questions.act_qa_hide,
    "simulate": rehearsal.act_simulate,
    "care_release": care.act_care_release,
    "care_dismiss": care.act_care_dismiss,
    "end": _act_end,
}
# What some actions do once their transaction has committed: simulated answers go through the
# phones' answer path, which commits on its own; a rehearsal's end empties SQLite's log.
AFTER_COMMIT: dict[str, Callable[[int, dict[str, Any]], Any]] = {
    "simulate": rehearsal.simulate,
    "end": rehearsal.after_end,
}
# Actions on one open answer: they return its activity, whose results they change.
MODERATION_ACTIONS: dict[str, Callable[[Workshop, dict[str, Any]], int]] = {
    "approve": _approve,
    "reject": _reject,
    "restore_answer": _restore_answer,
}


def perform_action(workshop_id: int, payload: Any) -> None:
    """Apply one facilitator action (docs/protocol.md) and tell the hub what changed."""
    if not isinstance(payload, dict):
        raise invalid_payload("An action must be an object with an 'action' field.")
    action = payload.get("action")
    # Check the type first: a list or an object cannot be looked up in a dict (unhashable).
    if not isinstance(action, str) or not (action in ACTIONS or action in MODERATION_ACTIONS):
        names = ", ".join([*ACTIONS, *MODERATION_ACTIONS])
        raise HearthError("unknown_action", "Unknown action. Use one of: %(names)s.", names=names)
    changed_activity = None
    with writing():
        workshop = db.session.get(Workshop, workshop_id)
        if workshop is None:
            raise not_found("There is no workshop with that id.")
        if workshop.phase == "ended" and action != "end":
            raise HearthError("invalid_state", "The workshop has ended.", 409)
        pace.refuse_live_only(workshop, action)
        if action in MODERATION_ACTIONS:
            changed_activity = MODERATION_ACTIONS[action](workshop, payload)
        else:
            ACTIONS[action](workshop, payload)
            activity = workshop.current_activity
            changed_activity = activity.id if activity else None
        if action.startswith("qa_"):
            changes.record(QaChanged(workshop_id))
        changes.record(WorkshopChanged(workshop_id, changed_activity))
    if action in AFTER_COMMIT:
        AFTER_COMMIT[action](workshop_id, payload)


def close_expired_timers() -> list[int]:
    """Close every activity whose timer ran out; return the workshops that changed."""
    changed: list[int] = []
    with writing():
        due = db.session.scalars(
            select(WorkshopActivity).where(
                WorkshopActivity.closes_at.is_not(None), WorkshopActivity.closes_at <= now_utc()
            )
        )
        for activity in due:
            _close(activity)
            changed.append(activity.workshop_id)
            changes.record(WorkshopChanged(activity.workshop_id, activity.id))
    return changed


def end_expired_self_paced() -> list[int]:
    """End every self-paced workshop whose open days are over; return their ids.

    Ending sets `ended_on`, so the retention clock starts then (hearth.services.retention).
    """
    ended: list[int] = []
    with writing():
        due = db.session.scalars(
            select(Workshop).where(
                Workshop.pace == "self",
                Workshop.phase == "live",
                Workshop.ends_at.is_not(None),
                Workshop.ends_at <= now_utc(),
            )
        ).all()
        for workshop in due:
            _act_end(workshop, {})
            ended.append(workshop.id)
            changes.record(WorkshopChanged(workshop.id))
    return ended
