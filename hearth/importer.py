"""Turning an article (plain text or Markdown) into a draft workshop plan.

Offline and deterministic: the same text always gives the same draft. Sections become content
slides with a short excerpt, lists and tables become polls, quotes become quote slides, and the
questions the article asks its reader become open prompts, between a check-in and a check-out.
The rules are documented in docs/plan-format.md ("Turning an article into a draft").
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

ArticleFormat = Literal["text", "markdown"]

# Limits of the plan format (hearth/plan.schema.json) that the draft must respect.
TITLE_MAX = 200
BODY_MAX = 4000
ATTRIBUTION_MAX = 120
PROMPT_MAX = 500
OPTION_MAX = 120
OPTIONS_MIN, OPTIONS_MAX = 2, 10
ACTIVITIES_MAX = 100

EXCERPT_MAX = 300
HEADING_MAX_CHARS = 70
HEADING_MAX_WORDS = 12
ATTRIBUTION_LINE_MAX = 80
LABEL_MAX_CHARS, LABEL_MAX_WORDS = 40, 5
MIN_SENTENCE_WORDS = 4  # fewer words ("Why?", "The good news?") make a fragment

DESCRIPTION = (
    "A draft made from an article. Check every slide and prompt, add content notes where a "
    "topic may be hard for someone, and remove what does not fit your group before you run it."
)
NOTICED_PROMPT = "Which of these have you noticed?"
STEPS_PROMPT = "Which of these steps feels hardest?"
CHECKLIST_PROMPT = "Which of these do you already do, even a little?"
TABLE_PROMPT = "Which of these stands out to you most?"
SETTLED_PROMPT = "Right now, how settled do you feel?"


class ArticleError(ValueError):
    """An article that cannot be turned into a plan, with a message a person can act on."""


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


Block = Heading | Paragraph | ItemList | Quote | Table


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


# --- sentences and questions --------------------------------------------------------------

# A sentence ends at . ! ? or … (and any closing quote) before a capital or a digit.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_ABBREVIATIONS = {"dr.", "mr.", "mrs.", "ms.", "prof.", "st.", "vs.", "etc.", "e.g.", "i.e."}
_QUESTION_END = re.compile(r"\?[\"'”’)\]]*$")
_LEADING_LINK = re.compile(r"^(?:but|and|so|or|yet|now|then|well)\b,?\s+", re.IGNORECASE)
_ADDRESSES_READER = re.compile(r"\b(?:you|your|yours|yourself|yourselves)\b", re.IGNORECASE)
# First words of a direct question; contractions are cut at the apostrophe ("don’t" → "don").
_INTERROGATIVES = frozenset(
    "what why how when where who whom whose which do does did is are was were am can could "
    "would will should shall may might must have has had ever don doesn didn isn aren wasn "
    "weren couldn wouldn won shouldn haven hasn hadn".split()
)


def split_sentences(text: str) -> list[str]:
    """The sentences of a paragraph, in order."""
    sentences, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        # Only the end of the candidate is looked at, so skipping abbreviations stays linear.
        words = text[max(start, match.start() - 12) : match.end()].split()
        last_word = words[-1].lower() if words else ""
        if last_word in _ABBREVIATIONS or re.fullmatch(r"[a-z]\.", last_word):
            continue
        sentences.append(text[start : match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def reader_questions(paragraph: str) -> list[str]:
    """The questions a paragraph asks its reader, ready to be prompts.

    A question is kept when it has at least four words and either speaks to the reader
    ("you", "your") or is a direct question ("What...", "Do..."); rhetorical fragments such as
    "Why?" or "The good news?" are left out. "Here's a question: Do you...?" keeps the part
    after the colon, and a leading "But" or "So," is dropped.
    """
    questions = []
    for sentence in split_sentences(paragraph):
        if not _QUESTION_END.search(sentence):
            continue
        _, colon, after = sentence.rpartition(": ")
        question = after if colon and after[:1].isupper() else sentence
        question = _LEADING_LINK.sub("", question)
        question = question[:1].upper() + question[1:]
        words = question.split()
        first = re.split(r"['’]", words[0].lower())[0] if words else ""
        speaks_to_reader = bool(_ADDRESSES_READER.search(question))
        if len(words) < MIN_SENTENCE_WORDS or len(question) > PROMPT_MAX:
            continue
        if speaks_to_reader or first in _INTERROGATIVES:
            questions.append(question)
    return questions


def excerpt(paragraph: str) -> str:
    """The first one or two sentences of a paragraph, at most EXCERPT_MAX characters.

    A short second sentence ("Why?") is left off: on its own slide it reads as a fragment.
    """
    sentences = split_sentences(paragraph)
    if not sentences:
        return ""
    text = sentences[0]
    second = sentences[1] if len(sentences) > 1 else ""
    if len(second.split()) >= MIN_SENTENCE_WORDS and len(text) + 1 + len(second) <= EXCERPT_MAX:
        text = f"{text} {second}"
    return shorten(text, EXCERPT_MAX)


# --- line shapes shared by both parsers ---------------------------------------------------

_BULLET = re.compile(r"^(?P<marker>[-*+•▪●◦]|\d{1,9}[.)])\s+(?P<text>\S.*)$")
_CHECKBOX = re.compile(r"^(?:\[[ xX✓]\]|[☐☑☒□■✓✔])\s+")
_BOX_LINE = re.compile(r"^(?:\[[ xX✓]\]|[☐☑☒□■✓✔])\s+\S")
_INLINE_LIST = re.compile(r"^(?P<label>[^:]{2,60}):\s*[-•*]\s+(?P<rest>\S.*)$")
_INLINE_SPLIT = re.compile(r"\s+[-•*]\s+")
_ATTRIBUTION = re.compile(r"^(?:[–—―]|--|-(?=\s))\s*(?P<who>\S.*)$")
_SEPARATOR_CELL = re.compile(r"^:?-+:?$")
_HEADING_END = re.compile(r"[.!?…:;,][\"'”’)\]]*$")
_SENTENCE_DONE = re.compile(r"[.!?…:][\"'”’)\]]*$")
_CHECKLIST_WORDS = re.compile(r"check\s*-?list|to-?do", re.IGNORECASE)


def _attribution(line: str) -> str | None:
    """Who a quote is by, if the line looks like "– Relationship counselor"."""
    match = _ATTRIBUTION.match(line)
    if not match or len(line) > ATTRIBUTION_LINE_MAX:
        return None
    who = plain(match.group("who"))
    if not who or re.search(r"[.!?:;]$", who):
        return None
    return who


def _table_cells(line: str) -> tuple[str, ...] | None:
    """The cells of a table row ("a | b | c |"), or None if the line is not one."""
    if "|" not in line:
        return None
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    cells = tuple(cell.strip() for cell in inner.split("|"))
    return cells if len(cells) >= 2 and any(cells) else None


def _is_separator(cells: tuple[str, ...]) -> bool:
    """True for a Markdown table's |---|:---:| row."""
    return all(_SEPARATOR_CELL.match(cell) for cell in cells if cell) and any(cells)


