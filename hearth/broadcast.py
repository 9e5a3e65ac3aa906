"""Socket.IO client managers that pace a broadcast to a large room.

A `results` broadcast to 2,000 phones queued 2,000 WebSocket writes in one hub turn, and every
answer that arrived meanwhile waited behind all of them (the p95 ack of a burst was one
broadcast long). These managers pause for PAUSE_SECONDS after every CHUNK recipients, so acks
are written between chunks and 2,000 phones do not all wake at once. Rooms are copied before
the first recipient, as python-socketio does, so a phone that joins or leaves mid-broadcast
changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import socketio

from hearth.room_index import RoomIndex

CHUNK = 50
# 2,000 phones take 40 pauses: the last gets a broadcast about 0.4 s after the first (results
# on phones are up to a second old anyway); a room of under 50 (a projector, a control room)
# is never paused. In 2,000-phone bursts 10 ms gave a lower ack p99 than 5 ms.
PAUSE_SECONDS = 0.01


class _Yielding:
    """Mixin for a python-socketio manager: pause after every CHUNK recipients."""

    server: Any

    def get_participants(self, namespace: str, room: Any) -> Iterator[tuple[str, str]]:
        """The room's (sid, eio_sid) pairs, pausing between chunks."""
        for count, participant in enumerate(
            super().get_participants(namespace, room),  # type: ignore[misc]
            start=1,
        ):
            yield participant
            if count % CHUNK == 0:
                self.server.sleep(PAUSE_SECONDS)


class YieldingManager(_Yielding, RoomIndex, socketio.Manager):
    """The in-process manager (room mode)."""


class YieldingRedisManager(_Yielding, RoomIndex, socketio.RedisManager):
    """The Redis message-queue manager (server mode).

    Each message is delivered to this worker's sockets by a task of its own: a paced
    broadcast would otherwise hold the Redis listener, and the projector's next message
    behind it, and python-socketio delivers locally before it publishes to the other workers.
    """

    def _handle_emit(self, message: dict[str, Any]) -> None:
        self.server.start_background_task(super()._handle_emit, message)


def client_manager(message_queue: str | None, channel: str) -> socketio.Manager:
    """The manager for this configuration: Redis when a redis:// queue is set."""
    if message_queue is None:
        return YieldingManager()
    if message_queue.startswith(("redis://", "rediss://")):
        return YieldingRedisManager(message_queue, channel=channel)
    raise ValueError("HEARTH_MESSAGE_QUEUE must be a redis:// or rediss:// URL.")
