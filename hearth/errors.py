"""The one error type services raise, and its JSON shape (docs/protocol.md, Errors).

An error's message is English in the code and translated where the error is answered
(hearth/web.py for HTTP, hearth/acks.py for sockets), in the language of whoever reads it
(docs/translating.md). A message with values names them (`%(limit)s`) and gets them as keyword
arguments, so every language can put them where its grammar wants them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Gettext = Callable[[str], str]
Numbers = Callable[[int], str]


def N_(message: str) -> str:
    """Mark a message for extraction (`make translations-extract`); it is translated later."""
    return message


def _english(message: str) -> str:
    return message


@dataclass(frozen=True)
class Message:
    """A sentence to translate at the edge: its English id and its named values, each a plain
    value or a Message of its own (a plan error names an activity, then the problem)."""

    id: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def render(self, gettext: Gettext = _english, numbers: Numbers = str) -> str:
        """The sentence in the language of `gettext`, whole numbers written by `numbers`."""
        text = gettext(self.id)
        if not self.values:
            return text
        return text % {name: _value(value, gettext, numbers) for name, value in self.values.items()}

    def __str__(self) -> str:
        return self.render()


def _value(value: Any, gettext: Gettext, numbers: Numbers) -> Any:
    if isinstance(value, Message):
        return value.render(gettext, numbers)
    if isinstance(value, int) and not isinstance(value, bool):
        return numbers(value)
    return value


def message(text: str | Message, **values: Any) -> Message:
    """`text` with its values, as a Message (a Message is kept as it is)."""
    return text if isinstance(text, Message) else Message(text, values)


class HearthError(Exception):
    """A refusal a person can act on: a snake_case code, a sentence, an HTTP status.

    `message` is the English sentence (a message id of the catalog) with `%(name)s` for each
    value passed as a keyword argument: `HearthError("too_long", "Keep it to %(limit)s
    characters.", limit=280)`. `.message` is that sentence in English (logs, the CLI, tests);
    `as_dict(gettext)` and `as_ack(gettext)` say it in another language.
    """

    def __init__(self, code: str, message: str | Message, status: int = 400, **values: Any):
        self.text = message if isinstance(message, Message) else Message(message, values)
        self.message = self.text.render()
        super().__init__(self.message)
        self.code = code
        self.status = status

    def as_dict(self, gettext: Gettext = _english, numbers: Numbers = str) -> dict[str, Any]:
        """Return the error body: {"error": {"code", "message"}}, the message translated."""
        return {"error": {"code": self.code, "message": self.text.render(gettext, numbers)}}

    def as_ack(self, gettext: Gettext = _english, numbers: Numbers = str) -> dict[str, Any]:
        """Return the socket acknowledgement for this error."""
        return {"ok": False, **self.as_dict(gettext, numbers)}


class MessageError(ValueError):
    """A problem a lower layer reports (a plan, an article, an activity's fields) with a
    message that is translated where it is answered: `.text` is the Message, str() English."""

    def __init__(self, message: str | Message, **values: Any) -> None:
        self.text = message if isinstance(message, Message) else Message(message, values)
        super().__init__(self.text.render())


def invalid_payload(message: str | Message, **values: Any) -> HearthError:
    """A payload that is not an object, or has a missing or wrongly typed field."""
    return HearthError("invalid_payload", message, **values)


# Row ids are 64-bit; a larger number cannot name anything (and would overflow the driver).
MAX_ID = 2**63 - 1


def record_id(value: Any, field: str) -> int:
    """A whole-number id from a payload; 0 (which names no row) when it is out of range."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid_payload("'%(field)s' must be a whole number.", field=field)
    return value if 1 <= value <= MAX_ID else 0


NOT_FOUND = N_("That could not be found.")


def not_found(message: str | Message = NOT_FOUND, **values: Any) -> HearthError:
    """A missing workshop, plan, activity or response."""
    return HearthError("not_found", message, 404, **values)


def refuse_if_ended(phase: str) -> None:
    """The one "workshop has ended" refusal of phones' pages and messages (410)."""
    if phase == "ended":
        raise HearthError(
            "workshop_ended", "This workshop has ended. Thank you for taking part.", 410
        )
