"""The Summary view's routes (facilitator/summary_views.py) and the take-home page
(participant/summary_views.py): downloads, notes, publishing, retention and deleting answers."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from hearth.extensions import db
from hearth.models import (
    PurgeRecord,
    Question,
    Response,
    Workshop,
    WorkshopActivity,
    today_utc,
)
from hearth.privacy import issue_participant_token
from hearth.services import questions, responses, summaries
from hearth.services.workshops import perform_action

K = 3
NOTES = "Notesmarker: warm group, revisit boundaries."
OPEN_TEXT = "Openmarker approved answer"
PENDING_TEXT = "Pendingmarker never reviewed"
QUESTION = "Questionmarker how do I start?"
HIDDEN_WORD = "hiddenmarkerword"
PLAN: list[dict[str, Any]] = [
    {"kind": "content", "title": "Welcome", "body": "Hello."},
    {"kind": "choice", "prompt": "Revealedpoll prompt", "options": ["Yes", "No"]},
    {"kind": "open", "prompt": "Openprompt say one thing"},
    {"kind": "words", "prompt": "Wordsprompt one word"},
    {"kind": "scale", "prompt": "Scaleprompt how settled", "min": 1, "max": 5},
    {"kind": "choice", "prompt": "Unrevealed prompt", "options": ["Up", "Down"]},
    {"kind": "choice", "prompt": "Belowk prompt", "options": ["A", "B"]},
]
JSON = {"Accept": "application/json"}


def url(workshop_id: int, route: str) -> str:
    """A Summary route of a workshop."""
    return f"/facilitator/workshops/{workshop_id}/{route}"


@pytest.fixture
def run_workshop(
    app: Flask, make_plan: Callable[..., str], make_workshop: Callable[..., Any]
) -> Callable[..., int]:
    """A workshop with answers of every sort the take-home page must filter; ended by default."""

    def run(*, end: bool = True) -> int:
        info = make_workshop(min_group=K, plan=make_plan(PLAN, title="Summary views test"))
        tokens = [issue_participant_token(app.config["SECRET_KEY"], info.id) for _ in range(5)]
        sent = 0
        _, poll, text, words, scale, unrevealed, few = info.activities

        def act(action: str, **fields: Any) -> None:
            perform_action(info.id, {"action": action, **fields})

        def answer(activity_id: int, token: str, value: Any) -> None:
            nonlocal sent
            sent += 1
            payload = {"activity_id": activity_id, "value": value, "msg_id": f"m{sent}"}
            responses.submit_answer(info.id, token, payload)

        with app.app_context():
            act("start")
            act("goto", index=poll.index)
            for token in tokens[:4]:
                answer(poll.id, token, 0)
            responses.submit_pass(info.id, tokens[4], {"activity_id": poll.id, "msg_id": "p1"})
            act("reveal")
            act("goto", index=text.index)
            for n, token in enumerate(tokens[:4]):
                answer(text.id, token, f"{OPEN_TEXT} {n}")
            answer(text.id, tokens[4], PENDING_TEXT)
            rows = db.session.scalars(select(Response).where(Response.activity_id == text.id))
            for row in rows:
                if row.value != PENDING_TEXT:
                    act("approve", response_id=row.id)
            act("reveal")
            act("goto", index=words.index)
            for token in tokens[:4]:
                answer(words.id, token, ["calm", HIDDEN_WORD])
            act("hide_word", word=HIDDEN_WORD)
            act("reveal")
            act("goto", index=scale.index)
            for n, token in enumerate(tokens[:4]):
                answer(scale.id, token, 1 + n)
            act("reveal")
            act("goto", index=unrevealed.index)
            for token in tokens[:4]:
                answer(unrevealed.id, token, 1)
            act("goto", index=few.index)
            for token in tokens[:2]:
                answer(few.id, token, 1)
            act("reveal")
            question_id = questions.ask(info.id, {"text": QUESTION, "msg_id": "q1"})
            act("qa_approve", question_id=question_id)
            if end:
                act("end")
        return int(info.id)

    return run


@pytest.fixture
def ended(run_workshop: Callable[..., int]) -> int:
    """An ended workshop with answers, owned by `owner`."""
    return run_workshop()


def stored(app: Flask, workshop_id: int) -> tuple[int, int]:
    """(responses, questions) stored for a workshop."""
    with app.app_context():
        activity_ids = select(WorkshopActivity.id).where(
            WorkshopActivity.workshop_id == workshop_id
        )
        return (
            db.session.scalar(
                select(func.count(Response.id)).where(Response.activity_id.in_(activity_ids))
            )
            or 0,
            db.session.scalar(
                select(func.count(Question.id)).where(Question.workshop_id == workshop_id)
            )
            or 0,
        )


def workshop_row(app: Flask, workshop_id: int) -> Workshop:
    """The workshop as stored now (detached; read its columns only)."""
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        assert workshop is not None
        db.session.expunge(workshop)
        return workshop


def error_code(response: TestResponse) -> str:
    """The code of an error body (docs/protocol.md)."""
    body = response.get_json()
    assert isinstance(body, dict) and set(body) == {"error"}, response.get_data(as_text=True)
    assert body["error"]["message"]
    return str(body["error"]["code"])


def publish(client: FlaskClient, workshop_id: int) -> str:
    """Publish the take-home page; return its path (/s/<key>)."""
    reply = client.post(url(workshop_id, "publish"), json={}, headers=JSON)
    assert reply.status_code == 200, reply.get_data(as_text=True)
    link = reply.get_json()["summary"]["summary_url"]
    assert link.startswith("http://hearth.test/s/")
    return str(link.removeprefix("http://hearth.test"))


# --- who may call them --------------------------------------------------------------------

ROUTES = [
    ("GET", "export?format=html", None),
    ("GET", "summary-state", None),
    ("POST", "notes", {"notes": "x"}),
    ("POST", "publish", {}),
    ("POST", "unpublish", {}),
    ("POST", "purge", {"confirm": True}),
    ("POST", "export-then-purge", {"format": "csv", "confirm": True}),
    ("POST", "retention", {"purge_after_days": 7}),
]


@pytest.mark.parametrize(("method", "route", "body"), ROUTES)
def test_without_a_login_fetch_calls_get_a_json_401(
    client: FlaskClient, ended: int, method: str, route: str, body: Any
) -> None:
    reply = client.open(url(ended, route), method=method, json=body, headers=JSON)
    assert reply.status_code == 401
    assert error_code(reply) == "unauthorized"
    assert stored(client.application, ended)[0] > 0


@pytest.mark.parametrize(("method", "route", "body"), ROUTES)
def test_without_a_login_pages_go_to_the_login(
    client: FlaskClient, ended: int, method: str, route: str, body: Any
) -> None:
    reply = client.open(url(ended, route), method=method, data=body or {})
    assert reply.status_code == 302
    assert "/facilitator/login" in reply.headers["Location"]


@pytest.mark.parametrize(("method", "route", "body"), ROUTES)
def test_another_facilitators_workshop_is_forbidden(
    app: Flask,
    ended: int,
    make_facilitator: Callable[..., Any],
    logged_in_client: Callable[..., FlaskClient],
    method: str,
    route: str,
    body: Any,
) -> None:
    stranger = logged_in_client(make_facilitator())
    reply = stranger.open(url(ended, route), method=method, json=body, headers=JSON)
    assert reply.status_code == 403
    assert error_code(reply) == "forbidden"
    assert workshop_row(app, ended).purged_on is None
    assert stored(app, ended)[0] > 0


@pytest.mark.parametrize(("method", "route", "body"), ROUTES)
def test_an_unknown_workshop_is_not_found(
    facilitator_client: FlaskClient, method: str, route: str, body: Any
) -> None:
    reply = facilitator_client.open(url(999, route), method=method, json=body, headers=JSON)
    assert reply.status_code == 404
    assert error_code(reply) == "not_found"


# --- CSRF ---------------------------------------------------------------------------------


@pytest.fixture
def csrf_setup(
    make_app: Callable[..., Flask],
    make_plan: Callable[..., str],
) -> tuple[Flask, FlaskClient, int]:
    """An app with CSRF on, a logged-in owner and an ended workshop of theirs."""
    from hearth.services import workshops as workshop_service
    from hearth.services.accounts import create_facilitator

    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        owner = create_facilitator(
            "csrf-summary@example.org", "a long enough password", "a long enough password"
        )
        from hearth.models import Plan

        plan = db.session.scalar(select(Plan).where(Plan.slug == "rebuilding-trust"))
        assert plan is not None
        workshop = workshop_service.create_workshop(plan, owner, min_group=3, purge_after_days=30)
        workshop_id = workshop.id
        perform_action(workshop_id, {"action": "start"})
        perform_action(workshop_id, {"action": "end"})
    client = app.test_client()
    page = client.get("/facilitator/login").data
    token = re.search(rb'name="csrf_token" value="([^"]+)"', page)
    assert token
    client.post(
        "/facilitator/login",
        data={
            "email": "csrf-summary@example.org",
            "password": "a long enough password",
            "csrf_token": token.group(1).decode(),
        },
    )
    return app, client, workshop_id


def control_room_csrf(client: FlaskClient, workshop_id: int) -> str:
    """The CSRF token the Summary view's fetch calls send (data-csrf on the panel)."""
    page = client.get(f"/facilitator/workshops/{workshop_id}")
    assert page.status_code == 200
    match = re.search(rb'data-csrf="([^"]+)"', page.data)
    assert match, "the Summary panel carries no CSRF token"
    return match.group(1).decode()


