"""The phones' outbox: results held back to once a second, and one sender task that sends
phones their messages beside the tick.

A broadcast to 2,000 phones is the tick's dearest message, and a phone is read, not watched:
phones get revealed results at most once a second (the last change always arrives), while the
projector and the control room get every tick.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from hearth.extensions import socketio
from hearth.realtime.rooms import PARTICIPANT_NS, Events, phones_room
from hearth.realtime.state import hub, tick_is_off

log = logging.getLogger(__name__)

# (event, payload, room or rooms, namespace)
Message = tuple[str, dict[str, Any], Any, str]

PHONE_RESULTS_SECONDS = 1.0
PHONE_RETRY_SECONDS = 1.0


def hold_for_phones(activity_id: int, workshop_id: int) -> None:
    """Send this activity's public results to phones when their second is up."""
    with hub.lock:
        hub.phone_pending[activity_id] = workshop_id


def due_phone_results() -> list[Message]:
    """Held-back results whose second is up, from the results this process last computed."""
    now = time.monotonic()
    interval = 0.0 if tick_is_off() else PHONE_RESULTS_SECONDS
    messages: list[Message] = []
    with hub.lock:
        for activity_id, workshop_id in list(hub.phone_pending.items()):
            if hub.phone_due.get(activity_id, 0.0) > now:
                continue
            del hub.phone_pending[activity_id]
            cached = hub.public_results.get(activity_id)
            if cached is not None and cached[1] is not None:
                messages.append(
                    (Events.RESULTS, cached[1], phones_room(workshop_id), PARTICIPANT_NS)
                )
                hub.phone_due[activity_id] = now + interval
    return messages


def send_to_phones(messages: list[Message]) -> None:
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
            activity_id = payload.get("activity_id") if event == Events.RESULTS else None
            hub.phone_outbox[(event, room, namespace, activity_id)] = payload
        if hub.phone_sender_running:
            return
        hub.phone_sender_running = True
    socketio.start_background_task(phone_sender)


def phone_sender() -> None:
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
