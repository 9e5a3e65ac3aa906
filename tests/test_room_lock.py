"""The room lock and the head count: who may join a workshop, and how many have.

The attack they answer (docs/privacy.md): one person with extra identities pushes a small
poll past k and, subtracting their own answers, reads another participant's choice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from hearth import realtime
from hearth.extensions import db
from hearth.models import Workshop

LOCKED = {
    "code": "room_locked",
    "message": "This session is closed to new people. Ask the facilitator.",
}


@pytest.fixture
def live(make_workshop: Callable[..., Any], show: Callable[..., None]) -> Any:
    """A started workshop (k = 5) showing its first choice poll."""
    workshop = make_workshop(min_group=5)
    show(workshop, workshop.first("choice"))
    return workshop


def room(app: Flask, workshop: Any) -> dict[str, Any]:
    """The `room` part of the control snapshot."""
    with app.app_context():
        row = db.session.get(Workshop, workshop.id)
        return realtime.control_state(row)["room"]


def token_of(sock: Any) -> str:
    """The token a phone was issued in its welcome."""
    return str(sock.received("welcome")[0]["token"])


# --- lock and unlock ----------------------------------------------------------------------


def test_a_locked_room_refuses_new_phones_calmly(
    app: Flask, live: Any, act: Callable[..., None], phone: Callable[..., Any]
) -> None:
    act(live, "lock")
    sock = phone(live.code)
    assert not sock.alive
    assert sock.refusal == LOCKED
    assert room(app, live)["turned_away"] == 1


def test_a_phone_already_in_the_room_reconnects_while_locked(
    live: Any, act: Callable[..., None], phone: Callable[..., Any]
) -> None:
    choice = live.first("choice")
    first = phone(live.code)
    token = token_of(first)
    assert first.answer(choice, 1)["ok"] is True
    first.disconnect(first.ns)
    act(live, "lock")

    again = phone(live.code, token)
    assert again.alive
    events = dict(again.events())
    assert events["welcome"]["token"] == token
    assert events["state"]["mine"] == {"value": 1, "passed": False}
    assert again.answer(choice, 2)["ok"] is True


def test_unlock_lets_new_phones_in_again(
    app: Flask, live: Any, act: Callable[..., None], phone: Callable[..., Any]
) -> None:
    act(live, "lock")
    assert phone(live.code).refusal == LOCKED
    act(live, "unlock")
    assert phone(live.code).alive
    assert room(app, live) == {
        "locked": False,
        "head_count": None,
        "identities": 1,
        "turned_away": 1,
    }


def test_the_lobby_can_be_locked_too(
    make_workshop: Callable[..., Any], act: Callable[..., None], phone: Callable[..., Any]
) -> None:
    workshop = make_workshop()
    act(workshop, "lock")
    assert phone(workshop.code).refusal == LOCKED


def test_an_ended_workshop_cannot_be_locked(
    api: Any, make_workshop: Callable[..., Any], act: Callable[..., None]
) -> None:
    workshop = make_workshop()
    act(workshop, "start")
    act(workshop, "end")
    response = api.post(f"/workshops/{workshop.id}/actions", {"action": "lock"})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "invalid_state"


def test_a_forged_token_does_not_get_past_the_lock(
    live: Any, act: Callable[..., None], phone: Callable[..., Any]
) -> None:
    token = token_of(phone(live.code))
    act(live, "lock")
    nonce, _, signature = token.rpartition(".")
    forged = f"{nonce[::-1]}.{signature}"
    assert phone(live.code, forged).refusal["code"] == "invalid_token"
    assert phone(live.code, "x" * 43).refusal["code"] == "invalid_token"


# --- the control room and the projector ---------------------------------------------------


def test_lock_through_the_api_shows_in_the_control_snapshot(api: Any, live: Any) -> None:
    path = f"/workshops/{live.id}/actions"
    body = api.post(path, {"action": "lock"}).get_json()
    assert body["ok"] is True
    assert body["control"]["room"]["locked"] is True
    body = api.post(path, {"action": "unlock"}).get_json()
    assert body["control"]["room"]["locked"] is False


def test_lock_through_the_control_room_socket(
    live: Any,
    facilitator_socket: Callable[..., Any],
    present_socket: Callable[..., Any],
    flush: Callable[[], int],
) -> None:
    control = facilitator_socket(live)
    projector = present_socket(live)
    assert projector.received("present")[0]["locked"] is False
    ack = control.call("act", {"action": "lock"})
    assert ack["ok"] is True
    assert ack["control"]["room"]["locked"] is True
    flush()
    assert projector.received("present")[-1]["locked"] is True


def test_the_control_room_counts_identities_and_turned_away_joins(
    app: Flask, live: Any, act: Callable[..., None], phone: Callable[..., Any]
) -> None:
    phones = [phone(live.code) for _ in range(3)]
    tokens = [token_of(p) for p in phones]
    phones[0].disconnect(phones[0].ns)
    assert phone(live.code, tokens[0]).alive  # a reconnect is not a new identity
    act(live, "lock")
    for _ in range(2):
        assert phone(live.code).refusal == LOCKED
    with app.app_context():
        control = realtime.control_state(db.session.get(Workshop, live.id))
    assert control["room"] == {
        "locked": True,
        "head_count": None,
        "identities": 3,
        "turned_away": 2,
    }
    assert control["connected"] == 3


def test_a_head_count_is_kept_and_cleared(api: Any, live: Any) -> None:
    path = f"/workshops/{live.id}/actions"
    body = api.post(path, {"action": "head_count", "count": 12}).get_json()
    assert body["control"]["room"]["head_count"] == 12
    body = api.post(path, {"action": "head_count", "count": None}).get_json()
    assert body["control"]["room"]["head_count"] is None


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({}, "invalid_payload"),
        ({"count": "12"}, "invalid_payload"),
        ({"count": 12.5}, "invalid_payload"),
        ({"count": True}, "invalid_payload"),
        ({"count": [12]}, "invalid_payload"),
        ({"count": 0}, "invalid_value"),
        ({"count": -3}, "invalid_value"),
        ({"count": 5001}, "invalid_value"),
        ({"count": 2**70}, "invalid_value"),
    ],
    ids=["missing", "string", "float", "bool", "list", "zero", "negative", "too-many", "huge"],
)
def test_a_bad_head_count_is_refused(
    api: Any, live: Any, payload: dict[str, Any], code: str
) -> None:
    response = api.post(f"/workshops/{live.id}/actions", {"action": "head_count", **payload})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == code
    assert api.get(f"/workshops/{live.id}").get_json()["room"]["head_count"] is None


# --- the attack from the issue ------------------------------------------------------------


def test_extra_identities_cannot_lift_k_once_the_room_is_locked(
    app: Flask,
    live: Any,
    act: Callable[..., None],
    phone: Callable[..., Any],
    facilitator_socket: Callable[..., Any],
) -> None:
    """Four people and an attacker in a k=5 room: once locked, the attacker's extra tabs are
    turned away, and its one identity, answering from several sockets, still counts once."""
    choice = live.first("choice")
    people = [phone(live.code) for _ in range(4)]
    attacker = phone(live.code)
    attacker_token = token_of(attacker)
    act(live, "head_count", count=5)
    act(live, "lock")

    extra_tabs = [phone(live.code) for _ in range(4)]
    assert all(tab.refusal == LOCKED for tab in extra_tabs)
    # The same token on more sockets is the same identity: its answers replace each other.
    clones = [phone(live.code, attacker_token) for _ in range(3)]
    for n, sock in enumerate([attacker, *clones]):
        assert sock.answer(choice, n % 2)["ok"] is True
    assert people[0].answer(choice, 3)["ok"] is True

    control = facilitator_socket(live)
    results = next(r for r in control.received("results") if r["activity_id"] == choice.id)
    assert results["answered"] == 2
    assert results["hidden"] == "below_threshold"
    assert "counts" not in results
    assert room(app, live)["identities"] == 5
    assert room(app, live)["turned_away"] == 4