@pytest.mark.parametrize("route", ["notes", "publish", "unpublish", "purge", "retention"])
def test_posts_without_the_csrf_token_are_refused(
    csrf_setup: tuple[Flask, FlaskClient, int], route: str
) -> None:
    app, client, workshop_id = csrf_setup
    body = {"notes": "x", "confirm": True, "purge_after_days": 3}
    reply = client.post(url(workshop_id, route), json=body, headers=JSON)
    assert reply.status_code == 400
    assert error_code(reply) == "csrf_failed"
    assert workshop_row(app, workshop_id).purged_on is None


def test_export_then_purge_without_the_csrf_token_deletes_nothing(
    csrf_setup: tuple[Flask, FlaskClient, int],
) -> None:
    app, client, workshop_id = csrf_setup
    reply = client.post(
        url(workshop_id, "export-then-purge"), json={"format": "csv", "confirm": True}
    )
    assert reply.status_code == 400
    assert workshop_row(app, workshop_id).purged_on is None


def test_the_csrf_header_from_the_control_room_is_accepted(
    csrf_setup: tuple[Flask, FlaskClient, int],
) -> None:
    app, client, workshop_id = csrf_setup
    token = control_room_csrf(client, workshop_id)
    reply = client.post(
        url(workshop_id, "notes"),
        json={"notes": NOTES},
        headers={**JSON, "X-CSRFToken": token},
    )
    assert reply.status_code == 200, reply.get_data(as_text=True)
    assert workshop_row(app, workshop_id).notes == NOTES


