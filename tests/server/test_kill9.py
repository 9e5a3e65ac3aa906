"""kill -9 mid-burst: 50 phones answering, the server SIGKILLed and restarted on the same database.

An ack is a promise (docs/protocol.md): every answer the server acknowledged must still be
there after a crash, and no answer may count twice, even when phones replay the message
whose ack the crash swallowed (the phone's outbox does exactly that). Run on SQLite (room
mode) and on PostgreSQL (server mode; skipped without the services unless
HEARTH_REQUIRE_SERVICES=1).

Each phone answers one open question again and again, each time with a new text, waiting for
each ack before sending the next (as the phone's outbox does). A text names its phone and
its message, so after the restart each phone's stored answer (`mine` in the snapshot it gets
on reconnect) says which message it is: the last acknowledged one, or the one in flight when
the server died; never an older one, and never nothing once something was acknowledged.
"""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio

from .conftest import Cluster, prepare_database, room_mode_env, server_env

PHONES = 50
MESSAGES_PER_PHONE = 40
# The server dies once this many answers were acknowledged: well inside the burst.
KILL_AFTER_ACKS = 300
ACK_TIMEOUT = 3.0


def _letters(number: int) -> str:
    """A number in letters (a, b, ..., ba, bb): open answers mask digits that look like phones."""
    text = ""
    while True:
        number, digit = divmod(number, 26)
        text = chr(ord("a") + digit) + text
        if number == 0:
            return text


def _text(phone: int, message: int) -> str:
    return f"phone {_letters(phone)} message {_letters(message)}"


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Cluster]:
    """One Hearth process (restartable on the same database) on SQLite or PostgreSQL."""
    if request.param == "postgresql":
        schema = request.getfixturevalue("pg_schema")
        env = server_env(schema, tmp_path, f"hearth-test-{secrets.token_hex(4)}")
    else:
        env = room_mode_env(tmp_path)
    cluster = Cluster(env=env, instance=tmp_path, token=prepare_database(env))
    yield cluster
    cluster.stop_all()


def _api(cluster: Cluster, url: str, method: str, path: str, body: Any = None) -> Any:
    response = requests.request(
        method,
        f"{url}/api/v1{path}",
        json=body,
        headers={"Authorization": f"Bearer {cluster.token}"},
        timeout=10,
    )
    assert response.status_code < 300, response.text
    return response.json()


@dataclass
class Phone:
    """One phone: its token, what the server acknowledged, and what was in flight."""

    number: int
    client: socketio.Client
    token: str = ""
    acked: str | None = None  # the text of the last acknowledged answer
    in_flight: tuple[str, str] | None = None  # (text, msg_id) sent but not acknowledged
    sent: int = 0

    def burst(self, activity_id: int, stop: threading.Event, acks: list[int]) -> None:
        """Answer again and again, one message in flight at a time, until the server dies."""
        for message in range(MESSAGES_PER_PHONE):
            if stop.is_set():
                return
            text, msg_id = _text(self.number, message), uuid.uuid4().hex
            self.in_flight = (text, msg_id)
            self.sent += 1
            try:
                ack = self.client.call(
                    "answer",
                    {"activity_id": activity_id, "value": text, "msg_id": msg_id},
                    namespace="/participant",
                    timeout=ACK_TIMEOUT,
                )
            except Exception:  # the server died: the message stays in the outbox
                return
            assert ack["ok"] is True, ack
            self.acked, self.in_flight = text, None
            acks.append(1)


def _connect(
    url: str, code: str, token: str | None = None
) -> tuple[socketio.Client, dict[str, Any]]:
    """A phone on /participant; returns it with its first `welcome` and `state`."""
    client = socketio.Client(reconnection=False)
    arrived: dict[str, Any] = {}
    got_state = threading.Event()

    @client.on("welcome", namespace="/participant")
    def welcome(data: Any) -> None:
        arrived.setdefault("welcome", data)

    @client.on("state", namespace="/participant")
    def state(data: Any) -> None:
        arrived.setdefault("state", data)
        got_state.set()

    auth = {"code": code, **({"token": token} if token else {})}
    client.connect(url, namespaces=["/participant"], auth=auth, transports=["websocket"])
    assert got_state.wait(10), "no state snapshot after connect"
    return client, arrived


