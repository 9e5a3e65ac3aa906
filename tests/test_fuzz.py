"""Property-based fuzzing of every socket event and every facilitator action (hypothesis).

Whatever a phone or a facilitator sends, the answer is an ack or a JSON error of the shape
docs/protocol.md documents, with a code its error table lists (never `server_error`); the
socket stays connected; /healthz stays green; and afterwards a valid answer still counts
exactly once. Runs are derandomised (a fixed seed per test, no example database) so CI sees
the same examples every time; a failure prints the smallest payload that breaks a rule.

The events and actions come from the app itself (the same discovery as the authorisation
matrix), so a new event or action is fuzzed without a change here; a phone event needs its
fields in PHONE_FIELDS (a guard says so).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hearth import throttle

ROOT = Path(__file__).resolve().parent.parent

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    # The app and its sockets are built once per test and shared by its examples on purpose:
    # state left by one example (a closed activity, a hidden word) is part of the search.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def documented_codes() -> set[str]:
    """The error codes in the table of docs/protocol.md ("## Errors")."""
    text = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    table = text.split("## Errors", 1)[1].split("\n## ", 1)[0]
    codes: set[str] = set()
    for line in table.splitlines():
        if line.startswith("| `"):
            codes |= set(re.findall(r"`([a-z_]+)`", line.split("|")[1]))
    return codes


DOCUMENTED_CODES = documented_codes()


# --- strategies -----------------------------------------------------------------------------

# Any text JSON can carry, lone surrogates and control characters included (a hostile client
# sends them as \ud800 or \u0000 escapes), with a few known troublemakers made likely.
HOSTILE = st.characters(codec=None, categories=["Cs", "Cc", "Cf", "Zl", "Zp", "Co"])
TEXT = st.one_of(
    st.text(st.characters(codec=None), max_size=30),
    st.tuples(st.text(max_size=10), st.text(HOSTILE, min_size=1, max_size=3)).map("".join),
    st.sampled_from(["", " ", "ok\ud800", "a\x00b", "\u202e", "💛", "x" * 400, "NaN", "[]"]),
)
INTEGERS = st.integers() | st.sampled_from([0, -1, 2**31, 2**53 + 1, 2**63, 2**64, -(2**63) - 1])
SCALARS = (
    st.none() | st.booleans() | INTEGERS | st.floats(allow_nan=True, allow_infinity=True) | TEXT
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=10,
)


def near(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Objects shaped like the documented payload: every field plausible, or one field turned
    into anything, or one left out, or extra keys beside them."""
    valid = st.fixed_dictionaries(fields)
    names = st.sampled_from(sorted(fields))
    return st.one_of(
        valid,
        st.tuples(valid, names, JSON).map(lambda t: {**t[0], t[1]: t[2]}),
        st.tuples(valid, names).map(lambda t: {k: v for k, v in t[0].items() if k != t[1]}),
        st.tuples(valid, st.dictionaries(TEXT, JSON, max_size=2)).map(lambda t: {**t[1], **t[0]}),
    )


