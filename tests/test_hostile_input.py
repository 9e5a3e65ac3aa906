"""Hostile text and payloads: refused at the door, harmless in exports, absent from logs.

docs/protocol.md: text holding a lone surrogate or a C0 control character (other than tab,
newline and carriage return) is refused with `invalid_value` on every route and event;
JSON nested deeper than 32 levels is refused with `invalid_payload`, never a 500. Every
export format copes with such text if it was stored anyway, and a logged fault names its
type and location, never its message (docs/privacy.md).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from hearth import exports
from hearth.extensions import db, writing
from hearth.json_guard import (
    MAX_DEPTH,
    TOO_DEEP,
    TOO_DEEP_MESSAGE,
    SocketJSON,
    nesting_depth,
)
from hearth.logs import fault_summary
from hearth.models import Question, Response, Workshop
from hearth.privacy import issue_participant_token
from hearth.services import questions, responses
from hearth.services.workshops import perform_action
from hearth.text import check_text, printable

BAD_TEXTS = [
    pytest.param("ok\ud800", id="lone-high-surrogate"),
    pytest.param("\udfffok", id="lone-low-surrogate"),
    pytest.param("nul\x00here", id="nul"),
    pytest.param("bell\x07", id="bell"),
    pytest.param("\x1b[31mred", id="escape"),
    pytest.param("form\x0cfeed", id="form-feed"),
    pytest.param("del\x1f", id="unit-separator"),
]
GOOD_TEXT = "Two lines\r\nand\ta tab — café 💛"
SECRET = "Zanzibarsecret answer"


def nested(depth: int, leaf: Any = 1) -> Any:
    """A value nested `depth` lists deep."""
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


def assert_refused(ack: dict[str, Any], code: str) -> None:
    """An ack in the documented error shape with this code."""
    assert ack["ok"] is False
    assert ack["error"]["code"] == code
    assert ack["error"]["message"]


# --- the check itself ---------------------------------------------------------------------


@pytest.mark.parametrize("text", BAD_TEXTS)
def test_refused_characters_are_refused_with_invalid_value(text: str) -> None:
    from hearth.errors import HearthError

    with pytest.raises(HearthError) as refused:
        check_text(text)
    assert refused.value.code == "invalid_value"


def test_newline_carriage_return_tab_and_any_other_character_pass() -> None:
    assert check_text(GOOD_TEXT) == GOOD_TEXT


def test_printable_replaces_surrogates_and_drops_controls_everywhere_in_a_document() -> None:
    cleaned = printable({"t\x00": ["ok\ud800", {"n": "a\x00b\x1bc"}], "keep": GOOD_TEXT, "n": 3})
    assert cleaned == {"t": ["ok\ufffd", {"n": "abc"}], "keep": GOOD_TEXT, "n": 3}


def test_nesting_depth_ignores_brackets_inside_strings() -> None:
    assert nesting_depth(json.dumps(nested(MAX_DEPTH + 5))) == MAX_DEPTH + 5
    assert nesting_depth(json.dumps({"a": "[[[[" * 40, "b": ["x"]})) == 2
    assert nesting_depth(json.dumps(['"\\"[' * 50])) == 1


# --- phones -------------------------------------------------------------------------------


@pytest.fixture
def live(make_workshop: Callable[..., Any], show: Callable[..., None]) -> Any:
    """A live workshop showing its first open-text activity."""
    workshop = make_workshop(min_group=3)
    show(workshop, workshop.first("open"))
    return workshop


@pytest.mark.parametrize("text", BAD_TEXTS)
def test_open_answer_with_a_refused_character_is_refused_and_a_good_one_still_counts(
    live: Any, phone: Callable[..., Any], text: str
) -> None:
    p = phone(live.code)
    activity = live.first("open")
    assert_refused(p.answer(activity, text), "invalid_value")
    assert p.alive
    ack = p.answer(activity, GOOD_TEXT)
    assert ack["ok"] is True, ack


@pytest.mark.parametrize("text", BAD_TEXTS)
def test_words_question_and_facilitator_texts_are_refused_alike(
    live: Any,
    phone: Callable[..., Any],
    facilitator_socket: Callable[..., Any],
    show: Callable[..., None],
    text: str,
) -> None:
    p = phone(live.code)
    assert_refused(p.call("ask", {"text": text, "msg_id": "m-ask-1"}), "invalid_value")
    # A key of the payload is text from outside too.
    assert_refused(p.call("ask", {"text": "fine", "msg_id": "m-ask-2", text: 1}), "invalid_value")
    control = facilitator_socket(live)
    assert_refused(control.call("act", {"action": "hide_word", "word": text}), "invalid_value")
    resource = {"name": text, "contact": "0800 000", "purpose": "Support", "checked_on": None}
    assert_refused(
        control.call("act", {"action": "resources", "resources": [resource]}), "invalid_value"
    )
    show(live, live.first("words"))
    assert_refused(p.answer(live.first("words"), ["calm", text]), "invalid_value")
    assert p.alive and control.alive


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 300])
def test_a_socket_payload_nested_too_deeply_is_acked_invalid_payload(
    live: Any, phone: Callable[..., Any], depth: int
) -> None:
    # The test client encodes and the server decodes a real packet (with SocketJSON); the
    # client's own encoder recurses, so thousands of levels are tested on the raw packet below.
    p = phone(live.code)
    activity = live.first("open")
    payload = {"activity_id": activity.id, "value": nested(depth), "msg_id": "m-deep"}
    assert_refused(p.call("answer", payload), "invalid_payload")
    assert_refused(p.call("ask", {"text": nested(depth), "msg_id": "m-deep-2"}), "invalid_payload")
    assert p.alive
    assert p.answer(activity, "Still here")["ok"] is True


def test_a_packet_too_deep_to_parse_keeps_its_event_name() -> None:
    packet = '["answer",{"value":' + "[" * 5000 + "]" * 5000 + "}]"
    assert SocketJSON.loads(packet) == ["answer", TOO_DEEP]
    assert SocketJSON.loads("{" + '"a":' * 0 + "[" * 100 + "]" * 100 + "}") is TOO_DEEP
    assert SocketJSON.loads('["answer",{"value":[[1]]}]') == ["answer", {"value": [[1]]}]


def test_a_connect_with_deeply_nested_auth_is_refused_calmly(phone: Callable[..., Any]) -> None:
    p = phone(auth={"code": nested(300, "ABCDEF")})
    assert not p.alive
    assert p.refusal is not None and p.refusal["code"] == "unknown_code"


# --- HTTP ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", BAD_TEXTS)
def test_api_json_with_a_refused_character_is_refused(
    api: Any, make_workshop: Callable[..., Any], text: str
) -> None:
    plan = {"title": text, "activities": [{"kind": "open", "prompt": "Why?"}]}
    response = api.post("/plans", plan)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_value"
    workshop = make_workshop()
    response = api.post(f"/workshops/{workshop.id}/actions", {"action": "hide_word", "word": text})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_value"


@pytest.mark.parametrize("escape", ["\\0", "\\x07", "\\ud800"])
def test_a_yaml_plan_spelling_a_refused_character_is_refused(api: Any, escape: str) -> None:
    body = f'title: "Trust{escape}"\nactivities:\n  - kind: open\n    prompt: Why?\n'
    response = api.post("/plans", data=body, content_type="application/yaml")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_value"


def test_an_article_with_a_control_character_is_refused_but_page_breaks_are_kept(
    api: Any,
) -> None:
    body = "Trust\n\nTrust is built slowly.\x00 It grows with care."
    response = api.post("/plans/import", data=body, content_type="text/plain")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_value"
    body = "Trust\n\nTrust is built slowly over many small moments.\x0cIt grows with care."
    assert api.post("/plans/import", data=body, content_type="text/plain").status_code == 200


def test_a_form_field_with_a_control_character_is_refused(
    facilitator_client: FlaskClient, make_workshop: Callable[..., Any]
) -> None:
    workshop = make_workshop()
    response = facilitator_client.post(
        f"/facilitator/workshops/{workshop.id}/notes",
        data={"notes": "Calm group\x00"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_value"
    response = facilitator_client.post(
        f"/facilitator/workshops/{workshop.id}/notes",
        data={"notes": "Calm group\r\nnext time: boundaries"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5000, 100_000])
def test_http_json_nested_too_deeply_is_a_400_invalid_payload(
    api: Any, make_workshop: Callable[..., Any], depth: int
) -> None:
    workshop = make_workshop()
    body = '{"action": "goto", "index": ' + "[" * depth + "]" * depth + "}"
    for path in (f"/workshops/{workshop.id}/actions", "/workshops", "/plans"):
        response = api.post(path, data=body, content_type="application/json")
        assert response.status_code == 400, path
        assert response.get_json()["error"]["code"] == "invalid_payload"


def test_editor_json_nested_too_deeply_is_a_400_invalid_payload(
    facilitator_client: FlaskClient,
) -> None:
    body = '{"title": "x", "activities": ' + "[" * 5000 + "]" * 5000 + "}"
    response = facilitator_client.post(
        "/facilitator/plans",
        data=body,
        content_type="application/json",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_payload"


def test_json_at_the_depth_limit_passes_the_door(
    api: Any, make_workshop: Callable[..., Any], act: Callable[..., None]
) -> None:
    workshop = make_workshop()
    act(workshop, "start")
    # 32 levels in all: the object is one, the index 31 more. The door lets it through and
    # the action itself refuses the index.
    body = json.dumps({"action": "goto", "index": nested(MAX_DEPTH - 1)})
    response = api.post(
        f"/workshops/{workshop.id}/actions", data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] != TOO_DEEP_MESSAGE
    body = json.dumps({"action": "goto", "index": nested(MAX_DEPTH)})
    response = api.post(
        f"/workshops/{workshop.id}/actions", data=body, content_type="application/json"
    )
    assert response.get_json()["error"]["message"] == TOO_DEEP_MESSAGE


# --- exports tolerate what was stored anyway ---------------------------------------------

# SQLite text columns cannot hold a lone surrogate, but JSON columns (answers) can: they are
# stored as "\\ud800" escapes and read back as the surrogate itself.
STORED_BAD = "Honest talk\x00 \ud800tonight\x1b"
STORED_BAD_TEXT = "Honest talk\x07 tonight\x1b"


@pytest.fixture
def stored_bad_text(
    app: Flask, make_plan: Callable[..., str], make_workshop: Callable[..., Any]
) -> int:
    """A finished workshop whose stored texts hold refused characters (written past the door)."""
    slug = make_plan(
        [
            {"kind": "open", "prompt": "One step?", "max_length": 280},
            {"kind": "words", "prompt": "One word?"},
        ]
    )
    info = make_workshop(min_group=3, plan=slug)
    tokens = [issue_participant_token(app.config["SECRET_KEY"], info.id) for _ in range(3)]
    with app.app_context():
        perform_action(info.id, {"action": "start"})
        perform_action(info.id, {"action": "qa_open"})
        for n, token in enumerate(tokens):
            payload = {"activity_id": info.activities[0].id, "msg_id": f"m{n}", "value": "x"}
            responses.submit_answer(info.id, token, payload)
        question_id = questions.ask(info.id, {"text": "A question", "msg_id": "q1"})
        with writing():
            for row in db.session.scalars(select(Response)):
                row.value = STORED_BAD
            db.session.get(Question, question_id).text = STORED_BAD_TEXT  # type: ignore[union-attr]
            workshop = db.session.get(Workshop, info.id)
            assert workshop is not None
            workshop.title = "Trust\x00\x1b"
            workshop.notes = STORED_BAD_TEXT
        for row in db.session.scalars(select(Response)).all():
            perform_action(info.id, {"action": "approve", "response_id": row.id})
        perform_action(info.id, {"action": "reveal"})
        perform_action(info.id, {"action": "qa_approve", "question_id": question_id})
        perform_action(info.id, {"action": "goto", "index": 1})
        for n, token in enumerate(tokens):
            payload = {"activity_id": info.activities[1].id, "msg_id": f"w{n}", "value": ["hope"]}
            responses.submit_answer(info.id, token, payload)
        with writing():
            for row in db.session.scalars(
                select(Response).where(Response.activity_id == info.activities[1].id)
            ):
                row.value = ["hope\ud800", "nul\x00"]
        perform_action(info.id, {"action": "reveal"})
        perform_action(info.id, {"action": "end"})
    return info.id


@pytest.mark.parametrize("fmt", ["json", "csv", "md", "html", "xlsx", "pdf"])
def test_every_export_copes_with_stored_refused_characters(
    app: Flask, facilitator_client: FlaskClient, stored_bad_text: int, fmt: str
) -> None:
    if fmt == "pdf":
        with app.app_context():
            if exports.find_browser() is None:
                pytest.skip("no Chromium-family browser to print the PDF")
    response = facilitator_client.get(
        f"/facilitator/workshops/{stored_bad_text}/export?format={fmt}"
    )
    assert response.status_code == 200, response.data[:300]
    if fmt == "json":
        document = json.loads(response.data)
        assert "Honest talk \ufffdtonight" in json.dumps(document, ensure_ascii=False)


def test_the_take_home_page_copes_with_stored_refused_characters(
    facilitator_client: FlaskClient, client: FlaskClient, stored_bad_text: int
) -> None:
    published = facilitator_client.post(
        f"/facilitator/workshops/{stored_bad_text}/publish",
        headers={"Accept": "application/json"},
    )
    assert published.status_code == 200
    # Not get_json(): the reply quotes the stored title, which the request door would refuse.
    url = json.loads(published.data)["summary"]["summary_url"]
    page = client.get(url[url.index("/s/") :])
    assert page.status_code == 200
    assert "Honest talk \ufffdtonight" in page.get_data(as_text=True)


# --- logs ---------------------------------------------------------------------------------


def test_a_logged_fault_names_its_type_and_place_never_its_message(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    logger = logging.getLogger("hearth.test")
    try:
        try:
            raise KeyError(SECRET)
        except KeyError:
            raise ValueError(f"Cannot convert {SECRET!r} to Excel") from None
    except ValueError:
        logger.exception("Export failed")
    text = logging.Formatter().format(caplog.records[-1])
    assert SECRET not in text and SECRET not in caplog.text
    assert "ValueError at tests/test_hostile_input.py:" in text
    assert "Export failed" in text


def test_fault_summary_follows_the_exception_it_happened_during() -> None:
    try:
        try:
            {}["missing"]
        except KeyError:
            raise RuntimeError(SECRET)  # noqa: B904  (the implicit context is the point)
    except RuntimeError as error:
        summary = fault_summary((RuntimeError, error, error.__traceback__))
    assert summary.startswith("RuntimeError at tests/test_hostile_input.py:")
    assert "during KeyError at tests/test_hostile_input.py:" in summary
    assert SECRET not in summary


def test_an_openpyxl_failure_on_an_answer_never_writes_the_answer_to_the_log(
    app: Flask,
    facilitator_client: FlaskClient,
    stored_bad_text: int,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Without the exports' cleaning, openpyxl refuses the NUL and quotes the cell in its error.
    monkeypatch.setattr(exports, "printable", lambda data: data)
    with caplog.at_level(logging.ERROR):
        response = facilitator_client.get(
            f"/facilitator/workshops/{stored_bad_text}/export?format=xlsx",
            headers={"Accept": "application/json"},
        )
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "server_error"
    assert "Honest talk" not in response.get_data(as_text=True)
    assert "IllegalCharacterError at openpyxl/" in caplog.text
    assert "Honest talk" not in caplog.text
    assert "Traceback" not in caplog.text
