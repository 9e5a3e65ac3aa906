"""What is stored does not tell the order people answered in, nor which answers were one phone's.

docs/privacy.md: responses, questions and upvotes have random ids (below 2**53), no time or
sequence column, and keys that differ per activity. The finding this guards: with counting ids
and `response_id` in the control room, ids 1, 5, 9 and 13 were one phone's four answers.

A session runs through the real socket handlers (answers, a pass, questions, upvotes), then the
SQLite file itself is read, as someone who copied it would.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text as sa_text

from hearth.models import RANDOM_ID_BITS
from hearth.privacy import response_key

PHONES = 6
# What each phone answers, by activity kind; None is a pass.
ANSWERS: dict[str, Callable[[int], Any]] = {
    "scale": lambda n: 1 + n % 5,
    "choice": lambda n: None if n == 5 else n % 3,
    "words": lambda n: [f"word{n}"],
    "open": lambda n: f"Phone {n} wants one honest talk",
}
# Column names that would order rows or tie them together if a later change added them.
ORDERING_WORDS = ("created", "updated", "time", "date", "_at", "seq", "order", "position", "token")
# `care`: the safety net's categories a text matched (docs/privacy.md), derived from the text.
EXPECTED_COLUMNS = {
    "response": {"id", "activity_id", "key", "value", "passed", "msg_id", "moderation", "care"},
    "question": {"id", "workshop_id", "text", "status", "votes", "msg_id", "care"},
    "question_vote": {"id", "question_id", "key"},
}


def kendall_tau(values: list[int]) -> float:
    """Rank correlation of a sequence with its position: 1 sorted, -1 reversed, ~0 unrelated."""
    pairs = list(itertools.combinations(values, 2))
    concordant = sum(1 for a, b in pairs if a < b)
    return (2 * concordant - len(pairs)) / len(pairs)


@pytest.fixture
def session(
    app: Flask,
    make_workshop: Callable[..., Any],
    show: Callable[..., None],
    act: Callable[..., None],
    phone: Callable[..., Any],
    api: Any,
) -> Iterator[dict[str, Any]]:
    """Six phones answer four activities in a fixed order, ask and upvote."""
    workshop = make_workshop(min_group=3)
    phones = [phone(workshop.code) for _ in range(PHONES)]
    tokens = [p.received("welcome")[0]["token"] for p in phones]
    written: list[tuple[int, int]] = []  # (phone, activity id) in the order they were committed
    moderation_ids: list[int] = []
    activities = [workshop.first(kind) for kind in ANSWERS]
    for activity in activities:
        show(workshop, activity)
        for n, sock in enumerate(phones):
            value = ANSWERS[activity.kind](n)
            ack = sock.pass_on(activity) if value is None else sock.answer(activity, value)
            assert ack["ok"] is True, ack
            written.append((n, activity.id))
        if activity.kind == "open":
            control = api.get(f"/workshops/{workshop.id}").get_json()
            moderation_ids = [item["response_id"] for item in control["moderation"]]
    act(workshop, "qa_open")
    question_ids = []
    for n, sock in enumerate(phones):
        ack = sock.call("ask", {"text": f"Question from phone {n}?", "msg_id": f"ask-{n}"})
        assert ack["ok"] is True, ack
        question_ids.append(ack["question_id"])
    for question_id in question_ids:
        act(workshop, "qa_approve", question_id=question_id)
    for sock in phones:
        assert sock.call("upvote", {"question_id": question_ids[0]})["ok"] is True
    yield {
        "workshop": workshop,
        "tokens": tokens,
        "written": written,
        "moderation_ids": moderation_ids,
        "question_ids": question_ids,
        "secret": app.config["SECRET_KEY"],
    }


@pytest.fixture
def database(session: dict[str, Any], db_path: Path) -> Iterator[sqlite3.Connection]:
    """The session's SQLite file, opened read-only as a copy of it would be."""
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        yield connection
    finally:
        connection.close()


def columns(database: sqlite3.Connection, table: str) -> set[str]:
    """The column names of a table."""
    return {row[1] for row in database.execute(f"PRAGMA table_info({table})")}


@pytest.mark.parametrize("table", sorted(EXPECTED_COLUMNS))
def test_no_column_could_order_or_link_rows(database: sqlite3.Connection, table: str) -> None:
    names = columns(database, table)
    assert names == EXPECTED_COLUMNS[table]
    assert not [name for name in names if any(word in name for word in ORDERING_WORDS)]


@pytest.mark.parametrize("table", sorted(EXPECTED_COLUMNS))
def test_the_id_is_the_rowid_so_no_hidden_counter_is_kept(
    database: sqlite3.Connection, table: str
) -> None:
    rows = database.execute(f"SELECT rowid, id FROM {table}").fetchall()
    assert rows and all(rowid == row_id for rowid, row_id in rows)
    # No AUTOINCREMENT table either: it would remember the largest id ever given.
    assert not database.execute(
        "SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'"
    ).fetchall()


def test_response_ids_are_random_and_unrelated_to_the_order_answers_came_in(
    database: sqlite3.Connection, session: dict[str, Any]
) -> None:
    by_key = {key: row_id for row_id, key in database.execute("SELECT id, key FROM response")}
    secret, tokens = session["secret"], session["tokens"]
    in_write_order = [
        by_key[response_key(secret, tokens[n], activity_id)]
        for n, activity_id in session["written"]
    ]
    assert len(in_write_order) == len(set(in_write_order)) == PHONES * len(ANSWERS)
    assert all(0 < row_id < 2**RANDOM_ID_BITS for row_id in in_write_order)
    # Counting ids would be sorted (tau = 1). 24 random ids: |tau| stays under 0.75 but for
    # about one run in a million.
    assert in_write_order != sorted(in_write_order)
    assert abs(kendall_tau(in_write_order)) < 0.75
    # Nor are they small numbers a counter would have given.
    assert max(in_write_order) > 2**40


