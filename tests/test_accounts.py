"""Facilitator accounts: the one-time setup link, login and logout, `next`, CSRF, the CLI."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from hearth.errors import HearthError
from hearth.extensions import db
from hearth.models import Facilitator, SetupToken
from hearth.services.accounts import (
    authenticate,
    create_facilitator,
    issue_setup_token,
    setup_token_is_valid,
)

GOOD = {
    "email": "Counsellor@Example.org ",
    "name": "Sam",
    "password": "a long enough password",
    "password_confirm": "a long enough password",
}


def facilitator_count(app: Flask) -> int:
    """How many facilitator accounts exist."""
    with app.app_context():
        return db.session.scalar(select(func.count(Facilitator.id))) or 0


def logged_in(client: FlaskClient) -> bool:
    """Whether the client's session belongs to a logged-in facilitator."""
    with client.session_transaction() as session:
        return "_user_id" in session


@pytest.fixture
def setup_token(app: Flask) -> str:
    """The one-time first-run token, as `hearth serve` prints it."""
    with app.app_context():
        token = issue_setup_token()
    assert token is not None
    return token


# --- first-run setup ----------------------------------------------------------------------


def test_setup_link_shows_the_form(client: FlaskClient, setup_token: str) -> None:
    response = client.get(f"/facilitator/setup/{setup_token}")
    assert response.status_code == 200
    assert b'name="password_confirm"' in response.data


def test_setup_link_creates_the_first_account_and_logs_in(
    app: Flask, client: FlaskClient, setup_token: str
) -> None:
    response = client.post(f"/facilitator/setup/{setup_token}", data=GOOD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/facilitator/"
    assert logged_in(client)
    with app.app_context():
        facilitator = db.session.scalar(select(Facilitator))
        assert facilitator.email == "counsellor@example.org"
        assert facilitator.name == "Sam"
        assert facilitator.password_hash != GOOD["password"]
        assert db.session.scalar(select(func.count(SetupToken.id))) == 0


def test_setup_link_works_only_once(app: Flask, client: FlaskClient, setup_token: str) -> None:
    client.post(f"/facilitator/setup/{setup_token}", data=GOOD)
    other = app.test_client()
    assert other.get(f"/facilitator/setup/{setup_token}").status_code == 404
    again = {**GOOD, "email": "intruder@example.org"}
    assert other.post(f"/facilitator/setup/{setup_token}", data=again).status_code == 404
    assert facilitator_count(app) == 1
    assert not logged_in(other)


@pytest.mark.parametrize("token", ["wrong-token", "x" * 200])
def test_a_wrong_setup_token_is_refused(
    app: Flask, client: FlaskClient, setup_token: str, token: str
) -> None:
    assert client.get(f"/facilitator/setup/{token}").status_code == 404
    assert client.post(f"/facilitator/setup/{token}", data=GOOD).status_code == 404
    assert facilitator_count(app) == 0


def test_no_setup_token_once_an_account_exists(app: Flask, owner: Any) -> None:
    with app.app_context():
        assert issue_setup_token() is None


def test_a_new_setup_token_replaces_the_old_one(app: Flask) -> None:
    with app.app_context():
        first, second = issue_setup_token(), issue_setup_token()
        assert first and second
        assert not setup_token_is_valid(first)
        assert setup_token_is_valid(second)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"password": "short", "password_confirm": "short"}, "at least 10 characters"),
        ({"password": "123456789", "password_confirm": "123456789"}, "at least 10 characters"),
        ({"password_confirm": "a different password"}, "do not match"),
        ({"email": "not-an-email"}, "valid email"),
        ({"email": "@example.org"}, "valid email"),
        ({"email": ""}, "valid email"),
    ],
)
def test_setup_refuses_bad_input_and_keeps_the_link(
    app: Flask, client: FlaskClient, setup_token: str, changes: dict[str, str], message: str
) -> None:
    response = client.post(f"/facilitator/setup/{setup_token}", data={**GOOD, **changes})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert facilitator_count(app) == 0
    assert not logged_in(client)
    assert client.get(f"/facilitator/setup/{setup_token}").status_code == 200