def _table(rows: list[tuple[str, ...]]) -> Table:
    """A table from its raw rows: the first is the header, separator rows are dropped."""
    rows = [row for row in rows if not _is_separator(row)]
    header = tuple(plain(cell) for cell in rows[0]) if rows else ()
    body = tuple(tuple(plain(cell) for cell in row) for row in rows[1:])
    return Table(header, body)


def _list_block(items: list[str], ordered: bool, label: str | None = None) -> ItemList:
    """A list from raw item texts: checkbox markers removed, markup stripped."""
    checklist = any(_CHECKBOX.match(item) for item in items)
    texts = tuple(plain(_CHECKBOX.sub("", item, count=1)) for item in items)
    if label is not None and _CHECKLIST_WORDS.search(label):
        checklist = True
    return ItemList(tuple(text for text in texts if text), ordered, checklist, label)


def _inline_list(text: str) -> ItemList | None:
    """A one-line list such as "Self-Trust Checklist: - a. - b. - c.", or None."""
    match = _INLINE_LIST.match(text)
    if not match:
        return None
    items = _INLINE_SPLIT.split(match.group("rest"))
    if len(items) < 2:
        return None
    return _list_block(items, ordered=False, label=plain(match.group("label")))


def _paragraph(text: str) -> Block | None:
    """A paragraph, or the inline list it really is; None when only markup was there."""
    clean = plain(text)
    return (_inline_list(text) or Paragraph(clean)) if clean else None


