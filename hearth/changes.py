"""Domain changes, handed on only after the transaction that made them has committed.

A service records what it changed (`record(ResultsChanged(...))`) inside its write
transaction (`hearth.extensions.writing`). When that transaction commits, the recorded changes
go to every subscriber as one batch; when it rolls back, or its commit fails, they are dropped
and nobody hears of them. A group commit of many answers (`hearth.services.responses`) holds
the changes of every transaction it runs and hands them on as one batch (`batch()`).

Services therefore never know who listens: the live hub (`hearth.realtime`) subscribes when
the app is set up and turns a batch into dirty flags. This is the idea of Zulip's
`send_event_on_commit` (docs/architecture.md, "Domain changes").

Why a small module of our own rather than blinker (already installed with Flask): blinker
dispatches by signal name to weakly held receivers with untyped keyword arguments, and has no
notion of a transaction, which is the part that matters here. A change here is a frozen,
typed value that mypy checks at every call site, the buffering per transaction is the point,
and dispatch is a loop over one list. ("Signal" is also a domain noun in Hearth: a break
signal; a change is not called one.)

This module imports nothing of Hearth, so anything may use it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ResultsChanged:
    """An answer, pass, retraction, moderation verdict or purge changed an activity's results."""

    workshop_id: int
    activity_id: int


@dataclass(frozen=True, slots=True)
class WorkshopChanged:
    """What is showing changed (an action, a timer, the summary link); with the activity whose
    results that may have changed, if any."""

    workshop_id: int
    activity_id: int | None = None


@dataclass(frozen=True, slots=True)
class QaChanged:
    """A question was asked, moderated or upvoted, or Q&A opened or closed."""

    workshop_id: int


@dataclass(frozen=True, slots=True)
class SignalsChanged:
    """A break signal, a reaction, a new identity or a join turned away was counted."""

    workshop_id: int


@dataclass(frozen=True, slots=True)
class ControlRoomsClosed:
    """A facilitator may no longer watch these workshops (logged out, new password, taken off
    the team): their open control rooms must close."""

    facilitator_id: int
    workshop_ids: tuple[int, ...]


Change = ResultsChanged | WorkshopChanged | QaChanged | SignalsChanged | ControlRoomsClosed
Subscriber = Callable[[Sequence[Change]], None]

_subscribers: list[Subscriber] = []


class _Local(threading.local):
    """Per thread (per green thread once eventlet or gevent has patched `threading`)."""

    # Changes recorded in the open transaction; None when no transaction is open.
    pending: list[Change] | None = None
    # Committed changes held for one batch (see `batch`); None when no batch is open.
    held: list[Change] | None = None


_local = _Local()


def subscribe(subscriber: Subscriber) -> None:
    """Hand every committed batch to `subscriber` from now on (once, however often asked)."""
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)


def unsubscribe(subscriber: Subscriber) -> None:
    """Stop handing batches to `subscriber`."""
    if subscriber in _subscribers:
        _subscribers.remove(subscriber)


def record(change: Change) -> None:
    """Note a change made by the open transaction; it is handed on if that transaction commits.

    Outside a transaction this is a programming error: a change nobody could commit or roll
    back would be announced whether or not it happened.
    """
    pending = _local.pending
    if pending is None:
        raise RuntimeError("Record a change inside a write transaction (hearth.extensions.writing)")
    pending.append(change)


@contextmanager
def transaction() -> Iterator[None]:
    """Collect the changes recorded inside; hand them on if the block ends normally, drop them
    if it raises. A transaction inside another joins the outer one."""
    if _local.pending is not None:
        yield
        return
    _local.pending = []
    try:
        yield
    except BaseException:
        _local.pending = None
        raise
    committed, _local.pending = _local.pending, None
    if _local.held is not None:
        _local.held.extend(committed)
    else:
        _publish(committed)


@contextmanager
def batch() -> Iterator[None]:
    """Hold the changes of every transaction committed inside and hand them on as one batch
    when the block ends, even if it ends with an error: what committed, happened."""
    if _local.held is not None:
        yield
        return
    _local.held = []
    try:
        yield
    finally:
        held, _local.held = _local.held, None
        _publish(held)


def _publish(changes: list[Change]) -> None:
    """Give a batch to every subscriber. A subscriber's failure is logged, not raised: the
    transaction has committed, and its caller must not take it for a failed write."""
    if not changes:
        return
    for subscriber in list(_subscribers):
        try:
            subscriber(changes)
        except Exception:
            log.exception("A subscriber to domain changes failed")
