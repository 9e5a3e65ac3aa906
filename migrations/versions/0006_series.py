"""Series: one group's workshops over the weeks

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 03:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SERIES_FK = "fk_workshop_series_id_series"


def upgrade() -> None:
    """Add the series table and each workshop's series."""
    op.create_table(
        "series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["facilitator.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_series_owner_id", "series", ["owner_id"])
    # A plain ADD COLUMN, never a batch copy of `workshop`: on SQLite a copy drops the old
    # table, and its ON DELETE CASCADE would take every activity and answer with it. SQLite
    # takes the foreign key inline only, so it gets the statement written out.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE workshop ADD COLUMN series_id INTEGER CONSTRAINT {SERIES_FK}"
            " REFERENCES series (id) ON DELETE SET NULL"
        )
    else:
        op.add_column("workshop", sa.Column("series_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            SERIES_FK, "workshop", "series", ["series_id"], ["id"], ondelete="SET NULL"
        )
    op.create_index("ix_workshop_series_id", "workshop", ["series_id"])


def downgrade() -> None:
    """Remove them again (PostgreSQL only; see below)."""
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot drop a column that is in a foreign key, and copying `workshop` without
        # it would cascade-delete every answer: restore the backup taken before upgrading.
        raise RuntimeError("Migration 0006 (series) cannot be undone on SQLite.")
    op.drop_index("ix_workshop_series_id", table_name="workshop")
    op.drop_constraint(SERIES_FK, "workshop", type_="foreignkey")
    op.drop_column("workshop", "series_id")
    op.drop_index("ix_series_owner_id", table_name="series")
    op.drop_table("series")