def test_a_form_with_the_csrf_field_saves_and_returns_to_the_control_room(
    csrf_setup: tuple[Flask, FlaskClient, int],
) -> None:
    app, client, workshop_id = csrf_setup
    token = control_room_csrf(client, workshop_id)
    reply = client.post(
        url(workshop_id, "notes"), data={"notes": "line one\r\nline two", "csrf_token": token}
    )
    assert reply.status_code == 303
    assert reply.headers["Location"].endswith(f"/facilitator/workshops/{workshop_id}")
    # Forms send \r\n; notes are stored with \n like every export writes them.
    assert workshop_row(app, workshop_id).notes == "line one\nline two"


# --- downloads ----------------------------------------------------------------------------

FILE_TYPES = {
    "html": "text/html",
    "md": "text/markdown",
    "csv": "text/csv",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@pytest.mark.parametrize(("fmt", "content_type"), FILE_TYPES.items())
def test_each_format_downloads_as_an_attachment(
    facilitator_client: FlaskClient, ended: int, fmt: str, content_type: str
) -> None:
    reply = facilitator_client.get(url(ended, f"export?format={fmt}"))
    assert reply.status_code == 200
    assert reply.content_type.startswith(content_type)
    disposition = reply.headers["Content-Disposition"]
    assert re.fullmatch(
        rf'attachment; filename="summary-views-test-\d{{4}}-\d\d-\d\d\.{fmt}"', disposition
    )
    assert reply.headers["Cache-Control"] == "no-store"
    assert len(reply.data) > 100


def test_a_co_facilitator_may_download(
    app: Flask,
    ended: int,
    make_facilitator: Callable[..., Any],
    logged_in_client: Callable[..., FlaskClient],
) -> None:
    from hearth.extensions import writing
    from hearth.models import WorkshopFacilitator

    colleague = make_facilitator()
    with app.app_context(), writing():
        db.session.add(WorkshopFacilitator(workshop_id=ended, facilitator_id=colleague.id))
    reply = logged_in_client(colleague).get(url(ended, "export?format=json"))
    assert reply.status_code == 200
    assert reply.get_json()["workshop"]["title"] == "Summary views test"


def test_an_unknown_format_is_refused(facilitator_client: FlaskClient, ended: int) -> None:
    reply = facilitator_client.get(url(ended, "export?format=docx"), headers=JSON)
    assert reply.status_code == 400
    assert error_code(reply) == "invalid_format"


def test_a_followed_link_that_fails_shows_a_page_back_to_the_control_room(
    facilitator_client: FlaskClient, ended: int
) -> None:
    reply = facilitator_client.get(url(ended, "export?format=docx"))
    assert reply.status_code == 400
    page = reply.get_data(as_text=True)
    assert "The summary could not be made" in page
    assert f'href="/facilitator/workshops/{ended}"' in page


@pytest.mark.app_config(HEARTH_PDF_BROWSER="/nonexistent/chromium")
def test_a_pdf_without_a_browser_says_what_to_do(
    facilitator_client: FlaskClient, ended: int
) -> None:
    reply = facilitator_client.get(url(ended, "export?format=pdf"), headers=JSON)
    assert reply.status_code == 503
    assert error_code(reply) == "pdf_unavailable"


def test_the_export_holds_the_notes_and_no_unreviewed_text(
    facilitator_client: FlaskClient, ended: int
) -> None:
    facilitator_client.post(url(ended, "notes"), json={"notes": NOTES}, headers=JSON)
    for fmt in ("md", "html", "csv"):
        text = facilitator_client.get(url(ended, f"export?format={fmt}")).get_data(as_text=True)
        assert "Notesmarker" in text, fmt
        assert PENDING_TEXT not in text and HIDDEN_WORD not in text, fmt
    data = facilitator_client.get(url(ended, "export?format=json")).get_json()
    assert data["notes"] == NOTES


# --- notes --------------------------------------------------------------------------------


def test_notes_are_saved_during_the_workshop_and_after(
    app: Flask, facilitator_client: FlaskClient, run_workshop: Callable[..., int]
) -> None:
    workshop_id = run_workshop(end=False)
    reply = facilitator_client.post(
        url(workshop_id, "notes"), json={"notes": "During"}, headers=JSON
    )
    assert reply.status_code == 200
    assert reply.get_json() == {
        "ok": True,
        "summary": {
            "phase": "live",
            "notes": "During",
            "min_group": K,
            "purge_after_days": 30,
            "ended_on": None,
            "purge_due_on": None,
            "purged_on": None,
            "summary_url": None,
        },
    }
    with app.app_context():
        perform_action(workshop_id, {"action": "end"})
    reply = facilitator_client.post(url(workshop_id, "notes"), json={"notes": NOTES}, headers=JSON)
    assert reply.get_json()["summary"]["notes"] == NOTES
    state = facilitator_client.get(url(workshop_id, "summary-state"), headers=JSON).get_json()
    assert state["summary"]["notes"] == NOTES
    assert workshop_row(app, workshop_id).notes == NOTES


def test_notes_can_be_emptied(facilitator_client: FlaskClient, app: Flask, ended: int) -> None:
    facilitator_client.post(url(ended, "notes"), json={"notes": NOTES}, headers=JSON)
    reply = facilitator_client.post(url(ended, "notes"), json={"notes": ""}, headers=JSON)
    assert reply.status_code == 200
    assert workshop_row(app, ended).notes == ""


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({}, 400, "invalid_payload"),
        ({"notes": 5}, 400, "invalid_payload"),
        ({"notes": ["a"]}, 400, "invalid_payload"),
        ({"notes": None}, 400, "invalid_payload"),
        ({"notes": "x" * 20_001}, 400, "too_long"),
        ([1, 2], 400, "invalid_payload"),
    ],
)
def test_bad_notes_are_refused(
    facilitator_client: FlaskClient, app: Flask, ended: int, body: Any, status: int, code: str
) -> None:
    facilitator_client.post(url(ended, "notes"), json={"notes": NOTES}, headers=JSON)
    reply = facilitator_client.post(url(ended, "notes"), json=body, headers=JSON)
    assert reply.status_code == status
    assert error_code(reply) == code
    assert workshop_row(app, ended).notes == NOTES


