"""Who may join a workshop's room: only phones holding a token this server issued for it, and,
while the facilitator has locked the room, no new ones (docs/privacy.md)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import update

from hearth import changes, throttle
from hearth.changes import SignalsChanged
from hearth.errors import HearthError, invalid_payload
from hearth.extensions import db, writing
from hearth.models import Workshop
from hearth.privacy import is_issued_token, issue_participant_token

HEAD_COUNT_RANGE = (1, 5000)


def invalid_token() -> HearthError:
    """A token this server did not issue for this workshop (invented, altered or another's)."""
    return HearthError(
        "invalid_token",
        "This phone's session key is not valid for this workshop. Join again with the code.",
        403,
    )


def room_locked() -> HearthError:
    """A new participant at a locked room."""
    return HearthError(
        "room_locked", "This session is closed to new people. Ask the facilitator.", 403
    )


def admit_phone(workshop: Workshop, token: Any, client: str) -> str:
    """The token a phone joins with: the one it presents, if this server issued it for this
    workshop, or a new identity when it presents none, the room is not locked and its address
    (`client`, an HMAC) has not been issued HEARTH_PHONES_PER_ADDRESS identities this hour."""
    secret = current_app.config["SECRET_KEY"]
    if token is not None and token != "":
        if not is_issued_token(secret, workshop.id, token):
            raise invalid_token()
        return str(token)
    if workshop.locked:
        _count(workshop.id, Workshop.turned_away)
        raise room_locked()
    limited = bool(current_app.config["HEARTH_PHONES_PER_ADDRESS"])
    subject = f"{workshop.id}:{client}"
    if limited:
        try:
            throttle.check_not_limited("phones", subject)
        except HearthError:
            raise HearthError(
                "rate_limited",
                "Too many people joined from this network just now. Please wait a few minutes "
                "and try again, or ask the facilitator.",
                429,
            ) from None
    token = issue_participant_token(secret, workshop.id)
    if limited:
        throttle.count_attempt("phones", subject)
    _count(workshop.id, Workshop.identities)
    return token


def _count(workshop_id: int, counter: Any) -> None:
    """Add one to a workshop's counter (atomically, so workers counting at once lose nothing)."""
    with writing():
        db.session.execute(
            update(Workshop).where(Workshop.id == workshop_id).values({counter: counter + 1})
        )
        changes.record(SignalsChanged(workshop_id))


def record_peak_connected(peaks: dict[int, int]) -> None:
    """Keep the highest number of phones connected at once (for the session summary): per
    workshop, raised to the count given if that is higher (atomically, as several workers may
    report at once)."""
    with writing():
        for workshop_id, connected in peaks.items():
            db.session.execute(
                update(Workshop)
                .where(Workshop.id == workshop_id, Workshop.peak_connected < connected)
                .values(peak_connected=connected)
            )


def act_lock(workshop: Workshop, payload: dict[str, Any]) -> None:
    """Close the room to new people; phones already issued a token still reconnect."""
    workshop.locked = True


def act_unlock(workshop: Workshop, payload: dict[str, Any]) -> None:
    """Let new people join again."""
    workshop.locked = False


def act_head_count(workshop: Workshop, payload: dict[str, Any]) -> None:
    """Keep how many people the facilitator counted in the room (`count`; null clears it)."""
    if "count" not in payload:
        raise invalid_payload("'head_count' needs a 'count': a whole number, or null to clear.")
    count = payload["count"]
    if count is None:
        workshop.head_count = None
        return
    if isinstance(count, bool) or not isinstance(count, int):
        raise invalid_payload("'count' must be a whole number of people, or null to clear it.")
    lo, hi = HEAD_COUNT_RANGE
    if not lo <= count <= hi:
        raise HearthError(
            "invalid_value", "A head count runs from %(lo)s to %(hi)s people.", lo=lo, hi=hi
        )
    workshop.head_count = count
