"""Session summaries: one data builder, `summary`, and one renderer per export format.

Every format renders the same `summary(workshop)` dict, which is built from the facilitator
audience's results (`hearth.results.results_payloads`), so the k threshold, moderation and any new
activity kind apply to exports exactly as they do live. What an export holds, and what it
never holds (identifiers, timestamps finer than the day, unapproved text), is documented in
docs/export-format.md.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from flask import Response, current_app, render_template
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from sqlalchemy import select

from hearth import aggregate
from hearth.errors import HearthError
from hearth.extensions import db
from hearth.models import Question, Workshop, WorkshopActivity
from hearth.plans import slugify
from hearth.results import comparisons, results_only, results_payloads
from hearth.text import printable

FORMAT_NAME = "hearth-summary"
# 2: an activity's `responded` (answers and passes together) became `answered` (answers only).
FORMAT_VERSION = 2
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Format → (Content-Type, file extension).
FORMATS: dict[str, tuple[str, str]] = {
    "json": ("application/json", "json"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "md": ("text/markdown; charset=utf-8", "md"),
    "html": ("text/html; charset=utf-8", "html"),
    "xlsx": (XLSX_TYPE, "xlsx"),
    "pdf": ("application/pdf", "pdf"),
}
# Spec fields shown on their own in an export; the rest of the spec goes under "spec".
_SPEC_OWN = ("kind", "title", "prompt", "pair")
QUESTION_STATUSES = ("approved", "answered")


def check_format(fmt: Any) -> str:
    """Return a known export format name, or raise invalid_format."""
    if not isinstance(fmt, str) or fmt.strip().lower() not in FORMATS:
        raise HearthError("invalid_format", f"Choose a format: {', '.join(FORMATS)}.")
    return fmt.strip().lower()


# --- the data -----------------------------------------------------------------------------


def workshop_date(workshop: Workshop) -> date:
    """The day a summary is dated: the day the workshop ended, or was created if it has not."""
    return workshop.ended_on or workshop.created_on


def summary(workshop: Workshop) -> dict[str, Any]:
    """Everything an export shows, as plain JSON-ready data (the JSON format is exactly this)."""
    activities = []
    for activity in workshop.activities:
        payloads = results_payloads(workshop, activity)
        if payloads is None:
            continue  # content slides take no answers
        activities.append(_activity_summary(activity, payloads["facilitator"]))
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "workshop": {
            "title": workshop.title,
            "date": workshop_date(workshop).isoformat(),
            "facilitator": workshop.owner.display_name,
            "peak_participants": workshop.peak_connected,
            "min_group": workshop.min_group,
            "purged_on": workshop.purged_on.isoformat() if workshop.purged_on else None,
        },
        "activities": activities,
        "comparisons": comparisons(workshop),
        "questions": _questions(workshop.id),
        "signals": {"break": workshop.break_signals, "reactions": dict(workshop.reactions or {})},
        "notes": workshop.notes or "",
    }


def _activity_summary(activity: WorkshopActivity, payload: dict[str, Any]) -> dict[str, Any]:
    """One activity of a summary from its facilitator-audience results payload."""
    spec = activity.spec
    hidden = payload["hidden"]
    results = None
    if hidden is None:
        results = results_only(payload)
        # Words the facilitator kept off the projector stay out of documents too.
        results = aggregate.hide_words(results, activity.hidden_words, "public")
        if "words" in results:
            results["words"] = [
                {k: v for k, v in word.items() if k != "hidden"} for word in results["words"]
            ]
    return {
        "number": activity.position + 1,
        "kind": activity.kind,
        "title": spec.get("title"),
        "prompt": spec.get("prompt", ""),
        "pair": spec.get("pair"),
        "spec": {k: v for k, v in spec.items() if k not in _SPEC_OWN},
        "answered": payload["answered"],
        # Below k even the pass count stays out: it is a count about fewer than k people.
        "passed": payload["passed"] if hidden is None else None,
        "hidden": hidden,
        "results": results,
    }


def _questions(workshop_id: int) -> list[dict[str, Any]]:
    """Approved and answered questions, most votes first; ties by text, never by arrival."""
    rows = db.session.scalars(
        select(Question).where(
            Question.workshop_id == workshop_id, Question.status.in_(QUESTION_STATUSES)
        )
    )
    questions = [{"text": q.text, "status": q.status, "votes": q.votes} for q in rows]
    return sorted(questions, key=lambda q: (-q["votes"], q["text"]))


def answered(activity: dict[str, Any]) -> int:
    """How many phones answered rather than passed (the base of every share)."""
    return int(activity["answered"])


def tally_text(activity: dict[str, Any]) -> str:
    """ "3 answered · 1 passed" (passes left out below k): the control room's own words."""
    passed = "" if activity["passed"] is None else f" · {activity['passed']} passed"
    return f"{activity['answered']} answered{passed}"


