"""The data lifecycle: the take-home summary (publish, unpublish, what participants see) and
deleting a workshop's answers for good (purge, the hourly purge job, export-then-purge)."""

from __future__ import annotations

import logging
import secrets
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, func, select, text

from hearth import changes, exports
from hearth.changes import ResultsChanged, WorkshopChanged
from hearth.errors import HearthError
from hearth.extensions import db, writing
from hearth.kinds import public_activity
from hearth.models import (
    PurgeRecord,
    Question,
    QuestionVote,
    Response,
    Workshop,
    WorkshopActivity,
    today_utc,
)
from hearth.resources import fitting
from hearth.results import results_payloads, take_home_results

log = logging.getLogger(__name__)

# The plan fields the take-home page draws results with, beside the title and the prompt.
_TAKE_HOME_SPEC = ("options", "min", "max", "min_label", "max_label")
# Days after its creation day that an unended workshop is ended by the purge job.
ABANDONED_AFTER_DAYS = 2


# --- the take-home summary ----------------------------------------------------------------


def publish_summary(workshop: Workshop) -> str:
    """Publish the take-home summary of an ended workshop; returns its secret key (kept if set)."""
    if workshop.rehearsal:
        raise HearthError(
            "rehearsal",
            "This was a rehearsal: it has no take-home page, and its answers were deleted when "
            "it ended.",
            409,
        )
    if workshop.phase != "ended":
        raise HearthError(
            "invalid_state", "End the workshop before sharing its summary with participants.", 409
        )
    if workshop.purged_on is not None:
        raise HearthError(
            "invalid_state", "This workshop's answers were deleted; there is nothing to share.", 409
        )
    with writing():
        if workshop.summary_key is None:
            workshop.summary_key = secrets.token_urlsafe(24)
        key = workshop.summary_key
        # The projector shows the take-home link as a QR code at the end.
        changes.record(WorkshopChanged(workshop.id))
    return key


def unpublish_summary(workshop: Workshop) -> None:
    """Take the take-home summary down: its old link stops working."""
    with writing():
        workshop.summary_key = None
        changes.record(WorkshopChanged(workshop.id))


def participant_summary(workshop: Workshop) -> dict[str, Any]:
    """What participants may see after the workshop: revealed public results and resources.

    No notes, no pass or response counts, no questions, nothing below k and nothing the
    facilitator did not reveal: exactly what the room could already see on the projector
    (`hearth.results.take_home_results` decides what of each payload that is).
    """
    activities = []
    for activity in workshop.activities:
        payloads = results_payloads(workshop, activity)
        results = take_home_results(activity, payloads) if payloads is not None else None
        if results is not None:
            activities.append(_take_home_activity(activity, results))
    return {
        "title": workshop.title,
        "date": exports.workshop_date(workshop).isoformat(),
        "activities": activities,
        "resources": fitting(workshop.resources, workshop.region, workshop.language),
    }


def _take_home_activity(activity: WorkshopActivity, results: dict[str, Any]) -> dict[str, Any]:
    """One activity of the take-home summary: its public plan fields and its results."""
    public = public_activity(activity.id, activity.position, activity.spec)
    return {
        "number": activity.position + 1,
        "kind": activity.kind,
        "title": public.get("title"),
        "prompt": public.get("prompt", ""),
        **{name: public.get(name) for name in _TAKE_HOME_SPEC},
        "results": results,
    }


# --- purging ------------------------------------------------------------------------------


def purge_due_on(workshop: Workshop) -> date | None:
    """The day a workshop's answers are due to be deleted (None until it has ended)."""
    if workshop.ended_on is None:
        return None
    return workshop.ended_on + timedelta(days=workshop.purge_after_days)


