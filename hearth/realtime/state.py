"""The hub's state in this process: dirty flags, the version clock, connection counts, and the
caches and queues the flush and the phones' sender share. Every field is guarded by `lock`."""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from typing import Any, NamedTuple

from flask import current_app

from hearth.presence import RedisPresence

log = logging.getLogger(__name__)


class Dirty(NamedTuple):
    """What changed since the last tick."""

    workshops: set[int]
    results: dict[int, set[int]]
    qa: set[int]
    signals: set[int]

    def workshop_ids(self) -> set[int]:
        """Every workshop with anything to send."""
        return self.workshops | set(self.results) | self.qa | self.signals


class Hub:
    """Dirty flags, connection counts and the version clock of this process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        # Phones' messages waiting for the sender, newest per event, room and (for `results`)
        # activity: every message is a complete snapshot, so a newer one replaces an unsent one.
        self.phone_outbox: dict[tuple[str, str, str, Any], dict[str, Any]] = {}
        self.phone_sender_running = False
        self.dirty_workshops: set[int] = set()
        self.dirty_results: dict[int, set[int]] = defaultdict(set)
        # Q&A boards and signal counts change often and concern fewer screens than `state`.
        self.dirty_qa: set[int] = set()
        self.dirty_signals: set[int] = set()
        self.connected: dict[int, int] = defaultdict(int)
        self.last_version = 0
        self.ticker_started = False
        self.presence: RedisPresence | None = None
        # activity id -> (monotonic time, public results): spares a reconnect storm from
        # tallying every response once per phone.
        self.public_results: dict[int, tuple[float, dict[str, Any] | None]] = {}
        # Results held back for phones (activity id -> workshop id) and when each may next go.
        self.phone_pending: dict[int, int] = {}
        self.phone_due: dict[int, float] = {}
        self.presence_changed = False

    def reset(self) -> None:
        """Forget every flag, count and cached result (a fresh process, for tests)."""
        self.take_dirty()
        with self.lock:
            self.connected.clear()
            self.public_results.clear()
            self.phone_pending.clear()
            self.phone_due.clear()
            self.phone_outbox.clear()
            self.phone_sender_running = False
            self.presence_changed = False
        self.ticker_started = False

    def next_version(self) -> int:
        """A version that only grows: milliseconds, so snapshots from any worker order by age."""
        with self.lock:
            self.last_version = max(self.last_version + 1, int(time.time() * 1000))
            return self.last_version

    def take_dirty(self) -> Dirty:
        """Hand over and reset the dirty flags."""
        with self.lock:
            taken = Dirty(
                self.dirty_workshops, self.dirty_results, self.dirty_qa, self.dirty_signals
            )
            self.dirty_workshops, self.dirty_results = set(), defaultdict(set)
            self.dirty_qa, self.dirty_signals = set(), set()
        return taken

    def restore_dirty(self, taken: Dirty) -> None:
        """Put back flags a failed tick took, so the next tick still sends the last change."""
        with self.lock:
            self.dirty_workshops |= taken.workshops
            for workshop_id, activity_ids in taken.results.items():
                self.dirty_results[workshop_id] |= activity_ids
            self.dirty_qa |= taken.qa
            self.dirty_signals |= taken.signals


hub = Hub()


def tick_is_off() -> bool:
    """With HEARTH_TICK_MS=0 every change is broadcast at once (the benchmark's baseline)."""
    return int(current_app.config["HEARTH_TICK_MS"]) == 0


def connection_changed(workshop_id: int, delta: int) -> int:
    """Count a phone in or out, and return how many are connected to this process."""
    with hub.lock:
        hub.connected[workshop_id] = max(0, hub.connected[workshop_id] + delta)
        hub.dirty_signals.add(workshop_id)
        hub.presence_changed = True
        return hub.connected[workshop_id]


def connected_total(workshop_id: int) -> int:
    """Phones connected to a workshop, on every worker."""
    local = hub.connected.get(workshop_id, 0)
    if hub.presence is None:
        return local
    try:
        return hub.presence.total(workshop_id, local)
    except Exception:
        log.warning("Could not read connection counts from the message queue")
        return local


def publish_presence() -> None:
    """Share this worker's connection counts (server mode only)."""
    if hub.presence is None:
        return
    with hub.lock:
        changed, hub.presence_changed = hub.presence_changed, False
        counts = dict(hub.connected)
    hub.presence.publish(counts, force=changed)
