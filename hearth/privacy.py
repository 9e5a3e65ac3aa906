"""Privacy primitives: participant tokens, unlinkable response keys, masking of contact details."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Any

from itsdangerous import BadSignature, Signer

# An issued token is a random nonce and its signature; anything longer is not one of ours.
MAX_TOKEN_LENGTH = 128

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Bare domains match lowercase endings only: phones often drop the space after a full stop,
# and "I felt alone.Me too" is a sentence, not a link.
_URL = re.compile(
    r"\b(?:https?://|www\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|co|uk|de|fr|info|me|app|ly)(?:/\S*)?\b"
)
# Seven or more digits, with the spaces, dots, dashes and brackets phone numbers are written with.
_PHONE = re.compile(r"(?<!\w)\+?\(?\d(?:[\s().-]*\d){6,}(?!\w)")


def _token_signer(secret: str, workshop_id: int) -> Signer:
    """The signer of one workshop's participant tokens: its salt binds a token to the workshop."""
    return Signer(
        secret, salt=f"hearth.participant-token.{workshop_id}", digest_method=hashlib.sha256
    )


def issue_participant_token(secret: str, workshop_id: int) -> str:
    """A fresh participant token for one workshop: a random nonce, signed with the app secret.

    The phone keeps it; the server stores neither the token nor a list of tokens it issued,
    yet can tell one of its own from an invented or copied-from-another-workshop one.
    """
    return _token_signer(secret, workshop_id).sign(secrets.token_urlsafe(24)).decode()


def is_issued_token(secret: str, workshop_id: int, token: Any) -> bool:
    """True if `token` was issued by this server for this workshop."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        return False
    try:
        _token_signer(secret, workshop_id).unsign(token)
    except BadSignature:
        return False
    return True


def response_key(secret: str, token: str, subject: int | str) -> str:
    """HMAC(secret, token + subject): stable per phone and activity (or question), unlinkable
    across them. `subject` is an activity id, or "q<id>" for a question's upvote."""
    message = f"{token}:{subject}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def mask_contact_details(text: str) -> str:
    """Replace email addresses, URLs and phone numbers with neutral placeholders."""
    text = _EMAIL.sub("[email removed]", text)
    text = _URL.sub("[link removed]", text)
    return _PHONE.sub("[number removed]", text)


def stable_shuffle_key(secret: str, item_id: int) -> str:
    """An ordering key that is not arrival order yet stays put between updates."""
    return hmac.new(secret.encode(), f"order:{item_id}".encode(), hashlib.sha256).hexdigest()
