"""The realtime hub: the only module that knows Socket.IO rooms and event names.

It hears of committed domain changes (`hearth.changes`, subscribed by `init_app`) and turns
them into dirty flags; services never call it. Nothing is broadcast
per answer: the ticker flushes each dirty workshop and activity at most once per tick, with
complete, versioned snapshots, and always flushes the last change (docs/architecture.md).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, NamedTuple

from flask import Flask, current_app
from sqlalchemy import select, update

from hearth import changes
from hearth.changes import (
    Change,
    ControlRoomsClosed,
    QaChanged,
    ResultsChanged,
    SignalsChanged,
    WorkshopChanged,
)
from hearth.extensions import db, socketio, writing
from hearth.kinds import KINDS, public_activity
from hearth.memory import collector
from hearth.models import Workshop, WorkshopActivity, WorkshopFacilitator, now_utc
from hearth.network import join_url, present_url, summary_url
from hearth.presence import RedisPresence
from hearth.results import (
    NO_ANSWERS,
    answer_counts,
    is_check_out,
    moderation_queue,
    pre_post,
    results_payloads,
)

log = logging.getLogger(__name__)

PARTICIPANT_NS = "/participant"
FACILITATOR_NS = "/facilitator"
PRESENT_NS = "/present"
TIMER_CHECK_SECONDS = 0.5
# How long a tick's public results may serve (re)connecting phones. New answers do not make
# them stale: a phone that connects gets results as fresh as every connected phone has (they
# get results at most once a second, below), and the next broadcast brings it up to date. A
# facilitator's action (reveal, close, go to) does, until the next tick has sent it.
CACHE_SECONDS = 1.0
# Phones get revealed results at most once a second (the last change always arrives):
# a broadcast to 2,000 phones is the tick's dearest message, and a phone is read, not watched.
# The projector and the control room still get every tick.
PHONE_RESULTS_SECONDS = 1.0
PURGE_EVERY_SECONDS = 3600


def phones_room(workshop_id: int) -> str:
    """Room of every phone in a workshop."""
    return f"w{workshop_id}:phones"


def facilitator_room(workshop_id: int, facilitator_id: int) -> str:
    """Room of one facilitator's control-room sockets in a workshop."""
    return f"w{workshop_id}:f{facilitator_id}"


def team_rooms(workshop: Workshop) -> list[str]:
    """Rooms of the control rooms of a workshop: one per member of its team, as it is now.

    Read at every send, so a co-facilitator taken off the team receives nothing more even
    from a socket on another worker (docs/protocol.md).
    """
    team = db.session.scalars(
        select(WorkshopFacilitator.facilitator_id).where(
            WorkshopFacilitator.workshop_id == workshop.id
        )
    )
    return [facilitator_room(workshop.id, fid) for fid in [workshop.owner_id, *team]]


def close_control_rooms(facilitator_id: int, workshop_ids: list[int]) -> None:
    """Take a facilitator's control-room sockets out of these workshops at once.

    Sockets on this worker are disconnected (the page reconnects and is told why: logged out,
    or no longer on the team); sockets on other workers leave the room through the message
    queue (`close_room`), and `team_rooms` leaves them out of every later send.
    """
    for workshop_id in workshop_ids:
        room = facilitator_room(workshop_id, facilitator_id)
        local = socketio.server.manager.get_participants(FACILITATOR_NS, room)
        for sid, _eio_sid in list(local):
            socketio.server.disconnect(sid, namespace=FACILITATOR_NS)
        socketio.close_room(room, namespace=FACILITATOR_NS)


def present_room(workshop_id: int) -> str:
    """Room of the projectors of a workshop."""
    return f"w{workshop_id}:present"


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


def _immediate() -> bool:
    """With HEARTH_TICK_MS=0 every change is broadcast at once (the benchmark's baseline)."""
    return int(current_app.config["HEARTH_TICK_MS"]) == 0


def init_app(app: Flask) -> None:
    """Hear of every committed domain change from now on (once per process)."""
    changes.subscribe(apply_changes)


def apply_changes(batch: Sequence[Change]) -> None:
    """Mark what a committed batch changed dirty for the next tick (no query, no emit); with
    HEARTH_TICK_MS=0, flush after each change instead, as the benchmark's baseline does."""
    immediate = _immediate()
    for change in batch:
        if isinstance(change, ControlRoomsClosed):
            close_control_rooms(change.facilitator_id, list(change.workshop_ids))
            continue
        with hub.lock:
            _mark_dirty(change)
        if immediate:
            flush()


def _mark_dirty(change: Change) -> None:
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


def _publish_presence() -> None:
    """Share this worker's connection counts (server mode only)."""
    if hub.presence is None:
        return
    with hub.lock:
        changed, hub.presence_changed = hub.presence_changed, False
        counts = dict(hub.connected)
    hub.presence.publish(counts, force=changed)