def result_rows(activity: dict[str, Any]) -> list[dict[str, Any]]:
    """The results as tidy rows: one per option, scale point or word.

    Rows are read off the results fields of docs/protocol.md (counts, histogram, words, scores),
    not off the kind's name, so a new kind that reuses those fields renders without changes.
    Each row has `item` (option number or scale point, else None), `label` and either
    `count` and `share` or `score` and `mean_rank`.
    """
    results = activity["results"]
    if not results:
        return []
    options = activity["spec"].get("options") or []
    base = answered(activity)

    def share(count: int) -> float | None:
        return round(count / base, 3) if base else None

    if "scores" in results:
        mean_rank = results.get("mean_rank") or [None] * len(results["scores"])
        return [
            {"item": i + 1, "label": _option(options, i), "score": score, "mean_rank": rank}
            for i, (score, rank) in enumerate(zip(results["scores"], mean_rank, strict=False))
        ]
    if "counts" in results:
        return [
            {"item": i + 1, "label": _option(options, i), "count": n, "share": share(n)}
            for i, n in enumerate(results["counts"])
        ]
    if "histogram" in results:
        spec = activity["spec"]
        ends = {
            str(spec.get("min")): spec.get("min_label"),
            str(spec.get("max")): spec.get("max_label"),
        }
        return [
            {"item": int(point), "label": ends.get(point) or "", "count": n, "share": share(n)}
            for point, n in results["histogram"].items()
        ]
    if "words" in results:
        return [
            {
                "item": None,
                "label": word["text"],
                "count": word["count"],
                "share": share(word["count"]),
            }
            for word in results["words"]
        ]
    return []


# Documents for reading list the most frequent words only; the data formats keep them all.
WORDS_SHOWN = 30


