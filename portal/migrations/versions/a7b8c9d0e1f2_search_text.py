"""search_text: each outcome's searchable words per language, filled at import

Revision ID: a7b8c9d0e1f2
Revises: f3b4c5d6e7f8
Create Date: 2026-12-06 12:20:00

Outcomes imported before this revision are found once they are imported again
(`portal iati import` of the same files rewrites only what changed; re-import to fill).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "a7b8c9d0e1f2"
down_revision = "f3b4c5d6e7f8"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=10), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["outcome.id"],
            name=op.f("fk_search_text_outcome_id_outcome"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_text")),
    )
    op.create_index(op.f("ix_search_text_outcome_id"), "search_text", ["outcome_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_search_text_outcome_id"), table_name="search_text")
    op.drop_table("search_text")
