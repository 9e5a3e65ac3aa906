"""The results read model: what each audience may see of an activity's answers.

One place decides the k threshold and reveal rules per audience (on top of the pure tallies
in `hearth.aggregate`), the fields that describe a payload rather than its results, how
check-ins and check-outs are compared, the answer counts and the moderation queue. The live
hub, the control room's HTTP snapshot, the take-home page and every export read from here, so
they cannot disagree (docs/architecture.md, docs/privacy.md).
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import bindparam, case, func, select

from hearth import aggregate
from hearth.extensions import db
from hearth.kinds import KINDS, pair_positions
from hearth.models import Response, Workshop, WorkshopActivity
from hearth.privacy import stable_shuffle_key

AUDIENCES = ("facilitator", "public")
# Fields of a results payload that describe the message rather than the results.
PAYLOAD_META = ("activity_id", "kind", "version", "answered", "passed", "hidden", "revealed")
NO_ANSWERS = {"answered": 0, "passed": 0}

_responses = Response.__table__
# Built once: the tick reads every response of a dirty activity, so construction cost counts.
_SELECT_ROWS = select(
    _responses.c.id, _responses.c.value, _responses.c.passed, _responses.c.moderation
).where(_responses.c.activity_id == bindparam("activity_id"))


def _rows(activity_id: int) -> list[tuple[int, Any, bool, str | None]]:
    """Every response of an activity, as plain tuples."""
    result = db.session.connection().execute(_SELECT_ROWS, {"activity_id": activity_id})
    return [tuple(row) for row in result]


def results_only(payload: dict[str, Any]) -> dict[str, Any]:
    """A payload without the fields that describe it: the results themselves."""
    return {key: value for key, value in payload.items() if key not in PAYLOAD_META}


def results_payloads(
    workshop: Workshop, activity: WorkshopActivity, version: int = 0
) -> dict[str, dict[str, Any]] | None:
    """The results of one activity for each audience: "facilitator" and "public".

    Both carry `answered` (phones that answered rather than passed); only the facilitator's
    carries `passed`: in a small room a pass count singles someone out (docs/privacy.md).
    `version` is the live hub's; documents leave it at 0. None for kinds without answers.
    """
    kind = KINDS[activity.kind]
    if kind.tally is None:
        return None
    rows = _rows(activity.id)
    answers = [
        aggregate.AnswerRow(rid, value, moderation)
        for rid, value, passed, moderation in rows
        if not passed
    ]
    if activity.kind == "open":
        secret = current_app.config["SECRET_KEY"]
        answers.sort(key=lambda row: stable_shuffle_key(secret, row.id))
    payloads = {}
    for audience in AUDIENCES:
        hidden = aggregate.visibility(
            answered=len(answers),
            min_group=workshop.min_group,
            revealed=activity.revealed,
            audience=audience,
        )
        payload: dict[str, Any] = {
            "activity_id": activity.id,
            "kind": activity.kind,
            "version": version,
            "answered": len(answers),
            "hidden": hidden,
        }
        if audience == "facilitator":
            payload["passed"] = len(rows) - len(answers)
            payload["revealed"] = activity.revealed
        if hidden is None:
            tally = kind.tally(activity.spec, answers)
            payload.update(aggregate.hide_words(tally, activity.hidden_words, audience))
        payloads[audience] = payload
    return payloads


def answer_counts(workshop_id: int) -> dict[int, dict[str, int]]:
    """`{answered, passed}` per activity of a workshop (activities without responses left out)."""
    passes = func.coalesce(func.sum(case((Response.passed, 1), else_=0)), 0)
    query = (
        select(Response.activity_id, func.count(Response.id), passes)
        .join(WorkshopActivity, WorkshopActivity.id == Response.activity_id)
        .where(WorkshopActivity.workshop_id == workshop_id)
        .group_by(Response.activity_id)
    )
    return {
        activity_id: {"answered": total - passed, "passed": passed}
        for activity_id, total, passed in db.session.execute(query)
    }


def _moderated_activities(workshop: Workshop) -> list[WorkshopActivity]:
    """The open activities the control room moderates now: the current one, or every open
    activity when the workshop is self-paced."""
    if workshop.pace == "self":
        return [a for a in workshop.activities if a.kind == "open"]
    current = workshop.current_activity
    return [current] if current is not None and current.kind == "open" else []


def moderation_queue(
    workshop: Workshop, state: str = "pending"
) -> tuple[list[dict[str, Any]], int]:
    """Pending open answers (or, with `state="rejected"`, the rejected ones the facilitator may
    restore), shuffled, each activity's shown only from k answers on: the current activity's,
    or every open activity's when the workshop is self-paced; and how many there are."""
    queue: list[dict[str, Any]] = []
    waiting = 0
    for activity in _moderated_activities(workshop):
        shown, pending = _activity_queue(workshop, activity, state)
        queue += shown
        waiting += pending
    return queue, waiting


def _activity_queue(
    workshop: Workshop, activity: WorkshopActivity, state: str
) -> tuple[list[dict[str, Any]], int]:
    """One open activity's answers in a moderation state (none shown below k), and how many."""
    rows = [row for row in _rows(activity.id) if not row[2]]
    pending = [row for row in rows if row[3] == state]
    if len(rows) < workshop.min_group:
        return [], len(pending)
    secret = current_app.config["SECRET_KEY"]
    pending.sort(key=lambda row: stable_shuffle_key(secret, row[0]))
    return [
        {"response_id": row[0], "activity_id": activity.id, "text": row[1]} for row in pending
    ], len(pending)


# --- the safety net's care panel ------------------------------------------------------------


