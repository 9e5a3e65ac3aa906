"""The HTML format: one self-contained, printable page (inline styles and SVG charts), drawn
by templates/exports/summary.html in the workshop's language (`lang` and `dir` on <html>, so an
Arabic summary reads right to left). The PDF format prints this page."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import gettext as _

from hearth.exports.rows import (
    activity_heading,
    day,
    entries,
    first_column,
    hidden_note,
    kind_name,
    number,
    percent,
    result_statistics,
    shown_rows,
    signed,
    statistic_label,
    tally_text,
)


def render_html(data: dict[str, Any]) -> bytes:
    """The summary as one self-contained, printable HTML file (inline styles and SVG charts)."""
    return render_template("exports/summary.html", **_view(data)).encode()


def _view(data: dict[str, Any]) -> dict[str, Any]:
    """What the HTML template needs beyond the data: tidy rows, statistics, entries."""
    by_number = {a["number"]: a for a in data["activities"]}
    return {
        "data": data,
        "activities": [_activity_view(activity) for activity in data["activities"]],
        "comparisons": [_comparison_view(c, by_number) for c in data["comparisons"]],
        "hidden_note": hidden_note(data),
        "percent": percent,
        "number": number,
        "signed": signed,
        "day": day,
    }


def _activity_view(activity: dict[str, Any]) -> dict[str, Any]:
    """One activity's rows (rankings by score), chart scale, statistics and answers."""
    rows, more = shown_rows(activity)
    ranked = bool(rows) and "score" in rows[0]
    value_key = "score" if ranked else "count"
    results = activity["results"]
    return {
        "data": activity,
        "heading": activity_heading(activity),
        "kind": kind_name(activity["kind"]),
        "tally": tally_text(activity),
        "rows": sorted(rows, key=lambda r: -r["score"]) if ranked else rows,
        "ranked": ranked,
        "more": more,
        "first_column": first_column(results or {}),
        "columns": results is not None and "histogram" in results,
        "largest": max((row[value_key] for row in rows), default=0),
        "statistics": [(statistic_label(n), number(v)) for n, v in result_statistics(activity)],
        "entries": entries(activity),
        "has_entries": results is not None and "entries" in results,
    }


def _comparison_view(
    comparison: dict[str, Any], activities: dict[int, dict[str, Any]]
) -> dict[str, Any]:
    """A comparison with each scale point's share of answers before and after, for its chart."""
    points: list[dict[str, Any]] = []
    if comparison["hidden"] is None:
        pre, post = comparison["pre"], comparison["post"]
        keys = sorted(set(pre["histogram"]) | set(post["histogram"]), key=int)
        points = [
            {
                "point": key,
                "pre": pre["histogram"].get(key, 0) / pre["n"] if pre["n"] else 0,
                "post": post["histogram"].get(key, 0) / post["n"] if post["n"] else 0,
            }
            for key in keys
        ]
    largest = max((max(p["pre"], p["post"]) for p in points), default=0)
    pre_activity = activities[comparison["pre_activity"]]
    post_activity = activities[comparison["post_activity"]]
    return {
        "data": comparison,
        "points": points,
        "largest": largest,
        "pre_name": pre_activity["title"] or _("Before"),
        "post_name": post_activity["title"] or _("After"),
    }
