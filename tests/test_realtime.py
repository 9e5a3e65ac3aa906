"""hearth.realtime: nothing is broadcast per answer; each tick sends each audience one complete,
versioned message per change, and always the last change (docs/architecture.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from hearth.extensions import db, socketio
from hearth.models import Workshop


@pytest.fixture
def revealed_room(
    make_workshop: Callable[..., Any],
    show: Callable[..., None],
    act: Callable[..., None],
    facilitator_socket: Any,
    present_socket: Callable[..., Any],
    crowd: Callable[..., list[Any]],
    flush: Callable[[], int],
) -> dict[str, Any]:
    """A workshop (k=3) on a revealed choice poll, 6 phones, a control room and a projector,
    with every pending message already flushed and drained."""
    workshop = make_workshop(min_group=3)
    choice = workshop.first("choice")
    show(workshop, choice)
    act(workshop, "reveal")
    control, projector = facilitator_socket(workshop), present_socket(workshop)
    phones = crowd(workshop, 6)
    flush()
    for sock in [control, projector, *phones]:
        sock.received()
    return {
        "workshop": workshop,
        "choice": choice,
        "control": control,
        "present": projector,
        "phones": phones,
    }


def everyone(room: dict[str, Any]) -> list[Any]:
    """Every socket of a room."""
    return [room["control"], room["present"], *room["phones"]]


def test_answers_emit_nothing_until_the_tick(revealed_room: dict[str, Any]) -> None:
    room = revealed_room
    for i, sock in enumerate(room["phones"]):
        assert sock.answer(room["choice"], i % 2)["ok"] is True
    for sock in everyone(room):
        assert sock.received() == []


def test_one_tick_after_many_answers_sends_one_results_per_audience(
    revealed_room: dict[str, Any], flush: Callable[[], int]
) -> None:
    room = revealed_room
    for i, sock in enumerate(room["phones"]):
        sock.answer(room["choice"], i % 2)
    flush()
    for sock in everyone(room):
        results = [r for r in sock.received("results") if r["activity_id"] == room["choice"].id]
        assert len(results) == 1
        assert results[0]["counts"][:2] == [3, 3]
    assert flush() == 0


def test_a_tick_with_nothing_changed_sends_nothing(
    revealed_room: dict[str, Any], flush: Callable[[], int]
) -> None:
    assert flush() == 0
    for sock in everyone(revealed_room):
        assert sock.received() == []


def test_versions_strictly_increase(
    revealed_room: dict[str, Any], act: Callable[..., None], flush: Callable[[], int]
) -> None:
    room = revealed_room
    results_versions: list[int] = []
    control_versions: list[int] = []
    for sock in room["phones"]:
        sock.answer(room["choice"], 2)
        flush()
        results_versions += [r["version"] for r in room["control"].received("results")]
    act(room["workshop"], "close")
    flush()
    control_versions += [c["version"] for c in room["control"].received("control")]
    act(room["workshop"], "next")
    flush()
    control_versions += [c["version"] for c in room["control"].received("control")]
    versions = results_versions + control_versions
    assert len(results_versions) == len(room["phones"])
    assert all(a < b for a, b in zip(versions, versions[1:], strict=False))


def test_state_versions_increase_for_phones(
    revealed_room: dict[str, Any], act: Callable[..., None], flush: Callable[[], int]
) -> None:
    room = revealed_room
    watcher = room["phones"][0]
    versions = []
    for action in ("close", "open", "hide", "next", "prev"):
        act(room["workshop"], action)
        flush()
        (state,) = watcher.received("state")
        versions.append(state["version"])
    assert versions == sorted(set(versions))


def test_the_last_change_is_always_sent(
    revealed_room: dict[str, Any], flush: Callable[[], int]
) -> None:
    room = revealed_room
    first, others = room["phones"][0], room["phones"][1:3]
    for sock in others:
        sock.answer(room["choice"], 0)
    for value in (1, 2, 3):
        first.answer(room["choice"], value)
    flush()
    (results,) = room["control"].received("results")
    assert results["counts"] == [2, 0, 0, 1, 0, 0]
    first.answer(room["choice"], 4)
    flush()
    (results,) = room["control"].received("results")
    assert results["counts"] == [2, 0, 0, 0, 1, 0]
    first.call("retract", {"activity_id": room["choice"].id})
    flush()
    (results,) = room["control"].received("results")
    assert results["answered"] == 2
    assert results["hidden"] == "below_threshold"


def test_a_failed_tick_keeps_its_changes_for_the_next_one(
    revealed_room: dict[str, Any],
    flush: Callable[[], int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    room = revealed_room
    for sock in room["phones"][:3]:
        sock.answer(room["choice"], 5)

    def broken_emit(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("message queue unavailable")

    with monkeypatch.context() as patch:
        patch.setattr(socketio, "emit", broken_emit)
        with pytest.raises(ConnectionError):
            flush()
    assert room["control"].received() == []
    flush()
    (results,) = room["control"].received("results")
    assert results["counts"][5] == 3


def test_results_of_an_earlier_activity_go_only_to_the_control_room(
    make_workshop: Callable[..., Any],
    show: Callable[..., None],
    facilitator_socket: Any,
    present_socket: Callable[..., Any],
    crowd: Callable[..., list[Any]],
    flush: Callable[[], int],
) -> None:
    workshop = make_workshop(min_group=3)
    scale, choice = workshop.first("scale"), workshop.first("choice")
    show(workshop, scale)
    phones = crowd(workshop, 3)
    for sock in phones:
        sock.answer(scale, 7)
    show(workshop, choice)
    control, projector = facilitator_socket(workshop), present_socket(workshop)
    flush()
    for sock in [control, projector, *phones]:
        sock.received()
    phones[0].call("retract", {"all": True})
    flush()
    (results,) = control.received("results")
    assert (results["activity_id"], results["answered"]) == (scale.id, 2)
    assert projector.received("results") == []
    assert all(sock.received("results") == [] for sock in phones)


def test_control_counts_connected_phones(
    app: Flask,
    make_workshop: Callable[..., Any],
    facilitator_socket: Any,
    phone: Callable[..., Any],
    flush: Callable[[], int],
) -> None:
    workshop = make_workshop()
    control = facilitator_socket(workshop)
    phones = [phone(workshop.code) for _ in range(3)]
    flush()
    assert control.received("control")[-1]["connected"] == 3
    phones[0].disconnect(phones[0].ns)
    flush()
    assert control.received("control")[-1]["connected"] == 2
    with app.app_context():
        assert db.session.get(Workshop, workshop.id).peak_connected == 3


@pytest.mark.app_config(TICK_MS=0)
def test_tick_ms_zero_broadcasts_every_change_at_once(
    make_workshop: Callable[..., Any],
    show: Callable[..., None],
    facilitator_socket: Any,
    crowd: Callable[..., list[Any]],
) -> None:
    workshop = make_workshop(min_group=3)
    choice = workshop.first("choice")
    show(workshop, choice)
    phones = crowd(workshop, 3)
    control = facilitator_socket(workshop)
    control.received()
    for sock in phones:
        sock.answer(choice, 1)
    results = [r for r in control.received("results") if r["activity_id"] == choice.id]
    assert [r["answered"] for r in results] == [1, 2, 3]


TWO_PAIRS = [
    {"kind": "scale", "prompt": "Check-in one", "min": 1, "max": 5, "pair": "pre"},
    {"kind": "scale", "prompt": "Check-out one", "min": 1, "max": 5, "pair": "post"},
    {"kind": "scale", "prompt": "Check-in two", "min": 1, "max": 5, "pair": "pre"},
    {"kind": "scale", "prompt": "Check-out two", "min": 1, "max": 5, "pair": "post"},
]


def test_a_check_out_is_compared_with_the_nearest_check_in_before_it(
    make_plan: Callable[..., str],
    make_workshop: Callable[..., Any],
    show: Callable[..., None],
    crowd: Callable[..., list[Any]],
    facilitator_socket: Any,
    flush: Callable[[], int],
) -> None:
    workshop = make_workshop(min_group=3, plan=make_plan(TWO_PAIRS))
    in_one, out_one, in_two, out_two = workshop.activities
    phones = crowd(workshop, 3)
    for activity, value in ((in_one, 1), (out_one, 2), (in_two, 4), (out_two, 5)):
        show(workshop, activity)
        for sock in phones:
            assert sock.answer(activity, value)["ok"] is True
    control = facilitator_socket(workshop)
    comparison = control.received("control")[-1]["comparison"]
    assert comparison["pre"]["mean"] == 4.0  # check-in two, not check-in one
    assert comparison["post"]["mean"] == 5.0


def test_late_check_out_answers_refresh_the_projectors_comparison(
    make_plan: Callable[..., str],
    make_workshop: Callable[..., Any],
    show: Callable[..., None],
    act: Callable[..., None],
    crowd: Callable[..., list[Any]],
    present_socket: Callable[..., Any],
    flush: Callable[[], int],
) -> None:
    workshop = make_workshop(min_group=3, plan=make_plan(TWO_PAIRS[:2]))
    check_in, check_out = workshop.activities
    phones = crowd(workshop, 4)
    show(workshop, check_in)
    for sock in phones:
        sock.answer(check_in, 2)
    show(workshop, check_out)
    for sock in phones[:3]:
        sock.answer(check_out, 4)
    act(workshop, "reveal")
    projector = present_socket(workshop)
    flush()
    projector.received()
    assert phones[3].answer(check_out, 5)["ok"] is True
    flush()
    presents = projector.received("present")
    assert presents, "a new check-out answer must resend the projector's comparison"
    assert presents[-1]["comparison"]["post"]["n"] == 4


def test_phones_get_results_at_most_once_a_second_and_always_the_last(
    revealed_room: dict[str, Any], flush: Callable[[], int]
) -> None:
    from hearth.realtime import hub

    room = revealed_room
    phones, choice = room["phones"], room["choice"]
    phones[0].answer(choice, 0)
    flush()
    assert len(phones[1].received("results")) == 1
    for sock in phones[1:]:
        sock.answer(choice, 1)
    flush()
    # The projector follows every tick; phones wait for their second.
    assert room["present"].received("results")[-1]["counts"][:2] == [1, 5]
    assert phones[1].received("results") == []
    hub.phone_due[choice.id] = 0.0  # the second is up
    flush()
    held_back = phones[1].received("results")
    assert len(held_back) == 1
    assert held_back[0]["counts"][:2] == [1, 5]
    assert flush() == 0


def test_a_connecting_phone_gets_the_ticks_results_while_answers_arrive(
    revealed_room: dict[str, Any],
    phone: Callable[..., Any],
    act: Callable[..., None],
    flush: Callable[[], int],
) -> None:
    """A reconnect storm in a burst must not tally every response once per phone: new answers
    leave the tick's results in use (the next broadcast updates everyone), a facilitator's
    action does not."""
    from hearth.realtime import hub

    room = revealed_room
    phones, choice, workshop = room["phones"], room["choice"], room["workshop"]
    for sock in phones[:3]:
        sock.answer(choice, 0)
    flush()
    for sock in phones[3:]:
        sock.answer(choice, 1)
    late = phone(workshop.code)
    assert late.received("state")[-1]["results"]["counts"][:2] == [3, 0]
    hub.phone_due[choice.id] = 0.0
    flush()
    assert late.received("results")[-1]["counts"][:3] == [3, 3, 0]
    late.answer(choice, 2)
    act(workshop, "close")
    # Fresh, not the tick's: a facilitator acted since.
    state = phone(workshop.code).received("state")[-1]
    assert state["accepting"] is False
    assert state["results"]["counts"][:3] == [3, 3, 1]


def test_the_ticks_results_serve_connects_for_a_second_at_most(
    revealed_room: dict[str, Any],
    phone: Callable[..., Any],
    flush: Callable[[], int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from hearth.realtime import snapshots

    room = revealed_room
    phones, choice, workshop = room["phones"], room["choice"], room["workshop"]
    for sock in phones[:3]:
        sock.answer(choice, 0)
    flush()
    phones[3].answer(choice, 1)
    later = snapshots.time.monotonic() + snapshots.CACHE_SECONDS + 0.1
    monkeypatch.setattr(snapshots.time, "monotonic", lambda: later)
    assert phone(workshop.code).received("state")[-1]["results"]["counts"][:2] == [3, 1]


def test_under_a_green_server_phones_are_sent_to_beside_the_tick(
    revealed_room: dict[str, Any], flush: Callable[[], int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A paced broadcast to a large room must not hold up the projector's next tick."""
    from hearth.realtime import hub, outbox

    room = revealed_room
    for i, sock in enumerate(room["phones"]):
        sock.answer(room["choice"], i % 2)
    started: list[Any] = []
    monkeypatch.setattr(socketio, "async_mode", "eventlet")
    monkeypatch.setattr(socketio, "start_background_task", lambda task: started.append(task))
    flush()
    assert room["present"].received("results")[-1]["counts"][:2] == [3, 3]
    assert room["phones"][0].received("results") == []  # not yet: the sender has it
    assert started == [outbox.phone_sender]
    room["phones"][0].answer(room["choice"], 2)
    hub.phone_due[room["choice"].id] = 0.0
    flush()
    assert started == [outbox.phone_sender]  # one sender at a time
    outbox.phone_sender()
    # Only the newest of the two unsent results (a snapshot replaces the one before it).
    assert [r["counts"][:3] for r in room["phones"][1].received("results")] == [[2, 3, 1]]
    assert not hub.phone_sender_running


