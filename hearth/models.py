"""Database models. Participants have no rows of their own: see docs/privacy.md."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    inspect,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hearth.extensions import db


def now_utc() -> datetime:
    """The current UTC time as a naive datetime (SQLite keeps no zone; every stored time is UTC).

    Used for facilitator-side records and timers, never for anything about a response.
    """
    return datetime.now(UTC).replace(tzinfo=None)


def today_utc() -> date:
    """Return today's date in UTC."""
    return datetime.now(UTC).date()


# Ids of what participants write (responses, questions, upvotes) are random, so that no id
# tells in which order rows were written: with counting ids, 1, 5, 9 and 13 were one phone's
# four answers (docs/privacy.md). Below 2**53 so JavaScript holds them exactly.
RANDOM_ID_BITS = 53


def random_id() -> int:
    """A random row id from 1 to 2**53 - 1 (a taken one makes the insert fail; it is retried)."""
    return secrets.randbelow(2**RANDOM_ID_BITS - 1) + 1


# BIGINT on PostgreSQL; on SQLite exactly INTEGER, so the id is the rowid itself and the table
# keeps no hidden counting rowid beside it.
RandomIdType = BigInteger().with_variant(Integer(), "sqlite")


class Facilitator(UserMixin, db.Model):  # type: ignore[name-defined]
    """A counsellor's account."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    # Part of the login cookie's user id; logout and a password change bump it, so every
    # cookie made before (a copied one too) stops working (hearth.services.accounts).
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # The control room's language (hearth/i18n.py); None: the browser's.
    language: Mapped[str | None] = mapped_column(String(8), default=None)

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="facilitator", cascade="all, delete-orphan"
    )
    workshops: Mapped[list[Workshop]] = relationship(back_populates="owner")

    @property
    def display_name(self) -> str:
        """The name shown in the interface, falling back to the email address."""
        return self.name or self.email

    def get_id(self) -> str:
        """flask-login's user id in the session cookie: "<id>.<session version>"."""
        return f"{self.id}.{self.session_version}"


class ApiToken(db.Model):  # type: ignore[name-defined]
    """A bearer token for /api/v1; only its SHA-256 digest is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("facilitator.id", ondelete="CASCADE"))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    # The last day the token worked (days only: the API's use is not logged finer than that).
    last_used_on: Mapped[date | None] = mapped_column(default=None)
    # The token stops working after this day; None: until revoked.
    expires_on: Mapped[date | None] = mapped_column(default=None)

    facilitator: Mapped[Facilitator] = relationship(back_populates="tokens")


class SetupToken(db.Model):  # type: ignore[name-defined]
    """The one-time first-run link, as a digest; deleted when the first account is made."""

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)


class Plan(db.Model):  # type: ignore[name-defined]
    """A reusable workshop plan: its activities are a validated JSON document."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    activities: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    builtin: Mapped[bool] = mapped_column(default=False)
    # The language the plan's text is written in; phones mark that text with it.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("facilitator.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)


class WorkshopFacilitator(db.Model):  # type: ignore[name-defined]
    """A co-facilitator of a workshop (the owner is on the workshop itself)."""

    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True
    )
    facilitator_id: Mapped[int] = mapped_column(
        ForeignKey("facilitator.id", ondelete="CASCADE"), primary_key=True
    )


