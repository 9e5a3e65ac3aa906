"""The data every export renders: `summary(workshop)`, plain JSON-ready data.

Built from the facilitator audience's results payloads through `hearth.results`, so the k
threshold, moderation and hidden words apply to documents exactly as they do live. The JSON
format is exactly this dict (hearth/exports/export.schema.json, docs/export-format.md).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from hearth.extensions import db
from hearth.kinds import public_spec
from hearth.models import Question, Workshop, WorkshopActivity
from hearth.results import comparisons, results_payloads, shown_results

FORMAT_NAME = "hearth-summary"
# 2: an activity's `responded` (answers and passes together) became `answered` (answers only).
FORMAT_VERSION = 2
# Spec fields shown on their own in an export; the rest of the spec goes under "spec".
_SPEC_OWN = ("kind", "title", "prompt", "pair")
QUESTION_STATUSES = ("approved", "answered")


def workshop_date(workshop: Workshop) -> date:
    """The day a summary is dated: the day the workshop ended, or was created if it has not."""
    return workshop.ended_on or workshop.created_on


def summary(workshop: Workshop) -> dict[str, Any]:
    """Everything an export shows, as plain JSON-ready data (the JSON format is exactly this)."""
    activities = []
    for activity in workshop.activities:
        payloads = results_payloads(workshop, activity)
        if payloads is None:
            continue  # content slides take no answers
        activities.append(_activity_summary(activity, payloads["facilitator"]))
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "workshop": {
            "title": workshop.title,
            "date": workshop_date(workshop).isoformat(),
            "facilitator": workshop.owner.display_name,
            "peak_participants": workshop.peak_connected,
            "min_group": workshop.min_group,
            "purged_on": workshop.purged_on.isoformat() if workshop.purged_on else None,
        },
        "activities": activities,
        "comparisons": comparisons(workshop),
        "questions": _questions(workshop.id),
        "signals": {"break": workshop.break_signals, "reactions": dict(workshop.reactions or {})},
        "notes": workshop.notes or "",
    }


def _activity_summary(activity: WorkshopActivity, payload: dict[str, Any]) -> dict[str, Any]:
    """One activity of a summary from its facilitator-audience results payload."""
    spec = public_spec(activity.spec)  # the facilitator's script never reaches a document
    hidden = payload["hidden"]
    return {
        "number": activity.position + 1,
        "kind": activity.kind,
        "title": spec.get("title"),
        "prompt": spec.get("prompt", ""),
        "pair": spec.get("pair"),
        "spec": {k: v for k, v in spec.items() if k not in _SPEC_OWN},
        "answered": payload["answered"],
        # Below k even the pass count stays out: it is a count about fewer than k people.
        "passed": payload["passed"] if hidden is None else None,
        "hidden": hidden,
        "results": shown_results(activity, payload),
    }


def _questions(workshop_id: int) -> list[dict[str, Any]]:
    """Approved and answered questions, most votes first; ties by text, never by arrival."""
    rows = db.session.scalars(
        select(Question).where(
            Question.workshop_id == workshop_id, Question.status.in_(QUESTION_STATUSES)
        )
    )
    questions = [{"text": q.text, "status": q.status, "votes": q.votes} for q in rows]
    return sorted(questions, key=lambda q: (-q["votes"], q["text"]))
