"""Who may join a workshop's room: only phones holding a token this server issued for it."""

from __future__ import annotations

from typing import Any

from flask import current_app

from hearth.errors import HearthError
from hearth.models import Workshop
from hearth.privacy import is_issued_token, issue_participant_token


def invalid_token() -> HearthError:
    """A token this server did not issue for this workshop (invented, altered or another's)."""
    return HearthError(
        "invalid_token",
        "This phone's session key is not valid for this workshop. Join again with the code.",
        403,
    )


def admit_phone(workshop: Workshop, token: Any) -> str:
    """The token a phone joins with: the one it presents, if this server issued it for this
    workshop, or a new identity when it presents none (docs/privacy.md)."""
    secret = current_app.config["SECRET_KEY"]
    if token is None or token == "":
        return issue_participant_token(secret, workshop.id)
    if not is_issued_token(secret, workshop.id, token):
        raise invalid_token()
    return str(token)
