"""Series: one group's workshops over the weeks, and the group figures they add up to.

A series is a title and an owner. Its sessions are ordinary workshops pointing at it; each
keeps its own participant tokens and response keys, so nothing here can link a person from
one session to the next: the series only reads each session's group comparisons, with that
session's k applied (docs/privacy.md).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from hearth.errors import MAX_ID, HearthError, invalid_payload, not_found
from hearth.extensions import db, writing
from hearth.models import Facilitator, Plan, Series, Workshop
from hearth.results import comparisons
from hearth.services import workshops

MAX_TITLE = 200


def check_title(raw: Any) -> str:
    """A series title: text of 1 to 200 characters once trimmed."""
    if not isinstance(raw, str):
        raise invalid_payload("'title' (the group's name, as text) is required.")
    title = " ".join(raw.split())
    if not title:
        raise HearthError("invalid_value", "Give the series a title, such as the group's name.")
    if len(title) > MAX_TITLE:
        raise HearthError(
            "invalid_value",
            "A series title can be up to %(limit)s characters long.",
            limit=MAX_TITLE,
        )
    return title


def create_series(owner: Facilitator, title: Any) -> Series:
    """Start a series owned by this facilitator."""
    clean = check_title(title)
    with writing():
        series = Series(title=clean, owner_id=owner.id)
        db.session.add(series)
    return series


def series_of(facilitator: Facilitator) -> list[Series]:
    """The facilitator's own series, newest first."""
    query = select(Series).where(Series.owner_id == facilitator.id).order_by(Series.id.desc())
    return list(db.session.scalars(query))


def session_counts(facilitator: Facilitator) -> dict[int, int]:
    """How many sessions each of the facilitator's series has (series without any left out)."""
    query = (
        select(Workshop.series_id, func.count(Workshop.id))
        .join(Series, Series.id == Workshop.series_id)
        .where(Series.owner_id == facilitator.id)
        .group_by(Workshop.series_id)
    )
    return {series_id: count for series_id, count in db.session.execute(query) if series_id}


def owned_series(facilitator: Facilitator, series_id: int) -> Series:
    """A series of this facilitator, or not_found / forbidden."""
    series = db.session.get(Series, series_id) if 1 <= series_id <= MAX_ID else None
    if series is None:
        raise not_found("There is no series with that id.")
    if series.owner_id != facilitator.id:
        raise HearthError("forbidden", "This series belongs to another facilitator.", 403)
    return series


def series_setting(settings: Any, facilitator: Facilitator) -> Series | None:
    """The series a new workshop's `settings` name (None when they name none).

    Checked before anything is written: a wrong type is `invalid_settings`, an unknown series
    `not_found`, another facilitator's `forbidden`.
    """
    if not isinstance(settings, dict) or settings.get("series") is None:
        return None
    raw = settings["series"]
    # bool is an int in Python, but `true` names no series.
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise HearthError(
            "invalid_settings", "'settings.series' must be the id of a series (a whole number)."
        )
    return owned_series(facilitator, raw)


def sessions(series: Series) -> list[Workshop]:
    """The series' workshops, oldest first."""
    query = (
        select(Workshop)
        .where(Workshop.series_id == series.id)
        .order_by(Workshop.created_on, Workshop.id)
    )
    return list(db.session.scalars(query))


def session_date(workshop: Workshop) -> date:
    """The day a session is filed under: the day it ended, or was created if it has not."""
    return workshop.ended_on or workshop.created_on


def session_report(workshop: Workshop) -> dict[str, Any]:
    """One session's group figures: its check-in/check-out comparisons, k applied."""
    return {
        "workshop_id": workshop.id,
        "date": session_date(workshop).isoformat(),
        "title": workshop.title,
        "phase": workshop.phase,
        "min_group": workshop.min_group,
        "purged": workshop.purged_on is not None,
        "comparisons": comparisons(workshop),
    }


def report(series: Series) -> dict[str, Any]:
    """The series as the API, the page and the exports give it (docs/protocol.md)."""
    return {
        "id": series.id,
        "title": series.title,
        "sessions": [session_report(workshop) for workshop in sessions(series)],
    }


def next_session_defaults(series: Series, fallback_min_group: int) -> dict[str, Any]:
    """What "the next session" starts with: the last session's plan and k, if there is one."""
    done = sessions(series)
    last = done[-1] if done else None
    plan_id = last.plan_id if last is not None else None
    return {
        "plan_id": plan_id if plan_id and db.session.get(Plan, plan_id) else None,
        "min_group": last.min_group if last is not None else fallback_min_group,
        "number": len(done) + 1,
    }


def start_session(
    series: Series, owner: Facilitator, plan: Plan, *, min_group: int, purge_after_days: int
) -> Workshop:
    """Start a workshop as the series' next session (only the series' owner may)."""
    if series.owner_id != owner.id:
        raise HearthError("forbidden", "This series belongs to another facilitator.", 403)
    return workshops.create_workshop(
        plan, owner, min_group=min_group, purge_after_days=purge_after_days, series_id=series.id
    )


def overview(facilitator: Facilitator, fallback_min_group: int) -> list[dict[str, Any]]:
    """The dashboard's list: each series with its session count and next session's defaults."""
    return [
        {
            "id": series.id,
            "title": series.title,
            "session_count": defaults["number"] - 1,
            **defaults,
        }
        for series in series_of(facilitator)
        for defaults in [next_session_defaults(series, fallback_min_group)]
    ]
