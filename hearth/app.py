"""The application factory: it only composes (configuration, extensions, each side, the commands,
the web plumbing); what it composes lives in its own module (docs/architecture.md, Layers)."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

import facilitator
import participant
from hearth import cli, i18n, realtime, web
from hearth.broadcast import client_manager
from hearth.bundle import asset_path, default_data_dir
from hearth.config import load_settings, make_private_database_file
from hearth.extensions import csrf, db, login_manager, socketio
from hearth.json_guard import SocketJSON, SocketPacket, guard_requests
from hearth.logs import log_faults_without_messages

# Socket.IO messages are capped so that one phone cannot make the server buffer megabytes.
MAX_MESSAGE_BYTES = 64 * 1024


def build_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create and configure the Hearth application."""
    instance = Path(os.environ.get("HEARTH_INSTANCE") or default_data_dir())
    app = Flask(
        __name__,
        static_folder=str(asset_path("static")),
        template_folder=str(asset_path("templates")),
        instance_path=str(instance.resolve()),
    )
    app.request_class = web.HearthRequest
    settings = load_settings(Path(app.instance_path), test_config)
    _configure(app, settings, test_config or {})
    _init_database(app)
    login_manager.init_app(app)
    csrf.init_app(app)
    _init_socketio(app, settings)
    realtime.init_app(app)
    _trust_proxies(app, settings["TRUSTED_PROXIES"])
    guard_requests(app)
    i18n.init_app(app)
    participant.register(app)
    facilitator.register(app)
    cli.register(app)
    web.register_errors(app)
    web.register_health(app)
    web.register_headers(app)
    _configure_logs(app)
    return app


def _configure(app: Flask, settings: dict[str, Any], test_config: dict[str, Any]) -> None:
    """Flask's keys from the settings, then every setting as HEARTH_<NAME>."""
    app.config.update(
        SECRET_KEY=settings["SECRET_KEY"],
        SQLALCHEMY_DATABASE_URI=settings["DATABASE_URL"],
        SQLALCHEMY_ENGINE_OPTIONS=_engine_options(settings["DATABASE_URL"]),
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=web.is_https(settings["PUBLIC_URL"]),
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        JSON_SORT_KEYS=False,
    )
    app.config.update({f"HEARTH_{key}": value for key, value in settings.items()})
    # Flask's own keys in a test config (TESTING, WTF_CSRF_ENABLED, ...) go straight through.
    app.config.update({k: v for k, v in test_config.items() if k not in settings})


def _init_socketio(app: Flask, settings: dict[str, Any]) -> None:
    """Socket.IO with the configured async mode, message queue and the JSON guard."""
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


def _configure_logs(app: Flask) -> None:
    """Keep client addresses and user text out of the logs; turn on the access log if asked."""
    log_faults_without_messages()
    for name in ("werkzeug", "engineio", "socketio", "engineio.server", "socketio.server"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if app.config["HEARTH_ACCESS_LOG"]:
        web.access_log.setLevel(logging.INFO)
        if not web.access_log.handlers:
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter("%(asctime)s access %(message)s"))
            web.access_log.addHandler(handler)
