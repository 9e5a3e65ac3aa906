"""Article files the tests write themselves: a Word document, PDFs and web pages.

Each holds the same small article on boundaries, with every structure the importer reads:
a title, section headings, paragraphs, a bulleted list with a nested item, a numbered list,
a table, a quotation with its attribution, and a question to the reader.
"""

from __future__ import annotations

import io
from typing import Any

TITLE = "Boundaries That Hold"
OPENING = (
    "Have you ever said yes when you meant no? Most of us have, and it usually comes from care "
    "rather than weakness."
)
SLIP = "Boundaries rarely collapse all at once. They wear down through small moments."
REASONS = (
    "Over-explaining: justifying every no until it becomes a maybe.",
    "Guilt: feeling responsible for other people's reactions.",
    "Avoidance: staying quiet to keep the peace.",
)
NESTED = "A nested detail under the last reason."
QUOTE = "Boundaries are the distance at which I can love you and me at the same time."
WHO = "A workshop participant"
STEPS = ("Notice what you feel.", "Name what you need.", "Say it kindly and clearly.")
QUESTION = "What would change if you trusted yourself to hold one small boundary this week?"
TABLE = (("Boundary type", "An example"), ("Time", "Leaving work at six"), ("Digital", "No phones"))


def docx_article(*, long_table: int = 0) -> bytes:
    """The article as a Word document: heading, list and quote styles, a table, bold words."""
    from docx import Document

    document = Document()
    document.add_heading(TITLE, 0)
    opening = document.add_paragraph()
    opening.add_run("Have you ever said ")
    opening.add_run("yes").bold = True
    opening.add_run(" when you meant ")
    opening.add_run("no").italic = True
    opening.add_run(OPENING.removeprefix("Have you ever said yes when you meant no"))
    document.add_heading("Why boundaries slip", 1)
    document.add_paragraph(SLIP)
    for reason in REASONS:
        document.add_paragraph(reason, style="List Bullet")
    document.add_paragraph(NESTED, style="List Bullet 2")
    document.add_paragraph(QUOTE, style="Quote")
    document.add_paragraph(f"— {WHO}")
    heading = document.add_paragraph().add_run("Setting a boundary, step by step")
    heading.bold = True  # a heading made by hand: short, bold throughout
    for step in STEPS:
        document.add_paragraph(step, style="List Number")
    document.add_paragraph(QUESTION)
    rows = [*TABLE, *((f"Kind {n}", f"Example {n}") for n in range(long_table))]
    table = document.add_table(rows=len(rows), cols=2)
    for index, (first, second) in enumerate(rows):
        table.cell(index, 0).text = first
        table.cell(index, 1).text = second
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def pdf_article(*, pages: int = 2) -> bytes:
    """The article as a PDF with running headers, footers and page numbers on every page."""
    from fpdf import FPDF

    class Handout(FPDF):  # type: ignore[misc]
        def header(self) -> None:
            self.set_font("helvetica", "", 8)
            self.cell(0, 8, "Counselling handout · Boundaries", align="C")
            self.ln(12)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("helvetica", "", 8)
            self.cell(0, 10, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = Handout()
    pdf.core_fonts_encoding = "windows-1252"  # curly quotes, dashes and bullets
    pdf.alias_nb_pages()
    pdf.add_page()

    def heading(text: str, size: int) -> None:
        pdf.set_font("helvetica", "B", size)
        pdf.multi_cell(0, size * 0.5, text)
        pdf.ln(3)

    def paragraph(text: str, style: str = "") -> None:
        pdf.set_font("helvetica", style, 11)
        pdf.multi_cell(0, 6, text)
        pdf.ln(4)

    def item(marker: str, text: str) -> None:
        pdf.set_font("helvetica", "", 11)
        pdf.set_x(20)
        pdf.cell(6, 6, marker)
        pdf.multi_cell(0, 6, text)

    heading(TITLE, 22)
    paragraph(OPENING)
    heading("Why boundaries slip", 15)
    paragraph(SLIP)
    for reason in REASONS:
        item("•", reason)
    pdf.ln(4)
    paragraph(f"“{QUOTE}”", "I")
    paragraph(f"— {WHO}")
    for _ in range(pages - 1):
        pdf.add_page()
    pdf.set_font("helvetica", "B", 11)
    pdf.cell(0, 6, "Setting a boundary, step by step")
    pdf.ln(8)
    for number, step in enumerate(STEPS, 1):
        item(f"{number}.", step)
    pdf.ln(4)
    paragraph(QUESTION)
    return bytes(pdf.output())


def scanned_pdf() -> bytes:
    """A PDF with no text layer, as a scanner makes: only drawing on the page."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    return bytes(pdf.output())


def encrypted_pdf() -> bytes:
    """The article's PDF, locked with a password."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_article())))
    writer.encrypt("a secret", algorithm="RC4-128")
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def html_page() -> str:
    """The article as a saved web page, among navigation, a cookie notice and a footer."""
    reasons = "".join(f"<li>{reason}</li>" for reason in REASONS[:-1])
    reasons += f"<li>{REASONS[-1]}<ul><li>{NESTED}</li></ul></li>"
    steps = "".join(f"<li>{step}</li>" for step in STEPS)
    rows = "".join(f"<tr><td>{a}</td><td>{b}</td></tr>" for a, b in TABLE[1:])
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{TITLE} | Calm Pages</title>
<style>body {{ font-family: serif; }}</style><script>var tracking = 1;</script></head>
<body>
<header class="site-header"><a href="/">Calm Pages</a>
  <nav><a href="/blog">Blog</a> <a href="/about">About us</a> <a href="/shop">Shop</a></nav>
</header>
<div id="cookie-banner"><p>We use cookies to improve your experience. Accept all cookies?</p>
  <button>Accept</button></div>
<div class="layout"><div class="content">
<h1>{TITLE}</h1>
<p>Have you ever said <strong>yes</strong> when you meant <em>no</em>?
Most of us have, and it usually comes from <a href="/care">care</a> rather than weakness.</p>
<h2>Why boundaries slip</h2>
<p>{SLIP}</p>
<ul>{reasons}</ul>
<blockquote><p>{QUOTE}</p><footer>— <cite>{WHO}</cite></footer></blockquote>
<h2>Setting a boundary, step by step</h2>
<ol>{steps}</ol>
<p>{QUESTION}</p>
<table><thead><tr><th>{TABLE[0][0]}</th><th>{TABLE[0][1]}</th></tr></thead>
<tbody>{rows}</tbody></table>
<img src="lake.png" alt="A calm lake">
</div>
<aside class="sidebar"><h3>Related posts</h3><ul><li><a href="/a">Ten tips</a></li>
<li><a href="/b">Saying no</a></li></ul></aside></div>
<footer class="site-footer"><p>© 2026 Calm Pages. All rights reserved.</p>
<a href="/privacy">Privacy</a></footer>
</body></html>"""


def clipboard_html() -> str:
    """Formatted text as a browser puts it on the clipboard: a fragment between markers."""
    return (
        "<html><body><!--StartFragment--><h2>Why boundaries slip</h2>"
        f"<p>{SLIP}</p><ul><li>Guilt</li><li>Avoidance</li></ul>"
        f"<p>{QUESTION}</p><!--EndFragment--></body></html>"
    )


def words_of(value: Any) -> str:
    """Every string of a plan document, joined: where a test looks for the article's words."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "\n".join(words_of(item) for item in value.values())
    if isinstance(value, list):
        return "\n".join(words_of(item) for item in value)
    return ""
