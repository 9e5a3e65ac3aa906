"""Facilitator accounts, API tokens and the one-time setup link."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection
from datetime import timedelta

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from hearth import changes
from hearth.changes import ControlRoomsClosed
from hearth.errors import HearthError
from hearth.extensions import db, writing
from hearth.models import (
    ApiToken,
    Facilitator,
    SetupToken,
    Workshop,
    WorkshopFacilitator,
    now_utc,
    today_utc,
)

MIN_PASSWORD_LENGTH = 10
# scrypt (Werkzeug's default KDF) is memory-hard; the parameters are Werkzeug's.
PASSWORD_METHOD = "scrypt"
# The first-run link printed on the console works this long.
SETUP_LINK_LIFETIME = timedelta(hours=24)
MAX_TOKEN_DAYS = 3650

# A hash of a random password, made once per method: an unknown email is checked against it,
# so it costs one scrypt check, as a known email with a wrong password does.
_dummy_hashes: dict[str, str] = {}


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
            "weak_password",
            "Choose a password of at least %(length)s characters.",
            length=MIN_PASSWORD_LENGTH,
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


def _dummy_hash() -> str:
    """The precomputed hash an unknown email's password is checked against."""
    if PASSWORD_METHOD not in _dummy_hashes:
        _dummy_hashes[PASSWORD_METHOD] = generate_password_hash(
            secrets.token_urlsafe(16), method=PASSWORD_METHOD
        )
    return _dummy_hashes[PASSWORD_METHOD]


def authenticate(email: str, password: str) -> Facilitator | None:
    """Return the facilitator for these credentials, or None.

    An unknown email costs one password check too (against a precomputed hash), so the time
    a login takes does not tell whether an account exists (bench/login_timing.py measures it).
    """
    facilitator = db.session.scalar(
        select(Facilitator).where(Facilitator.email == normalise_email(email))
    )
    if facilitator is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(facilitator.password_hash, password):
        return None
    return facilitator


def facilitator_for_session(user_id: str) -> Facilitator | None:
    """flask-login's loader: the facilitator of a cookie's "<id>.<version>", if still current."""
    facilitator_id, _, version = user_id.partition(".")
    if not (facilitator_id.isdigit() and version.isdigit()) or len(user_id) > 40:
        return None
    facilitator = db.session.get(Facilitator, int(facilitator_id))
    if facilitator is None or facilitator.session_version != int(version):
        return None
    return facilitator


def end_sessions(facilitator: Facilitator) -> None:
    """End every login session of this facilitator: their cookies stop working at once, and
    their open control rooms stop receiving (a page reconnects and is asked to log in)."""
    with writing():
        facilitator.session_version += 1
        _close_control_rooms(facilitator.id)


def _close_control_rooms(facilitator_id: int) -> None:
    """Record that this facilitator's open control rooms must close (in a transaction)."""
    changes.record(ControlRoomsClosed(facilitator_id, tuple(_workshop_ids(facilitator_id))))


def _workshop_ids(facilitator_id: int) -> list[int]:
    """The workshops a facilitator owns or co-facilitates."""
    owned = db.session.scalars(select(Workshop.id).where(Workshop.owner_id == facilitator_id))
    shared = db.session.scalars(
        select(WorkshopFacilitator.workshop_id).where(
            WorkshopFacilitator.facilitator_id == facilitator_id
        )
    )
    return [*owned, *shared]


def find_facilitator(email: str) -> Facilitator:
    """The facilitator with this email, or not_found."""
    facilitator = db.session.scalar(
        select(Facilitator).where(Facilitator.email == normalise_email(email))
    )
    if facilitator is None:
        raise HearthError(
            "not_found", "No facilitator has the email address %(email)s.", 404, email=email
        )
    return facilitator


def change_password(email: str, password: str, confirm: str) -> Facilitator:
    """Set a new password and end every session made with the old one."""
    facilitator = find_facilitator(email)
    check_new_password(password, confirm)
    with writing():
        facilitator.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)
        facilitator.session_version += 1
        _close_control_rooms(facilitator.id)
    return facilitator


def facilitator_count() -> int:
    """How many facilitator accounts exist."""
    return db.session.scalar(select(func.count(Facilitator.id))) or 0


def issue_api_token(email: str, days: int | None = None) -> str:
    """Create a bearer token for a facilitator and return it (only its digest is kept).

    With `days`, the token works until the end of the day `days` days from now.
    """
    facilitator = find_facilitator(email)
    if days is not None and not 1 <= days <= MAX_TOKEN_DAYS:
        raise HearthError(
            "invalid_value", "Choose between 1 and %(most)s days.", most=MAX_TOKEN_DAYS
        )
    token = secrets.token_urlsafe(32)
    expires_on = today_utc() + timedelta(days=days) if days is not None else None
    with writing():
        db.session.add(
            ApiToken(facilitator_id=facilitator.id, digest=digest(token), expires_on=expires_on)
        )
    return token


def facilitator_for_token(token: str) -> Facilitator | None:
    """Return the facilitator a bearer token belongs to, or None (unknown, revoked, expired).

    The day it was last used is recorded (one write a day at most).
    """
    if not token or len(token) > 128:
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.digest == digest(token)))
    if row is None:
        return None
    today = today_utc()
    if row.expires_on is not None and row.expires_on < today:
        return None
    if row.last_used_on != today:
        with writing():
            row.last_used_on = today
    return row.facilitator


def api_tokens(email: str | None = None) -> list[ApiToken]:
    """Every API token (of one facilitator, with an email), oldest first."""
    query = select(ApiToken).order_by(ApiToken.id)
    if email is not None:
        query = query.where(ApiToken.facilitator_id == find_facilitator(email).id)
    return list(db.session.scalars(query))


def revoke_api_token(token_id: int) -> str:
    """Delete an API token by its id (from `hearth token list`); return its owner's email.

    It stops working at once, for the API and for a socket's next action.
    """
    with writing():
        row = db.session.get(ApiToken, token_id)
        if row is None:
            raise HearthError("not_found", "No API token has the id %(id)s.", 404, id=str(token_id))
        email = row.facilitator.email
        db.session.delete(row)
    return email


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


def setup_token_state(token: str) -> str:
    """ "valid", "expired" (older than 24 hours) or "invalid" (used, replaced, or never made)."""
    if facilitator_count() or not token or len(token) > 128:
        return "invalid"
    row = db.session.scalar(select(SetupToken).where(SetupToken.digest == digest(token)))
    if row is None:
        return "invalid"
    if now_utc() - row.created_at > SETUP_LINK_LIFETIME:
        return "expired"
    return "valid"


def setup_token_is_valid(token: str) -> bool:
    """True if the token is the current one-time setup token, not expired, and no account exists."""
    return setup_token_state(token) == "valid"


def set_language(facilitator: Facilitator, language: str, known: Collection[str]) -> None:
    """The facilitator's own language for their pages; "" goes back to the browser's."""
    if language and language not in known:
        raise HearthError("invalid_value", "Choose one of the languages offered.")
    with writing():
        facilitator.language = language or None
