"""With PORTAL_RATELIMIT_STORAGE_URL set, submissions are counted in Redis, so every worker and
host shares one count. Runs when PORTAL_TEST_REDIS_URL names a Redis database for tests (it is
flushed)."""

from __future__ import annotations

import os

import pytest

from portal import create_app
from portal.extensions import db, limiter
from survey.walker import SurveyVisitor, seed_complete_draft

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL")

pytestmark = pytest.mark.skipif(not REDIS_URL, reason="PORTAL_TEST_REDIS_URL is not set")


@pytest.fixture
def redis_backed_config(app):
    from redis import Redis

    store = Redis.from_url(REDIS_URL)
    store.flushdb()
    config = {**app.config, "PORTAL_RATELIMIT_STORAGE_URL": REDIS_URL}
    config.pop("RATELIMIT_STORAGE_URI")
    yield config, store
    store.flushdb()
    # The limiter is one object: give the suite's app its in-memory storage back.
    limiter.init_app(app)


def submit_on(worker, db_session) -> int:
    client = worker.test_client()
    with worker.app_context():
        seed_complete_draft(client, db_session)
    return SurveyVisitor(client).submit().status_code


def test_a_new_worker_sees_the_submissions_counted_before(
    app, db_session, redis_backed_config, stored_responses
):
    config, store = redis_backed_config
    first_worker = create_app(dict(config))
    assert [submit_on(first_worker, db_session) for _ in range(10)] == [303] * 10
    assert store.keys()
    # A worker started now (with in-memory counting it would start from zero) refuses the 11th.
    second_worker = create_app(dict(config))
    assert submit_on(second_worker, db_session) == 429
    assert len(stored_responses()) == 10
    for worker in (first_worker, second_worker):
        with worker.app_context():
            db.engine.dispose()
