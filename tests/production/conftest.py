"""Fixtures of the production tests: an app with its page cache on, and served databases.

A served database holds the bundled sample (built once per session with `portal sample`) and
is copied for each test: a SQLite file, or a PostgreSQL database of its own (never the shared
test database, which other suites reset) when PORTAL_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask

from benchmarks.postgresql import create_postgresql_database, drop_postgresql_database
from portal.caching import page_cache
from quality.page_checker import CheckedClient

from .apps import cache_probe_blueprint, make_app
from .servers import (
    portal_environment,
    run_portal,
)

POSTGRESQL_URL = os.environ.get("PORTAL_TEST_DATABASE_URL") or None
_copies = itertools.count(1)


@dataclass
class CachedPortal:
    app: Flask
    renders: Counter

    def client(self) -> CheckedClient:
        return self.app.test_client()


@pytest.fixture(scope="module")
def cached_portal_app(database_url, tmp_path_factory) -> Iterator[CachedPortal]:
    renders: Counter = Counter()
    app = make_app(
        database_url,
        tmp_path_factory.mktemp("cached-instance"),
        PORTAL_CACHE_ENABLED=True,
        PORTAL_DATA_VERSION_TTL=0,
    )
    app.register_blueprint(cache_probe_blueprint(renders))
    yield CachedPortal(app, renders)
    from portal.extensions import db

    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def cached_portal(cached_portal_app, db_session) -> CachedPortal:
    """The cached app on the test's rolled-back session, its cache emptied."""
    with cached_portal_app.app.app_context():
        page_cache.clear()
    cached_portal_app.renders.clear()
    return cached_portal_app


@dataclass(frozen=True)
class ServedDatabase:
    url: str
    kind: str  # "sqlite" or "postgresql"


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory) -> Iterator[ServedDatabase]:
    """The bundled sample, built once by `portal sample`, to be copied per test."""
    instance = tmp_path_factory.mktemp("sample-instance")
    if POSTGRESQL_URL:
        name = f"portal_prod_template_{os.getpid()}"
        url = create_postgresql_database(POSTGRESQL_URL, name)
        kind = "postgresql"
    else:
        url = f"sqlite:///{instance / 'sample.sqlite3'}"
        name, kind = None, "sqlite"
    environment = portal_environment(url, instance, PORTAL_ENV="development")
    try:
        run_portal(environment, "sample")
        yield ServedDatabase(url, kind)
    finally:
        if name:
            drop_postgresql_database(POSTGRESQL_URL, name)


@pytest.fixture
def served_database(sample_template, tmp_path) -> Iterator[ServedDatabase]:
    """A fresh copy of the sample database for one test."""
    if sample_template.kind == "sqlite":
        source = Path(sample_template.url.removeprefix("sqlite:///"))
        target = tmp_path / "portal.sqlite3"
        shutil.copyfile(source, target)
        yield ServedDatabase(f"sqlite:///{target}", "sqlite")
        return
    template = sample_template.url.rsplit("/", 1)[1]
    name = f"portal_prod_test_{os.getpid()}_{next(_copies)}"
    url = create_postgresql_database(POSTGRESQL_URL, name, template=template)
    yield ServedDatabase(url, "postgresql")
    drop_postgresql_database(POSTGRESQL_URL, name)


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never says a word (a hung database or Redis host)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(TimeoutError, OSError):
                accepted.append(listener.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for connection in [*accepted, listener]:
            connection.close()
