"""Exports speak their workshop's language: headings, labels, numbers and days of the
documents for reading (Markdown, HTML, PDF, XLSX); JSON and CSV stay the same bytes in every
language."""

from __future__ import annotations

import ast
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import test_exports
from flask import Flask
from test_exports import Ran, export, pdf_available, pdf_text, run_workshop

from hearth import exports
from hearth.extensions import db, writing
from hearth.models import Workshop

EXPORTS = Path(exports.__file__).parent


@pytest.fixture
def ran(app: Flask, make_plan: Callable[..., str], make_workshop: Callable[..., Any]) -> Ran:
    """The finished workshop of test_exports, which used every kind."""
    return run_workshop(app, make_plan, make_workshop)


def speak(app: Flask, ran: Ran, language: str) -> None:
    """Set the workshop's language (as its plan's language would)."""
    with app.app_context(), writing():
        workshop = db.session.get(Workshop, ran.id)
        assert workshop is not None
        workshop.language = language


def test_a_german_workshop_gets_german_markdown(app: Flask, ran: Ran) -> None:
    speak(app, ran, "de")
    text = export(app, ran.id, "md")[0].decode()
    assert text.startswith("# Rebuilding trust\n")  # the plan's own text stays as written
    assert re.search(r"^- Datum: \d{1,2}\. \w+ \d{4}$", text, re.M)  # "3. Dezember 2026"
    assert "## 3. What shakes trust most? (Auswahlfrage)" in text
    assert "| 1 Betrayal | 2 | 50\u00a0% |" in text  # Babel's German percent
    assert "Weniger als 3 Personen haben geantwortet" in text
    assert "## Vorher und nachher" in text and "Veränderung des Mittelwerts: +1,8" in text
    assert "## Notizen der Leitung" in text
    for english in ("Before and after", "Facilitator's notes", " answered ·", "Date:"):
        assert english not in text, english


def test_a_german_workshop_gets_german_html(app: Flask, ran: Ran) -> None:
    speak(app, ran, "de")
    html = export(app, ran.id, "html")[0].decode()
    assert re.search(r'<html lang="de" dir="ltr">', html)
    for german in (
        "Zusammenfassung der Sitzung",
        "Höchste Teilnehmerzahl",
        "Vorher und nachher",
        "Mittlerer Platz",
        "Erstellt mit Hearth",
        "2,4",  # the check-in's mean, with a decimal comma
    ):
        assert german in html, german
    for english in ("Session summary", "Before and after", "Peak participants", "Made with"):
        assert english not in html, english


def test_a_german_workshop_gets_a_german_workbook(app: Flask, ran: Ran) -> None:
    speak(app, ran, "de")
    book = openpyxl.load_workbook(io.BytesIO(export(app, ran.id, "xlsx")[0]))
    assert book.sheetnames[0] == "Überblick"
    assert "3 Auswahlfrage" in book.sheetnames
    overview = [list(row) for row in book["Überblick"].iter_rows(values_only=True)]
    assert ["Höchste Teilnehmerzahl", 5] in [row[:2] for row in overview]
    choice = [list(row) for row in book["3 Auswahlfrage"].iter_rows(values_only=True)]
    assert ["Nr.", "Bezeichnung", "Anzahl", "Anteil"] in [r[:4] for r in choice]
    assert [1, "Betrayal", 2, 0.5] in [r[:4] for r in choice]  # numbers stay numbers
    assert not book["Überblick"].sheet_view.rightToLeft


def test_a_german_pdf_is_the_german_page_printed(app: Flask, ran: Ran, tmp_path: Path) -> None:
    if not pdf_available(app):
        pytest.skip("no Chromium-family browser to print PDFs")
    speak(app, ran, "de")
    text = pdf_text(export(app, ran.id, "pdf")[0], tmp_path)
    assert "ZUSAMMENFASSUNG DER SITZUNG" in text and "Vorher und nachher" in text
    assert "Before and after" not in text


def test_an_arabic_export_reads_right_to_left(app: Flask, ran: Ran) -> None:
    speak(app, ran, "ar")
    html = export(app, ran.id, "html")[0].decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "ملخص الجلسة" in html and "قبل وبعد" in html
    book = openpyxl.load_workbook(io.BytesIO(export(app, ran.id, "xlsx")[0]))
    assert all(sheet.sheet_view.rightToLeft for sheet in book.worksheets)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_machine_formats_are_the_same_bytes_in_every_language(
    app: Flask, ran: Ran, fmt: str
) -> None:
    english = export(app, ran.id, fmt)
    for language in ("de", "ar", "fr"):
        speak(app, ran, language)
        assert export(app, ran.id, fmt) == english, language
    header = english[0].decode("utf-8-sig").splitlines()[0]
    if fmt == "csv":
        assert header == ",".join(exports.CSV_COLUMNS)


def test_the_export_follows_the_workshop_not_the_person_asking(
    app: Flask, ran: Ran, api: Any
) -> None:
    speak(app, ran, "de")
    headers = {"Accept-Language": "fr", "Authorization": f"Bearer {api.token}"}
    reply = api.client.get(f"/api/v1/workshops/{ran.id}/export?format=md", headers=headers)
    assert reply.status_code == 200
    assert "## Vorher und nachher" in reply.get_data(as_text=True)
    # A regional variant is read as its language; one Hearth does not speak, as English.
    with app.app_context():
        workshop = db.session.get(Workshop, ran.id)
        assert workshop is not None
        workshop.language = "es-MX"
        assert exports.document_language(workshop) == "es"
        workshop.language = "xx"
        assert exports.document_language(workshop) == "en"


def test_the_export_modules_import_nothing_private_from_each_other() -> None:
    crossing = []
    for path in EXPORTS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("hearth."):
                crossing += [f"{path.name}: {a.name}" for a in node.names if a.name[0] == "_"]
    assert not crossing


def test_the_fixture_is_the_one_of_test_exports() -> None:
    assert test_exports.K == 3
