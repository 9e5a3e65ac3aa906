"""Self-paced workshops (issue #13 part 3): settings, the whole plan on phones, answering by
id in any order, results per activity from k answers on, and the end after `open_days`."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, func, select

from hearth.extensions import db
from hearth.models import Workshop
from hearth.services import pace, workshops

PLAN: list[dict[str, Any]] = [
    {"kind": "content", "body": "Welcome back.", "script": "Say hello warmly."},
    {"kind": "scale", "prompt": "How was your week?", "min": 1, "max": 5},
    {"kind": "choice", "prompt": "Which helped?", "options": ["Rest", "Talk", "Walk"]},
    {"kind": "open", "prompt": "One thing you noticed", "max_length": 120},
]
K = 3


@pytest.fixture
def self_paced(app: Flask, make_plan: Callable[..., str], api: Any) -> Callable[..., Any]:
    """Create (and by default start) a self-paced workshop through the API; its control state."""

    def make(*, days: int = 3, start: bool = True) -> dict[str, Any]:
        body = {
            "plan": make_plan(PLAN),
            "settings": {"pace": "self", "open_days": days, "min_group": K},
        }
        created = api.post("/workshops", body)
        assert created.status_code == 201, created.get_json()
        wid = created.get_json()["id"]
        if start:
            assert api.post(f"/workshops/{wid}/actions", {"action": "start"}).status_code == 200
        control = api.get(f"/workshops/{wid}").get_json()
        control["ids"] = {row["kind"]: row["id"] for row in control["activities"]}
        return control

    return make


def _workshop_count(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count(Workshop.id))) or 0)


# --- settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"pace": "self", "open_days": 0}, "open_days"),
        ({"pace": "self", "open_days": 31}, "open_days"),
        ({"pace": "self", "open_days": "7"}, "open_days"),
        ({"pace": "self", "open_days": True}, "open_days"),
        ({"pace": "self", "open_days": 1.5}, "open_days"),
        ({"open_days": 7}, "open_days"),
        ({"pace": "fast"}, "pace"),
        ({"pace": ["self"]}, "pace"),
        ({"pace": None}, "pace"),
    ],
)
def test_bad_pace_settings_are_refused_and_nothing_is_written(
    app: Flask, api: Any, make_plan: Callable[..., str], settings: dict[str, Any], field: str
) -> None:
    before = _workshop_count(app)
    response = api.post("/workshops", {"plan": make_plan(PLAN), "settings": settings})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_settings"
    assert f"settings.{field}" in error["message"]
    assert _workshop_count(app) == before


def test_pace_defaults_to_live_and_self_to_seven_days() -> None:
    assert pace.check_pace(None) == pace.Pace("live", None)
    assert pace.check_pace({}) == pace.Pace("live", None)
    assert pace.check_pace({"pace": "self"}) == pace.Pace("self", 7)
    assert pace.check_pace({"pace": "self", "open_days": 30}) == pace.Pace("self", 30)


def test_the_control_room_sees_the_pace_and_per_activity_progress(
    self_paced: Callable[..., Any],
) -> None:
    control = self_paced(days=5)
    assert control["workshop"]["pace"] == "self"
    assert control["workshop"]["open_days"] == 5
    assert control["activity"] is None  # nobody is "on" an activity: each phone moves alone
    answerable = [row for row in control["activities"] if row["takes_answers"]]
    assert all(row["accepting"] and row["revealed"] for row in answerable)
    assert all(row["answered"] == 0 for row in answerable)


# --- phones ---------------------------------------------------------------------------------


def test_phones_get_the_whole_plan_without_scripts(
    self_paced: Callable[..., Any], phone: Callable[..., Any]
) -> None:
    control = self_paced()
    state = phone(control["workshop"]["code"]).received("state")[0]
    assert state["pace"] == "self"
    assert state["activity"] is None and state["results"] is None
    assert [item["kind"] for item in state["activities"]] == [spec["kind"] for spec in PLAN]
    assert all("script" not in item for item in state["activities"])
    assert state["activities"][0]["body"] == "Welcome back."
    assert state["open_until"]


def test_live_workshops_send_no_plan(make_workshop: Any, act: Any, phone: Any) -> None:
    workshop = make_workshop()
    act(workshop, "start")
    state = phone(workshop.code).received("state")[0]
    assert state["pace"] == "live" and state["activities"] is None


def test_phones_answer_any_activity_in_any_order(
    self_paced: Callable[..., Any], phone: Callable[..., Any]
) -> None:
    control = self_paced()
    sock = phone(control["workshop"]["code"])
    ids = control["ids"]
    for kind, value in (("open", "Slept better"), ("scale", 4), ("choice", 1)):
        ack = sock.call("answer", {"activity_id": ids[kind], "value": value, "msg_id": kind})
        assert ack["ok"], ack
    assert (
        sock.call("answer", {"activity_id": ids["content"], "value": 1, "msg_id": "c"})["error"][
            "code"
        ]
        == "no_answers"
    )
    again = phone(control["workshop"]["code"], sock.received("welcome")[0]["token"])
    mine = again.received("state")[0]["mine_by_activity"]
    assert mine == {
        str(ids["open"]): {"value": "Slept better", "passed": False},
        str(ids["scale"]): {"value": 4, "passed": False},
        str(ids["choice"]): {"value": 1, "passed": False},
    }


def test_an_activity_of_another_workshop_is_unknown(
    self_paced: Callable[..., Any], phone: Callable[..., Any]
) -> None:
    mine, other = self_paced(), self_paced()
    sock = phone(mine["workshop"]["code"])
    ack = sock.call("answer", {"activity_id": other["ids"]["scale"], "value": 3, "msg_id": "x"})
    assert ack["error"]["code"] == "unknown_activity"


def _results(state: dict[str, Any], activity_id: int) -> dict[str, Any]:
    return next(item["results"] for item in state["activities"] if item["id"] == activity_id)


def _second_is_up() -> None:
    """Phones get an activity's results at most once a second: let the next ones go."""
    from hearth.realtime import hub

    hub.phone_due.clear()


