"""The block list every reader produces: headings, paragraphs, lists, tables and quotes.

Each format (plain text, Markdown, Word, PDF, HTML) is read into the same list of blocks, and
`hearth.importer.build` turns that list into a draft plan. The helpers here are the shapes the
readers share: inline markup removed, list and table blocks built, quote attributions found.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from hearth.errors import MessageError

ATTRIBUTION_LINE_MAX = 80


class ArticleError(MessageError):
    """An article that cannot be turned into a plan, with a message a person can act on."""


class ArticleTooLarge(ArticleError):
    """An article over the size limits (hearth.importer.formats)."""


# --- blocks: what both parsers produce ----------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """A section heading."""

    text: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of running text."""

    text: str


@dataclass(frozen=True)
class ItemList:
    """A bulleted, numbered or task list (or an inline one: "Label: - a - b")."""

    items: tuple[str, ...]
    ordered: bool = False
    checklist: bool = False
    label: str | None = None
    notes: tuple[str, ...] = ()  # nested items: not options, but their words go on the slide


@dataclass(frozen=True)
class Quote:
    """A quotation and who said it."""

    text: str
    attribution: str | None


@dataclass(frozen=True)
class Table:
    """A table: its header row and its body rows."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Omitted:
    """Something a reader left out on purpose (an image, a code block), named for the report."""

    what: str


Block = Heading | Paragraph | ItemList | Quote | Table | Omitted


# --- inline text --------------------------------------------------------------------------

_ESCAPABLE = "\\`*_{}[]()#+-.!|>~"
# Escaped punctuation is parked in the private-use area so emphasis rules leave it alone.
_PARKED = {char: chr(0xE000 + number) for number, char in enumerate(_ESCAPABLE)}


def _rules(*pairs: tuple[str, str]) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Compiled (pattern, replacement) pairs."""
    return tuple((re.compile(pattern), replacement) for pattern, replacement in pairs)


# Every pattern stops at the next delimiter of its kind ([^*], [^()], ...) rather than using
# `.*?`, so that a 200 KB paragraph full of unmatched markers is read in linear time.
_MARKUP_RULES = _rules(
    (r"<!--.*?(?:-->|$)", ""),  # an unclosed comment hides the rest, as in a browser
    (r"!\[[^\[\]]*\]\([^()]*\)", ""),  # images carry no words for a slide
    (r"\[\^[^\[\]]+\]", ""),  # footnote references
    (r"\[([^\[\]]+)\]\([^()]*\)", r"\1"),  # [text](url)
    (r"\[([^\[\]]+)\]\[[^\[\]]*\]", r"\1"),  # [text][ref]
    (r"<((?:https?|mailto):[^<>\s]+)>", r"\1"),  # <https://...>
    (r"</?[A-Za-z][^<>]*>", ""),  # inline HTML tags
    (r"(`+)([^`]+)\1(?!`)", r"\2"),
)
_EMPHASIS_RULES = _rules(
    (r"\*\*\*([^*\s](?:[^*]*[^*\s])?)\*\*\*", r"\1"),
    (r"\*\*([^*\s](?:[^*]*[^*\s])?)\*\*", r"\1"),
    (r"(?<![\w*])\*([^*\s](?:[^*]*[^*\s])?)\*(?![\w*])", r"\1"),
    (r"(?<!\w)__([^_\s](?:[^_]*[^_\s])?)__(?!\w)", r"\1"),
    (r"(?<!\w)_([^_\s](?:[^_]*[^_\s])?)_(?!\w)", r"\1"),
    (r"~~([^~\s](?:[^~]*[^~\s])?)~~", ""),  # struck-out text is text the author took back
)
_STRAY_MARKERS = re.compile(r"\*\*|__")  # left by unbalanced emphasis
_MARKUP_CHARS = re.compile(r"[\\`*_\[\]<>~&!]")


def plain(text: str) -> str:
    """Text with Markdown-style inline markup removed and whitespace collapsed."""
    if not _MARKUP_CHARS.search(text):
        return " ".join(text.split())  # most list items and lines: nothing to remove
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|>~])", lambda m: _PARKED[m.group(1)], text)
    for pattern, replacement in _MARKUP_RULES:
        text = pattern.sub(replacement, text)
    # Twice, for emphasis inside emphasis ("**bold *and* more**").
    for pattern, replacement in _EMPHASIS_RULES + _EMPHASIS_RULES:
        text = pattern.sub(replacement, text)
    text = _STRAY_MARKERS.sub("", text)
    for char, parked in _PARKED.items():
        text = text.replace(parked, char)
    return " ".join(html.unescape(text).split())