# --- results ------------------------------------------------------------------------------


# --- snapshots ----------------------------------------------------------------------------


def _closes_in(activity: WorkshopActivity | None) -> int | None:
    """Whole seconds left on the activity's timer, or None."""
    if activity is None or activity.closes_at is None:
        return None
    return max(0, round((activity.closes_at - now_utc()).total_seconds()))


def _public_activity(workshop: Workshop) -> dict[str, Any] | None:
    """The current activity as phones and projectors see it."""
    activity = workshop.current_activity
    if activity is None:
        return None
    return public_activity(activity.id, activity.position, activity.spec)


def participant_state(
    workshop: Workshop, public_results: dict[str, Any] | None, version: int
) -> dict[str, Any]:
    """The `state` snapshot every phone gets (without `mine`, which is per phone)."""
    activity = workshop.current_activity
    return {
        "version": version,
        "phase": workshop.phase,
        "activity": _public_activity(workshop),
        "accepting": bool(activity and activity.accepting),
        "closes_in": _closes_in(activity),
        "results": public_results,
        "min_group": workshop.min_group,
        "index": workshop.current_index,
        "total": len(workshop.activities),
        "qa": qa_state(workshop, "public", version),
        "resources": workshop.resources,
    }


def present_state(
    workshop: Workshop, public_results: dict[str, Any] | None, version: int
) -> dict[str, Any]:
    """The `present` snapshot for projectors."""
    activity = workshop.current_activity
    return {
        "version": version,
        "phase": workshop.phase,
        "workshop": {
            "title": workshop.title,
            "code": workshop.code,
            "join_url": join_url(workshop.code),
            "qr_url": f"/j/{workshop.code}/qr.svg",
        },
        "activity": _public_activity(workshop),
        "accepting": bool(activity and activity.accepting),
        "revealed": bool(activity and activity.revealed),
        "closes_in": _closes_in(activity),
        "min_group": workshop.min_group,
        "results": public_results,
        "qa": qa_state(workshop, "public", version),
        "reactions": workshop.reactions or {},
        "summary_url": summary_url(workshop.summary_key) if workshop.summary_key else None,
        "comparison": pre_post(workshop, "public"),
        "locked": workshop.locked,
    }


def _label(spec: dict[str, Any]) -> str:
    """A short name for an activity in the control room's plan list."""
    text = spec.get("title") or spec.get("prompt") or spec.get("body") or ""
    return text if len(text) <= 80 else text[:79] + "…"


def control_state(workshop: Workshop, version: int | None = None) -> dict[str, Any]:
    """The `control` snapshot for the control room (and GET /api/v1/workshops/<id>)."""
    counts = answer_counts(workshop.id)
    activity = workshop.current_activity
    moderation, waiting = moderation_queue(workshop)
    connected = connected_total(workshop.id)
    return {
        "version": version or hub.next_version(),
        "phase": workshop.phase,
        "index": workshop.current_index,
        "workshop": {
            "id": workshop.id,
            "title": workshop.title,
            "code": workshop.code,
            "join_url": join_url(workshop.code),
            "present_url": present_url(workshop.present_key),
            "min_group": workshop.min_group,
        },
        "activities": [
            {
                "id": item.id,
                "index": item.position,
                "kind": item.kind,
                "label": _label(item.spec),
                "takes_answers": KINDS[item.kind].takes_answers,
                "accepting": item.accepting,
                "opened": item.opened_once,
                "revealed": item.revealed,
                "reveal": item.spec.get("reveal"),
                **counts.get(item.id, NO_ANSWERS),
            }
            for item in workshop.activities
        ],
        "activity": _public_activity(workshop),
        "accepting": bool(activity and activity.accepting),
        "revealed": bool(activity and activity.revealed),
        "closes_in": _closes_in(activity),
        "connected": connected,
        "progress": dict(counts.get(activity.id, NO_ANSWERS) if activity else NO_ANSWERS),
        "moderation": moderation,
        "moderation_waiting": waiting,
        "qa": qa_state(workshop, "facilitator", version),
        "signals": {"break": workshop.break_signals, "reactions": workshop.reactions or {}},
        "resources": workshop.resources,
        "resources_reviewed": workshop.resources_reviewed,
        "summary_url": summary_url(workshop.summary_key) if workshop.summary_key else None,
        "purged": workshop.purged_on is not None,
        "comparison": pre_post(workshop, "facilitator"),
        "room": {
            "locked": workshop.locked,
            "head_count": workshop.head_count,
            "identities": workshop.identities,
            "turned_away": workshop.turned_away,
        },
    }


