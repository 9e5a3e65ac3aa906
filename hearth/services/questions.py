"""Anonymous Q&A: phones ask and upvote; the facilitator opens, approves, dismisses, answers,
restores a dismissed question, and shows the board on the projector."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select, update

from hearth import changes
from hearth.changes import QaChanged
from hearth.errors import HearthError, invalid_payload, not_found, record_id, refuse_if_ended
from hearth.extensions import db, writing
from hearth.models import Question, QuestionVote, Workshop
from hearth.privacy import mask_contact_details, response_key
from hearth.services.care import care_of
from hearth.services.responses import check_msg_id

QUESTION_MAX_LENGTH = 280


def _live_workshop(workshop_id: int) -> Workshop:
    """The workshop, if it has not ended."""
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None:
        raise not_found("There is no such workshop.")
    refuse_if_ended(workshop.phase)
    return workshop


def ask(workshop_id: int, payload: Any) -> int:
    """Post an anonymous question (masked, pending approval); returns its id."""
    if not isinstance(payload, dict):
        raise invalid_payload("The message must be an object.")
    msg_id = check_msg_id(payload)
    text = payload.get("text")
    if not isinstance(text, str) or not text.strip():
        raise HearthError("invalid_value", "Write a question first.")
    text = " ".join(text.split())
    if len(text) > QUESTION_MAX_LENGTH:
        raise HearthError(
            "too_long",
            "Please keep questions to %(limit)s characters.",
            limit=QUESTION_MAX_LENGTH,
        )
    with writing():
        workshop = _live_workshop(workshop_id)
        if not workshop.qa_open:
            raise HearthError("qa_closed", "Questions are closed right now.", 409)
        existing = db.session.scalar(
            select(Question).where(Question.workshop_id == workshop_id, Question.msg_id == msg_id)
        )
        if existing is not None:
            return existing.id
        text = mask_contact_details(text)
        # Crisis language is held for the facilitator's care (hearth.services.care); the phone
        # is told "pending" either way.
        care = care_of(workshop_id, text)
        question = Question(
            workshop_id=workshop_id,
            text=text,
            msg_id=msg_id,
            status="held" if care else "pending",
            care=care,
        )
        db.session.add(question)
        db.session.flush()
        question_id = question.id
        changes.record(QaChanged(workshop_id))
    return question_id


def upvote(workshop_id: int, token: str, payload: Any) -> tuple[int, bool]:
    """Upvote an approved question once per phone; returns (votes, whether this one counted)."""
    if not isinstance(payload, dict):
        raise invalid_payload("The message must be an object.")
    question_id = record_id(payload.get("question_id"), "question_id")
    key = response_key(current_app.config["SECRET_KEY"], token, f"q{question_id}")
    with writing():
        _live_workshop(workshop_id)
        question = db.session.get(Question, question_id)
        if (
            question is None
            or question.workshop_id != workshop_id
            or question.status
            not in (
                "approved",
                "answered",
            )
        ):
            raise not_found("That question is not on the board.")
        voted = db.session.scalar(
            select(QuestionVote.id).where(
                QuestionVote.question_id == question_id, QuestionVote.key == key
            )
        )
        if voted is not None:
            return question.votes, False
        db.session.add(QuestionVote(question_id=question_id, key=key))
        # An atomic increment, so two workers counting at once cannot lose a vote.
        db.session.execute(
            update(Question).where(Question.id == question_id).values(votes=Question.votes + 1)
        )
        db.session.flush()
        db.session.refresh(question)
        votes = question.votes
        changes.record(QaChanged(workshop_id))
    return votes, True


def _question(workshop: Workshop, payload: dict[str, Any]) -> Question:
    """The question an action names, if it belongs to this workshop."""
    question_id = record_id(payload.get("question_id"), "question_id")
    question = db.session.get(Question, question_id)
    if question is None or question.workshop_id != workshop.id:
        raise not_found("That question is not in this workshop.")
    return question


def act_qa_open(workshop: Workshop, payload: dict[str, Any]) -> None:
    """Let phones ask questions."""
    workshop.qa_open = True


def act_qa_close(workshop: Workshop, payload: dict[str, Any]) -> None:
    """Stop new questions (the board stays)."""
    workshop.qa_open = False


def act_qa_approve(workshop: Workshop, payload: dict[str, Any]) -> None:
    """Put a question on the board (a held one only after the care panel releases it)."""
    question = _question(workshop, payload)
    if question.status == "held":
        raise not_found("That question is waiting for your care, not for approval.")
    question.status = "approved"


def act_qa_dismiss(workshop: Workshop, payload: dict[str, Any]) -> None:
    """Take a question off the board (or out of the queue)."""
    _question(workshop, payload).status = "dismissed"


def act_qa_show(workshop: Workshop, payload: dict[str, Any]) -> None:
    """Show the board full-screen on the projector, over whatever activity, until `qa_hide`."""
    if workshop.phase != "live":
        raise HearthError("invalid_state", "Start the workshop first.", 409)
    workshop.qa_shown = True


def act_qa_hide(workshop: Workshop, payload: dict[str, Any]) -> None:
    """Give the projector back to the activity (the strip beside content slides stays)."""
    workshop.qa_shown = False


# Where a dismissed question may go back to: the queue (the default: nothing reaches the
# projector or phones without a fresh approval), or, for an undo, the state it was in.
RESTORE_TO = ("pending", "approved", "answered")


def restore_target(payload: dict[str, Any], allowed: tuple[str, ...]) -> str:
    """The state a `restore_*` action asks for: `to`, one of `allowed`; the first if absent."""
    target = payload.get("to", allowed[0])
    if not isinstance(target, str):
        raise invalid_payload("'to' must be one of: %(names)s.", names=", ".join(allowed))
    if target not in allowed:
        raise HearthError(
            "invalid_value", "'to' must be one of: %(names)s.", names=", ".join(allowed)
        )
    return target


def act_restore_question(workshop: Workshop, payload: dict[str, Any]) -> None:
    """Bring a dismissed question back, with the votes it had (its upvotes were kept)."""
    question = _question(workshop, payload)
    target = restore_target(payload, RESTORE_TO)
    if question.status != "dismissed":
        raise HearthError(
            "invalid_state", "That question is not dismissed, so there is nothing to restore.", 409
        )
    question.status = target


def act_qa_answered(workshop: Workshop, payload: dict[str, Any]) -> None:
    """Mark a question answered; it stays visible, greyed."""
    question = _question(workshop, payload)
    if question.status not in ("approved", "answered"):
        raise HearthError("invalid_state", "Approve the question before marking it answered.", 409)
    question.status = "answered"