def test_a_failed_send_to_phones_is_sent_again(
    revealed_room: dict[str, Any], flush: Callable[[], int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from hearth.realtime import outbox

    room = revealed_room
    for i, sock in enumerate(room["phones"]):
        sock.answer(room["choice"], i % 2)
    monkeypatch.setattr(socketio, "async_mode", "eventlet")
    monkeypatch.setattr(socketio, "start_background_task", lambda task: None)
    flush()
    real_emit, failures = socketio.emit, [1]

    def flaky(event: str, *args: Any, **kwargs: Any) -> Any:
        if failures:
            failures.pop()
            raise ConnectionError("message queue down")
        return real_emit(event, *args, **kwargs)

    monkeypatch.setattr(socketio, "emit", flaky)
    monkeypatch.setattr(outbox, "PHONE_RETRY_SECONDS", 0)
    outbox.phone_sender()
    assert room["phones"][0].received("results")[-1]["counts"][:2] == [3, 3]


def test_unsent_results_of_two_activities_are_both_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    from hearth.realtime import PARTICIPANT_NS, hub, outbox, phones_room

    monkeypatch.setattr(socketio, "async_mode", "eventlet")
    monkeypatch.setattr(socketio, "start_background_task", lambda task: None)
    room = phones_room(1)
    outbox.send_to_phones(
        [
            ("results", {"activity_id": 7, "version": 1}, room, PARTICIPANT_NS),
            ("results", {"activity_id": 8, "version": 2}, room, PARTICIPANT_NS),
            ("results", {"activity_id": 7, "version": 3}, room, PARTICIPANT_NS),
        ]
    )
    kept = sorted(p["version"] for p in hub.phone_outbox.values())
    assert kept == [2, 3]
