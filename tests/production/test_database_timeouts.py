"""A database that does not answer costs a request a few seconds and the 503 page, never a hung
thread: connect, statement (PostgreSQL) or write-lock (SQLite) and pool timeouts, set through
the environment as production sets them (PORTAL_DB_*_TIMEOUT)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import create_engine, text

from portal import schema
from portal.extensions import db
from survey.walker import ANSWERS_POSTED

from .conftest import POSTGRESQL_URL

# Generous against a loaded CI machine, far below the old waits (none, 30 s, 30 s).
ANSWERED_WITHIN_SECONDS = 6


@pytest.fixture
def production_app(app_from_environment) -> Callable:
    """Apps as gunicorn builds them, create_app() reading PORTAL_* from the environment."""

    def build(database_url: str, instance, **settings: str):
        return app_from_environment(
            PORTAL_ENV="production",
            PORTAL_SECRET_KEY="a-production-secret",
            PORTAL_DATABASE_URL=database_url,
            PORTAL_INSTANCE_PATH=str(instance),
            PORTAL_CACHE_ENABLED="0",
            **settings,
        )

    return build


def timed_get(app, path: str, **kwargs) -> tuple[int | None, float]:
    """(status, seconds); status None when no answer came within a minute (a hung thread)."""
    answer: list[int] = []

    def ask() -> None:
        with app.test_client() as client:
            answer.append(client.get(path, **kwargs).status_code)

    started = time.monotonic()
    thread = threading.Thread(target=ask, daemon=True)
    thread.start()
    thread.join(timeout=60)
    return (answer[0] if answer else None), time.monotonic() - started


def test_a_database_host_that_never_answers_is_a_503_within_the_connect_timeout(
    production_app, tmp_path, silent_server
):
    url = f"postgresql+psycopg://portal@127.0.0.1:{silent_server}/portal"
    app = production_app(url, tmp_path, PORTAL_DB_CONNECT_TIMEOUT="1")
    status, seconds = timed_get(app, "/fr/")
    assert status == 503
    assert seconds < ANSWERED_WITHIN_SECONDS


@pytest.fixture
def sqlite_database(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    engine = create_engine(url)
    schema.upgrade(engine)
    engine.dispose()
    return url


def test_a_pool_with_no_free_connection_is_a_503_within_the_pool_timeout(
    production_app, tmp_path, sqlite_database
):
    app = production_app(sqlite_database, tmp_path / "instance", PORTAL_DB_POOL_TIMEOUT="0.5")
    with app.app_context():
        engine = db.engine
        pool_limit = engine.pool.size() + engine.pool._max_overflow
        held = [engine.connect() for _ in range(pool_limit)]
    try:
        status, seconds = timed_get(app, "/en/")
    finally:
        for connection in held:
            connection.close()
    assert status == 503
    assert seconds < ANSWERED_WITHIN_SECONDS


def test_a_write_lock_held_elsewhere_is_a_503_within_the_statement_timeout(
    production_app, tmp_path, sqlite_database
):
    """SQLite: another process holds the write lock (an import); a survey answer waits for it
    PORTAL_DB_STATEMENT_TIMEOUT seconds, then the visitor gets the 503 page."""
    app = production_app(sqlite_database, tmp_path / "instance", PORTAL_DB_STATEMENT_TIMEOUT="1")
    app.config["WTF_CSRF_ENABLED"] = False
    locker = sqlite3.connect(sqlite_database.removeprefix("sqlite:///"), isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")
    try:
        answer: list[int] = []
        started = time.monotonic()

        def post() -> None:
            with app.test_client() as client:
                data = ANSWERS_POSTED["institution"]
                answer.append(client.post("/en/survey/institution", data=data).status_code)

        thread = threading.Thread(target=post, daemon=True)
        thread.start()
        thread.join(timeout=60)
        seconds = time.monotonic() - started
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert answer == [503]
    assert 1 <= seconds < ANSWERED_WITHIN_SECONDS


@pytest.mark.skipif(
    not POSTGRESQL_URL, reason="needs PostgreSQL: set PORTAL_TEST_DATABASE_URL to run it"
)
def test_a_statement_stuck_behind_a_lock_is_a_503_within_the_statement_timeout(
    production_app, tmp_path, served_database
):
    """PostgreSQL (the sample on it): an import's lock on the countries table outlasts the
    statement timeout."""
    app = production_app(served_database.url, tmp_path, PORTAL_DB_STATEMENT_TIMEOUT="1")
    locker = create_engine(served_database.url)
    with locker.connect() as connection:
        transaction = connection.begin()
        connection.execute(text("LOCK TABLE country IN ACCESS EXCLUSIVE MODE"))
        status, seconds = timed_get(app, "/en/countries/")
        transaction.rollback()
    locker.dispose()
    assert status == 503
    assert 1 <= seconds < ANSWERED_WITHIN_SECONDS
    status, _ = timed_get(app, "/en/countries/")  # the lock gone, pages are back
    assert status == 200


def test_portal_commands_run_without_a_statement_timeout(production_app, tmp_path, sqlite_database):
    from portal.cli import _create_app

    web = production_app(sqlite_database, tmp_path / "instance")
    assert web.config["PORTAL_DB_STATEMENT_TIMEOUT"] == 10
    assert _create_app().config["PORTAL_DB_STATEMENT_TIMEOUT"] == 0
