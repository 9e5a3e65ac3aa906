"""Rate limits on failed join codes and logins, kept in memory only.

The client address is used as a limit key for a minute at most, hashed, and never stored or
logged. Only failures count, so a venue where every phone shares one address can still join.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, request
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from hearth.errors import HearthError

_limiter = MovingWindowRateLimiter(MemoryStorage())


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


def check_not_limited(scope: str, subject: str | None = None) -> None:
    """Refuse with rate_limited when this client has used up its attempts in this scope."""
    if not _limiter.test(parse(_rate(scope)), scope, _client_key(scope, subject)):
        raise HearthError(
            "rate_limited", "Too many attempts. Please wait a minute and try again.", 429
        )


def count_attempt(scope: str, subject: str | None = None) -> None:
    """Count one attempt against this client (a wrong code or password, a question sent)."""
    _limiter.hit(parse(_rate(scope)), scope, _client_key(scope, subject))


@contextmanager
def within_limit(scope: str, subject: str | None = None) -> Iterator[None]:
    """Refuse when the limit is reached; count the attempt only if the block succeeds."""
    check_not_limited(scope, subject)
    yield
    count_attempt(scope, subject)


def reset_limits() -> None:
    """Forget every count (for tests)."""
    _limiter.storage.reset()
