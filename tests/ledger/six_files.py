"""Fixtures of every test (tests/conftest.py's pytest_plugins): all six real publishers' files
imported together (`six_files`), and the same files read by the XML oracle
(tests/ledger/xml_ledger.py) for comparison (`oracle`).

The six files are imported once per test run, into a database of their own (a second SQLite
file, or a schema of its own on PostgreSQL), and committed there; each test that asks for
them reads and writes that database inside a transaction rolled back afterwards, as
`db_session` does for the suite's database. Importing them took 3.5 to 6 seconds a test.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from iati.test_real_files import REAL_FILES
from ledger import xml_ledger
from portal import fragments, schema
from portal.extensions import engine_options
from portal.iati.importer import import_sources
from rolled_back import session_in_rolled_back_transaction

FILES = REAL_FILES
SCHEMA = "six_files"  # PostgreSQL: the schema the six files are imported into


@pytest.fixture(scope="session")
def oracle(shared_data):
    return xml_ledger.load([shared_data / "iati-activities" / name for name in FILES])


def _six_files_url(app, database_url: str, folder) -> tuple[str, dict]:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        own = f"sqlite:///{folder / 'six-files.sqlite3'}"
        return own, engine_options(own, app.config)
    options = engine_options(database_url, app.config)
    connect_args = dict(options.get("connect_args", {}))
    connect_args["options"] = f"{connect_args.get('options', '')} -c search_path={SCHEMA}".strip()
    return database_url, {**options, "connect_args": connect_args}


def _recreate_schema(database_url: str, drop_only: bool = False) -> None:
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        if not drop_only:
            connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    engine.dispose()


@pytest.fixture(scope="session")
def six_files_engine(app, database_url, shared_data, tmp_path_factory):
    """The engine of the database holding the six files, imported and committed once."""
    url, options = _six_files_url(app, database_url, tmp_path_factory.mktemp("six-files"))
    postgresql = make_url(url).get_backend_name() == "postgresql"
    if postgresql:
        _recreate_schema(database_url)
    engine = create_engine(url, **options)
    schema.upgrade(engine)
    with Session(engine) as session:
        import_sources(session, [shared_data / "iati-activities" / name for name in FILES])
        session.commit()
    yield engine
    engine.dispose()
    if postgresql:
        _recreate_schema(database_url, drop_only=True)


@pytest.fixture
def six_files(app, db_session, six_files_engine):  # after db_session, which it stands over
    """db.session on the six files' database for this test (rolled back afterwards); the
    requests of `client` read it too.

    As in production, the worker keeps each place's ledger once worked out for this data
    version (portal.fragments.kept_here; off elsewhere in the tests, as the page cache): a
    test of many pages of the six files then works out each place's ledger once, not once a
    request (about a second each). The memo is the test's own."""
    with app.app_context(), session_in_rolled_back_transaction(six_files_engine) as session:
        app.extensions[fragments.PROCESS_MEMO] = fragments.ProcessMemo(fragments.KEPT_HERE)
        try:
            yield session
        finally:
            app.extensions.pop(fragments.PROCESS_MEMO, None)


@pytest.fixture
def six_files_unremembered(app, six_files):
    """The six files with no memo: each request reads all it needs, as the first request after
    an import does (for the tests that count a page's queries)."""
    app.extensions.pop(fragments.PROCESS_MEMO, None)
    return six_files
