"""The CSV format: the summary as one tidy table whose `section` column says what a row is."""

from __future__ import annotations

import csv
import io
from typing import Any

from hearth.exports.rows import comparison_statistics, entries, result_rows, result_statistics

CSV_COLUMNS = (
    "section",
    "activity",
    "kind",
    "title",
    "prompt",
    "answered",
    "passed",
    "hidden",
    "item",
    "label",
    "count",
    "share",
    "score",
    "mean_rank",
    "statistic",
    "value",
    "text",
)
# A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """Text a spreadsheet shows as text: a leading formula character gets a quote before it."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The summary as tidy rows (CSV_COLUMNS): the `section` column says what a row is."""
    rows = _workshop_rows(data)
    for activity in data["activities"]:
        rows += _activity_rows(activity)
    for comparison in data["comparisons"]:
        rows += _comparison_rows(comparison)
    for question in data["questions"]:
        rows.append(
            {
                "section": "question",
                "label": question["status"],
                "count": question["votes"],
                "text": question["text"],
            }
        )
    return rows


def _workshop_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The workshop's own rows: title, day, facilitator, counts, signals and notes."""
    rows: list[dict[str, Any]] = []
    info = data["workshop"]
    for name in ("title", "date", "facilitator"):
        rows.append({"section": "workshop", "statistic": name, "text": info[name]})
    for name in ("peak_participants", "min_group"):
        rows.append({"section": "workshop", "statistic": name, "value": info[name]})
    rows.append(
        {"section": "workshop", "statistic": "break_signals", "value": data["signals"]["break"]}
    )
    for emoji, n in data["signals"]["reactions"].items():
        rows.append({"section": "workshop", "statistic": "reaction", "label": emoji, "value": n})
    if data["notes"]:
        rows.append({"section": "workshop", "statistic": "notes", "text": data["notes"]})
    return rows


def _activity_rows(activity: dict[str, Any]) -> list[dict[str, Any]]:
    """One activity's rows: the activity, its results, statistics and approved answers."""
    common = {
        "activity": activity["number"],
        "kind": activity["kind"],
        "title": activity["title"],
        "prompt": activity["prompt"],
    }
    rows: list[dict[str, Any]] = [
        {
            "section": "activity",
            **common,
            "answered": activity["answered"],
            "passed": activity["passed"],
            "hidden": activity["hidden"],
        }
    ]
    rows += [{"section": "result", **common, **row} for row in result_rows(activity)]
    rows += [
        {"section": "statistic", **common, "statistic": name, "value": value}
        for name, value in result_statistics(activity)
    ]
    rows += [{"section": "answer", **common, "text": text} for text in entries(activity)]
    return rows


def _comparison_rows(comparison: dict[str, Any]) -> list[dict[str, Any]]:
    """One before/after comparison: a row per statistic, or one row saying it is hidden."""
    base = {
        "section": "comparison",
        "activity": comparison["pre_activity"],
        "item": comparison["post_activity"],
        "hidden": comparison["hidden"],
    }
    if comparison["hidden"] is not None:
        return [base]
    return [
        {**base, "statistic": name, "value": value}
        for name, value in comparison_statistics(comparison)
    ]


def render_csv(data: dict[str, Any]) -> bytes:
    """The summary as one tidy CSV table (UTF-8 with a byte-order mark, so Excel reads it)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in csv_rows(data):
        writer.writerow(
            {k: spreadsheet_text(v) if isinstance(v, str) else v for k, v in row.items()}
        )
    return ("\ufeff" + buffer.getvalue()).encode()
