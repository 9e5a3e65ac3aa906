"""Self-paced workshops: the pace, how many days they stay open, when they end by themselves

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 04:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Every workshop so far ran live."""
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("pace", sa.String(length=8), nullable=False, server_default="live")
        )
        batch_op.add_column(sa.Column("open_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("ends_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    """Remove them again."""
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        for column in ("ends_at", "open_days", "pace"):
            batch_op.drop_column(column)
