"""Plain text: headings are bare short lines, lists start with a bullet or a number."""

from __future__ import annotations

import re

from hearth.importer.blocks import (
    BOX_LINE,
    BULLET,
    HEADING_END,
    SENTENCE_DONE,
    Block,
    Heading,
    Paragraph,
    Quote,
    attribution,
    inline_list,
    list_block,
    paragraph_block,
    plain,
    table_block,
    table_cells,
    unquoted,
)

HEADING_MAX_CHARS = 70
HEADING_MAX_WORDS = 12


def next_nonblank_lines(lines: list[str]) -> list[int | None]:
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
    return bool(BULLET.match(line) or BOX_LINE.match(line))


def _is_heading(line: str, following: str | None) -> bool:
    """A short line with no closing punctuation, followed by text that starts a sentence."""
    return (
        following is not None
        and len(line) < HEADING_MAX_CHARS
        and len(line.split()) <= HEADING_MAX_WORDS
        and (line[0].isupper() or line[0].isdigit())
        and not HEADING_END.search(line)
        and not following[0].islower()
    )


def parse_text(text: str) -> list[Block]:
    """The blocks of a plain-text article (headings are bare short lines)."""
    lines = [line.strip() for line in text.splitlines()]
    next_nonblank = next_nonblank_lines(lines)
    blocks: list[Block] = []
    paragraph: list[str] = []
    previous = "blank"  # what the line before was: blank, text, heading, list, table

    just_closed: Block | None = None  # the paragraph the previous line completed

    def flush() -> Block | None:
        if not paragraph:
            return None
        block = paragraph_block(" ".join(paragraph))
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
        if table_cells(line) and next_line and table_cells(next_line):
            flush()
            rows = []
            while index < len(lines) and lines[index] and table_cells(lines[index]):
                rows.append(table_cells(lines[index]) or ())
                index += 1
            blocks.append(table_block(rows))
            previous = "table"
            continue
        who = attribution(line)
        if who and previous == "text" and not (next_line and BULLET.match(next_line)):
            quoted = flush() if paragraph else just_closed
            if isinstance(quoted, Paragraph) and blocks and blocks[-1] is quoted:
                blocks[-1] = Quote(unquoted(quoted.text), who)
                previous = "quote"
                index += 1
                continue
        if BULLET.match(line) or BOX_LINE.match(line):
            flush()
            items, ordered = [], bool(re.match(r"\d", line))
            while index < len(lines):
                current = lines[index]
                bullet = BULLET.match(current)
                if bullet:
                    items.append(bullet.group("text"))
                elif BOX_LINE.match(current):
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
            blocks.append(list_block(items, ordered))
            previous = "list"
            continue
        if not paragraph and _is_heading(line, following):
            blocks.append(Heading(plain(line)))
            previous = "heading"
            index += 1
            continue
        # Lines join into one paragraph until one ends a sentence (hard-wrapped text).
        paragraph.append(line)
        just_closed = flush() if SENTENCE_DONE.search(line) or inline_list(line) else None
        previous = "text"
        index += 1
    flush()
    return blocks
