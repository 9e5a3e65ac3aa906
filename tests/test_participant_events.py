"""The /participant namespace: joining, answering, passing and retracting from phones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from hearth.extensions import db
from hearth.models import Response
from hearth.privacy import issue_participant_token, response_key


def stored(app: Flask, activity_id: int | None = None) -> list[tuple[Any, bool, str | None]]:
    """(value, passed, moderation) of every stored response (of one activity)."""
    query = select(Response.value, Response.passed, Response.moderation).order_by(
        Response.activity_id, Response.key
    )
    if activity_id is not None:
        query = query.where(Response.activity_id == activity_id)
    with app.app_context():
        return [tuple(row) for row in db.session.execute(query)]


@pytest.fixture
def live(make_workshop: Callable[..., Any], show: Callable[..., None]) -> Any:
    """A started workshop showing its first choice poll (open for answers)."""
    workshop = make_workshop()
    show(workshop, workshop.first("choice"))
    return workshop


# --- connecting ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "auth",
    [None, {}, {"code": ""}, {"code": "   "}, {"code": 123456}, {"token": "x" * 40}, "K7Q2MX"],
    ids=["no-auth", "empty", "blank", "spaces", "number", "token-only", "string-auth"],
)
def test_participant_without_code_is_refused(phone: Callable[..., Any], auth: Any) -> None:
    sock = phone(auth=auth)
    assert not sock.alive
    assert sock.refusal["code"] == "unknown_code"
    assert sock.refusal["message"]


def test_participant_with_unknown_code_is_refused(phone: Callable[..., Any]) -> None:
    sock = phone("ZZZZZZ")
    assert not sock.alive
    assert sock.refusal == {
        "code": "unknown_code",
        "message": "No workshop has that code. Check the code on the screen.",
    }


def test_participant_of_an_ended_workshop_is_refused(
    make_workshop: Callable[..., Any], act: Callable[..., None], phone: Callable[..., Any]
) -> None:
    workshop = make_workshop()
    act(workshop, "start")
    act(workshop, "end")
    sock = phone(workshop.code)
    assert not sock.alive
    assert sock.refusal["code"] == "workshop_ended"
    assert "ended" in sock.refusal["message"]


@pytest.mark.app_config(JOIN_RATE="3/minute")
def test_too_many_wrong_codes_are_rate_limited(
    make_workshop: Callable[..., Any], phone: Callable[..., Any]
) -> None:
    workshop = make_workshop()
    for _ in range(3):
        assert phone("ZZZZZZ").refusal["code"] == "unknown_code"
    refused = phone("ZZZZZY")
    assert not refused.alive
    assert refused.refusal["code"] == "rate_limited"
    # The right code still gets in (tests/test_server_settings.py has the reconnect).
    assert phone(workshop.code).alive


def test_code_is_forgiven_for_case_and_spaces(
    make_workshop: Callable[..., Any], phone: Callable[..., Any]
) -> None:
    workshop = make_workshop()
    typed = f" {workshop.code[:3].lower()} {workshop.code[3:].lower()} "
    sock = phone(typed)
    assert sock.alive
    assert sock.received("welcome")[0]["workshop"]["code"] == workshop.code


def test_welcome_then_state_on_connect(
    make_workshop: Callable[..., Any], phone: Callable[..., Any]
) -> None:
    workshop = make_workshop()
    sock = phone(workshop.code)
    (name1, welcome), (name2, state) = sock.events()
    assert (name1, name2) == ("welcome", "state")
    assert welcome["workshop"] == {"title": workshop.title, "code": workshop.code}
    assert len(welcome["token"]) >= 32
    assert state["phase"] == "lobby"
    assert state["activity"] is None
    assert state["accepting"] is False
    assert state["mine"] is None
    assert state["min_group"] == workshop.min_group
    assert isinstance(state["version"], int)


def test_state_on_connect_shows_the_current_activity(live: Any, phone: Callable[..., Any]) -> None:
    choice = live.first("choice")
    state = phone(live.code).received("state")[0]
    assert state["phase"] == "live"
    assert state["accepting"] is True
    assert state["activity"]["id"] == choice.id
    assert state["activity"]["options"] == choice.spec["options"]
    assert state["results"]["hidden"] == "below_threshold"
    assert state["results"]["answered"] == 0 and "passed" not in state["results"]


def test_each_phone_gets_its_own_token(live: Any, phone: Callable[..., Any]) -> None:
    tokens = {phone(live.code).received("welcome")[0]["token"] for _ in range(3)}
    assert len(tokens) == 3


@pytest.mark.parametrize(
    "token",
    ["short", "has spaces in it and is long enough......", "x" * 43, 42, ["x"], "x" * 5000],
    ids=["short", "spaces", "invented", "number", "list", "huge"],
)
def test_a_token_the_server_did_not_issue_is_refused(
    live: Any, phone: Callable[..., Any], token: Any
) -> None:
    sock = phone(auth={"code": live.code, "token": token})
    assert not sock.alive
    assert sock.refusal["code"] == "invalid_token"
    assert sock.refusal["message"]


def test_a_token_of_another_workshop_is_refused(
    live: Any, make_workshop: Callable[..., Any], phone: Callable[..., Any]
) -> None:
    other = make_workshop()
    token = phone(other.code).received("welcome")[0]["token"]
    sock = phone(live.code, token)
    assert not sock.alive
    assert sock.refusal["code"] == "invalid_token"


def test_an_altered_token_is_refused(live: Any, phone: Callable[..., Any]) -> None:
    token = phone(live.code).received("welcome")[0]["token"]
    nonce, _, signature = token.rpartition(".")
    forged = (
        f"{nonce}.{signature[:-2]}AA"
        if not signature.endswith("AA")
        else f"{nonce}.{signature[:-2]}BB"
    )
    assert phone(live.code, forged).refusal["code"] == "invalid_token"


def test_a_token_issued_by_another_server_is_refused(live: Any, phone: Callable[..., Any]) -> None:
    token = issue_participant_token("another-server's-secret", live.id)
    assert phone(live.code, token).refusal["code"] == "invalid_token"


def test_reconnect_with_the_same_token_gets_mine_back(live: Any, phone: Callable[..., Any]) -> None:
    choice = live.first("choice")
    first = phone(live.code)
    token = first.received("welcome")[0]["token"]
    assert first.answer(choice, 2)["ok"] is True
    first.disconnect(first.ns)

    again = phone(live.code, token)
    events = dict(again.events())
    assert events["welcome"]["token"] == token
    assert events["state"]["mine"] == {"value": 2, "passed": False}
    assert phone(live.code).received("state")[0]["mine"] is None


# --- answering ----------------------------------------------------------------------------


def test_answer_is_acked_after_it_is_stored(
    app: Flask, live: Any, phone: Callable[..., Any]
) -> None:
    choice = live.first("choice")
    ack = phone(live.code).answer(choice, 1)
    assert ack == {"ok": True, "activity_id": choice.id, "mine": {"value": 1, "passed": False}}
    assert stored(app) == [(1, False, None)]


def test_scale_and_open_answers_are_stored(
    app: Flask, make_workshop: Callable[..., Any], show: Callable[..., None], phone: Any
) -> None:
    workshop = make_workshop()
    scale, open_ = workshop.first("scale"), workshop.first("open")
    sock = phone(workshop.code)
    show(workshop, scale)
    assert sock.answer(scale, 0)["ok"] is True
    show(workshop, open_)
    assert sock.answer(open_, "  Being listened to  ")["mine"]["value"] == "Being listened to"
    assert stored(app) == [(0, False, None), ("Being listened to", False, "pending")]


def test_open_answers_are_masked_before_storage(
    app: Flask, make_workshop: Callable[..., Any], show: Callable[..., None], phone: Any
) -> None:
    workshop = make_workshop()
    open_ = workshop.first("open")
    show(workshop, open_)
    ack = phone(workshop.code).answer(open_, "Write to me: sam@example.org")
    assert ack["mine"]["value"] == "Write to me: [email removed]"
    assert stored(app) == [("Write to me: [email removed]", False, "pending")]


GONE = object()  # a field left out of the payload


def changed(**changes: Any) -> Callable[[Any], dict[str, Any]]:
    """A good answer payload for an activity, with fields changed (GONE removes one)."""

    def make(activity: Any) -> dict[str, Any]:
        payload = {"activity_id": activity.id, "value": 1, "msg_id": "m1", **changes}
        return {key: value for key, value in payload.items() if value is not GONE}

    return make


BAD_ANSWERS: list[tuple[str, Callable[[Any], Any], str]] = [
    ("not-a-dict", lambda a: "answer", "invalid_payload"),
    ("a-list", lambda a: [a.id, 1], "invalid_payload"),
    ("none", lambda a: None, "invalid_payload"),
    ("no-activity-id", changed(activity_id=GONE), "invalid_payload"),
    ("string-activity-id", lambda a: changed(activity_id=str(a.id))(a), "invalid_payload"),
    ("bool-activity-id", changed(activity_id=True), "invalid_payload"),
    ("no-value", changed(value=GONE), "invalid_payload"),
    ("no-msg-id", changed(msg_id=GONE), "invalid_payload"),
    ("empty-msg-id", changed(msg_id=""), "invalid_payload"),
    ("number-msg-id", changed(msg_id=7), "invalid_payload"),
    ("long-msg-id", changed(msg_id="m" * 65), "invalid_payload"),
    ("option-too-high", changed(value=6), "invalid_value"),
    ("option-negative", changed(value=-1), "invalid_value"),
    ("option-as-string", changed(value="1"), "invalid_value"),
    ("option-as-float", changed(value=1.0), "invalid_value"),
    ("option-as-true", changed(value=True), "invalid_value"),
    ("option-as-false", changed(value=False), "invalid_value"),
    ("option-null", changed(value=None), "invalid_value"),
    ("option-list", changed(value=[0, 1]), "invalid_value"),
    ("unknown-activity", changed(activity_id=999_999), "unknown_activity"),
]


@pytest.mark.parametrize(
    ("make_payload", "code"),
    [(make, code) for _, make, code in BAD_ANSWERS],
    ids=[name for name, _, _ in BAD_ANSWERS],
)
def test_bad_answers_are_refused_and_nothing_is_stored(
    app: Flask, live: Any, phone: Callable[..., Any], make_payload: Any, code: str
) -> None:
    sock = phone(live.code)
    ack = sock.call("answer", make_payload(live.first("choice")))
    assert ack["ok"] is False
    assert ack["error"]["code"] == code
    assert ack["error"]["message"]
    assert stored(app) == []
    assert sock.alive
    assert sock.answer(live.first("choice"), 0)["ok"] is True


@pytest.mark.parametrize(
    ("value", "code"),
    [(11, "invalid_value"), (-1, "invalid_value"), (True, "invalid_value"), (5.5, "invalid_value")],
)
def test_bad_scale_values_are_refused(
    app: Flask,
    make_workshop: Callable[..., Any],
    show: Callable[..., None],
    phone: Any,
    value: Any,
    code: str,
) -> None:
    workshop = make_workshop()
    scale = workshop.first("scale")
    show(workshop, scale)
    ack = phone(workshop.code).answer(scale, value)
    assert (ack["ok"], ack["error"]["code"]) == (False, code)
    assert stored(app) == []


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("x" * 281, "too_long"),
        ("", "invalid_value"),
        ("   ", "invalid_value"),
        (3, "invalid_value"),
    ],
)
def test_bad_open_answers_are_refused(
    app: Flask,
    make_workshop: Callable[..., Any],
    show: Callable[..., None],
    phone: Any,
    value: Any,
    code: str,
) -> None:
    workshop = make_workshop()
    open_ = workshop.first("open")
    show(workshop, open_)
    sock = phone(workshop.code)
    ack = sock.answer(open_, value)
    assert (ack["ok"], ack["error"]["code"]) == (False, code)
    assert stored(app) == []
    assert sock.alive


def test_an_activity_of_another_workshop_is_unknown(
    app: Flask,
    live: Any,
    make_workshop: Callable[..., Any],
    show: Callable[..., None],
    phone: Callable[..., Any],
) -> None:
    other = make_workshop()
    show(other, other.first("choice"))
    ack = phone(live.code).answer(other.first("choice"), 0)
    assert ack["error"]["code"] == "unknown_activity"
    assert stored(app) == []


def test_an_activity_that_is_not_showing_is_refused(
    app: Flask, live: Any, phone: Callable[..., Any]
) -> None:
    ack = phone(live.code).answer(live.first("scale"), 3)
    assert ack["error"]["code"] == "not_current"
    assert stored(app) == []


def test_an_answer_in_the_lobby_is_refused(
    app: Flask, make_workshop: Callable[..., Any], phone: Callable[..., Any]
) -> None:
    workshop = make_workshop()
    ack = phone(workshop.code).answer(workshop.first("choice"), 0)
    assert ack["error"]["code"] == "not_current"
    assert stored(app) == []


def test_a_closed_activity_is_refused(
    app: Flask, live: Any, act: Callable[..., None], phone: Callable[..., Any]
) -> None:
    sock = phone(live.code)
    act(live, "close")
    ack = sock.answer(live.first("choice"), 0)
    assert ack["error"]["code"] == "closed"
    assert stored(app) == []
    assert sock.alive


def test_a_content_slide_takes_no_answers(
    app: Flask, make_workshop: Callable[..., Any], act: Callable[..., None], phone: Any
) -> None:
    workshop = make_workshop()
    act(workshop, "start")
    content = workshop.activities[0]
    assert content.kind == "content"
    sock = phone(workshop.code)
    assert sock.answer(content, 0)["error"]["code"] == "no_answers"
    assert sock.pass_on(content)["error"]["code"] == "no_answers"
    assert stored(app) == []


def test_an_answer_after_the_end_is_refused(
    app: Flask, live: Any, act: Callable[..., None], phone: Callable[..., Any]
) -> None:
    sock = phone(live.code)
    act(live, "end")
    assert sock.answer(live.first("choice"), 0)["error"]["code"] == "workshop_ended"
    assert stored(app) == []


def test_every_message_of_a_phone_after_the_end_gets_the_one_refusal(
    live: Any, act: Callable[..., None], phone: Callable[..., Any]
) -> None:
    """Answers, questions, upvotes, break signals and reactions share one guard (one code,
    one sentence) once the workshop has ended."""
    sock = phone(live.code)
    act(live, "end")
    acks = [
        sock.answer(live.first("choice"), 0),
        sock.call("ask", {"text": "Still there?", "msg_id": "q1"}),
        sock.call("upvote", {"question_id": 1}),
        sock.call("signal", {"kind": "break"}),
        sock.call("react", {"emoji": "💛"}),
    ]
    errors = [(ack["ok"], ack["error"]["code"], ack["error"]["message"]) for ack in acks]
    ended = (False, "workshop_ended", "This workshop has ended. Thank you for taking part.")
    assert errors == [ended] * len(acks)


def test_a_replayed_msg_id_changes_nothing_and_is_acked_again(
    app: Flask, live: Any, phone: Callable[..., Any]
) -> None:
    choice = live.first("choice")
    sock = phone(live.code)
    first = sock.answer(choice, 1, msg_id="retry-me")
    again = sock.answer(choice, 4, msg_id="retry-me")
    assert (
        first
        == again
        == {
            "ok": True,
            "activity_id": choice.id,
            "mine": {"value": 1, "passed": False},
        }
    )
    assert stored(app) == [(1, False, None)]


def test_a_replay_after_the_activity_closed_is_still_acked(
    app: Flask, live: Any, act: Callable[..., None], phone: Callable[..., Any]
) -> None:
    """The outbox retries until acked, even across a close: the answer was stored in time."""
    choice = live.first("choice")
    sock = phone(live.code)
    assert sock.answer(choice, 1, msg_id="late-ack")["ok"] is True
    act(live, "close")
    assert sock.answer(choice, 1, msg_id="late-ack")["ok"] is True
    assert stored(app) == [(1, False, None)]


def test_changing_an_answer_while_open_keeps_one_row(
    app: Flask, live: Any, phone: Callable[..., Any]
) -> None:
    choice = live.first("choice")
    sock = phone(live.code)
    sock.answer(choice, 1)
    ack = sock.answer(choice, 3)
    assert ack["mine"] == {"value": 3, "passed": False}
    assert stored(app) == [(3, False, None)]


def test_a_pass_is_stored_without_a_value(app: Flask, live: Any, phone: Callable[..., Any]) -> None:
    choice = live.first("choice")
    ack = phone(live.code).pass_on(choice)
    assert ack == {"ok": True, "activity_id": choice.id, "mine": {"value": None, "passed": True}}
    assert stored(app) == [(None, True, None)]


def test_passing_after_answering_replaces_the_answer(
    app: Flask, live: Any, phone: Callable[..., Any]
) -> None:
    choice = live.first("choice")
    sock = phone(live.code)
    sock.answer(choice, 2)
    sock.pass_on(choice)
    assert stored(app) == [(None, True, None)]
    sock.answer(choice, 0)
    assert stored(app) == [(0, False, None)]


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ("pass", "invalid_payload"),
        ({"msg_id": "m1"}, "invalid_payload"),
        ({"activity_id": "1", "msg_id": "m1"}, "invalid_payload"),
        ({"activity_id": 999_999, "msg_id": "m1"}, "unknown_activity"),
    ],
)
def test_bad_passes_are_refused(
    app: Flask, live: Any, phone: Callable[..., Any], payload: Any, code: str
) -> None:
    ack = phone(live.code).call("pass", payload)
    assert ack["error"]["code"] == code
    assert stored(app) == []


def test_a_pass_without_msg_id_is_refused(app: Flask, live: Any, phone: Callable[..., Any]) -> None:
    ack = phone(live.code).call("pass", {"activity_id": live.first("choice").id})
    assert ack["error"]["code"] == "invalid_payload"
    assert stored(app) == []


def test_pass_is_counted_for_the_facilitator(
    live: Any, crowd: Callable[..., list[Any]], facilitator_socket: Any, flush: Any
) -> None:
    choice = live.first("choice")
    control = facilitator_socket(live)
    control.received()
    phones = crowd(live, 4)
    for sock in phones[:3]:
        sock.answer(choice, 0)
    phones[3].pass_on(choice)
    flush()
    (results,) = [r for r in control.received("results") if r["activity_id"] == choice.id]
    assert (results["answered"], results["passed"], results["counts"][0]) == (3, 1, 3)


def test_retract_one_answer(app: Flask, live: Any, phone: Callable[..., Any]) -> None:
    choice = live.first("choice")
    sock, other = phone(live.code), phone(live.code)
    sock.answer(choice, 1)
    other.answer(choice, 2)
    assert sock.call("retract", {"activity_id": choice.id}) == {"ok": True, "removed": 1}
    assert stored(app) == [(2, False, None)]
    assert sock.call("retract", {"activity_id": choice.id}) == {"ok": True, "removed": 0}


def test_retract_all_removes_every_answer_of_this_phone_only(
    app: Flask,
    make_workshop: Callable[..., Any],
    show: Callable[..., None],
    phone: Callable[..., Any],
) -> None:
    workshop = make_workshop()
    scale, choice = workshop.first("scale"), workshop.first("choice")
    sock, other = phone(workshop.code), phone(workshop.code)
    show(workshop, scale)
    sock.answer(scale, 4)
    other.answer(scale, 5)
    show(workshop, choice)
    sock.pass_on(choice)
    assert sock.call("retract", {"all": True}) == {"ok": True, "removed": 2}
    assert stored(app) == [(5, False, None)]


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (None, "invalid_payload"),
        ({}, "invalid_payload"),
        ({"all": "yes"}, "invalid_payload"),
        ({"activity_id": 999_999}, "unknown_activity"),
    ],
)
def test_bad_retracts_are_refused(
    live: Any, phone: Callable[..., Any], payload: Any, code: str
) -> None:
    sock = phone(live.code)
    assert sock.call("retract", payload)["error"]["code"] == code
    assert sock.alive


def test_no_answer_is_counted_twice_across_reconnects(
    app: Flask, live: Any, phone: Callable[..., Any]
) -> None:
    choice = live.first("choice")
    token = None
    for value in (0, 1, 2):
        sock = phone(live.code, token)
        token = sock.received("welcome")[0]["token"]
        assert sock.answer(choice, value)["ok"] is True
        sock.disconnect(sock.ns)
    assert stored(app) == [(2, False, None)]
    with app.app_context():
        keys = list(db.session.scalars(select(Response.key)))
        assert keys == [response_key(app.config["SECRET_KEY"], token, choice.id)]


def test_unexpected_events_do_not_disconnect_the_phone(
    live: Any, phone: Callable[..., Any]
) -> None:
    sock = phone(live.code)
    sock.call("answer", {"activity_id": live.first("choice").id, "value": {"$gt": 1}, "msg_id": 1})
    sock.call("answer", {"activity_id": 2**70, "value": 1, "msg_id": "m"})
    assert sock.alive
    assert sock.answer(live.first("choice"), 0)["ok"] is True


WEIRD_VALUES = [None, True, -1, 1.5, "", "x" * 10_000, [], [1, [2]], {}, {"$gt": 0}]
BEYOND_64_BITS = 2**70
PHONE_EVENTS = ["answer", "pass", "retract", "ask", "upvote", "signal", "react"]


def assert_no_server_error(sock: Any, event: str, weird: Any) -> None:
    """Send an event with every field set to a weird value; the ack must name the problem."""
    fields = ("activity_id", "value", "all", "text", "question_id", "kind", "emoji")
    weird_fields = {field: weird for field in fields}
    for payload in (weird, {**weird_fields, "msg_id": weird}, {**weird_fields, "msg_id": "m1"}):
        ack = sock.call(event, payload)
        assert isinstance(ack, dict), (payload, ack)
        if not ack["ok"]:
            assert ack["error"]["code"] != "server_error", (payload, ack)
    assert sock.alive


@pytest.mark.parametrize("event", PHONE_EVENTS)
def test_no_phone_message_causes_a_server_error(
    live: Any, act: Callable[..., None], phone: Callable[..., Any], event: str
) -> None:
    act(live, "qa_open")
    sock = phone(live.code)
    for weird in WEIRD_VALUES:
        assert_no_server_error(sock, event, weird)


@pytest.mark.parametrize(
    "event",
    [
        "answer",
        "pass",
        "retract",
        "upvote",
        "ask",
        "signal",
        "react",
    ],
)
def test_an_id_beyond_64_bits_causes_no_server_error(
    live: Any, act: Callable[..., None], phone: Callable[..., Any], event: str
) -> None:
    act(live, "qa_open")
    assert_no_server_error(phone(live.code), event, BEYOND_64_BITS)


def test_a_connect_that_fails_midway_is_refused_and_forgotten(
    live: Any, phone: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from hearth import realtime
    from participant import events

    def broken(*args: Any) -> Any:
        raise RuntimeError("database went away")

    monkeypatch.setattr(realtime, "participant_snapshot", broken)
    sock = phone(live.code)
    assert not sock.alive
    assert sock.refusal["code"] == "server_error"
    assert events._phones == {}
    assert realtime.hub.connected[live.id] == 0
