"""Turning an article into a draft workshop plan (docs/plan-format.md)."""

from hearth.importer.blocks import (
    ArticleError,
    Block,
    Heading,
    ItemList,
    Paragraph,
    Quote,
    Table,
    plain,
    shorten,
)
from hearth.importer.build import build_plan
from hearth.importer.formats import MAX_ARTICLE_BYTES, ArticleFormat, import_article
from hearth.importer.markdown import parse_markdown
from hearth.importer.sentences import excerpt, reader_questions, split_sentences
from hearth.importer.text import parse_text

__all__ = [
    "MAX_ARTICLE_BYTES",
    "ArticleError",
    "ArticleFormat",
    "Block",
    "Heading",
    "ItemList",
    "Paragraph",
    "Quote",
    "Table",
    "build_plan",
    "excerpt",
    "import_article",
    "parse_markdown",
    "parse_text",
    "plain",
    "reader_questions",
    "shorten",
    "split_sentences",
]
