"""The authorisation matrix: every role against every route, socket event and facilitator action.

Three tables drive it, and each cell (row x role) is its own test id, so a failure names the
route, the role and what was expected:

- ROUTES: every URL rule of the app (method + rule, as `app.url_map` spells it),
- SOCKET_EVENTS: every event of every Socket.IO namespace (`connect` included),
- FACILITATOR_ACTIONS: every `act` action, tried through the API and the control-room socket.

Completeness guards compare each table with what the app really registers, so a new route,
event or action without a row fails the suite.

HOW TO ADD A ROW (when a guard names something you added):
1. A route: a `Route` in ROUTES under its (method, rule). A socket event: a `SocketEvent` in
   SOCKET_EVENTS under (namespace, event). An action: an `Action` in FACILITATOR_ACTIONS.
2. Pick the row's `state` (see `arrange`: lobby, live, rehearsal, words, question, approved,
   dismissed, moderation, rejected, ended, published) or add one there.
3. Give the request: `json=`, `data=` (a form), `body=` + `content_type=`, `query=`,
   `params=` (rule placeholders), a socket `payload=` or an action's `fields=`; any value may
   be a callable of the World (`lambda w: {"question_id": w.question_id}`).
4. Give the outcomes (routes and events): start from a role group (`public`, `logged_in`,
   `logged_in_json`, `managed`, `managed(json=True)`, `bearer`, `bearer_managed`,
   `phone_event`, `control_room`) and override single roles with `{**group, ROLE: outcome}`.
   An outcome is `ok(status)`, `refused(status, code)`, `LOGIN` (sent to the login page),
   `said_no(status)` (a page that refuses in words: give the row an `effect` to prove that
   nothing happened), or `gap(expected, why)`: a known hole, run as a strict xfail, so that
   closing the hole turns the cell red until the row drops the `gap`.
The roles are the people of docs/privacy.md and docs/protocol.md: anonymous, a participant
(a phone with a token), another facilitator, a co-facilitator, a co-facilitator taken off
the team (who still holds what they saw while on it: the projector link, an open control
room), the owner, and a projector opened with the secret present key.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

ANON = "anonymous"
PHONE = "participant"
OTHER = "other_facilitator"
CO = "co_facilitator"
REMOVED = "removed_co_facilitator"
OWNER = "owner"
PROJECTOR = "projector_key"
ROLES = (ANON, PHONE, OTHER, CO, REMOVED, OWNER, PROJECTOR)
FACILITATORS = (OTHER, CO, REMOVED, OWNER)
# Who saw the workshop's secret present link (the control room shows it).
KNOWS_PRESENT_KEY = (CO, REMOVED, OWNER, PROJECTOR)


# --- outcomes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What one role gets: a status (HTTP) and, when refused, the error code."""

    status: int | None
    code: str | None = None
    allowed: bool = True
    redirect: str | None = None  # the start of the Location header, for redirects
    gap: str | None = None  # a known authorisation gap (the cell is a strict xfail)

    def __str__(self) -> str:
        verdict = "allowed" if self.allowed else f"refused {self.code or ''}".strip()
        return f"{verdict} {self.status or ''}".strip()


def ok(status: int | None = 200) -> Outcome:
    """Allowed: the request succeeds with this status (None for a socket)."""
    return Outcome(status)


def refused(status: int | None, code: str | None) -> Outcome:
    """Refused with the documented error code (docs/protocol.md)."""
    return Outcome(status, code, allowed=False)


def said_no(status: int) -> Outcome:
    """Refused in words on the page it redirects to (a flash): the row's effect must not happen."""
    return Outcome(status, allowed=False)


def gap(expected: Outcome, why: str) -> Outcome:
    """A known hole: `expected` is what should happen; the test is a strict xfail until it does."""
    return replace(expected, gap=why)


OK = ok()
LOGIN = Outcome(302, allowed=False, redirect="/facilitator/login")

# Role groups for the common shapes of a row.
SOCKET_OK = ok(None)


def public(outcome: Outcome = OK) -> dict[str, Outcome]:
    """Anyone, with or without an account."""
    return dict.fromkeys(ROLES, outcome)


def logged_in(outcome: Outcome = OK) -> dict[str, Outcome]:
    """Any facilitator account (flask-login's login page for everyone else)."""
    return {**dict.fromkeys(ROLES, LOGIN), **dict.fromkeys(FACILITATORS, outcome)}


def logged_in_json(outcome: Outcome = OK) -> dict[str, Outcome]:
    """Any facilitator account; a fetch call without a login gets a JSON 401."""
    return {
        **dict.fromkeys(ROLES, refused(401, "unauthorized")),
        **dict.fromkeys(FACILITATORS, outcome),
    }


def managed(outcome: Outcome = OK, *, json: bool = False) -> dict[str, Outcome]:
    """The owner and the co-facilitators of the workshop."""
    outsiders = refused(401, "unauthorized") if json else LOGIN
    return {
        **dict.fromkeys(ROLES, outsiders),
        OTHER: refused(403, "forbidden"),
        REMOVED: refused(403, "forbidden"),
        CO: outcome,
        OWNER: outcome,
    }


