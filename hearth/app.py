"""The application factory: configuration, extensions, blueprints, namespaces, errors."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Request, Response, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy import event, text
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from hearth.broadcast import client_manager
from hearth.bundle import asset_path, default_data_dir
from hearth.config import load_settings, make_private_database_file
from hearth.errors import HearthError
from hearth.extensions import csrf, db, login_manager, socketio
from hearth.importer import MAX_ARTICLE_BYTES
from hearth.json_guard import SocketJSON, SocketPacket, guard_requests
from hearth.logs import log_faults_without_messages

# Socket.IO messages are capped so that one phone cannot make the server buffer megabytes.
MAX_MESSAGE_BYTES = 64 * 1024

# Every request is held to 2 MB (MAX_CONTENT_LENGTH) except an article to import, which may be
# a Word file or a PDF with pictures; its form may also carry the pasted text or HTML.
ARTICLE_PATHS = ("/api/v1/plans/import", "/facilitator/plans/import")


class HearthRequest(Request):
    """A request whose size limits are widened for the two article import routes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.path in ARTICLE_PATHS:
            self.max_content_length = 2 * MAX_ARTICLE_BYTES
            self.max_form_memory_size = MAX_ARTICLE_BYTES


# connect-src is filled in per app: 'self' and the public origin's WebSocket URL, no other host.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src {connect}; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)

# Two years, as browsers' preload lists expect; sent only when the public address is https.
HSTS = "max-age=63072000"


def build_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create and configure the Hearth application."""
    instance = Path(os.environ.get("HEARTH_INSTANCE") or default_data_dir())
    app = Flask(
        __name__,
        static_folder=str(asset_path("static")),
        template_folder=str(asset_path("templates")),
        instance_path=str(instance.resolve()),
    )
    app.request_class = HearthRequest
    settings = load_settings(Path(app.instance_path), test_config)
    app.config.update(
        SECRET_KEY=settings["SECRET_KEY"],
        SQLALCHEMY_DATABASE_URI=settings["DATABASE_URL"],
        SQLALCHEMY_ENGINE_OPTIONS=_engine_options(settings["DATABASE_URL"]),
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=_is_https(settings["PUBLIC_URL"]),
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        JSON_SORT_KEYS=False,
    )
    app.config.update({f"HEARTH_{key}": value for key, value in settings.items()})
    # Flask's own keys in a test config (TESTING, WTF_CSRF_ENABLED, ...) go straight through.
    app.config.update({k: v for k, v in (test_config or {}).items() if k not in settings})

    _init_database(app)
    login_manager.init_app(app)
    login_manager.login_view = "facilitator.login"
    login_manager.login_message = "Please log in to continue."
    csrf.init_app(app)
    socketio.init_app(
        app,
        async_mode=settings["ASYNC_MODE"],
        message_queue=settings["MESSAGE_QUEUE"],
        client_manager=client_manager(settings["MESSAGE_QUEUE"], settings["MESSAGE_QUEUE_CHANNEL"]),
        max_http_buffer_size=MAX_MESSAGE_BYTES,
        ping_interval=15,
        ping_timeout=10,
        transports=[t.strip() for t in settings["TRANSPORTS"].split(",") if t.strip()],
        logger=False,
        engineio_logger=False,
        json=SocketJSON,
        serializer=SocketPacket,
    )
    _trust_proxies(app, settings["TRUSTED_PROXIES"])
    guard_requests(app)

    from facilitator import api, plan_views  # noqa: F401  (plan_views: routes on facilitator bp)
    from facilitator import summary_views as _summary_views  # noqa: F401  (on facilitator bp)
    from facilitator import views as facilitator_views
    from participant import summary_views as _take_home_views  # noqa: F401  (on participant bp)
    from participant import views as participant_views

    app.register_blueprint(participant_views.bp)
    app.register_blueprint(facilitator_views.bp)
    app.register_blueprint(facilitator_views.present_bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)

    from facilitator.events import FacilitatorNamespace, PresentNamespace
    from participant.events import ParticipantNamespace

    socketio.on_namespace(ParticipantNamespace("/participant"))
    socketio.on_namespace(FacilitatorNamespace("/facilitator"))
    socketio.on_namespace(PresentNamespace("/present"))

    from hearth import cli

    cli.register(app)
    _register_errors(app)
    _register_health(app)
    _register_headers(app)
    _configure_logs(app)
    return app


def _is_https(public_url: str | None) -> bool:
    """True when people reach Hearth over https (server mode behind TLS)."""
    return bool(public_url) and str(public_url).lower().startswith("https://")


def _trust_proxies(app: Flask, hops: int) -> None:
    """Believe X-Forwarded-For/-Proto/-Host from `hops` reverse proxies, for pages and sockets.

    ProxyFix wraps the Socket.IO middleware (socketio.init_app put it on app.wsgi_app), so a
    socket's environ, and with it every rate limit, sees the phone's address, not nginx's.
    """
    if hops > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )


def _engine_options(url: str) -> dict[str, Any]:
    """Engine options per database: pool sizes suited to many short green-thread handlers.

    `hide_parameters`: a database error's text then names no values, so a logged error never
    carries an answer (docs/privacy.md).
    """
    if url.startswith("sqlite"):
        return {"pool_size": 8, "max_overflow": 32, "pool_timeout": 60, "hide_parameters": True}
    return {"pool_size": 10, "max_overflow": 20, "pool_pre_ping": True, "hide_parameters": True}


def _init_database(app: Flask) -> None:
    """Bind SQLAlchemy and set SQLite up for one writer under green threads."""
    # Answers live in this file: only Hearth's own user may read it (docs/privacy.md).
    make_private_database_file(app.config["SQLALCHEMY_DATABASE_URI"], Path(app.instance_path))
    db.init_app(app)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL so readers never wait; NORMAL sync (safe in WAL); secure_delete so purges are real."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")
    # Writes in this process are serialised by a green lock; this only covers another process
    # (a cron `hearth purge`) holding the write lock for a moment.
    cursor.execute("PRAGMA busy_timeout=2000")
    cursor.close()


# The take-home page (/s/<key>) counts too: its path holds a secret key.
PARTICIPANT_PATHS = ("/j/", "/join", "/privacy", "/exit", "/s/", "/socket.io", "/participant")


# Paths that carry a secret: the projector's key and the first-run setup token.
SECRET_PATHS = ("/present/", "/facilitator/setup/")


def is_participant_path(path: str) -> bool:
    """True for paths phones use; they are never access-logged (docs/privacy.md)."""
    return path == "/" or path.startswith(PARTICIPANT_PATHS)


def is_unlogged_path(path: str) -> bool:
    """True for paths the access log never records: phones' paths and secret-bearing ones."""
    return is_participant_path(path) or path.startswith(SECRET_PATHS)


