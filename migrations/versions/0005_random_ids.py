"""Random ids for responses, questions and upvotes: storage keeps no order of arrival

Counting ids told the order rows were written in (1, 5, 9, 13 were one phone's four answers).
New rows get a random id below 2**53 (hearth.models.random_id); this migration gives every
existing row one too, and drops PostgreSQL's sequences so nothing counts any more.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 00:30:00
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("response", "question", "question_vote")
VOTE_FK = "fk_question_vote_question_id_question"


def _new_ids(old_ids: list[int], taken: set[int]) -> dict[int, int]:
    """A fresh random id for each old one, unlike any id in `taken` (which grows)."""
    mapping = {}
    for old in old_ids:
        new = secrets.randbelow(2**53 - 1) + 1
        while new in taken:
            new = secrets.randbelow(2**53 - 1) + 1
        taken.add(new)
        mapping[old] = new
    return mapping


def _ids(bind: sa.Connection, table: str) -> list[int]:
    """Every id of a table."""
    return [row[0] for row in bind.execute(sa.text(f"SELECT id FROM {table}"))]


def upgrade() -> None:
    """Widen the ids on PostgreSQL, stop counting, and give every existing row a random id."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.drop_constraint(VOTE_FK, "question_vote", type_="foreignkey")
        for table, column in (
            ("response", "id"),
            ("question", "id"),
            ("question_vote", "id"),
            ("question_vote", "question_id"),
        ):
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT")
            op.alter_column(table, column, type_=sa.BigInteger(), existing_nullable=False)
        for table in TABLES:
            op.execute(f"DROP SEQUENCE IF EXISTS {table}_id_seq")
        op.create_foreign_key(
            VOTE_FK, "question_vote", "question", ["question_id"], ["id"], ondelete="CASCADE"
        )

    # Responses and upvotes are referred to by nothing: their ids change in place.
    for table in ("response", "question_vote"):
        old_ids = _ids(bind, table)
        mapping = _new_ids(old_ids, set(old_ids))
        if mapping:
            bind.execute(
                sa.text(f"UPDATE {table} SET id = :new WHERE id = :old"),
                [{"new": new, "old": old} for old, new in mapping.items()],
            )
    # Upvotes refer to questions: copy each question under its new id, move its upvotes
    # over, then delete the old row, so foreign keys hold at every step.
    question = sa.Table("question", sa.MetaData(), autoload_with=bind)
    old_ids = _ids(bind, "question")
    for old, new in _new_ids(old_ids, set(old_ids)).items():
        row = bind.execute(sa.select(question).where(question.c.id == old)).mappings().one()
        bind.execute(question.insert().values({**row, "id": new}))
        bind.execute(
            sa.text("UPDATE question_vote SET question_id = :new WHERE question_id = :old"),
            {"new": new, "old": old},
        )
        bind.execute(question.delete().where(question.c.id == old))


def downgrade() -> None:
    """Count ids again from the largest one (the random ids themselves stay)."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return  # SQLite gives a new row the largest rowid plus one by itself
    for table in TABLES:
        op.execute(f"CREATE SEQUENCE IF NOT EXISTS {table}_id_seq OWNED BY {table}.id")
        largest = f"COALESCE((SELECT MAX(id) FROM {table}), 0)"
        op.execute(f"SELECT setval('{table}_id_seq', {largest} + 1, false)")
        op.execute(f"ALTER TABLE {table} ALTER COLUMN id SET DEFAULT nextval('{table}_id_seq')")
