"""Create or migrate the database schema with Alembic (never create_all)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import cast, func, literal, select
from sqlalchemy.dialects.postgresql import REGCLASS
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from portal.search.index import VECTOR_INDEX

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def make_revision(engine: Engine, message: str) -> None:
    """Developers: write a migration for the models' changes (`make migration`)."""
    with engine.begin() as connection:
        command.revision(alembic_config(connection), message=message, autogenerate=True)


# SQLite's ANALYZE reads at most about this many rows of each index: enough for the planner,
# and fast on a large database.
SQLITE_ANALYSIS_LIMIT = 2000


def update_statistics(session: Session) -> None:
    """After an import (committed): tell the query planner how many rows each table and index
    now holds, so that it picks the country-scoped indexes (ANALYZE on PostgreSQL; a bounded
    ANALYZE on SQLite, then PRAGMA optimize). On PostgreSQL, the words the import added to
    the full-text index are also moved from its pending list into the index itself
    (gin_clean_pending_list; autovacuum would do it later): until then every search reads
    that list through (2 to 3 ms at ×10), and the planner, pricing the index high, reads
    every row's vector instead for a common word (13 ms). Runs in the session's own
    connection."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
        connection.exec_driver_sql("ANALYZE")
        connection.exec_driver_sql("PRAGMA optimize")
    else:
        connection.exec_driver_sql("ANALYZE")
        connection.execute(
            select(func.gin_clean_pending_list(cast(literal(VECTOR_INDEX), REGCLASS)))
        )
    session.commit()
