"""Complete, versioned snapshots per audience: `state` for phones, `present` for projectors,
`control` for the control room (also served by GET /api/v1/workshops/<id>), and the Q&A board.

Each snapshot says everything its screen shows, so a screen that missed one loses nothing
(docs/protocol.md). Results come from the results read model, `hearth.results`.
"""

from __future__ import annotations

import time
from typing import Any

from hearth.kinds import KINDS, public_activity
from hearth.models import Workshop, WorkshopActivity, now_utc
from hearth.network import join_url, present_url, summary_url
from hearth.realtime.state import connected_total, hub
from hearth.resources import fitting
from hearth.results import (
    NO_ANSWERS,
    answer_counts,
    care_queue,
    moderation_queue,
    pre_post,
    results_payloads,
)

# How long a tick's public results may serve (re)connecting phones. New answers do not make
# them stale: a phone that connects gets results as fresh as every connected phone has (they
# get results at most once a second, hearth.realtime.outbox), and the next broadcast brings it
# up to date. A facilitator's action (reveal, close, go to) does, until the next tick has sent it.
CACHE_SECONDS = 1.0


def _closes_in(activity: WorkshopActivity | None) -> int | None:
    """Whole seconds left on the activity's timer, or None."""
    if activity is None or activity.closes_at is None:
        return None
    return max(0, round((activity.closes_at - now_utc()).total_seconds()))


def _public_activity(workshop: Workshop) -> dict[str, Any] | None:
    """The current activity as phones and projectors see it."""
    activity = workshop.current_activity
    if activity is None:
        return None
    return public_activity(activity.id, activity.position, activity.spec)


def _control_activity(workshop: Workshop) -> dict[str, Any] | None:
    """The current activity for the control room: the public one plus the facilitator's script."""
    public = _public_activity(workshop)
    script = workshop.current_activity.spec.get("script") if workshop.current_activity else None
    return {**public, "script": script} if public is not None else None


def _open_until(workshop: Workshop) -> str | None:
    """The day a self-paced workshop ends by itself (ISO), once started."""
    return workshop.ends_at.date().isoformat() if workshop.ends_at else None


def self_paced_plan(workshop: Workshop, version: int) -> list[dict[str, Any]] | None:
    """The whole plan for phones of a started self-paced workshop: each activity's public
    fields, whether it takes answers, and its public results (hidden below k; never passes)."""
    if workshop.pace != "self" or workshop.phase != "live":
        return None
    plan = []
    for item in workshop.activities:
        payloads = results_payloads(workshop, item, version)
        plan.append(
            {
                **public_activity(item.id, item.position, item.spec),
                "accepting": item.accepting,
                "results": payloads["public"] if payloads else None,
            }
        )
    return plan


def participant_state(
    workshop: Workshop, public_results: dict[str, Any] | None, version: int
) -> dict[str, Any]:
    """The `state` snapshot every phone gets (without `mine`, which is per phone)."""
    activity = workshop.current_activity
    return {
        "version": version,
        "phase": workshop.phase,
        "rehearsal": workshop.rehearsal,
        "pace": workshop.pace,
        "open_until": _open_until(workshop),
        "activities": self_paced_plan(workshop, version),
        "activity": _public_activity(workshop),
        "accepting": bool(activity and activity.accepting),
        "closes_in": _closes_in(activity),
        "results": public_results,
        "min_group": workshop.min_group,
        # Self-paced: no activity is current, each phone is at its own (docs/protocol.md).
        "index": None if workshop.pace == "self" else workshop.current_index,
        "total": len(workshop.activities),
        "qa": qa_state(workshop, "public", version),
        "resources": fitting(workshop.resources, workshop.region, workshop.language),
        "summary_url": summary_url(workshop.summary_key) if workshop.summary_key else None,
    }


def present_state(
    workshop: Workshop, public_results: dict[str, Any] | None, version: int
) -> dict[str, Any]:
    """The `present` snapshot for projectors."""
    activity = workshop.current_activity
    return {
        "version": version,
        "phase": workshop.phase,
        "workshop": {
            "title": workshop.title,
            "code": workshop.code,
            "join_url": join_url(workshop.code),
            "qr_url": f"/j/{workshop.code}/qr.svg",
            "rehearsal": workshop.rehearsal,
        },
        "activity": _public_activity(workshop),
        "accepting": bool(activity and activity.accepting),
        "revealed": bool(activity and activity.revealed),
        "closes_in": _closes_in(activity),
        "min_group": workshop.min_group,
        "results": public_results,
        "qa": qa_state(workshop, "public", version),
        "reactions": workshop.reactions or {},
        "summary_url": summary_url(workshop.summary_key) if workshop.summary_key else None,
        "comparison": pre_post(workshop, "public"),
        "locked": workshop.locked,
    }


def _label(spec: dict[str, Any]) -> str:
    """A short name for an activity in the control room's plan list."""
    text = spec.get("title") or spec.get("prompt") or spec.get("body") or ""
    return text if len(text) <= 80 else text[:79] + "…"


