"""The Q&A board on the projector on demand (`qa_show` / `qa_hide`), and bringing back what the
facilitator took away: a rejected open answer (`restore_answer`) and a dismissed question
(`qa_restore`), with the control room's `rejected` list (docs/protocol.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from hearth.extensions import db
from hearth.models import Question, QuestionVote, Response, Workshop


def moderation_of(app: Flask, response_id: int) -> str | None:
    with app.app_context():
        return db.session.get(Response, response_id).moderation


def question_row(app: Flask, question_id: int) -> tuple[str, int, int]:
    """A stored question's (status, votes, upvote rows)."""
    with app.app_context():
        question = db.session.get(Question, question_id)
        rows = db.session.scalars(
            select(QuestionVote.id).where(QuestionVote.question_id == question_id)
        ).all()
        return question.status, question.votes, len(rows)


def qa_shown(app: Flask, workshop_id: int) -> bool:
    with app.app_context():
        return db.session.get(Workshop, workshop_id).qa_shown


# --- the board on the projector -------------------------------------------------------------


def test_qa_show_puts_the_board_on_the_projector_over_any_activity_until_qa_hide(
    app: Flask,
    make_workshop: Callable[..., Any],
    show: Callable[..., None],
    facilitator_socket: Any,
    present_socket: Any,
    flush: Any,
) -> None:
    workshop = make_workshop()
    show(workshop, workshop.first("choice"))
    control = facilitator_socket(workshop)
    projector = present_socket(workshop)
    assert projector.received("present")[0]["qa"]["shown"] is False

    ack = control.call("act", {"action": "qa_show"})
    assert ack["ok"] and ack["control"]["qa"]["shown"] is True
    flush()
    (present,) = projector.received("present")
    assert present["qa"]["shown"] is True
    assert present["activity"]["kind"] == "choice"  # the poll goes on underneath

    # A projector that reloads gets the board again: it is the workshop's state, not the page's.
    assert present_socket(workshop).received("present")[0]["qa"]["shown"] is True
    assert qa_shown(app, workshop.id) is True

    assert control.call("act", {"action": "qa_hide"})["control"]["qa"]["shown"] is False
    flush()
    assert projector.received("present")[-1]["qa"]["shown"] is False
    assert present_socket(workshop).received("present")[0]["qa"]["shown"] is False


def test_qa_show_twice_is_harmless_and_qa_hide_when_hidden_too(
    make_workshop: Callable[..., Any], act: Any, facilitator_socket: Any
) -> None:
    workshop = make_workshop()
    act(workshop, "start")
    control = facilitator_socket(workshop)
    for action, shown in [("qa_hide", False), ("qa_show", True), ("qa_show", True)]:
        ack = control.call("act", {"action": action})
        assert ack["ok"] and ack["control"]["qa"]["shown"] is shown


def test_qa_show_in_the_lobby_is_refused_and_writes_nothing(
    app: Flask, make_workshop: Callable[..., Any], facilitator_socket: Any
) -> None:
    workshop = make_workshop()
    ack = facilitator_socket(workshop).call("act", {"action": "qa_show"})
    assert ack["error"]["code"] == "invalid_state"
    assert qa_shown(app, workshop.id) is False


def test_the_end_takes_the_board_off_the_projector(
    app: Flask, make_workshop: Callable[..., Any], act: Any, present_socket: Any
) -> None:
    workshop = make_workshop()
    act(workshop, "start")
    act(workshop, "qa_show")
    act(workshop, "end")
    assert qa_shown(app, workshop.id) is False
    (present,) = present_socket(workshop).received("present")
    assert (present["phase"], present["qa"]["shown"]) == ("ended", False)
    with pytest.raises(Exception) as refused:
        act(workshop, "qa_show")
    assert getattr(refused.value, "code", None) == "invalid_state"


# --- rejected open answers ------------------------------------------------------------------


