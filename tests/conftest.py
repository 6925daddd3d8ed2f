"""Shared fixtures: an app on a throw-away database, a session rolled back after each test.

The database is SQLite in a temporary folder, or PostgreSQL when PORTAL_TEST_DATABASE_URL is
set (the Makefile runs the suite once more that way when the variable is present).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from portal import create_app, schema
from portal.config import shared_data_folder
from portal.countries.importer import import_country_files
from portal.extensions import db, init_limiter, limiter
from portal.iati.importer import import_sources
from portal.sample.operations import SAMPLE_ACTIVITIES, SAMPLE_COUNTRY_FACTS
from quality.page_checker import CheckedClient
from rolled_back import session_in_rolled_back_transaction

# The six real files' database and their XML oracle, for any test that asks.
pytest_plugins = ["ledger.six_files"]

SHARED_DATA = shared_data_folder()
UNWOMEN_FILE = "iati-activities/unwomen-XM-DAC-41146.xml"


def _reset_postgresql(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("PORTAL_TEST_DATABASE_URL")
    if url:
        _reset_postgresql(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "PORTAL_INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
            "PORTAL_SHARED_DATA": str(SHARED_DATA),
            "PORTAL_ENV": "development",
        }
    )
    with app.app_context():
        schema.upgrade(db.engine)
    # Every app.test_client() in the suite runs the page checker on each HTML response.
    app.test_client_class = CheckedClient
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def db_session(app):
    """A session whose commits are savepoints inside one transaction rolled back afterwards."""
    with app.app_context(), session_in_rolled_back_transaction(db.engine) as session:
        yield session


@pytest.fixture
def app_from_environment(app, monkeypatch, database_url, tmp_path):
    """Makes apps as production does, `create_app()` reading the environment: the suite's
    database and a development setting unless `environment` says otherwise. Their connections
    are closed afterwards, and the suite's app gets its rate limiter back (it is one object)."""
    made = []

    def make(**environment: str):
        defaults = {
            "PORTAL_ENV": "development",
            "PORTAL_SECRET_KEY": "test-secret-key",
            "PORTAL_DATABASE_URL": database_url,
            "PORTAL_INSTANCE_PATH": str(tmp_path),
            "PORTAL_SHARED_DATA": str(SHARED_DATA),
        }
        # Nothing of the developer's own environment (a PORTAL_CACHE_URL…) reaches the app.
        for name in [name for name in os.environ if name.startswith("PORTAL_")]:
            if not name.startswith("PORTAL_TEST_"):
                monkeypatch.delenv(name)
        for name, value in {**defaults, **environment}.items():
            monkeypatch.setenv(name, value)
        made.append(create_app())
        made[-1].test_client_class = CheckedClient
        return made[-1]

    yield make
    for made_app in made:
        with made_app.app_context():
            db.engine.dispose()
    init_limiter(app)


@pytest.fixture
def fresh_rate_limits(app):
    """Requests counted by one test must not throttle the next (the limiter is one object)."""
    with app.app_context():
        limiter.reset()
    yield
    with app.app_context():
        limiter.reset()


@pytest.fixture
def client(app, db_session):
    return app.test_client()


@pytest.fixture
def runner(app, db_session):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        message = f"shared data not found at {SHARED_DATA} (set PORTAL_SHARED_DATA)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)  # CI has the data: a test that cannot read it has failed
        pytest.skip(message)
    return SHARED_DATA


@pytest.fixture
def sample_data(db_session):
    """The database `portal sample` builds, inside the test's rolled-back transaction."""
    import_country_files(db_session, [SAMPLE_COUNTRY_FACTS])
    import_sources(db_session, [SAMPLE_ACTIVITIES], is_sample=True)
    db_session.flush()
    return db_session


@pytest.fixture
def unwomen_data(db_session, shared_data):
    """UN Women's real (2021) IATI file, imported as an operator would."""
    import_sources(db_session, [shared_data / UNWOMEN_FILE])
    db_session.flush()
    return db_session