def _plan_rows(workshop: Workshop, counts: dict[int, dict[str, int]]) -> list[dict[str, Any]]:
    """The control room's plan list: every activity, its state and its answer counts."""
    return [
        {
            "id": item.id,
            "index": item.position,
            "kind": item.kind,
            "label": _label(item.spec),
            "takes_answers": KINDS[item.kind].takes_answers,
            "accepting": item.accepting,
            "opened": item.opened_once,
            "revealed": item.revealed,
            "reveal": item.spec.get("reveal"),
            **counts.get(item.id, NO_ANSWERS),
        }
        for item in workshop.activities
    ]


def control_state(workshop: Workshop, version: int | None = None) -> dict[str, Any]:
    """The `control` snapshot for the control room (and GET /api/v1/workshops/<id>)."""
    counts = answer_counts(workshop.id)
    activity = workshop.current_activity
    moderation, waiting = moderation_queue(workshop)
    return {
        "version": version or hub.next_version(),
        "phase": workshop.phase,
        "index": workshop.current_index,
        "workshop": {
            "id": workshop.id,
            "title": workshop.title,
            "code": workshop.code,
            "join_url": join_url(workshop.code),
            "present_url": present_url(workshop.present_key),
            "min_group": workshop.min_group,
            "pace": workshop.pace,
            "open_days": workshop.open_days,
            "open_until": _open_until(workshop),
            "rehearsal": workshop.rehearsal,
        },
        "activities": _plan_rows(workshop, counts),
        "activity": _control_activity(workshop),
        "accepting": bool(activity and activity.accepting),
        "revealed": bool(activity and activity.revealed),
        "closes_in": _closes_in(activity),
        "connected": connected_total(workshop.id),
        "progress": dict(counts.get(activity.id, NO_ANSWERS) if activity else NO_ANSWERS),
        "moderation": moderation,
        "moderation_waiting": waiting,
        "care": care_queue(workshop, counts),
        "qa": qa_state(workshop, "facilitator", version),
        "rejected": _rejected(workshop),
        "signals": {"break": workshop.break_signals, "reactions": workshop.reactions or {}},
        "resources": workshop.resources,
        "resources_reviewed": workshop.resources_reviewed,
        "region": workshop.region,
        "summary_url": summary_url(workshop.summary_key) if workshop.summary_key else None,
        "purged": workshop.purged_on is not None,
        "comparison": pre_post(workshop, "facilitator"),
        "room": {
            "locked": workshop.locked,
            "head_count": workshop.head_count,
            "identities": workshop.identities,
            "turned_away": workshop.turned_away,
        },
    }


def _rejected(workshop: Workshop) -> dict[str, Any]:
    """What the facilitator took away and may restore: the rejected open answers of the
    activities being moderated (as the queue: none below k), and every dismissed question."""
    answers, _ = moderation_queue(workshop, "rejected")
    dismissed = sorted(
        (q for q in workshop.questions if q.status == "dismissed"), key=lambda q: (-q.votes, q.id)
    )
    return {
        "answers": answers,
        "questions": [{"id": q.id, "text": q.text, "votes": q.votes} for q in dismissed],
    }


def qa_state(workshop: Workshop, audience: str, version: int | None = None) -> dict[str, Any]:
    """The Q&A board by votes (approved and answered); the facilitator also sees the queue."""
    shown = (
        ("approved", "answered") if audience == "public" else ("pending", "approved", "answered")
    )
    questions = sorted(
        (q for q in workshop.questions if q.status in shown),
        key=lambda q: (q.status == "answered", -q.votes, q.id),
    )
    return {
        "version": version or hub.next_version(),
        "open": workshop.qa_open,
        "shown": workshop.qa_shown,
        "questions": [
            {"id": q.id, "text": q.text, "votes": q.votes, "status": q.status} for q in questions
        ],
    }


def remember_public(activity_id: int, public: dict[str, Any] | None) -> None:
    """Keep the public results just computed for the connect snapshots that follow."""
    with hub.lock:
        hub.public_results[activity_id] = (time.monotonic(), public)


def public_results_now(workshop: Workshop, activity: WorkshopActivity) -> dict[str, Any] | None:
    """The public results of an activity: the tick's (see CACHE_SECONDS), or fresh."""
    with hub.lock:
        changed = workshop.id in hub.dirty_workshops
        cached = hub.public_results.get(activity.id)
    if cached is not None and not changed and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    payloads = results_payloads(workshop, activity, hub.next_version())
    public = payloads["public"] if payloads else None
    remember_public(activity.id, public)
    return public


def participant_snapshot(workshop: Workshop, my_answer: dict[str, Any] | None) -> dict[str, Any]:
    """The full `state` for one phone that just (re)connected, with its own answer."""
    activity = workshop.current_activity
    public = public_results_now(workshop, activity) if activity else None
    state = participant_state(workshop, public, hub.next_version())
    state["mine"] = my_answer
    return state


def present_snapshot(workshop: Workshop) -> dict[str, Any]:
    """The full `present` snapshot for a projector that just (re)connected."""
    activity = workshop.current_activity
    version = hub.next_version()
    payloads = results_payloads(workshop, activity, version) if activity else None
    return present_state(workshop, payloads["public"] if payloads else None, version)


def facilitator_results(workshop: Workshop) -> list[dict[str, Any]]:
    """Facilitator-audience results of every answerable activity (sent on connect)."""
    version = hub.next_version()
    payloads = (results_payloads(workshop, activity, version) for activity in workshop.activities)
    return [p["facilitator"] for p in payloads if p is not None]