@pytest.fixture
def open_room(
    make_workshop: Callable[..., Any],
    show: Callable[..., None],
    crowd: Callable[..., list[Any]],
    facilitator_socket: Any,
) -> dict[str, Any]:
    """A live workshop on its open question, three answers in (k = 3), its control room."""
    workshop = make_workshop()
    activity = workshop.first("open")
    show(workshop, activity)
    phones = crowd(workshop, 3)
    for sock, text in zip(phones, ["Kindness", "Time", "Patience"], strict=True):
        assert sock.answer(activity, text)["ok"]
    control = facilitator_socket(workshop)
    queue = control.received("control")[0]["moderation"]
    ids = {item["text"]: item["response_id"] for item in queue}
    return {
        "workshop": workshop,
        "activity": activity,
        "phones": phones,
        "control": control,
        "ids": ids,
    }


def test_a_rejected_answer_is_listed_and_restore_puts_it_back_in_the_queue(
    app: Flask, open_room: dict[str, Any]
) -> None:
    control, rid = open_room["control"], open_room["ids"]["Time"]
    after = control.call("act", {"action": "reject", "response_id": rid})["control"]
    assert rid not in [item["response_id"] for item in after["moderation"]]
    assert after["rejected"]["answers"] == [
        {"response_id": rid, "activity_id": open_room["activity"].id, "text": "Time"}
    ]
    assert after["moderation_waiting"] == 2

    restored = control.call("act", {"action": "restore_answer", "response_id": rid})["control"]
    assert rid in [item["response_id"] for item in restored["moderation"]]
    assert restored["moderation_waiting"] == 3
    assert restored["rejected"]["answers"] == []
    assert moderation_of(app, rid) == "pending"


def test_undo_of_rejecting_an_approved_answer_puts_it_back_on_show(
    app: Flask, open_room: dict[str, Any], act: Any, present_socket: Any
) -> None:
    workshop, control, rid = (
        open_room["workshop"],
        open_room["control"],
        open_room["ids"]["Kindness"],
    )
    act(workshop, "approve", response_id=rid)
    act(workshop, "reveal")
    act(workshop, "reject", response_id=rid)
    assert present_socket(workshop).received("present")[0]["results"]["entries"] == []
    ack = control.call("act", {"action": "restore_answer", "response_id": rid, "to": "approved"})
    assert ack["ok"]
    assert moderation_of(app, rid) == "approved"
    assert present_socket(workshop).received("present")[0]["results"]["entries"] == ["Kindness"]


def test_a_restored_answer_does_not_reach_the_projector_without_approval(
    open_room: dict[str, Any], act: Any, present_socket: Any
) -> None:
    workshop, rid = open_room["workshop"], open_room["ids"]["Patience"]
    act(workshop, "reveal")
    act(workshop, "reject", response_id=rid)
    act(workshop, "restore_answer", response_id=rid)
    results = present_socket(workshop).received("present")[0]["results"]
    assert results["entries"] == [] and results["pending"] == 3


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"response_id": None}, "invalid_payload"),
        ({"response_id": "1"}, "invalid_payload"),
        ({"response_id": True}, "invalid_payload"),
        ({"response_id": 2**70}, "not_found"),
        ({"response_id": 424242}, "not_found"),
        ({"to": "nowhere"}, "invalid_value"),
        ({"to": "rejected"}, "invalid_value"),
        ({"to": "answered"}, "invalid_value"),
        ({"to": ["pending"]}, "invalid_payload"),
        ({"to": None}, "invalid_payload"),
    ],
)
def test_restore_answer_refuses_what_does_not_fit_and_changes_nothing(
    app: Flask, open_room: dict[str, Any], fields: dict[str, Any], code: str
) -> None:
    control, rid = open_room["control"], open_room["ids"]["Time"]
    control.call("act", {"action": "reject", "response_id": rid})
    ack = control.call("act", {"action": "restore_answer", "response_id": rid, **fields})
    assert ack["ok"] is False and ack["error"]["code"] == code and ack["error"]["message"]
    assert moderation_of(app, rid) == "rejected"


