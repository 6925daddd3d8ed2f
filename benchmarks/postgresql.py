"""Throw-away PostgreSQL databases, for the benchmarks and the tests that need one of their own."""

from __future__ import annotations

from sqlalchemy.engine import make_url


def _server_url(url: str) -> str:
    """The maintenance database of the server `url` points at (psycopg DSN)."""
    parsed = make_url(url).set(drivername="postgresql", database="postgres")
    return parsed.render_as_string(hide_password=False)


def create_postgresql_database(url: str, name: str, template: str | None = None) -> str:
    """A new database `name` on the server of `url` (dropped first if left over); its URL."""
    import psycopg

    with psycopg.connect(_server_url(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        suffix = f' TEMPLATE "{template}"' if template else ""
        connection.execute(f'CREATE DATABASE "{name}"{suffix}')
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def drop_postgresql_database(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(_server_url(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
