"""The series summary: one group's sessions over the weeks, in the six formats of a session.

The documents for reading speak the language of the page that asks for them (the
facilitator's); JSON and CSV keep English ids, as a session's (docs/export-format.md).

Built from a series report (`hearth.services.series.report`), which the caller passes in: the
exports sit below the services. It holds group figures only: for each session its date, its k
and its check-in/check-out comparisons exactly as that session's own export has them, k
applied per session. No token, key, id or answer of any person, and nothing that links one
session to another beyond the group's means (docs/privacy.md, docs/export-format.md).
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from datetime import date
from typing import Any

from flask import render_template
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference

from hearth.exports import FORMATS, check_format
from hearth.exports.rows import day, ngettext, number, signed
from hearth.exports.to_csv import spreadsheet_text
from hearth.exports.to_markdown import md_text
from hearth.exports.to_pdf import print_pdf
from hearth.exports.workbook import dated, put, set_direction
from hearth.models import today_utc
from hearth.plans import slugify
from hearth.series_chart import charts
from hearth.text import printable

SERIES_FORMAT_NAME = "hearth-series-summary"
SERIES_FORMAT_VERSION = 1
SIDES = ("pre", "post")
STATISTICS = ("n", "mean", "share_high", "share_low")
SERIES_CSV_COLUMNS = (
    "series",
    "session",
    "date",
    "min_group",
    "pair",
    "pre_activity",
    "post_activity",
    "hidden",
    *(f"{side}_{name}" for side in SIDES for name in STATISTICS),
    "mean_shift",
    "high_shift",
    "low_shift",
)


def series_summary(report: dict[str, Any]) -> dict[str, Any]:
    """What every series format shows, as plain JSON-ready data (the JSON format is this)."""
    sessions = [
        {
            "number": number_,
            "title": session["title"],
            "date": session["date"],
            "min_group": session["min_group"],
            "purged": session["purged"],
            "comparisons": session["comparisons"],
        }
        for number_, session in enumerate(report["sessions"], start=1)
    ]
    last = sessions[-1]["date"] if sessions else today_utc().isoformat()
    return {
        "format": SERIES_FORMAT_NAME,
        "format_version": SERIES_FORMAT_VERSION,
        "series": {"title": report["title"], "date": last, "sessions": len(sessions)},
        "sessions": sessions,
    }


def reason(session: dict[str, Any], pair: int) -> str | None:
    """Why a session shows no figures for a pair (0-based), or None when it shows them."""
    if session["purged"]:
        return _("Answers deleted")
    if pair >= len(session["comparisons"]):
        return _("No check-in and check-out in this session")
    if session["comparisons"][pair]["hidden"] is not None:
        k = session["min_group"]
        return ngettext("Fewer than %(num)s answer", "Fewer than %(num)s answers", k)
    return None


def pair_count(data: dict[str, Any]) -> int:
    """How many check-in/check-out pairs the sessions have at most."""
    return max((len(s["comparisons"]) for s in data["sessions"]), default=0)


# --- the formats -----------------------------------------------------------------------------


def render_series_json(data: dict[str, Any]) -> bytes:
    """The series summary as JSON."""
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def series_csv_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per session and pair (one row for a session without a pair)."""
    rows = []
    title = data["series"]["title"]
    for session in data["sessions"]:
        base = {
            "series": title,
            "session": session["number"],
            "date": session["date"],
            "min_group": session["min_group"],
        }
        if not session["comparisons"]:
            rows.append({**base, "hidden": "purged" if session["purged"] else "no_pair"})
        for pair, comparison in enumerate(session["comparisons"], start=1):
            rows.append({**base, "pair": pair, **_comparison_cells(session, comparison)})
    return rows


def _comparison_cells(session: dict[str, Any], comparison: dict[str, Any]) -> dict[str, Any]:
    """A comparison's columns; only its activity numbers and why when it is hidden."""
    cells: dict[str, Any] = {
        "pre_activity": comparison["pre_activity"],
        "post_activity": comparison["post_activity"],
        "hidden": "purged" if session["purged"] else comparison["hidden"] or "",
    }
    if comparison["hidden"] is None:
        for side in SIDES:
            cells |= {f"{side}_{name}": comparison[side][name] for name in STATISTICS}
        cells |= {name: comparison[name] for name in ("mean_shift", "high_shift", "low_shift")}
    return cells


