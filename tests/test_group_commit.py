"""Group commit of answers: many phones' answers in one transaction, each acked after it.

The answer path is `responses.submit_answer`; while one call writes, the answers that arrive
wait in `responses._waiting` and the next writer takes them all. These tests put answers in
the waiting list the way concurrent phones would, then let one call write them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select

from hearth.errors import HearthError
from hearth.extensions import db
from hearth.models import Response
from hearth.services import responses

TOKENS = [f"{'t' * 20}{i:03d}" for i in range(40)]


@pytest.fixture
def live(make_workshop: Callable[..., Any], show: Callable[..., None]) -> Any:
    workshop = make_workshop()
    show(workshop, workshop.first("choice"))
    return workshop


@pytest.fixture
def commits(app: Flask) -> Iterator[list[int]]:
    """Counts the database commits made while the test runs."""
    seen: list[int] = []
    with app.app_context():
        engine = db.engine

    def count(_connection: Any) -> None:
        seen.append(1)

    event.listen(engine, "commit", count)
    yield seen
    event.remove(engine, "commit", count)


def waiting(app: Flask, workshop_id: int, token: str, payload: dict[str, Any]) -> Any:
    """An answer queued as if its phone's message had arrived while a commit was running."""
    with app.app_context():
        key = responses._key(token, payload["activity_id"])
    answer = responses._Answer(
        workshop_id, payload["activity_id"], key, payload["msg_id"], payload, passed=False
    )
    responses._waiting.append(answer)
    return answer


def rows(app: Flask) -> list[tuple[Any, bool, str]]:
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                select(Response.value, Response.passed, Response.msg_id).order_by(
                    Response.activity_id, Response.key
                )
            )
        ]


def test_waiting_answers_are_written_in_one_commit_with_the_writers_own(
    app: Flask, live: Any, commits: list[int]
) -> None:
    choice = live.first("choice")
    queued = [
        waiting(app, live.id, token, {"activity_id": choice.id, "value": i % 3, "msg_id": f"m{i}"})
        for i, token in enumerate(TOKENS[:30])
    ]
    with app.app_context():
        commits.clear()
        activity_id, mine = responses.submit_answer(
            live.id, TOKENS[30], {"activity_id": choice.id, "value": 2, "msg_id": "own"}
        )
    assert (activity_id, mine) == (choice.id, {"value": 2, "passed": False})
    assert len(commits) == 1
    assert all(a.done and a.error is None for a in queued)
    assert [a.mine for a in queued] == [{"value": i % 3, "passed": False} for i in range(30)]
    assert sorted(value for value, _, _ in rows(app)) == sorted([i % 3 for i in range(30)] + [2])
    assert responses._waiting == []


def test_a_phones_second_message_in_a_group_sees_its_first(app: Flask, live: Any) -> None:
    choice = live.first("choice")
    token = TOKENS[0]
    first = waiting(app, live.id, token, {"activity_id": choice.id, "value": 0, "msg_id": "a"})
    retry = waiting(app, live.id, token, {"activity_id": choice.id, "value": 0, "msg_id": "a"})
    change = waiting(app, live.id, token, {"activity_id": choice.id, "value": 1, "msg_id": "b"})
    with app.app_context():
        responses.submit_pass(live.id, token, {"activity_id": choice.id, "msg_id": "c"})
    assert first.mine == retry.mine == {"value": 0, "passed": False}
    assert change.mine == {"value": 1, "passed": False}
    # One row for the phone: its last message, a pass.
    assert rows(app) == [(None, True, "c")]


def test_a_refused_answer_does_not_sink_its_group(app: Flask, live: Any) -> None:
    choice = live.first("choice")
    later = live.first("scale")
    good = waiting(app, live.id, TOKENS[0], {"activity_id": choice.id, "value": 1, "msg_id": "a"})
    not_showing = waiting(
        app, live.id, TOKENS[1], {"activity_id": later.id, "value": 1, "msg_id": "b"}
    )
    bad_value = waiting(
        app, live.id, TOKENS[2], {"activity_id": choice.id, "value": 99, "msg_id": "c"}
    )
    with app.app_context():
        responses.submit_answer(
            live.id, TOKENS[3], {"activity_id": choice.id, "value": 0, "msg_id": "d"}
        )
    assert good.error is None and good.mine == {"value": 1, "passed": False}
    assert isinstance(not_showing.error, HearthError) and not_showing.error.code == "not_current"
    assert isinstance(bad_value.error, HearthError) and bad_value.error.code == "invalid_value"
    assert sorted(value for value, _, _ in rows(app)) == [0, 1]


def test_a_failed_group_is_written_one_by_one_and_only_the_failure_is_refused(
    app: Flask, live: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    choice = live.first("choice")
    queued = [
        waiting(app, live.id, token, {"activity_id": choice.id, "value": 1, "msg_id": f"m{i}"})
        for i, token in enumerate(TOKENS[:5])
    ]
    poisoned = queued[2]
    real = responses._commit_group

    def failing(group: list[Any]) -> Any:
        if poisoned in group:
            raise RuntimeError("disk full")
        return real(group)

    monkeypatch.setattr(responses, "_commit_group", failing)
    with app.app_context():
        responses._write_group(responses._waiting[:])
    responses._waiting.clear()
    assert isinstance(poisoned.error, RuntimeError)
    assert [a.mine for a in queued if a is not poisoned] == [{"value": 1, "passed": False}] * 4
    assert all(a.done for a in queued)
    assert len(rows(app)) == 4  # every acknowledged answer is stored; the refused one is not


def test_concurrent_phones_are_each_stored_once_and_acked(app: Flask, live: Any) -> None:
    choice = live.first("choice")
    acks: dict[str, Any] = {}
    start = threading.Barrier(len(TOKENS))

    def phone(token: str, value: int) -> None:
        start.wait()
        with app.app_context():
            payload = {"activity_id": choice.id, "value": value, "msg_id": token[-3:]}
            acks[token] = responses.submit_answer(live.id, token, payload)

    threads = [
        threading.Thread(target=phone, args=(token, i % 4)) for i, token in enumerate(TOKENS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(acks) == len(TOKENS)
    assert sorted(value for value, _, _ in rows(app)) == sorted(i % 4 for i in range(40))
    assert responses._waiting == []


def test_an_answer_sent_before_delete_my_answers_is_written_first_then_deleted(
    app: Flask, live: Any
) -> None:
    """The phone's outbox sends an answer and then "delete my answers" back to back: the delete
    must not overtake the answer waiting for the next group commit."""
    choice = live.first("choice")
    token = TOKENS[0]
    pending = waiting(app, live.id, token, {"activity_id": choice.id, "value": 1, "msg_id": "a"})
    with app.app_context():
        removed = responses.retract(live.id, token, {"all": True})
    assert pending.done and pending.mine == {"value": 1, "passed": False}
    assert removed == 1
    assert rows(app) == []
    assert responses._waiting == []


def test_database_errors_name_no_values(app: Flask) -> None:
    """An error logged from the answer path must not carry the answer (docs/privacy.md)."""
    with app.app_context():
        assert db.engine.hide_parameters is True
