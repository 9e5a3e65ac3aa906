"""The `hearth` command: serve, database, accounts, tokens (click, under a FlaskGroup)."""

from __future__ import annotations

import errno
import os
import socket
from pathlib import Path
from typing import Any

import click
from alembic import command as alembic_command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from hearth import __version__, create_app
from hearth.bundle import asset_path
from hearth.errors import HearthError


def alembic_config() -> AlembicConfig:
    """Alembic's configuration, pointed at migrations/ (env.py uses the app's engine)."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(asset_path("migrations")))
    return config


def refuse_newer_database(config: AlembicConfig) -> None:
    """Stop, leaving the database untouched, if a newer Hearth has migrated it past our head."""
    from hearth.extensions import db

    known = {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    unknown = [revision for revision in current if revision not in known]
    if unknown:
        raise click.ClickException(
            f"This database was last used by a newer version of Hearth than {__version__} "
            f"(schema {unknown[0]}): install that version again, or start with another "
            "data folder (--data-dir)."
        )


def upgrade_database() -> None:
    """Bring the database schema up to date and load the built-in plans."""
    from hearth.plans import load_builtin_plans

    config = alembic_config()
    refuse_newer_database(config)
    alembic_command.upgrade(config, "head")
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


@facilitator_group.command("password")
@click.argument("email")
@click.password_option(help="At least 10 characters; asked twice (can be piped).")
def facilitator_password(email: str, password: str) -> None:
    """Set a new password; every session logged in with the old one ends."""
    from hearth.services.accounts import change_password

    try:
        change_password(email, password, password)
    except HearthError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"New password set for {email.strip().lower()}; its sessions were logged out.")


@click.group("token", cls=AppGroup)
def token_group() -> None:
    """API bearer tokens."""


@token_group.command("create")
@click.argument("email")
@click.option(
    "--days", type=click.IntRange(1, 3650), default=None, help="Expire after this many days."
)
def token_create(email: str, days: int | None) -> None:
    """Print a new bearer token for /api/v1 (the last line of output)."""
    from hearth.services.accounts import issue_api_token

    try:
        token = issue_api_token(email, days)
    except HearthError as error:
        raise click.ClickException(error.message) from None
    click.echo("Keep this token secret; it acts as you on /api/v1:", err=True)
    click.echo(token)


@token_group.command("list")
@click.argument("email", required=False)
def token_list(email: str | None) -> None:
    """List API tokens (of one facilitator with EMAIL): id, owner, created, expires, last used."""
    from hearth.services.accounts import api_tokens

    try:
        rows = api_tokens(email)
    except HearthError as error:
        raise click.ClickException(error.message) from None
    if not rows:
        click.echo("No API tokens.")
        return
    click.echo(f"{'id':>4}  {'facilitator':<32} {'created':<10}  {'expires':<10}  last used")
    for row in rows:
        click.echo(
            f"{row.id:>4}  {row.facilitator.email:<32} {row.created_at.date().isoformat():<10}  "
            f"{row.expires_on.isoformat() if row.expires_on else 'never':<10}  "
            f"{row.last_used_on.isoformat() if row.last_used_on else 'never'}"
        )


@token_group.command("revoke")
@click.argument("token_id", type=int)
def token_revoke(token_id: int) -> None:
    """Revoke an API token by the id `hearth token list` shows; it stops working at once."""
    from hearth.services.accounts import revoke_api_token

    try:
        email = revoke_api_token(token_id)
    except HearthError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Revoked token {token_id} of {email}.")


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


def register(app: Flask) -> None:
    """Add the commands to app.cli (the `hearth` group and test_cli_runner find them there)."""
    from hearth.export_commands import export, purge
    from hearth.plan_commands import plan_group

    for command in (db_group, facilitator_group, token_group, serve, export, purge, plan_group):
        app.cli.add_command(command)


def print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """--version: print Hearth's version (hearth/__init__.py, the one source) and stop."""
    if value and not ctx.resilient_parsing:
        click.echo(f"hearth {__version__}")
        ctx.exit()


def use_data_dir(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    """--data-dir: every command (and the app it loads) uses this folder from here on."""
    if value is not None:
        value = value.expanduser().absolute()
        os.environ["HEARTH_INSTANCE"] = str(value)
    return value


@click.pass_context
def start_room(ctx: click.Context, data_dir: Path | None, port: int | None, browser: bool) -> None:
    """`hearth` without a command starts room mode (hearth/room.py)."""
    if ctx.invoked_subcommand is None:
        from hearth.bundle import default_data_dir
        from hearth.room import run_room

        run_room(data_dir or default_data_dir(), port, browser)


cli = FlaskGroup(
    name="hearth",
    create_app=lambda: create_app(),
    add_default_commands=False,
    add_version_option=False,
    load_dotenv=False,
    invoke_without_command=True,
    callback=start_room,
    params=[
        click.Option(
            ["--data-dir"],
            type=click.Path(file_okay=False, path_type=Path),
            envvar="HEARTH_INSTANCE",
            callback=use_data_dir,
            help="Folder of the database, secret key and settings (HEARTH_INSTANCE; default: "
            "the per-user data folder, or instance/ in a checkout).",
        ),
        click.Option(
            ["--port"],
            type=click.IntRange(1, 65535),
            envvar="HEARTH_PORT",
            help="Port of room mode (HEARTH_PORT, default 5000).",
        ),
        click.Option(
            ["--browser/--no-browser"],
            default=True,
            allow_from_autoenv=False,
            help="Open the setup page or dashboard in the default browser (default: yes).",
        ),
        click.Option(
            ["--version"],
            is_flag=True,
            expose_value=False,
            is_eager=True,
            callback=print_version,
            help="Print the version and stop.",
        ),
    ],
    help="Hearth: live, anonymous facilitation for counselling workshops.\n\n"
    "Without a command, start room mode on this computer: phones join over the local Wi-Fi, "
    "and the browser opens on the setup page or the dashboard (docs/install.md).",
)
# Flask's own group options (--app, --debug, --env-file) have no use here: the app is always
# Hearth's, and settings come from HEARTH_* and hearth.toml (docs/deploy.md).
cli.params = [param for param in cli.params if param.name not in {"app", "debug", "env_file"}]
