"""The XLSX format: an Overview sheet, then one sheet per activity with a native bar chart.

Headings and labels speak the document's language (the workshop's); numbers stay numbers, so
the spreadsheet writes them the reader's way. Text from answers always stays text (a cell
starting with "=" is not a formula), and every timestamp in the file is midnight of the
workshop's day (docs/export-format.md).
"""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from hearth.exports.rows import (
    activity_heading,
    comparison_label,
    comparison_statistics,
    day,
    entries,
    hidden_note,
    kind_name,
    result_rows,
    result_statistics,
    statistic_label,
)
from hearth.exports.workbook import dated, put, set_direction


def render_xlsx(data: dict[str, Any]) -> bytes:
    """The summary as a workbook: an overview sheet, then one sheet per activity."""
    book = Workbook()
    overview = book.active
    assert overview is not None
    overview.title = _("Overview")
    _overview(overview, data)
    for activity in data["activities"]:
        _activity_sheet(book.create_sheet(_sheet_name(activity)), data, activity)
    for sheet in book.worksheets:
        set_direction(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return dated(buffer.getvalue(), date.fromisoformat(data["workshop"]["date"]))


def _status(status: str) -> str:
    """A question's status for people."""
    return _("answered") if status == "answered" else _("approved")


def _overview(sheet: Worksheet, data: dict[str, Any]) -> None:
    """The Overview sheet: the workshop, its activities, comparisons, questions and notes."""
    info = data["workshop"]
    put(sheet, info["title"], strong=True)
    for label, value in (
        (_("Date"), day(info["date"])),
        (_("Facilitator"), info["facilitator"]),
        (_("Peak participants"), info["peak_participants"]),
        (_("Anonymity threshold (k)"), info["min_group"]),
        (_("Break signals"), data["signals"]["break"]),
        (_("Answers deleted on"), day(info["purged_on"]) or None),
    ):
        put(sheet, label, value)
    for emoji, n in data["signals"]["reactions"].items():
        put(sheet, _("Reactions %(emoji)s", emoji=emoji), n)
    put(sheet)
    headings = (_("Activity"), _("Kind"), _("Prompt"), _("Answered"), _("Passed"), _("Shown"))
    put(sheet, *headings, strong=True)
    for activity in data["activities"]:
        shown = _("no: fewer than k answered") if activity["hidden"] else _("yes")
        put(
            sheet,
            activity["number"],
            kind_name(activity["kind"]),
            activity["prompt"],
            activity["answered"],
            activity["passed"],
            shown,
        )
    if data["comparisons"]:
        _overview_comparisons(sheet, data["comparisons"])
    put(sheet)
    put(sheet, _("Questions"), _("Votes"), _("Status"), strong=True)
    for question in data["questions"]:
        put(sheet, question["text"], question["votes"], _status(question["status"]))
    if data["notes"]:
        put(sheet)
        put(sheet, _("Facilitator's notes"), strong=True)
        put(sheet, data["notes"])
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["C"].width = 60


def _overview_comparisons(sheet: Worksheet, comparisons: list[dict[str, Any]]) -> None:
    """The before/after comparisons on the Overview sheet, one row per statistic."""
    put(sheet)
    put(sheet, _("Before and after (two separate groups, never linked per person)"), strong=True)
    put(sheet, _("Activities"), _("Statistic"), _("Value"), strong=True)
    for comparison in comparisons:
        pair = f"{comparison['pre_activity']} → {comparison['post_activity']}"
        if comparison["hidden"] is not None:
            put(sheet, pair, _("hidden"), _("fewer than k answered"))
            continue
        for name, value in comparison_statistics(comparison):
            put(sheet, pair, comparison_label(name), value)


def _activity_sheet(sheet: Worksheet, data: dict[str, Any], activity: dict[str, Any]) -> None:
    """One activity's sheet: its facts, then its results table and chart, statistics and
    approved answers (or the below-k sentence)."""
    put(sheet, activity_heading(activity), strong=True)
    put(sheet, _("Prompt"), activity["prompt"])
    put(sheet, _("Kind"), kind_name(activity["kind"]))
    put(sheet, _("Answered"), activity["answered"])
    put(sheet, _("Passed"), activity["passed"])
    put(sheet)
    if activity["hidden"] is not None:
        put(sheet, hidden_note(data))
        return
    rows = result_rows(activity)
    if rows:
        _results_table(sheet, activity, rows)
    for name, value in result_statistics(activity):
        put(sheet, statistic_label(name), value)
    texts = entries(activity)
    if texts:
        put(sheet)
        put(sheet, _("Approved answers"), strong=True)
        for text in texts:
            put(sheet, text)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 48


def _results_table(sheet: Worksheet, activity: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    """The result rows (scores, or counts with shares as percentages) and their bar chart."""
    ranked = "score" in rows[0]
    if ranked:
        put(sheet, _("Option"), _("Label"), _("Score"), _("Mean rank"), strong=True)
    else:
        put(sheet, _("Item"), _("Label"), _("Count"), _("Share"), strong=True)
    first = sheet.max_row + 1
    for row in rows:
        if ranked:
            put(sheet, row["item"], row["label"], row["score"], row["mean_rank"])
        else:
            put(sheet, row["item"], row["label"], row["count"], row["share"])
    last = sheet.max_row
    if not ranked:
        for (cell,) in sheet.iter_rows(min_row=first, max_row=last, min_col=4, max_col=4):
            cell.number_format = "0%"
    sheet.add_chart(_chart(sheet, activity, first, last), "G2")
    put(sheet)


def _chart(sheet: Worksheet, activity: dict[str, Any], first: int, last: int) -> BarChart:
    """A bar chart of column C from row `first` to `last`: columns for a scale, else bars."""
    columns = "histogram" in activity["results"]
    chart = BarChart()
    chart.type = "col" if columns else "bar"
    chart.legend = None
    chart.title = activity["title"] or kind_name(activity["kind"])
    chart.add_data(
        Reference(sheet, min_col=3, min_row=first - 1, max_row=last), titles_from_data=True
    )
    # A scale's categories are its points (column A), others' their labels (column B).
    label_col = 1 if columns else 2
    chart.set_categories(Reference(sheet, min_col=label_col, min_row=first, max_row=last))
    return chart


def _sheet_name(activity: dict[str, Any]) -> str:
    """`3 Check-in`: a unique, valid sheet name (31 characters, none of []:*?/\\)."""
    label = activity["title"] or kind_name(activity["kind"])
    return re.sub(r"[\[\]:*?/\\]", " ", f"{activity['number']} {label}")[:31].strip()