def test_a_body_that_is_not_json_is_refused_like_every_json_route(
    facilitator_client: FlaskClient, app: Flask, ended: int
) -> None:
    reply = facilitator_client.post(
        url(ended, "notes"), data='{"notes": ', content_type="application/json", headers=JSON
    )
    assert reply.status_code == 400
    assert error_code(reply) == "invalid_payload"
    assert "JSON object" in reply.get_json()["error"]["message"]


def test_notes_stay_after_the_answers_are_deleted(
    facilitator_client: FlaskClient, app: Flask, ended: int
) -> None:
    facilitator_client.post(url(ended, "notes"), json={"notes": NOTES}, headers=JSON)
    facilitator_client.post(url(ended, "purge"), json={"confirm": True}, headers=JSON)
    reply = facilitator_client.post(
        url(ended, "notes"), json={"notes": NOTES + " More."}, headers=JSON
    )
    assert reply.status_code == 200
    assert workshop_row(app, ended).notes == NOTES + " More."


# --- the take-home page: publishing -------------------------------------------------------


def test_a_live_workshop_cannot_be_published(
    facilitator_client: FlaskClient, run_workshop: Callable[..., int]
) -> None:
    workshop_id = run_workshop(end=False)
    reply = facilitator_client.post(url(workshop_id, "publish"), json={}, headers=JSON)
    assert reply.status_code == 409
    assert error_code(reply) == "invalid_state"


