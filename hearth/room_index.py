"""A reverse room index for python-socketio's managers: a leaving socket leaves only its rooms.

python-socketio (5.x, `BaseManager.basic_disconnect`) finds the rooms of a leaving socket by
copying and scanning every room of the namespace. Each socket has a room of its own, so with
2,000 phones connected every disconnect walks 2,000 rooms, and a reconnect storm of 1,000
phones walks two million: 14% of the storm's server time (docs/performance.md). This mixin
records which rooms each socket entered, so leaving costs the socket's own rooms (two or three).
"""

from __future__ import annotations

from typing import Any

Key = tuple[str, str]  # (namespace, sid)


class RoomIndex:
    """Mixin for a python-socketio manager: `basic_disconnect` and `get_rooms` without a scan.

    Every entry and exit goes through `basic_enter_room` / `basic_leave_room` (python-socketio
    itself uses them for the sid room, the connected-sockets room `None`, `close_room` and
    disconnects), so the index stays equal to `self.rooms`.
    """

    rooms: dict[str, dict[Any, Any]]
    callbacks: dict[str, Any]
    pending_connect: dict[str, list[str]]
    pending_disconnect: dict[str, list[str]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Rooms per socket in the order entered (a dict as an ordered set).
        self._rooms_of: dict[Key, dict[Any, None]] = {}

    def basic_enter_room(
        self, sid: str, namespace: str, room: Any, eio_sid: str | None = None
    ) -> None:
        """Enter a room (python-socketio's checks and errors first), then remember it."""
        super().basic_enter_room(sid, namespace, room, eio_sid=eio_sid)  # type: ignore[misc]
        self._rooms_of.setdefault((namespace, sid), {})[room] = None

    def basic_leave_room(self, sid: str, namespace: str, room: Any) -> None:
        """Leave a room and forget it."""
        super().basic_leave_room(sid, namespace, room)  # type: ignore[misc]
        joined = self._rooms_of.get((namespace, sid))
        if joined is not None:
            joined.pop(room, None)
            if not joined:
                del self._rooms_of[(namespace, sid)]

    def basic_disconnect(self, sid: str, namespace: str, **kwargs: Any) -> None:
        """python-socketio's `basic_disconnect`, leaving the socket's own rooms only."""
        if namespace not in self.rooms:
            return
        for room in list(self._rooms_of.get((namespace, sid), ())):
            self.basic_leave_room(sid, namespace, room)
        self.callbacks.pop(sid, None)
        for pending in (self.pending_connect, self.pending_disconnect):
            waiting = pending.get(namespace)
            if waiting is not None and sid in waiting:
                waiting.remove(sid)
                if not waiting:
                    del pending[namespace]

    def get_rooms(self, sid: str, namespace: str) -> list[Any]:
        """The rooms a socket is in (not the connected-sockets room `None`), in the order it
        entered them (python-socketio lists them in the order the rooms were created)."""
        return [room for room in self._rooms_of.get((namespace, sid), ()) if room is not None]
