"""The safety net (docs/privacy.md): answers and questions with crisis language are held for
the facilitator's care, and each facilitator keeps their own phrases beside the built-in lists.

A held open answer (`Response.moderation == "held"`) or question (`Question.status == "held"`)
never reaches the moderation queue, the projector, phones, the take-home page or an export;
the control room's care panel shows it (`hearth.results.care_queue`) until the facilitator
releases it to the queue or dismisses it. Matching runs here, on this computer
(`hearth.safety`); nothing is sent anywhere.
"""

from __future__ import annotations

import re
import threading
import time
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from hearth import changes
from hearth.changes import QaChanged, ResultsChanged
from hearth.errors import HearthError, invalid_payload, not_found, record_id
from hearth.extensions import db, writing
from hearth.models import (
    Facilitator,
    Question,
    Response,
    SafetyPhrase,
    Workshop,
    WorkshopFacilitator,
)
from hearth.safety import CATEGORIES, Matcher, build_matcher, fold, languages_for

MAX_PHRASES = 200
PHRASE_LENGTH = (3, 80)
# Letters (any script), digits, spaces, apostrophes and hyphens; a * may end a word.
_PHRASE = re.compile(r"^[\w'’-]+\*?(?:\s[\w'’-]+\*?)*$")
_STAR_STEM = 3
# How long a workshop's matcher serves before its facilitators' phrases are read again (a
# change made in this process is seen at once; another worker's within this time).
MATCHER_SECONDS = 10.0
_matchers_lock = threading.Lock()


# --- matching -------------------------------------------------------------------------------


def _matchers() -> dict[int, tuple[float, Matcher]]:
    """This app's matchers by workshop, with the time each was made."""
    cache: dict[int, tuple[float, Matcher]] = current_app.extensions.setdefault(
        "hearth.care_matchers", {}
    )
    return cache


def forget_matchers() -> None:
    """Read every workshop's phrases again on its next match (after an addition or removal)."""
    with _matchers_lock:
        _matchers().clear()


def matcher_for(workshop_id: int) -> Matcher:
    """The matcher of a workshop: its language's list, English, and the phrases its owner and
    co-facilitators added."""
    now = time.monotonic()
    with _matchers_lock:
        cached = _matchers().get(workshop_id)
    if cached is not None and now - cached[0] < MATCHER_SECONDS:
        return cached[1]
    language = db.session.scalar(select(Workshop.language).where(Workshop.id == workshop_id))
    owner = select(Workshop.owner_id).where(Workshop.id == workshop_id)
    team = select(WorkshopFacilitator.facilitator_id).where(
        WorkshopFacilitator.workshop_id == workshop_id
    )
    rows = db.session.execute(
        select(SafetyPhrase.category, SafetyPhrase.phrase).where(
            SafetyPhrase.facilitator_id.in_(owner) | SafetyPhrase.facilitator_id.in_(team)
        )
    )
    additions = tuple(sorted({(category, phrase) for category, phrase in rows}))
    matcher = build_matcher(languages_for(language or "en"), additions)
    with _matchers_lock:
        _matchers()[workshop_id] = (now, matcher)
    return matcher


def care_of(workshop_id: int, text: str) -> str | None:
    """The categories a text matches in this workshop ("suicide,abuse"), or None."""
    categories = matcher_for(workshop_id).categories(text)
    return ",".join(categories) or None


# --- the facilitator's actions on held items ------------------------------------------------


def _held(workshop: Workshop, payload: dict[str, Any]) -> Response | Question:
    """The held answer or question an action names (`response_id` or `question_id`)."""
    if ("response_id" in payload) == ("question_id" in payload):
        raise invalid_payload("Name the held item with 'response_id' or 'question_id'.")
    if "response_id" in payload:
        row = db.session.get(Response, record_id(payload["response_id"], "response_id"))
        if row is not None and row.activity.workshop_id == workshop.id and row.moderation == "held":
            return row
    else:
        question = db.session.get(Question, record_id(payload["question_id"], "question_id"))
        if question is not None and question.workshop_id == workshop.id:
            if question.status == "held":
                return question
    raise not_found("That is not waiting for your care in this workshop.")