def bearer(outcome: Outcome = OK) -> dict[str, Outcome]:
    """Any facilitator's API token (a phone's token or the present key is no bearer token)."""
    return {
        **dict.fromkeys(ROLES, refused(401, "unauthorized")),
        **dict.fromkeys(FACILITATORS, outcome),
    }


def series_owner(outcome: Outcome = OK, *, json: bool = False) -> dict[str, Outcome]:
    """The owner of the world's series (a co-facilitator of one of its sessions is not)."""
    return {
        **dict.fromkeys(ROLES, refused(401, "unauthorized") if json else LOGIN),
        **dict.fromkeys(FACILITATORS, refused(403, "forbidden")),
        OWNER: outcome,
    }


def bearer_managed(outcome: Outcome = OK) -> dict[str, Outcome]:
    """The API token of the workshop's owner or a co-facilitator."""
    return managed(outcome, json=True)


# --- the tables -----------------------------------------------------------------------------

Value = Any  # a value, or a callable of the World that returns it


@dataclass(frozen=True)
class Route:
    """One (method, rule) of the app and what each role gets."""

    outcomes: dict[str, Outcome]
    state: str = "lobby"
    query: Value = None
    json: Value = None
    data: Value = None
    body: Value = None
    content_type: str | None = None
    params: dict[str, Value] = field(default_factory=dict)
    # For `said_no` cells: a check of the World that is True once the request took effect.
    effect: Callable[[Any], bool] | None = None


PLAN_YAML = (
    "title: Uploaded plan\nslug: uploaded-plan\nactivities:\n"
    "  - kind: choice\n    prompt: Which?\n    options: [One, Two]\n"
)
PLAN_DOC = {"title": "Editor plan", "activities": [{"kind": "content", "body": "Hello."}]}
ARTICLE = "# Trust\n\nTrust grows slowly.\n\n- Name what you feel.\n- Ask before you assume.\n"


def _present_key(w: Any, role: str) -> str:
    if role == REMOVED:
        return w.seen_present_key or w.present_key  # the link they saw before the removal
    return w.present_key if role in KNOWS_PRESENT_KEY else "not-the-present-key"


