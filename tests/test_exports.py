"""Session summaries (hearth.exports): every format, the k threshold, moderation, no identifiers."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from hearth import exports
from hearth.extensions import db, writing
from hearth.kinds import KINDS
from hearth.models import Question, Response, Workshop
from hearth.privacy import issue_participant_token
from hearth.services import questions, responses, signals
from hearth.services.workshops import perform_action

# Read before the app fixture clears HEARTH_* variables from the environment.
REQUIRE_BROWSER = os.environ.get("HEARTH_REQUIRE_BROWSER") == "1"
SCHEMA = json.loads((Path(exports.__file__).parent / "export.schema.json").read_text())
K = 3
PASS = "<pass>"

# Texts that must reach every export, and texts that must reach none.
APPROVED = "Ask for one honest talk this week"
APPROVED_MASKED = "Write to jo.doe@example.com tonight"
FORMULA = "=1+2 is how I felt"
REJECTED = "Rejectedsecret about my partner"
PENDING = "Pendingsecret nobody reviewed"
BELOW_K_TEXT = "Belowksecret approved but too few"
HIDDEN_WORD = "hidemeword"
Q_APPROVED = "How do I start a hard conversation?"
Q_ANSWERED = "Is it normal to feel suspicious?"
Q_DISMISSED = "Dismissedsecret question"
Q_PENDING = "Pendingsecret question"
NOTES = "Warm group; revisit boundaries next time."
NEVER_EXPORTED = (REJECTED, PENDING, BELOW_K_TEXT, HIDDEN_WORD, Q_DISMISSED, Q_PENDING)

# One activity of every kind, with the answers of five phones (PASS for a pass).
PLAN: list[tuple[dict[str, Any], list[Any]]] = [
    ({"kind": "content", "title": "Agreements", "body": "What is said here stays here."}, []),
    (
        {
            "kind": "scale",
            "title": "Check-in",
            "prompt": "How settled do you feel?",
            "min": 1,
            "max": 5,
            "min_label": "Not at all",
            "max_label": "Very settled",
            "pair": "pre",
        },
        [1, 2, 2, 3, 4],
    ),
    (
        {
            "kind": "choice",
            "prompt": "What shakes trust most?",
            "options": ["Betrayal", "Suspicion", "Past hurt"],
        },
        [0, 0, 1, 2, PASS],
    ),
    (
        {
            "kind": "multi",
            "prompt": "Which do you practise?",
            "options": ["Naming feelings", "Saying no", "Reflecting"],
        },
        [[0, 1], [1], [0, 2], [1, 2], [0]],
    ),
    (
        {"kind": "open", "prompt": "One small step?", "max_length": 280},
        [APPROVED, APPROVED_MASKED, FORMULA, REJECTED, PENDING],
    ),
    (
        {"kind": "words", "prompt": "One word for today?"},
        [["calm", "Hope"], ["hope"], ["tired", "calm!"], ["hope", "the"], ["safe", HIDDEN_WORD]],
    ),
    (
        {"kind": "rank", "prompt": "Order these", "options": ["Honesty", "Time", "Patience"]},
        [[0, 1, 2], [0, 2, 1], [1, 0, 2], [0, 1, 2], [2, 0, 1]],
    ),
    (
        {"kind": "choice", "prompt": "Few answered this", "options": ["Seldom", "Often"]},
        [1, 1, PASS, PASS],
    ),
    (
        {"kind": "open", "prompt": "Few wrote here", "max_length": 280},
        [BELOW_K_TEXT, BELOW_K_TEXT + " too"],
    ),
    (
        {
            "kind": "scale",
            "title": "Check-out",
            "prompt": "How settled now?",
            "min": 1,
            "max": 5,
            "pair": "post",
        },
        [3, 4, 4, 5, 5],
    ),
]
BELOW_K_CHOICE = 8  # the activity numbers (1-based) of the two below-k activities
BELOW_K_OPEN = 9


@dataclass
class Ran:
    """A finished workshop and every identifier that must stay out of its exports."""

    id: int
    present_key: str
    tokens: list[str]
    msg_ids: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


def run_workshop(
    app: Flask,
    make_plan: Callable[..., str],
    make_workshop: Callable[..., Any],
    plan: list[tuple[dict[str, Any], list[Any]]] = PLAN,
) -> Ran:
    """Run a workshop through the services: answers, moderation, Q&A, signals, notes, end."""
    slug = make_plan([spec for spec, _ in plan], title="Rebuilding trust")
    info = make_workshop(min_group=K, plan=slug)
    ran = Ran(
        info.id,
        info.present_key,
        [issue_participant_token(app.config["SECRET_KEY"], info.id) for _ in range(5)],
    )

    def act(action: str, **fields: Any) -> None:
        perform_action(info.id, {"action": action, **fields})

    with app.app_context():
        act("start")
        act("qa_open")
        for activity, (spec, answers) in zip(info.activities, plan, strict=True):
            if activity.index:
                act("goto", index=activity.index)
            for token, value in zip(ran.tokens, answers, strict=False):
                msg_id = f"MSGID{len(ran.msg_ids):04d}x"
                ran.msg_ids.append(msg_id)
                payload = {"activity_id": activity.id, "msg_id": msg_id}
                if value == PASS:
                    responses.submit_pass(info.id, token, payload)
                else:
                    responses.submit_answer(info.id, token, {**payload, "value": value})
            if spec["kind"] == "open":
                rows = db.session.scalars(
                    select(Response).where(Response.activity_id == activity.id)
                ).all()
                for row in rows:
                    if row.value in (REJECTED,):
                        act("reject", response_id=row.id)
                    elif row.value != PENDING:
                        act("approve", response_id=row.id)
            if spec["kind"] == "words":
                act("hide_word", word=HIDDEN_WORD)
            if spec["kind"] in ("choice", "words") or spec.get("pair") == "pre":
                act("reveal")
        asked = {}
        for n, text in enumerate((Q_APPROVED, Q_ANSWERED, Q_DISMISSED, Q_PENDING)):
            asked[text] = questions.ask(info.id, {"text": text, "msg_id": f"QMSGID{n}x"})
            ran.msg_ids.append(f"QMSGID{n}x")
        for text in (Q_APPROVED, Q_ANSWERED, Q_DISMISSED):
            act("qa_approve", question_id=asked[text])
        act("qa_answered", question_id=asked[Q_ANSWERED])
        act("qa_dismiss", question_id=asked[Q_DISMISSED])
        for token in ran.tokens[:2]:
            questions.upvote(info.id, token, {"question_id": asked[Q_APPROVED]})
        questions.upvote(info.id, ran.tokens[2], {"question_id": asked[Q_ANSWERED]})
        signals.send_signal(info.id, {"kind": "break"})
        signals.send_signal(info.id, {"kind": "break"})
        signals.send_reaction(info.id, {"emoji": "💛"})
        with writing():
            workshop = db.session.get(Workshop, info.id)
            assert workshop is not None
            workshop.notes = NOTES
            workshop.peak_connected = 5
        act("end")
        ran.keys = list(db.session.scalars(select(Response.key)))
        ran.keys += [v.key for q in db.session.scalars(select(Question)) for v in q.upvotes]
    return ran


@pytest.fixture
def ran(app: Flask, make_plan: Callable[..., str], make_workshop: Callable[..., Any]) -> Ran:
    """A finished workshop that used every kind."""
    return run_workshop(app, make_plan, make_workshop)


def export(app: Flask, workshop_id: int, fmt: str) -> tuple[bytes, str, str]:
    """build_export inside an app context."""
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        assert workshop is not None
        return exports.build_export(workshop, fmt)


def pdf_available(app: Flask) -> bool:
    """Whether a browser can print PDFs here (required when HEARTH_REQUIRE_BROWSER=1)."""
    with app.app_context():
        found = exports.find_browser() is not None
    if not found and REQUIRE_BROWSER:
        pytest.fail("HEARTH_REQUIRE_BROWSER=1 but no Chromium-family browser was found")
    return found


def pdf_text(body: bytes, tmp_path: Path) -> str:
    """The text of a PDF (poppler's pdftotext), or skip when poppler is missing."""
    if shutil.which("pdftotext") is None:
        if REQUIRE_BROWSER:
            pytest.fail("HEARTH_REQUIRE_BROWSER=1 but pdftotext (poppler-utils) is missing")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "summary.pdf"
    path.write_bytes(body)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode()


def xlsx_text(body: bytes) -> str:
    """Every cell of a workbook and every XML part of its file, as one string."""
    book = openpyxl.load_workbook(io.BytesIO(body))
    cells = [
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        parts = [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    return "\n".join(cells + parts)


def as_text(body: bytes, fmt: str, tmp_path: Path) -> str:
    """What a person (or a program) can read in an export."""
    if fmt == "xlsx":
        return xlsx_text(body)
    if fmt == "pdf":
        return pdf_text(body, tmp_path)
    return body.decode("utf-8")


FORMATS = ["json", "csv", "md", "html", "xlsx", "pdf"]


# --- the fixture covers what it claims ----------------------------------------------------


def test_the_fixture_uses_every_kind() -> None:
    assert {spec["kind"] for spec, _ in PLAN} == set(KINDS)


# --- every format: what it holds and what it never holds -----------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_holds_the_approved_texts_and_questions(
    app: Flask, ran: Ran, tmp_path: Path, fmt: str
) -> None:
    if fmt == "pdf" and not pdf_available(app):
        pytest.skip("no Chromium-family browser to print PDFs")
    body, _, _ = export(app, ran.id, fmt)
    text = " ".join(as_text(body, fmt, tmp_path).split())
    if fmt == "md":
        text = text.replace("\\", "")
    for expected in (APPROVED, "Write to [email removed] tonight", Q_APPROVED, Q_ANSWERED, NOTES):
        assert expected in text, f"{expected!r} missing from {fmt}"
    assert "Rebuilding trust" in text
    assert "Betrayal" in text and "Check-out" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_format_holds_unapproved_text_or_below_threshold_results(
    app: Flask, ran: Ran, tmp_path: Path, fmt: str
) -> None:
    if fmt == "pdf" and not pdf_available(app):
        pytest.skip("no Chromium-family browser to print PDFs")
    body, _, _ = export(app, ran.id, fmt)
    text = as_text(body, fmt, tmp_path)
    for secret in NEVER_EXPORTED:
        assert secret.split()[0] not in text, f"{secret!r} leaked into {fmt}"
    # The below-k choice's options are in the plan, but never with a count beside them.
    assert "jo.doe@example.com" not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_format_holds_an_identifier_or_a_time_of_day(
    app: Flask, ran: Ran, tmp_path: Path, fmt: str
) -> None:
    if fmt == "pdf" and not pdf_available(app):
        pytest.skip("no Chromium-family browser to print PDFs")
    body, _, _ = export(app, ran.id, fmt)
    raw = body if fmt != "xlsx" else xlsx_text(body).encode()
    readable = as_text(body, fmt, tmp_path) if fmt == "pdf" else raw.decode("utf-8", "replace")
    for identifier in [*ran.tokens, *ran.msg_ids, *ran.keys, ran.present_key]:
        assert identifier.encode() not in raw
        assert identifier not in readable
    # No clock time anywhere: "14:05", "T14:05:09", PDF dates with a time of day.
    assert not re.search(r"\b\d{1,2}:\d{2}\b", readable.replace("T00:00:00", ""))
    if fmt == "pdf":
        for stamp in re.findall(rb"/(?:CreationDate|ModDate)\s*\(D:(\d{14})", body):
            assert stamp.endswith(b"000000")
    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            assert all(item.date_time[3:] == (0, 0, 0) for item in archive.infolist())
            core = archive.read("docProps/core.xml").decode()
        assert re.findall(r"T(\d\d:\d\d:\d\d)", core) == ["00:00:00", "00:00:00"]


# --- JSON ---------------------------------------------------------------------------------


def test_json_export_matches_its_schema_and_the_answers(app: Flask, ran: Ran) -> None:
    body, content_type, name = export(app, ran.id, "json")
    data = json.loads(body)
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert content_type == "application/json"
    assert re.fullmatch(r"rebuilding-trust-\d{4}-\d\d-\d\d\.json", name)
    assert data["workshop"]["peak_participants"] == 5
    assert data["workshop"]["min_group"] == K
    by_number = {a["number"]: a for a in data["activities"]}
    assert 1 not in by_number  # the content slide takes no answers
    assert by_number[2]["results"]["histogram"] == {"1": 1, "2": 2, "3": 1, "4": 1, "5": 0}
    assert by_number[3]["results"]["counts"] == [2, 1, 1]
    assert (by_number[3]["answered"], by_number[3]["passed"]) == (4, 1)
    assert by_number[4]["results"]["counts"] == [3, 3, 2]
    assert sorted(by_number[5]["results"]["entries"]) == sorted(
        [APPROVED, "Write to [email removed] tonight", FORMULA]
    )
    assert by_number[5]["results"]["pending"] == 1
    words = {w["text"]: w["count"] for w in by_number[6]["results"]["words"]}
    assert words == {"hope": 3, "calm": 2, "tired": 1, "safe": 1}
    assert by_number[7]["results"]["scores"] == [8, 4, 3]
    assert data["signals"] == {"break": 2, "reactions": {"💛": 1}}
    assert data["notes"] == NOTES


def test_json_below_threshold_activities_carry_no_counts(app: Flask, ran: Ran) -> None:
    data = json.loads(export(app, ran.id, "json")[0])
    by_number = {a["number"]: a for a in data["activities"]}
    for number in (BELOW_K_CHOICE, BELOW_K_OPEN):
        activity = by_number[number]
        assert activity["hidden"] == "below_threshold"
        assert activity["results"] is None
        assert activity["passed"] is None  # a pass count of fewer than k people singles out
        assert activity["answered"] == 2  # answers only: the passes are not told apart below k


def test_json_compares_check_in_and_check_out_as_two_groups(app: Flask, ran: Ran) -> None:
    data = json.loads(export(app, ran.id, "json")[0])
    [comparison] = data["comparisons"]
    assert (comparison["pre_activity"], comparison["post_activity"]) == (2, 10)
    assert comparison["hidden"] is None
    assert comparison["pre"]["mean"] == 2.4
    assert comparison["post"]["mean"] == 4.2
    assert comparison["mean_shift"] == 1.8
    assert comparison["pre"]["share_high"] == 0.2 and comparison["post"]["share_high"] == 0.8


def test_json_questions_are_approved_or_answered_by_votes(app: Flask, ran: Ran) -> None:
    data = json.loads(export(app, ran.id, "json")[0])
    assert data["questions"] == [
        {"text": Q_APPROVED, "status": "approved", "votes": 2},
        {"text": Q_ANSWERED, "status": "answered", "votes": 1},
    ]


def test_a_comparison_below_threshold_shows_no_numbers(
    app: Flask, make_plan: Callable[..., str], make_workshop: Callable[..., Any]
) -> None:
    plan = [PLAN[1], (PLAN[-1][0], [3, 4])]
    ran = run_workshop(app, make_plan, make_workshop, plan)
    data = json.loads(export(app, ran.id, "json")[0])
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert data["comparisons"] == [
        {"pre_activity": 1, "post_activity": 2, "hidden": "below_threshold"}
    ]


# --- CSV ----------------------------------------------------------------------------------


def csv_table(app: Flask, ran: Ran) -> list[dict[str, str]]:
    """The CSV export parsed back with the csv module."""
    body, content_type, _ = export(app, ran.id, "csv")
    assert content_type == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_is_tidy_one_row_per_option_with_counts(app: Flask, ran: Ran) -> None:
    rows = csv_table(app, ran)
    assert list(rows[0]) == list(exports.CSV_COLUMNS)
    choice = [r for r in rows if r["section"] == "result" and r["activity"] == "3"]
    assert [(r["item"], r["label"], r["count"], r["share"]) for r in choice] == [
        ("1", "Betrayal", "2", "0.5"),
        ("2", "Suspicion", "1", "0.25"),
        ("3", "Past hurt", "1", "0.25"),
    ]
    scale = [r for r in rows if r["section"] == "result" and r["activity"] == "2"]
    assert [(r["item"], r["count"]) for r in scale] == [
        ("1", "1"),
        ("2", "2"),
        ("3", "1"),
        ("4", "1"),
        ("5", "0"),
    ]
    assert scale[0]["label"] == "Not at all" and scale[-1]["label"] == "Very settled"
    rank = [r for r in rows if r["section"] == "result" and r["activity"] == "7"]
    assert [(r["label"], r["score"], r["mean_rank"]) for r in rank][0] == ("Honesty", "8", "1.4")
    mean = [r for r in rows if r["section"] == "statistic" and r["activity"] == "2"]
    assert ("mean", "2.4") in [(r["statistic"], r["value"]) for r in mean]


def test_csv_has_approved_answers_one_per_row_and_guards_formulas(app: Flask, ran: Ran) -> None:
    rows = csv_table(app, ran)
    answers = sorted(r["text"] for r in rows if r["section"] == "answer")
    assert answers == sorted([APPROVED, "Write to [email removed] tonight", "'" + FORMULA])
    assert all(r["activity"] == "5" for r in rows if r["section"] == "answer")


def test_csv_below_threshold_activity_is_one_row_without_counts(app: Flask, ran: Ran) -> None:
    rows = [r for r in csv_table(app, ran) if r["activity"] == str(BELOW_K_CHOICE)]
    assert len(rows) == 1
    assert rows[0]["section"] == "activity"
    assert rows[0]["hidden"] == "below_threshold"
    assert rows[0]["count"] == rows[0]["passed"] == ""


def test_csv_lists_questions_and_comparison(app: Flask, ran: Ran) -> None:
    rows = csv_table(app, ran)
    asked = [(r["text"], r["count"], r["label"]) for r in rows if r["section"] == "question"]
    assert asked == [(Q_APPROVED, "2", "approved"), (Q_ANSWERED, "1", "answered")]
    compared = {r["statistic"]: r["value"] for r in rows if r["section"] == "comparison"}
    assert compared["mean_shift"] == "1.8"
    assert compared["pre_n"] == "5" and compared["post_mean"] == "4.2"


# --- XLSX ---------------------------------------------------------------------------------


def test_xlsx_has_an_overview_and_a_sheet_per_activity(app: Flask, ran: Ran) -> None:
    body, content_type, name = export(app, ran.id, "xlsx")
    assert content_type == exports.XLSX_TYPE
    assert name.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(body))
    assert book.sheetnames[0] == "Overview"
    assert len(book.sheetnames) == 1 + len([s for s, _ in PLAN if s["kind"] != "content"])
    assert book.sheetnames[1] == "2 Check-in"
    overview = [list(row) for row in book["Overview"].iter_rows(values_only=True)]
    assert overview[0][0] == "Rebuilding trust"
    assert ["Peak participants", 5] in [row[:2] for row in overview]
    choice = [list(r) for r in book["3 Choice poll"].iter_rows(values_only=True)]
    assert [1, "Betrayal", 2, 0.5] in [r[:4] for r in choice]


def test_xlsx_keeps_answers_as_text_and_hides_below_threshold(app: Flask, ran: Ran) -> None:
    book = openpyxl.load_workbook(io.BytesIO(export(app, ran.id, "xlsx")[0]))
    cells = {
        cell.value: cell.data_type
        for row in book["5 Open question"].iter_rows()
        for cell in row
        if cell.value is not None
    }
    assert cells[FORMULA] == "s"  # not run as a formula
    below_sheet = book[f"{BELOW_K_CHOICE} Choice poll"]
    below = [v for row in below_sheet.iter_rows(values_only=True) for v in row]
    assert not any(isinstance(v, int) and v in (1, 2) for v in below[8:])
    assert any(isinstance(v, str) and "Fewer than 3 people" in v for v in below)


# --- Markdown and HTML --------------------------------------------------------------------


def test_markdown_has_headings_bars_and_the_threshold_note(app: Flask, ran: Ran) -> None:
    body, content_type, _ = export(app, ran.id, "md")
    text = body.decode()
    assert content_type == "text/markdown; charset=utf-8"
    assert text.startswith("# Rebuilding trust\n")
    assert "## 3. What shakes trust most? (Choice poll)" in text
    assert "| 1 Betrayal | 2 | 50% | ████████████████████ |" in text
    assert "Fewer than 3 people answered" in text
    assert "- \\=1+2 is how I felt" in text  # escaped: not a heading underline


def test_html_is_self_contained_and_printable(app: Flask, ran: Ran) -> None:
    body, content_type, _ = export(app, ran.id, "html")
    html = body.decode()
    assert content_type == "text/html; charset=utf-8"
    assert "<script" not in html and "<link" not in html
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", html)
    assert "@page" in html and "@media print" in html
    assert html.count("<svg") >= 8
    assert "Fewer than 3 people answered" in html


def test_html_escapes_answers(
    app: Flask, make_plan: Callable[..., str], make_workshop: Callable[..., Any]
) -> None:
    plan = [({"kind": "open", "prompt": "Say it"}, ["<b>bold</b> & <script>x</script>"] * 3)]
    ran = run_workshop(app, make_plan, make_workshop, plan)
    html = export(app, ran.id, "html")[0].decode()
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;" in html
    assert "<b>bold</b>" not in html


# --- PDF ----------------------------------------------------------------------------------


def test_pdf_is_the_printed_summary(app: Flask, ran: Ran, tmp_path: Path) -> None:
    if not pdf_available(app):
        pytest.skip("no Chromium-family browser to print PDFs")
    body, content_type, name = export(app, ran.id, "pdf")
    assert content_type == "application/pdf" and name.endswith(".pdf")
    assert body.startswith(b"%PDF")
    text = pdf_text(body, tmp_path)
    assert "SESSION SUMMARY" in text and "Before and after" in text
    if shutil.which("pdftoppm") is None:
        if REQUIRE_BROWSER:
            pytest.fail("HEARTH_REQUIRE_BROWSER=1 but pdftoppm (poppler-utils) is missing")
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(body)
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert pages and all(page.read_bytes().startswith(b"\x89PNG") for page in pages)


@pytest.mark.app_config(HEARTH_PDF_BROWSER=str(Path("/nonexistent/chromium")))
def test_pdf_without_a_browser_is_refused_clearly(api: Any, ran: Ran) -> None:
    response = api.get(f"/workshops/{ran.id}/export?format=pdf")
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "pdf_unavailable"


# --- where: the API and the CLI -----------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("json", "application/json"),
        ("csv", "text/csv; charset=utf-8"),
        ("md", "text/markdown; charset=utf-8"),
        ("html", "text/html; charset=utf-8"),
        ("xlsx", exports.XLSX_TYPE),
    ],
)
def test_api_export_downloads_a_dated_file(api: Any, ran: Ran, fmt: str, content_type: str) -> None:
    response = api.get(f"/workshops/{ran.id}/export?format={fmt}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(
        rf'attachment; filename="rebuilding-trust-\d{{4}}-\d\d-\d\d\.{fmt}"', disposition
    )
    assert response.headers["Cache-Control"] == "no-store"


