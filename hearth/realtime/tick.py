"""The hub at work: committed domain changes become dirty flags, and each flush sends every
dirty workshop's screens one complete, versioned snapshot per audience.

Nothing is sent per answer: a flush tallies each dirty activity once, and always sends the last
change (docs/architecture.md). `hearth.realtime.jobs` runs a flush every HEARTH_TICK_MS; with
HEARTH_TICK_MS=0 every change is flushed at once (the benchmark's baseline).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, assert_never

from flask import Flask

from hearth import changes
from hearth.changes import (
    Change,
    ControlRoomsClosed,
    QaChanged,
    ResultsChanged,
    SignalsChanged,
    WorkshopChanged,
)
from hearth.extensions import db, socketio
from hearth.models import Workshop
from hearth.realtime import rooms
from hearth.realtime.outbox import Message, due_phone_results, hold_for_phones, send_to_phones
from hearth.realtime.rooms import (
    FACILITATOR_NS,
    PARTICIPANT_NS,
    PRESENT_NS,
    Events,
    phones_room,
    present_room,
    team_rooms,
)
from hearth.realtime.snapshots import (
    control_state,
    participant_state,
    present_state,
    qa_state,
    remember_public,
)
from hearth.realtime.state import Dirty, connected_total, hub, tick_is_off
from hearth.results import is_check_out, results_payloads
from hearth.services.room import record_peak_connected


def init_app(app: Flask) -> None:
    """Hear of every committed domain change from now on (once per process)."""
    changes.subscribe(apply_changes)


def apply_changes(batch: Sequence[Change]) -> None:
    """Mark what a committed batch changed dirty for the next tick (no query, no emit); with
    HEARTH_TICK_MS=0, flush after each change instead, as the benchmark's baseline does."""
    immediate = tick_is_off()
    for change in batch:
        if isinstance(change, ControlRoomsClosed):
            rooms.close_control_rooms(change.facilitator_id, list(change.workshop_ids))
            continue
        with hub.lock:
            _mark_dirty(change)
        if immediate:
            flush()


def _mark_dirty(change: ResultsChanged | WorkshopChanged | QaChanged | SignalsChanged) -> None:
    """Set the dirty flags of one change (the caller holds the hub's lock)."""
    if isinstance(change, ResultsChanged):
        hub.dirty_results[change.workshop_id].add(change.activity_id)
    elif isinstance(change, WorkshopChanged):
        # What is showing changed: every snapshot is sent again.
        hub.dirty_workshops.add(change.workshop_id)
        if change.activity_id is not None:
            hub.dirty_results[change.workshop_id].add(change.activity_id)
    elif isinstance(change, QaChanged):
        hub.dirty_qa.add(change.workshop_id)
    elif isinstance(change, SignalsChanged):
        hub.dirty_signals.add(change.workshop_id)
    else:  # a new kind of change must be handled here: mypy says so
        assert_never(change)


def flush() -> int:
    """Emit every pending snapshot and result; return how many messages were emitted."""
    dirty = hub.take_dirty()
    try:
        outbox: list[Message] = []
        peaks: dict[int, int] = {}
        for workshop_id in dirty.workshop_ids():
            workshop = db.session.get(Workshop, workshop_id)
            if workshop is None:
                continue
            outbox += _messages_for(workshop, dirty)
            connected = connected_total(workshop_id)
            if connected > workshop.peak_connected:
                peaks[workshop_id] = connected
        outbox += due_phone_results()
        # Reads are done: end the transaction before emitting (no emit inside a transaction).
        db.session.commit()
        if peaks:
            record_peak_connected(peaks)
        screens = [message for message in outbox if message[3] != PARTICIPANT_NS]
        for event, payload, room, namespace in screens:
            socketio.emit(event, payload, to=room, namespace=namespace)
        send_to_phones([message for message in outbox if message[3] == PARTICIPANT_NS])
    except Exception:
        hub.restore_dirty(dirty)
        raise
    return len(outbox)


def _results_messages(
    workshop: Workshop, dirty: Dirty, version: int, team: list[str]
) -> tuple[list[Message], dict[str, Any] | None]:
    """Each dirty activity's results for the team, and the current one's for the projector;
    with the current activity's public results (None if they were not computed)."""
    wid = workshop.id
    state_dirty = wid in dirty.workshops
    activity_ids = dirty.results.get(wid, set())
    current = workshop.current_activity
    self_paced = workshop.pace == "self" and workshop.phase == "live"
    messages: list[Message] = []
    current_public: dict[str, Any] | None = None
    for activity in workshop.activities:
        is_current = current is not None and activity.id == current.id
        if activity.id not in activity_ids and not (state_dirty and is_current):
            continue
        payloads = results_payloads(workshop, activity, version)
        if payloads is None:
            continue
        messages.append((Events.RESULTS, payloads["facilitator"], team, FACILITATOR_NS))
        if self_paced:
            # Every activity is revealed to self-paced phones: they get the one that changed,
            # not the whole plan again (its `state` carries them all on connect and on change).
            remember_public(activity.id, payloads["public"])
            if not state_dirty:
                hold_for_phones(activity.id, wid)
        elif is_current:
            current_public = payloads["public"]
            remember_public(activity.id, current_public)
            messages.append((Events.RESULTS, current_public, present_room(wid), PRESENT_NS))
            # Phones only need results they can see; the state snapshot carries the rest.
            if current_public["hidden"] != "not_revealed" and not state_dirty:
                hold_for_phones(activity.id, wid)
    return messages, current_public


def _messages_for(workshop: Workshop, dirty: Dirty) -> list[Message]:
    """The messages one workshop needs this tick: each audience gets each kind at most once."""
    wid = workshop.id
    state_dirty = wid in dirty.workshops
    version = hub.next_version()
    team = team_rooms(workshop)
    messages, current_public = _results_messages(workshop, dirty, version, team)
    if state_dirty:
        state = participant_state(workshop, current_public, version)
        messages.append((Events.STATE, state, phones_room(wid), PARTICIPANT_NS))
    elif wid in dirty.qa:
        qa = qa_state(workshop, "public", version)
        messages.append((Events.QA, qa, phones_room(wid), PARTICIPANT_NS))
    # A revealed check-out's comparison on the projector is derived from its answers, so new
    # answers refresh the whole present snapshot, not only `results`.
    current = workshop.current_activity
    check_out_changed = (
        current is not None
        and current.id in dirty.results.get(wid, set())
        and is_check_out(workshop, current)
    )
    if state_dirty or wid in dirty.qa or wid in dirty.signals or check_out_changed:
        present = present_state(workshop, current_public, version)
        messages.append((Events.PRESENT, present, present_room(wid), PRESENT_NS))
    messages.append((Events.CONTROL, control_state(workshop, version), team, FACILITATOR_NS))
    return messages
