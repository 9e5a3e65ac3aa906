"""Word documents (.docx), read by python-docx.

The body is read in order, paragraphs and tables alike. A paragraph's style says what it is:
Title and Heading 1-9 (or a style based on one) are headings, List Bullet / List Number or
Word's own numbering make list items (deeper levels become notes), Quote and Intense Quote make
quotations; a short paragraph in bold throughout is a heading too. Bold, italics and colours are
dropped to text; pictures are left out and named in the report. Running headers and footers
live outside the body, so they never reach the draft.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from hearth.importer.blocks import (
    BULLET,
    HEADING_END,
    ArticleError,
    Block,
    Heading,
    ItemList,
    Omitted,
    Paragraph,
    Quote,
    Table,
    attribution,
    inline_list,
    list_block,
    unquoted,
)

# A .docx is a zip; one whose parts unpack to more than this is not an article but a bomb.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
HEADING_MAX_CHARS = 120
QUOTE_STYLES = ("quote", "intense quote", "block text")
_HEADING_STYLE = re.compile(r"^(?:title|heading \d)$", re.IGNORECASE)
# Word saves a password-protected document as an OLE file holding an "EncryptedPackage" stream.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _open(data: bytes) -> Any:
    """The python-docx Document, or an ArticleError saying why the file cannot be read."""
    from docx import Document

    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED in data:
            raise ArticleError(
                "That Word file is password-protected. Open it in Word, remove the password "
                "(File › Info › Protect Document), save, and upload it again."
            )
        raise ArticleError(
            "That is an older Word file (.doc). Open it in Word and save it as .docx first."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(info.file_size for info in package.infolist())
            if "word/document.xml" not in package.namelist():
                raise zipfile.BadZipFile
    except zipfile.BadZipFile:
        raise ArticleError(
            "That file is not a Word document that Hearth can read (it may be damaged). Open it "
            "in Word, save it again as .docx, or copy its text and paste it."
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ArticleError("That Word file unpacks to far more than an article; Hearth left it.")
    try:
        return Document(io.BytesIO(data))
    except Exception:  # python-docx and lxml raise many kinds for a damaged package
        raise ArticleError(
            "That Word file is damaged and could not be read. Open it in Word, save it again, "
            "or copy its text and paste it."
        ) from None


def _words(text: str) -> str:
    """Text on one line with its whitespace collapsed."""
    return " ".join(text.split())


def _style_names(paragraph: Any) -> list[str]:
    """The paragraph's style name and the names of the styles it is based on, lower case."""
    names: list[str] = []
    style = paragraph.style
    while style is not None and len(names) < 10:
        names.append((style.name or "").lower())
        style = style.base_style
    return names


def _numbering_formats(document: Any) -> dict[tuple[str, str], str]:
    """(numId, level) → Word's number format ("bullet", "decimal", ...)."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract = {
        node.get(f"{_W}abstractNumId"): _level_formats(node)
        for node in numbering.iter(f"{_W}abstractNum")
    }
    formats: dict[tuple[str, str], str] = {}
    for num in numbering.iter(f"{_W}num"):
        ref = num.find(f"{_W}abstractNumId")
        levels = abstract.get(ref.get(f"{_W}val") if ref is not None else None, {})
        for level, fmt in levels.items():
            formats[(num.get(f"{_W}numId"), level)] = fmt
    return formats


def _level_formats(node: Any) -> dict[str, str]:
    """Level → number format of one of Word's abstract numbering definitions."""
    formats = {}
    for level in node.iter(f"{_W}lvl"):
        fmt = level.find(f"{_W}numFmt")
        formats[level.get(f"{_W}ilvl")] = fmt.get(f"{_W}val") if fmt is not None else "decimal"
    return formats


def _numbering(paragraph: Any) -> tuple[str, str] | None:
    """(numId, level) of a paragraph in Word's numbering, from itself or its style."""
    for element in (paragraph._p, paragraph.style.element if paragraph.style else None):
        props = element.find(f"{_W}pPr") if element is not None else None
        num = props.find(f"{_W}numPr") if props is not None else None
        if num is None:
            continue
        num_id, level = num.find(f"{_W}numId"), num.find(f"{_W}ilvl")
        if num_id is not None and num_id.get(f"{_W}val") != "0":
            return num_id.get(f"{_W}val"), level.get(f"{_W}val") if level is not None else "0"
    return None


