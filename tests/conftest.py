"""Fixtures for the unit and socket tests: an app on a migrated temporary SQLite file,
facilitators, workshops, and Socket.IO test clients for phones, control rooms and projectors.

Nothing from Flask, SQLAlchemy or Socket.IO is imported at module level: this file is also
loaded for tests/e2e, whose real-server tests must monkey-patch before those imports happen.

Socket tests follow docs/engineering.md: no app context is held while socket events are driven
(a handler would reuse it and share its database session). Helpers that need the database
open and close their own context.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient, FlaskCliRunner

SECRET_KEY = "test-secret-key-that-is-long-enough-for-hmac"
PASSWORD = "correct horse battery"
PUBLIC_URL = "http://hearth.test"
BUILTIN_PLAN = "rebuilding-trust"

_emails = itertools.count(1)
_msg_ids = itertools.count(1)


def _new_msg_id() -> str:
    """A msg_id no other message of the session uses."""
    return f"msg-{next(_msg_ids)}"


# --- the app ------------------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker that adds settings to the `app` fixture's test config."""
    config.addinivalue_line(
        "markers", "app_config(**settings): extra test config for the `app` fixture"
    )
    config.addinivalue_line(
        "markers", "real_password_hashing: keep scrypt instead of the tests' cheap hash"
    )


