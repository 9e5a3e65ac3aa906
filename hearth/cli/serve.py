"""`hearth serve`, and binding the port and running the server (room mode uses them too)."""

from __future__ import annotations

import errno
import socket
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from hearth.cli.database import upgrade_database


@click.command("serve")
@with_appcontext
@click.option("--host", default=None, help="Address to listen on (HEARTH_HOST, default 0.0.0.0).")
@click.option("--port", default=None, type=int, help="Port (HEARTH_PORT, default 5000).")
def serve(host: str | None, port: int | None) -> None:
    """Run Hearth (room mode by default) with the configured async server."""
    from hearth.network import public_url
    from hearth.services.accounts import issue_setup_token

    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if port is not None:
        app.config["HEARTH_PORT"] = port
    host = host or app.config["HEARTH_HOST"]
    port = int(app.config["HEARTH_PORT"])
    listener = open_listener(app, host, port)
    upgrade_database()
    base = public_url()
    click.echo(f"\n  Hearth is running. Participants join at: {base}/")
    click.echo(f"  Facilitators: {base}/facilitator/")
    setup_token = issue_setup_token()
    if setup_token:
        click.echo(f"\n  First run: create your account at {base}/facilitator/setup/{setup_token}")
        click.echo("  (this link works once, for 24 hours; restart Hearth for a new one)")
    click.echo("")
    serve_app(app, host, port, listener)


# A hall of phones reconnecting at once after a Wi-Fi blip overflows the default backlog (50):
# the kernel drops the connections and phones wait for their retry.
LISTEN_BACKLOG = 2048


def open_listener(app: Flask, host: str, port: int) -> Any:
    """Bind the port before anything else starts, so that a taken port stops with one sentence.

    Returns eventlet's listening socket; with gevent or threading, Flask-SocketIO binds the
    port itself later, so the port is only tried here and None is returned.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        if app.config["HEARTH_ASYNC_MODE"] == "eventlet":
            import eventlet

            # eventlet sets SO_REUSEPORT by default: a second server on the same port would
            # start, and the kernel would deal the phones out between the two.
            return eventlet.listen(
                (host, port), family=family, backlog=LISTEN_BACKLOG, reuse_port=False
            )
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            if hasattr(socket, "SO_REUSEPORT"):  # not on Windows, where it means something else
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
        return None
    except OSError as error:
        raise click.ClickException(port_problem(host, port, error)) from None


def port_problem(host: str, port: int, error: OSError) -> str:
    """One sentence saying why the port cannot be used, and what to do."""
    if error.errno == errno.EADDRINUSE:
        return (
            f"Port {port} is already in use by another program: start Hearth on another port, "
            f"for example with --port {port + 1}."
        )
    if error.errno == errno.EACCES:
        return (
            f"This user may not listen on port {port} (ports below 1024 need administrator "
            "rights): choose another port with --port."
        )
    return f"Hearth cannot listen on {host}:{port} ({error.strerror}): choose another --port."


def serve_app(app: Flask, host: str, port: int, listener: Any) -> None:
    """Run the server until it is stopped (Ctrl+C or a signal)."""
    from hearth.extensions import socketio
    from hearth.memory import collector
    from hearth.realtime import ensure_ticker

    ensure_ticker(app)
    # What start-up built lives as long as the process: freeze it, and take over the full
    # garbage collections (hearth/memory.py). Only here, not under another WSGI server.
    collector.take_over()
    if listener is not None:
        import eventlet.wsgi

        # eventlet accepts 1,024 connections by default; a keynote needs more.
        eventlet.wsgi.server(
            listener, app, log_output=False, max_size=int(app.config["HEARTH_MAX_CONNECTIONS"])
        )
    else:
        socketio.run(app, host=host, port=port, log_output=False, allow_unsafe_werkzeug=True)