ROUTES: dict[tuple[str, str], Route] = {
    # Phones and anyone
    ("GET", "/"): Route(public()),
    ("GET", "/join"): Route(public(ok(302)), query=lambda w: {"code": w.code}),
    ("GET", "/j/<code>"): Route(public()),
    ("GET", "/j/<code>/qr.svg"): Route(public()),
    ("GET", "/privacy"): Route(public()),
    ("GET", "/exit"): Route(public()),
    ("GET", "/healthz"): Route(public()),
    ("GET", "/static/<path:filename>"): Route(public(), params={"filename": "css/base.css"}),
    # The take-home link is meant for everyone in the room once published.
    ("GET", "/s/<key>"): Route(public(), state="published"),
    ("GET", "/s/<key>/qr.svg"): Route(public(), state="published"),
    ("GET", "/present/<key>"): Route(
        {
            **public(refused(404, "not_found")),
            CO: ok(),
            OWNER: ok(),
            PROJECTOR: ok(),
            # Removal changes the key: the link they saw no longer works.
            REMOVED: refused(404, "not_found"),
        }
    ),
    # Accounts. The setup link only works before the first account exists (here: never).
    ("GET", "/facilitator/setup/<token>"): Route(public(refused(404, None))),
    ("POST", "/facilitator/setup/<token>"): Route(
        public(refused(404, None)), data={"email": "new@example.org"}
    ),
    ("GET", "/facilitator/login"): Route({**public(ok()), **dict.fromkeys(FACILITATORS, ok(302))}),
    ("POST", "/facilitator/login"): Route(
        # A wrong password is refused; a logged-in facilitator is sent on to the dashboard.
        {**public(refused(401, None)), **dict.fromkeys(FACILITATORS, ok(302))},
        data={"email": "nobody@example.org", "password": "wrong password"},
    ),
    ("POST", "/facilitator/logout"): Route(logged_in(ok(302))),
    ("POST", "/facilitator/account/language"): Route(logged_in(ok(302)), data={"language": "de"}),
    # The safety net's phrases: every facilitator keeps their own; only they remove one.
    ("GET", "/facilitator/account/safety"): Route(logged_in()),
    ("POST", "/facilitator/account/safety"): Route(
        logged_in(ok(303)), data={"category": "abuse", "phrase": "locks me in"}
    ),
    ("POST", "/facilitator/account/safety/<int:phrase_id>/remove"): Route(
        {**logged_in(refused(404, "not_found")), OWNER: ok(303)},
        state="phrase",
        params={"phrase_id": lambda w: w.phrase_id},
        effect=lambda w: w.phrase_removed(),
    ),
    ("GET", "/facilitator/"): Route(logged_in()),
    ("POST", "/facilitator/workshops"): Route(
        logged_in(ok(302)), data=lambda w: {"plan_id": str(w.plan_id), "min_group": "3"}
    ),
    # Plans: every facilitator reads and copies any plan; only its author changes it.
    ("GET", "/facilitator/plans/new"): Route(logged_in()),
    ("GET", "/facilitator/plans/<int:plan_id>/edit"): Route(logged_in()),
    ("GET", "/facilitator/plans/preview"): Route(logged_in()),
    ("GET", "/facilitator/plans/<int:plan_id>.yaml"): Route(logged_in()),
    ("POST", "/facilitator/plans/<int:plan_id>/duplicate"): Route(logged_in(ok(302))),
    ("GET", "/facilitator/plans/<int:plan_id>/delete"): Route(
        {**logged_in(refused(403, "plan_read_only")), OWNER: ok()}
    ),
    ("POST", "/facilitator/plans/<int:plan_id>/delete"): Route(
        {**logged_in(refused(403, "plan_read_only")), OWNER: ok(302)}
    ),
    ("GET", "/facilitator/plans/import"): Route(logged_in()),
    ("POST", "/facilitator/plans/import"): Route(logged_in(), data={"text": ARTICLE}),
    ("GET", "/facilitator/plans/upload"): Route(logged_in()),
    ("POST", "/facilitator/plans/upload"): Route(logged_in(ok(302)), data={"text": PLAN_YAML}),
    ("POST", "/facilitator/plans"): Route(logged_in_json(ok(201)), json={"plan": PLAN_DOC}),
    ("PUT", "/facilitator/plans/<int:plan_id>"): Route(
        {**logged_in_json(refused(403, "plan_read_only")), OWNER: ok()}, json={"plan": PLAN_DOC}
    ),
    # Series: any facilitator starts their own; one series is its owner's alone.
    ("POST", "/facilitator/series"): Route(logged_in_json(ok(303)), data={"title": "Group"}),
    ("GET", "/facilitator/series/<int:series_id>"): Route(series_owner(json=True)),
    ("GET", "/facilitator/series/<int:series_id>/export"): Route(
        series_owner(json=True), query={"format": "json"}
    ),
    ("POST", "/facilitator/series/<int:series_id>/sessions"): Route(
        series_owner(ok(303), json=True), data={}
    ),
    # One workshop: its owner and co-facilitators.
    ("GET", "/facilitator/workshops/<int:workshop_id>"): Route(managed()),
    ("GET", "/facilitator/workshops/<int:workshop_id>/present"): Route(managed()),
    ("GET", "/facilitator/workshops/<int:workshop_id>/presenter"): Route(managed()),
    ("POST", "/facilitator/workshops/<int:workshop_id>/team"): Route(
        {**managed(ok(302)), CO: said_no(302)},
        data=lambda w: {"email": w.people[OTHER].email},
        effect=lambda w: w.on_team(OTHER),
    ),
    ("POST", "/facilitator/workshops/<int:workshop_id>/team/<int:facilitator_id>/remove"): Route(
        {**managed(ok(302)), CO: said_no(302)},
        params={"facilitator_id": lambda w: w.people[CO].id},
        effect=lambda w: not w.on_team(CO),
    ),
    ("GET", "/facilitator/workshops/<int:workshop_id>/export"): Route(
        managed(json=True), query={"format": "json"}
    ),
    ("GET", "/facilitator/workshops/<int:workshop_id>/summary-state"): Route(managed(json=True)),
    ("POST", "/facilitator/workshops/<int:workshop_id>/notes"): Route(
        managed(json=True), json={"notes": "We ran long."}
    ),
    ("POST", "/facilitator/workshops/<int:workshop_id>/publish"): Route(
        managed(json=True), state="ended", json={}
    ),
    ("POST", "/facilitator/workshops/<int:workshop_id>/unpublish"): Route(
        managed(json=True), state="published", json={}
    ),
    ("POST", "/facilitator/workshops/<int:workshop_id>/purge"): Route(
        managed(json=True), state="ended", json={"confirm": True}
    ),
    ("POST", "/facilitator/workshops/<int:workshop_id>/export-then-purge"): Route(
        managed(json=True), state="ended", json={"confirm": True, "format": "json"}
    ),
    ("POST", "/facilitator/workshops/<int:workshop_id>/retention"): Route(
        managed(json=True), json={"purge_after_days": 10}
    ),
    # The JSON API: a bearer token.
    ("GET", "/api/v1/plans"): Route(bearer()),
    ("POST", "/api/v1/plans"): Route(
        bearer(ok(201)), body=PLAN_YAML, content_type="application/yaml"
    ),
    ("POST", "/api/v1/plans/import"): Route(bearer(), body=ARTICLE, content_type="text/markdown"),
    ("POST", "/api/v1/workshops"): Route(
        bearer(ok(201)), json=lambda w: {"plan": w.plan_id, "settings": {"min_group": 3}}
    ),
    ("GET", "/api/v1/workshops/<int:workshop_id>"): Route(bearer_managed()),
    ("POST", "/api/v1/workshops/<int:workshop_id>/actions"): Route(
        bearer_managed(), state="live", json={"action": "reveal"}
    ),
    ("GET", "/api/v1/workshops/<int:workshop_id>/export"): Route(
        bearer_managed(), query={"format": "csv"}
    ),
    # Series: any facilitator starts and lists their own; one series is its owner's alone.
    ("POST", "/api/v1/series"): Route(bearer(ok(201)), json={"title": "Matrix group"}),
    ("GET", "/api/v1/series"): Route(bearer()),
    ("GET", "/api/v1/series/<int:series_id>"): Route(series_owner(json=True)),
    ("GET", "/api/v1/series/<int:series_id>/export"): Route(
        series_owner(json=True), query={"format": "csv"}
    ),
}