def test_publishing_after_the_end_makes_the_page_and_its_qr_code(
    app: Flask, client: FlaskClient, facilitator_client: FlaskClient, ended: int
) -> None:
    path = publish(facilitator_client, ended)
    assert publish(facilitator_client, ended) == path  # publishing again keeps the link
    assert client.get(path).status_code == 200
    qr = client.get(f"{path}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    assert qr.data.lstrip().startswith(b"<svg")
    from hearth import realtime

    with app.app_context():
        workshop = db.session.get(Workshop, ended)
        assert workshop is not None
        assert realtime.control_state(workshop)["summary_url"] == f"http://hearth.test{path}"
        assert (
            realtime.present_state(workshop, None, 1)["summary_url"] == f"http://hearth.test{path}"
        )


def test_unpublishing_makes_the_page_and_qr_code_404(
    client: FlaskClient, facilitator_client: FlaskClient, ended: int
) -> None:
    path = publish(facilitator_client, ended)
    reply = facilitator_client.post(url(ended, "unpublish"), json={}, headers=JSON)
    assert reply.status_code == 200
    assert reply.get_json()["summary"]["summary_url"] is None
    gone = client.get(path)
    assert gone.status_code == 404
    assert "This summary is not available" in gone.get_data(as_text=True)
    assert client.get(f"{path}/qr.svg").status_code == 404
    # A new publication is a new link; the old one stays dead.
    assert publish(facilitator_client, ended) != path
    assert client.get(path).status_code == 404


def test_publish_as_a_form_returns_to_the_control_room(
    facilitator_client: FlaskClient, app: Flask, ended: int
) -> None:
    reply = facilitator_client.post(url(ended, "publish"))
    assert reply.status_code == 303
    assert workshop_row(app, ended).summary_key is not None


# --- the take-home page: what it shows ----------------------------------------------------


@pytest.fixture
def take_home(client: FlaskClient, facilitator_client: FlaskClient, ended: int) -> str:
    """The published take-home page's HTML (the notes were saved before publishing)."""
    facilitator_client.post(url(ended, "notes"), json={"notes": NOTES}, headers=JSON)
    reply = client.get(publish(facilitator_client, ended))
    assert reply.status_code == 200
    return reply.get_data(as_text=True)


def test_the_take_home_page_shows_what_the_room_saw(take_home: str) -> None:
    for shown in ("Revealedpoll prompt", "Openprompt say one thing", "Wordsprompt one word"):
        assert shown in take_home
    assert "Scaleprompt how settled" in take_home
    assert f"{OPEN_TEXT} 0" in take_home and f"{OPEN_TEXT} 3" in take_home
    assert ">calm<" in take_home
    # The revealed poll: four answered "Yes" (one passed, which is nowhere on the page).
    assert "4 · 100%" in take_home and "4 answers" in take_home


def test_the_take_home_page_leaves_out_what_the_room_did_not_see(take_home: str) -> None:
    for absent in (
        "Unrevealed prompt",  # never revealed
        "Belowk prompt",  # revealed, but fewer than k answered
        PENDING_TEXT,
        HIDDEN_WORD,
        QUESTION,
        "Notesmarker",
        "passed",
        "Passed",
        "responded",
    ):
        assert absent not in take_home, absent


def test_the_take_home_page_lists_the_support_resources_with_their_dates(
    app: Flask, take_home: str, ended: int
) -> None:
    from hearth.resources import fitting

    row = workshop_row(app, ended)
    resources = fitting(row.resources, row.region, row.language)
    assert resources
    # Only those that fit the room (hearth.resources): an English workshop anywhere shows no
    # line that answers only in German.
    assert "TelefonSeelsorge" not in take_home
    for resource in resources:
        assert str(escape(resource["name"])) in take_home
        # The contact reads the same once its phone numbers are tel: links (one tap calls).
        assert 'href="tel:988"' in take_home
        assert str(escape(resource["contact"])) in re.sub(
            r"<a href=\"tel:[^\"]*\">|</a>", "", take_home
        )
        checked = date.fromisoformat(resource["checked_on"]).strftime("%-d %b %Y")
        assert f"Checked on {checked}" in take_home


def test_the_take_home_page_is_a_neutral_participant_page(
    client: FlaskClient, facilitator_client: FlaskClient, ended: int
) -> None:
    reply = client.get(publish(facilitator_client, ended))
    page = reply.get_data(as_text=True)
    assert "<title>Session summary</title>" in page
    assert 'id="quick-exit"' in page and 'href="/exit"' in page
    assert "style=" not in page  # the CSP allows no inline style
    assert "<script>" not in page
    assert "http://" not in page.replace("http://hearth.test", "")
    assert "default-src 'self'" in reply.headers["Content-Security-Policy"]
    assert reply.headers["Cache-Control"] == "no-store"
    assert reply.headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("key", ["nope", "x" * 65, "A" * 32])
def test_an_unknown_key_is_a_calm_404(client: FlaskClient, ended: int, key: str) -> None:
    reply = client.get(f"/s/{key}")
    assert reply.status_code == 404
    page = reply.get_data(as_text=True)
    assert "<title>Session summary</title>" in page
    assert "This summary is not available" in page
    assert client.get(f"/s/{key}/qr.svg").status_code == 404


# --- deleting the answers -----------------------------------------------------------------


def test_purge_needs_an_explicit_confirmation(
    facilitator_client: FlaskClient, app: Flask, ended: int
) -> None:
    before = stored(app, ended)
    for body in ({}, {"confirm": False}, {"confirm": "no"}, {"confirm": 1.5}):
        reply = facilitator_client.post(url(ended, "purge"), json=body, headers=JSON)
        assert reply.status_code == 400
        assert error_code(reply) == "confirmation_required"
    assert stored(app, ended) == before
    assert workshop_row(app, ended).purged_on is None


def test_purge_is_refused_while_live_or_in_the_lobby(
    facilitator_client: FlaskClient,
    app: Flask,
    run_workshop: Callable[..., int],
    make_workshop: Callable[..., Any],
) -> None:
    live = run_workshop(end=False)
    lobby = make_workshop(min_group=K).id
    for workshop_id in (live, lobby):
        reply = facilitator_client.post(
            url(workshop_id, "purge"), json={"confirm": True}, headers=JSON
        )
        assert reply.status_code == 409
        assert error_code(reply) == "invalid_state"
    assert stored(app, live)[0] > 0


def test_purge_deletes_the_answers_and_takes_the_page_down(
    app: Flask, client: FlaskClient, facilitator_client: FlaskClient, ended: int
) -> None:
    path = publish(facilitator_client, ended)
    reply = facilitator_client.post(url(ended, "purge"), json={"confirm": True}, headers=JSON)
    assert reply.status_code == 200
    state = reply.get_json()["summary"]
    assert state["purged_on"] == today_utc().isoformat()
    assert state["summary_url"] is None
    assert stored(app, ended) == (0, 0)
    assert client.get(path).status_code == 404
    again = facilitator_client.post(url(ended, "purge"), json={"confirm": True}, headers=JSON)
    assert again.status_code == 409
    assert error_code(again) == "invalid_state"
    republish = facilitator_client.post(url(ended, "publish"), json={}, headers=JSON)
    assert republish.status_code == 409


def test_purge_from_a_form_with_confirm_yes(
    facilitator_client: FlaskClient, app: Flask, ended: int
) -> None:
    reply = facilitator_client.post(url(ended, "purge"), data={"confirm": "yes"})
    assert reply.status_code == 303
    assert stored(app, ended) == (0, 0)


def test_export_then_purge_returns_the_file_and_then_purges(
    facilitator_client: FlaskClient, app: Flask, ended: int
) -> None:
    facilitator_client.post(url(ended, "notes"), json={"notes": NOTES}, headers=JSON)
    answers, _ = stored(app, ended)
    reply = facilitator_client.post(
        url(ended, "export-then-purge"), json={"format": "csv", "confirm": True}, headers=JSON
    )
    assert reply.status_code == 200
    assert reply.content_type.startswith("text/csv")
    assert reply.headers["Content-Disposition"].startswith('attachment; filename="summary-views')
    body = reply.get_data(as_text=True)
    assert f"{OPEN_TEXT} 0" in body and "Notesmarker" in body  # made before the purge
    assert stored(app, ended) == (0, 0)
    with app.app_context():
        records = db.session.scalars(select(PurgeRecord).where(PurgeRecord.workshop_id == ended))
        assert [(record.responses, record.questions) for record in records] == [(answers, 1)]
    assert workshop_row(app, ended).purged_on is not None


def test_export_then_purge_from_a_form(
    facilitator_client: FlaskClient, app: Flask, ended: int
) -> None:
    reply = facilitator_client.post(
        url(ended, "export-then-purge"), data={"format": "md", "confirm": "yes"}
    )
    assert reply.status_code == 200
    assert reply.content_type.startswith("text/markdown")
    assert stored(app, ended) == (0, 0)


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"format": "docx", "confirm": True}, 400, "invalid_format"),
        ({"confirm": True}, 400, "invalid_format"),
        ({"format": "csv"}, 400, "confirmation_required"),
        ({"format": "csv", "confirm": "maybe"}, 400, "confirmation_required"),
    ],
)
def test_export_then_purge_refusals_delete_nothing(
    facilitator_client: FlaskClient, app: Flask, ended: int, body: Any, status: int, code: str
) -> None:
    before = stored(app, ended)
    reply = facilitator_client.post(url(ended, "export-then-purge"), json=body, headers=JSON)
    assert reply.status_code == status
    assert error_code(reply) == code
    assert stored(app, ended) == before


