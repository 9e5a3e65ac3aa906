"""Fixtures for real-server tests: a `hearth serve` process, socket clients, Chromium.

These tests run in their own pytest process (`make e2e`), because the Socket.IO test client
used by the other tests patches the shared server object (docs/engineering.md). Nothing here imports
the application: the server is a separate process, reached only over HTTP and WebSocket.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from .live import LiveServer, Recorder, free_port

ROOT = Path(__file__).resolve().parents[2]
HEARTH = Path(sys.executable).with_name("hearth")
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = Path("/usr/bin/chromium")
# As root and offline, Debian's Chromium needs these (docs/engineering.md); without the networking
# flags it keeps trying to reach outside hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_SECONDS = 30


def _hearth(instance: Path, *args: str, stdin: str = "") -> str:
    """Run a `hearth` CLI command against the test instance and return its stdout."""
    result = subprocess.run(
        [str(HEARTH), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=_server_env(instance),
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, f"hearth {' '.join(args)}: {result.stdout}{result.stderr}"
    return result.stdout


def _server_env(
    instance: Path, port: int | None = None, extra: dict[str, str] | None = None
) -> dict[str, str]:
    """The environment of the server and CLI: this instance only, none of the caller's HEARTH_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEARTH_")}
    env["HEARTH_INSTANCE"] = str(instance)
    # Unbuffered, so the log file is complete at any moment and nothing is lost on SIGTERM.
    env["PYTHONUNBUFFERED"] = "1"
    if port is not None:
        env["HEARTH_PORT"] = str(port)
        env["HEARTH_HOST"] = "127.0.0.1"
        env["HEARTH_PUBLIC_URL"] = f"http://127.0.0.1:{port}"
    return env | (extra or {})


def _wait_for_health(base_url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    """Wait until GET /healthz answers ok, or fail with the server's output."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"hearth serve exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            reply = requests.get(f"{base_url}/healthz", timeout=2)
            if reply.status_code == 200 and reply.json().get("ok"):
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    pytest.fail(f"hearth serve did not become healthy:\n{log_path.read_text()}")


@contextlib.contextmanager
def _serve(extra_env: dict[str, str] | None = None) -> Iterator[LiveServer]:
    """Run `hearth serve` on a fresh instance and a free port until the block ends."""
    with tempfile.TemporaryDirectory(prefix="hearth-e2e-") as tmp:
        instance = Path(tmp) / "instance"
        instance.mkdir()
        port = free_port()
        live = LiveServer(
            base_url=f"http://127.0.0.1:{port}",
            port=port,
            instance=instance,
            log_path=instance / "server.log",
            email="facilitator@example.org",
            password="correct horse battery",
        )
        with live.log_path.open("wb") as log:
            process = subprocess.Popen(
                [str(HEARTH), "serve", "--port", str(port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=_server_env(instance, port, extra_env),
                cwd=ROOT,
            )
        try:
            _wait_for_health(live.base_url, process, live.log_path)
            yield live
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@contextlib.contextmanager
def _facilitated(async_mode: str) -> Iterator[LiveServer]:
    """`_serve` with a facilitator account and an API token."""
    with _serve({"HEARTH_ASYNC_MODE": async_mode}) as live:
        password = f"{live.password}\n{live.password}\n"
        _hearth(live.instance, "facilitator", "create", live.email, stdin=password)
        live.token = _hearth(live.instance, "token", "create", live.email).strip().splitlines()[-1]
        yield live


@pytest.fixture(scope="session", params=["eventlet", "gevent"])
def server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """A fresh instance served by `hearth serve`, with a facilitator and an API token.

    Every real-server and browser test runs on both async modes (docs/engineering.md): eventlet, the
    default, and gevent, the supported alternative.
    """
    with _facilitated(request.param) as live:
        yield live


@pytest.fixture(scope="module")
def room() -> Iterator[LiveServer]:
    """One eventlet server for a module whose checks are markup and the pages' code (languages,
    axe, screenshots), which do not depend on the async mode; with a facilitator and a token."""
    with _facilitated("eventlet") as live:
        yield live


@pytest.fixture
def start_server() -> Iterator[Callable[..., LiveServer]]:
    """Start another server with extra HEARTH_* settings (no account); stopped after the test."""
    with contextlib.ExitStack() as stack:
        yield lambda **env: stack.enter_context(_serve({k: str(v) for k, v in env.items()}))


@pytest.fixture
def sockets() -> Iterator[Callable[[str], Recorder]]:
    """A factory of recording socket clients; every one is disconnected after the test."""
    made: list[Recorder] = []

    def make(namespace: str) -> Recorder:
        recorder = Recorder(namespace)
        made.append(recorder)
        return recorder

    yield make
    for recorder in made:
        recorder.disconnect()


# --- Chromium ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium via Playwright; skipped if absent, unless HEARTH_REQUIRE_BROWSER=1."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("HEARTH_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    if not (ROOT / "static" / "vendor" / "socket.io").is_dir():
        pytest.fail("static/vendor/ is empty: run `make setup` to copy the front-end packages")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
