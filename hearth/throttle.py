"""Rate limits on failed join codes and logins, and per-phone limits on floodable events.

The client address (the real one behind trusted proxies, `HEARTH_TRUSTED_PROXIES`) is used as a
limit key for an hour at most, as an HMAC, and never stored or logged. Counters live in this
process's memory in room mode and in Redis in server mode, so every worker counts the same
attempts (`HEARTH_RATE_LIMIT_STORAGE`, docs/deploy.md). For join codes and logins only failures
count, so a venue where every phone shares one address can still join; new participant
identities count too, up to `HEARTH_PHONES_PER_ADDRESS` per workshop an hour (docs/privacy.md).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, request
from limits import parse
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from hearth.errors import HearthError

log = logging.getLogger(__name__)

# One limiter per storage URI ("memory://", "redis://..."), made on first use.
_limiters: dict[str, MovingWindowRateLimiter] = {}


# Per-phone limits, a minute, on things one person could flood: questions, break signals,
# reactions, upvotes. Keyed by the phone's token, and again by its address, so that fresh
# identities from one device do not multiply them.
PHONE_RATES = {"ask": 5, "signal": 3, "react": 30, "upvote": 10}
# An address may stand for several phones (a household's router, a venue's NAT): it gets the
# allowance of one phone for every ADDRESS_SHARE of HEARTH_PHONES_PER_ADDRESS, at least one's.
ADDRESS_SHARE = 10
ADDRESS_SUFFIX = "@address"


def _client_key(scope: str, subject: str | None) -> str:
    """An in-memory key for a client (its address, or a phone's token) in a scope: an HMAC."""
    subject = subject if subject is not None else (request.remote_addr or "unknown")
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"{scope}:{subject}".encode(), hashlib.sha256).hexdigest()[:32]


def client_key() -> str:
    """This request's client, as an HMAC of its address: a limit key held in memory (or in the
    rate-limit storage), never stored with anything or logged."""
    return _client_key("client", None)


def address_rate(action: str) -> int | None:
    """How many of a phone action one address may send a minute (docs/privacy.md); None when
    HEARTH_PHONES_PER_ADDRESS is 0, which turns the per-address limits off."""
    phones = int(current_app.config["HEARTH_PHONES_PER_ADDRESS"])
    if not phones:
        return None
    return PHONE_RATES[action] * max(1, phones // ADDRESS_SHARE)


def _rate(scope: str) -> str:
    """The rate for a scope: configured for join, login and new identities, derived for phones."""
    if scope in PHONE_RATES:
        return f"{PHONE_RATES[scope]}/minute"
    if scope.endswith(ADDRESS_SUFFIX):
        return f"{address_rate(scope.removesuffix(ADDRESS_SUFFIX))}/minute"
    if scope == "phones":
        return f"{current_app.config['HEARTH_PHONES_PER_ADDRESS']}/hour"
    return str(current_app.config[f"HEARTH_{scope.upper()}_RATE"])


def _limiter() -> MovingWindowRateLimiter:
    """The limiter on this app's counter storage."""
    uri = str(current_app.config["HEARTH_RATE_LIMIT_STORAGE"])
    limiter = _limiters.get(uri)
    if limiter is None:
        storage = storage_from_string(uri, key_prefix="hearth-limits")
        assert isinstance(storage, Storage)  # a synchronous storage: memory:// or redis://
        limiter = _limiters[uri] = MovingWindowRateLimiter(storage)
    return limiter


def check_not_limited(scope: str, subject: str | None = None) -> None:
    """Refuse with rate_limited when this client has used up its attempts in this scope."""
    try:
        allowed = _limiter().test(parse(_rate(scope)), scope, _client_key(scope, subject))
    except Exception as error:
        # Redis away for a moment: let people in rather than lock every venue out.
        log.warning("Rate-limit storage unavailable (%s); not limiting", type(error).__name__)
        return
    if not allowed:
        raise HearthError(
            "rate_limited", "Too many attempts. Please wait a minute and try again.", 429
        )


def count_attempt(scope: str, subject: str | None = None) -> None:
    """Count one attempt against this client (a wrong code or password, a question sent)."""
    try:
        _limiter().hit(parse(_rate(scope)), scope, _client_key(scope, subject))
    except Exception as error:
        log.warning("Rate-limit storage unavailable (%s); not counted", type(error).__name__)


@contextmanager
def within_limit(scope: str, subject: str | None = None) -> Iterator[None]:
    """Refuse when the limit is reached; count the attempt only if the block succeeds."""
    check_not_limited(scope, subject)
    yield
    count_attempt(scope, subject)


@contextmanager
def phone_limits(action: str, token: str, client: str) -> Iterator[None]:
    """Refuse when this phone, or the address it connects from, has used up its rate for
    `action`; count both once the block succeeds."""
    keys = [(action, token)]
    if address_rate(action) is not None:
        keys.append((action + ADDRESS_SUFFIX, client))
    for scope, subject in keys:
        check_not_limited(scope, subject)
    yield
    for scope, subject in keys:
        count_attempt(scope, subject)


def reset_limits() -> None:
    """Forget every count (for tests)."""
    for limiter in _limiters.values():
        limiter.storage.reset()