def payloads(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """Mostly something close to the documented payload; sometimes anything at all."""
    shaped = near(fields)
    return st.one_of(JSON, shaped, shaped, shaped)


MSG_IDS = st.uuids().map(str) | st.text(min_size=1, max_size=64) | TEXT


# --- the room -------------------------------------------------------------------------------

PLAN = [
    {"kind": "content", "body": "Welcome."},
    {"kind": "choice", "prompt": "Which?", "options": ["One", "Two", "Three"]},
    {"kind": "multi", "prompt": "Which ones?", "options": ["A", "B", "C"], "max_choices": 2},
    {"kind": "scale", "prompt": "How much?", "min": 1, "max": 5},
    {"kind": "open", "prompt": "Say more", "max_length": 80},
    {"kind": "words", "prompt": "A word", "max_words": 3},
    {"kind": "rank", "prompt": "Order", "options": ["X", "Y", "Z"]},
]
ANSWERABLE = ("choice", "multi", "scale", "open", "words", "rank")


def value_strategy(kind: str) -> st.SearchStrategy[Any]:
    """Values of the right shape for a kind, near and beyond its limits."""
    small = st.integers(-3, 8)
    return {
        "choice": small,
        "multi": st.lists(small, max_size=5),
        "scale": small,
        "open": TEXT | st.text(max_size=200),
        "words": st.lists(TEXT, max_size=5),
        "rank": st.permutations([0, 1, 2]) | st.lists(small, max_size=5),
    }[kind]


class Room:
    """A live workshop with a fuzzing phone, two quiet phones and a control room."""

    def __init__(
        self,
        app: Any,
        workshop: Any,
        act: Callable[..., None],
        phone: Callable[..., Any],
        facilitator_socket: Callable[..., Any],
        client: Any,
    ) -> None:
        self.app, self.workshop, self.act, self.client = app, workshop, act, client
        act(workshop, "start")
        self.go_to("choice")
        # Every phone is in the room before the fuzzing starts (an action may lock it).
        self.fuzzer = phone(workshop.code)
        self.quiet = [phone(workshop.code), phone(workshop.code)]
        self.control = facilitator_socket(workshop)
        self.facilitator_socket = facilitator_socket
        for sock in (self.fuzzer, *self.quiet, self.control):
            assert sock.alive
            sock.received()
        self.msg_ids = iter(range(10**9))

    def activity(self, kind: str) -> Any:
        return self.workshop.first(kind)

    def go_to(self, kind: str) -> None:
        """Show an activity and make sure it accepts answers."""
        self.act(self.workshop, "goto", index=self.activity(kind).index)
        self.act(self.workshop, "open")

    def question_id(self) -> Any:
        """An approved question on the board (asked by a quiet phone)."""
        ack = self.quiet[0].call("ask", {"text": "Is this anonymous?", "msg_id": "fuzz-q"})
        assert ack["ok"], ack
        self.act(self.workshop, "qa_approve", question_id=ack["question_id"])
        return ack["question_id"]

    def assert_healthy(self) -> None:
        """Every socket is still connected and /healthz answers 200."""
        for sock in (self.fuzzer, *self.quiet):
            assert sock.alive, "a phone was disconnected"
        assert self.client.get("/healthz").status_code == 200

    def assert_a_valid_answer_counts_once(self) -> None:
        """After the fuzz: three phones answer the choice; the tally has each exactly once."""
        self.assert_healthy()
        self.go_to("choice")
        choice = self.activity("choice")
        for sock, value in ((self.fuzzer, 0), (self.quiet[0], 1), (self.quiet[1], 1)):
            ack = sock.answer(choice, value, msg_id=f"final-{next(self.msg_ids)}")
            assert ack["ok"] is True, ack
        # A fresh control room gets `control` and every activity's results on connect.
        arrived = self.facilitator_socket(self.workshop).events()
        control = [payload for name, payload in arrived if name == "control"][-1]
        assert control["connected"] == 3, "a phone was counted twice, or lost"
        results = [payload for name, payload in arrived if name == "results"]
        tally = next(r for r in results if r["activity_id"] == choice.id)
        assert tally["hidden"] is None, tally
        assert (tally["answered"], tally["passed"], tally["counts"]) == (3, 0, [1, 2, 0]), tally


@pytest.fixture
def room(
    app: Any,
    make_plan: Callable[..., str],
    make_workshop: Callable[..., Any],
    act: Callable[..., None],
    phone: Callable[..., Any],
    facilitator_socket: Callable[..., Any],
    client: Any,
) -> Room:
    """A live workshop of every answerable kind, on its choice activity, Q&A open."""
    workshop = make_workshop(min_group=3, plan=make_plan(PLAN))
    return Room(app, workshop, act, phone, facilitator_socket, client)


# --- what a documented answer looks like ----------------------------------------------------


def assert_documented_error(error: Any) -> None:
    """{"code", "message"}: a code listed in docs/protocol.md, a sentence, never a fault."""
    assert isinstance(error, dict) and set(error) == {"code", "message"}, error
    assert error["code"] in DOCUMENTED_CODES, f"undocumented code {error['code']!r}"
    assert error["code"] != "server_error", "the server failed (see the log)"
    assert isinstance(error["message"], str) and error["message"].strip(), error


def assert_documented_ack(ack: Any) -> None:
    """{"ok": true, ...} or {"ok": false, "error": {...}} (docs/protocol.md)."""
    assert isinstance(ack, dict), f"no ack: {ack!r}"
    if ack.get("ok") is True:
        return
    assert ack.get("ok") is False and set(ack) == {"ok", "error"}, ack
    assert_documented_error(ack["error"])


def assert_documented_response(response: Any) -> None:
    """A 2xx with a JSON body, or the documented JSON error; never a 5xx."""
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    body = response.get_json(silent=True)
    assert body is not None, response.get_data(as_text=True)[:300]
    if response.status_code >= 400:
        assert set(body) == {"error"}, body
        assert_documented_error(body["error"])


def registered_phone_events() -> set[str]:
    """Every event a phone may send (what the /participant namespace handles)."""
    from hearth.extensions import socketio

    handler = socketio.server.namespace_handlers["/participant"]
    names = {n[3:] for n in dir(handler) if n.startswith("on_")} | set(handler._direct)
    return names - {"connect", "disconnect"}


def registered_actions() -> set[str]:
    """Every action `act` and POST /actions accept."""
    from hearth.services import workshops

    return set(workshops.ACTIONS) | set(workshops.MODERATION_ACTIONS)


# --- phones ---------------------------------------------------------------------------------


def phone_fields(room: Room) -> dict[str, dict[str, st.SearchStrategy[Any]]]:
    """The documented fields of each phone event, with plausible values for this room."""
    current = room.activity("choice").id
    activity_ids = st.just(current) | st.sampled_from([a.id for a in room.workshop.activities])
    msg_ids = MSG_IDS
    return {
        "answer": {
            "activity_id": activity_ids,
            "value": st.integers(-1, 3) | JSON,
            "msg_id": msg_ids,
        },
        "pass": {"activity_id": activity_ids, "msg_id": msg_ids},
        "retract": {"activity_id": activity_ids, "msg_id": msg_ids},
        "ask": {"text": TEXT | st.text(min_size=1, max_size=300), "msg_id": msg_ids},
        "upvote": {"question_id": st.just(room.question_id()) | INTEGERS | TEXT},
        "signal": {"kind": st.just("break") | TEXT},
        "react": {"emoji": st.sampled_from(["💛", "🙏", "👍", "🤔", "💩"]) | TEXT},
    }


PHONE_EVENTS = ("answer", "pass", "retract", "ask", "upvote", "signal", "react")


def test_every_phone_event_is_fuzzed(app: Any) -> None:
    assert set(PHONE_EVENTS) == registered_phone_events()


@pytest.mark.parametrize("event", PHONE_EVENTS)
def test_fuzzed_phone_event_is_answered_as_documented(room: Room, event: str) -> None:
    strategy = payloads(phone_fields(room)[event])
    if event == "retract":  # its other shape: every answer of this phone
        strategy |= near({"all": st.just(True), "msg_id": MSG_IDS})

    @FUZZ
    @given(payload=strategy)
    def fuzz(payload: Any) -> None:
        # The per-phone limits (5 questions a minute, ...) would soon answer every example
        # with `rate_limited` and hide the validation behind them.
        throttle.reset_limits()
        assert_documented_ack(room.fuzzer.call(event, payload))
        assert room.fuzzer.alive

    fuzz()
    room.assert_a_valid_answer_counts_once()


# Names python-socketio and Python give meaning to, and what a handler is called.
EVENT_NAMES = st.one_of(
    st.sampled_from(["connect", "disconnect", "connect_error", "message", "", "on_connect"]),
    st.sampled_from(["__init__", "trigger_event", "_direct", "act", "present", "welcome"]),
    TEXT,
)


def test_fuzzed_event_names_are_answered_as_documented(room: Room) -> None:
    declared = registered_phone_events()

    @FUZZ
    @given(
        name=EVENT_NAMES, args=st.lists(JSON | st.just({"code": room.workshop.code}), max_size=3)
    )
    def fuzz(name: str, args: list[Any]) -> None:
        if name in declared:
            return  # each declared event has its own fuzz above
        ack = room.fuzzer.emit(name, *args, namespace=room.fuzzer.ns, callback=True)
        assert_documented_ack(ack)
        assert ack["ok"] is False and ack["error"]["code"] == "unknown_event", ack
        assert room.fuzzer.alive

    fuzz()
    room.assert_a_valid_answer_counts_once()


def test_a_connect_event_on_an_open_socket_mints_no_identity(room: Room) -> None:
    # Found by fuzzing over a real connection: the event reached on_connect, which issued a
    # new token and counted the phone again, as often as it was sent.
    for _ in range(3):
        ack = room.fuzzer.emit(
            "connect", {}, {"code": room.workshop.code}, namespace=room.fuzzer.ns, callback=True
        )
        assert ack["error"]["code"] == "unknown_event"
    assert room.fuzzer.received("welcome") == []
    disconnect = room.fuzzer.emit(
        "disconnect", "client namespace disconnect", namespace="/participant", callback=True
    )
    assert disconnect["error"]["code"] == "unknown_event"
    room.assert_a_valid_answer_counts_once()  # still joined, counted once


@pytest.mark.parametrize("kind", ANSWERABLE)
def test_fuzzed_answer_values_of_every_kind(room: Room, kind: str) -> None:
    room.go_to(kind)
    activity = room.activity(kind)
    values = value_strategy(kind) | JSON

    @FUZZ
    @given(value=values, same_msg_id=st.booleans())
    def fuzz(value: Any, same_msg_id: bool) -> None:
        throttle.reset_limits()
        msg_id = "fuzz-retry" if same_msg_id else f"fuzz-{next(room.msg_ids)}"
        assert_documented_ack(room.fuzzer.answer(activity, value, msg_id=msg_id))
        assert room.fuzzer.alive

    fuzz()
    room.assert_a_valid_answer_counts_once()


# --- facilitators ---------------------------------------------------------------------------

# Actions the fuzz leaves out, and why (every other registered action is fuzzed).
NOT_FUZZED = {"end": "ends the workshop for good; the matrix and the event tests cover it"}


def action_payloads(room: Room) -> st.SearchStrategy[Any]:
    """`act` payloads: a registered action (or any text) with plausible or hostile fields."""
    actions = sorted(registered_actions() - set(NOT_FUZZED))
    resource = st.fixed_dictionaries(
        {"name": TEXT, "contact": TEXT, "purpose": TEXT, "checked_on": TEXT | INTEGERS}
    )
    fields = near(
        {
            "index": st.integers(-2, 9) | INTEGERS,
            "seconds": st.integers(-5, 4000) | INTEGERS,
            "response_id": INTEGERS | TEXT,
            "question_id": INTEGERS | TEXT,
            "word": TEXT,
            "resources": st.lists(resource | JSON, max_size=3),
            "count": INTEGERS,
        }
    )
    named = st.tuples(st.sampled_from(actions) | TEXT, fields)
    return JSON | named.map(lambda pair: {**pair[1], "action": pair[0]})


def test_fuzzed_control_room_actions_are_answered_as_documented(room: Room) -> None:
    @FUZZ
    @given(payload=action_payloads(room))
    def fuzz(payload: Any) -> None:
        assert_documented_ack(room.control.call("act", payload))
        assert room.control.alive

    fuzz()
    room.assert_a_valid_answer_counts_once()


def test_fuzzed_api_actions_are_answered_as_documented(room: Room, api: Any) -> None:
    path = f"/workshops/{room.workshop.id}/actions"

    @FUZZ
    @given(payload=action_payloads(room))
    def fuzz(payload: Any) -> None:
        body = json.dumps(payload)  # NaN and lone surrogates as a hostile client sends them
        response = api.post(path, data=body, content_type="application/json")
        assert_documented_response(response)

    fuzz()
    room.assert_a_valid_answer_counts_once()


def test_fuzzed_api_bodies_are_answered_as_documented(room: Room, api: Any) -> None:
    routes = ("/workshops", f"/workshops/{room.workshop.id}/actions")
    settings_fields = {
        "min_group": INTEGERS,
        "purge_after_days": INTEGERS,
        "rehearsal": st.booleans() | JSON,
    }
    plan_refs = st.sampled_from(["rebuilding-trust", 1]) | JSON
    create = near({"plan": plan_refs, "settings": near(settings_fields) | JSON})

    @FUZZ
    @given(
        route=st.sampled_from(routes),
        body=st.binary(max_size=60) | (create | JSON).map(lambda v: json.dumps(v).encode()),
    )
    def fuzz(route: str, body: bytes) -> None:
        response = api.post(route, data=body, content_type="application/json")
        assert_documented_response(response)

    fuzz()
    room.assert_a_valid_answer_counts_once()
