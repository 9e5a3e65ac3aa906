"""hearth.importer reads Word, PDF and web pages into the same blocks, and refuses bad files.

The files are written by the suite itself (tests/article_files.py): python-docx for Word,
fpdf2 for PDF, plain strings for HTML.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import article_files as files
import pytest
import yaml
from flask.testing import FlaskCliRunner

from hearth.importer import (
    MAX_ARTICLE_CHARS,
    ArticleError,
    ArticleTooLarge,
    Heading,
    ItemList,
    Omitted,
    Paragraph,
    Quote,
    Table,
    draft_from_article,
    format_of_filename,
    format_of_media_type,
)
from hearth.importer.build import article_sentences
from hearth.importer.docx import read_docx
from hearth.importer.html import read_html
from hearth.importer.pdf import read_pdf
from hearth.importer.text import parse_text
from hearth.plans import validate_plan

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# What every format of the shared small article reads as.
ARTICLE_BLOCKS = [
    Heading(files.TITLE),
    Paragraph(files.OPENING),
    Heading("Why boundaries slip"),
    Paragraph(files.SLIP),
    ItemList(files.REASONS, notes=(files.NESTED,)),
    Quote(files.QUOTE, files.WHO),
    Heading("Setting a boundary, step by step"),
    ItemList(files.STEPS, ordered=True),
    Paragraph(files.QUESTION),
    Table(files.TABLE[0], files.TABLE[1:]),
]


def content(blocks: list[Any]) -> list[Any]:
    """The blocks without what the reader left out."""
    return [block for block in blocks if not isinstance(block, Omitted)]


# --- Word ---------------------------------------------------------------------------------


def test_a_word_document_reads_its_styles_lists_quotes_and_tables() -> None:
    assert read_docx(files.docx_article()) == ARTICLE_BLOCKS


def test_a_word_draft_has_polls_prompts_and_quotes() -> None:
    document, report = draft_from_article(files.docx_article(), "docx")
    validate_plan(document)
    kinds = [(a["kind"], a.get("style")) for a in document["activities"]]
    assert ("multi", None) in kinds and ("choice", None) in kinds
    assert ("content", "quote") in kinds and ("open", None) in kinds
    assert (report.list_polls, report.table_polls, report.quotes) == (2, 1, 1)
    assert report.open_prompts == 2  # the opening question and the one under the steps
    assert report.sentences_placed == report.sentences


def test_a_word_table_over_ten_rows_is_reported() -> None:
    document, report = draft_from_article(files.docx_article(long_table=12), "docx")
    (poll,) = [a for a in document["activities"] if a.get("title") == "Boundary type"]
    assert len(poll["options"]) == 10
    assert report.left_out == [
        "The table “Boundary type” has 14 rows: its first 10 are the poll's options "
        "(a poll holds 10); every row is on the slide."
    ]
    assert "Kind 11 — Example 11" in files.words_of(document)
    assert report.sentences_placed == report.sentences


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 not really a zip", "not a Word document that Hearth can read"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
            "password-protected",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old .doc", "older Word file (.doc)"),
    ],
    ids=["corrupt", "password", "doc"],
)
def test_a_word_file_that_cannot_be_read_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(ArticleError, match=re.escape(message)):
        draft_from_article(data, "docx")


def test_a_word_file_with_a_broken_body_is_refused() -> None:
    original = zipfile.ZipFile(io.BytesIO(files.docx_article()))
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as package:
        for info in original.infolist():
            data = original.read(info)
            package.writestr(info, b"<w:document" if info.filename == "word/document.xml" else data)
    with pytest.raises(ArticleError, match="damaged"):
        draft_from_article(broken.getvalue(), "docx")


# --- PDF ----------------------------------------------------------------------------------


def test_a_pdf_reads_headings_lists_and_quotes_without_headers_footers_or_page_numbers() -> None:
    blocks = read_pdf(files.pdf_article(), MAX_ARTICLE_CHARS)
    # A PDF has no nested lists (the nested item is not in it) and its table is not drawn.
    assert content(blocks) == [
        Heading(files.TITLE),
        Paragraph(files.OPENING),
        Heading("Why boundaries slip"),
        Paragraph(files.SLIP),
        ItemList(files.REASONS),
        Quote(files.QUOTE, files.WHO),
        Heading("Setting a boundary, step by step"),  # bold, in the body's size
        ItemList(files.STEPS, ordered=True),
        Paragraph(files.QUESTION),
    ]
    assert [b.what for b in blocks if isinstance(b, Omitted)] == [
        "page number",
        "page number",
        "running header or footer line",
        "running header or footer line",
    ]
    text = " ".join(str(block) for block in blocks)
    assert "Counselling handout" not in text and "Page 1 of 2" not in text


def test_a_pdf_draft_reports_what_was_left_out() -> None:
    document, report = draft_from_article(files.pdf_article(), "pdf")
    validate_plan(document)
    assert report.left_out == ["2 × page number", "2 × running header or footer line"]
    assert report.sentences_placed == report.sentences == 12


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (files.scanned_pdf, "no text to read: it may be a scan"),
        (files.encrypted_pdf, "password-protected"),
        (lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF", "damaged"),
        (lambda: b"GIF89a not a pdf", "not a PDF"),
    ],
    ids=["scanned", "password", "corrupt", "not-pdf"],
)
def test_a_pdf_that_cannot_be_read_is_refused(data: Any, message: str) -> None:
    with pytest.raises(ArticleError, match=re.escape(message)):
        draft_from_article(data(), "pdf")


def test_a_heading_at_the_top_of_every_page_is_not_taken_for_a_running_header() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(False)  # the footer is drawn inside the bottom margin
    for part in (1, 2, 3):
        pdf.add_page()
        pdf.set_font("helvetica", "B", 18)
        pdf.multi_cell(0, 9, f"Part {part}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("helvetica", "", 11)
        pdf.multi_cell(0, 6, f"The text of part {part} is here.", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(-15)
        pdf.cell(0, 10, "Trust and repair", align="C")
    blocks = read_pdf(bytes(pdf.output()), MAX_ARTICLE_CHARS)
    assert content(blocks) == [
        block
        for part in (1, 2, 3)
        for block in (Heading(f"Part {part}"), Paragraph(f"The text of part {part} is here."))
    ]
    assert blocks[-3:] == [Omitted("running header or footer line")] * 3


def test_a_pdf_with_too_much_text_is_refused_before_it_is_all_read() -> None:
    with pytest.raises(ArticleTooLarge, match="more than 300 characters"):
        read_pdf(files.pdf_article(), 300)


# --- HTML ---------------------------------------------------------------------------------


def test_a_web_page_keeps_the_article_and_leaves_navigation_notices_and_footers_out() -> None:
    blocks = read_html(files.html_page())
    assert content(blocks) == ARTICLE_BLOCKS
    assert [b.what for b in blocks if isinstance(b, Omitted)] == [
        "image",
        "part of the page around the article (navigation, footer, notice)",
    ]
    text = " ".join(map(str, blocks))
    for furniture in ("cookies", "About us", "Related posts", "All rights reserved", "tracking"):
        assert furniture not in text


def test_a_page_without_an_article_element_is_found_by_readability() -> None:
    page = (
        files.html_page()
        .replace('<div class="content">', '<div class="post-body">')
        .replace('<header class="site-header">', '<div class="top">')
        .replace("</nav>\n</header>", "</nav></div>")
    )
    assert "<article" not in page and "<main" not in page
    assert content(read_html(page)) == ARTICLE_BLOCKS


def test_formatted_text_from_the_clipboard_is_read_whole() -> None:
    assert read_html(files.clipboard_html()) == [
        Heading("Why boundaries slip"),
        Paragraph(files.SLIP),
        ItemList(("Guilt", "Avoidance")),
        Paragraph(files.QUESTION),
    ]


def test_text_pasted_from_word_keeps_its_bold_headings_lists_and_quotes() -> None:
    # Word puts lists on the clipboard as paragraphs that start with a Symbol-font bullet.
    pasted = (
        "<html><body><!--StartFragment--><p class=MsoNormal><b>Three habits</b></p>"
        "<p class=MsoListParagraphCxSpFirst><span style='font-family:Symbol'>·"
        "<span>&nbsp;&nbsp;</span></span>Rest well</p>"
        "<p class=MsoListParagraphCxSpLast><span style='font-family:Symbol'>·</span>&nbsp; Eat"
        " well</p><p class=MsoNormal>Small habits hold us up.</p><p>– A counsellor</p>"
        "<p><strong>Bold</strong> words start this paragraph.</p><!--EndFragment--></body></html>"
    )
    assert read_html(pasted) == [
        Heading("Three habits"),
        ItemList(("Rest well", "Eat well")),
        Quote("Small habits hold us up.", "A counsellor"),
        Paragraph("Bold words start this paragraph."),
    ]


def test_an_articles_own_header_keeps_its_title() -> None:
    page = (
        "<body><header><nav>Home</nav></header><article><header><h1>Trust, slowly</h1>"
        "</header><p>The body of the article, in one paragraph.</p><footer>Tags: trust</footer>"
        "</article></body>"
    )
    assert content(read_html(page)) == [
        Heading("Trust, slowly"),
        Paragraph("The body of the article, in one paragraph."),
    ]


def test_a_saved_xhtml_page_with_an_xml_declaration_is_read() -> None:
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html><body><p>Text of a page.</p></body></html>'
    )
    assert draft_from_article(page, "html")[1].sentences == 1
    assert draft_from_article(page.encode(), "html")[1].sentences == 1


def test_control_characters_inside_a_file_are_dropped_not_refused() -> None:
    # Pasted text with one is refused (tests/test_hostile_input.py); a file cannot be retyped.
    page = b"<html><body><p>Trust grows\x07 slowly.</p></body></html>"
    document, _ = draft_from_article(page, "html")
    assert "Trust grows slowly." in files.words_of(document)


def test_a_copyright_line_inside_the_article_is_left_out() -> None:
    blocks = read_html("<p>One real sentence of the article, long enough.</p><p>© 2026 Me</p>")
    assert blocks == [
        Paragraph("One real sentence of the article, long enough."),
        Omitted("copyright line"),
    ]


@pytest.mark.parametrize("page", ["", "   ", "<html><body><nav>Home</nav></body></html>"])
def test_a_page_with_no_article_is_refused(page: str) -> None:
    with pytest.raises(ArticleError):
        draft_from_article(page, "html")


# --- every format: the same draft; formats by name and media type -------------------------


@pytest.mark.parametrize(
    ("fmt", "make"),
    [("docx", files.docx_article), ("html", files.html_page)],
)
def test_word_and_html_give_the_same_draft(fmt: Any, make: Any) -> None:
    document, _ = draft_from_article(make(), fmt)
    reference, _ = draft_from_article(files.docx_article(), "docx")
    assert document["activities"] == reference["activities"]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.docx", "docx"),
        ("A.PDF", "pdf"),
        ("page.htm", "html"),
        ("page.html", "html"),
        ("notes.md", "markdown"),
        ("notes.txt", "text"),
        ("old.doc", None),
        ("scan.png", None),
        ("noextension", None),
    ],
)
def test_formats_by_file_name(name: str, fmt: str | None) -> None:
    assert format_of_filename(name) == fmt


@pytest.mark.parametrize(
    ("media_type", "fmt"),
    [
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
        ("application/pdf", "pdf"),
        ("text/html", "html"),
        ("TEXT/HTML", "html"),
        ("application/msword", None),
        ("application/octet-stream", None),
    ],
)
def test_formats_by_media_type(media_type: str, fmt: str | None) -> None:
    assert format_of_media_type(media_type) == fmt


# --- the command line --------------------------------------------------------------------


def test_the_command_line_drafts_an_article_and_prints_its_report(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    source = tmp_path / "boundaries.docx"
    source.write_bytes(files.docx_article())
    output = tmp_path / "draft.yaml"
    result = runner.invoke(args=["plan", "draft", str(source), "-o", str(output)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["format"] == "docx"
    assert report["sentences"] == report["sentences_placed"] == 19
    assert validate_plan(yaml.safe_load(output.read_text()))["title"] == files.TITLE


def test_the_command_line_refuses_a_scanned_pdf(runner: FlaskCliRunner, tmp_path: Path) -> None:
    source = tmp_path / "scan.pdf"
    source.write_bytes(files.scanned_pdf())
    result = runner.invoke(args=["plan", "draft", str(source)])
    assert result.exit_code == 1
    assert "no text to read: it may be a scan" in result.output


# --- a long prose article: no sentence may be lost ----------------------------------------


def long_prose() -> str:
    """A long article in running prose: the shared article's paragraphs, without headings, many
    times over, with dialogue, quotations of several sentences and abbreviations mixed in."""
    lines = (FIXTURES / "trust-issues.txt").read_text(encoding="utf-8").splitlines()
    paragraphs = [line for line in lines if len(line) > 120]
    dialogue = (
        "She said it at last. “I felt lonely last night when we didn’t talk. I waited up. "
        "Did you notice?” He looked away. Dr. Reyes, their counsellor, asked them to pause, "
        'e.g. for a breath or two. "Say what you need. Not what you fear." They tried again.'
    )
    parts = []
    for round_number in range(6):
        for index, paragraph in enumerate(paragraphs):
            parts.append(paragraph)
            if index % 5 == round_number % 5:
                parts.append(dialogue)
    return "Trust in long form\n" + "\n".join(parts)


def test_a_long_prose_article_keeps_every_sentence() -> None:
    article = long_prose()
    document, report = draft_from_article(article, "text")
    sentences = article_sentences(parse_text(article))
    assert len(sentences) == 912
    assert report.sentences == len(sentences)
    assert report.sentences_placed == report.sentences, "every sentence lands on a slide"
    # The slide shows its lead; the script holds all of its text (docs/plan-format.md).
    slides = [
        a.get("script", a["body"])
        for a in document["activities"]
        if a.get("style") == "psychoeducation"
    ]
    bodies = " ".join(slides)
    # Each quotation is whole on one slide, never across two.
    quotation = "“I felt lonely last night when we didn’t talk. I waited up. Did you notice?”"
    assert bodies.count(quotation) == article.count(quotation)
    assert all(body.count("“") == body.count("”") for body in slides)
    assert all(body.count('"') % 2 == 0 for body in slides)
