"""Turning an article into a draft workshop plan (docs/plan-format.md)."""

from hearth.importer.blocks import (
    ArticleError,
    Block,
    Heading,
    ItemList,
    Omitted,
    Paragraph,
    Quote,
    Table,
    plain,
    shorten,
)
from hearth.importer.build import ImportReport, build_draft, build_plan
from hearth.importer.formats import (
    ACCEPTED_FILES,
    ACCEPTED_MEDIA_TYPES,
    FORMAT_NAMES,
    MAX_ARTICLE_BYTES,
    MAX_ARTICLE_CHARS,
    MEDIA_TYPES,
    ArticleFormat,
    ArticleTooLarge,
    draft_from_article,
    format_of_filename,
    format_of_media_type,
    guess_text_format,
    import_article,
)
from hearth.importer.markdown import parse_markdown
from hearth.importer.report import report_lines
from hearth.importer.sentences import reader_questions, split_sentences
from hearth.importer.text import parse_text

__all__ = [
    "ACCEPTED_FILES",
    "ACCEPTED_MEDIA_TYPES",
    "FORMAT_NAMES",
    "MAX_ARTICLE_BYTES",
    "MAX_ARTICLE_CHARS",
    "MEDIA_TYPES",
    "ArticleTooLarge",
    "ImportReport",
    "build_draft",
    "draft_from_article",
    "format_of_filename",
    "format_of_media_type",
    "guess_text_format",
    "ArticleError",
    "ArticleFormat",
    "Block",
    "Heading",
    "ItemList",
    "Omitted",
    "Paragraph",
    "Quote",
    "Table",
    "build_plan",
    "import_article",
    "parse_markdown",
    "parse_text",
    "plain",
    "reader_questions",
    "report_lines",
    "shorten",
    "split_sentences",
]
