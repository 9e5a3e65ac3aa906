"""The JSON API under /api/v1: bearer tokens, workshops, actions, and the error shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from hearth.extensions import db
from hearth.models import Response, Workshop
from hearth.plans import BUILTIN_DIR
from hearth.privacy import issue_participant_token
from hearth.services import responses
from hearth.services.workshops import CODE_ALPHABET

CONTROL_KEYS = {
    "version",
    "phase",
    "index",
    "workshop",
    "activities",
    "accepting",
    "revealed",
    "closes_in",
    "connected",
    "progress",
    "moderation",
    "moderation_waiting",
    "signals",
}
ACTIVITY_KEYS = {"id", "index", "kind", "label", "takes_answers", "accepting", "revealed"}


def assert_error(response: Any, status: int, code: str) -> None:
    """The error shape of docs/protocol.md, with a status and a code."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"].endswith(".")


def builtin_activities() -> list[Any]:
    """The activities of the shipped plan file."""
    document = yaml.safe_load((BUILTIN_DIR / "rebuilding-trust.yaml").read_text(encoding="utf-8"))
    return list(document["activities"])


def workshop_count(app: Flask) -> int:
    """How many workshops exist."""
    with app.app_context():
        return db.session.scalar(select(func.count(Workshop.id))) or 0


# --- bearer tokens ------------------------------------------------------------------------

ENDPOINTS = [
    ("get", "/api/v1/plans"),
    ("post", "/api/v1/workshops"),
    ("get", "/api/v1/workshops/1"),
    ("post", "/api/v1/workshops/1/actions"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer ", "Bearer not-a-token", "Basic dXNlcjpwYXNz", "bearer TOKEN"],
)
def test_bearer_token_is_required(
    client: FlaskClient, api_token: str, method: str, path: str, header: str | None
) -> None:
    headers = {} if header is None else {"Authorization": header.replace("TOKEN", api_token)}
    response = getattr(client, method)(path, headers=headers, json={"plan": "rebuilding-trust"})
    assert_error(response, 401, "unauthorized")


def test_a_token_from_the_cli_works(
    hearth_cli: Callable[..., Any], owner: Any, client: FlaskClient
) -> None:
    result = hearth_cli("token", "create", owner.email)
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    response = client.get("/api/v1/plans", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_token_create_for_an_unknown_email_fails(hearth_cli: Callable[..., Any]) -> None:
    result = hearth_cli("token", "create", "nobody@example.org")
    assert result.exit_code != 0
    assert "No facilitator" in result.output


def test_plans_lists_the_builtin_plan(api: Any) -> None:
    response = api.get("/plans")
    assert response.status_code == 200
    (plan,) = [p for p in response.get_json()["plans"] if p["slug"] == "rebuilding-trust"]
    assert plan["title"] == "Rebuilding trust"
    assert plan["activities"] == len(builtin_activities())
    assert set(plan) == {"id", "slug", "title", "description", "activities"}


# --- creating workshops -------------------------------------------------------------------


def test_create_workshop_by_slug(app: Flask, api: Any) -> None:
    response = api.post("/workshops", {"plan": "rebuilding-trust"})
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"id", "code", "join_url", "present_url", "phase", "rehearsal"}
    assert len(body["code"]) == 6 and set(body["code"]) <= set(CODE_ALPHABET)
    assert body["join_url"] == f"http://hearth.test/j/{body['code']}"
    assert body["present_url"].startswith("http://hearth.test/present/")
    assert body["phase"] == "lobby"
    with app.app_context():
        workshop = db.session.get(Workshop, body["id"])
        assert workshop.min_group == 5
        assert workshop.purge_after_days == 30
        assert len(workshop.activities) == len(builtin_activities())


@pytest.mark.parametrize("plan_ref", [lambda plan_id: plan_id, lambda plan_id: str(plan_id)])
def test_create_workshop_by_id(api: Any, plan_ref: Callable[[int], Any]) -> None:
    plan_id = api.get("/plans").get_json()["plans"][0]["id"]
    assert api.post("/workshops", {"plan": plan_ref(plan_id)}).status_code == 201


@pytest.mark.parametrize(("min_group", "days"), [(3, 1), (50, 365), (7, 14)])
def test_create_workshop_with_settings(app: Flask, api: Any, min_group: int, days: int) -> None:
    settings = {"min_group": min_group, "purge_after_days": days}
    response = api.post("/workshops", {"plan": "rebuilding-trust", "settings": settings})
    assert response.status_code == 201
    with app.app_context():
        workshop = db.session.get(Workshop, response.get_json()["id"])
        assert (workshop.min_group, workshop.purge_after_days) == (min_group, days)


def with_settings(**settings: Any) -> dict[str, Any]:
    """A create-workshop body for the built-in plan with settings."""
    return {"body": {"plan": "rebuilding-trust", "settings": settings}}


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"data": "not json", "content_type": "application/json"}, 400, "invalid_payload"),
        ({"data": "plan=rebuilding-trust"}, 400, "invalid_payload"),
        ({"body": ["rebuilding-trust"]}, 400, "invalid_payload"),
        ({"body": "rebuilding-trust"}, 400, "invalid_payload"),
        ({"body": {}}, 400, "invalid_payload"),
        ({"body": {"settings": {"min_group": 5}}}, 400, "invalid_payload"),
        ({"body": {"plan": "no-such-plan"}}, 404, "not_found"),
        ({"body": {"plan": 999_999}}, 404, "not_found"),
        ({"body": {"plan": True}}, 404, "not_found"),
        ({"body": {"plan": None}}, 404, "not_found"),
        ({"body": {"plan": ["rebuilding-trust"]}}, 404, "not_found"),
        ({"body": {"plan": "rebuilding-trust", "settings": "k=5"}}, 400, "invalid_payload"),
        (with_settings(min_group=2), 400, "invalid_value"),
        (with_settings(min_group=51), 400, "invalid_value"),
        (with_settings(min_group="5"), 400, "invalid_value"),
        (with_settings(min_group=True), 400, "invalid_value"),
        (with_settings(min_group=5.0), 400, "invalid_value"),
        (with_settings(purge_after_days=0), 400, "invalid_value"),
        (with_settings(purge_after_days=366), 400, "invalid_value"),
    ],
    ids=[
        "not-json", "form-encoded", "a-list", "a-string", "plan-missing", "only-settings",
        "unknown-slug", "unknown-id", "plan-true", "plan-null", "plan-list", "settings-string",
        "k-2", "k-51", "k-string", "k-true", "k-float", "purge-0", "purge-366",
    ],
)  # fmt: skip
def test_create_workshop_refuses_bad_bodies(
    app: Flask, api: Any, kwargs: dict[str, Any], status: int, code: str
) -> None:
    options = {key: value for key, value in kwargs.items() if key != "body"}
    assert_error(api.post("/workshops", kwargs.get("body"), **options), status, code)
    assert workshop_count(app) == 0


