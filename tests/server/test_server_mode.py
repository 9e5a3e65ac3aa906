"""Server mode: PostgreSQL that yields to eventlet, two workers over Redis, a worker crash."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections import Counter
from typing import Any

import requests
import socketio


def test_five_pg_sleeps_run_concurrently_under_eventlet(pg_env: dict[str, str]) -> None:
    # Through Hearth's own engine and monkey-patching: five green threads each wait one second
    # in PostgreSQL. A driver that blocks the hub would take five seconds.
    script = textwrap.dedent(
        """
        import time
        from hearth.green import monkey_patch
        monkey_patch()
        import eventlet
        from sqlalchemy import text
        from hearth import create_app
        from hearth.extensions import db
        app = create_app()
        def sleep_one_second():
            with app.app_context():
                db.session.execute(text("SELECT pg_sleep(1)"))
        with app.app_context():
            db.session.execute(text("SELECT 1"))
        started = time.monotonic()
        pool = eventlet.GreenPool()
        for _ in range(5):
            pool.spawn(sleep_one_second)
        pool.waitall()
        print(f"{time.monotonic() - started:.2f}")
        """
    )
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script], env=pg_env, capture_output=True, timeout=60
    )
    assert done.returncode == 0, done.stderr.decode()
    elapsed = float(done.stdout.decode().strip().splitlines()[-1])
    assert elapsed < 2.5, f"five concurrent pg_sleep(1) took {elapsed} s"


class Recorder:
    """A socket client that keeps every event it receives."""

    def __init__(self) -> None:
        self.client = socketio.Client(reconnection=False)
        self.events: list[tuple[str, Any]] = []
        self.lock = threading.Lock()
        self.client.on("*", self._record, namespace="*")

    def _record(self, event: str, namespace: str, data: Any = None) -> None:
        with self.lock:
            self.events.append((event, data))

    def of(self, event: str) -> list[Any]:
        """Every payload of one event, in arrival order."""
        with self.lock:
            return [data for name, data in self.events if name == event]


def _api(cluster: Any, url: str, method: str, path: str, **body: Any) -> Any:
    headers = {"Authorization": f"Bearer {cluster.token}"}
    response = requests.request(
        method, f"{url}/api/v1{path}", json=body or None, headers=headers, timeout=10
    )
    assert response.status_code < 300, response.text
    return response.json()


def _phone(url: str, code: str, token: str | None = None) -> Recorder:
    phone = Recorder()
    auth = {"code": code, **({"token": token} if token else {})}
    phone.client.connect(url, namespaces=["/participant"], auth=auth, transports=["websocket"])
    return phone


def _wait_for(predicate: Any, timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(message)


def test_two_workers_share_one_exact_tally_and_survive_a_crash(cluster: Any) -> None:
    url_a = cluster.start("a")
    url_b = cluster.start("b")
    workshop = _api(
        cluster, url_a, "POST", "/workshops", plan="rebuilding-trust", settings={"min_group": 3}
    )
    wid, code = workshop["id"], workshop["code"]
    _api(cluster, url_a, "POST", f"/workshops/{wid}/actions", action="start")
    control = _api(cluster, url_b, "GET", f"/workshops/{wid}")
    choice = next(a for a in control["activities"] if a["kind"] == "choice")
    options = 6
    _api(cluster, url_b, "POST", f"/workshops/{wid}/actions", action="goto", index=choice["index"])
    _api(cluster, url_a, "POST", f"/workshops/{wid}/actions", action="reveal")

    projector = Recorder()
    key = workshop["present_url"].rsplit("/", 1)[1]
    projector.client.connect(
        url_a, namespaces=["/present"], auth={"key": key}, transports=["websocket"]
    )

    phones = [_phone(url_a if i % 2 == 0 else url_b, code) for i in range(40)]
    tokens = []
    for phone in phones:
        _wait_for(lambda p=phone: p.of("welcome"), 10, "no welcome")
        tokens.append(phone.of("welcome")[0]["token"])
    final: dict[int, tuple[int, str]] = {}
    for i, phone in enumerate(phones):
        answer = (i * 7) % options
        msg_id = uuid.uuid4().hex
        ack = phone.client.call(
            "answer",
            {"activity_id": choice["id"], "value": answer, "msg_id": msg_id},
            namespace="/participant",
            timeout=10,
        )
        assert ack["ok"], ack
        final[i] = (answer, msg_id)

    # Worker B dies. Its phones come back through worker A with their tokens and replay their
    # last message (the ack may have been lost): nothing acknowledged is lost or counted twice.
    cluster.kill("b")
    for i in range(1, len(phones), 2):
        phones[i].client.disconnect()
        phones[i] = _phone(url_a, code, tokens[i])
        answer, msg_id = final[i]
        ack = phones[i].client.call(
            "answer",
            {"activity_id": choice["id"], "value": answer, "msg_id": msg_id},
            namespace="/participant",
            timeout=10,
        )
        assert ack["ok"], ack
        assert phones[i].of("state")[0]["mine"] == {"value": answer, "passed": False}

    expected = [0] * options
    for answer, _ in final.values():
        expected[answer] += 1

    def exact() -> bool:
        results = [r for r in projector.of("results") if r["activity_id"] == choice["id"]]
        latest = max(results, key=lambda r: r["version"], default=None)
        return latest is not None and latest.get("counts") == expected and latest["answered"] == 40

    _wait_for(exact, 10, f"projector never showed {expected}: {projector.of('results')[-3:]}")
    # Two workers each send at most one tally per tick: far fewer messages than answers.
    tallies = [r for r in projector.of("results") if r["activity_id"] == choice["id"]]
    assert len(tallies) <= 30, len(tallies)
    # Two workers' tallies may arrive out of order through Redis; clients keep the highest
    # version, which is why `exact()` above judges by version, not by arrival.
    assert max(r["version"] for r in tallies) > min(r["version"] for r in tallies)

    # Worker B's connection count goes stale and drops out: A alone holds all 40 phones now.
    _wait_for(
        lambda: _api(cluster, url_a, "GET", f"/workshops/{wid}")["connected"] == 40,
        12,
        "connected count did not settle at 40",
    )
    assert sum(Counter(a for a, _ in final.values()).values()) == 40
    for phone in phones:
        phone.client.disconnect()
    projector.client.disconnect()