def test_results_appear_only_once_k_answered_that_activity(
    self_paced: Callable[..., Any], phone: Callable[..., Any], flush: Callable[[], int]
) -> None:
    control = self_paced()
    flush()  # the start's whole state goes out first
    code, scale, choice = (
        control["workshop"]["code"],
        control["ids"]["scale"],
        control["ids"]["choice"],
    )
    watcher = phone(code)
    phones = [phone(code) for _ in range(K)]
    for n, sock in enumerate(phones[: K - 1]):
        assert sock.call("answer", {"activity_id": scale, "value": 5, "msg_id": f"s{n}"})["ok"]
    # k answers to another activity do not show this one's results.
    for n, sock in enumerate(phones):
        assert sock.call("answer", {"activity_id": choice, "value": 0, "msg_id": f"c{n}"})["ok"]
    watcher.received()
    flush()
    results = {item["activity_id"]: item for item in watcher.received("results")}
    assert results[scale]["hidden"] == "below_threshold"
    assert "histogram" not in results[scale]
    assert results[choice]["hidden"] is None
    assert phones[-1].call("answer", {"activity_id": scale, "value": 3, "msg_id": "s9"})["ok"]
    _second_is_up()
    flush()
    (shown,) = watcher.received("results")
    assert shown["activity_id"] == scale
    assert shown["hidden"] is None and shown["answered"] == K
    # A phone that connects now gets the same in its plan.
    assert _results(phone(code).received("state")[0], scale)["answered"] == K


