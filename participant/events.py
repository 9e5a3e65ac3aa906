"""The /participant namespace: phones join, answer, pass and retract."""

from __future__ import annotations

from typing import Any

from flask import current_app, session
from flask_socketio import Namespace, emit, join_room

from hearth import realtime, throttle
from hearth.acks import acknowledged, refusal
from hearth.errors import HearthError
from hearth.privacy import TOKEN_PATTERN, new_participant_token
from hearth.services import questions, responses, signals
from participant.views import workshop_by_code


def _joined() -> tuple[int, str]:
    """The workshop and participant token of this socket."""
    workshop_id, token = session.get("workshop_id"), session.get("token")
    if workshop_id is None or token is None:
        raise HearthError("not_joined", "Join a workshop first.", 401)
    return workshop_id, token


class ParticipantNamespace(Namespace):
    """Socket.IO handlers for phones."""

    def on_connect(self, auth: Any = None) -> None:
        """A phone joins with {code, token?}: it gets `welcome`, then a full `state`."""
        realtime.ensure_ticker(current_app._get_current_object())  # type: ignore[attr-defined]
        auth = auth if isinstance(auth, dict) else {}
        code = auth.get("code")
        if not isinstance(code, str) or not code.strip():
            raise refusal(HearthError("unknown_code", "Enter the code shown on the screen."))
        try:
            workshop = workshop_by_code(code)
        except HearthError as error:
            raise refusal(error) from None
        token = auth.get("token")
        if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
            token = new_participant_token()
        session["workshop_id"], session["token"] = workshop.id, token
        join_room(realtime.phones_room(workshop.id))
        realtime.connection_changed(workshop.id, +1)
        activity = workshop.current_activity
        mine = responses.mine(responses.my_response(token, activity.id)) if activity else None
        emit(
            "welcome",
            {
                "token": token,
                "workshop": {"title": workshop.title, "code": workshop.code},
                "reactions": list(signals.REACTIONS),
            },
        )
        emit("state", realtime.participant_snapshot(workshop, mine))

    def on_disconnect(self, reason: Any = None) -> None:
        """A phone left (or its connection dropped): update the connected count."""
        workshop_id = session.get("workshop_id")
        if workshop_id is not None:
            realtime.connection_changed(workshop_id, -1)

    @acknowledged
    def on_answer(self, data: Any) -> dict[str, Any]:
        """Phone → server `answer {activity_id, value, msg_id}`; acked after commit."""
        workshop_id, token = _joined()
        activity_id, mine = responses.submit_answer(workshop_id, token, data)
        return {"activity_id": activity_id, "mine": mine}

    @acknowledged
    def on_pass(self, data: Any) -> dict[str, Any]:
        """Phone → server `pass {activity_id, msg_id}`; acked after commit."""
        workshop_id, token = _joined()
        activity_id, mine = responses.submit_pass(workshop_id, token, data)
        return {"activity_id": activity_id, "mine": mine}

    @acknowledged
    def on_retract(self, data: Any) -> dict[str, Any]:
        """Phone → server `retract {activity_id}` or `{all: true}`: delete my answer(s)."""
        workshop_id, token = _joined()
        return {"removed": responses.retract(workshop_id, token, data)}

    @acknowledged
    def on_ask(self, data: Any) -> dict[str, Any]:
        """Phone → server `ask {text, msg_id}`: an anonymous question, pending approval."""
        workshop_id, token = _joined()
        with throttle.within_limit("ask", token):
            question_id = questions.ask(workshop_id, data)
        return {"question_id": question_id, "status": "pending"}

    @acknowledged
    def on_upvote(self, data: Any) -> dict[str, Any]:
        """Phone → server `upvote {question_id}`: counted once per phone."""
        workshop_id, token = _joined()
        votes, counted = questions.upvote(workshop_id, token, data)
        return {"votes": votes, "counted": counted}

    @acknowledged
    def on_signal(self, data: Any) -> dict[str, Any]:
        """Phone → server `signal {kind: "break"}`: an unattributed alert for the facilitator."""
        workshop_id, token = _joined()
        with throttle.within_limit("signal", token):
            signals.send_signal(workshop_id, data)
        return {}

    @acknowledged
    def on_react(self, data: Any) -> dict[str, Any]:
        """Phone → server `react {emoji}` from the fixed set; counted on the projector."""
        workshop_id, token = _joined()
        with throttle.within_limit("react", token):
            signals.send_reaction(workshop_id, data)
        return {}
