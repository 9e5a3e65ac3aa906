"""PDF files, read by pypdf.

pypdf hands each piece of text to a visitor with its position, font and size; the pieces are
gathered into lines in the order the file draws them (its reading order). Then:
- running headers and footers (the same line, digits aside, at the top or bottom of most
  pages) and page numbers are removed, and counted in the report;
- a line in a font clearly larger than the body text, or short and bold throughout where the
  body is not, is a heading;
- a line starting with a bullet glyph or a number ("1." "2)") starts a list item, and indented
  lines under it continue the item;
- other lines join into paragraphs, which end at a wider gap between lines; a paragraph followed
  by a short "— Name" line is a quotation with its attribution.
Tables are read as lines of text. A PDF without a text layer (a scan) has nothing to read.
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from hearth.importer.blocks import (
    BULLET,
    HEADING_END,
    ArticleError,
    ArticleTooLarge,
    Block,
    Heading,
    Omitted,
    Paragraph,
    Quote,
    attribution,
    inline_list,
    list_block,
    unquoted,
)

HEADING_SCALE = 1.15  # a heading's font is at least this much larger than the body's
HEADING_MAX_CHARS = 120
PARAGRAPH_GAP = 1.35  # a gap this much wider than the usual line spacing ends a paragraph
EDGE_LINES = 2  # lines at the top and at the bottom of a page that may be headers or footers
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE
)
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)


@dataclass
class Line:
    """A line of text on a page: where it starts, how large and bold its font is."""

    text: str
    x: float
    y: float
    size: float
    bold: bool
    page: int


def _multiply(a: list[float], b: list[float]) -> list[float]:
    """The product of two PDF transformation matrices [a b c d e f]."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def _open(data: bytes) -> Any:
    """A pypdf reader for the file, or an ArticleError saying why it cannot be read."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if b"%PDF-" not in data[:1024]:
        raise ArticleError("That file is not a PDF. Choose the PDF again, or paste its text.")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ArticleError(
                "That PDF is password-protected. Save a copy without the password (print it "
                "to a new PDF), or copy its text and paste it."
            )
        len(reader.pages)  # reading the page tree finds most damage now rather than later
    except ArticleError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError):
        raise ArticleError(
            "That PDF is damaged and could not be read. Open it and save or print it to a new "
            "PDF, or copy its text and paste it."
        ) from None
    except NotImplementedError:  # an encryption pypdf cannot open without a password
        raise ArticleError(
            "That PDF is password-protected. Save a copy without the password, or paste its text."
        ) from None
    return reader


def _page_lines(page: Any, number: int) -> list[Line]:
    """The lines of one page, in the order the page draws them."""
    lines: list[Line] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text.strip():
            return
        matrix = _multiply(list(tm), list(cm))
        x, y = matrix[4], matrix[5]
        height = size * math.hypot(matrix[2], matrix[3]) or size
        base = str(font.get("/BaseFont", "")) if font else ""
        bold = bool(_BOLD_FONT.search(base))
        for part in text.split("\n"):
            if not part.strip():
                continue
            last = lines[-1] if lines else None
            if last and abs(last.y - y) < height * 0.5:
                # The same line, drawn in pieces (a bold word, a change of font).
                spacer = "" if last.text.endswith(" ") or part.startswith(" ") else " "
                last.text = f"{last.text}{spacer}{part}"
                last.bold = last.bold and bold
                last.size = max(last.size, height)
            else:
                lines.append(Line(part, x, y, height, bold, number))
            y -= height * 1.2  # a piece with several lines moves down a line each time

    page.extract_text(visitor_text=visit)
    for line in lines:
        line.text = " ".join(line.text.split())
    return [line for line in lines if line.text]


def _furniture(pages: list[list[Line]], body_size: float) -> tuple[set[int], Counter[str]]:
    """The ids of header, footer and page-number lines, and how many of each kind.

    Among the two lines at the top and the two at the bottom of each page: a page number alone
    ("7", "Page 2 of 9") goes, and so does a line repeated word for word on at least half of the
    pages (and two or more). The very first or last line of a page may also change in its
    digits ("Trust · page 7") if one of them is the page's number and it is not set larger than
    the body text (a heading that starts each page, "Part 2", stays).
    """
    gone: set[int] = set()
    kinds: Counter[str] = Counter()
    edges: list[list[Line]] = []
    extremes: list[list[Line]] = []
    for lines in pages:
        by_height = sorted(lines, key=lambda line: -line.y)
        edges.append(by_height[:EDGE_LINES] + by_height[-EDGE_LINES:])
        extremes.append(by_height[:1] + by_height[-1:] if len(by_height) > 1 else [])
        for line in edges[-1]:
            if _PAGE_NUMBER.match(line.text) and id(line) not in gone:
                gone.add(id(line))
                kinds["page number"] += 1

    def numbered(line: Line) -> str | None:
        """The line with its digits aside, if it carries its page's number; else None."""
        if line.size >= body_size * HEADING_SCALE:
            return None
        numbers = re.findall(r"\d+", line.text)
        return re.sub(r"\d+", "#", line.text) if str(line.page + 1) in numbers else None

    enough = max(2, len(pages) / 2)
    exact = Counter(text for edge in edges for text in {line.text for line in edge})
    varying = Counter(
        shape for extreme in extremes for shape in {numbered(line) for line in extreme} if shape
    )
    for edge, extreme in zip(edges, extremes, strict=True):
        for line in edge:
            shape = numbered(line) if line in extreme else None
            if id(line) in gone:
                continue
            if exact[line.text] >= enough or (shape and varying[shape] >= enough):
                gone.add(id(line))
                kinds["running header or footer line"] += 1
    return gone, kinds


