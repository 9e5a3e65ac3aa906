"""The Q&A board on the projector: whether the facilitator shows it full-screen

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 07:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """No workshop so far showed the board on demand."""
    # A constant default ("0", false on SQLite and PostgreSQL alike), not sa.false(): an
    # expression makes Alembic rebuild the table on SQLite, and dropping the old `workshop`
    # table with foreign keys on deletes every row that cascades from it (the answers).
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.add_column(sa.Column("qa_shown", sa.Boolean(), nullable=False, server_default="0"))


def downgrade() -> None:
    """Remove it again."""
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.drop_column("qa_shown")