def care_queue(
    workshop: Workshop, counts: dict[int, dict[str, int]] | None = None
) -> list[dict[str, Any]]:
    """Answers and questions held for the facilitator's care (hearth.services.care), in an
    order that is not arrival.

    Every held item is listed at once, with the categories it matched: a crisis outweighs the
    wait for k. An answer's text follows only once k people answered its activity, as in the
    moderation queue (docs/privacy.md); a question's, at once, as on the Q&A tab. `counts` is
    `answer_counts(workshop.id)` when the caller has it.
    """
    counts = answer_counts(workshop.id) if counts is None else counts
    positions = {activity.id: activity.position for activity in workshop.activities}
    rows = db.session.execute(
        select(Response.id, Response.activity_id, Response.value, Response.care)
        .join(WorkshopActivity, WorkshopActivity.id == Response.activity_id)
        .where(WorkshopActivity.workshop_id == workshop.id, Response.moderation == "held")
    )
    items = [
        {
            "response_id": rid,
            "question_id": None,
            "activity_index": positions.get(activity_id),
            "categories": (care or "").split(",") if care else [],
            "text": value
            if counts.get(activity_id, NO_ANSWERS)["answered"] >= workshop.min_group
            else None,
        }
        for rid, activity_id, value, care in rows
    ]
    items += [
        {
            "response_id": None,
            "question_id": q.id,
            "activity_index": None,
            "categories": q.care.split(",") if q.care else [],
            "text": q.text,
        }
        for q in workshop.questions
        if q.status == "held"
    ]
    secret = current_app.config["SECRET_KEY"]
    return sorted(
        items,
        key=lambda item: stable_shuffle_key(secret, item["response_id"] or item["question_id"]),
    )


# --- check-in and check-out -----------------------------------------------------------------


def activity_pairs(workshop: Workshop) -> list[tuple[WorkshopActivity, WorkshopActivity]]:
    """(check-in, check-out) pairs of a workshop, by the one rule in `hearth.kinds`."""
    activities = workshop.activities
    return [
        (activities[pre], activities[post])
        for pre, post in pair_positions([a.spec | {"kind": a.kind} for a in activities])
    ]


def is_check_out(workshop: Workshop, activity: WorkshopActivity | None) -> bool:
    """True when the activity is the check-out of a pair."""
    return activity is not None and any(
        post.id == activity.id for _, post in activity_pairs(workshop)
    )


def compare(workshop: Workshop, pre: WorkshopActivity, post: WorkshopActivity) -> dict[str, Any]:
    """Check-in vs check-out as two group distributions (never linked per person).

    `{"hidden": "below_threshold"}` while either side is below k.
    """
    histograms = []
    for activity in (pre, post):
        payloads = results_payloads(workshop, activity)
        result = payloads["facilitator"] if payloads else None
        if result is None or result["hidden"] is not None:
            return {"hidden": "below_threshold"}
        histograms.append(result["histogram"])
    return {"hidden": None, **aggregate.compare_pre_post(histograms[0], histograms[1])}


def pre_post(workshop: Workshop, audience: str) -> dict[str, Any] | None:
    """The comparison the screens show while the current activity is a check-out.

    Shown to the projector only once the check-out is revealed, and to nobody while either
    side is below k.
    """
    current = workshop.current_activity
    if current is None:
        return None
    pre = next((pre for pre, post in activity_pairs(workshop) if post.id == current.id), None)
    if pre is None or (audience == "public" and not current.revealed):
        return None
    return compare(workshop, pre, current)


def comparisons(workshop: Workshop) -> list[dict[str, Any]]:
    """Every pair of a workshop for documents: activity numbers and the comparison."""
    return [
        {
            "pre_activity": pre.position + 1,
            "post_activity": post.position + 1,
            **compare(workshop, pre, post),
        }
        for pre, post in activity_pairs(workshop)
    ]


# --- what documents and the take-home page show of a payload --------------------------------

# The fields results come in (docs/protocol.md), in the order readers try them. Documents and
# drawings choose their table or chart by field, not by the kind's name, so a new kind that
# reuses a field is shown without changes.
RESULT_FIELDS = ("scores", "counts", "histogram", "words", "entries")
# Figures of the live moderation queue (open answers never reviewed): the facilitator's
# documents list them; the take-home page leaves them out, as they mean nothing afterwards.
QUEUE_FIELDS = ("pending",)


def results_shape(results: dict[str, Any]) -> str | None:
    """The field that gives results their shape (the first of RESULT_FIELDS present), if any."""
    return next((name for name in RESULT_FIELDS if name in results), None)


def option_label(options: list[str], index: int) -> str:
    """The text of an option, or its number when the spec has no such option."""
    return options[index] if 0 <= index < len(options) else f"Option {index + 1}"


def shown_results(activity: WorkshopActivity, payload: dict[str, Any]) -> dict[str, Any] | None:
    """What a document shows of a payload: None while hidden, else the results themselves.

    Words the facilitator kept off the projector stay out of every document too, and the
    facilitator's `hidden` marks on the others go with them.
    """
    if payload["hidden"] is not None:
        return None
    results = aggregate.hide_words(results_only(payload), activity.hidden_words, "public")
    if "words" in results:
        results["words"] = [
            {k: v for k, v in word.items() if k != "hidden"} for word in results["words"]
        ]
    return results


def take_home_results(
    activity: WorkshopActivity, payloads: dict[str, dict[str, Any]]
) -> dict[str, Any] | None:
    """What the take-home page shows: the public results (revealed, at or above k), if any,
    without the moderation queue's figures."""
    results = shown_results(activity, payloads["public"])
    if results is None:
        return None
    return {k: v for k, v in results.items() if k not in QUEUE_FIELDS}
