"""The /facilitator and /present namespaces: the control room and the projector."""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, request, session
from flask_login import current_user
from flask_socketio import emit, join_room
from sqlalchemy import select

from hearth import realtime
from hearth.acks import GuardedNamespace, acknowledged, refusal
from hearth.errors import HearthError
from hearth.extensions import db
from hearth.i18n import known_language
from hearth.models import Facilitator, Workshop
from hearth.realtime import Events
from hearth.services import accounts, workshops


def _facilitator(auth: dict[str, Any]) -> Facilitator:
    """The facilitator behind a socket: the login cookie, or a bearer token in auth.

    The socket's session remembers the credential, so that `act` can check it still holds.
    """
    if current_user.is_authenticated:
        session["session_version"] = current_user.session_version
        return current_user
    token = auth.get("token")
    facilitator = accounts.facilitator_for_token(token) if isinstance(token, str) else None
    if facilitator is None:
        raise HearthError("unauthorized", "Log in as a facilitator first.", 401)
    session["token"] = token
    return facilitator


def _still_signed_in() -> Facilitator:
    """The facilitator of this socket, while its login session or bearer token still holds."""
    facilitator_id = session.get("facilitator_id")
    facilitator = db.session.get(Facilitator, facilitator_id) if facilitator_id else None
    token = session.get("token")
    if token is not None:
        valid = facilitator is not None and accounts.facilitator_for_token(token) is facilitator
    else:
        valid = (
            facilitator is not None
            and session.get("session_version") == facilitator.session_version
        )
    if not valid:
        raise HearthError("unauthorized", "Log in again, then reopen the control room.", 401)
    assert facilitator is not None
    return facilitator


def _workshop_for(auth: Any) -> Workshop:
    """The workshop a facilitator socket asks for, if the facilitator may run it."""
    auth = auth if isinstance(auth, dict) else {}
    facilitator = _facilitator(auth)
    workshop = workshops.managed_workshop(facilitator, auth.get("workshop_id"))
    session["facilitator_id"] = facilitator.id
    return workshop


class FacilitatorNamespace(GuardedNamespace):
    """Socket.IO handlers for control-room tabs."""

    def language(self, sid: str) -> str:
        """The facilitator's own language, as on their pages; else the browser's."""
        signed_in = has_request_context() and current_user.is_authenticated
        own = known_language(current_user.language) if signed_in else None
        return own or super().language(sid)

    def on_connect(self, auth: Any = None) -> None:
        """A control-room tab joins: it gets `control` and every activity's `results`."""
        realtime.ensure_ticker(current_app._get_current_object())  # type: ignore[attr-defined]
        try:
            workshop = _workshop_for(auth)
        except HearthError as error:
            raise refusal(error, self.language(request.sid)) from None  # type: ignore[attr-defined]
        session["workshop_id"] = workshop.id
        join_room(realtime.facilitator_room(workshop.id, session["facilitator_id"]))
        emit(Events.CONTROL, realtime.control_state(workshop))
        for results in realtime.facilitator_results(workshop):
            emit(Events.RESULTS, results)

    @acknowledged
    def on_act(self, data: Any) -> dict[str, Any]:
        """Facilitator → server `act {action, ...}`; broadcasts fresh snapshots on the tick."""
        workshop_id = session.get("workshop_id")
        if workshop_id is None:
            raise HearthError("unauthorized", "Reconnect to the control room.", 401)
        # The login may have ended (logout, a new password) or the token been revoked since
        # the socket connected.
        facilitator = _still_signed_in()
        # Checked on every action, not only at connect: a co-facilitator taken off the team
        # loses control at once, even with the control room still open.
        workshops.managed_workshop(facilitator, workshop_id)
        workshops.perform_action(workshop_id, data)
        workshop = db.session.get(Workshop, workshop_id)
        assert workshop is not None
        return {"control": realtime.control_state(workshop)}


class PresentNamespace(GuardedNamespace):
    """Socket.IO handlers for projectors."""

    def on_connect(self, auth: Any = None) -> None:
        """A projector joins with {key} or a facilitator login: it gets a full `present`."""
        realtime.ensure_ticker(current_app._get_current_object())  # type: ignore[attr-defined]
        auth = auth if isinstance(auth, dict) else {}
        key = auth.get("key")
        try:
            if isinstance(key, str) and key:
                workshop = db.session.scalar(select(Workshop).where(Workshop.present_key == key))
                if workshop is None:
                    raise HearthError("not_found", "This projector link is not valid.", 404)
            else:
                workshop = _workshop_for(auth)
        except HearthError as error:
            raise refusal(error, self.language(request.sid)) from None  # type: ignore[attr-defined]
        join_room(realtime.present_room(workshop.id))
        emit(Events.PRESENT, realtime.present_snapshot(workshop))
