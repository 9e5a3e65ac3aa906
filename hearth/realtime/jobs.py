"""The ticker: one background task per process that flushes the hub every HEARTH_TICK_MS, closes
activities whose timers ran out, runs the retention purge and keeps house (connection counts
for other workers, the garbage collector)."""

from __future__ import annotations

import logging
import time

from flask import Flask

from hearth.extensions import db, socketio
from hearth.memory import collector
from hearth.presence import RedisPresence
from hearth.realtime.state import hub, publish_presence
from hearth.realtime.tick import flush
from hearth.services.retention import run_purge_job
from hearth.services.workshops import close_expired_timers, end_expired_self_paced

log = logging.getLogger(__name__)

TIMER_CHECK_SECONDS = 0.5
PURGE_EVERY_SECONDS = 3600


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


class _Due:
    """When the ticker's slower jobs next run (monotonic seconds)."""

    def __init__(self) -> None:
        self.timers = 0.0
        self.purge = 0.0


def _tick_forever(app: Flask) -> None:
    """Run a tick every HEARTH_TICK_MS (at least 20 ms), for as long as the process lives."""
    interval = max(int(app.config["HEARTH_TICK_MS"]), 20) / 1000
    due = _Due()
    while True:
        socketio.sleep(interval)
        with app.app_context():
            try:
                _tick(due)
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


def _tick(due: _Due) -> None:
    """One tick: the jobs whose time has come, then the flush."""
    now = time.monotonic()
    if now >= due.timers:
        due.timers = now + TIMER_CHECK_SECONDS
        close_expired_timers()
        end_expired_self_paced()
    if now >= due.purge:
        # Retention runs inside the server too, so a laptop with no cron still purges.
        due.purge = now + PURGE_EVERY_SECONDS
        run_purge_job()
    publish_presence()
    flush()