def wants_json() -> bool:
    """True when the request is for the JSON API rather than a page."""
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(error: HearthError) -> tuple[Response | str, int]:
    """Render a HearthError as JSON for the API and as a page for people."""
    if wants_json():
        return jsonify(error.as_dict()), error.status
    return render_template("error.html", message=error.message), error.status


def _register_errors(app: Flask) -> None:
    """Every error becomes the shape of docs/protocol.md (or a page); never a traceback."""

    @app.errorhandler(HearthError)
    def handle_hearth_error(error: HearthError) -> tuple[Response | str, int]:
        return error_response(error)

    @app.errorhandler(CSRFError)
    def handle_csrf(error: CSRFError) -> tuple[Response | str, int]:
        return error_response(
            HearthError(
                "csrf_failed", "The form expired. Go back, reload the page and try again.", 400
            )
        )

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException) -> tuple[Response | str, int]:
        status = error.code or 500
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(
            status, "bad_request" if status < 500 else "server_error"
        )
        message = {
            404: "There is nothing at this address. Check the link or the code.",
            405: "That method is not allowed here.",
            413: "That upload is too large.",
        }.get(status, "The request could not be understood.")
        return error_response(HearthError(code, message, status))

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception) -> tuple[Response | str, int]:
        app.logger.exception("Unexpected error on %s %s", request.method, request.url_rule)
        return error_response(
            HearthError("server_error", "Something went wrong on our side. Please try again.", 500)
        )


def _register_health(app: Flask) -> None:
    """GET /healthz reports whether the database answers."""

    @app.get("/healthz")
    def healthz() -> tuple[Response, int]:
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:
            app.logger.warning("Health check: the database is unreachable")
            return jsonify({"ok": False, "database": "unreachable"}), 503
        return jsonify({"ok": True, "database": "ok"}), 200


def _register_headers(app: Flask) -> None:
    """Security and privacy headers on every response."""

    https = _is_https(app.config["HEARTH_PUBLIC_URL"])

    @app.after_request
    def add_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        if https:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if request.endpoint and not request.endpoint.endswith("static"):
            response.headers.setdefault("Cache-Control", "no-store")
        if app.config["HEARTH_ACCESS_LOG"] and not is_unlogged_path(request.path):
            # Method, path and status only: never the client address or user agent.
            access_log.info("%s %s %s", request.method, request.path, response.status_code)
        return response


def content_security_policy() -> str:
    """The CSP: sockets may connect to this origin and the public address only."""
    policy = current_app.extensions.get("hearth_csp")
    if policy is None:
        # Computed on first use: `hearth serve --port` sets the port after the app is built.
        from hearth.network import public_url

        origin = urlsplit(public_url())
        scheme = "wss" if origin.scheme == "https" else "ws"
        policy = CONTENT_SECURITY_POLICY.format(connect=f"'self' {scheme}://{origin.netloc}")
        current_app.extensions["hearth_csp"] = policy
    return str(policy)


access_log = logging.getLogger("hearth.access")


def _configure_logs(app: Flask) -> None:
    """Keep client addresses and user text out of the logs; turn on the access log if asked."""
    log_faults_without_messages()
    for name in ("werkzeug", "engineio", "socketio", "engineio.server", "socketio.server"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if app.config["HEARTH_ACCESS_LOG"]:
        access_log.setLevel(logging.INFO)
        if not access_log.handlers:
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter("%(asctime)s access %(message)s"))
            access_log.addHandler(handler)
