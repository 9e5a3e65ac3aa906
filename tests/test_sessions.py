"""Accounts and sessions: logout and a new password end sessions on the server, the login
answers an unknown email the way it answers a known one, API tokens can be listed, revoked
and expire, the setup link lapses, the instance is private, and secrets stay out of logs."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from hearth.extensions import db
from hearth.models import ApiToken, SetupToken, now_utc, today_utc
from hearth.services import accounts

NEW_PASSWORD = "a brand new password"


def _copy_of_cookie(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of this client's session cookie."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    return thief


def _in(client: FlaskClient) -> bool:
    """Whether this client reaches the dashboard (rather than the login page)."""
    return client.get("/facilitator/").status_code == 200


# --- logout and new passwords ---------------------------------------------------------------


def test_a_copied_cookie_stops_working_after_logout(
    app: Flask, facilitator_client: FlaskClient
) -> None:
    thief = _copy_of_cookie(app, facilitator_client)
    assert _in(thief)
    assert facilitator_client.post("/facilitator/logout").status_code == 302
    assert not _in(facilitator_client)
    assert not _in(thief)


def test_a_copied_cookie_stops_working_after_a_password_change(
    app: Flask, owner: Any, facilitator_client: FlaskClient, hearth_cli: Callable[..., Any]
) -> None:
    thief = _copy_of_cookie(app, facilitator_client)
    done = hearth_cli(
        "facilitator", "password", owner.email, input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n"
    )
    assert done.exit_code == 0, done.output
    assert "logged out" in done.output
    assert not _in(thief)
    assert not _in(facilitator_client)
    login = app.test_client()
    old = {"email": owner.email, "password": owner.password}
    assert login.post("/facilitator/login", data=old).status_code == 401
    new = {"email": owner.email, "password": NEW_PASSWORD}
    assert login.post("/facilitator/login", data=new).status_code == 302


@pytest.mark.parametrize(
    ("password", "message"),
    [("short", "at least 10"), (None, "No facilitator has the email")],
)
def test_password_change_refuses_weak_passwords_and_unknown_accounts(
    owner: Any, hearth_cli: Callable[..., Any], password: str | None, message: str
) -> None:
    email = owner.email if password else "nobody@example.org"
    password = password or NEW_PASSWORD
    done = hearth_cli("facilitator", "password", email, input=f"{password}\n{password}\n")
    assert done.exit_code != 0
    assert message in done.output


def test_logout_puts_the_accounts_control_rooms_out_at_once(
    app: Flask,
    facilitator_client: FlaskClient,
    facilitator_socket: Callable[..., Any],
    make_workshop: Callable[..., Any],
) -> None:
    workshop = make_workshop()
    thief = _copy_of_cookie(app, facilitator_client)
    control = facilitator_socket(workshop)
    assert control.alive
    facilitator_client.post("/facilitator/logout")
    assert not control.alive
    again = facilitator_socket(workshop, thief)
    assert not again.alive and again.refusal["code"] == "unauthorized"


def test_an_open_socket_cannot_act_once_its_session_ended(
    app: Flask,
    monkeypatch: pytest.MonkeyPatch,
    facilitator_client: FlaskClient,
    facilitator_socket: Callable[..., Any],
    make_workshop: Callable[..., Any],
) -> None:
    workshop = make_workshop()
    control = facilitator_socket(workshop)
    # As if the socket were on another worker: it stays connected, but `act` checks again.
    monkeypatch.setattr("hearth.realtime.rooms.close_control_rooms", lambda *args: None)
    facilitator_client.post("/facilitator/logout")
    ack = control.call("act", {"action": "start"})
    assert ack["ok"] is False and ack["error"]["code"] == "unauthorized"


# --- login timing -------------------------------------------------------------------------


def test_an_unknown_email_costs_one_check_against_a_precomputed_hash(
    app: Flask, owner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []
    made: list[str] = []
    real_check, real_make = accounts.check_password_hash, accounts.generate_password_hash
    monkeypatch.setattr(
        accounts, "check_password_hash", lambda h, p: checked.append(h) or real_check(h, p)
    )
    monkeypatch.setattr(
        accounts, "generate_password_hash", lambda *a, **k: made.append("x") or real_make(*a, **k)
    )
    with app.app_context():
        assert accounts.authenticate("nobody@example.org", "a guess at it") is None
        made.clear()
        for _ in range(3):
            assert accounts.authenticate("nobody@example.org", "a guess at it") is None
        assert accounts.authenticate(owner.email, "wrong password!") is None
    # One check per login, the same precomputed hash for every unknown email, no new hashing.
    assert len(checked) == 5
    assert len(set(checked[:4])) == 1
    assert made == []


# --- API tokens ---------------------------------------------------------------------------


def _token_row(app: Flask, token: str) -> ApiToken:
    """The stored row of a bearer token."""
    with app.app_context():
        row = db.session.scalar(select(ApiToken).where(ApiToken.digest == accounts.digest(token)))
        assert row is not None
        db.session.expunge(row)
        return row


def _api_status(client: FlaskClient, token: str) -> int:
    """The status of GET /api/v1/plans with this bearer token."""
    return client.get("/api/v1/plans", headers={"Authorization": f"Bearer {token}"}).status_code


def test_tokens_are_listed_with_creation_expiry_and_last_use_by_day(
    app: Flask, client: FlaskClient, owner: Any, hearth_cli: Callable[..., Any]
) -> None:
    made = hearth_cli("token", "create", owner.email, "--days", "7")
    assert made.exit_code == 0, made.output
    token = made.output.strip().splitlines()[-1]
    row = _token_row(app, token)
    assert row.expires_on == today_utc() + timedelta(days=7)
    assert row.last_used_on is None
    listed = hearth_cli("token", "list")
    assert owner.email in listed.output and "never" in listed.output
    assert _api_status(client, token) == 200
    assert _token_row(app, token).last_used_on == today_utc()
    listed = hearth_cli("token", "list", owner.email).output
    line = next(line for line in listed.splitlines() if line.strip().startswith(str(row.id)))
    assert line.count(today_utc().isoformat()) == 2  # created and last used today
    assert (today_utc() + timedelta(days=7)).isoformat() in line
    # The token itself is never shown again.
    assert token not in listed


def test_a_revoked_token_stops_working_at_once(
    app: Flask, client: FlaskClient, owner: Any, hearth_cli: Callable[..., Any]
) -> None:
    token = hearth_cli("token", "create", owner.email).output.strip().splitlines()[-1]
    assert _api_status(client, token) == 200
    done = hearth_cli("token", "revoke", str(_token_row(app, token).id))
    assert done.exit_code == 0 and owner.email in done.output
    assert _api_status(client, token) == 401
    missing = hearth_cli("token", "revoke", "9999")
    assert missing.exit_code != 0 and "No API token has the id 9999" in missing.output


def test_an_expired_token_is_refused(
    app: Flask, client: FlaskClient, owner: Any, hearth_cli: Callable[..., Any]
) -> None:
    token = hearth_cli("token", "create", owner.email, "--days", "1").output.splitlines()[-1]
    assert _api_status(client, token) == 200
    with app.app_context():
        db.session.execute(update(ApiToken).values(expires_on=today_utc() - timedelta(days=1)))
        db.session.commit()
    assert _api_status(client, token) == 401


@pytest.mark.parametrize("days", ["0", "-3", "many"])
def test_token_days_must_be_a_sensible_number(
    owner: Any, hearth_cli: Callable[..., Any], days: str
) -> None:
    assert hearth_cli("token", "create", owner.email, "--days", days).exit_code != 0


def test_a_revoked_tokens_socket_cannot_act(
    app: Flask,
    owner: Any,
    api_token: str,
    socket_client: Callable[..., Any],
    make_workshop: Callable[..., Any],
    hearth_cli: Callable[..., Any],
) -> None:
    workshop = make_workshop()
    control = socket_client("/facilitator", {"workshop_id": workshop.id, "token": api_token})
    assert control.alive
    hearth_cli("token", "revoke", str(_token_row(app, api_token).id))
    ack = control.call("act", {"action": "start"})
    assert ack["ok"] is False and ack["error"]["code"] == "unauthorized"


# --- the first-run link -------------------------------------------------------------------


@pytest.fixture
def setup_token(make_app: Callable[..., Flask]) -> tuple[Flask, str]:
    """An app with no account yet, and its setup token."""
    app = make_app()
    with app.app_context():
        token = accounts.issue_setup_token()
    assert token is not None
    return app, token


def test_the_setup_link_works_for_a_day(setup_token: tuple[Flask, str]) -> None:
    app, token = setup_token
    client = app.test_client()
    assert client.get(f"/facilitator/setup/{token}").status_code == 200
    with app.app_context():
        db.session.execute(update(SetupToken).values(created_at=now_utc() - timedelta(hours=23)))
        db.session.commit()
    assert client.get(f"/facilitator/setup/{token}").status_code == 200


def test_an_expired_setup_link_gets_a_clear_410_page(setup_token: tuple[Flask, str]) -> None:
    app, token = setup_token
    with app.app_context():
        db.session.execute(update(SetupToken).values(created_at=now_utc() - timedelta(hours=25)))
        db.session.commit()
    client = app.test_client()
    page = client.get(f"/facilitator/setup/{token}")
    assert page.status_code == 410
    text = page.get_data(as_text=True)
    assert "This setup link has expired" in text and "24 hours" in text
    posted = client.post(
        f"/facilitator/setup/{token}",
        data={"email": "a@example.org", "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
    )
    assert posted.status_code == 410
    with app.app_context():
        assert accounts.facilitator_count() == 0


# --- files and logs -----------------------------------------------------------------------


def test_the_instance_folder_and_database_are_private_from_creation(
    make_app: Callable[..., Flask], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_umask = os.umask(0o022)  # a typical umask would leave both readable by everyone
    try:
        instance = tmp_path / "fresh" / "instance"
        monkeypatch.setenv("HEARTH_INSTANCE", str(instance))
        database = instance / "hearth.db"
        app = make_app(SECRET_KEY=None, DATABASE_URL=f"sqlite:///{database}")
        with app.app_context():
            db.session.execute(select(1))
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert stat.S_IMODE((instance / "secret_key").stat().st_mode) == 0o600
    for extra in (Path(f"{database}-wal"), Path(f"{database}-shm")):
        if extra.exists():
            assert stat.S_IMODE(extra.stat().st_mode) == 0o600


@pytest.mark.app_config(ACCESS_LOG=True)
def test_the_access_log_never_records_secret_bearing_paths(
    client: FlaskClient, caplog: pytest.LogCaptureFixture, make_workshop: Callable[..., Any]
) -> None:
    workshop = make_workshop()
    caplog.set_level(logging.INFO, logger="hearth.access")
    client.get(f"/present/{workshop.present_key}")
    client.get("/facilitator/setup/some-setup-token")
    client.get(f"/j/{workshop.code}")
    client.get("/facilitator/login")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/facilitator/login" in logged
    for secret in (workshop.present_key, "some-setup-token", workshop.code, "/present/"):
        assert secret not in logged
