"""Alembic environment: runs inside the Flask app context, on the app's own engine."""

from __future__ import annotations

from alembic import context

from hearth import models  # noqa: F401  (registers every table on the metadata)
from hearth.extensions import db

target_metadata = db.metadata


def run_migrations() -> None:
    """Run migrations on a connection from the app's engine."""
    with db.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported; run `hearth db upgrade`.")
run_migrations()