def test_an_answer_sends_phones_that_activitys_results_not_the_whole_plan(
    self_paced: Callable[..., Any], phone: Callable[..., Any], flush: Callable[[], int]
) -> None:
    control = self_paced()
    flush()  # the start's whole state goes out first
    code, scale = control["workshop"]["code"], control["ids"]["scale"]
    watcher, answerer = phone(code), phone(code)
    connect_state = watcher.received("state")[0]
    answerer.received()
    assert answerer.call("answer", {"activity_id": scale, "value": 2, "msg_id": "a"})["ok"]
    flush()
    events = watcher.events()
    assert [name for name, _ in events] == ["results"]
    assert events[0][1]["activity_id"] == scale and "passed" not in events[0][1]
    assert len(json.dumps(events[0][1])) * 5 < len(json.dumps(connect_state))
    # Within the same second a second answer waits for it, then its newest results arrive.
    assert phone(code).call("answer", {"activity_id": scale, "value": 4, "msg_id": "b"})["ok"]
    flush()
    assert watcher.events() == []
    _second_is_up()
    flush()
    (later,) = watcher.received("results")
    assert later["answered"] == 2 and later["version"] > events[0][1]["version"]


def test_a_facilitator_change_still_sends_the_whole_state(
    self_paced: Callable[..., Any], phone: Callable[..., Any], flush: Callable[[], int], api: Any
) -> None:
    control = self_paced()
    code, wid = control["workshop"]["code"], control["workshop"]["id"]
    watcher = phone(code)
    watcher.received()
    assert api.post(f"/workshops/{wid}/actions", {"action": "lock"}).status_code == 200
    flush()
    (state,) = watcher.received("state")
    assert len(state["activities"]) == len(PLAN)


def test_the_state_of_a_self_paced_workshop_has_no_current_index(
    self_paced: Callable[..., Any],
    phone: Callable[..., Any],
    flush: Callable[[], int],
    api: Any,
    make_workshop: Any,
    act: Any,
) -> None:
    lobby = self_paced(start=False)
    assert phone(lobby["workshop"]["code"]).received("state")[0]["index"] is None
    control = self_paced()
    watcher = phone(control["workshop"]["code"])
    assert watcher.received("state")[0]["index"] is None
    api.post(f"/workshops/{control['workshop']['id']}/actions", {"action": "lock"})
    flush()
    assert watcher.received("state")[0]["index"] is None
    # A live workshop keeps its current step.
    live = make_workshop()
    act(live, "start")
    assert phone(live.code).received("state")[0]["index"] == 0


def test_a_phones_own_answers_are_read_in_one_query(
    app: Flask, self_paced: Callable[..., Any], phone: Callable[..., Any]
) -> None:
    control = self_paced()
    code, ids = control["workshop"]["code"], control["ids"]
    sock = phone(code)
    token = sock.received("welcome")[0]["token"]
    assert sock.call("answer", {"activity_id": ids["scale"], "value": 2, "msg_id": "s"})["ok"]
    assert sock.call("pass", {"activity_id": ids["open"], "msg_id": "o"})["ok"]
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if re.search(r"\bFROM response\b", statement):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        state = phone(code, token).received("state")[0]
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert state["mine_by_activity"] == {
        str(ids["scale"]): {"value": 2, "passed": False},
        str(ids["open"]): {"value": None, "passed": True},
    }
    # The four activities' answers in one query (the plan's results are counted apart).
    mine = [statement for statement in seen if 'response."key"' in statement]
    assert len(mine) == 1, mine


def test_no_pass_counts_reach_phones(
    self_paced: Callable[..., Any], phone: Callable[..., Any], flush: Callable[[], int]
) -> None:
    control = self_paced()
    flush()  # the start's whole state goes out first
    code, scale = control["workshop"]["code"], control["ids"]["scale"]
    socks = [phone(code) for _ in range(K + 1)]
    for n, sock in enumerate(socks[:K]):
        assert sock.call("answer", {"activity_id": scale, "value": 2, "msg_id": f"a{n}"})["ok"]
    assert socks[K].call("pass", {"activity_id": scale, "msg_id": "p"})["ok"]
    flush()
    received = socks[0].events()
    assert [payload["activity_id"] for name, payload in received if name == "results"] == [scale]
    states = [payload for name, payload in received if name == "state"]
    for state in [*states, phone(code).received("state")[0]]:
        for item in state["activities"]:
            assert item["results"] is None or "passed" not in item["results"]
    for name, payload in received:
        if name == "results":
            assert "passed" not in payload and payload["answered"] == K


