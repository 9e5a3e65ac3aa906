"""Languages: the facilitator's own, each plan's, each workshop's (docs/translating.md)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """A facilitator's language (none: the browser's); plans and workshops speak English so far."""
    with op.batch_alter_table("facilitator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))
    for table in ("plan", "workshop"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("language", sa.String(length=8), nullable=False, server_default="en")
            )


def downgrade() -> None:
    """Remove them again."""
    for table in ("workshop", "plan", "facilitator"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("language")
