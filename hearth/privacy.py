"""Privacy primitives: unlinkable response keys and masking of contact details."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Bare domains match lowercase endings only: phones often drop the space after a full stop,
# and "I felt alone.Me too" is a sentence, not a link.
_URL = re.compile(
    r"\b(?:https?://|www\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|co|uk|de|fr|info|me|app|ly)(?:/\S*)?\b"
)
# Seven or more digits, with the spaces, dots, dashes and brackets phone numbers are written with.
_PHONE = re.compile(r"(?<!\w)\+?\(?\d(?:[\s().-]*\d){6,}(?!\w)")


def new_participant_token() -> str:
    """Return a fresh random participant token (kept by the phone, never stored here)."""
    return secrets.token_urlsafe(32)


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
