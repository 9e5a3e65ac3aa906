"""A workshop's plan text keeps its own language once the workshop may speak another

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 07:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Every workshop so far spoke its plan's language, so the plan text's is the same."""
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("plan_language", sa.String(length=8), nullable=False, server_default="en")
        )
    op.execute("UPDATE workshop SET plan_language = language")


def downgrade() -> None:
    """Remove it again."""
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.drop_column("plan_language")