class _Builder:
    """Turns lines into blocks: headings, paragraphs, list items, quotes."""

    def __init__(self, body_size: float, body_bold: bool, spacing: float) -> None:
        self.body_size = body_size
        self.body_bold = body_bold
        self.spacing = spacing
        self.blocks: list[Block] = []
        self.paragraph: list[str] = []
        self.items: list[str] = []
        self.ordered = False
        self.item_x = 0.0
        self.previous: Line | None = None

    def is_heading(self, line: Line) -> bool:
        """A larger font than the body's, or short, bold and unpunctuated where body is not."""
        if len(line.text) > HEADING_MAX_CHARS or HEADING_END.search(line.text):
            return False
        if line.size >= self.body_size * HEADING_SCALE:
            return True
        return line.bold and not self.body_bold and not BULLET.match(line.text)

    def gap_before(self, line: Line) -> bool:
        """True when a wider gap than usual (or a new page) separates the line from the last."""
        last = self.previous
        if last is None:
            return True
        if last.page != line.page:
            return bool(re.search(r"[.!?…:][\"'”’)]*$", last.text))
        return abs(last.y - line.y) > self.spacing * PARAGRAPH_GAP

    def flush(self) -> None:
        """Close the paragraph or list being gathered."""
        if self.items:
            self.blocks.append(list_block(self.items, self.ordered, clean=False))
            self.items = []
        if self.paragraph:
            text = " ".join(self.paragraph)
            self.blocks.append(inline_list(text, clean=False) or Paragraph(text))
            self.paragraph = []

    def add(self, line: Line) -> None:
        """Read one line."""
        gap = self.gap_before(line)
        bullet = BULLET.match(line.text)
        who = attribution(line.text) if line.text[:1] in "–—―" else None
        if self.is_heading(line):
            last = self.blocks[-1] if self.blocks else None
            if isinstance(last, Heading) and not gap and not self.paragraph and not self.items:
                self.blocks[-1] = Heading(f"{last.text} {line.text}")  # a heading on two lines
            else:
                self.flush()
                self.blocks.append(Heading(line.text))
        elif who and (self.paragraph or self.blocks and isinstance(self.blocks[-1], Paragraph)):
            self.flush()
            last = self.blocks[-1]
            if isinstance(last, Paragraph):  # the paragraph it closes is the quotation
                self.blocks[-1] = Quote(unquoted(last.text), who)
        elif bullet:
            if self.paragraph or (self.items and gap and line.x < self.item_x - 1):
                self.flush()
            if self.items and bullet.group("marker")[0].isdigit() != self.ordered:
                self.flush()
            if not self.items:
                self.ordered = bullet.group("marker")[0].isdigit()
            self.items.append(bullet.group("text"))
            self.item_x = line.x
        elif self.items and not gap and line.x > self.item_x + 1:
            self.items[-1] = f"{self.items[-1]} {line.text}"  # an item's wrapped line
        else:
            if self.items or gap:
                self.flush()
            self.paragraph.append(line.text)
        self.previous = line


def read_pdf(data: bytes, max_chars: int) -> list[Block]:
    """The blocks of a PDF's text, in reading order, without running headers and footers."""
    reader = _open(data)
    pages: list[list[Line]] = []
    characters = 0
    for number in range(len(reader.pages)):
        try:
            lines = _page_lines(reader.pages[number], number)
        except Exception:  # pypdf raises many kinds on a damaged page or content stream
            raise ArticleError(
                "Page %(page)s of that PDF is damaged and could not be read. Print it to a "
                "new PDF, or copy its text and paste it.",
                page=number + 1,
            ) from None
        characters += sum(len(line.text) for line in lines)
        if characters > max_chars:
            raise ArticleTooLarge(
                "That PDF has more than %(limit)s characters of text; Hearth takes an "
                "article, not a book. Save the pages you want as their own PDF.",
                limit=max_chars,
            )
        pages.append(lines)
    if not characters:
        raise ArticleError(
            "That PDF has no text to read: it may be a scan (pictures of pages). Open it in a "
            "program that recognises text (OCR), or type or paste the text instead."
        )
    sizes: Counter[float] = Counter()
    for line in (line for page in pages for line in page):
        sizes[round(line.size * 2) / 2] += len(line.text)
    body_size = sizes.most_common(1)[0][0]
    gone, kinds = _furniture(pages, body_size)
    lines = [line for page in pages for line in page if id(line) not in gone]
    bold: Counter[bool] = Counter()
    for line in lines:
        bold[line.bold] += len(line.text)
    gaps = Counter(
        round(abs(a.y - b.y), 1)
        for a, b in zip(lines, lines[1:], strict=False)
        if a.page == b.page and 0 < abs(a.y - b.y) < body_size * 3
    )
    spacing = gaps.most_common(1)[0][0] if gaps else body_size * 1.2
    builder = _Builder(body_size, bold[True] > bold[False], spacing)
    for line in lines:
        builder.add(line)
    builder.flush()
    omitted: list[Block] = [Omitted(kind) for kind, count in kinds.items() for _ in range(count)]
    return builder.blocks + omitted