def _all_bold(paragraph: Any) -> bool:
    """True when every run with text is bold (a heading made by hand)."""
    runs = [run for run in paragraph.runs if run.text.strip()]
    return bool(runs) and all(run.bold or (run.style and run.style.font.bold) for run in runs)


def _pictures(paragraph: Any) -> int:
    """How many pictures a paragraph holds."""
    element = paragraph._p
    return len(element.findall(f".//{_W}drawing")) + len(element.findall(f".//{_W}pict"))


class _Reader:
    """Walks a document's body, keeping the list and quote being gathered."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.formats = _numbering_formats(document)
        self.blocks: list[Block] = []
        self.items: list[str] = []
        self.notes: list[str] = []
        self.ordered = False
        self.quote: list[str] = []

    def flush(self) -> None:
        """Close the list or quote being gathered."""
        if self.items:
            block = list_block(self.items, self.ordered, clean=False)
            self.blocks.append(
                ItemList(block.items, block.ordered, block.checklist, None, tuple(self.notes))
            )
        elif self.notes:
            self.blocks.append(ItemList(tuple(self.notes)))
        if self.quote:
            lines = self.quote
            who = attribution(lines[-1]) if len(lines) > 1 else None
            text = unquoted(_words(" ".join(lines[:-1] if who else lines)))
            self.blocks.append(Quote(text, who))
        self.items, self.notes, self.quote = [], [], []

    def item(self, text: str, ordered: bool, level: int) -> None:
        """A list item; a deeper level is a note under the list."""
        if self.quote or (self.items and ordered != self.ordered and level == 0):
            self.flush()
        if level > 0 and self.items:
            self.notes.append(text)
        else:
            self.ordered = ordered if not self.items else self.ordered
            self.items.append(text)

    def paragraph(self, paragraph: Any) -> None:
        """One paragraph of the body."""
        self.blocks.extend(Omitted("picture") for _ in range(_pictures(paragraph)))
        text = _words(paragraph.text)
        if not text:
            return
        names = _style_names(paragraph)
        numbering = _numbering(paragraph)
        bullet = BULLET.match(text)
        if any(_HEADING_STYLE.match(name) for name in names):
            self.flush()
            self.blocks.append(Heading(text))
        elif any(name in QUOTE_STYLES for name in names):
            if self.items:
                self.flush()
            self.quote.append(text)
        elif self.quote and attribution(text) and text[0] in "–—―-":
            self.quote.append(text)
            self.flush()
        elif numbering or any(name.startswith(("list bullet", "list number")) for name in names):
            fmt = self.formats.get(numbering, "") if numbering else ""
            ordered = fmt not in ("", "bullet", "none") or any("number" in n for n in names)
            level = int(numbering[1]) if numbering and numbering[1].isdigit() else 0
            level = max(level, 1 if re.search(r" [2-9]$", names[0]) else 0)
            self.item(text, ordered, level)
        elif bullet:
            self.item(bullet.group("text"), bullet.group("marker")[0].isdigit(), 0)
        else:
            self.flush()
            short = len(text) <= HEADING_MAX_CHARS and not HEADING_END.search(text)
            if short and _all_bold(paragraph):
                self.blocks.append(Heading(text))
            else:
                self.blocks.append(inline_list(text, clean=False) or Paragraph(text))

    def table(self, table: Any) -> None:
        """A table: the first row is its header; merged cells count once."""
        self.flush()
        rows = []
        for row in table.rows:
            cells, seen = [], set()
            for cell in row.cells:
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    cells.append(_words(cell.text))
            if any(cells):
                rows.append(tuple(cells))
        if rows:
            self.blocks.append(Table(rows[0], tuple(rows[1:])))


def read_docx(data: bytes) -> list[Block]:
    """The blocks of a Word document, in the order of its body."""
    from docx.table import Table as WordTable
    from docx.text.paragraph import Paragraph as WordParagraph

    document = _open(data)
    reader = _Reader(document)
    for child in document.element.body.iterchildren():
        if child.tag == f"{_W}p":
            reader.paragraph(WordParagraph(child, document))
        elif child.tag == f"{_W}tbl":
            reader.table(WordTable(child, document))
    reader.flush()
    return reader.blocks