# --- reading and acting -------------------------------------------------------------------


def test_get_workshop_is_the_control_snapshot(api: Any, make_workshop: Callable[..., Any]) -> None:
    workshop = make_workshop()
    response = api.get(f"/workshops/{workshop.id}")
    assert response.status_code == 200
    control = response.get_json()
    assert CONTROL_KEYS <= set(control)
    assert control["phase"] == "lobby"
    assert control["workshop"]["code"] == workshop.code
    assert control["workshop"]["min_group"] == workshop.min_group
    assert len(control["activities"]) == len(workshop.activities)
    assert all(ACTIVITY_KEYS <= set(a) for a in control["activities"])
    assert control["progress"] == {"answered": 0, "passed": 0}
    assert control["moderation"] == []


def test_unknown_workshop_is_not_found(api: Any) -> None:
    assert_error(api.get("/workshops/999999"), 404, "not_found")
    assert_error(api.post("/workshops/999999/actions", {"action": "start"}), 404, "not_found")


def test_a_workshop_id_beyond_64_bits_is_not_found(api: Any) -> None:
    huge = 10**23
    assert_error(api.get(f"/workshops/{huge}"), 404, "not_found")
    assert_error(api.post(f"/workshops/{huge}/actions", {"action": "start"}), 404, "not_found")


def test_another_facilitators_workshop_is_forbidden(
    app: Flask, api: Any, make_workshop: Callable[..., Any], make_facilitator: Callable[..., Any]
) -> None:
    theirs = make_workshop(by=make_facilitator())
    assert_error(api.get(f"/workshops/{theirs.id}"), 403, "forbidden")
    assert_error(api.post(f"/workshops/{theirs.id}/actions", {"action": "start"}), 403, "forbidden")
    with app.app_context():
        assert db.session.get(Workshop, theirs.id).phase == "lobby"


def open_response(app: Flask, workshop: Any, text: str) -> int:
    """Store an open answer of a new phone through the responses service; returns its id."""
    with app.app_context():
        payload = {"activity_id": workshop.first("open").id, "value": text, "msg_id": "api"}
        token = issue_participant_token(app.config["SECRET_KEY"], workshop.id)
        responses.submit_answer(workshop.id, token, payload)
        # Ids are random (docs/privacy.md): find the row by its text, not as the newest id.
        rows = db.session.scalars(select(Response)).all()
        return next(row.id for row in rows if row.value == text)