@pytest.mark.parametrize("state", ["pending", "approved"])
def test_restoring_an_answer_that_is_not_rejected_says_so(
    app: Flask, open_room: dict[str, Any], act: Any, state: str
) -> None:
    rid = open_room["ids"]["Time"]
    if state == "approved":
        act(open_room["workshop"], "approve", response_id=rid)
    ack = open_room["control"].call("act", {"action": "restore_answer", "response_id": rid})
    assert ack["error"]["code"] == "invalid_state"
    assert "not rejected" in ack["error"]["message"]
    assert moderation_of(app, rid) == state


def test_another_workshops_rejected_answer_is_unknown_here(
    app: Flask,
    open_room: dict[str, Any],
    make_workshop: Callable[..., Any],
    act: Any,
    facilitator_socket: Any,
) -> None:
    rid = open_room["ids"]["Time"]
    act(open_room["workshop"], "reject", response_id=rid)
    other = make_workshop()
    act(other, "start")
    ack = facilitator_socket(other).call("act", {"action": "restore_answer", "response_id": rid})
    assert ack["error"]["code"] == "not_found"
    assert moderation_of(app, rid) == "rejected"


def test_a_choice_answer_cannot_be_restored(
    app: Flask,
    make_workshop: Callable[..., Any],
    show: Callable[..., None],
    phone: Callable[..., Any],
    facilitator_socket: Any,
) -> None:
    workshop = make_workshop()
    show(workshop, workshop.first("choice"))
    phone(workshop.code).answer(workshop.first("choice"), 1)
    with app.app_context():
        rid = db.session.scalar(select(Response.id))
    ack = facilitator_socket(workshop).call("act", {"action": "restore_answer", "response_id": rid})
    assert ack["error"]["code"] == "not_found"


def test_rejected_answers_follow_the_k_rule_of_the_queue(
    open_room: dict[str, Any], act: Any, facilitator_socket: Any
) -> None:
    workshop = open_room["workshop"]
    act(workshop, "reject", response_id=open_room["ids"]["Time"])
    # A phone deletes its answer: two are left, below k = 3, so no text is shown, rejected or not.
    (first, *_) = open_room["phones"]
    assert first.call("retract", {"activity_id": open_room["activity"].id})["ok"]
    control = facilitator_socket(workshop).received("control")[0]
    assert control["rejected"]["answers"] == [] and control["moderation"] == []


def test_rejected_answers_of_an_activity_left_behind_wait_for_a_return_to_it(
    open_room: dict[str, Any], act: Any, facilitator_socket: Any
) -> None:
    workshop, rid = open_room["workshop"], open_room["ids"]["Time"]
    act(workshop, "reject", response_id=rid)
    act(workshop, "goto", index=workshop.first("choice").index)
    assert facilitator_socket(workshop).received("control")[0]["rejected"]["answers"] == []
    act(workshop, "goto", index=open_room["activity"].index)
    listed = facilitator_socket(workshop).received("control")[0]["rejected"]["answers"]
    assert [item["response_id"] for item in listed] == [rid]


def test_nothing_can_be_restored_once_the_workshop_ended(
    app: Flask, open_room: dict[str, Any], act: Any
) -> None:
    control, rid = open_room["control"], open_room["ids"]["Time"]
    act(open_room["workshop"], "reject", response_id=rid)
    act(open_room["workshop"], "end")
    ack = control.call("act", {"action": "restore_answer", "response_id": rid})
    assert ack["error"]["code"] == "invalid_state"
    assert moderation_of(app, rid) == "rejected"


# --- dismissed questions --------------------------------------------------------------------


