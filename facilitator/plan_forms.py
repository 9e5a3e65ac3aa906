"""The plan pages' two forms, read: an article to import (a file, pasted text, or formatted text
pasted from a page) and a plan file to upload (a file or pasted text)."""

from __future__ import annotations

from typing import Any

from flask import request
from werkzeug.datastructures import FileStorage

from hearth.errors import N_, HearthError, Message, MessageError
from hearth.i18n import say
from hearth.importer import (
    ACCEPTED_FILES,
    FORMAT_NAMES,
    MAX_ARTICLE_BYTES,
    ArticleError,
    ArticleFormat,
    ArticleTooLarge,
    format_of_filename,
    guess_text_format,
)
from hearth.plans import PlanError, PlanFormat, parse_plan_text, plan_format_of
from hearth.web import file_bytes, utf8_text

MAX_PLAN_FILE_BYTES = 1024 * 1024
# The import form's "How is it written?" choices for text (else: worked out from the text).
TEXT_FORMATS: dict[str, ArticleFormat] = {"text": "text", "markdown": "markdown"}


def upload_text(upload: FileStorage, limit: int, what: str) -> str:
    """The text of an uploaded file as UTF-8, refused above `limit` bytes (`what`, marked with
    N_, says what to do instead)."""
    data = file_bytes(upload, limit)
    if len(data) > limit:
        raise HearthError(
            "too_large",
            "That file is larger than %(size)s KB. %(advice)s",
            413,
            size=limit // 1024,
            advice=Message(what),
        )
    return utf8_text(
        data,
        N_(
            "That file is not plain text (UTF-8). Open it, copy the text and paste it here instead."
        ),
    )


def uploaded_file() -> FileStorage | None:
    """The form's `file` field, or None when no file was chosen."""
    upload = request.files.get("file")
    return upload if upload is not None and upload.filename else None


def article_from_request(
    pasted: str, pasted_html: str, chosen: str
) -> tuple[bytes | str, ArticleFormat, str]:
    """The article, its format and what to call it, from the import form.

    An uploaded file wins over pasted text; formatted text pasted from the clipboard comes as
    HTML beside its plain text, and is read as HTML unless a text format was chosen.
    """
    upload = uploaded_file()
    if upload is not None:
        name = upload.filename or ""
        fmt = format_of_filename(name)
        if fmt is None:
            raise HearthError(
                "unsupported_file",
                "Hearth reads %(files)s. Save the article as one of those, or copy "
                "its text and paste it into the box.",
                files=Message(ACCEPTED_FILES),
            )
        if fmt in TEXT_FORMATS:
            fmt = TEXT_FORMATS.get(chosen, fmt)
        # One byte over the limit is enough for the importer to refuse it as too large.
        return file_bytes(upload, MAX_ARTICLE_BYTES), fmt, f"{FORMAT_NAMES[fmt]}, {name}"
    if pasted_html.strip() and chosen == "auto":
        return pasted_html, "html", "formatted text pasted from a page or document"
    if not pasted.strip():
        raise ArticleError("The article is empty: paste some text or choose a file.")
    fmt = TEXT_FORMATS.get(chosen) or guess_text_format(pasted)
    return pasted, fmt, f"pasted text, read as {FORMAT_NAMES[fmt]}"


def plan_from_request(pasted: str) -> Any:
    """The parsed plan document from the upload form: an uploaded file wins over pasted text."""
    upload = uploaded_file()
    fmt: PlanFormat | None = None
    if upload is not None:
        fmt = plan_format_of(upload.filename or "")
        if fmt is None:
            raise HearthError(
                "unsupported_file",
                "Choose a plan file ending in .yaml, .yml or .json. To turn an article "
                "into a plan, use “Import an article” instead.",
            )
        text = upload_text(
            upload, MAX_PLAN_FILE_BYTES, N_("A plan file is much smaller than that.")
        )
    else:
        text = pasted
    if not text.strip():
        raise PlanError("There is no plan here: paste the text of a plan file or choose one.")
    return parse_plan_text(text, fmt)


def refusal(error: HearthError | MessageError) -> tuple[str, int]:
    """The message and HTTP status of a refused import or upload, in the page's language."""
    if isinstance(error, HearthError):
        return say(error), error.status
    return say(error.text), 413 if isinstance(error, ArticleTooLarge) else 400
