"""The reverse room index keeps python-socketio's rooms exactly as its own scan would."""

from __future__ import annotations

from typing import Any

import socketio
from hypothesis import given, settings
from hypothesis import strategies as st
from socketio import packet as socketio_packet

from hearth import broadcast
from hearth.room_index import RoomIndex

NS = "/participant"


class FakeServer:
    """What a manager needs of its server here: ids, `sleep` and the packet class."""

    packet_class = socketio_packet.Packet

    def __init__(self) -> None:
        self.eio = self
        self.count = 0

    def generate_id(self) -> str:
        self.count += 1
        return f"s{self.count}"

    def sleep(self, seconds: float) -> None:
        return None


class Indexed(RoomIndex, socketio.Manager):
    """The index on python-socketio's own manager, without the pacing."""


def managers() -> tuple[Any, socketio.Manager]:
    ours, plain = Indexed(), socketio.Manager()
    for manager in (ours, plain):
        manager.set_server(FakeServer())
        manager.initialize()
    return ours, plain


def snapshot(manager: socketio.Manager) -> dict[str, dict[Any, dict[str, str]]]:
    return {
        ns: {room: dict(members) for room, members in rooms.items()}
        for ns, rooms in manager.rooms.items()
    }


# (operation, socket number, room number)
Step = tuple[str, int, int]
steps = st.lists(
    st.tuples(
        st.sampled_from(["connect", "enter", "leave", "disconnect", "close"]),
        st.integers(0, 5),
        st.integers(0, 3),
    ),
    max_size=60,
)


def apply(manager: socketio.Manager, step: Step) -> None:
    op, number, room_number = step
    eio, room = f"eio{number}", f"room{room_number}"
    sid = manager.sid_from_eio_sid(eio, NS)
    if op == "connect" and sid is None:
        manager.connect(manager.pre_connect(eio, NS), NS)
    elif op == "enter" and sid is not None:
        manager.enter_room(sid, NS, room)
    elif op == "leave" and sid is not None:
        manager.leave_room(sid, NS, room)
    elif op == "disconnect" and sid is not None:
        manager.pre_disconnect(sid, NS)
        manager.disconnect(sid, NS)
    elif op == "close":
        manager.close_room(room, NS)


@settings(max_examples=300, deadline=None)
@given(steps)
def test_rooms_stay_what_python_socketio_would_have(history: list[Step]) -> None:
    ours, plain = managers()
    for step in history:
        apply(ours, step)
        apply(plain, step)
        assert snapshot(ours) == snapshot(plain)
        assert ours.pending_connect == plain.pending_connect
        assert ours.pending_disconnect == plain.pending_disconnect
        for number in range(6):
            sid = ours.sid_from_eio_sid(f"eio{number}", NS)
            if sid is not None:
                assert sorted(ours.get_rooms(sid, NS)) == sorted(plain.get_rooms(sid, NS))


def test_a_disconnect_leaves_only_its_own_rooms() -> None:
    ours, _ = managers()
    sids = [ours.pre_connect(f"eio{i}", NS) for i in range(2000)]
    for sid in sids:
        ours.connect(sid, NS)
        ours.enter_room(sid, NS, "w1:phones")
    visited: list[Any] = []
    leave = ours.basic_leave_room

    def counted(sid: str, namespace: str, room: Any) -> None:
        visited.append(room)
        leave(sid, namespace, room)

    ours.basic_leave_room = counted
    ours.pre_disconnect(sids[0], NS)
    ours.disconnect(sids[0], NS)
    assert sorted(visited, key=str) == sorted([None, sids[0], "w1:phones"], key=str)
    assert sids[0] not in ours.rooms[NS]["w1:phones"]
    assert len(ours.rooms[NS]["w1:phones"]) == 1999
    assert ours._rooms_of.get((NS, sids[0])) is None


def test_the_apps_managers_use_the_index() -> None:
    assert issubclass(broadcast.YieldingManager, RoomIndex)
    assert issubclass(broadcast.YieldingRedisManager, RoomIndex)