@pytest.fixture
def board(
    make_workshop: Callable[..., Any],
    act: Any,
    crowd: Callable[..., list[Any]],
    facilitator_socket: Any,
) -> dict[str, Any]:
    """A live workshop with three approved questions: A (2 votes), B (1 vote), C (0 votes)."""
    workshop = make_workshop()
    act(workshop, "start")
    phones = crowd(workshop, 3)
    ids = {}
    for text in ("A", "B", "C"):
        ack = phones[0].call("ask", {"text": text, "msg_id": f"ask-{text}"})
        ids[text] = ack["question_id"]
        act(workshop, "qa_approve", question_id=ids[text])
    for sock in phones[:2]:
        assert sock.call("upvote", {"question_id": ids["A"]})["counted"]
    assert phones[2].call("upvote", {"question_id": ids["B"]})["counted"]
    return {
        "workshop": workshop,
        "phones": phones,
        "ids": ids,
        "control": facilitator_socket(workshop),
    }


def board_texts(qa: dict[str, Any]) -> list[tuple[str, int, str]]:
    return [(q["text"], q["votes"], q["status"]) for q in qa["questions"]]


def test_a_dismissed_question_comes_back_where_it_was_with_its_votes(
    app: Flask, board: dict[str, Any], present_socket: Any
) -> None:
    control, qid, workshop = board["control"], board["ids"]["A"], board["workshop"]
    before = board_texts(present_socket(workshop).received("present")[0]["qa"])
    assert before == [("A", 2, "approved"), ("B", 1, "approved"), ("C", 0, "approved")]

    after = control.call("act", {"action": "qa_dismiss", "question_id": qid})["control"]
    assert after["rejected"]["questions"] == [{"id": qid, "text": "A", "votes": 2}]
    assert board_texts(present_socket(workshop).received("present")[0]["qa"])[0][0] == "B"
    assert question_row(app, qid) == ("dismissed", 2, 2)

    ack = control.call("act", {"action": "qa_restore", "question_id": qid, "to": "approved"})
    assert ack["ok"] and ack["control"]["rejected"]["questions"] == []
    assert board_texts(present_socket(workshop).received("present")[0]["qa"]) == before
    # The votes are the same rows: a phone that voted before still cannot vote twice.
    assert board["phones"][0].call("upvote", {"question_id": qid}) == {
        "ok": True,
        "votes": 2,
        "counted": False,
    }


def test_a_question_restored_from_the_list_waits_for_approval(
    app: Flask, board: dict[str, Any], act: Any, present_socket: Any, phone: Callable[..., Any]
) -> None:
    workshop, qid = board["workshop"], board["ids"]["B"]
    act(workshop, "qa_dismiss", question_id=qid)
    control = board["control"].call("act", {"action": "qa_restore", "question_id": qid})["control"]
    assert [
        (q["text"], q["status"], q["votes"]) for q in control["qa"]["questions"] if q["id"] == qid
    ] == [("B", "pending", 1)]
    assert "B" not in [
        q["text"] for q in present_socket(workshop).received("present")[0]["qa"]["questions"]
    ]
    # Phones neither see it nor may vote on it until it is approved again.
    assert board["phones"][1].call("upvote", {"question_id": qid})["error"]["code"] == "not_found"
    act(workshop, "qa_approve", question_id=qid)
    assert question_row(app, qid) == ("approved", 1, 1)


def test_undo_of_dismissing_an_answered_question_marks_it_answered_again(
    app: Flask, board: dict[str, Any], act: Any
) -> None:
    workshop, qid = board["workshop"], board["ids"]["C"]
    act(workshop, "qa_answered", question_id=qid)
    act(workshop, "qa_dismiss", question_id=qid)
    board["control"].call("act", {"action": "qa_restore", "question_id": qid, "to": "answered"})
    assert question_row(app, qid) == ("answered", 0, 0)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"question_id": None}, "invalid_payload"),
        ({"question_id": 1.5}, "invalid_payload"),
        ({"question_id": 424242}, "not_found"),
        ({"to": "dismissed"}, "invalid_value"),
        ({"to": "Approved"}, "invalid_value"),
        ({"to": 1}, "invalid_payload"),
    ],
)
def test_qa_restore_refuses_what_does_not_fit_and_changes_nothing(
    app: Flask, board: dict[str, Any], act: Any, fields: dict[str, Any], code: str
) -> None:
    qid = board["ids"]["A"]
    act(board["workshop"], "qa_dismiss", question_id=qid)
    ack = board["control"].call("act", {"action": "qa_restore", "question_id": qid, **fields})
    assert ack["ok"] is False and ack["error"]["code"] == code and ack["error"]["message"]
    assert question_row(app, qid) == ("dismissed", 2, 2)