@dataclass(frozen=True)
class SocketEvent:
    """One event of one namespace (`connect` included) and what each role gets."""

    outcomes: dict[str, Outcome]
    state: str = "live"
    payload: Value = None


def phone_event(payload: Value, state: str = "live") -> SocketEvent:
    """A phone event: anyone with the code may send it (the code is on the projector)."""
    return SocketEvent(
        {**public(SOCKET_OK), ANON: refused(None, "unknown_code")}, state=state, payload=payload
    )


def control_room(outcome: Outcome = SOCKET_OK) -> dict[str, Outcome]:
    """The /facilitator namespace: the owner and the co-facilitators."""
    return {
        **dict.fromkeys(ROLES, refused(None, "unauthorized")),
        OTHER: refused(None, "forbidden"),
        REMOVED: refused(None, "forbidden"),
        CO: outcome,
        OWNER: outcome,
    }


def _new_msg_id(_w: Any) -> str:
    import secrets

    return secrets.token_hex(8)


SOCKET_EVENTS: dict[tuple[str, str], SocketEvent] = {
    ("/participant", "connect"): phone_event(None, state="lobby"),
    ("/participant", "answer"): phone_event(
        lambda w: {"activity_id": w.activity("choice").id, "value": 0, "msg_id": _new_msg_id(w)}
    ),
    ("/participant", "pass"): phone_event(
        lambda w: {"activity_id": w.activity("choice").id, "msg_id": _new_msg_id(w)}
    ),
    ("/participant", "retract"): phone_event(lambda w: {"activity_id": w.activity("choice").id}),
    ("/participant", "ask"): phone_event(lambda w: {"text": "Why?", "msg_id": _new_msg_id(w)}),
    ("/participant", "upvote"): phone_event(
        lambda w: {"question_id": w.question_id}, state="approved"
    ),
    ("/participant", "signal"): phone_event({"kind": "break"}),
    ("/participant", "react"): phone_event({"emoji": "💛"}),
    ("/facilitator", "connect"): SocketEvent(control_room()),
    # The removed co-facilitator's control room was open before the removal.
    ("/facilitator", "act"): SocketEvent(control_room(), payload={"action": "reveal"}),
    ("/present", "connect"): SocketEvent(
        {
            **control_room(),
            PROJECTOR: SOCKET_OK,
            REMOVED: refused(None, "not_found"),
        }
    ),
}


@dataclass(frozen=True)
class Action:
    """One facilitator action: the state it fits and its fields (beyond `action`)."""

    state: str = "live"
    fields: Value = None


FACILITATOR_ACTIONS: dict[str, Action] = {
    "start": Action("lobby"),
    "goto": Action(fields={"index": 2}),
    "next": Action(),
    "prev": Action(),
    "open": Action(),
    "close": Action(),
    "reveal": Action(),
    "hide": Action(),
    "timer": Action(fields={"seconds": 60}),
    "hide_word": Action("words", {"word": "trust"}),
    "show_word": Action("words", {"word": "trust"}),
    "resources": Action(fields=lambda w: {"resources": w.default_resources}),
    "qa_open": Action(),
    "qa_close": Action(),
    "qa_approve": Action("question", lambda w: {"question_id": w.question_id}),
    "qa_dismiss": Action("question", lambda w: {"question_id": w.question_id}),
    "qa_answered": Action("approved", lambda w: {"question_id": w.question_id}),
    "qa_restore": Action("dismissed", lambda w: {"question_id": w.question_id}),
    "qa_show": Action(),
    "qa_hide": Action(),
    "care_release": Action("held", lambda w: {"response_id": w.response_id}),
    "care_dismiss": Action("held_question", lambda w: {"question_id": w.question_id}),
    "approve": Action("moderation", lambda w: {"response_id": w.response_id}),
    "reject": Action("moderation", lambda w: {"response_id": w.response_id}),
    "restore_answer": Action("rejected", lambda w: {"response_id": w.response_id}),
    "lock": Action(),
    "unlock": Action(),
    "head_count": Action(fields={"count": 12}),
    # Only the team of a rehearsal may add simulated answers (hearth.services.rehearsal).
    "simulate": Action("rehearsal", {"count": 5}),
    "end": Action(),
}
# Who may act, through the API (every role) and through a control-room socket (those who
# can hold one; the removed co-facilitator's was opened before the removal).
ACTION_OUTCOMES = bearer_managed()
SOCKET_ACTORS = (CO, REMOVED, OWNER)


# --- completeness guards --------------------------------------------------------------------


def registered_routes(app: Any) -> set[tuple[str, str]]:
    """Every (method, rule) the app answers (HEAD and OPTIONS come with GET and every rule)."""
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }


def registered_events(app: Any) -> set[tuple[str, str]]:
    """Every event of every namespace registered on the Socket.IO server."""
    from hearth.extensions import socketio

    events: set[tuple[str, str]] = set()
    for namespace, handler in socketio.server.namespace_handlers.items():
        names = {
            n[3:] for n in dir(handler) if n.startswith("on_") and callable(getattr(handler, n))
        }
        # Events dispatched before Flask-SocketIO's handlers (ParticipantNamespace._direct).
        names |= set(getattr(handler, "_direct", {}))
        events |= {(namespace, name) for name in names - {"disconnect"}}
    for namespace, handlers in socketio.server.handlers.items():
        events |= {(namespace, name) for name in handlers if name != "disconnect"}
    return events


def registered_actions() -> set[str]:
    """Every action `act` and POST /actions accept."""
    from hearth.services import workshops

    return set(workshops.ACTIONS) | set(workshops.MODERATION_ACTIONS)


def _missing_and_stale(table: set[Any], registered: set[Any]) -> str:
    missing = sorted(registered - table)
    stale = sorted(table - registered)
    return f"rows missing for {missing}; rows for nothing registered: {stale}"


def test_every_route_has_a_row(app: Any) -> None:
    registered = registered_routes(app)
    assert set(ROUTES) == registered, _missing_and_stale(set(ROUTES), registered)


def test_every_socket_event_has_a_row(app: Any) -> None:
    registered = registered_events(app)
    assert set(SOCKET_EVENTS) == registered, _missing_and_stale(set(SOCKET_EVENTS), registered)


def test_every_facilitator_action_has_a_row() -> None:
    registered = registered_actions()
    table = set(FACILITATOR_ACTIONS)
    assert table == registered, _missing_and_stale(table, registered)


def test_every_row_names_every_role() -> None:
    rows = [*ROUTES.values(), *SOCKET_EVENTS.values()]
    for row in rows:
        assert set(row.outcomes) == set(ROLES), row
    assert set(ACTION_OUTCOMES) == set(ROLES)


# --- the world every cell runs in -----------------------------------------------------------

PLAN = [
    {"kind": "content", "title": "Agreements", "body": "What is said here stays here."},
    {"kind": "choice", "prompt": "What shakes trust most?", "options": ["Lies", "Silence"]},
    {"kind": "open", "prompt": "What helps?"},
    {"kind": "words", "prompt": "One word for trust", "max_words": 1},
]


@dataclass(frozen=True)
class Person:
    """A facilitator account of the world, with its API token."""

    id: int
    email: str
    api_token: str


@dataclass(frozen=True)
class Step:
    """One activity of the world's workshop."""

    id: int
    index: int


@dataclass
class World:
    """One workshop, its people and their credentials, arranged into a state for one cell.

    The world is built once per module into a template database; every cell starts on a
    fresh copy of it (see `app` below), so a cell that purges or deletes changes no other.
    """

    app: Any
    workshop_id: int
    code: str
    present_key: str
    plan_id: int
    people: dict[str, Person]
    steps: dict[str, Step]
    phone_token: str
    question_id: Any = None
    response_id: Any = None
    phrase_id: Any = None
    summary_key: str | None = None
    # The projector key before the removal (the removal gives the workshop a new one).
    seen_present_key: str = ""
    # The owner's series; the world's workshop is its first session.
    series_id: int = 0

    @property
    def default_resources(self) -> list[dict[str, str]]:
        from hearth.resources import DEFAULT_RESOURCES

        return [dict(item) for item in DEFAULT_RESOURCES]

    def phrase_removed(self) -> bool:
        """Whether the owner's safety phrase (state "phrase") is gone."""
        from hearth.extensions import db
        from hearth.models import SafetyPhrase

        with self.app.app_context():
            return db.session.get(SafetyPhrase, self.phrase_id) is None

    def activity(self, kind: str) -> Step:
        return self.steps[kind]

    def client(self, role: str) -> Any:
        """An HTTP client for a role: facilitators are logged in; a phone opened its page."""
        client = self.app.test_client()
        if role in FACILITATORS:
            with client.session_transaction() as session:
                # What flask-login's login_user stores (the login form is tested elsewhere).
                # "<id>.<session version>": a new account's version is 1.
                session["_user_id"] = f"{self.people[role].id}.1"
                session["_fresh"] = True
        elif role == PHONE:
            client.get(f"/j/{self.code}")
        return client

    def token(self, role: str) -> str:
        """What a role presents as a token: an API token, a phone's token, or the present key."""
        if role in FACILITATORS:
            return self.people[role].api_token
        if role == PHONE:
            return self.phone_token
        return self.present_key if role == PROJECTOR else ""

    def on_team(self, role: str) -> bool:
        """Whether a role's account is on the workshop's team now."""
        from hearth.extensions import db
        from hearth.models import WorkshopFacilitator

        with self.app.app_context():
            link = db.session.get(WorkshopFacilitator, (self.workshop_id, self.people[role].id))
            return link is not None

    def take_removed_off_team(self) -> None:
        """The owner removes the co-facilitator who plays REMOVED (after their sockets opened)."""
        from hearth.extensions import db
        from hearth.models import Facilitator, Workshop
        from hearth.services import workshops

        with self.app.app_context():
            workshop = db.session.get(Workshop, self.workshop_id)
            owner = db.session.get(Facilitator, self.people[OWNER].id)
            assert workshop is not None and owner is not None
            self.seen_present_key = self.seen_present_key or workshop.present_key
            workshops.remove_co_facilitator(workshop, owner, self.people[REMOVED].id)
            self.present_key = workshop.present_key