def test_api_export_defaults_to_json(api: Any, ran: Ran) -> None:
    response = api.get(f"/workshops/{ran.id}/export")
    assert response.status_code == 200
    assert response.get_json()["format"] == "hearth-summary"


@pytest.mark.parametrize("fmt", ["docx", "", "JSON5", "../etc/passwd"])
def test_api_export_refuses_an_unknown_format(api: Any, ran: Ran, fmt: str) -> None:
    response = api.get(f"/workshops/{ran.id}/export?format={fmt}")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_format"


def test_api_export_needs_a_token_and_a_managed_workshop(
    client: FlaskClient,
    ran: Ran,
    make_facilitator: Callable[..., Any],
    make_api_token: Callable[..., str],
) -> None:
    assert client.get(f"/api/v1/workshops/{ran.id}/export").status_code == 401
    stranger = make_api_token(make_facilitator())
    headers = {"Authorization": f"Bearer {stranger}"}
    response = client.get(f"/api/v1/workshops/{ran.id}/export?format=csv", headers=headers)
    assert response.status_code == 403
    response = client.get("/api/v1/workshops/999/export?format=csv", headers=headers)
    assert response.status_code == 404


def test_cli_export_writes_the_file(
    hearth_cli: Callable[..., Any], ran: Ran, tmp_path: Path
) -> None:
    target = tmp_path / "out.csv"
    result = hearth_cli("export", str(ran.id), "--format", "csv", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert APPROVED in target.read_text(encoding="utf-8-sig")


def test_cli_export_names_the_file_by_title_and_day(
    hearth_cli: Callable[..., Any], ran: Ran, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = hearth_cli("export", str(ran.id), "--format", "md")
    assert result.exit_code == 0, result.output
    [written] = list(tmp_path.glob("rebuilding-trust-*.md"))
    assert written.read_text().startswith("# Rebuilding trust")


def test_cli_export_refuses_unknown_workshops_and_formats(
    hearth_cli: Callable[..., Any], ran: Ran
) -> None:
    result = hearth_cli("export", "999", "--format", "csv")
    assert result.exit_code != 0 and "no workshop" in result.output
    result = hearth_cli("export", str(ran.id), "--format", "docx")
    assert result.exit_code == 2


def test_cli_export_to_standard_output(hearth_cli: Callable[..., Any], ran: Ran) -> None:
    result = hearth_cli("export", str(ran.id), "--format", "json", "-o", "-")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout_bytes)["workshop"]["title"] == "Rebuilding trust"


def test_documents_for_reading_list_the_top_words_and_say_how_many_more() -> None:
    words = [{"text": f"word{n}", "key": f"word{n}", "count": 1} for n in range(45)]
    activity = {
        "kind": "words",
        "spec": {},
        "answered": 45,
        "passed": 0,
        "results": {"words": words},
    }
    rows, more = exports.shown_rows(activity)
    assert (len(rows), more) == (exports.WORDS_SHOWN, 45 - exports.WORDS_SHOWN)
    assert len(exports.result_rows(activity)) == 45  # CSV, XLSX and JSON keep every word


def test_a_new_kind_reusing_a_results_field_shows_in_documents_and_the_take_home_page() -> None:
    # Both read the shape off the fields (hearth.results.results_shape), not off the kind.
    from participant.summary_views import drawing

    activity = {
        "kind": "newkind",
        "spec": {"options": ["Alone"]},
        "options": ["Alone"],
        "answered": 4,
        "passed": 0,
        "results": {"counts": [3, 1]},
    }
    rows = exports.result_rows(activity)
    assert [(row["label"], row["count"], row["share"]) for row in rows] == [
        ("Alone", 3, 0.75),
        ("Option 2", 1, 0.25),
    ]
    drawn = drawing(activity)
    assert drawn is not None and drawn["type"] == "bars"
    assert [row["label"] for row in drawn["rows"]] == ["Alone", "Option 2"]
    unknown = {**activity, "results": {"shape_nobody_knows": [1]}}
    assert exports.result_rows(unknown) == [] and drawing(unknown) is None


def test_documents_keep_the_queue_figure_the_take_home_page_leaves_out(
    app: Flask, ran: Ran
) -> None:
    from hearth.results import results_payloads, shown_results, take_home_results

    with app.app_context():
        workshop = db.session.get(Workshop, ran.id)
        assert workshop is not None
        by_kind = {
            a.kind: a for a in workshop.activities if a.spec.get("prompt") != "Few wrote here"
        }
        open_answers, words = by_kind["open"], by_kind["words"]
        document = shown_results(
            open_answers, results_payloads(workshop, open_answers)["facilitator"]
        )
        with writing():
            open_answers.revealed = True
        take_home = take_home_results(open_answers, results_payloads(workshop, open_answers))
        word_results = shown_results(words, results_payloads(workshop, words)["facilitator"])
    assert document is not None and document["pending"] == 1
    assert take_home is not None and "pending" not in take_home
    assert sorted(document["entries"]) == sorted(take_home["entries"])
    assert word_results is not None
    # The hidden word is gone, and so are the facilitator's `hidden` marks on the others.
    assert HIDDEN_WORD not in {word["text"] for word in word_results["words"]}
    assert all("hidden" not in word for word in word_results["words"])
