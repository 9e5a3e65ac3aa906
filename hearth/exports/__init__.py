"""Session summaries: one data builder and one renderer per export format.

Every format renders the same `summary(workshop)` dict (`data`), built from the facilitator
audience's results through `hearth.results`, so the k threshold, moderation and any new
activity kind apply to exports exactly as they do live. The formats share their rows and
wording (`rows`); each has its own module (`to_json`, `to_csv`, `to_markdown`, `to_html`,
`to_xlsx`, `to_pdf`). This module is the way in: the formats, `build_export` and the download
response. What an export holds, and what it never holds (identifiers, timestamps finer than
the day, unapproved text), is documented in docs/export-format.md.

A document speaks its workshop's language, whoever asks for it and in whatever language their
own pages are: the headings and labels of Markdown, HTML, PDF and XLSX come from that
language's catalog, their numbers and days from its Babel locale. JSON and CSV are the same
bytes in every language (English keys and ids).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from flask import Response
from flask_babel import force_locale

from hearth.errors import HearthError
from hearth.exports.data import FORMAT_NAME, FORMAT_VERSION, summary, workshop_date
from hearth.exports.rows import WORDS_SHOWN, result_rows, shown_rows, tally_text
from hearth.exports.to_csv import CSV_COLUMNS, render_csv
from hearth.exports.to_html import render_html
from hearth.exports.to_json import render_json
from hearth.exports.to_markdown import render_markdown
from hearth.exports.to_pdf import find_browser, render_pdf
from hearth.exports.to_xlsx import render_xlsx
from hearth.i18n import DEFAULT_LANGUAGE, known_language
from hearth.models import Workshop
from hearth.plans import slugify
from hearth.text import printable

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "RENDERERS",
    "WORDS_SHOWN",
    "XLSX_TYPE",
    "as_download",
    "build_export",
    "check_format",
    "document_language",
    "refuse_rehearsal",
    "filename",
    "find_browser",
    "result_rows",
    "shown_rows",
    "summary",
    "tally_text",
    "workshop_date",
]

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
RENDERERS: dict[str, Callable[[dict[str, Any]], bytes]] = {
    "json": render_json,
    "csv": render_csv,
    "md": render_markdown,
    "html": render_html,
    "xlsx": render_xlsx,
    "pdf": render_pdf,
}


def check_format(fmt: Any) -> str:
    """Return a known export format name, or raise invalid_format."""
    if not isinstance(fmt, str) or fmt.strip().lower() not in FORMATS:
        raise HearthError("invalid_format", "Choose a format: %(names)s.", names=", ".join(FORMATS))
    return fmt.strip().lower()


def filename(data: dict[str, Any], fmt: str) -> str:
    """`rebuilding-trust-2026-11-27.csv`: the title as ASCII words, the day, the extension."""
    ascii_title = (
        unicodedata.normalize("NFKD", data["workshop"]["title"]).encode("ascii", "ignore").decode()
    )
    stem = slugify(ascii_title) if ascii_title.strip() else "summary"
    return f"{stem}-{data['workshop']['date']}.{FORMATS[fmt][1]}"


def refuse_rehearsal(workshop: Workshop) -> None:
    """A rehearsal's answers never reach a file (hearth.services.rehearsal): 409 `rehearsal`."""
    if workshop.rehearsal:
        raise HearthError(
            "rehearsal",
            "This is a rehearsal: it is never exported, and its answers are deleted when it ends.",
            409,
        )


def document_language(workshop: Workshop) -> str:
    """The language a workshop's documents speak: its own ("es-MX" → "es"), else English."""
    return known_language((workshop.language or "").split("-")[0]) or DEFAULT_LANGUAGE


def build_export(workshop: Workshop, fmt: str) -> tuple[bytes, str, str]:
    """Render a workshop's summary in its language: (body, Content-Type, download filename);
    never a rehearsal's."""
    refuse_rehearsal(workshop)
    fmt = check_format(fmt)
    # Text stored before the door check existed could hold what XML, UTF-8 or PDF refuse.
    data = printable(summary(workshop))
    with force_locale(document_language(workshop)):
        body = RENDERERS[fmt](data)
    return body, FORMATS[fmt][0], filename(data, fmt)


def as_download(export: tuple[bytes, str, str]) -> Response:
    """A built export as an attachment that no cache keeps (for every download route)."""
    body, content_type, name = export
    response = Response(body, content_type=content_type)
    # Filenames are ASCII words, digits and dashes (see `filename` above): safe to quote.
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
