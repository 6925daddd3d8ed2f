"""data_finding: what looks wrong in a stored activity, found at import

Revision ID: f1d2a3b4c5e6
Revises: e5a1f0c2b7d9
Create Date: 2026-12-05 12:50:00

Activities stored before this revision get their findings when they are next imported with a
change; `portal data-quality refresh` checks every stored activity at once.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "f1d2a3b4c5e6"
down_revision = "e5a1f0c2b7d9"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "data_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("record", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("value", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["outcome.id"],
            name=op.f("fk_data_finding_outcome_id_outcome"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_finding")),
    )
    with op.batch_alter_table("data_finding") as batch:
        batch.create_index(batch.f("ix_data_finding_kind"), ["kind"], unique=False)
        batch.create_index(batch.f("ix_data_finding_outcome_id"), ["outcome_id"], unique=False)


def downgrade() -> None:
    op.drop_table("data_finding")