def shown_rows(activity: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """The result rows a document for reading shows, and how many words it leaves out."""
    rows = result_rows(activity)
    if "words" in (activity["results"] or {}) and len(rows) > WORDS_SHOWN:
        return rows[:WORDS_SHOWN], len(rows) - WORDS_SHOWN
    return rows, 0


def _option(options: list[str], index: int) -> str:
    """The text of an option, or its number when the spec has no such option."""
    return options[index] if 0 <= index < len(options) else f"Option {index + 1}"


def result_statistics(activity: dict[str, Any]) -> list[tuple[str, Any]]:
    """The single-number results of an activity (mean, median, respondents, pending, ...)."""
    results = activity["results"] or {}
    return [
        (name, value)
        for name, value in results.items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    ]


def entries(activity: dict[str, Any]) -> list[str]:
    """Approved open answers of an activity (the results payload holds no others)."""
    results = activity["results"] or {}
    return [text for text in results.get("entries", []) if isinstance(text, str)]


STATISTIC_LABELS = {
    "mean": "Mean",
    "median": "Median",
    "respondents": "Answered",
    "pending": "Not reviewed (not shown)",
}


def _percent(value: float | None) -> str:
    """A share as a whole percentage ("42%"), or an empty string."""
    return "" if value is None else f"{round(value * 100)}%"


def _number(value: Any) -> str:
    """A number as people write it: no trailing .0, a dash for none."""
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- filenames ----------------------------------------------------------------------------


def filename(data: dict[str, Any], fmt: str) -> str:
    """`rebuilding-trust-2026-11-27.csv`: the title as ASCII words, the day, the extension."""
    ascii_title = (
        unicodedata.normalize("NFKD", data["workshop"]["title"]).encode("ascii", "ignore").decode()
    )
    stem = slugify(ascii_title) if ascii_title.strip() else "summary"
    return f"{stem}-{data['workshop']['date']}.{FORMATS[fmt][1]}"


def build_export(workshop: Workshop, fmt: str) -> tuple[bytes, str, str]:
    """Render a workshop's summary: (body, Content-Type, download filename)."""
    fmt = check_format(fmt)
    # Text stored before the door check existed could hold what XML, UTF-8 or PDF refuse.
    data = printable(summary(workshop))
    return RENDERERS[fmt](data), FORMATS[fmt][0], filename(data, fmt)


# --- JSON ---------------------------------------------------------------------------------


def render_json(data: dict[str, Any]) -> bytes:
    """The summary as JSON (hearth/export.schema.json)."""
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


# --- CSV ----------------------------------------------------------------------------------

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
    for activity in data["activities"]:
        common = {
            "activity": activity["number"],
            "kind": activity["kind"],
            "title": activity["title"],
            "prompt": activity["prompt"],
        }
        rows.append(
            {
                "section": "activity",
                **common,
                "answered": activity["answered"],
                "passed": activity["passed"],
                "hidden": activity["hidden"],
            }
        )
        for row in result_rows(activity):
            rows.append({"section": "result", **common, **row})
        for name, value in result_statistics(activity):
            rows.append({"section": "statistic", **common, "statistic": name, "value": value})
        for text in entries(activity):
            rows.append({"section": "answer", **common, "text": text})
    for comparison in data["comparisons"]:
        base = {
            "section": "comparison",
            "activity": comparison["pre_activity"],
            "item": comparison["post_activity"],
            "hidden": comparison["hidden"],
        }
        if comparison["hidden"] is not None:
            rows.append(base)
            continue
        for name, value in _comparison_statistics(comparison):
            rows.append({**base, "statistic": name, "value": value})
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


def _comparison_statistics(comparison: dict[str, Any]) -> list[tuple[str, Any]]:
    """A comparison's numbers as (name, value): pre_mean, post_share_high, mean_shift, ..."""
    out = []
    for group in ("pre", "post"):
        for name, value in comparison[group].items():
            if not isinstance(value, dict):
                out.append((f"{group}_{name}", value))
    out += [(name, value) for name, value in comparison.items() if name.endswith("_shift")]
    return out


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


# --- Markdown -----------------------------------------------------------------------------

# Characters that make links, images, HTML, emphasis, code or table cells anywhere in a line.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
# What starts a list, a heading underline or a numbered item at the start of a line.
_MD_LINE_START = re.compile(r"^([-+=]|\d+[.)])")
BAR_WIDTH = 20


def md_text(text: str) -> str:
    """Text that Markdown shows as written: no links, images, HTML or tables from answers."""
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    return _MD_LINE_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], escaped)


def _md_bar(value: float, largest: float) -> str:
    """A bar of block characters, as long as value is to largest."""
    return "█" * round(BAR_WIDTH * value / largest) if largest else ""


def _hidden_note(data: dict[str, Any]) -> str:
    """What a document says in place of results below the threshold."""
    k = data["workshop"]["min_group"]
    return f"Fewer than {k} people answered, so no results are shown (anonymity threshold)."


