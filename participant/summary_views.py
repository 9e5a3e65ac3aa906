"""The take-home summary participants may open after a workshop: /s/<key> and its QR code.

The page shows exactly what hearth.services.retention.participant_summary allows (results the
room saw, at or above k, and the support resources), drawn on the server as plain HTML with
the phone app's bar and column styles. Lengths are classes (`share-0` … `share-20`, steps of
5%), because participant pages allow no inline style; the page needs no script to be read.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from typing import Any

import segno
from flask import Response, abort, render_template
from sqlalchemy import select

from hearth.extensions import db
from hearth.models import Workshop
from hearth.network import summary_url
from hearth.results import option_label, results_shape
from hearth.services import retention
from hearth.text import printable
from participant.views import bp

# secrets.token_urlsafe(24) makes 32 characters; the column holds 64.
MAX_KEY_LENGTH = 64
# A phone number in a support contact (3+ digits), as in static/js/participant/breaks.js.
PHONE_NUMBER = re.compile(r"\+?\d[\d -]*\d")
# Bar lengths and column heights in steps of 1/SHARE_STEPS, and word-cloud sizes, as classes.
SHARE_STEPS = 20
WORD_WEIGHTS = 5


def published_workshop(key: str) -> Workshop | None:
    """The workshop whose take-home summary is published under this key, if any."""
    if not key or len(key) > MAX_KEY_LENGTH:
        return None
    workshop = db.session.scalar(select(Workshop).where(Workshop.summary_key == key))
    # Purging clears the key too; this guards a key set by hand on a purged workshop.
    if workshop is None or workshop.purged_on is not None:
        return None
    return workshop


def readable_day(value: str | None) -> str:
    """`2026-11-27` as `27 Nov 2026`; text that is not an ISO date is shown as it is."""
    if not value:
        return ""
    try:
        return date.fromisoformat(value).strftime("%-d %b %Y")
    except ValueError:
        return value


def percent(count: int, base: int) -> int:
    """A whole percentage of `base` (0 when nobody answered)."""
    return round(100 * count / base) if base else 0


def share_step(value: float, full: float) -> int:
    """`value / full` in steps of 1/SHARE_STEPS (a `share-N` class); non-zero stays visible."""
    if not full or value <= 0:
        return 0
    return max(1, min(SHARE_STEPS, round(SHARE_STEPS * value / full)))


def drawing(activity: dict[str, Any]) -> dict[str, Any] | None:
    """How to draw one activity's results, read off its result fields (not its kind's name).

    Returns {"type": "bars" | "ranked" | "columns" | "words" | "entries", with "rows",
    "columns", "words" or "entries", and a "note"}; None for results of no known shape.
    """
    results = activity["results"]
    draw = _DRAWINGS.get(results_shape(results) or "")
    return draw(activity, results) if draw else None


def _ranked(activity: dict[str, Any], results: dict[str, Any]) -> dict[str, Any]:
    """A ranking: bars as long as each option's score, best first, with its average place."""
    options = activity.get("options") or []
    scores = results["scores"]
    mean_rank = results.get("mean_rank") or [None] * len(scores)
    top = max([1, *scores])
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    rows = [
        {
            "label": option_label(options, i),
            "share": share_step(scores[i], top),
            "figure": f"avg. place {mean_rank[i]:.1f}" if mean_rank[i] else "",
        }
        for i in order
    ]
    return {"type": "ranked", "rows": rows, "note": "Ordered by the group's combined ranking."}


def _bars(activity: dict[str, Any], results: dict[str, Any]) -> dict[str, Any]:
    """Counts per option as bars with count and percentage."""
    options = activity.get("options") or []
    counts = results["counts"]
    respondents = results.get("respondents")
    # Several options per person: shares are of people, so they can add up past 100%.
    base = respondents if respondents is not None else sum(counts)
    rows = [
        {
            "label": option_label(options, i),
            "share": share_step(n, base),
            "figure": f"{n} · {percent(n, base)}%",
        }
        for i, n in enumerate(counts)
    ]
    note = (
        f"{base} {'person' if base == 1 else 'people'} answered; each could pick more than one."
        if respondents is not None
        else f"{base} {'answer' if base == 1 else 'answers'}"
    )
    return {"type": "bars", "rows": rows, "note": note}


