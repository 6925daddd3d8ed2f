"""data_finding: findings about country facts (no activity; the country instead)

Revision ID: f3b4c5d6e7f8
Revises: f2a3b4c5d6e7
Create Date: 2026-12-05 16:30:00

A finding is about an activity (outcome_id) or about a country's reference fact
(country_iso3, record "country fact"). Country-fact findings are made when the facts are
next imported.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "f3b4c5d6e7f8"
down_revision = "f2a3b4c5d6e7"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("data_finding") as batch:
        batch.alter_column("outcome_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("country_iso3", sa.String(length=3), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_data_finding_country_iso3_country"),
            "country",
            ["country_iso3"],
            ["iso3"],
            ondelete="CASCADE",
        )
        batch.create_index(batch.f("ix_data_finding_country_iso3"), ["country_iso3"], unique=False)


def downgrade() -> None:
    op.execute("DELETE FROM data_finding WHERE outcome_id IS NULL")
    with op.batch_alter_table("data_finding") as batch:
        batch.drop_index(batch.f("ix_data_finding_country_iso3"))
        batch.drop_constraint(batch.f("fk_data_finding_country_iso3_country"), type_="foreignkey")
        batch.drop_column("country_iso3")
        batch.alter_column("outcome_id", existing_type=sa.Integer(), nullable=False)