def render_markdown(data: dict[str, Any]) -> bytes:
    """The summary as Markdown, with bar charts drawn in block characters."""
    info = data["workshop"]
    out = [
        f"# {md_text(info['title'])}",
        "",
        f"- Date: {info['date']}",
        f"- Facilitator: {md_text(info['facilitator'])}",
        f"- Peak participants: {info['peak_participants']}",
        f"- Anonymity threshold: results are shown from {info['min_group']} answers",
        f"- Break signals: {data['signals']['break']}",
    ]
    if data["signals"]["reactions"]:
        reactions = ", ".join(f"{e} {n}" for e, n in data["signals"]["reactions"].items())
        out.append(f"- Reactions: {reactions}")
    if info["purged_on"]:
        out.append(f"- Answers deleted on {info['purged_on']}")
    out.append("")
    for activity in data["activities"]:
        out += _md_activity(data, activity)
    if data["comparisons"]:
        out += ["## Before and after", ""]
        for comparison in data["comparisons"]:
            out += _md_comparison(data, comparison)
    out += ["## Questions", ""]
    if data["questions"]:
        out += ["| Question | Votes | |", "|---|---:|---|"]
        for q in data["questions"]:
            status = "answered" if q["status"] == "answered" else ""
            out.append(f"| {md_text(q['text'])} | {q['votes']} | {status} |")
    else:
        out.append("No questions were put on the board.")
    out.append("")
    if data["notes"]:
        out += ["## Facilitator's notes", "", data["notes"].strip(), ""]
    return "\n".join(out).encode()


def activity_heading(activity: dict[str, Any]) -> str:
    """`3. Check-in (scale)`: the activity's number, title or prompt, and kind."""
    return f"{activity['number']}. {activity['title'] or activity['prompt']} ({activity['kind']})"


def _md_activity(data: dict[str, Any], activity: dict[str, Any]) -> list[str]:
    """One activity as Markdown lines."""
    name = md_text(activity["title"] or activity["prompt"])
    out = [f"## {activity['number']}. {name} ({activity['kind']})", ""]
    if activity["title"]:
        out += [f"> {md_text(activity['prompt'])}", ""]
    out += [tally_text(activity), ""]
    if activity["hidden"] is not None:
        return [*out, f"_{_hidden_note(data)}_", ""]
    rows, more = shown_rows(activity)
    if rows and "score" in rows[0]:
        largest = max(row["score"] for row in rows)
        out += ["| Option | Score | Mean rank | |", "|---|---:|---:|---|"]
        for row in sorted(rows, key=lambda r: -r["score"]):
            out.append(
                f"| {md_text(row['label'])} | {row['score']} | {_number(row['mean_rank'])} "
                f"| {_md_bar(row['score'], largest)} |"
            )
        out.append("")
    elif rows:
        largest = max(row["count"] for row in rows)
        first = _first_column(activity["results"])
        out += [f"| {first} | Count | Share | |", "|---|---:|---:|---|"]
        for row in rows:
            label = " ".join(str(p) for p in (row["item"], row["label"]) if p not in (None, ""))
            out.append(
                f"| {md_text(label)} | {row['count']} | {_percent(row['share'])} "
                f"| {_md_bar(row['count'], largest)} |"
            )
        out.append("")
        if more:
            out += [
                f"And {more} more words given by fewer people (all are in the CSV and JSON).",
                "",
            ]
    stats = result_statistics(activity)
    if stats:
        out += [
            " · ".join(f"{STATISTIC_LABELS.get(n, n)}: {_number(v)}" for n, v in stats),
            "",
        ]
    texts = entries(activity)
    if texts:
        out += [f"- {md_text(text)}" for text in texts] + [""]
    elif "entries" in activity["results"]:
        out += ["No answers were approved for sharing.", ""]
    return out


def _first_column(results: dict[str, Any]) -> str:
    """What the rows of a results table are: scale points, words or options."""
    if "histogram" in results:
        return "Point"
    return "Word" if "words" in results else "Option"