class Workshop(db.Model):  # type: ignore[name-defined]
    """One live run of a plan, with a frozen copy of its activities."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    present_key: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id", ondelete="SET NULL"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("facilitator.id"))
    phase: Mapped[str] = mapped_column(String(10), default="lobby")
    # The workshop's language, chosen when it is started (the plan's by default): the projector
    # speaks it (docs/translating.md).
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    # The language its frozen plan text is written in: screens mark that text with it.
    plan_language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    current_index: Mapped[int] = mapped_column(default=0)
    min_group: Mapped[int] = mapped_column(default=5)
    purge_after_days: Mapped[int] = mapped_column(default=30)
    peak_connected: Mapped[int] = mapped_column(default=0)
    break_signals: Mapped[int] = mapped_column(default=0)
    # Reaction counts by emoji ({"💛": 3}); counted, never attributed.
    reactions: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    qa_open: Mapped[bool] = mapped_column(default=False)
    # The projector shows the Q&A board full-screen, over whatever activity, while this is set
    # (`qa_show` / `qa_hide`); beside content slides it shows a strip of it regardless.
    qa_shown: Mapped[bool] = mapped_column(default=False)
    # Who may join (docs/privacy.md): while locked, only phones already issued a token get in.
    locked: Mapped[bool] = mapped_column(default=False)
    # How many people the facilitator counted in the room, if they said.
    head_count: Mapped[int | None] = mapped_column(default=None)
    # How many participant tokens were issued, and joins the lock refused: counts, nothing more.
    identities: Mapped[int] = mapped_column(default=0)
    turned_away: Mapped[int] = mapped_column(default=0)
    # Support resources: [{name, contact, purpose, checked_on, region, language}]; reviewed
    # once the facilitator has looked at the defaults for this workshop.
    resources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    resources_reviewed: Mapped[bool] = mapped_column(default=False)
    # Where the room is: "any" or ISO 3166-1 alpha-2 codes ("DE"); phones and the take-home
    # page show the resources that fit it and the workshop's language (hearth.resources).
    region: Mapped[str] = mapped_column(String(32), default="any", server_default="any")
    # The facilitator's own notes for the summary, editable after the workshop.
    notes: Mapped[str] = mapped_column(Text, default="")
    # The series (one group's weekly sessions) this workshop belongs to, if any.
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("series.id", ondelete="SET NULL"), index=True, default=None
    )
    # Set while the take-home summary is published at /s/<summary_key>.
    summary_key: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    # "live" (the facilitator moves everyone through the plan) or "self" (reflection between
    # sessions: phones move through the whole plan themselves, hearth.services.pace). A
    # self-paced workshop ends by itself at `ends_at`, `open_days` after it was started.
    pace: Mapped[str] = mapped_column(String(8), default="live", server_default="live")
    open_days: Mapped[int | None] = mapped_column(default=None)
    ends_at: Mapped[datetime | None] = mapped_column(default=None)
    # A rehearsal (hearth.services.rehearsal): the facilitator tries the plan, may add
    # simulated answers, and everything answered is deleted when it ends; it is never exported.
    rehearsal: Mapped[bool] = mapped_column(default=False)
    created_on: Mapped[date] = mapped_column(default=today_utc)
    ended_on: Mapped[date | None] = mapped_column(default=None)
    purged_on: Mapped[date | None] = mapped_column(default=None)

    owner: Mapped[Facilitator] = relationship(back_populates="workshops")
    activities: Mapped[list[WorkshopActivity]] = relationship(
        back_populates="workshop",
        order_by="WorkshopActivity.position",
        cascade="all, delete-orphan",
    )
    questions: Mapped[list[Question]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan"
    )

    @property
    def current_activity(self) -> WorkshopActivity | None:
        """The activity being shown, or None in the lobby, after the end, or when self-paced
        (every phone is at its own activity then)."""
        if self.phase != "live" or self.pace == "self":
            return None
        if "activities" in inspect(self).unloaded:
            # One row, not the whole plan: phones connecting by the thousand ask for this.
            return db.session.scalar(
                select(WorkshopActivity).where(
                    WorkshopActivity.workshop_id == self.id,
                    WorkshopActivity.position == self.current_index,
                )
            )
        return self.activities[self.current_index] if self.activities else None


class Series(db.Model):  # type: ignore[name-defined]
    """One group's sessions over the weeks: a title and an owner, nothing about any person.

    Its workshops point at it (`Workshop.series_id`); their tokens and response keys stay
    independent, so the series reports group figures only (docs/privacy.md).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("facilitator.id", ondelete="CASCADE"), index=True
    )
    created_on: Mapped[date] = mapped_column(default=today_utc)