def test_restoring_a_question_that_is_not_dismissed_says_so(
    app: Flask, board: dict[str, Any]
) -> None:
    qid = board["ids"]["B"]
    ack = board["control"].call("act", {"action": "qa_restore", "question_id": qid})
    assert ack["error"]["code"] == "invalid_state"
    assert "not dismissed" in ack["error"]["message"]
    assert question_row(app, qid) == ("approved", 1, 1)


def test_another_workshops_dismissed_question_is_unknown_here(
    app: Flask,
    board: dict[str, Any],
    make_workshop: Callable[..., Any],
    act: Any,
    facilitator_socket: Any,
) -> None:
    qid = board["ids"]["A"]
    act(board["workshop"], "qa_dismiss", question_id=qid)
    other = make_workshop()
    act(other, "start")
    ack = facilitator_socket(other).call("act", {"action": "qa_restore", "question_id": qid})
    assert ack["error"]["code"] == "not_found"
    assert facilitator_socket(other).received("control")[0]["rejected"]["questions"] == []
    assert question_row(app, qid) == ("dismissed", 2, 2)


def test_dismissed_questions_never_reach_phones_or_the_projector(
    board: dict[str, Any], act: Any, present_socket: Any, phone: Callable[..., Any]
) -> None:
    workshop = board["workshop"]
    act(workshop, "qa_dismiss", question_id=board["ids"]["A"])
    present = present_socket(workshop).received("present")[0]
    state = phone(workshop.code).received("state")[0]
    for snapshot in (present, state):
        assert "rejected" not in snapshot
        assert "A" not in [q["text"] for q in snapshot["qa"]["questions"]]


# --- self-paced, and arguments no action should choke on ------------------------------------


def test_a_self_paced_workshop_takes_the_new_actions(
    app: Flask, make_workshop: Callable[..., Any], act: Any, facilitator_socket: Any
) -> None:
    workshop = make_workshop()
    with app.app_context():
        row = db.session.get(Workshop, workshop.id)
        row.pace, row.open_days = "self", 7
        db.session.commit()
    act(workshop, "start")
    control = facilitator_socket(workshop)
    assert control.call("act", {"action": "qa_show"})["control"]["qa"]["shown"] is True
    assert control.call("act", {"action": "qa_hide"})["ok"]
    ack = control.call("act", {"action": "qa_restore", "question_id": 424242})
    assert ack["error"]["code"] == "not_found"
    ack = control.call("act", {"action": "restore_answer", "response_id": 424242})
    assert ack["error"]["code"] == "not_found"


WEIRD = [None, True, -1, 1.5, "", "x" * 10_000, [], [1, [2]], {}, {"$gt": 0}, 2**70]


@pytest.mark.parametrize("action", ["qa_show", "qa_hide", "qa_restore", "restore_answer"])
def test_no_argument_makes_a_new_action_fail_on_our_side(
    open_room: dict[str, Any], action: str
) -> None:
    control = open_room["control"]
    for weird in WEIRD:
        payload = {"action": action, "response_id": weird, "question_id": weird, "to": weird}
        ack = control.call("act", payload)
        assert isinstance(ack, dict), ack
        if not ack["ok"]:
            assert ack["error"]["code"] != "server_error", (action, weird, ack)
    assert control.alive
