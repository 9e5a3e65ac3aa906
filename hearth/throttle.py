"""Rate limits on failed join codes and logins, and per-phone limits on floodable events.

The client address (the real one behind trusted proxies, `HEARTH_TRUSTED_PROXIES`) is used as a
limit key for a minute at most, as an HMAC, and never stored or logged. Counters live in this
process's memory in room mode and in Redis in server mode, so every worker counts the same
attempts (`HEARTH_RATE_LIMIT_STORAGE`, docs/deploy.md). Only failures count, so a venue where
every phone shares one address can still join.
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


# Per-phone limits on things one person could flood: questions, break signals, reactions.
PHONE_RATES = {"ask": "5/minute", "signal": "3/minute", "react": "30/minute"}


def _client_key(scope: str, subject: str | None) -> str:
    """An in-memory key for a client (its address, or a phone's token) in a scope: an HMAC."""
    subject = subject if subject is not None else (request.remote_addr or "unknown")
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"{scope}:{subject}".encode(), hashlib.sha256).hexdigest()[:32]


def _rate(scope: str) -> str:
    """The rate for a scope: configured for join and login, fixed for phone actions."""
    if scope in PHONE_RATES:
        return PHONE_RATES[scope]
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


def reset_limits() -> None:
    """Forget every count (for tests)."""
    for limiter in _limiters.values():
        limiter.storage.reset()
