"""Facilitator accounts, API tokens and the one-time setup link."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from hearth.errors import HearthError
from hearth.extensions import db, writing
from hearth.models import ApiToken, Facilitator, SetupToken

MIN_PASSWORD_LENGTH = 10
# scrypt (Werkzeug's default KDF) is memory-hard; the parameters are Werkzeug's.
PASSWORD_METHOD = "scrypt"


def digest(token: str) -> str:
    """SHA-256 of a random token: enough for high-entropy secrets, and constant-time to look up."""
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    """Trim and lowercase an email address."""
    return email.strip().lower()


def check_new_password(password: str, confirm: str) -> None:
    """Refuse a password that is too short or does not match its confirmation."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise HearthError(
            "weak_password", f"Choose a password of at least {MIN_PASSWORD_LENGTH} characters."
        )
    if password != confirm:
        raise HearthError("password_mismatch", "The two passwords do not match.")


def create_facilitator(email: str, password: str, confirm: str, name: str = "") -> Facilitator:
    """Create a facilitator account with a hashed password."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254 or email.startswith("@") or email.endswith("@"):
        raise HearthError("invalid_email", "Enter a valid email address.")
    check_new_password(password, confirm)
    with writing():
        if db.session.scalar(select(Facilitator).where(Facilitator.email == email)):
            raise HearthError(
                "email_taken", "An account with that email address already exists.", 409
            )
        facilitator = Facilitator(
            email=email,
            name=name.strip()[:120],
            password_hash=generate_password_hash(password, method=PASSWORD_METHOD),
        )
        db.session.add(facilitator)
        # The first account closes the first-run door.
        for setup in db.session.scalars(select(SetupToken)):
            db.session.delete(setup)
    return facilitator


def authenticate(email: str, password: str) -> Facilitator | None:
    """Return the facilitator for these credentials, or None."""
    facilitator = db.session.scalar(
        select(Facilitator).where(Facilitator.email == normalise_email(email))
    )
    if facilitator is None:
        # Hash anyway so a missing account takes as long as a wrong password.
        check_password_hash(generate_password_hash("x", method=PASSWORD_METHOD), password)
        return None
    if not check_password_hash(facilitator.password_hash, password):
        return None
    return facilitator


def facilitator_count() -> int:
    """How many facilitator accounts exist."""
    return db.session.scalar(select(func.count(Facilitator.id))) or 0


def issue_api_token(email: str) -> str:
    """Create a bearer token for a facilitator and return it (only its digest is kept)."""
    facilitator = db.session.scalar(
        select(Facilitator).where(Facilitator.email == normalise_email(email))
    )
    if facilitator is None:
        raise HearthError("not_found", f"No facilitator has the email address {email}.", 404)
    token = secrets.token_urlsafe(32)
    with writing():
        db.session.add(ApiToken(facilitator_id=facilitator.id, digest=digest(token)))
    return token


def facilitator_for_token(token: str) -> Facilitator | None:
    """Return the facilitator a bearer token belongs to, or None."""
    if not token or len(token) > 128:
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.digest == digest(token)))
    return row.facilitator if row else None


def issue_setup_token() -> str | None:
    """While no facilitator exists, make a fresh one-time setup token (replacing older ones)."""
    if facilitator_count():
        return None
    token = secrets.token_urlsafe(24)
    with writing():
        for old in db.session.scalars(select(SetupToken)):
            db.session.delete(old)
        db.session.add(SetupToken(digest=digest(token)))
    return token


def setup_token_is_valid(token: str) -> bool:
    """True if the token is the current one-time setup token and no account exists yet."""
    if facilitator_count() or not token or len(token) > 128:
        return False
    return (
        db.session.scalar(select(SetupToken).where(SetupToken.digest == digest(token))) is not None
    )
