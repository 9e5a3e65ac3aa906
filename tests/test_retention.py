"""The data lifecycle (hearth.services.retention): purge, the purge job, export-then-purge,
and the take-home summary participants may see."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from hearth.errors import HearthError
from hearth.extensions import db, writing
from hearth.models import (
    PurgeRecord,
    Question,
    QuestionVote,
    Response,
    Workshop,
    WorkshopActivity,
    today_utc,
)
from hearth.privacy import issue_participant_token
from hearth.services import questions, responses, retention
from hearth.services.workshops import perform_action

K = 3
OPEN_TEXT = "Purgemarker open answer seven"
QUESTION_TEXT = "Purgemarker question eleven"
WORD = "purgemarkerword"
NOTES = "Facilitator notes stay."

PLAN: list[dict[str, Any]] = [
    {"kind": "choice", "prompt": "Revealed poll", "options": ["Yes", "No"]},
    {"kind": "open", "prompt": "Say one thing"},
    {"kind": "words", "prompt": "One word"},
    {"kind": "choice", "prompt": "Never revealed", "options": ["Up", "Down"]},
    {"kind": "choice", "prompt": "Too few", "options": ["A", "B"]},
]


def run_small_workshop(
    app: Flask,
    make_plan: Callable[..., str],
    make_workshop: Callable[..., Any],
    *,
    end: bool = True,
) -> int:
    """A workshop with answers, an approved open text, a hidden word and an upvoted question."""
    info = make_workshop(min_group=K, plan=make_plan(PLAN, title="Retention test"))
    tokens = [issue_participant_token(app.config["SECRET_KEY"], info.id) for _ in range(4)]
    n = 0

    def act(action: str, **fields: Any) -> None:
        perform_action(info.id, {"action": action, **fields})

    def answer(activity_id: int, token: str, value: Any) -> None:
        nonlocal n
        n += 1
        payload = {"activity_id": activity_id, "value": value, "msg_id": f"m{n}"}
        responses.submit_answer(info.id, token, payload)

    poll, text, words, unrevealed, few = info.activities
    with app.app_context():
        act("start")
        act("qa_open")
        for token in tokens:
            answer(poll.id, token, 0)
        act("reveal")
        act("next")
        for number, token in enumerate(tokens):
            answer(text.id, token, f"{OPEN_TEXT} {number}")
        for row in db.session.scalars(select(Response).where(Response.activity_id == text.id)):
            act("approve", response_id=row.id)
        act("reveal")
        act("next")
        for token in tokens:
            answer(words.id, token, ["calm", WORD])
        act("hide_word", word=WORD)
        act("reveal")
        act("next")
        for token in tokens:
            answer(unrevealed.id, token, 1)
        act("next")
        for token in tokens[:2]:
            answer(few.id, token, 1)
        act("reveal")
        question_id = questions.ask(info.id, {"text": QUESTION_TEXT, "msg_id": "q1"})
        act("qa_approve", question_id=question_id)
        questions.upvote(info.id, tokens[0], {"question_id": question_id})
        with writing():
            workshop = db.session.get(Workshop, info.id)
            assert workshop is not None
            workshop.notes = NOTES
        if end:
            act("end")
    return int(info.id)


@pytest.fixture
def workshop_id(
    app: Flask, make_plan: Callable[..., str], make_workshop: Callable[..., Any]
) -> int:
    """An ended workshop with answers and a question."""
    return run_small_workshop(app, make_plan, make_workshop)


def counts(app: Flask, workshop_id: int) -> tuple[int, int, int]:
    """(responses, questions, votes) stored for a workshop."""
    with app.app_context():
        activity_ids = select(WorkshopActivity.id).where(
            WorkshopActivity.workshop_id == workshop_id
        )
        question_ids = select(Question.id).where(Question.workshop_id == workshop_id)
        return (
            db.session.scalar(
                select(func.count(Response.id)).where(Response.activity_id.in_(activity_ids))
            )
            or 0,
            db.session.scalar(
                select(func.count(Question.id)).where(Question.workshop_id == workshop_id)
            )
            or 0,
            db.session.scalar(
                select(func.count(QuestionVote.id)).where(
                    QuestionVote.question_id.in_(question_ids)
                )
            )
            or 0,
        )


def purge(app: Flask, workshop_id: int) -> PurgeRecord:
    """purge_workshop inside an app context."""
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        assert workshop is not None
        record = retention.purge_workshop(workshop)
        db.session.refresh(record)
        db.session.expunge(record)
        return record


def set_ended_on(app: Flask, workshop_id: int, day: date, days: int = 30) -> None:
    """Pretend the workshop ended on a given day, with a retention of `days`."""
    with app.app_context(), writing():
        workshop = db.session.get(Workshop, workshop_id)
        assert workshop is not None
        workshop.ended_on = day
        workshop.purge_after_days = days


def disk_bytes(db_path: Path) -> bytes:
    """The database file and its WAL, as they are on disk."""
    wal = db_path.with_name(db_path.name + "-wal")
    return db_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


# --- purge --------------------------------------------------------------------------------


def test_purge_deletes_answers_questions_and_votes_and_records_counts(
    app: Flask, workshop_id: int
) -> None:
    assert counts(app, workshop_id) == (4 + 4 + 4 + 4 + 2, 1, 1)
    record = purge(app, workshop_id)
    assert counts(app, workshop_id) == (0, 0, 0)
    assert (record.workshop_id, record.responses, record.questions) == (workshop_id, 18, 1)
    assert record.purged_on == today_utc()
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        assert workshop is not None
        assert workshop.purged_on == today_utc()
        assert all(activity.hidden_words == [] for activity in workshop.activities)
        # What happened stays: the title and the facilitator's own notes.
        assert workshop.notes == NOTES


def test_purge_removes_the_text_from_the_database_file(
    app: Flask, workshop_id: int, db_path: Path
) -> None:
    with app.app_context():
        db.session.execute(db.text("PRAGMA wal_checkpoint(PASSIVE)"))
    assert OPEN_TEXT.encode() in disk_bytes(db_path)  # the test can see it before
    assert QUESTION_TEXT.encode() in disk_bytes(db_path)
    purge(app, workshop_id)
    on_disk = disk_bytes(db_path)
    for secret in (OPEN_TEXT, QUESTION_TEXT, WORD):
        assert secret.encode() not in on_disk
    wal = db_path.with_name(db_path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_a_live_workshop_cannot_be_purged(
    app: Flask, make_plan: Callable[..., str], make_workshop: Callable[..., Any]
) -> None:
    workshop_id = run_small_workshop(app, make_plan, make_workshop, end=False)
    with pytest.raises(HearthError) as caught:
        purge(app, workshop_id)
    assert caught.value.code == "invalid_state"
    assert counts(app, workshop_id)[0] > 0


def test_a_purged_workshop_exports_without_answers(app: Flask, workshop_id: int) -> None:
    from hearth.exports import summary

    purge(app, workshop_id)
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        assert workshop is not None
        data = summary(workshop)
    assert data["workshop"]["purged_on"] == today_utc().isoformat()
    assert all(a["hidden"] == "below_threshold" for a in data["activities"])
    assert data["questions"] == []


# --- purge when due -----------------------------------------------------------------------


def test_purge_due_takes_only_workshops_past_their_retention(
    app: Flask, make_plan: Callable[..., str], make_workshop: Callable[..., Any]
) -> None:
    today = today_utc()
    due = run_small_workshop(app, make_plan, make_workshop)
    set_ended_on(app, due, today - timedelta(days=30))
    not_yet = run_small_workshop(app, make_plan, make_workshop)
    set_ended_on(app, not_yet, today - timedelta(days=29))
    short = run_small_workshop(app, make_plan, make_workshop)
    set_ended_on(app, short, today - timedelta(days=2), days=1)
    live = run_small_workshop(app, make_plan, make_workshop, end=False)
    with app.app_context():
        records = retention.purge_due(today)
        purged = sorted(record.workshop_id for record in records)
    assert purged == sorted([due, short])
    assert counts(app, not_yet)[0] > 0 and counts(app, live)[0] > 0
    with app.app_context():
        assert retention.purge_due(today) == []  # already purged: nothing twice


def test_run_purge_job_purges_what_is_due(app: Flask, workshop_id: int) -> None:
    with app.app_context():
        assert retention.run_purge_job() == 0
    set_ended_on(app, workshop_id, today_utc() - timedelta(days=31))
    with app.app_context():
        assert retention.run_purge_job() == 1
        assert db.session.scalar(select(func.count(PurgeRecord.id))) == 1
    assert counts(app, workshop_id) == (0, 0, 0)


def test_purge_due_on_is_the_end_plus_the_retention(app: Flask, workshop_id: int) -> None:
    set_ended_on(app, workshop_id, date(2026, 11, 27), days=30)
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        assert workshop is not None
        assert retention.purge_due_on(workshop) == date(2026, 12, 27)


# --- the CLI ------------------------------------------------------------------------------


def test_cli_purge_purges_what_is_due(
    hearth_cli: Callable[..., Any], app: Flask, workshop_id: int
) -> None:
    result = hearth_cli("purge")
    assert result.exit_code == 0 and "Nothing is due" in result.output
    set_ended_on(app, workshop_id, today_utc() - timedelta(days=40))
    result = hearth_cli("purge")
    assert result.exit_code == 0, result.output
    assert f"Purged workshop {workshop_id}: 18 answers, 1 questions" in result.output
    assert counts(app, workshop_id) == (0, 0, 0)


def test_cli_purge_of_one_workshop_needs_yes(
    hearth_cli: Callable[..., Any], app: Flask, workshop_id: int
) -> None:
    result = hearth_cli("purge", "--workshop", str(workshop_id))
    assert result.exit_code != 0 and "--yes" in result.output
    assert counts(app, workshop_id)[0] == 18
    result = hearth_cli("purge", "--workshop", str(workshop_id), "--yes")
    assert result.exit_code == 0, result.output
    assert counts(app, workshop_id) == (0, 0, 0)


def test_cli_purge_refuses_unknown_and_live_workshops(
    hearth_cli: Callable[..., Any],
    app: Flask,
    make_plan: Callable[..., str],
    make_workshop: Callable[..., Any],
) -> None:
    result = hearth_cli("purge", "--workshop", "999", "--yes")
    assert result.exit_code != 0 and "no workshop" in result.output
    live = run_small_workshop(app, make_plan, make_workshop, end=False)
    result = hearth_cli("purge", "--workshop", str(live), "--yes")
    assert result.exit_code != 0 and "End the workshop" in result.output


# --- export, then purge -------------------------------------------------------------------


def test_export_then_purge_returns_the_export_and_purges(app: Flask, workshop_id: int) -> None:
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        assert workshop is not None
        body, content_type, name = retention.export_then_purge(workshop, "csv")
    assert OPEN_TEXT.encode() in body
    assert content_type.startswith("text/csv") and name.endswith(".csv")
    assert counts(app, workshop_id) == (0, 0, 0)


@pytest.mark.app_config(HEARTH_PDF_BROWSER="/nonexistent/chromium")
def test_export_then_purge_keeps_everything_when_the_export_fails(
    app: Flask, workshop_id: int
) -> None:
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        assert workshop is not None
        with pytest.raises(HearthError) as caught:
            retention.export_then_purge(workshop, "pdf")
        assert caught.value.code == "pdf_unavailable"
        with pytest.raises(HearthError) as caught:
            retention.export_then_purge(workshop, "docx")
        assert caught.value.code == "invalid_format"
    assert counts(app, workshop_id) == (18, 1, 1)


# --- the take-home summary ----------------------------------------------------------------


def test_publish_and_unpublish_set_and_clear_the_key(app: Flask, workshop_id: int) -> None:
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        assert workshop is not None
        key = retention.publish_summary(workshop)
        assert len(key) >= 32
        assert retention.publish_summary(workshop) == key  # publishing twice keeps the link
        retention.unpublish_summary(workshop)
        assert db.session.get(Workshop, workshop_id).summary_key is None  # type: ignore[union-attr]
        assert retention.publish_summary(workshop) != key  # a new link after unpublishing


def test_only_an_ended_workshop_is_published(
    app: Flask, make_plan: Callable[..., str], make_workshop: Callable[..., Any]
) -> None:
    live = run_small_workshop(app, make_plan, make_workshop, end=False)
    with app.app_context():
        workshop = db.session.get(Workshop, live)
        assert workshop is not None
        with pytest.raises(HearthError) as caught:
            retention.publish_summary(workshop)
        assert caught.value.code == "invalid_state"


def test_purging_unpublishes_the_summary(app: Flask, workshop_id: int) -> None:
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        assert workshop is not None
        retention.publish_summary(workshop)
    purge(app, workshop_id)
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        assert workshop is not None and workshop.summary_key is None
        with pytest.raises(HearthError):
            retention.publish_summary(workshop)


def test_participant_summary_shows_only_what_the_room_saw(app: Flask, workshop_id: int) -> None:
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        assert workshop is not None
        data = retention.participant_summary(workshop)
    assert set(data) == {"title", "date", "activities", "resources"}
    assert data["title"] == "Retention test"
    prompts = [a["prompt"] for a in data["activities"]]
    # Not revealed, and below k, are left out entirely.
    assert prompts == ["Revealed poll", "Say one thing", "One word"]
    poll, text, words = data["activities"]
    assert poll["results"] == {"counts": [4, 0]}
    assert sorted(text["results"]["entries"]) == [f"{OPEN_TEXT} {n}" for n in range(4)]
    assert [w["text"] for w in words["results"]["words"]] == ["calm"]
    assert data["resources"] and all("name" in r and "contact" in r for r in data["resources"])
    flat = repr(data)
    for absent in (NOTES, QUESTION_TEXT, WORD, "passed", "answered", "pending"):
        assert absent not in flat


def test_a_workshop_never_ended_is_ended_after_two_days_and_then_purged_in_time(
    app: Flask, make_plan: Callable[..., str], make_workshop: Callable[..., Any]
) -> None:
    live_id = run_small_workshop(app, make_plan, make_workshop, end=False)
    with app.app_context(), writing():
        workshop = db.session.get(Workshop, live_id)
        assert workshop is not None
        created = workshop.created_on
    with app.app_context():
        assert retention.end_abandoned(created + timedelta(days=1)) == []
        assert retention.end_abandoned(created + timedelta(days=2)) == [live_id]
        workshop = db.session.get(Workshop, live_id)
        assert workshop is not None
        assert workshop.phase == "ended"
        assert workshop.ended_on is not None
        # Ending starts the normal clock: nothing is purged before its retention runs out.
        assert retention.purge_due(workshop.ended_on + timedelta(days=29)) == []
    assert counts(app, live_id)[0] > 0
