"""The /participant namespace: phones join, answer, pass and retract."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, NamedTuple

from flask import Flask, current_app, request
from flask_socketio import emit, join_room

from hearth import realtime, throttle
from hearth.acks import GuardedNamespace, ack, acknowledged, refusal
from hearth.errors import HearthError
from hearth.i18n import DEFAULT_LANGUAGE, environ_language, error_ack
from hearth.memory import collector
from hearth.realtime import Events
from hearth.realtime.rooms import ANSWER, PASS
from hearth.services import questions, responses, room, signals
from participant.connect_state import connect_state
from participant.views import workshop_by_code

log = logging.getLogger(__name__)


class Phone(NamedTuple):
    """A connected phone: its workshop, its issued token, its address as an HMAC (a limit
    key, held in this process's memory only while connected) and the language its errors speak
    (its page's, sent as `lang` when it connects)."""

    workshop_id: int
    token: str
    client: str
    language: str = DEFAULT_LANGUAGE


# sid -> Phone, for every phone connected to this process. Hearth keeps it rather than
# Flask-SocketIO's per-socket session so that the answer path can run without a request
# context (see `ParticipantNamespace.trigger_event`).
_phones: dict[str, Phone] = {}

Submit = Callable[[int, str, Any, Flask], tuple[int, dict[str, Any]]]


def _joined(sid: str | None = None) -> Phone:
    """The workshop, token and client of this socket (the current event's by default)."""
    joined = _phones.get(sid if sid is not None else request.sid)  # type: ignore[attr-defined]
    if joined is None:
        raise HearthError("not_joined", "Join a workshop first.", 401)
    return joined


def _submitted(submit: Submit, sid: str, data: Any, app: Flask) -> dict[str, Any]:
    """Answer or pass for a phone: the fields of its acknowledgement."""
    workshop_id, token, *_ = _joined(sid)
    activity_id, mine = submit(workshop_id, token, data, app)
    return {"activity_id": activity_id, "mine": mine}


class ParticipantNamespace(GuardedNamespace):
    """Socket.IO handlers for phones."""

    # The two events of a 2,000-phone burst skip Flask-SocketIO's per-event request context
    # (a Request, URL matching, a session copy) and even the app context: only the answer that
    # writes a group commit pushes one (docs/performance.md).
    _direct: dict[str, Submit] = {
        ANSWER: responses.submit_answer,
        PASS: responses.submit_pass,
    }

    def trigger_event(self, event: str, *args: Any) -> Any:
        """Dispatch an event: `answer` and `pass` directly, the rest through Flask-SocketIO."""
        submit = self._direct.get(event)
        if submit is None:
            return super().trigger_event(event, *args)
        sid, data = args[0], (args[1] if len(args) > 1 else None)
        environ = self.socketio.server.get_environ(sid, namespace=self.namespace)
        app: Flask | None = environ.get("flask.app") if environ else None
        language = self.language(sid)
        if app is None:
            return error_ack(HearthError("not_joined", "Join a workshop first.", 401), language)
        # No app context here: the answer that writes the group pushes one for all of them.
        return ack(lambda: _submitted(submit, sid, data, app), f"on_{event}", data, language)

    def language(self, sid: str) -> str:
        """The language of the phone's page (its `lang` at connect), else its browser's."""
        phone = _phones.get(sid)
        return phone.language if phone is not None else super().language(sid)

    def on_connect(self, auth: Any = None) -> None:
        """A phone joins with {code, token?, lang?}: it gets `welcome` (with the token it was
        issued), then a full `state`. A token this server did not issue for the workshop is
        refused. `lang` is the language of the phone's page: its refusals and acks speak it."""
        realtime.ensure_ticker(current_app._get_current_object())  # type: ignore[attr-defined]
        auth = auth if isinstance(auth, dict) else {}
        language = environ_language(request.environ, auth.get("lang"))
        code = auth.get("code")
        if not isinstance(code, str) or not code.strip():
            refused = HearthError("unknown_code", "Enter the code shown on the screen.")
            raise refusal(refused, language)
        try:
            workshop = workshop_by_code(code)
            client = throttle.client_key()
            token = room.admit_phone(workshop, auth.get("token"), client)
        except HearthError as error:
            raise refusal(error, language) from None
        sid = request.sid  # type: ignore[attr-defined]
        # Joined before the snapshot is read, so no broadcast falls between the two.
        _phones[sid] = Phone(workshop.id, token, client, language)
        join_room(realtime.phones_room(workshop.id))
        realtime.connection_changed(workshop.id, +1)
        collector.busy()  # a reconnect storm is no moment for a full garbage collection
        try:
            snapshot = connect_state(workshop, token)
        except Exception:
            # A refused connect gets no disconnect event: forget the phone here.
            log.exception("A phone's connect failed")
            _phones.pop(sid, None)
            realtime.connection_changed(workshop.id, -1)
            raise refusal(
                HearthError("server_error", "Something went wrong on our side. Please try again."),
                language,
            ) from None
        emit(
            Events.WELCOME,
            {
                "token": token,
                "workshop": {"title": workshop.title, "code": workshop.code},
                "reactions": list(signals.REACTIONS),
            },
        )
        emit(Events.STATE, snapshot)

    def on_disconnect(self, reason: Any = None) -> None:
        """A phone left (or its connection dropped): update the connected count."""
        joined = _phones.pop(request.sid, None)  # type: ignore[attr-defined]
        if joined is not None:
            realtime.connection_changed(joined[0], -1)

    @acknowledged
    def on_retract(self, data: Any) -> dict[str, Any]:
        """Phone → server `retract {activity_id}` or `{all: true}`: delete my answer(s)."""
        phone = _joined()
        return {"removed": responses.retract(phone.workshop_id, phone.token, data)}

    @acknowledged
    def on_ask(self, data: Any) -> dict[str, Any]:
        """Phone → server `ask {text, msg_id}`: an anonymous question, pending approval."""
        phone = _joined()
        with throttle.phone_limits("ask", phone.token, phone.client):
            question_id = questions.ask(phone.workshop_id, data)
        return {"question_id": question_id, "status": "pending"}

    @acknowledged
    def on_upvote(self, data: Any) -> dict[str, Any]:
        """Phone → server `upvote {question_id}`: counted once per identity, however often it
        reconnects; limited per phone and per address."""
        phone = _joined()
        with throttle.phone_limits("upvote", phone.token, phone.client):
            votes, counted = questions.upvote(phone.workshop_id, phone.token, data)
        return {"votes": votes, "counted": counted}

    @acknowledged
    def on_signal(self, data: Any) -> dict[str, Any]:
        """Phone → server `signal {kind: "break"}`: an unattributed alert for the facilitator."""
        phone = _joined()
        with throttle.phone_limits("signal", phone.token, phone.client):
            signals.send_signal(phone.workshop_id, data)
        return {}

    @acknowledged
    def on_react(self, data: Any) -> dict[str, Any]:
        """Phone → server `react {emoji}` from the fixed set; counted on the projector."""
        phone = _joined()
        with throttle.phone_limits("react", phone.token, phone.client):
            signals.send_reaction(phone.workshop_id, data)
        return {}
