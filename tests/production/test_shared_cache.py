"""With PORTAL_CACHE_URL (Redis) app servers share pages; with Redis down they still serve."""

from __future__ import annotations

import os
from collections import Counter

import pytest

from portal.caching import page_cache

from .apps import cache_probe_blueprint, make_app
from .servers import free_port

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL")


def _server(database_url, instance, cache_url) -> tuple:
    renders: Counter = Counter()
    app = make_app(database_url, instance, PORTAL_CACHE_ENABLED=True, PORTAL_CACHE_URL=cache_url)
    app.register_blueprint(cache_probe_blueprint(renders))
    return app, renders


@pytest.mark.skipif(not REDIS_URL, reason="needs Redis: set PORTAL_TEST_REDIS_URL to run it")
def test_two_app_servers_share_pages_through_redis(database_url, tmp_path, db_session):
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as error:
        pytest.fail(f"PORTAL_TEST_REDIS_URL is set but Redis does not answer: {error}")
    first, first_renders = _server(database_url, tmp_path / "a", REDIS_URL)
    second, second_renders = _server(database_url, tmp_path / "b", REDIS_URL)
    with first.app_context():
        page_cache.clear()
    try:
        page = first.test_client().get("/en/cache-probe").get_data(as_text=True)
        assert second.test_client().get("/en/cache-probe").get_data(as_text=True) == page
        assert (first_renders["count"], second_renders["count"]) == (1, 0)
    finally:
        with first.app_context():
            page_cache.clear()


def test_pages_are_served_while_the_cache_store_is_down(database_url, tmp_path, db_session):
    app, renders = _server(database_url, tmp_path, f"redis://127.0.0.1:{free_port()}/0")
    client = app.test_client()
    assert client.get("/en/cache-probe").status_code == 200
    assert client.get("/en/cache-probe").status_code == 200
    assert renders["count"] == 2
    assert client.get("/en/").status_code == 200


def test_a_cache_store_that_is_down_is_one_warning_a_minute_not_a_traceback_a_request(
    database_url, tmp_path, db_session, caplog
):
    app, renders = _server(database_url, tmp_path, f"redis://127.0.0.1:{free_port()}/0")
    client = app.test_client()
    with caplog.at_level("WARNING", logger=app.logger.name):
        for _ in range(20):
            assert client.get("/en/cache-probe").status_code == 200
    assert renders["count"] == 20
    about_the_cache = [r for r in caplog.records if "cache" in r.getMessage().lower()]
    assert len(about_the_cache) == 1
    assert about_the_cache[0].exc_info is None
    assert "unreachable" in about_the_cache[0].getMessage()


def test_the_outage_record_waits_before_trying_again_and_says_when_it_is_back(caplog):
    import logging

    from portal.degraded import WARNING_INTERVAL_SECONDS, Outage

    now = [1000.0]
    outage = Outage("Store", logging.getLogger("outage-test"), retry_after=5, clock=lambda: now[0])
    with caplog.at_level("WARNING", logger="outage-test"):
        assert not outage.is_down()
        outage.failed(ConnectionError("refused"))
        assert outage.is_down()
        now[0] += 5
        assert not outage.is_down()  # one request may try again
        outage.failed(ConnectionError("refused"))  # within the minute: not logged
        now[0] += WARNING_INTERVAL_SECONDS
        outage.failed(ConnectionError("refused"))
        outage.recovered()
        outage.recovered()
    messages = [record.getMessage() for record in caplog.records]
    assert messages == [
        "Store unreachable (ConnectionError: refused); going on without it",
        "Store unreachable (ConnectionError: refused); going on without it"
        " (1 more failures since the last warning)",
        "Store reachable again",
    ]
