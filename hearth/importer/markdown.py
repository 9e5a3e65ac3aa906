"""Markdown, read by markdown-it-py (CommonMark, with pipe tables and strikethrough).

The parser's syntax tree is walked into blocks: headings, paragraphs, lists (nested items become
notes on the slide, not options), task lists, block quotes with their attribution, and tables.
Code and images are left out and named in the report; struck-out text is text the author took
back, so it is dropped.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from hearth.importer.blocks import (
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

_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_FOOTNOTE_MARK = re.compile(r"\[\^[^\[\]\s]+\]")
# Only a dash other than "- " can follow a quote as its attribution: "- Name" is a list item.
_OUTSIDE_ATTRIBUTION = re.compile(r"^\s*(?:[–—―]|--)")


def _inline(node: SyntaxTreeNode) -> str:
    """The words of an inline node, with line breaks kept as newlines."""
    parts: list[str] = []
    for child in node.children:
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "code_inline":
            parts.append(child.content)
        elif child.type in ("image", "html_inline", "s"):
            continue  # no words for a slide; HTML tags; struck-out text
        else:  # em, strong, link: their words
            parts.append(_inline(child))
    return _FOOTNOTE_MARK.sub("", "".join(parts))


def _words(text: str) -> str:
    """Text on one line with its whitespace collapsed."""
    return " ".join(text.split())


def _text_of(node: SyntaxTreeNode) -> str:
    """The inline text of a heading, paragraph or table cell (empty when it has none)."""
    inline = next((child for child in node.children if child.type == "inline"), None)
    return _inline(inline) if inline is not None else ""


def _images(node: SyntaxTreeNode) -> int:
    """How many images a paragraph holds."""
    inline = next((child for child in node.children if child.type == "inline"), None)
    return sum(child.type == "image" for child in inline.children) if inline else 0


def _list(node: SyntaxTreeNode) -> ItemList:
    """A list: its items' own text as options, nested lists' items as notes."""
    items: list[str] = []
    notes: list[str] = []
    for item in node.children:
        own = [_words(_text_of(child)) for child in item.children if child.type == "paragraph"]
        items.append(" ".join(part for part in own if part))
        for child in item.children:
            if child.type in ("bullet_list", "ordered_list"):
                nested = _list(child)
                notes.extend(nested.items + nested.notes)
    block = list_block(items, node.type == "ordered_list", clean=False)
    return ItemList(block.items, block.ordered, block.checklist, block.label, tuple(notes))


def _quote(node: SyntaxTreeNode) -> Quote | None:
    """A block quote; a last line "— Name" inside it is its attribution."""
    lines = [
        line.strip()
        for child in node.children
        if child.type == "paragraph"
        for line in _text_of(child).splitlines()
    ]
    lines = [line for line in lines if line]
    who = attribution(lines[-1]) if lines else None
    if who:
        lines = lines[:-1]
    text = unquoted(_words(" ".join(lines)))
    return Quote(text, who) if text else None


def _table(node: SyntaxTreeNode) -> Table:
    """A pipe table: the header row and the body rows, cells as plain text."""
    rows = [
        tuple(_words(_text_of(cell)) for cell in row.children)
        for section in node.children
        for row in section.children
    ]
    return Table(rows[0] if rows else (), tuple(rows[1:]))


def _merge_lists(blocks: list[Block]) -> list[Block]:
    """Adjacent lists of one kind as one list.

    CommonMark starts a new list when the bullet changes ("-" then "*"), but a writer who
    switches bullets halfway means the same list.
    """
    merged: list[Block] = []
    for block in blocks:
        last = merged[-1] if merged else None
        if (
            isinstance(block, ItemList)
            and isinstance(last, ItemList)
            and (last.ordered, last.checklist) == (block.ordered, block.checklist)
        ):
            merged[-1] = ItemList(
                last.items + block.items,
                last.ordered,
                last.checklist,
                last.label,
                last.notes + block.notes,
            )
        else:
            merged.append(block)
    return merged


def parse_markdown(text: str) -> list[Block]:
    """The blocks of a Markdown article: headings, lists, task lists, quotes, tables."""
    nodes = SyntaxTreeNode(_PARSER.parse(text)).children
    blocks: list[Block] = []
    index = 0
    while index < len(nodes):
        node = nodes[index]
        index += 1
        if node.type == "blockquote":
            following = nodes[index] if index < len(nodes) else None
            quote, took_following = _quote_and_attribution(node, following)
            index += took_following
            blocks.extend([quote] if quote else [])
        else:
            blocks.extend(_blocks_of(node))
    return _merge_lists(blocks)


def _blocks_of(node: SyntaxTreeNode) -> list[Block]:
    """The blocks one top-level node (other than a block quote) gives."""
    if node.type == "heading":
        title = _words(_text_of(node))
        return [Heading(title)] if title else []
    if node.type == "paragraph":
        words = _words(_text_of(node))
        found: list[Block] = [inline_list(words, clean=False) or Paragraph(words)] if words else []
        return found + [Omitted("image") for _ in range(_images(node))]
    if node.type in ("bullet_list", "ordered_list"):
        return [_list(node)]
    if node.type == "table":
        return [_table(node)]
    left_out = _left_out(node)
    return [Omitted(left_out)] if left_out else []


def _left_out(node: SyntaxTreeNode) -> str | None:
    """What the report calls a node that gives no block (None for one it need not name)."""
    if node.type in ("fence", "code_block"):
        return "code block"
    if node.type == "html_block" and not node.content.lstrip().startswith("<!--"):
        return "block of raw HTML"
    return None


def _quote_and_attribution(
    node: SyntaxTreeNode, following: SyntaxTreeNode | None
) -> tuple[Quote | None, int]:
    """A block quote, and 1 if the paragraph after it is its attribution (else 0)."""
    quote = _quote(node)
    # "— Name" under the quote, outside it, is its attribution too.
    if quote and not quote.attribution and following and following.type == "paragraph":
        line = _words(_text_of(following))
        if _OUTSIDE_ATTRIBUTION.match(line) and attribution(line):
            return Quote(quote.text, attribution(line)), 1
    return quote, 0