def _md_comparison(data: dict[str, Any], comparison: dict[str, Any]) -> list[str]:
    """One before/after comparison as Markdown lines."""
    head = (
        f"Activity {comparison['pre_activity']} (before) and {comparison['post_activity']} (after)"
    )
    if comparison["hidden"] is not None:
        return [head, "", f"_{_hidden_note(data)}_", ""]
    pre, post = comparison["pre"], comparison["post"]
    return [
        head + " — two separate groups of answers, never linked person by person.",
        "",
        "| | Answers | Mean | Above the middle | Below the middle |",
        "|---|---:|---:|---:|---:|",
        f"| Before | {pre['n']} | {_number(pre['mean'])} | {_percent(pre['share_high'])} "
        f"| {_percent(pre['share_low'])} |",
        f"| After | {post['n']} | {_number(post['mean'])} | {_percent(post['share_high'])} "
        f"| {_percent(post['share_low'])} |",
        "",
        f"Mean shift: {_signed(comparison['mean_shift'])}",
        "",
    ]


def _signed(value: float | None) -> str:
    """A change with its sign (+0.8, −0.3, 0)."""
    if value is None:
        return "–"
    if value == 0:
        return "0"
    return ("+" if value > 0 else "−") + _number(abs(value))


# --- HTML and PDF -------------------------------------------------------------------------


def _view(data: dict[str, Any]) -> dict[str, Any]:
    """What the HTML template needs beyond the data: tidy rows, statistics, entries."""
    activities = []
    for activity in data["activities"]:
        rows, more = shown_rows(activity)
        ranked = bool(rows) and "score" in rows[0]
        value_key = "score" if ranked else "count"
        largest = max((row[value_key] for row in rows), default=0)
        activities.append(
            {
                "data": activity,
                "heading": activity_heading(activity),
                "rows": sorted(rows, key=lambda r: -r["score"]) if ranked else rows,
                "ranked": ranked,
                "more": more,
                "first_column": _first_column(activity["results"] or {}),
                "columns": activity["results"] is not None and "histogram" in activity["results"],
                "largest": largest,
                "statistics": [
                    (STATISTIC_LABELS.get(n, n), _number(v)) for n, v in result_statistics(activity)
                ],
                "entries": entries(activity),
                "has_entries": activity["results"] is not None and "entries" in activity["results"],
            }
        )
    return {
        "data": data,
        "activities": activities,
        "comparisons": [
            _comparison_view(c, {a["number"]: a for a in data["activities"]})
            for c in data["comparisons"]
        ],
        "hidden_note": _hidden_note(data),
        "percent": _percent,
        "number": _number,
        "signed": _signed,
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
        "pre_name": pre_activity["title"] or "Before",
        "post_name": post_activity["title"] or "After",
    }


def render_html(data: dict[str, Any]) -> bytes:
    """The summary as one self-contained, printable HTML file (inline styles and SVG charts)."""
    return render_template("exports/summary.html", **_view(data)).encode()


PDF_TIMEOUT_SECONDS = 60
# Chromium-family browsers, by the names and places they install under.
BROWSER_NAMES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "microsoft-edge",
    "microsoft-edge-stable",
    "msedge",
    "chrome",
    "brave-browser",
)
BROWSER_PATHS = (
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    "/Applications/Brave Browser.app/Contents/MacOS/Brave Browser",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
    r"C:\Program Files\Microsoft\Edge\Application\msedge.exe",
)
# Offline, quiet, and unable to reach any host: the document is self-contained, and a
# summary of a counselling group must not make a request anywhere (docs/privacy.md).
BROWSER_FLAGS = (
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--no-first-run",
    "--no-default-browser-check",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--no-pdf-header-footer",
)


