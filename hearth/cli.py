"""The `hearth` command: serve, database, accounts, tokens (click, under a FlaskGroup)."""

from __future__ import annotations

import socket

import click
from alembic import command as alembic_command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from hearth import create_app
from hearth.bundle import asset_path
from hearth.errors import HearthError


def alembic_config() -> AlembicConfig:
    """Alembic's configuration, pointed at migrations/ (env.py uses the app's engine)."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(asset_path("migrations")))
    return config


def upgrade_database() -> None:
    """Bring the database schema up to date and load the built-in plans."""
    from hearth.plans import load_builtin_plans

    alembic_command.upgrade(alembic_config(), "head")
    load_builtin_plans()


@click.group("db", cls=AppGroup)
def db_group() -> None:
    """Database schema (Alembic)."""


@db_group.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration and load the built-in plans (safe to repeat)."""
    upgrade_database()
    click.echo("Database is up to date.")


@db_group.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
def db_revision(message: str) -> None:
    """Generate a migration from the models (for developers)."""
    alembic_command.revision(alembic_config(), message=message, autogenerate=True)


@click.group("facilitator", cls=AppGroup)
def facilitator_group() -> None:
    """Facilitator accounts."""


@facilitator_group.command("create")
@click.argument("email")
@click.option("--name", default="", help="Name shown to co-facilitators.")
@click.password_option(help="At least 10 characters; asked twice (can be piped).")
def facilitator_create(email: str, name: str, password: str) -> None:
    """Create a facilitator account."""
    from hearth.services.accounts import create_facilitator

    try:
        create_facilitator(email, password, password, name)
    except HearthError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Created facilitator {email.strip().lower()}.")


@click.group("token", cls=AppGroup)
def token_group() -> None:
    """API bearer tokens."""


@token_group.command("create")
@click.argument("email")
def token_create(email: str) -> None:
    """Print a new bearer token for /api/v1 (the last line of output)."""
    from hearth.services.accounts import issue_api_token

    try:
        token = issue_api_token(email)
    except HearthError as error:
        raise click.ClickException(error.message) from None
    click.echo("Keep this token secret; it acts as you on /api/v1:", err=True)
    click.echo(token)


@click.command("serve")
@with_appcontext
@click.option("--host", default=None, help="Address to listen on (HEARTH_HOST, default 0.0.0.0).")
@click.option("--port", default=None, type=int, help="Port (HEARTH_PORT, default 5000).")
def serve(host: str | None, port: int | None) -> None:
    """Run Hearth (room mode by default) with the configured async server."""
    from hearth.extensions import socketio
    from hearth.memory import collector
    from hearth.network import public_url
    from hearth.realtime import ensure_ticker
    from hearth.services.accounts import issue_setup_token

    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if port is not None:
        app.config["HEARTH_PORT"] = port
    host = host or app.config["HEARTH_HOST"]
    port = int(app.config["HEARTH_PORT"])
    upgrade_database()
    base = public_url()
    click.echo(f"\n  Hearth is running. Participants join at: {base}/")
    click.echo(f"  Facilitators: {base}/facilitator/")
    setup_token = issue_setup_token()
    if setup_token:
        click.echo(f"\n  First run: create your account at {base}/facilitator/setup/{setup_token}")
        click.echo("  (this link works once; restart Hearth for a new one)")
    click.echo("")
    ensure_ticker(app)
    # What start-up built lives as long as the process: freeze it, and take over the full
    # garbage collections (hearth/memory.py). Only here, not under another WSGI server.
    collector.take_over()
    if app.config["HEARTH_ASYNC_MODE"] == "eventlet":
        serve_eventlet(app, host, port)
    else:
        socketio.run(app, host=host, port=port, log_output=False, allow_unsafe_werkzeug=True)


# A hall of phones reconnecting at once after a Wi-Fi blip overflows the default backlog (50):
# the kernel drops the connections and phones wait for their retry.
LISTEN_BACKLOG = 2048


def serve_eventlet(app: Flask, host: str, port: int) -> None:
    """Serve with eventlet, as socketio.run does, but with a deep listen backlog."""
    import eventlet
    import eventlet.wsgi

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = eventlet.listen((host, port), family=family, backlog=LISTEN_BACKLOG)
    # eventlet accepts 1,024 connections by default; a keynote needs more.
    eventlet.wsgi.server(
        listener, app, log_output=False, max_size=int(app.config["HEARTH_MAX_CONNECTIONS"])
    )


def register(app: Flask) -> None:
    """Add the commands to app.cli (the `hearth` group and test_cli_runner find them there)."""
    from hearth.export_commands import export, purge
    from hearth.plan_commands import plan_group

    for command in (db_group, facilitator_group, token_group, serve, export, purge, plan_group):
        app.cli.add_command(command)


cli = FlaskGroup(
    name="hearth",
    create_app=lambda: create_app(),
    add_default_commands=False,
    load_dotenv=False,
    help="Hearth: live, anonymous facilitation for counselling workshops.",
)
