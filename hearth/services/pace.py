"""Self-paced workshops (reflection between sessions): their settings, opening the whole plan
at the start, which facilitator actions still apply, and ending by themselves.

In a live workshop the facilitator moves every phone through the plan; in a self-paced one
each phone moves through it alone and answers any activity, so there is no current activity,
no timer, and results appear as soon as k phones have answered (docs/protocol.md).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, NamedTuple

from hearth.errors import N_, HearthError
from hearth.kinds import KINDS
from hearth.models import Workshop, now_utc

PACES = ("live", "self")
OPEN_DAYS_RANGE = (1, 30)
DEFAULT_OPEN_DAYS = 7
# What a facilitator may still do once phones move by themselves: nothing that moves,
# opens, closes, times or reveals the "current" activity, as there is none.
SELF_PACED_ACTIONS = frozenset(
    {
        "start",
        "end",
        "approve",
        "reject",
        "restore_answer",
        "resources",
        "lock",
        "unlock",
        "head_count",
        "qa_open",
        "qa_close",
        "qa_approve",
        "qa_dismiss",
        "qa_answered",
        "qa_restore",
        "qa_show",
        "qa_hide",
        # A self-paced rehearsal: simulated phones answer every open activity.
        "simulate",
        "care_release",
        "care_dismiss",
    }
)


class Pace(NamedTuple):
    """A new workshop's pace and, when self-paced, how many days it stays open."""

    pace: str
    open_days: int | None


LIVE = Pace("live", None)


def _invalid(field: str, rule: str, **values: Any) -> HearthError:
    """`rule` (marked with N_) names the setting as %(field)s."""
    return HearthError("invalid_settings", rule, field="settings." + field, **values)


def check_pace(settings: Any) -> Pace:
    """The pace the settings ask for; `invalid_settings` naming the field when they are wrong.

    Writes nothing, so a refused request leaves nothing behind.
    """
    if not isinstance(settings, dict):
        return LIVE
    pace = settings.get("pace", "live")
    if not isinstance(pace, str) or pace not in PACES:
        raise _invalid("pace", N_('\'%(field)s\' must be "live" (the default) or "self".'))
    days = settings.get("open_days")
    lo, hi = OPEN_DAYS_RANGE
    if days is not None and (
        isinstance(days, bool) or not isinstance(days, int) or not lo <= days <= hi
    ):
        raise _invalid(
            "open_days",
            N_("'%(field)s' must be a whole number of days from %(lo)s to %(hi)s."),
            lo=lo,
            hi=hi,
        )
    if pace == "live":
        if days is not None:
            raise _invalid("open_days", N_('\'%(field)s\' applies only with "pace": "self".'))
        return LIVE
    return Pace("self", DEFAULT_OPEN_DAYS if days is None else days)


def open_whole_plan(workshop: Workshop) -> None:
    """At the start: every answerable activity takes answers, with no timer, and shows its
    results to everyone from k answers on; the workshop's last day is set."""
    for activity in workshop.activities:
        if KINDS[activity.kind].takes_answers:
            activity.accepting = True
            activity.opened_once = True
            activity.revealed = True
            activity.closes_at = None
    workshop.ends_at = now_utc() + timedelta(days=workshop.open_days or DEFAULT_OPEN_DAYS)


def refuse_live_only(workshop: Workshop, action: str) -> None:
    """Refuse an action that needs a current activity in a self-paced workshop."""
    if workshop.pace == "self" and action not in SELF_PACED_ACTIONS:
        raise HearthError(
            "invalid_state",
            "Participants move through this workshop at their own pace: there is no current "
            "activity to change.",
            409,
        )
