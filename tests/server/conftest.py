"""Server mode against the real PostgreSQL and Redis on 127.0.0.1 (docs/engineering.md).

These tests skip on a machine without the services, unless HEARTH_REQUIRE_SERVICES=1 (as in
CI), where a missing service fails them instead.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

PG_DSN = "host=127.0.0.1 port=5432 dbname=test user=postgres"
REDIS_URL = "redis://127.0.0.1:6379/0"
HEARTH = str(Path(sys.executable).with_name("hearth"))
PASSWORD = "server-mode-password"


def _reachable(port: int) -> bool:
    """True if something listens on 127.0.0.1:port."""
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def require_services() -> None:
    """Skip (or, with HEARTH_REQUIRE_SERVICES=1, fail) without PostgreSQL and Redis."""
    missing = [
        name for name, port in (("PostgreSQL", 5432), ("Redis", 6379)) if not _reachable(port)
    ]
    if missing:
        message = f"{' and '.join(missing)} not reachable on 127.0.0.1"
        if os.environ.get("HEARTH_REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """A fresh PostgreSQL schema for one test, dropped afterwards."""
    require_services()
    import psycopg

    schema = f"hearth_test_{secrets.token_hex(4)}"
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield schema
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def server_env(schema: str, instance: Path, channel: str, **extra: str) -> dict[str, str]:
    """Environment of a worker in server mode."""
    env = dict(os.environ)
    env.update(
        HEARTH_DATABASE_URL=(
            f"postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{schema}"
        ),
        HEARTH_MESSAGE_QUEUE=REDIS_URL,
        HEARTH_MESSAGE_QUEUE_CHANNEL=channel,
        HEARTH_INSTANCE=str(instance),
        HEARTH_SECRET_KEY="server-mode-secret-shared-by-workers",
        **extra,
    )
    return env


# Migrate, create the facilitator, print an API token: one process instead of three CLI runs.
PREPARE = f"""
from hearth import create_app
from hearth.cli import upgrade_database
from hearth.services import accounts
with create_app().app_context():
    upgrade_database()
    accounts.create_facilitator("lead@example.org", "{PASSWORD}", "{PASSWORD}")
    print(accounts.issue_api_token("lead@example.org"))
"""


def prepare_database(env: dict[str, str]) -> str:
    """Migrate a server's database and create its facilitator; return an API token."""
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", PREPARE], env=env, capture_output=True, timeout=60
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode().strip().splitlines()[-1]


def room_mode_env(instance: Path) -> dict[str, str]:
    """Environment of one process in room mode: SQLite in the instance folder, no queue."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("HEARTH_")}
    env.update(
        HEARTH_DATABASE_URL=f"sqlite:///{instance / 'hearth.db'}",
        HEARTH_INSTANCE=str(instance),
        HEARTH_SECRET_KEY="room-mode-secret-kept-across-restarts",
    )
    return env


@pytest.fixture
def pg_env(pg_schema: str, tmp_path: Path) -> dict[str, str]:
    """The environment of a server-mode process on a fresh schema."""
    return server_env(pg_schema, tmp_path, f"hearth-test-{secrets.token_hex(4)}")


@dataclass
class Cluster:
    """Workers sharing one database and one message queue."""

    env: dict[str, str]
    instance: Path
    workers: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    logs: list[Any] = field(default_factory=list)
    token: str = ""

    def start(self, name: str) -> str:
        """Start a worker on a free port and wait until it answers."""
        port = free_port()
        env = dict(self.env, HEARTH_PUBLIC_URL=f"http://127.0.0.1:{port}")
        log = (self.instance / f"{name}.log").open("wb")
        self.logs.append(log)
        self.workers[name] = subprocess.Popen(
            [HEARTH, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{url}/healthz", timeout=1).status_code == 200:
                    self.urls[name] = url
                    return url
            except requests.ConnectionError:
                pass
            if self.workers[name].poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(
            f"worker {name} did not start: {(self.instance / f'{name}.log').read_text()}"
        )

    def kill(self, name: str) -> None:
        """Kill a worker at once, as a crash would."""
        self.workers[name].kill()
        self.workers[name].wait(10)

    def stop_all(self) -> None:
        """Stop every worker."""
        for process in self.workers.values():
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
        for log in self.logs:
            log.close()


@pytest.fixture
def cluster(pg_schema: str, tmp_path: Path) -> Iterator[Cluster]:
    """An empty server-mode cluster (migrated, with a facilitator and an API token)."""
    channel = f"hearth-test-{secrets.token_hex(4)}"
    env = server_env(pg_schema, tmp_path, channel)

    def run(*args, **kw):
        return subprocess.run([HEARTH, *args], env=env, check=True, capture_output=True, **kw)  # noqa: E731

    run("db", "upgrade")
    run("facilitator", "create", "lead@example.org", input=f"{PASSWORD}\n{PASSWORD}\n".encode())
    token = run("token", "create", "lead@example.org").stdout.decode().strip().splitlines()[-1]
    result = Cluster(env=env, instance=tmp_path, token=token)
    yield result
    result.stop_all()