# --- plain text ---------------------------------------------------------------------------


def _next_nonblank(lines: list[str]) -> list[int | None]:
    """For each line, the index of the next non-blank line after it (None at the end).

    Worked out once, backwards, so that looking ahead never rescans a run of blank lines.
    """
    after: list[int | None] = [None] * len(lines)
    upcoming: int | None = None
    for index in range(len(lines) - 1, -1, -1):
        after[index] = upcoming
        if lines[index].strip():
            upcoming = index
    return after


def _continues_list(line: str) -> bool:
    """True for a line that is a list item (so a list goes on after a blank line)."""
    return bool(_BULLET.match(line) or _BOX_LINE.match(line))


def _is_heading(line: str, following: str | None) -> bool:
    """A short line with no closing punctuation, followed by text that starts a sentence."""
    return (
        following is not None
        and len(line) < HEADING_MAX_CHARS
        and len(line.split()) <= HEADING_MAX_WORDS
        and (line[0].isupper() or line[0].isdigit())
        and not _HEADING_END.search(line)
        and not following[0].islower()
    )


def parse_text(text: str) -> list[Block]:
    """The blocks of a plain-text article (headings are bare short lines)."""
    lines = [line.strip() for line in text.splitlines()]
    next_nonblank = _next_nonblank(lines)
    blocks: list[Block] = []
    paragraph: list[str] = []
    previous = "blank"  # what the line before was: blank, text, heading, list, table

    just_closed: Block | None = None  # the paragraph the previous line completed

    def flush() -> Block | None:
        if not paragraph:
            return None
        block = _paragraph(" ".join(paragraph))
        if block is not None:
            blocks.append(block)
        paragraph.clear()
        return block

    index = 0
    while index < len(lines):
        line = lines[index]
        if not line:
            flush()
            previous = "blank"
            index += 1
            continue
        after = next_nonblank[index]
        following = lines[after] if after is not None else None
        next_line = lines[index + 1] if index + 1 < len(lines) else ""
        if _table_cells(line) and next_line and _table_cells(next_line):
            flush()
            rows = []
            while index < len(lines) and lines[index] and _table_cells(lines[index]):
                rows.append(_table_cells(lines[index]) or ())
                index += 1
            blocks.append(_table(rows))
            previous = "table"
            continue
        who = _attribution(line)
        if who and previous == "text" and not (next_line and _BULLET.match(next_line)):
            quoted = flush() if paragraph else just_closed
            if isinstance(quoted, Paragraph) and blocks and blocks[-1] is quoted:
                blocks[-1] = Quote(_unquoted(quoted.text), who)
                previous = "quote"
                index += 1
                continue
        if _BULLET.match(line) or _BOX_LINE.match(line):
            flush()
            items, ordered = [], bool(re.match(r"\d", line))
            while index < len(lines):
                current = lines[index]
                bullet = _BULLET.match(current)
                if bullet:
                    items.append(bullet.group("text"))
                elif _BOX_LINE.match(current):
                    items.append(current)
                elif current:
                    break
                else:
                    # A blank line: the list goes on only if the next text is another item.
                    after = next_nonblank[index]
                    if after is None or not _continues_list(lines[after]):
                        break
                    index = after
                    continue
                index += 1
            blocks.append(_list_block(items, ordered))
            previous = "list"
            continue
        if not paragraph and _is_heading(line, following):
            blocks.append(Heading(plain(line)))
            previous = "heading"
            index += 1
            continue
        # Lines join into one paragraph until one ends a sentence (hard-wrapped text).
        paragraph.append(line)
        just_closed = flush() if _SENTENCE_DONE.search(line) or _inline_list(line) else None
        previous = "text"
        index += 1
    flush()
    return blocks