def test_live_only_actions_are_refused(self_paced: Callable[..., Any], api: Any) -> None:
    wid = self_paced()["workshop"]["id"]
    for action in ({"action": "goto", "index": 1}, {"action": "next"}, {"action": "close"}):
        response = api.post(f"/workshops/{wid}/actions", action)
        assert response.status_code == 409
        assert response.get_json()["error"]["code"] == "invalid_state"


def test_moderation_queue_holds_open_answers_once_k_answered(
    self_paced: Callable[..., Any], phone: Callable[..., Any], api: Any
) -> None:
    control = self_paced()
    code, opened, wid = (
        control["workshop"]["code"],
        control["ids"]["open"],
        control["workshop"]["id"],
    )
    for n in range(K):
        ack = phone(code).call(
            "answer", {"activity_id": opened, "value": f"Note {n}", "msg_id": "m"}
        )
        assert ack["ok"]
    queue = api.get(f"/workshops/{wid}").get_json()["moderation"]
    assert sorted(item["text"] for item in queue) == ["Note 0", "Note 1", "Note 2"]
    assert {item["activity_id"] for item in queue} == {opened}
    row = next(
        r for r in api.get(f"/workshops/{wid}").get_json()["activities"] if r["id"] == opened
    )
    assert row["answered"] == K


# --- the end --------------------------------------------------------------------------------


def test_the_workshop_ends_by_itself_after_open_days(
    app: Flask, self_paced: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    started = datetime(2026, 12, 1, 9, 0)
    monkeypatch.setattr(pace, "now_utc", lambda: started)
    wid = self_paced(days=3)["workshop"]["id"]
    monkeypatch.setattr(workshops, "now_utc", lambda: started + timedelta(days=3, seconds=-1))
    with app.app_context():
        assert workshops.end_expired_self_paced() == []
    monkeypatch.setattr(workshops, "now_utc", lambda: started + timedelta(days=3))
    monkeypatch.setattr(workshops, "today_utc", lambda: (started + timedelta(days=3)).date())
    with app.app_context():
        assert workshops.end_expired_self_paced() == [wid]
        workshop = db.session.get(Workshop, wid)
        assert workshop is not None and workshop.phase == "ended"
        # The retention clock starts at the end, not at the creation.
        assert workshop.ended_on == (started + timedelta(days=3)).date()
        assert not any(a.accepting for a in workshop.activities)
        assert workshops.end_expired_self_paced() == []


def test_a_live_workshop_never_ends_by_itself(
    app: Flask, make_workshop: Any, act: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    workshop = make_workshop()
    act(workshop, "start")
    monkeypatch.setattr(workshops, "now_utc", lambda: datetime(2099, 1, 1))
    with app.app_context():
        assert workshops.end_expired_self_paced() == []


def test_the_take_home_summary_shows_what_phones_saw(
    app: Flask, self_paced: Callable[..., Any], phone: Callable[..., Any], api: Any
) -> None:
    from hearth.services import retention

    control = self_paced()
    code, ids, wid = control["workshop"]["code"], control["ids"], control["workshop"]["id"]
    for n in range(K):
        sock = phone(code)
        assert sock.call("answer", {"activity_id": ids["choice"], "value": n % 2, "msg_id": "c"})[
            "ok"
        ]
    assert phone(code).call("answer", {"activity_id": ids["scale"], "value": 4, "msg_id": "s"})[
        "ok"
    ]
    assert api.post(f"/workshops/{wid}/actions", {"action": "end"}).status_code == 200
    with app.app_context():
        workshop = db.session.get(Workshop, wid)
        assert workshop is not None
        shown = retention.participant_summary(workshop)["activities"]
    # The choice reached k and is shown; the scale (one answer) is not, as on the phones.
    assert [item["kind"] for item in shown] == ["choice"]
    assert "passed" not in shown[0]["results"]
