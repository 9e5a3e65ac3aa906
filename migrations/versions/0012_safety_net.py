"""The safety net: answers and questions held for the facilitator's care, and each
facilitator's own safety phrases

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing stored so far was held: the new columns start empty."""
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("care", sa.String(length=40), nullable=True))
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.add_column(sa.Column("care", sa.String(length=40), nullable=True))
    op.create_table(
        "safety_phrase",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facilitator_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("phrase", sa.String(length=80), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["facilitator_id"], ["facilitator.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("facilitator_id", "phrase"),
    )
    with op.batch_alter_table("safety_phrase", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_safety_phrase_facilitator_id"), ["facilitator_id"], unique=False
        )


def downgrade() -> None:
    """Remove them again."""
    with op.batch_alter_table("safety_phrase", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safety_phrase_facilitator_id"))
    op.drop_table("safety_phrase")
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_column("care")
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_column("care")