def render_series_csv(data: dict[str, Any]) -> bytes:
    """The series summary as one tidy CSV table (UTF-8 with a BOM, as the session's)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=SERIES_CSV_COLUMNS)
    writer.writeheader()
    for row in series_csv_rows(data):
        writer.writerow(
            {k: spreadsheet_text(v) if isinstance(v, str) else v for k, v in row.items()}
        )
    return ("\ufeff" + out.getvalue()).encode()


def render_series_markdown(data: dict[str, Any]) -> bytes:
    """The series summary as Markdown: a table of the sessions per pair."""
    info = data["series"]
    count = info["sessions"]
    lead = ngettext(
        "Series summary · %(num)s session · group figures only: nobody is followed from one "
        "session to the next.",
        "Series summary · %(num)s sessions · group figures only: nobody is followed from one "
        "session to the next.",
        count,
    )
    lines = [f"# {md_text(info['title'])}", "", lead, ""]
    for pair in range(pair_count(data)):
        lines += _md_pair(data, pair)
    if not pair_count(data):
        lines += [_("No session has a check-in and check-out to compare."), ""]
    return "\n".join(lines).encode()


def _md_pair(data: dict[str, Any], pair: int) -> list[str]:
    """One pair's table: a row per session, its figures or why there are none."""
    heading = (
        _("Check-in and check-out %(num)s", num=number(pair + 1))
        if pair_count(data) > 1
        else _("Check-in and check-out")
    )
    columns = [_("Session"), _("Date"), *_mean_columns(), _("Mean shift")]
    lines = ["## " + heading, "", "| " + " | ".join(columns) + " |", "|---|---|---|---|---|"]
    for session in data["sessions"]:
        why = reason(session, pair)
        cells = [number(session["number"]), day(session["date"], "medium")]
        if why is not None:
            cells += [why, "", ""]
        else:
            comparison = session["comparisons"][pair]
            cells += [_mean(comparison["pre"]), _mean(comparison["post"])]
            cells.append(signed(comparison["mean_shift"]))
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def _mean_columns() -> list[str]:
    """The headings of the two means (with how many answered)."""
    return [_("Check-in mean (answered)"), _("Check-out mean (answered)")]


def _mean(side: dict[str, Any]) -> str:
    """ "2.67 (3)": a side's mean and how many answered."""
    return f"{number(side['mean'])} ({number(side['n'])})"


def render_series_html(data: dict[str, Any]) -> bytes:
    """The series summary as one self-contained, printable HTML file with its chart."""
    return render_template(
        "exports/series.html",
        data=data,
        charts=charts(data),
        number=number,
        signed=signed,
        day=day,
    ).encode()


def render_series_pdf(data: dict[str, Any]) -> bytes:
    """The HTML series summary printed to PDF (as a session's, docs/export-format.md)."""
    return print_pdf(render_series_html(data))


def render_series_xlsx(data: dict[str, Any]) -> bytes:
    """The series summary as a workbook: one sheet, the table and a line chart per pair."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Series")
    set_direction(sheet)
    put(sheet, data["series"]["title"], strong=True)
    put(sheet, _("Group figures only: nobody is followed from one session to the next."))
    put(sheet, *SERIES_CSV_COLUMNS[1:], strong=True)
    first = sheet.max_row + 1
    for row in series_csv_rows(data):
        put(sheet, *(row.get(column) for column in SERIES_CSV_COLUMNS[1:]))
    if pair_count(data) == 1 and sheet.max_row >= first:
        sheet.add_chart(_line_chart(sheet, first, sheet.max_row), f"B{sheet.max_row + 3}")
    buffer = io.BytesIO()
    book.save(buffer)
    return dated(buffer.getvalue(), date.fromisoformat(data["series"]["date"]))


def _line_chart(sheet: Any, first: int, last: int) -> LineChart:
    """The check-in and check-out means over the sessions (empty cells below k: gaps)."""
    chart = LineChart()
    chart.title = _("Check-in and check-out (mean)")
    chart.x_axis.title = _("Session")
    columns = SERIES_CSV_COLUMNS[1:]
    for side in SIDES:
        index = columns.index(f"{side}_mean") + 1
        chart.add_data(
            Reference(sheet, min_col=index, min_row=first - 1, max_row=last), titles_from_data=True
        )
    chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
    return chart


RENDERERS = {
    "json": render_series_json,
    "csv": render_series_csv,
    "md": render_series_markdown,
    "html": render_series_html,
    "xlsx": render_series_xlsx,
    "pdf": render_series_pdf,
}


def series_filename(data: dict[str, Any], extension: str) -> str:
    """`tuesday-trust-group-series-2026-12-03.csv`: the title as ASCII words, the last day."""
    title = data["series"]["title"]
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    stem = slugify(ascii_title) if ascii_title.strip() else "series"
    return f"{stem}-series-{data['series']['date']}.{extension}"


def build_series_export(report: dict[str, Any], fmt: str) -> tuple[bytes, str, str]:
    """Render a series report: (body, Content-Type, download filename)."""
    fmt = check_format(fmt)
    data = printable(series_summary(report))
    content_type, extension = FORMATS[fmt]
    return RENDERERS[fmt](data), content_type, series_filename(data, extension)