def qa_state(workshop: Workshop, audience: str, version: int | None = None) -> dict[str, Any]:
    """The Q&A board by votes (approved and answered); the facilitator also sees the queue."""
    shown = (
        ("approved", "answered") if audience == "public" else ("pending", "approved", "answered")
    )
    questions = sorted(
        (q for q in workshop.questions if q.status in shown),
        key=lambda q: (q.status == "answered", -q.votes, q.id),
    )
    return {
        "version": version or hub.next_version(),
        "open": workshop.qa_open,
        "questions": [
            {"id": q.id, "text": q.text, "votes": q.votes, "status": q.status} for q in questions
        ],
    }


def _remember_public(activity_id: int, public: dict[str, Any] | None) -> None:
    """Keep the public results just computed for the connect snapshots that follow."""
    with hub.lock:
        hub.public_results[activity_id] = (time.monotonic(), public)


def public_results_now(workshop: Workshop, activity: WorkshopActivity) -> dict[str, Any] | None:
    """The public results of an activity: the tick's (see CACHE_SECONDS), or fresh."""
    with hub.lock:
        changed = workshop.id in hub.dirty_workshops
        cached = hub.public_results.get(activity.id)
    if cached is not None and not changed and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    payloads = results_payloads(workshop, activity, hub.next_version())
    public = payloads["public"] if payloads else None
    _remember_public(activity.id, public)
    return public


def participant_snapshot(workshop: Workshop, my_answer: dict[str, Any] | None) -> dict[str, Any]:
    """The full `state` for one phone that just (re)connected, with its own answer."""
    activity = workshop.current_activity
    public = public_results_now(workshop, activity) if activity else None
    state = participant_state(workshop, public, hub.next_version())
    state["mine"] = my_answer
    return state


def present_snapshot(workshop: Workshop) -> dict[str, Any]:
    """The full `present` snapshot for a projector that just (re)connected."""
    activity = workshop.current_activity
    version = hub.next_version()
    payloads = results_payloads(workshop, activity, version) if activity else None
    return present_state(workshop, payloads["public"] if payloads else None, version)


def facilitator_results(workshop: Workshop) -> list[dict[str, Any]]:
    """Facilitator-audience results of every answerable activity (sent on connect)."""
    version = hub.next_version()
    payloads = (results_payloads(workshop, activity, version) for activity in workshop.activities)
    return [p["facilitator"] for p in payloads if p is not None]


# --- the tick -----------------------------------------------------------------------------


# (event, payload, room or rooms, namespace)
Message = tuple[str, dict[str, Any], Any, str]


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
        outbox += _due_phone_results()
        # Reads are done: end the transaction before emitting (no emit inside a transaction).
        db.session.commit()
        if peaks:
            _record_peaks(peaks)
        screens = [message for message in outbox if message[3] != PARTICIPANT_NS]
        for event, payload, room, namespace in screens:
            socketio.emit(event, payload, to=room, namespace=namespace)
        _send_to_phones([message for message in outbox if message[3] == PARTICIPANT_NS])
    except Exception:
        hub.restore_dirty(dirty)
        raise
    return len(outbox)


def _send_to_phones(messages: list[Message]) -> None:
    """Send phones their messages: a paced broadcast to a large room takes a while (see
    hearth.broadcast), so under eventlet or gevent one sender task does it beside the tick,
    which goes on serving the projector and the control room. In threading mode (tests) the
    messages go in line."""
    if not messages:
        return
    if socketio.async_mode == "threading":
        for event, payload, room, namespace in messages:
            socketio.emit(event, payload, to=room, namespace=namespace)
        return
    with hub.lock:
        for event, payload, room, namespace in messages:
            activity_id = payload.get("activity_id") if event == "results" else None
            hub.phone_outbox[(event, room, namespace, activity_id)] = payload
        if hub.phone_sender_running:
            return
        hub.phone_sender_running = True
    socketio.start_background_task(_phone_sender)


PHONE_RETRY_SECONDS = 1.0


def _phone_sender() -> None:
    """Send what is in the phones' outbox until it is empty; a failed send is retried."""
    while True:
        with hub.lock:
            batch, hub.phone_outbox = hub.phone_outbox, {}
            if not batch:
                hub.phone_sender_running = False
                return
        failed = False
        for key, payload in batch.items():
            event, room, namespace, _ = key
            try:
                socketio.emit(event, payload, to=room, namespace=namespace)
            except Exception:
                log.exception("Sending %s to phones failed; it will be sent again", event)
                failed = True
                with hub.lock:  # unless a newer one is already waiting
                    hub.phone_outbox.setdefault(key, payload)
        if failed:
            socketio.sleep(PHONE_RETRY_SECONDS)