def _hang_up(client: socketio.Client) -> None:
    """Disconnect; after a dead server, also close the socket engine.io leaves open."""
    client.disconnect()
    websocket = getattr(client.eio, "ws", None)
    if websocket is not None:
        websocket.close()


def _responded(cluster: Cluster, url: str, workshop_id: int, activity_id: int) -> int:
    """Phones with a row for the activity: those that answered plus those that passed."""
    control = _api(cluster, url, "GET", f"/workshops/{workshop_id}")
    row = next(a for a in control["activities"] if a["id"] == activity_id)
    return int(row["answered"] + row["passed"])


def test_every_acknowledged_answer_survives_kill_9_and_none_counts_twice(
    server: Cluster,
) -> None:
    url = server.start("hearth")
    plan = {
        "title": "Kill nine",
        "slug": "kill-nine",
        "activities": [{"kind": "open", "prompt": "Anything", "max_length": 280}],
    }
    plan_id = _api(server, url, "POST", "/plans", plan)["id"]
    workshop = _api(server, url, "POST", "/workshops", {"plan": plan_id})
    wid, code = workshop["id"], workshop["code"]
    control = _api(server, url, "POST", f"/workshops/{wid}/actions", {"action": "start"})
    activity_id = control["control"]["activities"][0]["id"]

    with ThreadPoolExecutor(10) as pool:
        joined = list(pool.map(lambda _: _connect(url, code), range(PHONES)))
    phones = [
        Phone(number, client, arrived["welcome"]["token"])
        for number, (client, arrived) in enumerate(joined)
    ]

    stop, acks = threading.Event(), []
    threads = [
        threading.Thread(target=p.burst, args=(activity_id, stop, acks), daemon=True)
        for p in phones
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(acks) < KILL_AFTER_ACKS and time.monotonic() < deadline:
        time.sleep(0.005)
    server.kill("hearth")  # SIGKILL: no shutdown, no flush, no goodbye
    stop.set()
    for thread in threads:
        thread.join(ACK_TIMEOUT + 5)
    for phone in phones:
        _hang_up(phone.client)
    total_acked = len(acks)
    assert KILL_AFTER_ACKS <= total_acked < PHONES * MESSAGES_PER_PHONE, "not mid-burst"
    in_flight = sum(1 for p in phones if p.in_flight)
    assert in_flight, "no message was in flight at the kill"
    print(f"killed after {total_acked} acks with {in_flight} messages in flight")

    url = server.start("hearth")  # the same database, a new process
    with ThreadPoolExecutor(10) as pool:
        rejoined = list(pool.map(lambda p: _connect(url, code, p.token), phones))
    stored: dict[int, str | None] = {}
    for phone, (client, arrived) in zip(phones, rejoined, strict=True):
        phone.client = client
        mine = arrived["state"]["mine"]
        stored[phone.number] = mine["value"] if mine else None
        possible = {phone.acked, phone.in_flight[0] if phone.in_flight else None}
        assert stored[phone.number] in possible, (
            f"phone {phone.number}: stored {stored[phone.number]!r}, "
            f"acknowledged {phone.acked!r}, in flight {phone.in_flight!r}"
        )
        if phone.acked is not None:
            assert stored[phone.number] is not None, f"phone {phone.number} lost its answer"
    # One row per phone that has an answer: nothing counted twice.
    answered = sum(1 for text in stored.values() if text is not None)
    assert _responded(server, url, wid, activity_id) == answered

    # The phones replay what was in flight, as their outbox does: acked, and still once each.
    for phone in phones:
        if phone.in_flight is None:
            continue
        text, msg_id = phone.in_flight
        ack = phone.client.call(
            "answer",
            {"activity_id": activity_id, "value": text, "msg_id": msg_id},
            namespace="/participant",
            timeout=10,
        )
        assert ack["ok"] is True and ack["mine"]["value"] == text, ack
    senders = sum(1 for phone in phones if phone.sent)
    assert _responded(server, url, wid, activity_id) == senders
    for phone in phones:
        phone.client.disconnect()
