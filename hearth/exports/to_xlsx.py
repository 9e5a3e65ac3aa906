"""The XLSX format: an Overview sheet, then one sheet per activity with a native bar chart.

Text from answers always stays text (a cell starting with "=" is not a formula), and every
timestamp in the file is midnight of the workshop's day (docs/export-format.md).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from hearth.exports.rows import (
    STATISTIC_LABELS,
    activity_heading,
    comparison_statistics,
    entries,
    hidden_note,
    result_rows,
    result_statistics,
)

_BOLD = Font(bold=True)
_CORE_TIME = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def render_xlsx(data: dict[str, Any]) -> bytes:
    """The summary as a workbook: an overview sheet, then one sheet per activity."""
    book = Workbook()
    overview = book.active
    assert overview is not None
    overview.title = "Overview"
    _overview(overview, data)
    for activity in data["activities"]:
        _activity_sheet(book.create_sheet(_sheet_name(activity)), data, activity)
    buffer = io.BytesIO()
    book.save(buffer)
    return _xlsx_dated(buffer.getvalue(), date.fromisoformat(data["workshop"]["date"]))


def _put(sheet: Worksheet, *values: Any, strong: bool = False) -> None:
    """Append a row; text stays text, even when it starts with "=", and `strong` is bold."""
    sheet.append([None if v is None else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
        if strong:
            cell.font = _BOLD


def _overview(sheet: Worksheet, data: dict[str, Any]) -> None:
    """The Overview sheet: the workshop, its activities, comparisons, questions and notes."""
    info = data["workshop"]
    _put(sheet, info["title"], strong=True)
    for label, value in (
        ("Date", info["date"]),
        ("Facilitator", info["facilitator"]),
        ("Peak participants", info["peak_participants"]),
        ("Anonymity threshold (k)", info["min_group"]),
        ("Break signals", data["signals"]["break"]),
        ("Answers deleted on", info["purged_on"]),
    ):
        _put(sheet, label, value)
    for emoji, n in data["signals"]["reactions"].items():
        _put(sheet, f"Reactions {emoji}", n)
    _put(sheet)
    _put(sheet, "Activity", "Kind", "Prompt", "Answered", "Passed", "Shown", strong=True)
    for activity in data["activities"]:
        shown = "no: fewer than k answered" if activity["hidden"] else "yes"
        _put(
            sheet,
            activity["number"],
            activity["kind"],
            activity["prompt"],
            activity["answered"],
            activity["passed"],
            shown,
        )
    if data["comparisons"]:
        _overview_comparisons(sheet, data["comparisons"])
    _put(sheet)
    _put(sheet, "Questions", "Votes", "Status", strong=True)
    for question in data["questions"]:
        _put(sheet, question["text"], question["votes"], question["status"])
    if data["notes"]:
        _put(sheet)
        _put(sheet, "Facilitator's notes", strong=True)
        _put(sheet, data["notes"])
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["C"].width = 60


def _overview_comparisons(sheet: Worksheet, comparisons: list[dict[str, Any]]) -> None:
    """The before/after comparisons on the Overview sheet, one row per statistic."""
    _put(sheet)
    _put(sheet, "Before and after (two separate groups, never linked per person)", strong=True)
    _put(sheet, "Activities", "Statistic", "Value", strong=True)
    for comparison in comparisons:
        pair = f"{comparison['pre_activity']} → {comparison['post_activity']}"
        if comparison["hidden"] is not None:
            _put(sheet, pair, "hidden", "fewer than k answered")
            continue
        for name, value in comparison_statistics(comparison):
            _put(sheet, pair, name, value)


def _activity_sheet(sheet: Worksheet, data: dict[str, Any], activity: dict[str, Any]) -> None:
    """One activity's sheet: its facts, then its results table and chart, statistics and
    approved answers (or the below-k sentence)."""
    _put(sheet, activity_heading(activity), strong=True)
    _put(sheet, "Prompt", activity["prompt"])
    _put(sheet, "Kind", activity["kind"])
    _put(sheet, "Answered", activity["answered"])
    _put(sheet, "Passed", activity["passed"])
    _put(sheet)
    if activity["hidden"] is not None:
        _put(sheet, hidden_note(data))
        return
    rows = result_rows(activity)
    if rows:
        _results_table(sheet, activity, rows)
    for name, value in result_statistics(activity):
        _put(sheet, STATISTIC_LABELS.get(name, name), value)
    texts = entries(activity)
    if texts:
        _put(sheet)
        _put(sheet, "Approved answers", strong=True)
        for text in texts:
            _put(sheet, text)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 48


def _results_table(sheet: Worksheet, activity: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    """The result rows (scores, or counts with shares as percentages) and their bar chart."""
    ranked = "score" in rows[0]
    if ranked:
        _put(sheet, "Option", "Label", "Score", "Mean rank", strong=True)
    else:
        _put(sheet, "Item", "Label", "Count", "Share", strong=True)
    first = sheet.max_row + 1
    for row in rows:
        if ranked:
            _put(sheet, row["item"], row["label"], row["score"], row["mean_rank"])
        else:
            _put(sheet, row["item"], row["label"], row["count"], row["share"])
    last = sheet.max_row
    if not ranked:
        for (cell,) in sheet.iter_rows(min_row=first, max_row=last, min_col=4, max_col=4):
            cell.number_format = "0%"
    sheet.add_chart(_chart(sheet, activity, first, last), "G2")
    _put(sheet)


def _chart(sheet: Worksheet, activity: dict[str, Any], first: int, last: int) -> BarChart:
    """A bar chart of column C from row `first` to `last`: columns for a scale, else bars."""
    columns = "histogram" in activity["results"]
    chart = BarChart()
    chart.type = "col" if columns else "bar"
    chart.legend = None
    chart.title = activity["title"] or activity["kind"]
    chart.add_data(
        Reference(sheet, min_col=3, min_row=first - 1, max_row=last), titles_from_data=True
    )
    # A scale's categories are its points (column A), others' their labels (column B).
    label_col = 1 if columns else 2
    chart.set_categories(Reference(sheet, min_col=label_col, min_row=first, max_row=last))
    return chart


def _sheet_name(activity: dict[str, Any]) -> str:
    """`3 Check-in`: a unique, valid sheet name (31 characters, none of []:*?/\\)."""
    label = activity["title"] or activity["kind"]
    return re.sub(r"[\[\]:*?/\\]", " ", f"{activity['number']} {label}")[:31].strip()


def _xlsx_dated(xlsx: bytes, day: date) -> bytes:
    """Re-pack a workbook with every timestamp at midnight of the workshop's day.

    openpyxl stamps the moment of saving in docProps/core.xml and in every zip entry; an
    export holds no time finer than the day.
    """
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    midnight = f"{day.isoformat()}T00:00:00Z".encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = _CORE_TIME.sub(lambda m: m.group(1) + midnight + m.group(2), content)
            entry = zipfile.ZipInfo(
                item.filename, date_time=(day.year, day.month, day.day, 0, 0, 0)
            )
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return out.getvalue()
