"""problem_report: what visitors report as wrong with an outcome, a country or its figures

Revision ID: f2a3b4c5d6e7
Revises: f1d2a3b4c5e6
Create Date: 2026-12-05 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "f2a3b4c5d6e7"
down_revision = "f1d2a3b4c5e6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "problem_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("subject", sa.String(length=20), nullable=False),
        sa.Column("subject_key", sa.String(length=300), nullable=False),
        sa.Column("plan_period", sa.String(length=20), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("figure_group", sa.String(length=40), nullable=True),
        sa.Column("page_path", sa.Text(), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_problem_report")),
    )
    with op.batch_alter_table("problem_report") as batch:
        batch.create_index(batch.f("ix_problem_report_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_table("problem_report")
