"""Room lock and head count: who may join, and how many have

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 00:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the lock, the facilitator's head count and the join counters to workshops."""
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("locked", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("head_count", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("identities", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("turned_away", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    """Remove them again."""
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.drop_column("turned_away")
        batch_op.drop_column("identities")
        batch_op.drop_column("head_count")
        batch_op.drop_column("locked")