def _columns(activity: dict[str, Any], results: dict[str, Any]) -> dict[str, Any]:
    """A scale's histogram as columns, with its end labels, average and number of answers."""
    points = sorted(results["histogram"].items(), key=lambda item: int(item[0]))
    total = sum(n for _, n in points)
    highest = max([1, *(n for _, n in points)])
    columns = [{"point": point, "count": n, "share": share_step(n, highest)} for point, n in points]
    mean = results.get("mean")
    average = f"Average {mean:.1f} · " if isinstance(mean, int | float) else ""
    return {
        "type": "columns",
        "columns": columns,
        "ends": [activity.get("min_label") or "", activity.get("max_label") or ""],
        "note": f"{average}{total} answers",
    }


def _words(activity: dict[str, Any], results: dict[str, Any]) -> dict[str, Any]:
    """Words as a cloud: each word's size in WORD_WEIGHTS steps of the most given one."""
    words = results["words"]
    top = max([1, *(word["count"] for word in words)])
    return {
        "type": "words",
        "words": [
            {
                "text": word["text"],
                "count": word["count"],
                "weight": max(1, round(WORD_WEIGHTS * word["count"] / top)),
            }
            for word in words
        ],
    }


def _entries(activity: dict[str, Any], results: dict[str, Any]) -> dict[str, Any]:
    """Approved open answers, as a list."""
    return {"type": "entries", "entries": list(results["entries"])}


# One drawing per results shape (hearth.results.RESULT_FIELDS).
_DRAWINGS: dict[str, Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]] = {
    "scores": _ranked,
    "counts": _bars,
    "histogram": _columns,
    "words": _words,
    "entries": _entries,
}


def contact_parts(text: str) -> list[dict[str, str]]:
    """The contact line as text pieces, phone numbers with a `tel` to link them."""
    parts: list[dict[str, str]] = []
    last = 0
    for match in PHONE_NUMBER.finditer(text):
        digits = re.sub(r"[ -]", "", match.group())
        if len(digits.lstrip("+")) < 3:
            continue
        parts.append({"text": text[last : match.start()]})
        parts.append({"text": match.group(), "tel": digits})
        last = match.end()
    parts.append({"text": text[last:]})
    return [part for part in parts if part["text"]]


def take_home_page(workshop: Workshop) -> dict[str, Any]:
    """The template's data: title, day, each shown activity with its drawing, resources."""
    # Text stored before the door check existed could hold what UTF-8 cannot encode.
    data = printable(retention.participant_summary(workshop))
    activities = []
    for activity in data["activities"]:
        drawn = drawing(activity)
        if drawn is not None:
            activities.append({**activity, "drawing": drawn})
    due = retention.purge_due_on(workshop)
    return {
        "title": data["title"],
        "day": readable_day(data["date"]),
        "activities": activities,
        "resources": [
            {
                **item,
                "checked_on_text": readable_day(item.get("checked_on")),
                "contact_parts": contact_parts(item.get("contact") or ""),
            }
            for item in data["resources"]
        ],
        "available_until": readable_day(due.isoformat()) if due else "",
    }


@bp.get("/s/<key>")
def take_home(key: str) -> tuple[str, int] | str:
    """The published take-home summary; a calm 404 page once it is taken down."""
    workshop = published_workshop(key)
    if workshop is None:
        return render_template("participant/summary.html", page=None), 404
    return render_template("participant/summary.html", page=take_home_page(workshop))


@bp.get("/s/<key>/qr.svg")
def take_home_qr(key: str) -> Response:
    """The take-home link as an SVG QR code, for the projector's closing screen."""
    workshop = published_workshop(key)
    if workshop is None or workshop.summary_key is None:
        abort(404)
    buffer = io.BytesIO()
    segno.make(summary_url(workshop.summary_key), error="m").save(
        buffer, kind="svg", scale=10, border=2, dark="#1f2a2e", light="#ffffff", xmldecl=False
    )
    response = Response(buffer.getvalue(), mimetype="image/svg+xml")
    # Not cached: once the summary is taken down, the code must not keep working from a cache.
    response.headers["Cache-Control"] = "no-store"
    return response