def _unquoted(text: str) -> str:
    """A quotation without the quotation marks around it."""
    pairs = {'"': '"', "“": "”", "'": "'", "‘": "’", "«": "»"}
    if len(text) > 2 and pairs.get(text[0]) == text[-1]:
        return text[1:-1].strip()
    return text


# --- Markdown -----------------------------------------------------------------------------

_MD_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_MD_ATX = re.compile(r"^\s{0,3}#{1,6}(?=\s|$)")
_MD_ATX_CLOSING = re.compile(r"(?:^|\s)#+$")
_MD_SETEXT = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_MD_RULE = re.compile(r"^\s{0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?(?P<text>.*)$")
_MD_ITEM = re.compile(r"^(?P<indent>\s*)(?P<marker>[-*+]|\d{1,9}[.)])(?:\s+(?P<text>.*))?$")
_MD_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")


def _indent(line: str) -> int:
    """The number of leading spaces (tabs count as four)."""
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


def _md_quote(lines: list[str]) -> Quote | None:
    """A block quote from its lines (without '>'); a last "— Name" line is the attribution."""
    texts = [_MD_QUOTE.sub(r"\g<text>", line).strip() for line in lines]  # nested '>'
    texts = [text for text in texts if text]
    who = _attribution(texts[-1]) if texts else None
    if who:
        texts = texts[:-1]
    body = _unquoted(plain(" ".join(texts)))
    return Quote(body, who) if body else None


def parse_markdown(text: str) -> list[Block]:
    """The blocks of a Markdown article: headings, lists, task lists, quotes, tables."""
    lines = text.splitlines()
    next_nonblank = _next_nonblank(lines)
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if not paragraph:
            return
        block = _paragraph(" ".join(line.strip() for line in paragraph))
        if block is not None:
            blocks.append(block)
        paragraph.clear()

    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if not stripped:
            flush()
            index += 1
            continue
        fence = _MD_FENCE.match(line)
        if fence:
            # Code is not workshop text: skip it up to the closing fence.
            flush()
            index += 1
            while index < len(lines) and not lines[index].strip().startswith(fence.group(1)):
                index += 1
            index += 1
            continue
        if stripped.startswith("<!--"):
            flush()
            while index < len(lines) and "-->" not in lines[index]:
                index += 1
            index += 1
            continue
        if paragraph and _MD_SETEXT.match(line):
            title = plain(" ".join(part.strip() for part in paragraph))
            if title:
                blocks.append(Heading(title))
            paragraph.clear()
            index += 1
            continue
        if _MD_RULE.match(line) or _MD_LINK_DEFINITION.match(line):
            flush()
            index += 1
            continue
        heading = _MD_ATX.match(line)
        if heading:
            flush()
            title = plain(_MD_ATX_CLOSING.sub("", line[heading.end() :].strip()))
            if title:
                blocks.append(Heading(title))
            index += 1
            continue
        if _MD_QUOTE.match(line):
            flush()
            quoted = []
            while index < len(lines) and (match := _MD_QUOTE.match(lines[index])):
                quoted.append(match.group("text"))
                index += 1
            # "— Name" under the quote, outside it (a blank line between or not), is its
            # attribution too; a plain "- " there would start a list instead.
            after = None
            if index < len(lines):
                after = index if lines[index].strip() else next_nonblank[index]
            if after is not None and re.match(r"^\s*(?:[–—―]|--)", lines[after]):
                if _attribution(lines[after].strip()):
                    quoted.append(lines[after].strip())
                    index = after + 1
            quote = _md_quote(quoted)
            if quote:
                blocks.append(quote)
            continue
        cells = _table_cells(line)
        next_cells = _table_cells(lines[index + 1]) if index + 1 < len(lines) else None
        if cells and next_cells and _is_separator(next_cells):
            flush()
            rows = []
            while index < len(lines) and lines[index].strip() and _table_cells(lines[index]):
                rows.append(_table_cells(lines[index]) or ())
                index += 1
            blocks.append(_table(rows))
            continue
        item = _MD_ITEM.match(line)
        if item and item.group("text") and _indent(line) < 4:
            flush()
            block, index = _md_list(lines, index, next_nonblank)
            blocks.append(block)
            continue
        if not paragraph and _indent(line) >= 4:
            index += 1  # indented code
            continue
        paragraph.append(line)
        index += 1
    flush()
    return blocks


