"""Hostile Socket.IO packets over a real connection: the phone stays connected and counted once.

The Socket.IO test client encodes what it sends itself, so it cannot send what a hand-made
client can: event names that are not text, Socket.IO's own event names, broken JSON, binary
attachments, Engine.IO junk. Here a raw WebSocket speaks the wire protocol to a real server
(room mode); after every packet the phone must still be connected, each packet that asked for
an ack gets one of the documented shape (docs/protocol.md), and in the end one valid answer
counts once and the room counts one phone.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import websocket

from .conftest import Cluster, prepare_database, room_mode_env

DEEP = "[" * 5000 + "]" * 5000
# (what follows `42/participant,<id>`, the error code of the ack)
HOSTILE_EVENTS = [
    ('["answer",' + DEEP + "]", "invalid_payload"),
    ('["connect",{},{"code":"CODE"}]', "unknown_event"),
    ('["connect",{"code":"CODE"}]', "unknown_event"),
    ('["disconnect","client namespace disconnect"]', "unknown_event"),
    ('["connect_error",{}]', "unknown_event"),
    ("[123,{}]", "unknown_event"),
    ("[null]", "unknown_event"),
    ("[]", "unknown_event"),
    ('{"a":1}', "unknown_event"),
    ('"answer"', "unknown_event"),
    ('["nosuchevent",{}]', "unknown_event"),
    ('["answer"]', "invalid_payload"),
    ('["answer",1,2,3]', "invalid_payload"),
    ('["answer",NaN]', "invalid_payload"),
    ('["answer",{"activity_id":1e999,"value":0,"msg_id":"m"}]', "invalid_payload"),
    ('["ask",{"text":"ok\\ud800","msg_id":"m"}]', "invalid_value"),
    ('["retract",{"activity_id":' + "9" * 99 + "}]", None),
]
# Packets that ask for no ack, or cannot be read: nothing comes back, the phone stays.
JUNK = [
    '42/participant,["answer",{}]',
    '42/participant,7["answer",{',
    '42/participant,99999999999999999999999999999999999999999999999999["retract",{}]',
    '43/participant,5[{"ok":true}]',
    '42/facilitator,["act",{"action":"end"}]',
    "4x",
    "9",
]


class RawPhone:
    """A phone speaking Engine.IO v4 / Socket.IO v5 by hand over one WebSocket."""

    def __init__(self, url: str, code: str) -> None:
        self.ws = websocket.create_connection(
            url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket", timeout=5
        )
        assert self.ws.recv().startswith("0{")  # Engine.IO open
        self.ws.send("40/participant," + json.dumps({"code": code}))
        self.ids = iter(range(1, 10**6))
        self.read_until(lambda frame: frame.startswith("40/participant,{"))

    def read_until(self, done: Any, timeout: float = 5) -> str:
        """Read frames (answering pings) until one satisfies `done`; return it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            frame = self.ws.recv()
            if frame == "2":
                self.ws.send("3")
            elif isinstance(frame, str) and done(frame):
                return frame
        raise AssertionError("no such frame arrived")

    def call(self, body: str, binary: bytes | None = None) -> Any:
        """Send an event with an ack id and return the ack's data."""
        ack_id = next(self.ids)
        if binary is None:
            self.ws.send(f"42/participant,{ack_id}{body}")
        else:
            self.ws.send(f"451-/participant,{ack_id}{body}")
            self.ws.send_binary(binary)
        frame = self.read_until(lambda f: f.startswith(f"43/participant,{ack_id}["))
        return json.loads(frame[len(f"43/participant,{ack_id}") :])[0]

    def close(self) -> None:
        self.ws.close()


@pytest.fixture
def room_server(tmp_path: Path) -> Iterator[tuple[Cluster, str]]:
    """One Hearth process in room mode (SQLite), started."""
    env = room_mode_env(tmp_path)
    cluster = Cluster(env=env, instance=tmp_path, token=prepare_database(env))
    url = cluster.start("hearth")
    yield cluster, url
    cluster.stop_all()


def _api(cluster: Cluster, url: str, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {cluster.token}"}
    response = requests.request(
        method, f"{url}/api/v1{path}", json=body, headers=headers, timeout=10
    )
    assert response.status_code < 300, response.text
    return response.json()


def test_hostile_packets_leave_the_phone_connected_and_counted_once(
    room_server: tuple[Cluster, str],
) -> None:
    cluster, url = room_server
    plan = {
        "title": "Wire",
        "activities": [{"kind": "choice", "prompt": "?", "options": ["a", "b"]}],
    }
    plan_id = _api(cluster, url, "POST", "/plans", plan)["id"]
    workshop = _api(
        cluster, url, "POST", "/workshops", {"plan": plan_id, "settings": {"min_group": 3}}
    )
    control = _api(
        cluster, url, "POST", f"/workshops/{workshop['id']}/actions", {"action": "start"}
    )
    activity_id = control["control"]["activities"][0]["id"]
    phone = RawPhone(url, workshop["code"])
    probe = '["retract",{"activity_id":' + str(activity_id) + "}]"
    try:
        for body, code in HOSTILE_EVENTS:
            ack = phone.call(body.replace("CODE", workshop["code"]))
            assert ack["ok"] is False and set(ack["error"]) == {"code", "message"}, (body, ack)
            if code is not None:
                assert ack["error"]["code"] == code, (body[:60], ack)
            assert phone.call(probe)["ok"] is True, f"the phone lost its place after {body[:60]}"
        ack = phone.call('["answer",{"_placeholder":true,"num":0}]', binary=b"\x00\xff")
        assert ack["error"]["code"] == "invalid_payload", ack
        for frame in JUNK:
            phone.ws.send(frame)
            assert phone.call(probe)["ok"] is True, f"the phone lost its place after {frame!r}"
        answer = {"activity_id": activity_id, "value": 1, "msg_id": "the-one-answer"}
        assert phone.call(json.dumps(["answer", answer]))["ok"] is True
        assert phone.call(json.dumps(["answer", answer]))["ok"] is True  # a retry
        state = _api(cluster, url, "GET", f"/workshops/{workshop['id']}")
        assert state["connected"] == 1, "one socket must count as one phone"
        assert state["activities"][0]["answered"] == 1
    finally:
        phone.close()
