"""Rehearsals: a workshop run to try a plan, with simulated answers deleted at its end

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 07:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Every workshop so far was a real one."""
    # A constant default, as in 0009 and 0010: an expression would make Alembic rebuild the table on
    # SQLite, and dropping the old `workshop` table would cascade to every answer.
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("rehearsal", sa.Boolean(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    """Remove it again."""
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.drop_column("rehearsal")