def _build_world(app: Any) -> World:
    """The owner's workshop (REMOVED still on the team), its people, plan and a phone's token."""
    from flask_socketio.test_client import SocketIOTestClient

    from hearth.extensions import db, socketio, writing
    from hearth.models import Plan
    from hearth.plans import validate_plan
    from hearth.services import accounts, workshops
    from hearth.services.series import create_series

    with app.app_context():
        people = {}
        for number, role in enumerate(FACILITATORS):
            email = f"{role.replace('_', '-')}{number}@example.org"
            account = accounts.create_facilitator(email, "matrix password", "matrix password")
            people[role] = Person(account.id, email, accounts.issue_api_token(email))
        owner = db.session.get(type(account), people[OWNER].id)
        document = validate_plan({"title": "Matrix", "slug": "matrix", "activities": PLAN})
        with writing():
            # The owner's own plan, for the plan routes.
            plan = Plan(**document, owner_id=owner.id)
            db.session.add(plan)
        series = create_series(owner, "Matrix group")
        workshop = workshops.create_workshop(
            plan, owner, min_group=3, purge_after_days=30, series_id=series.id
        )
        for role in (CO, REMOVED):
            workshops.add_co_facilitator(workshop, owner, people[role].email)
        steps = {a.kind: Step(a.id, a.position) for a in reversed(workshop.activities)}
        world = World(
            app, workshop.id, workshop.code, workshop.present_key, plan.id, people, steps, ""
        )
        world.series_id = series.id
    # A phone's token, as the server gives it (the participant role presents it everywhere).
    sock = SocketIOTestClient(app, socketio, namespace="/participant", auth={"code": world.code})
    welcome = next(e for e in sock.get_received("/participant") if e["name"] == "welcome")
    world.phone_token = welcome["args"][0]["token"]
    sock.disconnect("/participant")
    SocketIOTestClient.clients.pop(sock.eio_sid, None)
    return world


@pytest.fixture(scope="module")
def _matrix(
    tmp_path_factory: pytest.TempPathFactory, migrated_template: Path
) -> Iterator[tuple[Any, World, Path, Path]]:
    """One app for the whole matrix, its database file and the world's template of it."""
    import os

    from hearth import create_app
    from hearth.extensions import db
    from hearth.services import accounts

    folder = tmp_path_factory.mktemp("matrix")
    database, template = folder / "matrix.db", folder / "world.db"
    shutil.copyfile(migrated_template, database)
    with pytest.MonkeyPatch.context() as patch:
        for key in [k for k in os.environ if k.startswith("HEARTH_")]:
            patch.delenv(key)
        patch.setenv("HEARTH_INSTANCE", str(folder / "instance"))
        patch.setattr(accounts, "PASSWORD_METHOD", "pbkdf2:sha256:1")
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "matrix-secret-key-that-is-long-enough-for-hmac",
                "DATABASE_URL": f"sqlite:///{database}",
                "ASYNC_MODE": "threading",
                "PUBLIC_URL": "http://hearth.test",
                "HEARTH_TICKER": False,
                "WTF_CSRF_ENABLED": False,
            }
        )
        world = _build_world(app)
        with app.app_context():
            db.engine.dispose()
        shutil.copyfile(database, template)
        yield app, world, database, template
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(_matrix: tuple[Any, World, Path, Path]) -> Any:
    """The matrix's app, on a fresh copy of the world's database (overrides conftest's `app`)."""
    from hearth.extensions import db

    app, _, database, template = _matrix
    with app.app_context():
        db.engine.dispose()
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, database)
    return app


@pytest.fixture
def world(app: Any, _matrix: tuple[Any, World, Path, Path]) -> World:
    """The world of one cell (a copy: a cell's question or response ids stay its own)."""
    return replace(_matrix[1])


