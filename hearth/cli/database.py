"""`hearth db upgrade|revision`: the schema (Alembic), and the built-in plans loaded with it."""

from __future__ import annotations

import click
from alembic import command as alembic_command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask.cli import AppGroup

from hearth import __version__
from hearth.bundle import asset_path
from hearth.extensions import db
from hearth.services.plans import load_builtin_plans


def alembic_config() -> AlembicConfig:
    """Alembic's configuration, pointed at migrations/ (env.py uses the app's engine)."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(asset_path("migrations")))
    return config


def refuse_newer_database(config: AlembicConfig) -> None:
    """Stop, leaving the database untouched, if a newer Hearth has migrated it past our head."""
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