def test_every_action_through_the_api(
    app: Flask, api: Any, make_workshop: Callable[..., Any]
) -> None:
    workshop = make_workshop()
    path = f"/workshops/{workshop.id}/actions"

    def do(**payload: Any) -> dict[str, Any]:
        response = api.post(path, payload)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert body["ok"] is True
        return body["control"]

    assert do(action="start")["phase"] == "live"
    assert do(action="next")["index"] == 1
    assert do(action="prev")["index"] == 0
    open_index = workshop.first("open").index
    assert do(action="goto", index=open_index)["accepting"] is True
    assert do(action="close")["accepting"] is False
    assert do(action="open")["accepting"] is True
    assert do(action="reveal")["revealed"] is True
    assert do(action="hide")["revealed"] is False
    assert do(action="timer", seconds=90)["closes_in"] in (89, 90)
    assert do(action="timer", seconds=0)["closes_in"] is None
    first, second = open_response(app, workshop, "Patience"), open_response(app, workshop, "Time")
    do(action="approve", response_id=first)
    do(action="reject", response_id=second)
    assert do(action="qa_open")["qa"]["open"] is True
    assert do(action="qa_close")["qa"]["open"] is False
    assert do(action="end")["phase"] == "ended"
    with app.app_context():
        assert db.session.get(Response, first).moderation == "approved"
        assert db.session.get(Response, second).moderation == "rejected"


def last_index(workshop: Any) -> dict[str, Any]:
    return {"action": "goto", "index": len(workshop.activities) - 1}


def past_the_end(workshop: Any) -> dict[str, Any]:
    return {"action": "goto", "index": len(workshop.activities)}


def first_choice(workshop: Any) -> dict[str, Any]:
    return {"action": "goto", "index": workshop.first("choice").index}


@pytest.mark.parametrize(
    ("steps", "body", "kwargs", "status", "code"),
    [
        ([], None, {"data": "start", "content_type": "application/json"}, 400, "invalid_payload"),
        ([], ["start"], {}, 400, "invalid_payload"),
        ([], {}, {}, 400, "unknown_action"),
        ([], {"action": "launch"}, {}, 400, "unknown_action"),
        ([], {"action": ["start"]}, {}, 400, "unknown_action"),
        ([], {"action": {"start": True}}, {}, 400, "unknown_action"),
        ([], {"action": "next"}, {}, 409, "invalid_state"),
        (["start"], {"action": "start"}, {}, 409, "invalid_state"),
        (["start"], past_the_end, {}, 409, "invalid_state"),
        (["start"], {"action": "goto", "index": "3"}, {}, 400, "invalid_payload"),
        (["start", last_index], {"action": "next"}, {}, 409, "invalid_state"),
        (["start"], {"action": "prev"}, {}, 409, "invalid_state"),
        (["start"], {"action": "reveal"}, {}, 409, "invalid_state"),
        (["start", first_choice], {"action": "timer", "seconds": 1}, {}, 400, "invalid_value"),
        (["start"], {"action": "approve", "response_id": 123456}, {}, 404, "not_found"),
        (["start", "end"], {"action": "end"}, {}, 409, "invalid_state"),
        (["start", "end"], {"action": "start"}, {}, 409, "invalid_state"),
    ],
    ids=[
        "not-json", "a-list", "no-action", "unknown", "action-list", "action-object",
        "next-in-lobby", "start-twice", "goto-out-of-range", "goto-string", "next-at-the-end",
        "prev-at-start", "reveal-content", "timer-too-short", "approve-missing", "end-twice",
        "start-after-end",
    ],
)  # fmt: skip
def test_bad_actions_get_the_error_shape_never_a_500(
    api: Any,
    make_workshop: Callable[..., Any],
    steps: list[Any],
    body: Any,
    kwargs: dict[str, Any],
    status: int,
    code: str,
) -> None:
    workshop = make_workshop()
    path = f"/workshops/{workshop.id}/actions"
    for step in steps:
        payload = step(workshop) if callable(step) else {"action": step}
        assert api.post(path, payload).status_code == 200
    body = body(workshop) if callable(body) else body
    assert_error(api.post(path, body, **kwargs), status, code)


def test_an_unknown_api_path_is_a_json_404(api: Any) -> None:
    assert_error(api.get("/nothing-here"), 404, "not_found")


def test_a_wrong_method_is_a_json_405(api: Any) -> None:
    assert_error(api.client.delete("/api/v1/plans"), 405, "method_not_allowed")


def test_the_api_is_exempt_from_csrf(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        from hearth.services.accounts import create_facilitator, issue_api_token

        create_facilitator("csrf@example.org", "long enough password", "long enough password")
        token = issue_api_token("csrf@example.org")
    response = app.test_client().post(
        "/api/v1/workshops",
        json={"plan": "rebuilding-trust"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201
