"""Flask extensions, created unbound and bound to an app in create_app()."""

import math
import sqlite3
import time
from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from htmx_flask import Htmx
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase

from portal.config import DB_CONNECT_TIMEOUT, DB_POOL_TIMEOUT, DB_STATEMENT_TIMEOUT
from portal.degraded import STORE_SOCKET_OPTIONS, OncePerInterval

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base shared by every model; named constraints keep migrations portable."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
babel = Babel()
csrf = CSRFProtect()
htmx = Htmx()
# Limits are declared on the views that need them (no default limit on every page).
limiter = Limiter(key_func=get_remote_address)


# Flask-Limiter warns each time it finds its store gone: at most once a minute reaches the log.
limiter_warnings = OncePerInterval()


def init_limiter(app: Flask) -> None:
    """Count in PORTAL_RATELIMIT_STORAGE_URL (memory:// by default, redis://… to share); while
    that store cannot be reached, count in this process's memory instead of answering 500."""
    app.config.setdefault(
        "RATELIMIT_STORAGE_URI", app.config.get("PORTAL_RATELIMIT_STORAGE_URL") or "memory://"
    )
    # A Redis that accepts connections and never answers costs a request a second, then the
    # fallback below counts in memory (the in-memory store ignores these options).
    app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", dict(STORE_SOCKET_OPTIONS))
    # Explicit, because Flask-Limiter would otherwise inherit the previous app's setting.
    app.config.setdefault("RATELIMIT_ENABLED", True)
    # Flask-Limiter checks the store again now and then and goes back to it once it answers.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    # Any other failure of the store (a count after the answer) is logged, not a 500 page.
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    limiter.init_app(app)
    # The limiter is one object: a new store starts trusted, whatever befell the previous one.
    limiter._storage_dead = False
    limiter.logger.addFilter(limiter_warnings)


def seconds_until_limit_resets() -> int | None:
    """Retry-After for the limit this request exceeded: whole seconds until its window ends
    (None when no limit of Flask-Limiter's was exceeded)."""
    exceeded = limiter.current_limit
    if exceeded is None or not exceeded.breached:
        return None
    try:
        resets_at, _ = exceeded.window
    except Exception:  # the store failed since it counted: at worst a whole window
        return exceeded.limit.get_expiry()
    return max(1, math.ceil(resets_at - time.time()))


# SQLite with no statement timeout (the `portal` commands): a writer waits this long.
SQLITE_UNLIMITED_WAIT_SECONDS = 24 * 3600


def engine_options(database_uri: str, config: Mapping[str, Any]) -> dict[str, Any]:
    """How the engine reaches the database, with its timeouts (PORTAL_DB_*_TIMEOUT): a
    database that does not answer costs a request seconds and a 503 page, never a hung
    thread. Only what the server can enforce: a server that stops answering mid-query
    is left to gunicorn's worker timeout."""
    connect = float(config.get("PORTAL_DB_CONNECT_TIMEOUT", DB_CONNECT_TIMEOUT))
    statement = float(config.get("PORTAL_DB_STATEMENT_TIMEOUT", DB_STATEMENT_TIMEOUT))
    options: dict[str, Any] = {"pool_pre_ping": True}
    url = make_url(database_uri)
    if url.get_backend_name() == "postgresql":
        # A page reads in several queries: one snapshot, so an import committing meanwhile
        # shows either the old or the new data, never a mix.
        options["isolation_level"] = "REPEATABLE READ"
        options["connect_args"] = {
            "connect_timeout": max(1, math.ceil(connect)),  # libpq counts whole seconds
            "options": f"-c statement_timeout={round(statement * 1000)}",
        }
    elif url.get_backend_name() == "sqlite":
        options["connect_args"] = {"timeout": statement or SQLITE_UNLIMITED_WAIT_SECONDS}
        if url.database in (None, "", ":memory:"):
            return options  # one connection, no pool to wait for
    options["pool_timeout"] = float(config.get("PORTAL_DB_POOL_TIMEOUT", DB_POOL_TIMEOUT))
    return options


@event.listens_for(Engine, "connect")
def _sqlite_connection_setup(dbapi_connection, connection_record) -> None:
    """SQLite: enforce foreign keys and let SQLAlchemy own transactions (SAVEPOINT works)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # With WAL readers never block a writer; writers wait their turn for the write lock
        # for as long as engine_options() says (sqlite3's `timeout`).
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")
