"""The `hearth` commands, one module per noun: `database`, `accounts`, `serve`, `plans`,
`exports`. The app factory adds them to app.cli (`register`); the `hearth` group that builds the
app around them is hearth/console.py, so that this package never imports the factory back.
"""

from __future__ import annotations

from flask import Flask

from hearth.cli.accounts import facilitator_group, token_group
from hearth.cli.database import alembic_config, db_group, upgrade_database
from hearth.cli.exports import export, purge
from hearth.cli.plans import plan_group
from hearth.cli.serve import open_listener, serve, serve_app

# Room mode, the tests and the benchmarks use these three outside a command.
__all__ = ["alembic_config", "open_listener", "register", "serve_app", "upgrade_database"]


def register(app: Flask) -> None:
    """Add the commands to app.cli (the `hearth` group and test_cli_runner find them there)."""
    for command in (db_group, facilitator_group, token_group, serve, export, purge, plan_group):
        app.cli.add_command(command)
