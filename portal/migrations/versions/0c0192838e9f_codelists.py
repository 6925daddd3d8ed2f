"""codelists

Revision ID: 0c0192838e9f
Revises: a3c18b907f25
Create Date: 2026-11-28 13:31:30.266819
"""

import sqlalchemy as sa
from alembic import op

revision = "0c0192838e9f"
down_revision = "a3c18b907f25"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "codelist_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("codelist", sa.String(length=100), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("lang", sa.String(length=10), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("category", sa.String(length=100), nullable=True),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_codelist_entry")),
        sa.UniqueConstraint(
            "codelist", "code", "lang", name=op.f("uq_codelist_entry_codelist_code_lang")
        ),
    )


def downgrade() -> None:
    op.drop_table("codelist_entry")