def shorten(text: str, limit: int) -> str:
    """Text cut at a word boundary to at most `limit` characters, with an ellipsis if cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:–—-") + "…"


# --- line shapes shared by both parsers ---------------------------------------------------

BULLET = re.compile(r"^(?P<marker>[-*+•▪●◦]|\d{1,9}[.)])\s+(?P<text>\S.*)$")
CHECKBOX = re.compile(r"^(?:\[[ xX✓]\]|[☐☑☒□■✓✔])\s+")
BOX_LINE = re.compile(r"^(?:\[[ xX✓]\]|[☐☑☒□■✓✔])\s+\S")
_INLINE_LIST = re.compile(r"^(?P<label>[^:]{2,60}):\s*[-•*]\s+(?P<rest>\S.*)$")
_INLINE_SPLIT = re.compile(r"\s+[-•*]\s+")
_ATTRIBUTION = re.compile(r"^(?:[–—―]|--|-(?=\s))\s*(?P<who>\S.*)$")
_SEPARATOR_CELL = re.compile(r"^:?-+:?$")
HEADING_END = re.compile(r"[.!?…:;,][\"'”’)\]]*$")
SENTENCE_DONE = re.compile(r"[.!?…:][\"'”’)\]]*$")
_CHECKLIST_WORDS = re.compile(r"check\s*-?list|to-?do", re.IGNORECASE)


def attribution(line: str) -> str | None:
    """Who a quote is by, if the line looks like "– Relationship counselor"."""
    match = _ATTRIBUTION.match(line)
    if not match or len(line) > ATTRIBUTION_LINE_MAX:
        return None
    who = plain(match.group("who"))
    if not who or re.search(r"[.!?:;]$", who):
        return None
    return who


def table_cells(line: str) -> tuple[str, ...] | None:
    """The cells of a table row ("a | b | c |"), or None if the line is not one."""
    if "|" not in line:
        return None
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    cells = tuple(cell.strip() for cell in inner.split("|"))
    return cells if len(cells) >= 2 and any(cells) else None


def is_separator(cells: tuple[str, ...]) -> bool:
    """True for a Markdown table's |---|:---:| row."""
    return all(_SEPARATOR_CELL.match(cell) for cell in cells if cell) and any(cells)


def table_block(rows: list[tuple[str, ...]]) -> Table:
    """A table from its raw rows: the first is the header, separator rows are dropped."""
    rows = [row for row in rows if not is_separator(row)]
    header = tuple(plain(cell) for cell in rows[0]) if rows else ()
    body = tuple(tuple(plain(cell) for cell in row) for row in rows[1:])
    return Table(header, body)


def _words(text: str) -> str:
    """Text on one line with its whitespace collapsed (for readers that removed markup)."""
    return " ".join(text.split())


def list_block(
    items: list[str], ordered: bool, label: str | None = None, *, clean: bool = True
) -> ItemList:
    """A list from raw item texts: checkbox markers removed, markup stripped when `clean`."""
    tidy = plain if clean else _words
    checklist = any(CHECKBOX.match(item) for item in items)
    texts = tuple(tidy(CHECKBOX.sub("", item, count=1)) for item in items)
    if label is not None and _CHECKLIST_WORDS.search(label):
        checklist = True
    return ItemList(tuple(text for text in texts if text), ordered, checklist, label)


def inline_list(text: str, *, clean: bool = True) -> ItemList | None:
    """A one-line list such as "Self-Trust Checklist: - a. - b. - c.", or None."""
    match = _INLINE_LIST.match(text)
    if not match:
        return None
    items = _INLINE_SPLIT.split(match.group("rest"))
    if len(items) < 2:
        return None
    tidy = plain if clean else _words
    return list_block(items, ordered=False, label=tidy(match.group("label")), clean=clean)


def paragraph_block(text: str) -> Block | None:
    """A paragraph, or the inline list it really is; None when only markup was there."""
    clean = plain(text)
    return (inline_list(text) or Paragraph(clean)) if clean else None


def unquoted(text: str) -> str:
    """A quotation without the quotation marks around it."""
    pairs = {'"': '"', "“": "”", "'": "'", "‘": "’", "«": "»"}
    if len(text) > 2 and pairs.get(text[0]) == text[-1]:
        return text[1:-1].strip()
    return text