def test_export_then_purge_is_refused_while_live(
    facilitator_client: FlaskClient, app: Flask, run_workshop: Callable[..., int]
) -> None:
    live = run_workshop(end=False)
    reply = facilitator_client.post(
        url(live, "export-then-purge"), json={"format": "csv", "confirm": True}, headers=JSON
    )
    assert reply.status_code == 409
    assert error_code(reply) == "invalid_state"
    assert stored(app, live)[0] > 0


@pytest.mark.app_config(HEARTH_PDF_BROWSER="/nonexistent/chromium")
def test_export_then_purge_deletes_nothing_when_the_file_cannot_be_made(
    facilitator_client: FlaskClient, app: Flask, ended: int
) -> None:
    before = stored(app, ended)
    reply = facilitator_client.post(
        url(ended, "export-then-purge"), json={"format": "pdf", "confirm": True}, headers=JSON
    )
    assert reply.status_code == 503
    assert error_code(reply) == "pdf_unavailable"
    assert stored(app, ended) == before
    assert workshop_row(app, ended).purged_on is None


# --- retention ----------------------------------------------------------------------------


def test_retention_can_be_changed_and_moves_the_deletion_day(
    facilitator_client: FlaskClient, app: Flask, ended: int
) -> None:
    reply = facilitator_client.post(
        url(ended, "retention"), json={"purge_after_days": 7}, headers=JSON
    )
    assert reply.status_code == 200
    state = reply.get_json()["summary"]
    ended_on = date.fromisoformat(state["ended_on"])
    assert state["purge_after_days"] == 7
    assert state["purge_due_on"] == (ended_on + timedelta(days=7)).isoformat()
    assert workshop_row(app, ended).purge_after_days == 7