def find_browser() -> str | None:
    """The Chromium-family browser that prints PDFs: HEARTH_PDF_BROWSER, else one installed."""
    configured = current_app.config.get("HEARTH_PDF_BROWSER")
    if configured:
        found = shutil.which(str(configured))
        return found or (str(configured) if Path(str(configured)).is_file() else None)
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return next((path for path in BROWSER_PATHS if Path(path).is_file()), None)


def _pdf_unavailable(message: str) -> HearthError:
    """The refusal when no PDF can be made here."""
    return HearthError("pdf_unavailable", message, 503)


def render_pdf(data: dict[str, Any]) -> bytes:
    """The HTML summary printed to PDF by headless Chromium, Chrome or Edge."""
    browser = find_browser()
    if browser is None:
        raise _pdf_unavailable(
            "PDF export needs Chrome, Chromium or Edge on this computer (or HEARTH_PDF_BROWSER "
            "set to one). Download the HTML summary and print it to PDF instead."
        )
    html = render_html(data)
    with tempfile.TemporaryDirectory(prefix="hearth-pdf-") as folder:
        page = Path(folder) / "summary.html"
        target = Path(folder) / "summary.pdf"
        page.write_bytes(html)
        command = [
            browser,
            *BROWSER_FLAGS,
            f"--user-data-dir={Path(folder) / 'profile'}",
            f"--print-to-pdf={target}",
            page.as_uri(),
        ]
        # Chromium refuses to run as root with its sandbox on (containers, some servers).
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")
        try:
            subprocess.run(
                command,
                capture_output=True,
                timeout=PDF_TIMEOUT_SECONDS,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.TimeoutExpired):
            current_app.logger.warning("PDF export: the browser did not run or timed out")
            raise _pdf_unavailable(
                "The PDF could not be made. Download the HTML summary and print it to PDF."
            ) from None
        if not target.is_file() or not target.read_bytes().startswith(b"%PDF"):
            current_app.logger.warning("PDF export: the browser produced no PDF")
            raise _pdf_unavailable(
                "The PDF could not be made. Download the HTML summary and print it to PDF."
            )
        return _pdf_dates_to_day(target.read_bytes())


_PDF_DATE = re.compile(rb"\(D:(\d{8})(\d{6})([^)]*)\)")


def _pdf_dates_to_day(pdf: bytes) -> bytes:
    """Zero the time of day in the PDF's creation and modification dates.

    The browser stamps the moment of printing; an export holds no time finer than the day.
    The replacement has the same length, so the PDF's byte offsets stay valid.
    """

    def to_midnight(match: re.Match[bytes]) -> bytes:
        rest = re.sub(rb"\d", b"0", match.group(3))
        return b"(D:" + match.group(1) + b"000000" + rest + b")"

    return _PDF_DATE.sub(to_midnight, pdf)


# --- XLSX ---------------------------------------------------------------------------------


