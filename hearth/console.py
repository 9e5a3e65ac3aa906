"""The `hearth` group: its options (--data-dir, --port, --browser, --version), room mode when no
command is given, and the app it builds for every command (hearth/launch.py runs it).

It sits above the app factory, which adds the commands of hearth/cli/ to app.cli.
"""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask.cli import FlaskGroup

from hearth import __version__, create_app


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
