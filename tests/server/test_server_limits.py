"""Rate limits in server mode: counted in Redis across workers, per real client behind nginx.

Workers run with HEARTH_TRUSTED_PROXIES=1, as behind deploy/nginx.conf; the test plays nginx by
sending X-Forwarded-For on the WebSocket handshake, so it also proves that sockets, not only
pages, see the client's address through ProxyFix.
"""

from __future__ import annotations

import random
import re
import threading
from typing import Any

import requests
import socketio

RATE = 6  # wrong codes a minute per client in this test (HEARTH_JOIN_RATE)
WRONG = "ZZZZZZ"


def _connect(url: str, code: str, address: str, token: str | None = None) -> dict[str, Any]:
    """One phone connect from `address`: {"welcome": …} or {"refused": {code, message}}."""
    client = socketio.Client(reconnection=False)
    outcome: dict[str, Any] = {}
    done = threading.Event()

    def welcome(data: Any) -> None:
        outcome["welcome"] = data
        done.set()

    def refused(data: Any = None) -> None:
        outcome["refused"] = data
        done.set()

    client.on("welcome", welcome, namespace="/participant")
    client.on("connect_error", refused, namespace="/participant")
    auth = {"code": code, **({"token": token} if token else {})}
    try:
        client.connect(
            url,
            namespaces=["/participant"],
            auth=auth,
            transports=["websocket"],
            headers={"X-Forwarded-For": address},
            wait_timeout=10,
        )
    except socketio.exceptions.ConnectionError:
        pass
    done.wait(10)
    client.disconnect()
    return outcome


def _refusal(outcome: dict[str, Any]) -> str | None:
    """The error code of a refused connect, or None if the phone got in."""
    refused = outcome.get("refused")
    if not isinstance(refused, dict):
        return None
    return (refused.get("data") or refused).get("code")


def _address() -> str:
    """A client address of its own: Redis outlives a test, and counts last a minute."""
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


def test_join_limits_are_shared_by_workers_and_kept_per_client(cluster: Any) -> None:
    phone_a, phone_b, laptop_a, laptop_b = (_address() for _ in range(4))
    cluster.env.update(HEARTH_TRUSTED_PROXIES="1", HEARTH_JOIN_RATE=f"{RATE}/minute")
    url_a = cluster.start("a")
    url_b = cluster.start("b")
    reply = requests.post(
        f"{url_a}/api/v1/workshops",
        json={"plan": "rebuilding-trust", "settings": {"min_group": 3}},
        headers={"Authorization": f"Bearer {cluster.token}"},
        timeout=10,
    )
    assert reply.status_code == 201, reply.text
    code = reply.json()["code"]
    first = _connect(url_a, code, phone_a)
    token = first["welcome"]["token"]

    # Wrong codes from one client, alternating between the workers: Redis counts them all.
    guesses = [_connect((url_a, url_b)[i % 2], WRONG, phone_a) for i in range(RATE)]
    assert [_refusal(g) for g in guesses] == ["unknown_code"] * RATE
    assert _refusal(_connect(url_a, WRONG, phone_a)) == "rate_limited"
    assert _refusal(_connect(url_b, WRONG, phone_a)) == "rate_limited"

    # Another client behind the same nginx keeps its own attempts.
    assert _refusal(_connect(url_b, WRONG, phone_b)) == "unknown_code"
    # The limited client still joins with the right code, and its first phone reconnects.
    assert "welcome" in _connect(url_b, code, phone_a)
    back = _connect(url_a, code, phone_a, token)
    assert back["welcome"]["token"] == token

    # Logins behind the proxy are counted per client too: one person's typos lock nobody else.
    attempts = [_failed_login(url_a if i % 2 else url_b, laptop_a) for i in range(10)]
    assert attempts == [401] * 10
    assert _failed_login(url_b, laptop_a) == 429
    assert _failed_login(url_a, laptop_b) == 401


def _failed_login(url: str, address: str) -> int:
    """Log in with a wrong password from `address` (behind the proxy); the status code."""
    browser = requests.Session()
    headers = {"X-Forwarded-For": address}
    page = browser.get(f"{url}/facilitator/login", headers=headers, timeout=10).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf is not None
    reply = browser.post(
        f"{url}/facilitator/login",
        data={"csrf_token": csrf[1], "email": "lead@example.org", "password": "not the password"},
        headers=headers,
        timeout=10,
    )
    return reply.status_code