@pytest.fixture
def arrange(world: World, phone: Callable[..., Any]) -> Callable[[str], None]:
    """Bring the workshop into a named state (the `state` of a row)."""
    from sqlalchemy import select

    from hearth.extensions import db, writing
    from hearth.models import Facilitator, Question, Response, Workshop
    from hearth.services import care, retention, workshops

    def act(action: str, **fields: Any) -> None:
        with world.app.app_context():
            workshops.perform_action(world.workshop_id, {"action": action, **fields})

    def go_to(kind: str) -> None:
        act("start")
        act("goto", index=world.activity(kind).index)

    def run(state: str) -> None:
        if state in ("live", "ended", "published"):
            go_to("choice")
        if state in ("ended", "published"):
            act("end")
        if state == "published":
            with world.app.app_context():
                workshop = db.session.get(Workshop, world.workshop_id)
                retention.publish_summary(workshop)
                world.summary_key = workshop.summary_key
        if state == "rehearsal":
            with world.app.app_context(), writing():
                db.session.get(Workshop, world.workshop_id).rehearsal = True
            go_to("choice")
        if state == "words":
            go_to("words")
            assert phone(world.code).answer(world.activity("words"), ["trust"])["ok"]
        if state in ("question", "approved", "dismissed"):
            go_to("choice")
            assert phone(world.code).call("ask", {"text": "What now?", "msg_id": "q-1"})["ok"]
            with world.app.app_context():
                world.question_id = db.session.scalar(select(Question.id))
            if state == "approved":
                act("qa_approve", question_id=world.question_id)
            if state == "dismissed":
                act("qa_dismiss", question_id=world.question_id)
        if state in ("moderation", "rejected", "held"):
            go_to("open")
            text = "I want to die" if state == "held" else "Listening."
            assert phone(world.code).answer(world.activity("open"), text)["ok"]
            with world.app.app_context():
                world.response_id = db.session.scalar(select(Response.id))
            if state == "rejected":
                act("reject", response_id=world.response_id)
        if state == "held_question":
            go_to("choice")
            ask = {"text": "What if I hurt myself?", "msg_id": "q-held"}
            assert phone(world.code).call("ask", ask)["ok"]
            with world.app.app_context():
                world.question_id = db.session.scalar(select(Question.id))
        if state == "phrase":
            with world.app.app_context():
                owner = db.session.get(Facilitator, world.people[OWNER].id)
                world.phrase_id = care.add_phrase(owner, "abuse", "locks me in").id

    return run


# --- the cells ------------------------------------------------------------------------------


def _cells(table: dict[Any, Any], roles: tuple[str, ...] = ROLES) -> list[Any]:
    """One pytest param per (row, role), with the expected outcome in the test id."""
    params = []
    for key, row in table.items():
        name = " ".join(key) if isinstance(key, tuple) else key
        outcomes = getattr(row, "outcomes", ACTION_OUTCOMES)
        for role in roles:
            outcome = outcomes[role]
            marks = [pytest.mark.xfail(strict=True, reason=outcome.gap)] if outcome.gap else []
            params.append(pytest.param(key, role, id=f"{name} | {role} -> {outcome}", marks=marks))
    return params


def _value(value: Value, w: World) -> Any:
    return value(w) if callable(value) else value


def _path(rule: str, route: Route, w: World, role: str) -> str:
    """The rule with its placeholders filled in for this role."""
    import re

    values: dict[str, Any] = {
        "workshop_id": w.workshop_id,
        "plan_id": w.plan_id,
        "series_id": w.series_id,
        "code": w.code,
        "token": "not-a-setup-token",
        "key": w.summary_key if rule.startswith("/s/") else _present_key(w, role),
    }
    values.update({name: _value(v, w) for name, v in route.params.items()})
    return re.sub(r"<(?:[a-z]+:)?(\w+)>", lambda m: str(values[m.group(1)]), rule)


def _assert_refusal_body(response: Any, outcome: Outcome) -> None:
    """A refusal is the documented JSON error (when JSON was asked for) and never a traceback."""
    text = response.get_data(as_text=True)
    assert "Traceback" not in text
    if outcome.code is not None:
        body = response.get_json(silent=True)
        assert body is not None, f"expected a JSON error, got {text[:200]}"
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
        assert body["error"]["code"] == outcome.code, body


@pytest.mark.parametrize(("key", "role"), _cells(ROUTES))
def test_route(key: tuple[str, str], role: str, world: World, arrange: Any) -> None:
    method, rule = key
    route = ROUTES[key]
    expected = route.outcomes[role]
    arrange(route.state)
    world.take_removed_off_team()
    headers = {"Accept": "application/json"}
    if rule.startswith("/api/"):
        headers["Authorization"] = f"Bearer {world.token(role)}"
    kwargs: dict[str, Any] = {"headers": headers, "query_string": _value(route.query, world)}
    if route.json is not None:
        kwargs["json"] = _value(route.json, world)
    elif route.data is not None:
        kwargs["data"] = _value(route.data, world)
    elif route.body is not None:
        kwargs["data"] = _value(route.body, world).encode()
        kwargs["content_type"] = route.content_type
    before = route.effect(world) if route.effect else None
    response = world.client(role).open(_path(rule, route, world, role), method=method, **kwargs)
    response.close()  # a static file's handle
    assert response.status_code == expected.status, response.get_data(as_text=True)[:300]
    if expected.redirect:
        assert response.headers["Location"].startswith(expected.redirect)
    if not expected.allowed:
        _assert_refusal_body(response, expected)
    if route.effect is not None:
        assert before is False
        assert route.effect(world) is expected.allowed


