"""Session versions for facilitators; last-used and expiry days for API tokens

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 00:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    with op.batch_alter_table("facilitator") as batch:
        batch.add_column(
            sa.Column("session_version", sa.Integer(), server_default="1", nullable=False)
        )
    with op.batch_alter_table("api_token") as batch:
        batch.add_column(sa.Column("last_used_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("expires_on", sa.Date(), nullable=True))


def downgrade() -> None:
    """Revert this migration."""
    with op.batch_alter_table("api_token") as batch:
        batch.drop_column("expires_on")
        batch.drop_column("last_used_on")
    with op.batch_alter_table("facilitator") as batch:
        batch.drop_column("session_version")
