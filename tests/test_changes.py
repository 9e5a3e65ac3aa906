"""hearth.changes: a write's domain changes are handed on only after its commit, in one batch."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.exc import IntegrityError

from hearth import changes
from hearth.changes import Change, QaChanged, ResultsChanged, SignalsChanged, WorkshopChanged
from hearth.extensions import db, writing
from hearth.models import Workshop
from hearth.services import responses, signals


@pytest.fixture
def batches() -> Iterator[list[list[Change]]]:
    """Every batch handed on while the test runs (beside the live hub)."""
    seen: list[list[Change]] = []

    def hear(batch: Sequence[Change]) -> None:
        seen.append(list(batch))

    changes.subscribe(hear)
    yield seen
    changes.unsubscribe(hear)


def test_a_commit_hands_its_changes_on_after_the_write_lock_is_released(
    app: Flask, make_workshop: Callable[..., Any], batches: list[list[Change]]
) -> None:
    workshop = make_workshop()
    heard_inside: list[int] = []

    def write_again(batch: Sequence[Change]) -> None:
        # A subscriber may write (the hub records peaks); under the SQLite lock this would hang.
        with writing():
            heard_inside.append(len(batch))

    changes.subscribe(write_again)
    try:
        with app.app_context():
            with writing():
                changes.record(QaChanged(workshop.id))
                changes.record(SignalsChanged(workshop.id))
                assert batches == []  # nothing before the commit
    finally:
        changes.unsubscribe(write_again)
    assert batches == [[QaChanged(workshop.id), SignalsChanged(workshop.id)]]
    assert heard_inside == [2]


def test_a_rollback_drops_the_recorded_changes(
    app: Flask, make_workshop: Callable[..., Any], batches: list[list[Change]]
) -> None:
    workshop = make_workshop()
    with app.app_context(), pytest.raises(ValueError), writing():
        changes.record(WorkshopChanged(workshop.id))
        raise ValueError("refused halfway")
    with app.app_context(), writing():
        changes.record(QaChanged(workshop.id))
    # Only the second transaction's change: the first one's did not survive its rollback.
    assert batches == [[QaChanged(workshop.id)]]


def test_a_failed_commit_notifies_nobody(
    app: Flask, make_workshop: Callable[..., Any], batches: list[list[Change]]
) -> None:
    first, second = make_workshop(), make_workshop()
    with app.app_context(), pytest.raises(IntegrityError), writing():
        row = db.session.get(Workshop, second.id)
        assert row is not None
        row.present_key = first.present_key  # unique: refused when the commit flushes it
        changes.record(WorkshopChanged(second.id))
    assert batches == []


def test_a_failed_service_write_notifies_nobody(
    app: Flask, make_workshop: Callable[..., Any], batches: list[list[Change]]
) -> None:
    workshop = make_workshop()
    with app.app_context():
        signals.send_signal(workshop.id, {"kind": "break"})
        assert batches == [[SignalsChanged(workshop.id)]]
        with pytest.raises(Exception):  # noqa: B017 (any refusal)
            signals.send_reaction(workshop.id, {"emoji": "not one of the set"})
    assert len(batches) == 1


def test_recording_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError, match="inside a write transaction"):
        changes.record(QaChanged(1))


def test_a_failing_subscriber_does_not_undo_or_fail_the_write(
    app: Flask, make_workshop: Callable[..., Any], batches: list[list[Change]]
) -> None:
    workshop = make_workshop()

    def broken(batch: Sequence[Change]) -> None:
        raise RuntimeError("subscriber down")

    changes.subscribe(broken)
    try:
        with app.app_context():
            signals.send_signal(workshop.id, {"kind": "break"})
            row = db.session.get(Workshop, workshop.id)
            assert row is not None and row.break_signals == 1
    finally:
        changes.unsubscribe(broken)
    assert batches == [[SignalsChanged(workshop.id)]]  # the others still hear of it


def _queue(app: Flask, workshop_id: int, activity_id: int, count: int) -> list[Any]:
    """Answers queued as if their phones' messages arrived while a commit was running."""
    queued = []
    for i in range(count):
        payload = {"activity_id": activity_id, "value": i % 3, "msg_id": f"m{i}"}
        with app.app_context():
            key = responses._key(f"{'t' * 20}{i:03d}", activity_id)
        answer = responses._Answer(workshop_id, activity_id, key, f"m{i}", payload, passed=False)
        responses._waiting.append(answer)
        queued.append(answer)
    return queued


def test_one_group_commit_of_many_answers_hands_on_one_batch(
    app: Flask,
    make_workshop: Callable[..., Any],
    show: Callable[..., None],
    batches: list[list[Change]],
) -> None:
    workshop = make_workshop()
    choice = workshop.first("choice")
    show(workshop, choice)
    batches.clear()
    _queue(app, workshop.id, choice.id, 30)
    with app.app_context():
        responses.submit_answer(
            workshop.id, "o" * 24, {"activity_id": choice.id, "value": 1, "msg_id": "own"}
        )
    # One batch, one change per answer (the baseline without a tick broadcasts each).
    assert batches == [[ResultsChanged(workshop.id, choice.id)] * 31]


def test_a_group_written_one_by_one_after_a_failure_still_hands_on_one_batch(
    app: Flask,
    make_workshop: Callable[..., Any],
    show: Callable[..., None],
    batches: list[list[Change]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    workshop = make_workshop()
    choice = workshop.first("choice")
    show(workshop, choice)
    batches.clear()
    queued = _queue(app, workshop.id, choice.id, 5)
    real = responses._commit_group

    def failing(group: list[Any]) -> None:
        with writing():
            changes.record(ResultsChanged(workshop.id, choice.id))  # dropped with its rollback
            if queued[2] in group:
                raise RuntimeError("disk full")
        real(group)

    monkeypatch.setattr(responses, "_commit_group", failing)
    with app.app_context():
        responses._write_group(responses._waiting[:])
    responses._waiting.clear()
    # The four answers written one by one: each transaction's change, none of the failed ones.
    assert batches == [[ResultsChanged(workshop.id, choice.id)] * 8]