def _socket_auth(namespace: str, role: str, w: World) -> dict[str, Any]:
    """What a role presents to a namespace: the code, a login cookie, a token or the key."""
    if namespace == "/participant":
        return {} if role == ANON else {"code": w.code}
    if namespace == "/present" and role in (PROJECTOR, REMOVED):
        return {"key": _present_key(w, role)}
    auth: dict[str, Any] = {"workshop_id": w.workshop_id}
    if role in (PHONE, PROJECTOR):
        auth["token"] = w.token(role)  # neither a phone's token nor the key is a login
    return auth


def _open_socket(socket_client: Callable[..., Any], namespace: str, role: str, w: World) -> Any:
    cookie = w.client(role) if role in FACILITATORS else None
    return socket_client(namespace, _socket_auth(namespace, role, w), cookie)


def _assert_ack(ack: Any, expected: Outcome) -> None:
    assert isinstance(ack, dict), ack
    if expected.allowed:
        assert ack.get("ok") is True, ack
    else:
        assert ack.get("ok") is False and ack["error"]["code"] == expected.code, ack


@pytest.mark.parametrize(("key", "role"), _cells(SOCKET_EVENTS))
def test_socket_event(
    key: tuple[str, str], role: str, world: World, arrange: Any, socket_client: Any
) -> None:
    namespace, event = key
    row = SOCKET_EVENTS[key]
    expected = row.outcomes[role]
    arrange(row.state)
    # The removed co-facilitator's sockets for events were opened while still on the team;
    # a connect of theirs is a new one, after the removal.
    if event == "connect" or role != REMOVED:
        world.take_removed_off_team()
    sock = _open_socket(socket_client, namespace, role, world)
    if event != "connect" and role == REMOVED:
        assert sock.alive
        world.take_removed_off_team()
        if not sock.alive:  # the removal put their control room out at once: refused too
            assert not expected.allowed
            return
    if event == "connect" or not sock.alive:
        if expected.allowed:
            assert sock.alive, sock.refusal
        else:
            assert not sock.alive
            assert sock.refusal is not None and sock.refusal["code"] == expected.code
        if event == "connect" or not expected.allowed:
            return
    _assert_ack(sock.call(event, _value(row.payload, world)), expected)


@pytest.mark.parametrize(("key", "role"), _cells(FACILITATOR_ACTIONS))
def test_action_through_the_api(key: str, role: str, world: World, arrange: Any) -> None:
    action = FACILITATOR_ACTIONS[key]
    expected = ACTION_OUTCOMES[role]
    arrange(action.state)
    world.take_removed_off_team()
    response = world.client(role).post(
        f"/api/v1/workshops/{world.workshop_id}/actions",
        json={"action": key, **(_value(action.fields, world) or {})},
        headers={"Authorization": f"Bearer {world.token(role)}"},
    )
    assert response.status_code == expected.status, response.get_json()
    if expected.allowed:
        assert response.get_json()["ok"] is True
    else:
        _assert_refusal_body(response, expected)


@pytest.mark.parametrize(("key", "role"), _cells(FACILITATOR_ACTIONS, SOCKET_ACTORS))
def test_action_through_the_control_room(
    key: str, role: str, world: World, arrange: Any, socket_client: Any
) -> None:
    action = FACILITATOR_ACTIONS[key]
    expected = ACTION_OUTCOMES[role]
    arrange(action.state)
    sock = _open_socket(socket_client, "/facilitator", role, world)
    assert sock.alive, sock.refusal
    world.take_removed_off_team()
    if not sock.alive:  # a removed co-facilitator's socket may be closed at once: refused too
        assert not expected.allowed
        return
    ack = sock.call("act", {"action": key, **(_value(action.fields, world) or {})})
    _assert_ack(ack, expected)


# --- what an open socket hears after its holder is taken off the team ---------------------

OPEN_PROJECTOR = (
    "a projector opened before the removal stays in the workshop's projector room: the new "
    "present key stops a reconnect, not a socket already open"
)
# (namespace, how the socket was opened) -> a known gap, or None once it hears nothing more.
OPEN_SOCKETS: dict[tuple[str, str], str | None] = {
    ("/facilitator", "login"): None,
    ("/present", "login"): OPEN_PROJECTOR,
    ("/present", "key"): OPEN_PROJECTOR,
}


@pytest.mark.parametrize(
    ("namespace", "credential"),
    [
        pytest.param(*key, marks=[pytest.mark.xfail(strict=True, reason=why)] if why else [])
        for key, why in OPEN_SOCKETS.items()
    ],
)
def test_an_open_socket_of_a_removed_co_facilitator_hears_nothing_more(
    namespace: str, credential: str, world: World, arrange: Any, socket_client: Any
) -> None:
    from hearth import realtime
    from hearth.services import workshops

    arrange("live")
    if credential == "key":
        sock = socket_client(namespace, {"key": world.present_key})
    else:
        auth = {"workshop_id": world.workshop_id}
        sock = socket_client(namespace, auth, world.client(REMOVED))
    assert sock.alive, sock.refusal
    sock.get_received(namespace)
    world.take_removed_off_team()
    with world.app.app_context():
        workshops.perform_action(world.workshop_id, {"action": "reveal"})
        realtime.flush()
    heard = sock.get_received(namespace) if sock.alive else []
    assert [event["name"] for event in heard] == []
