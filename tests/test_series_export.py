"""The series summary in the six formats of a session: the same comparisons as each session's
own export, k applied per session, and nothing of the session below k in any format."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient

from hearth import exports
from hearth.exports.series import (
    SERIES_CSV_COLUMNS,
    build_series_export,
    series_summary,
)
from hearth.extensions import db
from hearth.models import Series, Workshop
from hearth.services.series import report

PAIRED = [
    {"kind": "scale", "prompt": "How safe do you feel?", "min": 1, "max": 5, "pair": "pre"},
    {"kind": "scale", "prompt": "And now?", "min": 1, "max": 5, "pair": "post"},
]
FORMATS = ["json", "csv", "md", "html", "xlsx", "pdf"]
TITLE = "=Tuesday group"  # a formula in a spreadsheet, unless it is kept as text


@pytest.fixture
def series_id(
    app: Flask,
    api: Any,
    make_plan: Callable[..., str],
    crowd: Callable[..., Any],
    act: Callable[..., None],
) -> int:
    """A series of two sessions: the first at k = 3, the second with two answers (below k)."""
    plan = make_plan(PAIRED)
    created = api.post("/series", {"title": TITLE}).get_json()["id"]
    for before, after in (([1, 2, 2], [3, 4, 5]), ([5, 5], [1, 1])):
        body = {"plan": plan, "settings": {"min_group": 3, "series": created}}
        workshop_id = api.post("/workshops", body).get_json()["id"]
        with app.app_context():
            workshop = db.session.get(Workshop, workshop_id)
            info = SimpleNamespace(id=workshop.id, code=workshop.code)
            pre, post = (a.id for a in workshop.activities)
        phones = crowd(info, len(before))
        act(info, "start")
        for n, (sock, value) in enumerate(zip(phones, before, strict=True)):
            assert sock.call("answer", {"activity_id": pre, "value": value, "msg_id": f"i{n}"})[
                "ok"
            ]
        act(info, "next")
        for n, (sock, value) in enumerate(zip(phones, after, strict=True)):
            assert sock.call("answer", {"activity_id": post, "value": value, "msg_id": f"o{n}"})[
                "ok"
            ]
        act(info, "end")
    return int(created)


def built(app: Flask, series_id: int, fmt: str) -> tuple[bytes, str, str]:
    with app.app_context():
        return build_series_export(report(db.session.get(Series, series_id)), fmt)


def readable(body: bytes, fmt: str, tmp_path: Path) -> str:
    """What a person can read in a file of this format."""
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(body))
        return "\n".join(
            str(cell.value) for row in book.active.iter_rows() for cell in row if cell.value
        )
    if fmt == "pdf":
        if shutil.which("pdftotext") is None:
            pytest.skip("pdftotext (poppler-utils) is not installed")
        (tmp_path / "s.pdf").write_bytes(body)
        out = subprocess.run(
            ["pdftotext", "-layout", str(tmp_path / "s.pdf"), "-"], check=True, capture_output=True
        )
        return out.stdout.decode()
    return body.decode("utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_shows_the_session_at_k_and_hides_the_one_below(
    app: Flask, series_id: int, fmt: str, tmp_path: Path
) -> None:
    if fmt == "pdf":
        with app.app_context():
            if exports.find_browser() is None:
                pytest.skip("no Chromium-family browser to print the PDF")
    body, content_type, name = built(app, series_id, fmt)
    assert content_type == exports.FORMATS[fmt][0]
    assert name.startswith("tuesday-group-series-") and name.endswith(f".{exports.FORMATS[fmt][1]}")
    text = readable(body, fmt, tmp_path)
    # The first session's check-in mean (1.67) and check-out mean (4) are there...
    assert "1.67" in text
    # ...and nothing of the second's: its means (5 and 1) never appear as figures.
    assert "Fewer than 3 answers" in text or fmt in ("json", "csv", "xlsx")
    for leaked in ('"mean": 5', '"mean": 1.0', "5.0 (2)", "5 (2)", "(2)"):
        assert leaked not in text, (fmt, leaked)


def test_each_session_carries_exactly_its_own_exports_comparisons(
    app: Flask, series_id: int
) -> None:
    with app.app_context():
        series = db.session.get(Series, series_id)
        data = series_summary(report(series))
        sessions = db.session.query(Workshop).filter_by(series_id=series_id).order_by(Workshop.id)
        own = [exports.summary(w)["comparisons"] for w in sessions]
    assert [s["comparisons"] for s in data["sessions"]] == own
    assert data["format"] == "hearth-series-summary" and data["format_version"] == 1
    assert set(data["series"]) == {"title", "date", "sessions"}
    assert {k for s in data["sessions"] for k in s} == {
        "number",
        "title",
        "date",
        "min_group",
        "purged",
        "comparisons",
    }


def test_the_json_holds_no_identifier_of_a_session_or_a_person(app: Flask, series_id: int) -> None:
    data = json.loads(built(app, series_id, "json")[0])
    text = json.dumps(data)
    assert "workshop_id" not in text and "key" not in text and "token" not in text
    assert data["sessions"][1]["comparisons"] == [
        {"pre_activity": 1, "post_activity": 2, "hidden": "below_threshold"}
    ]


def test_csv_keeps_a_formula_title_as_text_and_one_row_per_session_and_pair(
    app: Flask, series_id: int
) -> None:
    body = built(app, series_id, "csv")[0].decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert tuple(rows[0]) == SERIES_CSV_COLUMNS
    assert [row["session"] for row in rows] == ["1", "2"]
    assert rows[0]["series"] == "'" + TITLE
    assert rows[0]["pre_mean"] == "1.67" and rows[0]["mean_shift"] == "2.33"
    assert rows[1]["hidden"] == "below_threshold" and rows[1]["pre_mean"] == ""


def test_an_unknown_format_is_refused(app: Flask, series_id: int) -> None:
    from hearth.errors import HearthError

    with pytest.raises(HearthError) as refused:
        built(app, series_id, "docx")
    assert refused.value.code == "invalid_format"


def test_the_downloads_answer_the_owner_only(
    app: Flask,
    series_id: int,
    facilitator_client: FlaskClient,
    api: Any,
    client: FlaskClient,
    make_facilitator: Callable[..., Any],
    make_api_token: Callable[[Any], str],
    logged_in_client: Callable[..., FlaskClient],
) -> None:
    page = facilitator_client.get(f"/facilitator/series/{series_id}/export?format=md")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "attachment" in page.headers["Content-Disposition"]
    via_api = api.get(f"/series/{series_id}/export?format=csv")
    assert via_api.status_code == 200 and via_api.mimetype == "text/csv"
    other = type(api)(client, make_api_token(make_facilitator()))
    assert other.get(f"/series/{series_id}/export?format=csv").status_code == 403
    assert api.get(f"/series/{series_id}/export?format=docx").status_code == 400


def test_the_series_documents_speak_the_language_of_the_page_that_asks(
    app: Flask, series_id: int
) -> None:
    with app.test_request_context(headers={"Accept-Language": "de"}):
        series = report(db.session.get(Series, series_id))
        markdown = build_series_export(series, "md")[0].decode()
        html = build_series_export(series, "html")[0].decode()
        book = openpyxl.load_workbook(io.BytesIO(build_series_export(series, "xlsx")[0]))
        german_csv = build_series_export(series, "csv")[0]
    assert "Zusammenfassung der Reihe · 2 Sitzungen" in markdown
    assert "Weniger als 3 Antworten" in markdown and "Fewer than" not in markdown
    assert '<html lang="de" dir="ltr">' in html and "Ankommen und Abschluss" in html
    assert book.sheetnames == ["Reihe"]
    # The CSV is a machine's: the same English ids whatever the page speaks.
    assert german_csv == built(app, series_id, "csv")[0]