def _clear_hearth_environment(monkeypatch: pytest.MonkeyPatch, instance: Path) -> None:
    """Keep the developer's own HEARTH_* settings out of the tests; use a private instance."""
    for key in list(os.environ):
        if key.startswith("HEARTH_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("HEARTH_INSTANCE", str(instance))


def _test_config(database: Path, **overrides: Any) -> dict[str, Any]:
    """The test configuration: a SQLite file (never in-memory: docs/engineering.md), no ticker."""
    return {
        "TESTING": True,
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": f"sqlite:///{database}",
        "ASYNC_MODE": "threading",
        "PUBLIC_URL": PUBLIC_URL,
        # ensure_ticker reads app.config["HEARTH_TICKER"]; tests call realtime.flush().
        "HEARTH_TICKER": False,
        "WTF_CSRF_ENABLED": False,
        **overrides,
    }


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated once by hearth.cli.upgrade_database(); each test starts on a copy.

    The schema and the built-in plans come from Alembic and plans/*.yaml, exactly as
    `hearth db upgrade` makes them; copying a file is much cheaper than migrating per test.
    """
    from hearth import create_app
    from hearth.cli import upgrade_database
    from hearth.extensions import db

    folder = tmp_path_factory.mktemp("migrated")
    template = folder / "template.db"
    with pytest.MonkeyPatch.context() as patch:
        _clear_hearth_environment(patch, folder / "instance")
        app = create_app(_test_config(template))
        with app.app_context():
            upgrade_database()
            db.engine.dispose()
    assert not Path(f"{template}-wal").exists(), "the template must be checkpointed"
    return template


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """The SQLite file of this test."""
    return tmp_path / "hearth-test.db"


@pytest.fixture
def make_app(
    tmp_path: Path, db_path: Path, migrated_template: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Flask]]:
    """A factory for apps with the test configuration plus overrides.

    With `migrate=True` the database is a copy of the migrated template (or, if the test's
    file already exists or is elsewhere, brought up to date with upgrade_database()).
    """
    from hearth import create_app
    from hearth.cli import upgrade_database
    from hearth.extensions import db

    _clear_hearth_environment(monkeypatch, tmp_path / "instance")
    apps: list[Flask] = []

    def make(*, migrate: bool = True, **overrides: Any) -> Flask:
        config = _test_config(db_path, **overrides)
        if migrate and config["DATABASE_URL"] == f"sqlite:///{db_path}" and not db_path.exists():
            shutil.copyfile(migrated_template, db_path)
            migrate = False
        app = create_app(config)
        if migrate:
            with app.app_context():
                upgrade_database()
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def _outside_e2e(request: pytest.FixtureRequest) -> bool:
    """Real-server tests (tests/e2e) run in their own process and manage their own state."""
    return "e2e" not in request.node.path.parts


@pytest.fixture(autouse=True)
def _cheap_password_hashing(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """scrypt costs ~0.1 s of CPU per hash by design; tests use one PBKDF2 round instead,
    except those marked `real_password_hashing` (test_accounts.py checks scrypt is used)."""
    if _outside_e2e(request) and not request.node.get_closest_marker("real_password_hashing"):
        from hearth.services import accounts

        monkeypatch.setattr(accounts, "PASSWORD_METHOD", "pbkdf2:sha256:1")


@pytest.fixture
def app(make_app: Callable[..., Flask], request: pytest.FixtureRequest) -> Flask:
    """The application, with CSRF off and the ticker off (`@pytest.mark.app_config` adds more).

    Only one app per test may drive sockets: each create_app re-binds the shared SocketIO.
    """
    marker = request.node.get_closest_marker("app_config")
    return make_app(**(marker.kwargs if marker else {}))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """An HTTP test client."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A runner for the `hearth` CLI commands."""
    return app.test_cli_runner()


@pytest.fixture
def hearth_cli(runner: FlaskCliRunner) -> Callable[..., Any]:
    """Run a `hearth` command the way the console script does (through its FlaskGroup)."""
    from hearth.console import cli

    def invoke(*args: str, input: str | None = None) -> Any:
        return runner.invoke(cli, list(args), input=input)

    return invoke


@pytest.fixture(autouse=True)
def _fresh_hub_and_limits(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test starts with no dirty flags, no connected phones and no rate-limit counts."""
    if not _outside_e2e(request):
        yield
        return

    def reset() -> None:
        from hearth import throttle
        from hearth.realtime import hub
        from hearth.services import responses
        from participant import events

        hub.reset()
        throttle.reset_limits()
        responses._waiting.clear()
        events._phones.clear()

    reset()
    yield
    reset()


@pytest.fixture
def flush(app: Flask) -> Callable[[], int]:
    """Run one realtime tick now (the ticker is off in tests); returns messages emitted."""
    from hearth import realtime

    def run() -> int:
        with app.app_context():
            return realtime.flush()

    return run


# --- facilitators -------------------------------------------------------------------------


@dataclass
class FacilitatorInfo:
    """A facilitator made for a test."""

    id: int
    email: str
    password: str


@pytest.fixture
def make_facilitator(app: Flask) -> Callable[..., FacilitatorInfo]:
    """Create a facilitator account through the accounts service."""
    from hearth.services.accounts import create_facilitator

    def make(email: str | None = None, password: str = PASSWORD) -> FacilitatorInfo:
        email = email or f"counsellor{next(_emails)}@example.org"
        with app.app_context():
            facilitator = create_facilitator(email, password, password, "Counsellor")
            return FacilitatorInfo(facilitator.id, facilitator.email, password)

    return make


@pytest.fixture
def owner(make_facilitator: Callable[..., FacilitatorInfo]) -> FacilitatorInfo:
    """The facilitator who owns the workshops made by make_workshop."""
    return make_facilitator()


def log_in(client: FlaskClient, facilitator: FacilitatorInfo) -> None:
    """Log a test client in through the login form."""
    response = client.post(
        "/facilitator/login", data={"email": facilitator.email, "password": facilitator.password}
    )
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture
def logged_in_client(app: Flask) -> Callable[[FacilitatorInfo], FlaskClient]:
    """A new test client logged in as a facilitator."""

    def make(facilitator: FacilitatorInfo) -> FlaskClient:
        client = app.test_client()
        log_in(client, facilitator)
        return client

    return make


@pytest.fixture
def facilitator_client(
    owner: FacilitatorInfo, logged_in_client: Callable[[FacilitatorInfo], FlaskClient]
) -> FlaskClient:
    """A test client logged in as the owner."""
    return logged_in_client(owner)


@pytest.fixture
def make_api_token(app: Flask) -> Callable[[FacilitatorInfo], str]:
    """Issue a bearer token for a facilitator."""
    from hearth.services.accounts import issue_api_token

    def make(facilitator: FacilitatorInfo) -> str:
        with app.app_context():
            return issue_api_token(facilitator.email)

    return make


@pytest.fixture
def api_token(owner: FacilitatorInfo, make_api_token: Callable[[FacilitatorInfo], str]) -> str:
    """A bearer token of the owner."""
    return make_api_token(owner)


class Api:
    """A JSON client for /api/v1 with a bearer token."""

    def __init__(self, client: FlaskClient, token: str | None) -> None:
        self.client = client
        self.token = token

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str) -> Any:
        """GET /api/v1<path>."""
        return self.client.get(f"/api/v1{path}", headers=self._headers())

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        """POST JSON (or raw `data=`) to /api/v1<path>."""
        if "data" not in kwargs:
            kwargs["json"] = body
        return self.client.post(f"/api/v1{path}", headers=self._headers(), **kwargs)


@pytest.fixture
def api(client: FlaskClient, api_token: str) -> Api:
    """The JSON API as the owner."""
    return Api(client, api_token)


# --- workshops ----------------------------------------------------------------------------


@dataclass
class ActivityInfo:
    """One activity of a test workshop."""

    id: int
    index: int
    kind: str
    spec: dict[str, Any]


@dataclass
class WorkshopInfo:
    """A workshop made for a test, with its activities in order."""

    id: int
    code: str
    present_key: str
    title: str
    min_group: int
    activities: list[ActivityInfo] = field(default_factory=list)

    def first(self, kind: str, *, after: int = -1) -> ActivityInfo:
        """The first activity of a kind (after an index)."""
        return next(a for a in self.activities if a.kind == kind and a.index > after)


@pytest.fixture
def make_plan(app: Flask) -> Callable[..., str]:
    """Store a plan made of the given activities (validated like any plan); returns its slug."""
    from hearth.extensions import db, writing
    from hearth.models import Plan
    from hearth.plans import validate_plan

    slugs = itertools.count(1)

    def make(activities: list[dict[str, Any]], title: str = "Test plan") -> str:
        document = validate_plan(
            {"title": title, "slug": f"test-plan-{next(slugs)}", "activities": activities}
        )
        with app.app_context(), writing():
            db.session.add(Plan(**document))
        return str(document["slug"])

    return make


@pytest.fixture
def make_workshop(app: Flask, owner: FacilitatorInfo) -> Callable[..., WorkshopInfo]:
    """Create a workshop from the built-in plan through the workshops service."""
    from sqlalchemy import select

    from hearth.extensions import db
    from hearth.models import Facilitator, Plan
    from hearth.services import workshops

    def make(
        *, min_group: int = 3, by: FacilitatorInfo | None = None, plan: str = BUILTIN_PLAN
    ) -> WorkshopInfo:
        with app.app_context():
            facilitator = db.session.get(Facilitator, (by or owner).id)
            plan_row = db.session.scalar(select(Plan).where(Plan.slug == plan))
            assert facilitator is not None and plan_row is not None
            workshop = workshops.create_workshop(
                plan_row, facilitator, min_group=min_group, purge_after_days=30
            )
            return WorkshopInfo(
                id=workshop.id,
                code=workshop.code,
                present_key=workshop.present_key,
                title=workshop.title,
                min_group=workshop.min_group,
                activities=[
                    ActivityInfo(a.id, a.position, a.kind, dict(a.spec))
                    for a in workshop.activities
                ],
            )

    return make


@pytest.fixture
def act(app: Flask) -> Callable[..., None]:
    """Perform a facilitator action through the service (for arranging a test)."""
    from hearth.services.workshops import perform_action

    def run(workshop: WorkshopInfo, action: str, **fields: Any) -> None:
        with app.app_context():
            perform_action(workshop.id, {"action": action, **fields})

    return run


@pytest.fixture
def show(act: Callable[..., None]) -> Callable[[WorkshopInfo, ActivityInfo], None]:
    """Start the workshop if needed and go to an activity (which opens it the first time)."""

    def run(workshop: WorkshopInfo, activity: ActivityInfo) -> None:
        from hearth.errors import HearthError

        try:
            act(workshop, "start")
        except HearthError as error:
            assert error.code == "invalid_state"
        act(workshop, "goto", index=activity.index)

    return run


# --- sockets ------------------------------------------------------------------------------


def _socket_client_class() -> type:
    """SocketIOTestClient that also keeps the data of a refused connect."""
    from flask_socketio.test_client import SocketIOTestClient
    from socketio import packet

    class HearthSocketClient(SocketIOTestClient):
        """A Socket.IO test client bound to one namespace."""

        def __init__(self, app: Flask, socketio: Any, namespace: str, **kwargs: Any) -> None:
            self.ns = namespace
            self.connect_error: dict[str, Any] | None = None
            super().__init__(app, socketio, namespace=namespace, **kwargs)

        def connect(self, namespace: str | None = None, **kwargs: Any) -> None:
            """Connect, recording the CONNECT_ERROR data the server sends on refusal."""
            server = self.socketio.server
            deliver = server._send_packet

            def recording(eio_sid: str, pkt: Any) -> None:
                if eio_sid == self.eio_sid and pkt.packet_type == packet.CONNECT_ERROR:
                    self.connect_error = pkt.data
                deliver(eio_sid, pkt)

            server._send_packet = recording
            try:
                super().connect(namespace=namespace, **kwargs)
            finally:
                server._send_packet = deliver

        @property
        def refusal(self) -> dict[str, Any] | None:
            """The {code, message} a refused connect carried (the JS client's err.data)."""
            return (self.connect_error or {}).get("data")

        @property
        def alive(self) -> bool:
            """Whether the socket is connected to its namespace."""
            return self.is_connected(self.ns)

        def received(self, name: str | None = None) -> list[Any]:
            """Drain what arrived; return the first argument of each (named) event."""
            events = self.get_received(self.ns)
            return [e["args"][0] for e in events if name is None or e["name"] == name]

        def events(self) -> list[tuple[str, Any]]:
            """Drain what arrived as (name, payload) pairs."""
            return [(e["name"], e["args"][0]) for e in self.get_received(self.ns)]

        def call(self, event: str, data: Any = None) -> Any:
            """Emit an event and return its acknowledgement."""
            return self.emit(event, data, namespace=self.ns, callback=True)

        def answer(self, activity: ActivityInfo, value: Any, msg_id: str | None = None) -> Any:
            """Send `answer` for an activity and return the ack."""
            payload = {"activity_id": activity.id, "value": value}
            return self.call("answer", {**payload, "msg_id": msg_id or _new_msg_id()})

        def pass_on(self, activity: ActivityInfo, msg_id: str | None = None) -> Any:
            """Send `pass` for an activity and return the ack."""
            payload = {"activity_id": activity.id, "msg_id": msg_id or _new_msg_id()}
            return self.call("pass", payload)

    return HearthSocketClient


@pytest.fixture
def socket_client(app: Flask) -> Iterator[Callable[..., Any]]:
    """Open a Socket.IO test client on a namespace; all are disconnected after the test."""
    from flask_socketio.test_client import SocketIOTestClient

    from hearth.extensions import socketio

    client_class = _socket_client_class()
    opened: list[Any] = []

    def open_client(
        namespace: str, auth: Any = None, flask_test_client: FlaskClient | None = None
    ) -> Any:
        sock = client_class(
            app, socketio, namespace, auth=auth, flask_test_client=flask_test_client
        )
        opened.append(sock)
        return sock

    yield open_client
    for sock in opened:
        if sock.alive:
            sock.disconnect(sock.ns)
        SocketIOTestClient.clients.pop(sock.eio_sid, None)


@pytest.fixture
def phone(socket_client: Callable[..., Any]) -> Callable[..., Any]:
    """A phone on /participant: phone(code, token=None, auth=None, flask_test_client=None)."""

    def connect(
        code: Any = None,
        token: str | None = None,
        *,
        auth: Any = None,
        flask_test_client: FlaskClient | None = None,
    ) -> Any:
        if auth is None:
            auth = {"code": code} if token is None else {"code": code, "token": token}
        return socket_client("/participant", auth, flask_test_client)

    return connect


@pytest.fixture
def facilitator_socket(
    socket_client: Callable[..., Any], facilitator_client: FlaskClient
) -> Callable[..., Any]:
    """A control-room socket, authenticated by a logged-in client's cookie (the owner's)."""

    def connect(
        workshop: WorkshopInfo | int, flask_test_client: FlaskClient | None = None, **auth: Any
    ) -> Any:
        workshop_id = workshop if isinstance(workshop, int) else workshop.id
        return socket_client(
            "/facilitator",
            {"workshop_id": workshop_id, **auth},
            flask_test_client or facilitator_client,
        )

    return connect


@pytest.fixture
def present_socket(socket_client: Callable[..., Any]) -> Callable[..., Any]:
    """A projector socket, authenticated by the workshop's secret present key."""

    def connect(workshop: WorkshopInfo) -> Any:
        return socket_client("/present", {"key": workshop.present_key})

    return connect


@pytest.fixture
def crowd(phone: Callable[..., Any]) -> Callable[..., list[Any]]:
    """Connect n phones to a workshop, with their welcome and state already drained."""

    def connect(workshop: WorkshopInfo, n: int) -> list[Any]:
        phones = [phone(workshop.code) for _ in range(n)]
        for p in phones:
            assert p.alive
            p.received()
        return phones

    return connect
