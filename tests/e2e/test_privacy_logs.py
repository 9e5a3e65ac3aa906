"""What a real server writes down about participants: no address, no user agent, no answer."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
import requests
import socketio

from .live import LiveServer, Recorder, wait_until

CANARY = uuid.uuid4().hex[:12]
USER_AGENT = f"Mozilla/5.0 (Linux; Android 14; HearthPrivacyProbe-{CANARY}) Mobile"
ANSWER = f"I check their phone at night {CANARY}"


def _addresses(text: str, public_url: str) -> list[str]:
    """Lines naming the loopback address other than as part of the configured public URL."""
    return [line for line in text.splitlines() if "127.0.0.1" in line.replace(public_url, "")]


def test_server_log_holds_no_address_user_agent_or_answer(
    server: LiveServer, sockets: Callable[[str], Recorder]
) -> None:
    """Pages, joins, answers and refusals from phones leave nothing identifying in the log."""
    workshop = server.create_workshop(min_group=3)
    headers = {"User-Agent": USER_AGENT}
    for path in (f"/j/{workshop.code}", "/", f"/join?code={workshop.code.lower()}", "/privacy"):
        reply = requests.get(server.base_url + path, headers=headers, timeout=10)
        assert reply.status_code == 200, (path, reply.status_code)
    assert (
        requests.get(f"{server.base_url}/j/ZZZZZZ", headers=headers, timeout=10).status_code == 404
    )

    refused = sockets("/participant").listen("connect_error")
    with pytest.raises(socketio.exceptions.ConnectionError):
        refused.connect(server.base_url, {"code": "ZZZZZZ"}, headers=headers)
    assert refused.of("connect_error")[0]["data"]["code"] == "unknown_code"

    activity = server.goto_first(workshop.id, "open")
    for _ in range(3):
        phone = sockets("/participant").listen("welcome", "state")
        phone.connect(server.base_url, {"code": workshop.code}, headers=headers)
        wait_until(lambda p=phone: p.of("state"), message="the phone's state")
        ack = phone.call(
            "answer", {"activity_id": activity["id"], "value": ANSWER, "msg_id": uuid.uuid4().hex}
        )
        assert ack.get("ok") is True, ack
        bad = phone.call("answer", {"activity_id": activity["id"], "value": ["not", "text"]})
        assert bad.get("ok") is False, bad
    wait_until(
        lambda: server.control(workshop.id)["progress"]["answered"] == 3,
        message="three open answers",
    )

    log = server.log_text()
    assert "Hearth is running" in log  # the capture works, so an empty result means something
    assert _addresses(log, server.base_url) == []
    assert CANARY not in log  # neither the user agent nor the answer text
    assert f"/j/{workshop.code}" not in log
    assert "GET /" not in log and "HTTP/1.1" not in log  # no access log lines at all

    # The database holds the answer (that is its job) but not who sent it or from where.
    stored = b"".join(
        path.read_bytes() for path in server.instance.glob("hearth.db*") if path.is_file()
    )
    assert ANSWER.encode() in stored or CANARY.encode() in stored
    assert USER_AGENT.encode() not in stored and b"HearthPrivacyProbe" not in stored
    assert b"127.0.0.1" not in stored


def test_access_log_when_turned_on_names_facilitator_paths_but_never_phones(
    start_server: Callable[..., LiveServer],
) -> None:
    """HEARTH_ACCESS_LOG=1 logs method, path and status, except for every participant path."""
    live = start_server(HEARTH_ACCESS_LOG=1)
    headers = {"User-Agent": USER_AGENT}
    phone_paths = ["/", "/j/ZZZZZZ", "/join?code=zzzzzz", "/privacy", "/exit", "/s/secret-key"]
    for path in ["/facilitator/login", "/healthz", *phone_paths]:
        requests.get(live.base_url + path, headers=headers, timeout=10)

    wait_until(
        lambda: "/facilitator/login" in live.log_text(),
        timeout=5,
        message="the access log line of GET /facilitator/login",
    )
    log = live.log_text()
    lines = log.splitlines()
    assert any("GET /facilitator/login 200" in line for line in lines), log
    for path in phone_paths:
        route = path.split("?")[0]
        assert not [line for line in lines if f"GET {route} " in line], (path, log)
    assert _addresses(log, live.base_url) == []
    assert CANARY not in log
