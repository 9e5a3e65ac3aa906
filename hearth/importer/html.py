"""Web pages (HTML), as saved from a browser or pasted from one.

readability-lxml finds the article's main content; Hearth then reads that part of the page
itself, so that readability's clean-up (which drops short lists, small tables and a quote's
<footer>) costs no words. Before that, what is never the article is taken out: navigation,
headers and footers, asides, forms, cookie and consent notices, share buttons; and afterwards
copyright lines. The blocks are the same as Markdown's: headings, paragraphs, lists, tables,
quotes (with a <footer>, <cite> or "— Name" line as the attribution).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from hearth.importer.blocks import (
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

# Elements that never hold the article's words.
_INVISIBLE = {"script", "style", "noscript", "template", "head"}
_NEVER_ARTICLE = (
    "script style noscript template iframe object embed svg canvas form button input select "
    "textarea nav aside dialog menu head"
).split()
_FURNITURE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog"}
# Class and id words of page furniture: cookie and consent notices, share bars, sidebars...
_FURNITURE_WORDS = re.compile(
    r"(?:^|[\s_-])(?:cookies?|consent|gdpr|banner|newsletter|subscribe|share|sharing|social|"
    r"breadcrumbs?|sidebar|related|comments?|advert\w*|ads?|promo|popup|modal|skip-link|"
    r"site-(?:header|footer|nav)|masthead|footer|navbar|menu)(?:$|[\s_-])",
    re.IGNORECASE,
)
HEADING_MAX_CHARS = 120
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_TYPED_ITEM = re.compile(r"^(?P<marker>[·•▪●◦§o*-]|\d{1,3}[.)])\s+(?P<text>\S.*)$")
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b)|all rights reserved", re.IGNORECASE)
_BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "pre"}
_SECTIONING = {"div", "section", "article", "main", "body", "header", "figure", "details", "center"}
_HEADINGS = {f"h{level}" for level in range(1, 7)}


def _words(text: str) -> str:
    """Text on one line with its whitespace collapsed."""
    return " ".join(text.split())


def _inner_text(element: Any) -> str:
    """The text of an element and its descendants; <br> becomes a newline."""
    parts: list[str] = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):  # a comment or processing instruction
            parts.append(child.tail or "")
            continue
        if child.tag == "br":
            parts.append("\n")
        elif child.tag != "img":
            parts.append(_inner_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _is_furniture(element: Any) -> bool:
    """True for an element that is page furniture, not the article."""
    if element.tag in _NEVER_ARTICLE:
        return True
    if element.get("role") in _FURNITURE_ROLES or element.get("aria-hidden") == "true":
        return True
    if element.tag in ("header", "footer"):
        # A <footer> in a blockquote is the quote's attribution, and an article's own <header>
        # holds its title: neither is the page's.
        keeps = ("blockquote",) if element.tag == "footer" else ("blockquote", "article", "main")
        return not any(parent.tag in keeps for parent in element.iterancestors())
    names = f"{element.get('class', '')} {element.get('id', '')}"
    return element.tag != "body" and bool(_FURNITURE_WORDS.search(names))


def _strip_furniture(root: Any) -> int:
    """Remove page furniture in place; how many pieces were removed."""
    removed = 0
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        if _is_furniture(element) and not any(
            ancestor.get("data-hearth-gone") for ancestor in element.iterancestors()
        ):
            element.set("data-hearth-gone", "1")
            removed += element.tag not in _INVISIBLE
    for element in list(root.iter()):
        if isinstance(element.tag, str) and element.get("data-hearth-gone"):
            parent = element.getparent()
            if parent is not None:
                element.drop_tree()
    return removed


def _main_content(root: Any, source: str) -> Any:
    """The element that holds the article: readability's choice, found again in the page."""
    import lxml.html
    from readability import Document

    articles = root.xpath("//article|//main|//*[@role='main']")
    if len(articles) == 1:
        return articles[0]
    body = root.find("body") if root.find("body") is not None else root
    try:
        summary = lxml.html.fragment_fromstring(
            Document(source).summary(html_partial=True), create_parent="div"
        )
    except Exception:  # readability raises its own errors on odd pages: read the whole body
        return body
    chosen = {_words(_inner_text(p)) for p in summary.iter("p")}
    chosen = {text for text in chosen if len(text) > 20}
    paragraphs = [p for p in root.iter("p") if _words(_inner_text(p)) in chosen]
    if not paragraphs:
        return body
    # The nearest element that holds every paragraph readability kept.
    common = paragraphs[0]
    for paragraph in paragraphs[1:]:
        ancestors = {id(a) for a in paragraph.iterancestors()} | {id(paragraph)}
        while id(common) not in ancestors and common.getparent() is not None:
            common = common.getparent()
    # One paragraph alone is not the article but a part of it: take what holds it.
    while common.tag not in _SECTIONING and common.getparent() is not None:
        common = common.getparent()
    return common


