"""Which reader an article goes to, and the limits every article is held to.

The API names the format by its media type, the Import page by the file's name (and pasted text
by its look); either way the article reaches one of the readers below, which all return the
same block list for `hearth.importer.build`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields, replace
from typing import Any, Literal

from hearth.errors import N_, Message
from hearth.importer.blocks import (
    ArticleError,
    ArticleTooLarge,
    Block,
    Heading,
    ItemList,
    Paragraph,
    Quote,
    Table,
)
from hearth.importer.build import ImportReport, build_draft
from hearth.text import check_text, printable

ArticleFormat = Literal["text", "markdown", "docx", "pdf", "html"]

# One limit for the API and the Import page: a Word file or PDF with a few pictures fits.
MAX_ARTICLE_BYTES = 10 * 1024 * 1024
# And one for the words in it: an article, not a book (about 30,000 words).
MAX_ARTICLE_CHARS = 200_000

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEDIA_TYPES: dict[str, ArticleFormat] = {
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    DOCX_MEDIA_TYPE: "docx",
    "application/pdf": "pdf",
    "text/html": "html",
    "application/xhtml+xml": "html",
}
ACCEPTED_MEDIA_TYPES = (
    "text/plain, text/markdown, text/html, application/pdf or "
    f"{DOCX_MEDIA_TYPE} (a Word .docx file)"
)
SUFFIXES: dict[str, ArticleFormat] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".docx": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
ACCEPTED_FILES = N_("a .docx, .pdf, .html, .md or .txt file")
# What the review page says it read.
FORMAT_NAMES: dict[ArticleFormat, str] = {
    "text": N_("plain text"),
    "markdown": N_("Markdown"),
    "docx": N_("a Word document"),
    "pdf": N_("a PDF"),
    "html": N_("a web page (HTML)"),
}
# Signs of Markdown in pasted text: headings, quotes, task lists, bold, links, pipe tables.
_MARKDOWN_SIGNS = re.compile(
    r"^#{1,6}\s|^\s*>\s|^\s*[-*+]\s\[[ xX]\]|\*\*\S|\]\(|^\s*\|.*\|\s*$", re.M
)


def format_of_media_type(media_type: str) -> ArticleFormat | None:
    """The format of a Content-Type (without its parameters), or None if it is not accepted."""
    return MEDIA_TYPES.get(media_type.strip().lower())


def format_of_filename(filename: str) -> ArticleFormat | None:
    """The format a file's name says it is in, or None if it is not one Hearth reads."""
    match = re.search(r"\.[A-Za-z0-9]+$", filename)
    return SUFFIXES.get(match.group(0).lower()) if match else None


def guess_text_format(text: str) -> ArticleFormat:
    """Markdown when pasted text shows signs of it, else plain text."""
    return "markdown" if _MARKDOWN_SIGNS.search(text) else "text"


def article_text(data: bytes | str) -> str:
    """Text as pasted or sent: UTF-8 (a byte-order mark dropped), line ends and spaces tidied."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ArticleError(
                "That text is not UTF-8. Save it as UTF-8, or copy the text and paste it instead."
            ) from None
    # Pasted text brings Windows line ends, a byte-order mark, non-breaking spaces.
    text = data.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    # Text copied out of a PDF separates pages with form feeds; other controls are refused
    # (invalid_value), as in every text Hearth takes (hearth/text.py).
    return check_text(text.replace("\f", "\n").replace("\v", "\n"))


def _printable(block: Block) -> Block:
    """A block read from a file, without characters that cannot be stored.

    A person can retype pasted text, not the inside of a Word file or a PDF, so what the file's
    text holds of them is dropped rather than refused (hearth.text.printable).
    """

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return printable(value)
        return tuple(clean(item) for item in value) if isinstance(value, tuple) else value

    return replace(
        block, **{field.name: clean(getattr(block, field.name)) for field in fields(block)}
    )


def _reader(fmt: ArticleFormat) -> Callable[[bytes | str], list[Block]]:
    """The function that reads one format into blocks (imported when first needed)."""
    if fmt == "text":
        from hearth.importer.text import parse_text

        return lambda data: parse_text(article_text(data))
    if fmt == "markdown":
        from hearth.importer.markdown import parse_markdown

        return lambda data: parse_markdown(article_text(data))
    if fmt == "docx":
        from hearth.importer.docx import read_docx

        return lambda data: read_docx(_binary(data))
    if fmt == "pdf":
        from hearth.importer.pdf import read_pdf

        return lambda data: read_pdf(_binary(data), MAX_ARTICLE_CHARS)
    from hearth.importer.html import read_html

    return read_html


def _binary(data: bytes | str) -> bytes:
    """A file's bytes (a str here is a caller's mistake, refused in words)."""
    if isinstance(data, str):
        raise ArticleError("Send Word and PDF files as they are, not as text.")
    return data


def _characters(blocks: list[Block]) -> int:
    """How many characters of text the blocks hold."""
    total = 0
    for block in blocks:
        if isinstance(block, Heading | Paragraph | Quote):
            total += len(block.text)
        elif isinstance(block, ItemList):
            total += sum(map(len, block.items + block.notes))
        elif isinstance(block, Table):
            total += sum(len(cell) for row in (block.header, *block.rows) for cell in row)
    return total


def draft_from_article(
    data: bytes | str, fmt: ArticleFormat
) -> tuple[dict[str, Any], ImportReport]:
    """A draft plan (not yet validated) and its report from an article in one of the formats.

    Raises ArticleTooLarge over the limits and ArticleError for anything unreadable or empty.
    """
    if fmt not in FORMAT_NAMES:
        raise ArticleError("Hearth reads %(files)s.", files=Message(ACCEPTED_FILES))
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleTooLarge(
            "That file is larger than %(size)s MB. "
            "Save the part you want to use as its own file, or paste it.",
            size=MAX_ARTICLE_BYTES // (1024 * 1024),
        )
    if fmt in ("text", "markdown", "html"):
        data = article_text(data) if fmt != "html" or isinstance(data, str) else data
        if not data.strip():
            raise ArticleError("The article is empty: paste some text or choose a file.")
    blocks = _reader(fmt)(data)
    if fmt in ("docx", "pdf", "html"):
        blocks = [_printable(block) for block in blocks]
    characters = _characters(blocks)
    if characters > MAX_ARTICLE_CHARS:
        raise ArticleTooLarge(
            "That article has %(length)s characters of text; Hearth takes up to %(limit)s "
            "(about %(words)s words). Use the part you want for the workshop.",
            length=characters,
            limit=MAX_ARTICLE_CHARS,
            words=30_000,
        )
    if not characters:
        raise ArticleError(
            "There is no text in %(format)s to make a draft from.",
            format=Message(FORMAT_NAMES[fmt]),
        )
    return build_draft(blocks, fmt)


def import_article(text: str, fmt: ArticleFormat = "text") -> dict[str, Any]:
    """Turn an article into a draft plan document (not yet validated)."""
    return draft_from_article(text, fmt)[0]
