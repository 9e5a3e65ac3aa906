"""Rate limits on failed join codes and logins, kept in memory only.

The client address is used as a limit key for a minute at most, hashed, and never stored or
logged. Only failures count, so a venue where every phone shares one address can still join.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app, request
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from hearth.errors import HearthError

_limiter = MovingWindowRateLimiter(MemoryStorage())


def _client_key(scope: str) -> str:
    """An in-memory key for the requesting client in a scope (an HMAC, not the address)."""
    address = request.remote_addr or "unknown"
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"{scope}:{address}".encode(), hashlib.sha256).hexdigest()[:32]


def _rate(scope: str) -> str:
    """The configured rate for a scope ("join" or "login")."""
    return str(current_app.config[f"HEARTH_{scope.upper()}_RATE"])


def check_not_limited(scope: str) -> None:
    """Refuse with rate_limited when this client has failed too often in this scope."""
    if not _limiter.test(parse(_rate(scope)), scope, _client_key(scope)):
        raise HearthError(
            "rate_limited", "Too many attempts. Please wait a minute and try again.", 429
        )


def record_failure(scope: str) -> None:
    """Count one failed attempt (a wrong code, a wrong password) against this client."""
    _limiter.hit(parse(_rate(scope)), scope, _client_key(scope))


def reset_limits() -> None:
    """Forget every count (for tests)."""
    _limiter.storage.reset()
