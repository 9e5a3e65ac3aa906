"""Settings a real deployment needs: trusted proxies, rate limits that never lock a venue out,
TLS-only cookies and HSTS, and a CSP that names the public WebSocket origin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

WRONG_CODE = "ZZZZZZ"


@pytest.fixture
def workshop(make_workshop: Callable[..., Any]) -> Any:
    """A workshop in its lobby."""
    return make_workshop()


def _from(address: str) -> dict[str, Any]:
    """Request options for a client behind nginx: nginx itself is 127.0.0.1."""
    return {
        "environ_base": {"REMOTE_ADDR": "127.0.0.1"},
        "headers": {"X-Forwarded-For": address},
    }


def _use_up_wrong_codes(client: FlaskClient, address: str, attempts: int = 30) -> None:
    """Send wrong codes until the client at `address` is at its limit (30 a minute)."""
    for _ in range(attempts):
        assert client.get(f"/join?code={WRONG_CODE}", **_from(address)).status_code == 404


@pytest.mark.app_config(TRUSTED_PROXIES=1)
def test_behind_a_proxy_each_client_has_its_own_join_limit(client: FlaskClient) -> None:
    _use_up_wrong_codes(client, "203.0.113.7")
    assert client.get(f"/join?code={WRONG_CODE}", **_from("203.0.113.7")).status_code == 429
    # Another phone behind the same nginx is not punished for the first one's guesses.
    assert client.get(f"/join?code={WRONG_CODE}", **_from("198.51.100.2")).status_code == 404


def test_without_trusted_proxies_forwarded_headers_are_ignored(client: FlaskClient) -> None:
    # Room mode: anyone can send X-Forwarded-For, so it must not buy fresh attempts.
    for i in range(30):
        client.get(f"/join?code={WRONG_CODE}", **_from(f"203.0.113.{i}"))
    assert client.get(f"/join?code={WRONG_CODE}", **_from("198.51.100.2")).status_code == 429


@pytest.mark.app_config(TRUSTED_PROXIES=1)
def test_proxy_fix_wraps_the_socket_middleware_so_sockets_see_the_phone(app: Flask) -> None:
    from flask_socketio import _SocketIOMiddleware
    from werkzeug.middleware.proxy_fix import ProxyFix

    assert isinstance(app.wsgi_app, ProxyFix)
    assert isinstance(app.wsgi_app.app, _SocketIOMiddleware)
    assert (app.wsgi_app.x_for, app.wsgi_app.x_proto, app.wsgi_app.x_host) == (1, 1, 1)


def test_wrong_codes_never_block_a_valid_code(client: FlaskClient, workshop: Any) -> None:
    _use_up_wrong_codes(client, "127.0.0.1")
    assert client.get(f"/join?code={WRONG_CODE}").status_code == 429
    assert client.get(f"/join?code={workshop.code}").status_code == 302
    assert client.get(f"/j/{workshop.code}").status_code == 200


def test_wrong_codes_never_block_a_phone_joining_or_reconnecting(
    workshop: Any, phone: Callable[..., Any]
) -> None:
    first = phone(workshop.code)
    token = first.received("welcome")[0]["token"]
    first.disconnect(first.ns)
    refusals = [phone(WRONG_CODE).refusal for _ in range(31)]
    assert [r["code"] for r in refusals if r] == ["unknown_code"] * 30 + ["rate_limited"]
    # A newcomer with the right code and a phone coming back both get in.
    assert phone(workshop.code).alive
    back = phone(workshop.code, token)
    assert back.alive
    assert back.received("welcome")[0]["token"] == token


@pytest.fixture
def https_app(make_app: Callable[..., Flask]) -> Flask:
    """An app whose public address is https (server mode behind TLS)."""
    return make_app(PUBLIC_URL="https://hearth.example.org")


def test_https_public_url_makes_the_session_cookie_secure_and_sends_hsts(
    https_app: Flask, owner: Any
) -> None:
    client = https_app.test_client()
    reply = client.post(
        "/facilitator/login",
        data={"email": owner.email, "password": owner.password},
        base_url="https://hearth.example.org",
    )
    assert reply.status_code == 302
    cookie = reply.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie
    assert reply.headers["Strict-Transport-Security"].startswith("max-age=")


def test_http_public_url_sends_no_hsts_and_a_plain_cookie(client: FlaskClient, owner: Any) -> None:
    reply = client.post(
        "/facilitator/login", data={"email": owner.email, "password": owner.password}
    )
    assert reply.status_code == 302
    assert "Secure" not in reply.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in reply.headers


def test_csp_names_the_public_websocket_origin(https_app: Flask) -> None:
    policy = https_app.test_client().get("/").headers["Content-Security-Policy"]
    assert "connect-src 'self' wss://hearth.example.org;" in policy
    assert " ws: " not in policy and "wss: " not in policy


def test_room_mode_csp_names_the_lan_address_and_port(make_app: Callable[..., Flask]) -> None:
    app = make_app(PUBLIC_URL=None, PORT=5055)
    from hearth.network import lan_address

    policy = app.test_client().get("/").headers["Content-Security-Policy"]
    assert f"connect-src 'self' ws://{lan_address()}:5055;" in policy


@pytest.mark.parametrize("hops", ["-1", "two"])
def test_bad_trusted_proxies_setting_is_refused(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch, hops: str
) -> None:
    monkeypatch.setenv("HEARTH_TRUSTED_PROXIES", hops)
    with pytest.raises(ValueError):
        make_app()


def test_rate_limit_storage_follows_the_message_queue(tmp_path: Any) -> None:
    from hearth.config import load_settings

    room = load_settings(tmp_path, {"SECRET_KEY": "k"})
    server = load_settings(tmp_path, {"SECRET_KEY": "k", "MESSAGE_QUEUE": "redis://r:6379/0"})
    assert room["RATE_LIMIT_STORAGE"] == "memory://"
    assert server["RATE_LIMIT_STORAGE"] == "redis://r:6379/0"
    assert room["TRUSTED_PROXIES"] == 0