def test_the_summary_writes_are_services_that_need_no_request(app: Flask, ended: int) -> None:
    # The view only reads the request; the rules and the write are hearth.services.summaries.
    with app.app_context():
        workshop = db.session.get(Workshop, ended)
        assert workshop is not None
        summaries.save_notes(workshop, "one\rtwo")
        summaries.set_retention(workshop, " 9 ")
    row = workshop_row(app, ended)
    assert (row.notes, row.purge_after_days) == ("one\ntwo", 9)


def test_retention_from_a_form(facilitator_client: FlaskClient, app: Flask, ended: int) -> None:
    reply = facilitator_client.post(url(ended, "retention"), data={"purge_after_days": " 90 "})
    assert reply.status_code == 303
    assert workshop_row(app, ended).purge_after_days == 90


def test_retention_can_be_set_before_the_end(
    facilitator_client: FlaskClient, run_workshop: Callable[..., int]
) -> None:
    live = run_workshop(end=False)
    reply = facilitator_client.post(
        url(live, "retention"), json={"purge_after_days": 1}, headers=JSON
    )
    assert reply.status_code == 200
    assert reply.get_json()["summary"]["purge_due_on"] is None


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"purge_after_days": 0}, "invalid_value"),
        ({"purge_after_days": 366}, "invalid_value"),
        ({"purge_after_days": -3}, "invalid_value"),
        ({"purge_after_days": "abc"}, "invalid_value"),
        ({"purge_after_days": 3.5}, "invalid_value"),
        ({"purge_after_days": True}, "invalid_value"),
        ({"purge_after_days": None}, "invalid_value"),
        ({}, "invalid_payload"),
    ],
)
def test_bad_retention_is_refused(
    facilitator_client: FlaskClient, app: Flask, ended: int, body: Any, code: str
) -> None:
    reply = facilitator_client.post(url(ended, "retention"), json=body, headers=JSON)
    assert reply.status_code == 400
    assert error_code(reply) == code
    assert workshop_row(app, ended).purge_after_days == 30


