"""A co-facilitator taken off the team, with real socket clients on two workers over Redis:
their control room on the other worker receives nothing more and cannot act."""

from __future__ import annotations

import re
import subprocess
import threading
import time
from typing import Any

import requests
import socketio

from .conftest import HEARTH, PASSWORD

COLLEAGUE = "colleague@example.org"
COLLEAGUE_ID = 2  # the cluster's first account (the owner) is 1


class ControlRoom:
    """A control-room socket (bearer token) that records `control` snapshots."""

    def __init__(self, url: str, workshop_id: int, token: str) -> None:
        self.client = socketio.Client(reconnection=False)
        self.controls: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.client.on("control", self._record, namespace="/facilitator")
        self.client.connect(
            url,
            namespaces=["/facilitator"],
            auth={"workshop_id": workshop_id, "token": token},
            transports=["websocket"],
            wait_timeout=10,
        )

    def _record(self, data: Any) -> None:
        with self.lock:
            self.controls.append(data)

    def count(self) -> int:
        """How many `control` snapshots arrived so far."""
        with self.lock:
            return len(self.controls)

    def act(self, action: str) -> Any:
        """Send `act` and return the ack."""
        return self.client.call("act", {"action": action}, namespace="/facilitator", timeout=10)


def _wait_for(predicate: Any, timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(message)


def _owner_browser(url: str) -> requests.Session:
    """The owner logged in through the login form."""
    browser = requests.Session()
    page = browser.get(f"{url}/facilitator/login", timeout=10).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf is not None
    reply = browser.post(
        f"{url}/facilitator/login",
        data={"csrf_token": csrf[1], "email": "lead@example.org", "password": PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    assert reply.status_code == 302, reply.text
    return browser


def _team_form(
    browser: requests.Session, url: str, workshop_id: int, path: str, **data: str
) -> requests.Response:
    """POST one of the control room's team forms with its CSRF token."""
    room = f"{url}/facilitator/workshops/{workshop_id}"
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', browser.get(room, timeout=10).text)
    assert csrf is not None
    return browser.post(f"{room}/{path}", data={"csrf_token": csrf[1], **data}, timeout=10)


def test_a_removed_colleague_on_another_worker_stops_receiving(cluster: Any) -> None:
    def run(*args: str, stdin: str = "") -> str:
        done = subprocess.run(
            [HEARTH, *args], env=cluster.env, input=stdin.encode(), capture_output=True, timeout=60
        )
        assert done.returncode == 0, done.stderr.decode()
        return done.stdout.decode()

    run("facilitator", "create", COLLEAGUE, stdin=f"{PASSWORD}\n{PASSWORD}\n")
    colleague_token = run("token", "create", COLLEAGUE).strip().splitlines()[-1]
    url_a, url_b = cluster.start("a"), cluster.start("b")
    headers = {"Authorization": f"Bearer {cluster.token}"}
    workshop = requests.post(
        f"{url_a}/api/v1/workshops", json={"plan": "rebuilding-trust"}, headers=headers, timeout=10
    ).json()
    wid = workshop["id"]
    owner = _owner_browser(url_a)
    assert _team_form(owner, url_a, wid, "team", email=COLLEAGUE).status_code == 200

    colleague_room = ControlRoom(url_b, wid, colleague_token)
    owner_room = ControlRoom(url_b, wid, cluster.token)
    _wait_for(lambda: colleague_room.count() and owner_room.count(), 10, "no first control")
    assert colleague_room.act("start")["ok"] is True
    _wait_for(lambda: colleague_room.count() >= 2, 10, "the colleague saw no broadcast")

    reply = _team_form(owner, url_a, wid, f"team/{COLLEAGUE_ID}/remove")
    assert "The projector link has changed" in reply.text
    time.sleep(0.5)  # the close travels through Redis to worker B
    seen = colleague_room.count()
    owner_seen = owner_room.count()
    acted = requests.post(
        f"{url_a}/api/v1/workshops/{wid}/actions",
        json={"action": "next"},
        headers=headers,
        timeout=10,
    )
    assert acted.status_code == 200, acted.text
    _wait_for(lambda: owner_room.count() > owner_seen, 10, "the owner stopped receiving")
    time.sleep(1)  # several ticks on both workers
    assert colleague_room.count() == seen
    refused = colleague_room.act("next")
    assert refused["ok"] is False and refused["error"]["code"] == "forbidden"
    colleague_room.client.disconnect()
    owner_room.client.disconnect()
