"""Self-paced workshops (issue #13 part 3): settings, the whole plan on phones, answering by
id in any order, results per activity from k answers on, and the end after `open_days`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

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


def test_results_appear_only_once_k_answered_that_activity(
    self_paced: Callable[..., Any], phone: Callable[..., Any], flush: Callable[[], int]
) -> None:
    control = self_paced()
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
    state = watcher.received("state")[-1]
    assert _results(state, scale)["hidden"] == "below_threshold"
    assert "histogram" not in _results(state, scale)
    assert _results(state, choice)["hidden"] is None
    assert phones[-1].call("answer", {"activity_id": scale, "value": 3, "msg_id": "s9"})["ok"]
    flush()
    shown = _results(watcher.received("state")[-1], scale)
    assert shown["hidden"] is None and shown["answered"] == K


def test_no_pass_counts_reach_phones(
    self_paced: Callable[..., Any], phone: Callable[..., Any], flush: Callable[[], int]
) -> None:
    control = self_paced()
    code, scale = control["workshop"]["code"], control["ids"]["scale"]
    socks = [phone(code) for _ in range(K + 1)]
    for n, sock in enumerate(socks[:K]):
        assert sock.call("answer", {"activity_id": scale, "value": 2, "msg_id": f"a{n}"})["ok"]
    assert socks[K].call("pass", {"activity_id": scale, "msg_id": "p"})["ok"]
    flush()
    states = socks[0].received("state") + [phone(code).received("state")[0]]
    for state in states:
        for item in state["activities"]:
            assert item["results"] is None or "passed" not in item["results"]


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
