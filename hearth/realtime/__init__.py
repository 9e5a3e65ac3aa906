"""The live hub: what each screen is sent, and when.

One job per module: `rooms` (namespaces, event names and rooms), `state` (dirty flags, the
version clock, connection counts), `tick` (committed domain changes become dirty flags; a
flush sends each audience one snapshot), `snapshots` (the snapshot of each audience, also read
by the HTTP API), `outbox` (the phones' paced sender) and `jobs` (the ticker: flush, timers,
purge, housekeeping). The hub hears of writes through `hearth.changes` and is never called by
a service (docs/architecture.md).
"""

from __future__ import annotations

from hearth.realtime.jobs import ensure_ticker
from hearth.realtime.rooms import (
    FACILITATOR_NS,
    PARTICIPANT_NS,
    PRESENT_NS,
    Events,
    close_control_rooms,
    facilitator_room,
    phones_room,
    present_room,
    team_rooms,
)
from hearth.realtime.snapshots import (
    control_state,
    facilitator_results,
    participant_snapshot,
    participant_state,
    present_snapshot,
    present_state,
    public_results_now,
    qa_state,
)
from hearth.realtime.state import connected_total, connection_changed, hub
from hearth.realtime.tick import apply_changes, flush, init_app

__all__ = [
    "FACILITATOR_NS",
    "PARTICIPANT_NS",
    "PRESENT_NS",
    "Events",
    "apply_changes",
    "close_control_rooms",
    "connected_total",
    "connection_changed",
    "control_state",
    "ensure_ticker",
    "facilitator_results",
    "facilitator_room",
    "flush",
    "hub",
    "init_app",
    "participant_snapshot",
    "participant_state",
    "phones_room",
    "present_room",
    "present_snapshot",
    "present_state",
    "public_results_now",
    "qa_state",
    "team_rooms",
]
