"""Broadcasts that yield between chunks of recipients, and full collections at quiet times."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from socketio import packet as socketio_packet

from hearth import broadcast, memory
from hearth.extensions import socketio


class FakeServer:
    """What a manager needs of its server here: `sleep`, counted."""

    packet_class = socketio_packet.Packet

    def __init__(self) -> None:
        self.sleeps = 0

    def sleep(self, seconds: float) -> None:
        self.sleeps += 1


@pytest.mark.parametrize(("members", "pauses"), [(1, 0), (50, 1), (120, 2), (2000, 40)])
def test_a_room_broadcast_pauses_after_every_chunk(members: int, pauses: int) -> None:
    manager = broadcast.YieldingManager()
    server = FakeServer()
    manager.set_server(server)
    manager.initialize()
    for i in range(members):
        manager.basic_enter_room(f"sid{i}", "/participant", "w1:phones", eio_sid=f"eio{i}")
    got = list(manager.get_participants("/participant", "w1:phones"))
    assert sorted(sid for sid, _ in got) == sorted(f"sid{i}" for i in range(members))
    assert server.sleeps == pauses


def test_a_phone_leaving_mid_broadcast_does_not_break_it() -> None:
    manager = broadcast.YieldingManager()
    manager.set_server(FakeServer())
    manager.initialize()
    for i in range(120):
        manager.basic_enter_room(f"sid{i}", "/participant", "room", eio_sid=f"eio{i}")
    seen = []
    for sid, _ in manager.get_participants("/participant", "room"):
        seen.append(sid)
        if len(seen) == 60:
            manager.basic_leave_room("sid119", "/participant", "room")
    assert len(seen) == 120  # the room was copied before the first recipient


def test_the_app_broadcasts_through_a_yielding_manager(app: Flask) -> None:
    assert isinstance(socketio.server.manager, broadcast.YieldingManager)


def test_server_mode_uses_the_yielding_redis_manager() -> None:
    manager = broadcast.client_manager("redis://127.0.0.1:6379/0", "hearth-test")
    assert isinstance(manager, broadcast.YieldingRedisManager)
    assert manager.channel == "hearth-test"


def test_an_unsupported_message_queue_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="redis://"):
        broadcast.client_manager("amqp://guest@localhost//", "hearth")


# --- full collections ---------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    now = [1000.0]
    monkeypatch.setattr(memory.time, "monotonic", lambda: now[0])
    yield now


@pytest.fixture
def collections(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    calls: list[Any] = []

    def collect(*args: Any) -> int:
        calls.append(args)
        return 0

    monkeypatch.setattr(memory.gc, "collect", collect)
    return calls


@pytest.fixture
def active(clock: list[float]) -> memory.Collector:
    """A collector that has taken over (without touching this process's own gc settings)."""
    collector = memory.Collector()
    collector.active = True
    collector.last_full = clock[0]
    return collector


def test_a_full_collection_waits_for_answers_to_be_quiet(
    clock: list[float], collections: list[Any], active: memory.Collector
) -> None:
    collector = active
    clock[0] += memory.MIN_SECONDS + 1
    collector.busy()
    clock[0] += memory.QUIET_SECONDS / 2
    assert collector.tick() is None and collections == []
    clock[0] += memory.QUIET_SECONDS
    assert collector.tick() is not None and len(collections) == 1
    # Not again until MIN_SECONDS have passed, however quiet.
    clock[0] += memory.MIN_SECONDS / 2
    assert collector.tick() is None and len(collections) == 1


def test_a_full_collection_happens_at_the_latest_after_max_seconds(
    clock: list[float], collections: list[Any], active: memory.Collector
) -> None:
    for _ in range(int(memory.MAX_SECONDS)):
        clock[0] += 1
        active.busy()
        active.tick()
    assert len(collections) == 1


def test_an_inactive_collector_never_collects(clock: list[float], collections: list[Any]) -> None:
    collector = memory.Collector()
    clock[0] += memory.MAX_SECONDS * 2
    assert collector.tick() is None and collections == []


def test_taking_over_freezes_start_up_objects_and_stops_automatic_full_collections() -> None:
    before = gc.get_threshold()
    try:
        memory.Collector().take_over()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[:2] == before[:2]
        assert gc.get_threshold()[2] >= 1_000_000
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_server_mode_delivers_each_message_beside_the_redis_listener() -> None:
    """A paced local delivery must not hold the listener (and the projector's next message)."""
    manager = broadcast.client_manager("redis://127.0.0.1:6379/0", "hearth-test")
    started: list[tuple[Any, ...]] = []

    class Server(FakeServer):
        def start_background_task(self, *args: Any) -> None:
            started.append(args)

    manager.set_server(Server())
    message = {"method": "emit", "event": "results", "data": [{}], "namespace": "/present"}
    manager._handle_emit(message)
    assert len(started) == 1 and started[0][1] is message
