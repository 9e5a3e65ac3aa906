"""Which reader an article goes to, and the limits every article is held to."""

from __future__ import annotations

from typing import Any, Literal

from hearth.importer.blocks import ArticleError
from hearth.importer.build import build_plan
from hearth.importer.markdown import parse_markdown
from hearth.importer.text import parse_text
from hearth.text import check_text

ArticleFormat = Literal["text", "markdown"]

# One limit for the API and the Import page: an article, not a book.
MAX_ARTICLE_BYTES = 200 * 1024


def import_article(text: str, fmt: ArticleFormat = "text") -> dict[str, Any]:
    """Turn an article (plain text or Markdown) into a draft plan document (not yet validated)."""
    if fmt not in ("text", "markdown"):
        raise ArticleError("The article format must be 'text' or 'markdown'.")
    # Pasted text brings Windows line ends, a byte-order mark, non-breaking spaces.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    # Text copied out of a PDF separates pages with form feeds; other controls are refused.
    text = check_text(text.replace("\f", "\n").replace("\v", "\n"))
    if not text.strip():
        raise ArticleError("The article is empty: paste or upload some text.")
    blocks = parse_markdown(text) if fmt == "markdown" else parse_text(text)
    return build_plan(blocks)