class _Walker:
    """Turns the main content's elements into blocks, in document order."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.loose: list[str] = []  # text directly inside a <div>, between blocks
        self.typed_list = False  # the last block is a list typed as paragraphs

    def flush(self) -> None:
        """Text gathered outside any paragraph becomes one."""
        text = _words(" ".join(self.loose))
        self.loose = []
        if text:
            self.paragraph(text)

    def paragraph(self, text: str) -> None:
        """A paragraph, unless it is a copyright line; "— Name" after a quote is its attribution.

        A paragraph that starts with a bullet or a number is a list item: Word puts its lists on
        the clipboard that way ("· Item" in a Symbol font), and people type them so.
        """
        if _COPYRIGHT.search(text) and len(text) < 200:
            self.blocks.append(Omitted("copyright line"))
            return
        last = self.blocks[-1] if self.blocks else None
        typed, self.typed_list = self.typed_list, False
        who = attribution(text) if text[:1] in "–—―" or text.startswith("--") else None
        if isinstance(last, Quote) and not last.attribution and who:
            self.blocks[-1] = Quote(last.text, who)
            return
        if isinstance(last, Paragraph) and who:  # as in plain text: the paragraph is a quote
            self.blocks[-1] = Quote(unquoted(last.text), who)
            return
        item = _TYPED_ITEM.match(text)
        if item:
            ordered = item.group("marker")[0].isdigit()
            if isinstance(last, ItemList) and last.ordered == ordered and typed:
                self.blocks[-1] = ItemList((*last.items, item.group("text")), ordered)
            else:
                self.blocks.append(ItemList((item.group("text"),), ordered))
            self.typed_list = True
            return
        self.blocks.append(inline_list(text, clean=False) or Paragraph(text))

    def walk(self, element: Any) -> None:
        """Read one element and, for a container, its children."""
        tag = element.tag if isinstance(element.tag, str) else ""
        reader = _READERS.get(tag)
        if tag == "img":
            self.blocks.append(Omitted("image"))
        elif reader is None:
            self.container(element)
        else:
            self.flush()  # a block element ends the loose text before it
            reader(self, element)

    def heading(self, element: Any) -> None:
        """<h1> to <h6>."""
        text = _words(_inner_text(element))
        if text:
            self.blocks.append(Heading(text))

    def paragraph_element(self, element: Any) -> None:
        """<p>: a paragraph, or a heading when it is all bold; its images are named."""
        text = _words(_inner_text(element))
        if text and _bold_heading(element, text):
            self.blocks.append(Heading(text))
        elif text:
            self.paragraph(text)
        self.images(element)

    def code(self, _element: Any) -> None:
        """<pre>: left out, and named in the report."""
        self.blocks.append(Omitted("code block"))

    def definitions(self, element: Any) -> None:
        """<dl>: each term and each definition as a paragraph."""
        for item in element:
            text = _words(_inner_text(item)) if isinstance(item.tag, str) else ""
            if text:
                self.paragraph(text)

    def container(self, element: Any) -> None:
        """A <div>, <section> or the like: its loose text and its children, in order."""
        if element.text and element.text.strip():
            self.loose.append(element.text)
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == "img":
                self.blocks.append(Omitted("image"))
            elif tag in _BLOCK_TAGS or tag in _SECTIONING or tag in ("dl", "li", "hr"):
                self.flush()
                self.walk(child)
            elif tag and _has_blocks(child):
                self.flush()
                self.walk(child)
            elif tag:
                self.loose.append(_inner_text(child))  # an inline element: a link, <em>, <span>
            if child.tail and child.tail.strip():
                self.loose.append(child.tail)
        self.flush()

    def images(self, element: Any) -> None:
        """Name the images inside a paragraph in the report."""
        self.blocks.extend(Omitted("image") for _ in element.iter("img"))

    def list(self, element: Any) -> None:
        """A list: each item's own text as an option, nested lists' items as notes."""
        self.typed_list = False
        items: list[str] = []
        notes: list[str] = []
        for item in element.findall("li"):
            nested = [child for child in item if child.tag in ("ul", "ol")]
            for child in nested:
                notes.extend(_words(_inner_text(li)) for li in child.iter("li"))
                child.drop_tree()
            text = _words(_inner_text(item))
            if text:
                items.append(text)
        notes = [note for note in notes if note]
        if items:
            block = list_block(items, element.tag == "ol", clean=False)
            self.blocks.append(
                ItemList(block.items, block.ordered, block.checklist, None, tuple(notes))
            )

    def table(self, element: Any) -> None:
        """A table: its first row is the header."""
        rows = []
        for row in element.iter("tr"):
            cells = tuple(_words(_inner_text(cell)) for cell in row if cell.tag in ("td", "th"))
            if any(cells):
                rows.append(cells)
        if rows:
            self.blocks.append(Table(rows[0], tuple(rows[1:])))

    def quote(self, element: Any) -> None:
        """A quotation; its <footer>, <cite> or last "— Name" line is the attribution."""
        who = None
        for tag in ("footer", "cite"):
            found = element.find(f".//{tag}")
            if found is not None:
                who = attribution(_words(_inner_text(found))) or _words(_inner_text(found))
                found.drop_tree()
                break
        lines = [line.strip() for line in _inner_text(element).splitlines() if line.strip()]
        if not who and len(lines) > 1 and lines[-1][:1] in "–—―":
            who = attribution(lines.pop())
        text = unquoted(_words(" ".join(lines)))
        if text:
            self.blocks.append(Quote(text, who or None))


# The method of _Walker that reads each block element (the rest are containers).
_READERS: dict[str, Callable[[_Walker, Any], None]] = {
    **dict.fromkeys(_HEADINGS, _Walker.heading),
    "p": _Walker.paragraph_element,
    "ul": _Walker.list,
    "ol": _Walker.list,
    "table": _Walker.table,
    "blockquote": _Walker.quote,
    "pre": _Walker.code,
    "dl": _Walker.definitions,
}


def _bold_heading(element: Any, text: str) -> bool:
    """A short paragraph in bold throughout, unpunctuated: a heading made by hand (as in Word)."""
    if len(text) > HEADING_MAX_CHARS or HEADING_END.search(text):
        return False
    bold = [child for child in element.iter("b", "strong")]
    return bool(bold) and _words(" ".join(_inner_text(b) for b in bold)) == text


def _has_blocks(element: Any) -> bool:
    """True for an element with block-level elements inside it."""
    return any(isinstance(node.tag, str) and node.tag in _BLOCK_TAGS for node in element.iter())


def read_html(data: bytes | str) -> list[Block]:
    """The blocks of a web page's main content."""
    import lxml.html
    from lxml.etree import ParserError

    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass  # lxml reads the page's own <meta charset>
    if isinstance(data, str):
        # lxml refuses a str that declares its encoding, as saved .xhtml pages do.
        data = _XML_DECLARATION.sub("", data, count=1)
    if not data.strip():
        raise ArticleError("The page is empty: paste some text or choose a file.")
    try:
        root = lxml.html.document_fromstring(data)
    except (ParserError, ValueError):
        raise ArticleError("That page could not be read as HTML.") from None
    removed = _strip_furniture(root)
    walker = _Walker()
    walker.walk(_main_content(root, lxml.html.tostring(root, encoding="unicode")))
    walker.flush()
    blocks = walker.blocks
    if removed:
        blocks.append(Omitted("part of the page around the article (navigation, footer, notice)"))
    return blocks
