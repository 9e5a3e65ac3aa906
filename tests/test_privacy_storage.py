"""What a full workshop leaves behind: no address, user agent, token, raw contact detail or
answer time anywhere in the database file or the logs (docs/privacy.md)."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from hearth.extensions import db, socketio
from hearth.privacy import response_key

PROBE_IP = "203.0.113.77"
PROBE_AGENT = "PrivacyProbe/1.0"
RAW_EMAIL = "probe.person@example.org"
RAW_PHONE = "+44 7700 900 123"
RAW_URL = "https://my-private-blog.example.net/about"
OPEN_TEXT = f"Being heard. Reach me at {RAW_EMAIL} or {RAW_PHONE}, see {RAW_URL}"


def database_files(db_path: Path) -> list[Path]:
    """The SQLite file and its WAL companions."""
    return [p for p in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")) if p.exists()]


def dump_every_table(db_path: Path) -> str:
    """Every value of every column of every table, as text."""
    connection = sqlite3.connect(db_path)
    try:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        values = []
        for table in tables:
            for row in connection.execute(f'SELECT * FROM "{table}"'):
                values += [repr(value) for value in row]
        return "\n".join(values)
    finally:
        connection.close()


def columns(db_path: Path, table: str) -> list[tuple[str, str]]:
    """(name, declared type) of each column of a table."""
    connection = sqlite3.connect(db_path)
    try:
        return [(row[1], row[2]) for row in connection.execute(f'PRAGMA table_info("{table}")')]
    finally:
        connection.close()


@pytest.fixture
def full_run(
    make_app: Callable[..., Flask],
    db_path: Path,
    make_facilitator: Callable[..., Any],
    make_workshop: Callable[..., Any],
    socket_client: Callable[..., Any],
    flush: Callable[[], int],
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> dict[str, Any]:
    """A whole workshop driven by phones and a facilitator that all send the probe's address
    and user agent: answers, passes, a retraction, open text with contact details, moderation,
    reveals and the end."""
    # Access logs on, to show that even then no address or user agent is written.
    app: Flask = make_app(ACCESS_LOG=True)
    caplog.set_level(logging.DEBUG)

    def probe_client() -> Any:
        client = app.test_client()
        client.environ_base.update({"REMOTE_ADDR": PROBE_IP, "HTTP_USER_AGENT": PROBE_AGENT})
        return client

    owner = make_facilitator()
    facilitator = probe_client()
    login = {"email": owner.email, "password": owner.password}
    assert facilitator.post("/facilitator/login", data=login).status_code == 302
    workshop = make_workshop(min_group=3, by=owner)
    assert facilitator.get(f"/facilitator/workshops/{workshop.id}").status_code == 200
    control = socket_client("/facilitator", {"workshop_id": workshop.id}, facilitator)

    phones, tokens = [], []
    for _ in range(4):
        client = probe_client()
        assert client.get(f"/join?code={workshop.code.lower()}").status_code == 302
        assert client.get(f"/j/{workshop.code}").status_code == 200
        sock = socket_client("/participant", {"code": workshop.code}, client)
        environ = socketio.server.environ[sock.eio_sid]
        assert (environ["REMOTE_ADDR"], environ["HTTP_USER_AGENT"]) == (PROBE_IP, PROBE_AGENT)
        tokens.append(sock.received("welcome")[0]["token"])
        phones.append(sock)

    def act(action: str, **fields: Any) -> None:
        assert control.call("act", {"action": action, **fields})["ok"] is True
        flush()

    scale, choice, open_ = (workshop.first(kind) for kind in ("scale", "choice", "open"))
    act("start")
    act("goto", index=scale.index)
    for sock, value in zip(phones[:3], [2, 5, 8], strict=True):
        assert sock.answer(scale, value)["ok"] is True
    assert phones[3].pass_on(scale)["ok"] is True
    flush()
    act("reveal")
    act("goto", index=choice.index)
    for sock in phones:
        assert sock.answer(choice, 1)["ok"] is True
    assert phones[3].call("retract", {"activity_id": choice.id})["removed"] == 1
    act("close")
    act("goto", index=open_.index)
    for sock in phones[:3]:
        assert sock.answer(open_, OPEN_TEXT)["ok"] is True
    flush()
    for item in control.received("control")[-1]["moderation"][:2]:
        act("approve", response_id=item["response_id"])
    act("reveal")
    act("end")
    for sock in phones:
        sock.received()
    out, err = capfd.readouterr()
    logged = "\n".join([caplog.text, *(r.getMessage() for r in caplog.records), out, err])
    return {
        "app": app,
        "workshop": workshop,
        "tokens": tokens,
        "activities": (scale, choice, open_),
        "logged": logged,
    }


def test_no_address_user_agent_or_token_in_any_table(
    full_run: dict[str, Any], db_path: Path
) -> None:
    dump = dump_every_table(db_path)
    assert "Being heard" in dump  # the dump does see the answers
    for secret in (PROBE_IP, PROBE_AGENT, *full_run["tokens"]):
        assert secret not in dump


def test_raw_contact_details_never_reach_the_database(
    full_run: dict[str, Any], db_path: Path
) -> None:
    dump = dump_every_table(db_path)
    assert "[email removed]" in dump
    for raw in (RAW_EMAIL, "probe.person", "7700 900", "my-private-blog"):
        assert raw not in dump


def test_nothing_identifying_in_the_raw_database_bytes(
    full_run: dict[str, Any], db_path: Path
) -> None:
    files = database_files(db_path)
    with full_run["app"].app_context():
        db.engine.dispose()
    files += database_files(db_path)
    raw = b"".join(path.read_bytes() for path in files)
    assert b"Being heard" in raw
    for secret in (PROBE_IP, PROBE_AGENT, RAW_EMAIL, "probe.person", *full_run["tokens"]):
        assert secret.encode() not in raw


def test_nothing_identifying_in_the_logs(full_run: dict[str, Any]) -> None:
    logged = full_run["logged"]
    assert "GET /facilitator/workshops/" in logged  # the access log was on
    for secret in (PROBE_IP, PROBE_AGENT, RAW_EMAIL, "Being heard", *full_run["tokens"]):
        assert secret not in logged
    assert f"/j/{full_run['workshop'].code}" not in logged


def test_responses_have_no_time_or_device_column(full_run: dict[str, Any], db_path: Path) -> None:
    for name, declared in columns(db_path, "response"):
        assert declared.upper() not in {"DATETIME", "DATE", "TIMESTAMP", "TIME"}, name
        for hint in ("time", "_at", "date", "ip", "agent", "device", "token", "created"):
            assert hint not in name.lower(), name


def test_a_phones_responses_cannot_be_linked_across_activities(
    full_run: dict[str, Any], db_path: Path
) -> None:
    app, token = full_run["app"], full_run["tokens"][0]
    expected = {
        response_key(app.config["SECRET_KEY"], token, activity.id)
        for activity in full_run["activities"]
    }
    connection = sqlite3.connect(db_path)
    try:
        rows = connection.execute("SELECT activity_id, key FROM response").fetchall()
    finally:
        connection.close()
    keys = [key for _, key in rows]
    assert len(expected) == 3
    assert expected <= set(keys)
    assert len(set(keys)) == len(keys)
