"""Flask extensions, created unbound and bound to an app in create_app()."""

import sqlite3

from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from htmx_flask import Htmx
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

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


def init_limiter(app: Flask) -> None:
    """Count in PORTAL_RATELIMIT_STORAGE_URL (memory:// by default, redis://… to share)."""
    app.config.setdefault(
        "RATELIMIT_STORAGE_URI", app.config.get("PORTAL_RATELIMIT_STORAGE_URL") or "memory://"
    )
    # Explicit, because Flask-Limiter would otherwise inherit the previous app's setting.
    app.config.setdefault("RATELIMIT_ENABLED", True)
    limiter.init_app(app)


@event.listens_for(Engine, "connect")
def _sqlite_connection_setup(dbapi_connection, connection_record) -> None:
    """SQLite: enforce foreign keys and let SQLAlchemy own transactions (SAVEPOINT works)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # Many requests writing at once (survey submissions): a writer waits its turn for up
        # to 30 s instead of failing after 5 s, and with WAL readers never block it.
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")
