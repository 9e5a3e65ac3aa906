"""The one check every piece of text from outside passes, and the cleaning exports apply.

Text reaches Hearth from phones (answers, words, questions), from facilitators (plans, titles,
notes, resources) and from files (plans, articles). Two kinds of character in it break things
further on without meaning anything to a reader: a lone surrogate (half of a UTF-16 pair, which
cannot be encoded as UTF-8) and a C0 control character (NUL, bell, escape …, which XML and
spreadsheets refuse). Such text is refused at the door with `invalid_value` (docs/protocol.md);
newline, carriage return and tab are ordinary text and pass. Exports clean whatever may have
been stored before this check existed (`printable`), so they never fail on it.
"""

from __future__ import annotations

import re
from typing import Any

from hearth.errors import N_, HearthError

# C0 controls except tab (09), newline (0A) and carriage return (0D, every browser sends a
# textarea's line breaks as CR LF), and lone surrogates (D800-DFFF never pair in a str).
_REFUSED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")

REFUSED_MESSAGE = N_(
    "The text holds a character that cannot be stored (a control character or a broken "
    "emoji). Retype it and try again."
)


def check_text(text: str) -> str:
    """Return `text` unchanged, or refuse it (`invalid_value`) if it holds a refused character."""
    if _REFUSED.search(text):
        raise HearthError("invalid_value", REFUSED_MESSAGE)
    return text


def check_texts(data: Any) -> None:
    """Refuse a decoded payload if any string in it (keys included) holds a refused character."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            check_text(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)


def printable(data: Any) -> Any:
    """A copy of `data` without refused characters: surrogates become U+FFFD, controls go.

    Exports pass their whole document through this, so text stored before the door check (or
    written by a tool straight into the database) cannot make a format fail.
    """
    if isinstance(data, str):
        return _REFUSED.sub(_replacement, data) if _REFUSED.search(data) else data
    if isinstance(data, dict):
        return {printable(key): printable(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [printable(item) for item in data]
    return data


def _replacement(match: re.Match[str]) -> str:
    """U+FFFD for a surrogate (a character was there), nothing for a control character."""
    return "\ufffd" if match.group(0) >= "\ud800" else ""