def test_one_phones_answers_share_no_value_that_links_them(
    database: sqlite3.Connection, session: dict[str, Any]
) -> None:
    rows = database.execute("SELECT id, activity_id, key, msg_id FROM response").fetchall()
    for position, name in ((0, "id"), (2, "key"), (3, "msg_id")):
        values = [row[position] for row in rows]
        assert len(values) == len(set(values)), f"{name} repeats across rows"
    # The key of a phone's answer changes with the activity: the same token gives unrelated
    # keys, and nothing in storage holds the token.
    secret = session["secret"]
    for token in session["tokens"]:
        keys = {response_key(secret, token, activity_id) for _, activity_id in session["written"]}
        assert len(keys) == len(ANSWERS)
        dump = "\n".join(database.iterdump())
        assert token not in dump


def test_questions_and_upvotes_have_random_ids_in_storage_and_in_payloads(
    database: sqlite3.Connection, session: dict[str, Any]
) -> None:
    stored = {row[0] for row in database.execute("SELECT id FROM question")}
    assert stored == set(session["question_ids"])  # the ack's question_id is the stored id
    assert max(stored) > 2**40
    votes = [row[0] for row in database.execute("SELECT id FROM question_vote")]
    assert len(votes) == PHONES and max(votes) > 2**40
    assert all(0 < row_id < 2**RANDOM_ID_BITS for row_id in [*stored, *votes])


def test_the_control_rooms_response_ids_are_the_random_stored_ids(
    database: sqlite3.Connection, session: dict[str, Any]
) -> None:
    moderation = session["moderation_ids"]
    assert len(moderation) == PHONES
    stored = {
        row[0] for row in database.execute("SELECT id FROM response WHERE moderation IS NOT NULL")
    }
    assert set(moderation) == stored
    assert max(moderation) > 2**40


# --- the migration -------------------------------------------------------------------------

RANDOM_IDS_REVISION = "0005"


def _insert(connection: Any, table: str, **values: Any) -> int:
    """Insert a row, filling every other required column with a plain value; returns its id."""
    import sqlalchemy as sa

    plain = [
        (sa.JSON, {}),
        (sa.Boolean, False),
        (sa.Integer, 1),
        (sa.String, "x"),
        (sa.DateTime, datetime(2026, 12, 1)),
        (sa.Date, date(2026, 12, 1)),
    ]
    reflected = sa.Table(table, sa.MetaData(), autoload_with=connection)
    row = {
        column.name: next(value for kind, value in plain if isinstance(column.type, kind))
        for column in reflected.columns
        if not (column.name in values or column.nullable or column.primary_key)
    }
    result = connection.execute(reflected.insert().values({**row, **values}))
    return int(result.inserted_primary_key[0])


def test_the_migration_gives_rows_written_before_it_random_ids(
    make_app: Callable[..., Flask],
) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory

    from hearth.cli import alembic_config
    from hearth.extensions import db

    app = make_app(migrate=False)
    config = alembic_config()
    before = ScriptDirectory.from_config(config).get_revision(RANDOM_IDS_REVISION).down_revision
    with app.app_context():
        command.upgrade(config, str(before))
        with db.engine.begin() as connection:
            owner = _insert(connection, "facilitator", email="f@example.org")
            workshop = _insert(connection, "workshop", owner_id=owner, code="ABCDEF")
            activity = _insert(connection, "workshop_activity", workshop_id=workshop, position=0)
            for n in range(8):
                _insert(connection, "response", activity_id=activity, key=f"k{n}", value=n)
            questions = [
                _insert(connection, "question", workshop_id=workshop, text=f"Q{n}", votes=n)
                for n in range(3)
            ]
            for n, question in enumerate([questions[0], questions[0], questions[2]]):
                _insert(connection, "question_vote", question_id=question, key=f"v{n}")
            assert questions == [1, 2, 3]  # counting ids, as before
        command.upgrade(config, "head")
        with db.engine.connect() as connection:
            responses = connection.execute(
                sa_text("SELECT id, key, value FROM response ORDER BY key")
            ).all()
            stored_questions = dict(
                connection.execute(sa_text("SELECT text, id FROM question")).all()
            )
            votes = connection.execute(
                sa_text(
                    "SELECT q.text, v.key FROM question_vote v JOIN question q"
                    " ON q.id = v.question_id ORDER BY v.key"
                )
            ).all()
            vote_ids = [
                row[0] for row in connection.execute(sa_text("SELECT id FROM question_vote"))
            ]
        db.engine.dispose()
    assert [(key, value) for _, key, value in responses] == [(f"k{n}", n) for n in range(8)]
    response_ids = [row_id for row_id, _, _ in responses]
    assert min(response_ids) > 2**20 and max(response_ids) < 2**RANDOM_ID_BITS
    assert sorted(stored_questions) == ["Q0", "Q1", "Q2"]
    assert min(stored_questions.values()) > 2**20
    assert [tuple(vote) for vote in votes] == [("Q0", "v0"), ("Q0", "v1"), ("Q2", "v2")]
    assert min(vote_ids) > 2**20
