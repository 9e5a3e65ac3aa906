"""What the real-server tests share: the live server handle, recording socket clients, polling."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio

PLAN = "rebuilding-trust"


def wait_until(
    predicate: Callable[[], Any], timeout: float = 10.0, message: str = "condition"
) -> Any:
    """Poll `predicate` until it returns something truthy, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout:.0f} s waiting for {message}")
        time.sleep(0.05)


def free_port() -> int:
    """A TCP port nobody listens on right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Workshop:
    """A workshop created through the API, as POST /api/v1/workshops described it."""

    id: int
    code: str
    join_url: str
    present_url: str

    @property
    def present_key(self) -> str:
        """The secret last path segment of the projector link."""
        return self.present_url.rstrip("/").rsplit("/", 1)[1]


@dataclass
class LiveServer:
    """A running `hearth serve` and the facilitator account made for the tests."""

    base_url: str
    port: int
    instance: Path
    log_path: Path
    email: str
    password: str
    token: str = ""

    def api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Call /api/v1 with the bearer token."""
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return requests.request(
            method, f"{self.base_url}/api/v1{path}", headers=headers, timeout=10, **kwargs
        )

    def create_workshop(self, min_group: int = 3, plan: str = PLAN) -> Workshop:
        """Create a workshop of the built-in plan through the API."""
        reply = self.api(
            "POST", "/workshops", json={"plan": plan, "settings": {"min_group": min_group}}
        )
        assert reply.status_code == 201, reply.text
        body = reply.json()
        return Workshop(body["id"], body["code"], body["join_url"], body["present_url"])

    def control(self, workshop_id: int) -> dict[str, Any]:
        """GET /api/v1/workshops/<id>: the control snapshot."""
        reply = self.api("GET", f"/workshops/{workshop_id}")
        assert reply.status_code == 200, reply.text
        return dict(reply.json())

    def act(self, workshop_id: int, action: str, **fields: Any) -> dict[str, Any]:
        """POST an action; fail the test unless the server accepted it."""
        reply = self.api(
            "POST", f"/workshops/{workshop_id}/actions", json={"action": action, **fields}
        )
        assert reply.status_code == 200, f"{action} {fields}: {reply.status_code} {reply.text}"
        return dict(reply.json()["control"])

    def goto_first(self, workshop_id: int, kind: str) -> dict[str, Any]:
        """Start the workshop if needed and go to its first activity of `kind`; return it."""
        control = self.control(workshop_id)
        if control["phase"] == "lobby":
            control = self.act(workshop_id, "start")
        activity = next(a for a in control["activities"] if a["kind"] == kind)
        control = self.act(workshop_id, "goto", index=activity["index"])
        assert control["index"] == activity["index"] and control["accepting"], control
        return dict(activity)

    def log_text(self) -> str:
        """Everything the server process has written to stdout and stderr so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")


# --- Socket.IO clients ---------------------------------------------------------------------


@dataclass
class Recorder:
    """A python-socketio client that records every event it receives, in arrival order."""

    namespace: str
    client: socketio.Client = field(default_factory=lambda: socketio.Client(reconnection=False))
    events: list[tuple[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def listen(self, *names: str) -> Recorder:
        """Record the named events."""
        for name in names:
            self.client.on(name, self._recorder(name), namespace=self.namespace)
        return self

    def _recorder(self, name: str) -> Callable[[Any], None]:
        """A handler that appends (name, payload)."""

        def record(payload: Any = None) -> None:
            with self.lock:
                self.events.append((name, payload))

        return record

    def of(self, name: str) -> list[Any]:
        """Every payload of one event, in arrival order."""
        with self.lock:
            return [payload for event, payload in self.events if event == name]

    def connect(self, base_url: str, auth: dict[str, Any], **kwargs: Any) -> Recorder:
        """Connect over WebSocket only (as in server mode, docs/engineering.md)."""
        self.client.connect(
            base_url,
            namespaces=[self.namespace],
            auth=auth,
            transports=["websocket"],
            wait_timeout=10,
            **kwargs,
        )
        return self

    def call(self, event: str, data: Any, timeout: float = 15) -> Any:
        """Emit with an ack and return the ack's payload."""
        return self.client.call(event, data, namespace=self.namespace, timeout=timeout)

    def disconnect(self) -> None:
        """Disconnect if connected."""
        if self.client.connected:
            self.client.disconnect()