def _md_list(lines: list[str], start: int, next_nonblank: list[int | None]) -> tuple[ItemList, int]:
    """The list starting at lines[start] (nested items are left out) and the index after it."""
    first = _MD_ITEM.match(lines[start])
    assert first is not None
    base = _indent(lines[start])
    ordered = first.group("marker")[0].isdigit()
    items: list[str] = []
    in_nested = False
    index = start
    while index < len(lines):
        line = lines[index]
        item = _MD_ITEM.match(line)
        if not line.strip():
            # After a blank line the list goes on only with an item or an indented line.
            after = next_nonblank[index]
            if after is None or not (_MD_ITEM.match(lines[after]) or _indent(lines[after]) > base):
                break
            index = after
            continue
        if item and item.group("text") and _indent(line) <= base + 1:
            if item.group("marker")[0].isdigit() != ordered:
                break
            items.append(item.group("text"))
            in_nested = False
        elif item and item.group("text"):
            in_nested = True  # a sub-item: not an option of this list
        elif _indent(line) > base or lines[index - 1].strip():
            # An indented line, or a "lazy" one right under an item, continues that item.
            if _MD_ATX.match(line) or _MD_QUOTE.match(line) or _MD_FENCE.match(line):
                break
            if not in_nested:
                items[-1] = f"{items[-1]} {line.strip()}"
        else:
            break
        index += 1
    return _list_block(items, ordered), index


# --- from blocks to a plan ----------------------------------------------------------------


def _option(item: str) -> str:
    """An option from a list item: its short label before ':' if it has one, no final period."""
    label, colon, rest = item.partition(":")
    label = label.strip()
    if colon and rest.strip() and len(label) <= LABEL_MAX_CHARS:
        if re.fullmatch(r"(?:step|phase|stage|part|tip)\s*\d+", label, re.IGNORECASE):
            item = rest.strip()  # "Step 1: Name the hurt" → "Name the hurt"
        elif len(label.split()) <= LABEL_MAX_WORDS:
            item = label
    return shorten(item.rstrip(" .;,"), OPTION_MAX)


def _distinct(options: list[str]) -> list[str]:
    """Options without repeats (ignoring case), at most OPTIONS_MAX of them."""
    seen: set[str] = set()
    kept = []
    for option in options:
        if option and option.casefold() not in seen:
            seen.add(option.casefold())
            kept.append(option)
    return kept[:OPTIONS_MAX]


def _with_title(activity: dict[str, Any], title: str | None) -> dict[str, Any]:
    """The activity with a title, when there is one."""
    return {"title": shorten(title, TITLE_MAX), **activity} if title else activity


def _list_poll(block: ItemList, section: str | None) -> dict[str, Any] | None:
    """A multi (or a choice, for steps) with exactly the list's items as options."""
    options = _distinct([_option(item) for item in block.items])
    if len(options) < OPTIONS_MIN:
        return None
    title = block.label or section
    is_steps = block.ordered or bool(title and re.search(r"\bsteps?\b", title, re.IGNORECASE))
    if block.checklist:
        poll = {"kind": "multi", "prompt": CHECKLIST_PROMPT, "options": options}
    elif is_steps:
        poll = {"kind": "choice", "prompt": STEPS_PROMPT, "options": options}
    else:
        poll = {"kind": "multi", "prompt": NOTICED_PROMPT, "options": options}
    return _with_title(poll, title)


def _table_poll(block: Table, section: str | None) -> dict[str, Any] | None:
    """A choice whose options are the table's first column."""
    column = [shorten(row[0].rstrip(" .;,"), OPTION_MAX) for row in block.rows if row]
    options = _distinct(column)
    if len(options) < OPTIONS_MIN:
        return None
    title = block.header[0] if block.header and block.header[0] else section
    return _with_title({"kind": "choice", "prompt": TABLE_PROMPT, "options": options}, title)


