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
    return _TextReader(text).read()


class _TextReader:
    """One pass over the lines of a plain-text article, into blocks."""

    def __init__(self, text: str) -> None:
        self.lines = [line.strip() for line in text.splitlines()]
        self.next_nonblank = next_nonblank_lines(self.lines)
        self.blocks: list[Block] = []
        self.paragraph: list[str] = []
        self.index = 0
        # What the line before was: blank, text, heading, list, table or quote.
        self.previous = "blank"
        self.just_closed: Block | None = None  # the paragraph the previous line completed

    def read(self) -> list[Block]:
        """Every block of the article."""
        while self.index < len(self.lines):
            self.previous = self.step(self.lines[self.index])
        self.flush()
        return self.blocks

    def step(self, line: str) -> str:
        """Read the current line (and a whole table or list from it); say what it was."""
        if not line:
            self.flush()
            self.index += 1
            return "blank"
        next_line = self.lines[self.index + 1] if self.index + 1 < len(self.lines) else ""
        if table_cells(line) and next_line and table_cells(next_line):
            return self.table()
        if self.attributes_a_quote(line, next_line):
            self.index += 1
            return "quote"
        if BULLET.match(line) or BOX_LINE.match(line):
            return self.item_list(line)
        after = self.next_nonblank[self.index]
        if not self.paragraph and _is_heading(
            line, self.lines[after] if after is not None else None
        ):
            self.blocks.append(Heading(plain(line)))
            self.index += 1
            return "heading"
        # Lines join into one paragraph until one ends a sentence (hard-wrapped text).
        self.paragraph.append(line)
        self.just_closed = self.flush() if SENTENCE_DONE.search(line) or inline_list(line) else None
        self.index += 1
        return "text"

    def flush(self) -> Block | None:
        """End the paragraph being gathered; its block (None if there was none)."""
        if not self.paragraph:
            return None
        block = paragraph_block(" ".join(self.paragraph))
        if block is not None:
            self.blocks.append(block)
        self.paragraph.clear()
        return block

    def attributes_a_quote(self, line: str, next_line: str) -> bool:
        """A "— Name" line right after a paragraph makes that paragraph a quote by Name."""
        who = attribution(line)
        if not who or self.previous != "text" or (next_line and BULLET.match(next_line)):
            return False
        quoted = self.flush() if self.paragraph else self.just_closed
        if isinstance(quoted, Paragraph) and self.blocks and self.blocks[-1] is quoted:
            self.blocks[-1] = Quote(unquoted(quoted.text), who)
            return True
        return False

    def table(self) -> str:
        """The run of table lines from here."""
        self.flush()
        rows = []
        lines = self.lines
        while self.index < len(lines) and lines[self.index] and table_cells(lines[self.index]):
            rows.append(table_cells(lines[self.index]) or ())
            self.index += 1
        self.blocks.append(table_block(rows))
        return "table"

    def item_list(self, line: str) -> str:
        """The list from here; it goes on across a blank line if another item follows."""
        self.flush()
        items, ordered = [], bool(re.match(r"\d", line))
        lines = self.lines
        while self.index < len(lines):
            current = lines[self.index]
            bullet = BULLET.match(current)
            if bullet:
                items.append(bullet.group("text"))
            elif BOX_LINE.match(current):
                items.append(current)
            elif current:
                break
            else:
                after = self.next_nonblank[self.index]
                if after is None or not _continues_list(lines[after]):
                    break
                self.index = after
                continue
            self.index += 1
        self.blocks.append(list_block(items, ordered))
        return "list"
