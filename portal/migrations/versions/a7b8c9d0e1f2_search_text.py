"""search_text: each outcome's searchable words per language, filled at import, and the
database's own full-text index over them

Revision ID: a7b8c9d0e1f2
Revises: f3b4c5d6e7f8
Create Date: 2026-12-06 12:20:00

SQLite: the FTS5 table search_fts, with search_text as its external content, kept in step by
triggers. Batch migrations rebuild a table (and drop its triggers): a later migration that
alters search_text must create the three triggers again.
PostgreSQL: the tsvector column search_text.vector (written by the importer) and its GIN
index. See portal/search/index.py.

Outcomes imported before this revision are found once they are imported again
(`portal iati import` of the same files rewrites only what changed; re-import to fill).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "a7b8c9d0e1f2"
down_revision = "f3b4c5d6e7f8"
branch_labels = None
depends_on = None

SQLITE_FULL_TEXT = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(body, content='search_text',"
    " content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_text_fts_insert AFTER INSERT ON search_text BEGIN"
    " INSERT INTO search_fts (rowid, body) VALUES (new.id, new.body); END",
    "CREATE TRIGGER search_text_fts_delete AFTER DELETE ON search_text BEGIN"
    " INSERT INTO search_fts (search_fts, rowid, body) VALUES ('delete', old.id, old.body);"
    " END",
    "CREATE TRIGGER search_text_fts_update AFTER UPDATE ON search_text BEGIN"
    " INSERT INTO search_fts (search_fts, rowid, body) VALUES ('delete', old.id, old.body);"
    " INSERT INTO search_fts (rowid, body) VALUES (new.id, new.body); END",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    vector = [sa.Column("vector", postgresql.TSVECTOR(), nullable=True)]
    op.create_table(
        "search_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=10), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        *(vector if dialect == "postgresql" else []),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["outcome.id"],
            name=op.f("fk_search_text_outcome_id_outcome"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_text")),
    )
    op.create_index(op.f("ix_search_text_outcome_id"), "search_text", ["outcome_id"])
    if dialect == "sqlite":
        for statement in SQLITE_FULL_TEXT:
            op.execute(statement)
    elif dialect == "postgresql":
        op.create_index("ix_search_text_vector", "search_text", ["vector"], postgresql_using="gin")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS search_text_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    elif dialect == "postgresql":
        op.drop_index("ix_search_text_vector", table_name="search_text")
    op.drop_index(op.f("ix_search_text_outcome_id"), table_name="search_text")
    op.drop_table("search_text")