def test_retention_cannot_change_after_the_answers_are_deleted(
    facilitator_client: FlaskClient, ended: int
) -> None:
    facilitator_client.post(url(ended, "purge"), json={"confirm": True}, headers=JSON)
    reply = facilitator_client.post(
        url(ended, "retention"), json={"purge_after_days": 9}, headers=JSON
    )
    assert reply.status_code == 409
    assert error_code(reply) == "invalid_state"


# --- the control room and the dashboard partial ------------------------------------------


def test_the_control_room_has_the_summary_view(facilitator_client: FlaskClient, ended: int) -> None:
    facilitator_client.post(url(ended, "notes"), json={"notes": "<b>mine</b>\nline"}, headers=JSON)
    page = facilitator_client.get(f"/facilitator/workshops/{ended}").get_data(as_text=True)
    assert 'id="summary-panel"' in page and 'id="tab-summary"' in page
    # After the end the Summary view is the one shown first.
    assert re.search(r'id="tab-summary" aria-controls="summary-panel" aria-selected="true"', page)
    assert "&lt;b&gt;mine&lt;/b&gt;\nline</textarea>" in page
    for fmt in ("html", "pdf", "md", "csv", "xlsx", "json"):
        assert f'href="/facilitator/workshops/{ended}/export?format={fmt}"' in page
    assert "style=" not in page


def test_the_downloads_partial_renders_compact_links(app: Flask, ended: int) -> None:
    from flask import render_template_string

    with app.test_request_context():
        workshop = db.session.get(Workshop, ended)
        html = render_template_string(
            '{% from "facilitator/_downloads.html" import download_links %}'
            "{{ download_links(workshop, compact=True) }}",
            workshop=workshop,
        )
    links = re.findall(r'href="([^"]+)"', html)
    assert links == [
        f"/facilitator/workshops/{ended}/export?format={fmt}"
        for fmt in ("html", "pdf", "md", "csv", "xlsx", "json")
    ]
    assert "Summary views test" in html  # each link names its workshop for screen readers


def test_support_numbers_become_tel_links() -> None:
    """Phone numbers in a contact line are tel: links; short digits and words stay text."""
    from participant.summary_views import contact_parts

    assert contact_parts("Call or text 988.") == [
        {"text": "Call or text "},
        {"text": "988", "tel": "988"},
        {"text": "."},
    ]
    assert contact_parts("Call 116 123.")[1] == {"text": "116 123", "tel": "116123"}
    assert contact_parts("Open 24/7") == [{"text": "Open 24/7"}]
    assert contact_parts("") == []
