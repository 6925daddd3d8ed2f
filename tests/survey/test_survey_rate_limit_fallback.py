"""Issue 14, point 3a: when the Redis that counts rate limits cannot be reached, submissions are
still limited (in this process's memory), never answered 500, and the log says so once, not
with a traceback per request. The app is made by `create_app` reading the environment."""

from __future__ import annotations

import logging

import pytest

from portal.extensions import limiter, limiter_warnings
from survey.walker import SurveyVisitor, seed_complete_draft

NOBODY_LISTENS = "redis://127.0.0.1:1/0"
SUBMISSIONS_PER_MINUTE = 3
# Flask-Limiter's words when it stops counting in the store and counts in memory instead.
STORE_WARNING = "Rate limit storage unreachable - falling back to in-memory storage"


@pytest.fixture
def worker_without_its_store(app_from_environment, monkeypatch):
    monkeypatch.setattr(limiter_warnings, "last_emitted", {})  # no warning seen a moment ago
    return app_from_environment(
        PORTAL_RATELIMIT_STORAGE_URL=NOBODY_LISTENS,
        PORTAL_SURVEY_SUBMISSION_RATE=f"{SUBMISSIONS_PER_MINUTE} per minute",
    )


def submit_once(worker, client, db_session) -> int:
    with worker.app_context():
        seed_complete_draft(client, db_session)
    return SurveyVisitor(client).submit().status_code


def test_submissions_are_limited_in_memory_when_the_store_is_unreachable(
    worker_without_its_store, db_session, stored_responses, caplog
):
    caplog.set_level(logging.WARNING)
    client = worker_without_its_store.test_client()
    statuses = [
        submit_once(worker_without_its_store, client, db_session)
        for _ in range(SUBMISSIONS_PER_MINUTE + 2)
    ]
    assert statuses == [303] * SUBMISSIONS_PER_MINUTE + [429, 429]
    assert len(stored_responses()) == SUBMISSIONS_PER_MINUTE
    warnings = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert [record.getMessage() for record in warnings] == [STORE_WARNING]
    assert all(record.exc_info is None for record in warnings)


def test_the_store_warning_is_logged_at_most_once_a_minute(monkeypatch, caplog):
    """Flask-Limiter warns each time it finds the store gone: a store that keeps coming back
    and failing again is reported once a minute, however often it flaps."""
    monkeypatch.setattr(limiter_warnings, "last_emitted", {})
    now = [0.0]
    monkeypatch.setattr(limiter_warnings, "clock", lambda: now[0])
    caplog.set_level(logging.WARNING)
    for now[0] in (1000.0, 1001.0, 1030.0, 1059.0, 1061.0, 1062.0):
        limiter.logger.warning(STORE_WARNING)
    assert len(caplog.records) == 2
