"""Markdown (CommonMark with pipe tables)."""

from __future__ import annotations

import re

from hearth.importer.blocks import (
    Block,
    Heading,
    ItemList,
    Quote,
    attribution,
    is_separator,
    list_block,
    paragraph_block,
    plain,
    table_block,
    table_cells,
    unquoted,
)
from hearth.importer.text import next_nonblank_lines

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
    who = attribution(texts[-1]) if texts else None
    if who:
        texts = texts[:-1]
    body = unquoted(plain(" ".join(texts)))
    return Quote(body, who) if body else None


def parse_markdown(text: str) -> list[Block]:
    """The blocks of a Markdown article: headings, lists, task lists, quotes, tables."""
    lines = text.splitlines()
    next_nonblank = next_nonblank_lines(lines)
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if not paragraph:
            return
        block = paragraph_block(" ".join(line.strip() for line in paragraph))
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
                if attribution(lines[after].strip()):
                    quoted.append(lines[after].strip())
                    index = after + 1
            quote = _md_quote(quoted)
            if quote:
                blocks.append(quote)
            continue
        cells = table_cells(line)
        next_cells = table_cells(lines[index + 1]) if index + 1 < len(lines) else None
        if cells and next_cells and is_separator(next_cells):
            flush()
            rows = []
            while index < len(lines) and lines[index].strip() and table_cells(lines[index]):
                rows.append(table_cells(lines[index]) or ())
                index += 1
            blocks.append(table_block(rows))
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
    return list_block(items, ordered), index