def _settle(workshop: Workshop, item: Response | Question, *, answer: str, question: str) -> None:
    """Give a held item its new state and say what changed."""
    if isinstance(item, Response):
        item.moderation = answer
        changes.record(ResultsChanged(workshop.id, item.activity_id))
    else:
        item.status = question
        changes.record(QaChanged(workshop.id))


def act_care_release(workshop: Workshop, payload: dict[str, Any]) -> None:
    """Move a held item to the moderation queue, where it waits for Approve like any other."""
    _settle(workshop, _held(workshop, payload), answer="pending", question="pending")


def act_care_dismiss(workshop: Workshop, payload: dict[str, Any]) -> None:
    """Keep a held item out of the room for good (rejected, or a dismissed question)."""
    _settle(workshop, _held(workshop, payload), answer="rejected", question="dismissed")


# --- each facilitator's own phrases ---------------------------------------------------------


def phrases_of(facilitator: Facilitator) -> list[SafetyPhrase]:
    """A facilitator's own phrases, by category and then alphabetically."""
    rows = db.session.scalars(
        select(SafetyPhrase).where(SafetyPhrase.facilitator_id == facilitator.id)
    )
    order = {category: number for number, category in enumerate(CATEGORIES)}
    return sorted(rows, key=lambda row: (order.get(row.category, 99), fold(row.phrase)))


def check_phrase(category: Any, phrase: Any) -> tuple[str, str]:
    """A valid (category, phrase), spaces collapsed, or `invalid_value` saying what to change."""
    if not isinstance(category, str) or category not in CATEGORIES:
        raise HearthError("invalid_value", "Choose one of: %(names)s.", names=", ".join(CATEGORIES))
    if not isinstance(phrase, str):
        raise invalid_payload("'phrase' must be text.")
    phrase = " ".join(phrase.split())
    low, high = PHRASE_LENGTH
    if not low <= len(phrase) <= high:
        raise HearthError(
            "invalid_value", "A phrase has %(lo)s to %(hi)s characters.", lo=low, hi=high
        )
    if not _PHRASE.match(phrase) or "_" in phrase:
        raise HearthError(
            "invalid_value",
            "Use letters, numbers, spaces, apostrophes and hyphens; a * may end a word.",
        )
    if len(fold(phrase.replace("*", " ")).replace(" ", "")) < low:
        raise HearthError("invalid_value", "A phrase needs at least %(least)s letters.", least=low)
    if any(len(fold(word[:-1])) < _STAR_STEM for word in phrase.split() if word.endswith("*")):
        raise HearthError(
            "invalid_value",
            "A word ending in * needs at least %(least)s letters before it.",
            least=_STAR_STEM,
        )
    return category, phrase


def add_phrase(facilitator: Facilitator, category: Any, phrase: Any) -> SafetyPhrase:
    """Add a phrase of the facilitator's; it applies to their workshops from the next answer."""
    category, phrase = check_phrase(category, phrase)
    with writing():
        count = db.session.scalar(
            select(func.count(SafetyPhrase.id)).where(SafetyPhrase.facilitator_id == facilitator.id)
        )
        if (count or 0) >= MAX_PHRASES:
            raise HearthError(
                "invalid_value",
                "You can keep up to %(most)s phrases. Remove one first.",
                most=MAX_PHRASES,
            )
        if any(fold(row.phrase) == fold(phrase) for row in phrases_of(facilitator)):
            raise HearthError("invalid_value", "That phrase is already in your list.")
        row = SafetyPhrase(facilitator_id=facilitator.id, category=category, phrase=phrase)
        db.session.add(row)
    forget_matchers()
    return row


def remove_phrase(facilitator: Facilitator, phrase_id: int) -> None:
    """Remove one of the facilitator's own phrases (another's is `not_found`)."""
    with writing():
        row = db.session.get(SafetyPhrase, phrase_id)
        if row is None or row.facilitator_id != facilitator.id:
            raise not_found("That phrase is not in your list.")
        db.session.delete(row)
    forget_matchers()