def render_xlsx(data: dict[str, Any]) -> bytes:
    """The summary as a workbook: an overview sheet, then one sheet per activity."""
    book = Workbook()
    overview = book.active
    assert overview is not None
    overview.title = "Overview"
    bold = Font(bold=True)
    info = data["workshop"]

    def put(sheet: Any, *values: Any, strong: bool = False) -> None:
        sheet.append([None if v is None else v for v in values])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                # Text from answers stays text, even when it starts with "=".
                cell.data_type = "s"
            if strong:
                cell.font = bold

    put(overview, info["title"], strong=True)
    for label, value in (
        ("Date", info["date"]),
        ("Facilitator", info["facilitator"]),
        ("Peak participants", info["peak_participants"]),
        ("Anonymity threshold (k)", info["min_group"]),
        ("Break signals", data["signals"]["break"]),
        ("Answers deleted on", info["purged_on"]),
    ):
        put(overview, label, value)
    for emoji, n in data["signals"]["reactions"].items():
        put(overview, f"Reactions {emoji}", n)
    put(overview)
    put(overview, "Activity", "Kind", "Prompt", "Answered", "Passed", "Shown", strong=True)
    for activity in data["activities"]:
        put(
            overview,
            activity["number"],
            activity["kind"],
            activity["prompt"],
            activity["answered"],
            activity["passed"],
            "no: fewer than k answered" if activity["hidden"] else "yes",
        )
    if data["comparisons"]:
        put(overview)
        put(
            overview, "Before and after (two separate groups, never linked per person)", strong=True
        )
        put(overview, "Activities", "Statistic", "Value", strong=True)
        for comparison in data["comparisons"]:
            pair = f"{comparison['pre_activity']} → {comparison['post_activity']}"
            if comparison["hidden"] is not None:
                put(overview, pair, "hidden", "fewer than k answered")
                continue
            for name, value in _comparison_statistics(comparison):
                put(overview, pair, name, value)
    put(overview)
    put(overview, "Questions", "Votes", "Status", strong=True)
    for question in data["questions"]:
        put(overview, question["text"], question["votes"], question["status"])
    if data["notes"]:
        put(overview)
        put(overview, "Facilitator's notes", strong=True)
        put(overview, data["notes"])
    overview.column_dimensions["A"].width = 48
    overview.column_dimensions["C"].width = 60

    for activity in data["activities"]:
        sheet = book.create_sheet(_sheet_name(activity))
        put(sheet, activity_heading(activity), strong=True)
        put(sheet, "Prompt", activity["prompt"])
        put(sheet, "Kind", activity["kind"])
        put(sheet, "Answered", activity["answered"])
        put(sheet, "Passed", activity["passed"])
        put(sheet)
        if activity["hidden"] is not None:
            put(sheet, _hidden_note(data))
            continue
        rows = result_rows(activity)
        if rows:
            ranked = "score" in rows[0]
            header = (
                ("Option", "Label", "Score", "Mean rank")
                if ranked
                else ("Item", "Label", "Count", "Share")
            )
            put(sheet, *header, strong=True)
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
            chart = BarChart()
            chart.type = "col" if "histogram" in activity["results"] else "bar"
            chart.legend = None
            chart.title = activity["title"] or activity["kind"]
            chart.add_data(
                Reference(sheet, min_col=3, min_row=first - 1, max_row=last), titles_from_data=True
            )
            label_col = 1 if "histogram" in activity["results"] else 2
            chart.set_categories(Reference(sheet, min_col=label_col, min_row=first, max_row=last))
            sheet.add_chart(chart, "G2")
            put(sheet)
        stats = result_statistics(activity)
        for name, value in stats:
            put(sheet, STATISTIC_LABELS.get(name, name), value)
        texts = entries(activity)
        if texts:
            put(sheet)
            put(sheet, "Approved answers", strong=True)
            for text in texts:
                put(sheet, text)
        sheet.column_dimensions["A"].width = 28
        sheet.column_dimensions["B"].width = 48
    buffer = io.BytesIO()
    book.save(buffer)
    return _xlsx_dated(buffer.getvalue(), date.fromisoformat(info["date"]))


def _sheet_name(activity: dict[str, Any]) -> str:
    """`3 Check-in`: a unique, valid sheet name (31 characters, none of []:*?/\\)."""
    label = activity["title"] or activity["kind"]
    return re.sub(r"[\[\]:*?/\\]", " ", f"{activity['number']} {label}")[:31].strip()


_CORE_TIME = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


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


RENDERERS: dict[str, Callable[[dict[str, Any]], bytes]] = {
    "json": render_json,
    "csv": render_csv,
    "md": render_markdown,
    "html": render_html,
    "xlsx": render_xlsx,
    "pdf": render_pdf,
}


def as_download(export: tuple[bytes, str, str]) -> Response:
    """A built export as an attachment that no cache keeps (for every download route)."""
    body, content_type, filename = export
    response = Response(body, content_type=content_type)
    # Filenames are ASCII words, digits and dashes (see `filename` above): safe to quote.
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
