"""A Redis that accepts connections and never answers (a hung host) costs a request about a
second, for the page cache and for the rate limits alike; the app is made by `create_app`
reading the environment, as in production."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from portal.survey.models import SurveyResponse
from survey.walker import SurveyVisitor, seed_complete_draft

# One or two socket timeouts of 1 s, with room for a loaded CI machine; without timeouts of
# ours a hung Redis costs a page 5 s (redis-py's own connect wait) and a submission 10 s.
ANSWERED_WITHIN_SECONDS = 4


def test_a_hung_rate_limit_store_costs_seconds_not_the_submission(
    app_from_environment, silent_server, db_session
):
    worker = app_from_environment(
        PORTAL_RATELIMIT_STORAGE_URL=f"redis://127.0.0.1:{silent_server}/0"
    )
    client = worker.test_client()
    with worker.app_context():
        seed_complete_draft(client, db_session)
    started = time.monotonic()
    status = SurveyVisitor(client).submit().status_code
    assert status == 303
    assert time.monotonic() - started < ANSWERED_WITHIN_SECONDS
    assert db_session.scalar(select(func.count()).select_from(SurveyResponse)) == 1


def test_a_hung_page_cache_store_costs_seconds_not_the_page(app_from_environment, silent_server):
    worker = app_from_environment(
        PORTAL_CACHE_ENABLED="1", PORTAL_CACHE_URL=f"redis://127.0.0.1:{silent_server}/0"
    )
    client = worker.test_client()
    started = time.monotonic()
    assert client.get("/en/").status_code == 200
    assert client.get("/en/").status_code == 200  # the store is not asked again at once
    assert time.monotonic() - started < ANSWERED_WITHIN_SECONDS