def purge_workshop(workshop: Workshop) -> PurgeRecord:
    """Delete a workshop's answers, questions and votes for good; record only the counts.

    The workshop itself stays (title, date, counts of phones and break signals, the
    facilitator's notes), so its summary still says what happened, without any answer.
    """
    if workshop.phase == "live":
        raise HearthError("invalid_state", "End the workshop before deleting its answers.", 409)
    workshop_id = workshop.id
    with writing():
        responses, questions = delete_answers(workshop_id)
        changes.record(WorkshopChanged(workshop_id))
        for activity in workshop.activities:
            # Normalised words from answers, kept to hide them from the projector.
            activity.hidden_words = []
            changes.record(ResultsChanged(workshop_id, activity.id))
        workshop.purged_on = today_utc()
        # The take-home page showed those answers; it goes with them.
        workshop.summary_key = None
        record = PurgeRecord(
            workshop_id=workshop_id,
            purged_on=workshop.purged_on,
            responses=responses,
            questions=questions,
        )
        db.session.add(record)
    # The deleted rows are gone from the tables now, but in WAL mode their old pages can still
    # sit in the -wal file, and the zeroed pages (secure_delete) reach the main file only at a
    # checkpoint. TRUNCATE copies everything back and empties the WAL, so the text is gone
    # from disk, not only from queries.
    checkpoint()
    db.session.expire_all()
    return record


def delete_answers(workshop_id: int) -> tuple[int, int]:
    """Delete a workshop's responses, questions and votes (in the caller's transaction);
    returns how many responses and questions there were."""
    activity_ids = select(WorkshopActivity.id).where(WorkshopActivity.workshop_id == workshop_id)
    question_ids = select(Question.id).where(Question.workshop_id == workshop_id)
    responses = db.session.scalar(
        select(func.count(Response.id)).where(Response.activity_id.in_(activity_ids))
    )
    questions = db.session.scalar(
        select(func.count(Question.id)).where(Question.workshop_id == workshop_id)
    )
    db.session.execute(delete(Response).where(Response.activity_id.in_(activity_ids)))
    db.session.execute(delete(QuestionVote).where(QuestionVote.question_id.in_(question_ids)))
    db.session.execute(delete(Question).where(Question.workshop_id == workshop_id))
    return responses or 0, questions or 0


def checkpoint() -> None:
    """On SQLite, run `PRAGMA wal_checkpoint(TRUNCATE)` under the write lock after deleting
    answers (a purge, a rehearsal's end); log if a reader blocks it."""
    if db.engine.dialect.name != "sqlite":
        return
    # Under the write lock no writer of this process is mid-transaction; readers here do not
    # hold transactions open, so the checkpoint waits at most for one statement to finish.
    with writing():
        row = db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).first()
    if row is not None and row[0]:
        # A reader held an old snapshot: the next checkpoint (SQLite runs them on its own)
        # finishes the job. Nothing about the workshop is logged.
        log.warning("Purge: the database checkpoint was busy and will complete later")


def purge_due(today: date) -> list[PurgeRecord]:
    """Purge every ended, not yet purged workshop whose retention ran out on or before today."""
    candidates = db.session.scalars(
        select(Workshop).where(Workshop.ended_on.is_not(None), Workshop.purged_on.is_(None))
    ).all()
    records = []
    for workshop in candidates:
        due = purge_due_on(workshop)
        if due is not None and due <= today:
            records.append(purge_workshop(workshop))
    return records


def end_abandoned(today: date) -> list[int]:
    """End workshops left open ABANDONED_AFTER_DAYS after the day they were created.

    A workshop is a one-day event; one never ended would otherwise keep its answers forever.
    Ending it starts the normal retention clock.
    """
    from hearth.services.workshops import perform_action

    cutoff = today - timedelta(days=ABANDONED_AFTER_DAYS)
    stale = db.session.scalars(
        select(Workshop.id).where(Workshop.phase != "ended", Workshop.created_on <= cutoff)
    ).all()
    for workshop_id in stale:
        perform_action(workshop_id, {"action": "end"})
    return list(stale)


def run_purge_job() -> int:
    """End abandoned workshops and purge what is due today (hourly, in an app context)."""
    ended = end_abandoned(today_utc())
    if ended:
        log.info("Ended %d workshop(s) left open for %d days", len(ended), ABANDONED_AFTER_DAYS)
    records = purge_due(today_utc())
    if records:
        log.info("Purged the answers of %d workshop(s) past their retention", len(records))
    return len(records)


def export_then_purge(workshop: Workshop, fmt: str) -> tuple[bytes, str, str]:
    """Build an export, and only once it exists, purge the workshop; returns the export."""
    export = exports.build_export(workshop, fmt)
    purge_workshop(workshop)
    return export
