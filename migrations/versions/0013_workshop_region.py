"""Support resources by region: the country (or countries) a workshop's room is in

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 07:25:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Every workshop so far showed its resources wherever it was: "any"."""
    # A constant default, so SQLite adds the column in place (see 0009). The resources
    # themselves are JSON: a resource without `region` or `language` reads as "any".
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("region", sa.String(length=32), nullable=False, server_default="any")
        )


def downgrade() -> None:
    """Remove it again."""
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.drop_column("region")
