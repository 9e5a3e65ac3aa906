"""Phones connecting close together share one built `state`, and never a stale or private one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from hearth import realtime
from participant import connect_state


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Count how often a phone's snapshot is built from the database."""
    built: list[int] = []
    original = realtime.participant_snapshot

    def counted(workshop: Any, mine: Any) -> dict[str, Any]:
        built.append(workshop.id)
        return original(workshop, mine)

    monkeypatch.setattr(realtime, "participant_snapshot", counted)
    yield built


@pytest.fixture
def quiet(
    make_workshop: Callable[..., Any], show: Callable[..., None], flush: Callable[[], int]
) -> Any:
    """A workshop showing its first choice poll, with the tick's messages already sent."""
    workshop = make_workshop()
    show(workshop, workshop.first("choice"))
    flush()
    return workshop


def state_of(sock: Any) -> dict[str, Any]:
    states = sock.received("state")
    assert len(states) == 1
    return states[0]


def test_phones_connecting_together_share_one_build_but_not_their_answers(
    quiet: Any, phone: Callable[..., Any], builds: list[int]
) -> None:
    choice = quiet.first("choice")
    first = phone(quiet.code)
    events = dict(first.events())
    token, first_state = events["welcome"]["token"], events["state"]
    assert first.answer(choice, 2)["ok"] is True
    first.disconnect(first.ns)

    again = phone(quiet.code, token)
    again_state = state_of(again)
    other_state = state_of(phone(quiet.code))

    assert builds == [quiet.id]  # the two later phones got the kept snapshot
    assert again_state["mine"] == {"value": 2, "passed": False}
    assert other_state["mine"] is None
    assert first_state["version"] < again_state["version"] < other_state["version"]
    assert other_state["qa"]["version"] == other_state["version"]
    for state in (again_state, other_state):
        same = {k: v for k, v in state.items() if k not in ("version", "mine", "qa")}
        assert same == {k: v for k, v in first_state.items() if k not in ("version", "mine", "qa")}
        assert state["activity"]["id"] == choice.id


def test_a_facilitator_action_is_never_hidden_by_a_kept_snapshot(
    quiet: Any, phone: Callable[..., Any], act: Callable[..., None], builds: list[int]
) -> None:
    phone(quiet.code)
    scale = quiet.first("scale")
    act(quiet, "goto", index=scale.index)  # not yet sent: the tick has not run
    assert state_of(phone(quiet.code))["activity"]["id"] == scale.id
    assert builds == [quiet.id, quiet.id]


def test_any_message_sent_since_makes_the_next_phone_build_again(
    quiet: Any,
    phone: Callable[..., Any],
    act: Callable[..., None],
    flush: Callable[[], int],
    builds: list[int],
) -> None:
    phone(quiet.code)
    act(quiet, "reveal")
    assert flush() > 0  # the reveal went out with a newer version than the kept snapshot
    state = state_of(phone(quiet.code))
    assert state["results"] is not None
    assert builds == [quiet.id, quiet.id]


def test_a_kept_snapshot_counts_the_timer_down_and_expires(
    quiet: Any,
    phone: Callable[..., Any],
    act: Callable[..., None],
    flush: Callable[[], int],
    builds: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    act(quiet, "timer", seconds=60)
    flush()
    assert state_of(phone(quiet.code))["closes_in"] in (59, 60)
    later = connect_state.now_utc() + timedelta(seconds=20)
    monkeypatch.setattr(connect_state, "now_utc", lambda: later)
    assert state_of(phone(quiet.code))["closes_in"] in (39, 40)
    assert builds == [quiet.id]
    monkeypatch.setattr(connect_state, "MAX_AGE_SECONDS", -1.0)
    phone(quiet.code)
    assert builds == [quiet.id, quiet.id]


def test_server_mode_reads_the_database_for_every_phone(
    app: Flask, quiet: Any, phone: Callable[..., Any], builds: list[int]
) -> None:
    app.config["HEARTH_MESSAGE_QUEUE"] = "redis://127.0.0.1:6379/0"
    phone(quiet.code)
    phone(quiet.code)
    assert builds == [quiet.id, quiet.id]