class WorkshopActivity(db.Model):  # type: ignore[name-defined]
    """One activity of a workshop: the frozen spec plus its live flags."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    accepting: Mapped[bool] = mapped_column(default=False)
    revealed: Mapped[bool] = mapped_column(default=False)
    opened_once: Mapped[bool] = mapped_column(default=False)
    # Wall-clock deadline of a running timer; facilitator-side state, not about any answer.
    closes_at: Mapped[datetime | None] = mapped_column(default=None)
    # Normalised words the facilitator keeps off the projector (kind `words`).
    hidden_words: Mapped[list[str]] = mapped_column(JSON, default=list)

    workshop: Mapped[Workshop] = relationship(back_populates="activities")
    responses: Mapped[list[Response]] = relationship(
        back_populates="activity", cascade="all, delete-orphan"
    )

    __table_args__ = (UniqueConstraint("workshop_id", "position"),)


class Response(db.Model):  # type: ignore[name-defined]
    """One answer (or pass) to one activity.

    `key` is HMAC(secret, participant token + activity id): the same phone can change its
    answer, but two responses of one person cannot be linked. No timestamp, no IP, no device,
    and a random id: nothing tells the order answers came in.
    """

    id: Mapped[int] = mapped_column(
        RandomIdType, primary_key=True, autoincrement=False, default=random_id
    )
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("workshop_activity.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(64))
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    passed: Mapped[bool] = mapped_column(default=False)
    # The msg_id of the last message that changed this row, so a retry is recognised.
    msg_id: Mapped[str] = mapped_column(String(64), default="")
    # Open text only (pending / approved / rejected, or held for the facilitator's care); the
    # text itself is masked before storage.
    moderation: Mapped[str | None] = mapped_column(String(10), default=None)
    # The safety net's categories the text matched ("suicide,abuse"), if any (hearth.safety);
    # while `moderation` is "held" only the facilitator's care panel shows it.
    care: Mapped[str | None] = mapped_column(String(40), default=None)

    activity: Mapped[WorkshopActivity] = relationship(back_populates="responses")

    __table_args__ = (UniqueConstraint("activity_id", "key"),)


class Question(db.Model):  # type: ignore[name-defined]
    """An anonymous Q&A question: masked text, a moderation state and a vote count."""

    id: Mapped[int] = mapped_column(
        RandomIdType, primary_key=True, autoincrement=False, default=random_id
    )
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    # pending → approved → answered, or dismissed; held (for the facilitator's care) → pending.
    status: Mapped[str] = mapped_column(String(10), default="pending")
    # The safety net's categories the text matched, if any (as on Response).
    care: Mapped[str | None] = mapped_column(String(40), default=None)
    votes: Mapped[int] = mapped_column(default=0)
    # The asking message's msg_id, so a retried `ask` does not post twice.
    msg_id: Mapped[str] = mapped_column(String(64), default="")

    workshop: Mapped[Workshop] = relationship(back_populates="questions")
    upvotes: Mapped[list[QuestionVote]] = relationship(
        back_populates="question", cascade="all, delete-orphan"
    )


class QuestionVote(db.Model):  # type: ignore[name-defined]
    """One upvote, keyed like a response (HMAC of token and question), so each phone votes once."""

    id: Mapped[int] = mapped_column(
        RandomIdType, primary_key=True, autoincrement=False, default=random_id
    )
    question_id: Mapped[int] = mapped_column(
        RandomIdType, ForeignKey("question.id", ondelete="CASCADE")
    )
    key: Mapped[str] = mapped_column(String(64))

    question: Mapped[Question] = relationship(back_populates="upvotes")

    __table_args__ = (UniqueConstraint("question_id", "key"),)


class SafetyPhrase(db.Model):  # type: ignore[name-defined]
    """A phrase a facilitator added to the safety net's built-in lists, for their workshops."""

    id: Mapped[int] = mapped_column(primary_key=True)
    facilitator_id: Mapped[int] = mapped_column(
        ForeignKey("facilitator.id", ondelete="CASCADE"), index=True
    )
    # One of hearth.safety.CATEGORIES.
    category: Mapped[str] = mapped_column(String(16))
    phrase: Mapped[str] = mapped_column(String(80))
    created_on: Mapped[date] = mapped_column(default=today_utc)

    __table_args__ = (UniqueConstraint("facilitator_id", "phrase"),)


class PurgeRecord(db.Model):  # type: ignore[name-defined]
    """That a workshop's answers were deleted for good: the day and the counts, nothing else."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshop.id", ondelete="SET NULL"), index=True
    )
    purged_on: Mapped[date] = mapped_column(default=today_utc)
    responses: Mapped[int] = mapped_column(default=0)
    questions: Mapped[int] = mapped_column(default=0)
