"""Socket.IO acknowledgements in the shape of docs/protocol.md, for every handler."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

# Socket.IO's, not the builtin: the server replaces a builtin refusal's data with a generic text.
from flask import request
from flask_socketio import ConnectionRefusedError, Namespace

from hearth.errors import HearthError
from hearth.i18n import DEFAULT_LANGUAGE, environ_language, error_ack, say
from hearth.json_guard import RESERVED_EVENTS, check_socket_payload

log = logging.getLogger(__name__)

Handler = Callable[[Any, Any], dict[str, Any]]


def acknowledged(handler: Handler) -> Callable[..., dict[str, Any]]:
    """Turn a handler's result into {"ok": true, ...} and any refusal into {"ok": false, "error"}.

    Unexpected errors are logged (without the payload, which may hold an answer) and answered
    with a generic error, so a phone never sees a traceback and never gets disconnected.
    """

    @functools.wraps(handler)
    def wrapper(self: Any, data: Any = None, *extra: Any) -> dict[str, Any]:
        language = self.language(request.sid)  # type: ignore[attr-defined]
        return ack(functools.partial(handler, self, data), handler.__name__, data, language)

    return wrapper


def ack(
    call: Callable[[], dict[str, Any]],
    name: str,
    payload: Any = None,
    language: str = DEFAULT_LANGUAGE,
) -> dict[str, Any]:
    """The acknowledgement of one handler call: {"ok": true, ...} or {"ok": false, "error"},
    the error's message in the socket's `language`.

    The payload passes the door first (hearth.json_guard): nothing nested too deeply and no
    refused character (hearth.text) reaches a handler.
    """
    try:
        check_socket_payload(payload)
        return {"ok": True, **call()}
    except HearthError as error:
        return error_ack(error, language)
    except Exception:
        log.exception("Socket handler %s failed", name)
        return error_ack(
            HearthError("server_error", "Something went wrong on our side. Please try again."),
            language,
        )


def refusal(error: HearthError, language: str = DEFAULT_LANGUAGE) -> ConnectionRefusedError:
    """A refused connect whose data is {"code", "message"} (the client's err.data), the message
    in the connecting socket's `language`."""
    message = say(error, language)
    return ConnectionRefusedError(message, {"code": error.code, "message": message})


class GuardedNamespace(Namespace):
    """A namespace whose clients reach only the events it declares (its `on_<event>` methods);
    anything else is acknowledged with `unknown_event` instead of an empty ack."""

    def __init__(self, namespace: str) -> None:
        super().__init__(namespace)
        declared = {name[3:] for name in dir(self) if name.startswith("on_")}
        self.events = frozenset(declared | RESERVED_EVENTS)

    def language(self, sid: str) -> str:
        """The language this socket's errors speak: its handshake's Accept-Language (a side may
        know better: a phone says which language its page speaks when it connects)."""
        return environ_language(self.socketio.server.get_environ(sid, namespace=self.namespace))

    def trigger_event(self, event: str, *args: Any) -> Any:
        """Dispatch a declared event; answer any other with `unknown_event`."""
        if event not in self.events:
            refused = HearthError("unknown_event", "This connection takes no event of that name.")
            return error_ack(refused, self.language(args[0]))
        return super().trigger_event(event, *args)