@pytest.mark.real_password_hashing
def test_passwords_are_stored_as_scrypt_hashes(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        create_facilitator("hash@example.org", "a long password", "a long password")
        stored = db.session.scalar(select(Facilitator.password_hash))
    assert stored.startswith("scrypt:")
    assert "a long password" not in stored
    login = {"email": "hash@example.org", "password": "a long password"}
    assert client.post("/facilitator/login", data=login).status_code == 302


def test_a_ten_character_password_is_enough(app: Flask) -> None:
    with app.app_context():
        create_facilitator("ten@example.org", "0123456789", "0123456789")
        assert authenticate("ten@example.org", "0123456789") is not None


@pytest.mark.parametrize("email", ["dup@example.org", "DUP@example.org", " dup@Example.org "])
def test_duplicate_email_is_refused(app: Flask, email: str) -> None:
    with app.app_context():
        create_facilitator("dup@example.org", "a long password", "a long password")
        with pytest.raises(HearthError) as caught:
            create_facilitator(email, "another password", "another password")
    assert (caught.value.code, caught.value.status) == ("email_taken", 409)
    assert facilitator_count(app) == 1


# --- login and logout ---------------------------------------------------------------------


def test_login_and_logout(client: FlaskClient, owner: Any) -> None:
    assert client.get("/facilitator/").status_code == 302
    response = client.post(
        "/facilitator/login", data={"email": owner.email.upper(), "password": owner.password}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/facilitator/"
    assert client.get("/facilitator/").status_code == 200
    response = client.post("/facilitator/logout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/facilitator/login"
    assert not logged_in(client)
    dashboard = client.get("/facilitator/")
    assert dashboard.status_code == 302
    assert dashboard.headers["Location"].startswith("/facilitator/login")


@pytest.mark.parametrize(
    "credentials",
    [
        {"email": "nobody@example.org", "password": "correct horse battery"},
        {"email": "OWNER", "password": "wrong password here"},
        {"email": "OWNER", "password": ""},
        {},
    ],
)
def test_wrong_credentials_are_refused(
    client: FlaskClient, owner: Any, credentials: dict[str, str]
) -> None:
    data = {k: owner.email if v == "OWNER" else v for k, v in credentials.items()}
    response = client.post("/facilitator/login", data=data)
    assert response.status_code == 401
    assert "do not match" in response.get_data(as_text=True)
    assert not logged_in(client)


def test_logout_needs_a_post(facilitator_client: FlaskClient) -> None:
    assert facilitator_client.get("/facilitator/logout").status_code == 405
    assert logged_in(facilitator_client)


@pytest.mark.app_config(LOGIN_RATE="3/minute")
def test_too_many_failed_logins_are_rate_limited(client: FlaskClient, owner: Any) -> None:
    for _ in range(3):
        response = client.post("/facilitator/login", data={"email": owner.email, "password": "x"})
        assert response.status_code == 401
    good = {"email": owner.email, "password": owner.password}
    response = client.post("/facilitator/login", data=good)
    assert response.status_code == 429
    assert not logged_in(client)


def log_in_with_next(client: FlaskClient, owner: Any, target: str) -> str:
    """Log in with a `next` field; return where the login redirects to."""
    data = {"email": owner.email, "password": owner.password, "next": target}
    response = client.post("/facilitator/login", data=data)
    assert response.status_code == 302
    return str(response.headers["Location"])


@pytest.mark.parametrize(
    "target",
    [
        "//evil.com",
        "https://evil.com",
        "http://evil.com/facilitator/",
        "javascript:alert(1)",
        "evil.com",
        "/\\evil.com",
        "/\\/evil.com",
        "/\t/evil.com",
        "",
    ],
)
def test_next_never_leaves_the_site(client: FlaskClient, owner: Any, target: str) -> None:
    location = log_in_with_next(client, owner, target)
    parts = urlsplit(location)
    assert not parts.scheme and not parts.netloc
    assert location.startswith("/") and not location.startswith("//")
    assert "\\" not in location and "\t" not in location


@pytest.mark.parametrize("target", ["//evil.com", "https://evil.com", "javascript:alert(1)"])
def test_next_to_another_site_goes_to_the_dashboard(
    client: FlaskClient, owner: Any, target: str
) -> None:
    assert log_in_with_next(client, owner, target) == "/facilitator/"


@pytest.mark.parametrize(
    "target",
    ["/facilitator/", "/facilitator/workshops/1", "/facilitator/workshops/1?tab=results"],
)
def test_next_to_a_local_path_is_followed(client: FlaskClient, owner: Any, target: str) -> None:
    assert log_in_with_next(client, owner, target) == target


def test_a_logged_in_facilitator_visiting_login_is_sent_on(
    facilitator_client: FlaskClient,
) -> None:
    response = facilitator_client.get("/facilitator/login?next=https://evil.com")
    assert response.status_code == 302
    assert response.headers["Location"] == "/facilitator/"


# --- CSRF ---------------------------------------------------------------------------------


def csrf_token_of(page: bytes) -> str:
    """The hidden csrf_token field of a rendered form."""
    match = re.search(rb'name="csrf_token" value="([^"]+)"', page)
    assert match, "the form has no csrf_token field"
    return match.group(1).decode()


@pytest.fixture
def csrf_app(make_app: Callable[..., Flask]) -> Flask:
    """An app with CSRF protection on, as in production, and one facilitator."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        create_facilitator("csrf@example.org", "a long enough password", "a long enough password")
    return app


CSRF_LOGIN = {"email": "csrf@example.org", "password": "a long enough password"}


def test_login_without_csrf_token_is_refused(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    response = client.post("/facilitator/login", data=CSRF_LOGIN)
    assert response.status_code == 400
    assert "The form expired" in response.get_data(as_text=True)
    assert not logged_in(client)


def test_csrf_failure_is_json_for_json_clients(csrf_app: Flask) -> None:
    response = csrf_app.test_client().post(
        "/facilitator/login", data=CSRF_LOGIN, headers={"Accept": "application/json"}
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf_failed"


def test_login_with_the_forms_csrf_token_works(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    token = csrf_token_of(client.get("/facilitator/login").data)
    response = client.post("/facilitator/login", data={**CSRF_LOGIN, "csrf_token": token})
    assert response.status_code == 302
    assert logged_in(client)


def test_logout_without_csrf_token_is_refused(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    token = csrf_token_of(client.get("/facilitator/login").data)
    client.post("/facilitator/login", data={**CSRF_LOGIN, "csrf_token": token})
    assert client.post("/facilitator/logout").status_code == 400
    assert logged_in(client)
    assert client.post("/facilitator/logout", data={"csrf_token": token}).status_code == 302
    assert not logged_in(client)


def test_creating_a_workshop_needs_the_csrf_token(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    token = csrf_token_of(client.get("/facilitator/login").data)
    client.post("/facilitator/login", data={**CSRF_LOGIN, "csrf_token": token})
    form = {"plan_id": "rebuilding-trust", "min_group": "5"}
    assert client.post("/facilitator/workshops", data=form).status_code == 400
    response = client.post("/facilitator/workshops", data={**form, "csrf_token": token})
    assert response.status_code == 302
    assert re.fullmatch(r"/facilitator/workshops/\d+", response.headers["Location"])


# --- CLI ----------------------------------------------------------------------------------


def test_cli_creates_a_facilitator(app: Flask, hearth_cli: Callable[..., Any]) -> None:
    result = hearth_cli(
        "facilitator", "create", "Cli@Example.org", input="a long password\na long password\n"
    )
    assert result.exit_code == 0, result.output
    assert "Created facilitator cli@example.org." in result.output
    with app.app_context():
        assert authenticate("cli@example.org", "a long password") is not None


@pytest.mark.parametrize(
    ("email", "passwords", "message"),
    [
        ("short@example.org", "short\nshort\n", "at least 10 characters"),
        ("OWNER", "a long password\na long password\n", "already exists"),
    ],
)
def test_cli_refuses_bad_accounts(
    hearth_cli: Callable[..., Any], owner: Any, email: str, passwords: str, message: str
) -> None:
    email = owner.email if email == "OWNER" else email
    result = hearth_cli("facilitator", "create", email, input=passwords)
    assert result.exit_code != 0
    assert message in result.output


def test_db_upgrade_is_safe_to_repeat(hearth_cli: Callable[..., Any]) -> None:
    for _ in range(2):
        result = hearth_cli("db", "upgrade")
        assert result.exit_code == 0, result.output
        assert "Database is up to date." in result.output


def test_cli_commands_run_under_app_test_cli_runner(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