def _quote_slide(block: Quote) -> dict[str, Any]:
    """A quote slide with its attribution."""
    slide = {"kind": "content", "style": "quote", "body": shorten(block.text, BODY_MAX)}
    if block.attribution:
        slide["attribution"] = shorten(block.attribution, ATTRIBUTION_MAX)
    return slide


def _sections(blocks: list[Block]) -> Iterator[tuple[str | None, list[Block]]]:
    """(heading, the blocks under it); the text before the first heading has no heading."""
    heading: str | None = None
    under: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading):
            yield heading, under
            heading, under = block.text, []
        else:
            under.append(block)
    yield heading, under


def _plan_title(blocks: list[Block]) -> str:
    """The article's title: its first heading, else its first sentence."""
    for block in blocks:
        if isinstance(block, Heading):
            return shorten(block.text, TITLE_MAX)
    for block in blocks:
        if isinstance(block, Paragraph) and block.text:
            return shorten(split_sentences(block.text)[0], TITLE_MAX)
    return "A plan from an article"


def _section_activities(
    heading: str | None, under: list[Block], asked: set[str]
) -> list[dict[str, Any]]:
    """The slide of one section, then its prompts, polls and quotes in article order."""
    activities: list[dict[str, Any]] = []
    first_paragraph = next((b.text for b in under if isinstance(b, Paragraph) and b.text), "")
    body = excerpt(first_paragraph)
    if under and (heading or body):
        slide: dict[str, Any] = {"kind": "content", "style": "psychoeducation"}
        if body:
            slide["body"] = body
        activities.append(_with_title(slide, heading))
    for block in under:
        if isinstance(block, Paragraph):
            for question in reader_questions(block.text):
                if question.casefold() not in asked:
                    asked.add(question.casefold())
                    activities.append(_with_title({"kind": "open", "prompt": question}, heading))
        elif isinstance(block, Quote):
            activities.append(_quote_slide(block))
        elif isinstance(block, ItemList):
            poll = _list_poll(block, heading)
            if poll:
                activities.append(poll)
        elif isinstance(block, Table):
            poll = _table_poll(block, heading)
            if poll:
                activities.append(poll)
    return activities


def _agreement() -> dict[str, Any]:
    """The group agreement every draft opens with."""
    return {
        "kind": "content",
        "style": "agreement",
        "title": "How we'll be together today",
        "body": (
            "What's said here stays here.\n\n"
            "You can pass on anything, and you never need to explain why.\n\n"
            "Your answers are anonymous: the screen shows only group totals.\n\n"
            "Take a break whenever you need to."
        ),
    }


def _settled_scale(title: str, pair: str) -> dict[str, Any]:
    """The check-in (pair pre) or check-out (pair post) scale."""
    return {
        "kind": "scale",
        "title": title,
        "prompt": SETTLED_PROMPT,
        "min": 0,
        "max": 10,
        "min_label": "Not settled at all",
        "max_label": "Very settled",
        "pair": pair,
    }


def build_plan(blocks: list[Block]) -> dict[str, Any]:
    """A draft plan from an article's blocks, between the agreement, check-in and check-out."""
    asked: set[str] = set()
    middle = [
        activity
        for heading, under in _sections(blocks)
        for activity in _section_activities(heading, under, asked)
    ]
    bookends = 3  # agreement and check-in first, check-out last
    return {
        "title": _plan_title(blocks),
        "description": DESCRIPTION,
        "activities": [
            _agreement(),
            _settled_scale("Check-in", "pre"),
            *middle[: ACTIVITIES_MAX - bookends],
            _settled_scale("Check-out", "post"),
        ],
    }


def import_article(text: str, fmt: ArticleFormat = "text") -> dict[str, Any]:
    """Turn an article (plain text or Markdown) into a draft plan document (not yet validated)."""
    if fmt not in ("text", "markdown"):
        raise ArticleError("The article format must be 'text' or 'markdown'.")
    # Pasted text brings Windows line ends, a byte-order mark, non-breaking spaces.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    if not text.strip():
        raise ArticleError("The article is empty: paste or upload some text.")
    blocks = parse_markdown(text) if fmt == "markdown" else parse_text(text)
    return build_plan(blocks)
