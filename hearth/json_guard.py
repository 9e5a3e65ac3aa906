"""What every request and socket message passes before a handler sees it.

Python's JSON parser recurses once per level, so "[[[[…" a few thousand deep raises
RecursionError (a 500) and even a few hundred levels cost a handler real work for no purpose.
No Hearth payload is nested more than a handful of levels, so anything deeper than
`MAX_DEPTH` is refused with `invalid_payload` before it is parsed: on HTTP routes as a 400, on
socket events as the event's ack. Text from forms and JSON bodies passes `hearth.text`'s check
here too; socket payloads pass both checks in `hearth.acks`. See docs/protocol.md.
"""

from __future__ import annotations

import json
import re
from typing import Any

from engineio import json as engineio_json
from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from socketio import packet

from hearth.errors import N_, HearthError, Message, invalid_payload
from hearth.text import check_text, check_texts

MAX_DEPTH = 32

# A JSON string (escapes included), written so the engine never backtracks, and a bracket.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
# The event name at the start of a Socket.IO event packet: ["answer", …].
_EVENT_NAME = re.compile(r'\s*\[\s*("[^"\\]*(?:\\.[^"\\]*)*")')

TOO_DEEP_TEXT = Message(
    N_("The payload is nested more than %(depth)s levels deep."), {"depth": MAX_DEPTH}
)
# In English (tests and logs); answers say it in the reader's language.
TOO_DEEP_MESSAGE = str(TOO_DEEP_TEXT)


def nesting_depth(text: str | bytes) -> int:
    """How deeply arrays and objects nest in a JSON text (brackets inside strings do not count)."""
    if isinstance(text, bytes | bytearray):
        text = bytes(text).decode("utf-8", "replace")
    # Nearly every payload has fewer brackets than the limit: no need to look closer.
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return text.count("[") + text.count("{")
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub('""', text)):
        if match.group(0) in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def too_deep() -> HearthError:
    """The refusal of a payload nested deeper than MAX_DEPTH."""
    return invalid_payload(TOO_DEEP_TEXT)


# --- HTTP ----------------------------------------------------------------------------------


class GuardedJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, whose loads() refuses deep nesting and refused characters.

    Flask parses every request body with `app.json` (request.get_json), so this is the door
    of every JSON route. It also reads Flask's signed session cookie, which holds only what
    Hearth itself wrote and therefore passes.
    """

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse JSON, or raise HearthError (invalid_payload / invalid_value)."""
        if nesting_depth(s) > MAX_DEPTH:
            raise too_deep()
        data = super().loads(s, **kwargs)
        check_texts(data)
        return data


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def guard_requests(app: Flask) -> None:
    """Every JSON body and form field of every route passes the depth and text checks."""
    app.json = GuardedJSONProvider(app)

    @app.before_request
    def check_form_text() -> None:
        if request.mimetype in FORM_TYPES:
            for value in request.form.values():
                check_text(value)


# --- Socket.IO -----------------------------------------------------------------------------


class TooDeep:
    """Stands in for a socket payload that was too deep to parse; the ack door refuses it."""

    def __repr__(self) -> str:
        return "<payload nested too deeply>"


TOO_DEEP = TooDeep()


class SocketJSON:
    """The json module python-socketio decodes packets with (its `json` option).

    A packet too deep to parse keeps its event name, so the event's handler still runs and
    acknowledges it with `invalid_payload` instead of the connection failing with an error.
    """

    @staticmethod
    def loads(text: str | bytes, **kwargs: Any) -> Any:
        """Parse a packet; one nested too deeply becomes [event, TOO_DEEP] (or TOO_DEEP)."""
        # One level more than MAX_DEPTH: an event packet wraps its payload in [name, payload].
        if nesting_depth(text) <= MAX_DEPTH + 1:
            # Engine.IO's loads: it also refuses integers of more than 100 digits.
            return engineio_json.loads(text, **kwargs)
        if isinstance(text, bytes | bytearray):
            text = bytes(text).decode("utf-8", "replace")
        event = _EVENT_NAME.match(text)
        return [json.loads(event.group(1)), TOO_DEEP] if event else TOO_DEEP

    @staticmethod
    def dumps(data: Any, **kwargs: Any) -> str:
        """Serialise as the standard library does."""
        return json.dumps(data, **kwargs)


def check_socket_payload(data: Any) -> None:
    """Refuse a socket event's payload that was too deep or holds a refused character."""
    if data is TOO_DEEP:
        raise too_deep()
    check_texts(data)


# --- Socket.IO event names -----------------------------------------------------------------

# The names python-socketio gives its own events. A client's event of such a name would reach
# the connect or disconnect handler on an open socket: a `connect` event minted a new identity
# (and counted a phone twice) each time, a `disconnect` event made the phone a stranger.
RESERVED_EVENTS = frozenset({"connect", "disconnect", "connect_error"})
# What a client's event with a reserved, missing or non-text name is renamed to: no handler
# has this name, so the namespace answers `unknown_event` (hearth.acks.GuardedNamespace).
NOT_AN_EVENT = "(not an event)"


def client_event(data: Any) -> list[Any]:
    """An event packet's data, [name, *args], with a name a client may send."""
    if (
        isinstance(data, list)
        and data
        and isinstance(data[0], str)
        and data[0] not in RESERVED_EVENTS
    ):
        return data
    return [NOT_AN_EVENT, *(data[1:] if isinstance(data, list) else [])]


class SocketPacket(packet.Packet):
    """python-socketio's packet (its `serializer` option), with the event's name checked."""

    data: Any
    packet_type: int

    def decode(self, encoded_packet: Any) -> int:
        """Decode as python-socketio does; an event gets a name a client may send."""
        attachments = int(super().decode(encoded_packet))
        if self.packet_type in (packet.EVENT, packet.BINARY_EVENT):
            self.data = client_event(self.data)
        return attachments