def _due_phone_results() -> list[Message]:
    """Held-back results whose second is up, from the results this process last computed."""
    now = time.monotonic()
    interval = 0.0 if _immediate() else PHONE_RESULTS_SECONDS
    messages: list[Message] = []
    with hub.lock:
        for activity_id, workshop_id in list(hub.phone_pending.items()):
            if hub.phone_due.get(activity_id, 0.0) > now:
                continue
            del hub.phone_pending[activity_id]
            cached = hub.public_results.get(activity_id)
            if cached is not None and cached[1] is not None:
                messages.append(("results", cached[1], phones_room(workshop_id), PARTICIPANT_NS))
                hub.phone_due[activity_id] = now + interval
    return messages


def _record_peaks(peaks: dict[int, int]) -> None:
    """Keep the highest number of phones connected at once (for the session summary)."""
    with writing():
        for workshop_id, connected in peaks.items():
            db.session.execute(
                update(Workshop)
                .where(Workshop.id == workshop_id, Workshop.peak_connected < connected)
                .values(peak_connected=connected)
            )


def _messages_for(workshop: Workshop, dirty: Dirty) -> list[Message]:
    """The messages one workshop needs this tick: each audience gets each kind at most once."""
    wid = workshop.id
    state_dirty = wid in dirty.workshops
    activity_ids = dirty.results.get(wid, set())
    messages: list[Message] = []
    team = team_rooms(workshop)
    current = workshop.current_activity
    current_public: dict[str, Any] | None = None
    version = hub.next_version()
    for activity in workshop.activities:
        is_current = current is not None and activity.id == current.id
        if activity.id not in activity_ids and not (state_dirty and is_current):
            continue
        payloads = results_payloads(workshop, activity, version)
        if payloads is None:
            continue
        messages.append(("results", payloads["facilitator"], team, FACILITATOR_NS))
        if is_current:
            current_public = payloads["public"]
            _remember_public(activity.id, current_public)
            messages.append(("results", current_public, present_room(wid), PRESENT_NS))
            # Phones only need results they can see; the state snapshot carries the rest.
            if current_public["hidden"] != "not_revealed" and not state_dirty:
                with hub.lock:
                    hub.phone_pending[activity.id] = wid
    if state_dirty:
        state = participant_state(workshop, current_public, version)
        messages.append(("state", state, phones_room(wid), PARTICIPANT_NS))
    elif wid in dirty.qa:
        messages.append(
            ("qa", qa_state(workshop, "public", version), phones_room(wid), PARTICIPANT_NS)
        )
    # A revealed check-out's comparison on the projector is derived from its answers, so new
    # answers refresh the whole present snapshot, not only `results`.
    check_out_changed = (
        current is not None and current.id in activity_ids and is_check_out(workshop, current)
    )
    if state_dirty or wid in dirty.qa or wid in dirty.signals or check_out_changed:
        present = present_state(workshop, current_public, version)
        messages.append(("present", present, present_room(wid), PRESENT_NS))
    messages.append(("control", control_state(workshop, version), team, FACILITATOR_NS))
    return messages


def ensure_ticker(app: Flask) -> None:
    """Start this process's ticker once (on the first connection, or by `hearth serve`)."""
    if hub.ticker_started or not app.config.get("HEARTH_TICKER", True):
        return
    with hub.lock:
        if hub.ticker_started:
            return
        hub.ticker_started = True
    queue = app.config.get("HEARTH_MESSAGE_QUEUE")
    if queue and str(queue).startswith(("redis://", "rediss://", "unix://")):
        hub.presence = RedisPresence(str(queue), app.config["HEARTH_MESSAGE_QUEUE_CHANNEL"])
    socketio.start_background_task(_tick_forever, app)


def _tick_forever(app: Flask) -> None:
    """Flush every HEARTH_TICK_MS, and close activities whose timers ran out."""
    from hearth.services.retention import run_purge_job
    from hearth.services.workshops import close_expired_timers

    interval = max(int(app.config["HEARTH_TICK_MS"]), 20) / 1000
    next_timer_check = 0.0
    next_purge = 0.0
    while True:
        socketio.sleep(interval)
        with app.app_context():
            try:
                now = time.monotonic()
                if now >= next_timer_check:
                    next_timer_check = now + TIMER_CHECK_SECONDS
                    close_expired_timers()
                if now >= next_purge:
                    # Retention runs inside the server too, so a laptop with no cron still purges.
                    next_purge = now + PURGE_EVERY_SECONDS
                    run_purge_job()
                _publish_presence()
                flush()
            except Exception:
                # The ticker must outlive any one bad tick; the next tick retries.
                log.exception("Realtime tick failed")
                db.session.rollback()
            finally:
                db.session.remove()
        try:
            collector.tick()
        except Exception:
            log.exception("Garbage collection failed")
