"""Issue 16.4: `portal warm-cache` renders the most visited pages into the page cache, so
the next visitor of each is answered from the cache (no page query runs)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask import g

from countries.test_query_count import counted_statements
from portal.caching import page_cache
from portal.config import SUPPORTED_LANGUAGES
from portal.countries.queries import country_choices
from portal.warming import WARMING_HEADERS, most_visited_pages

from .apps import make_app

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL")
MALI = Path(__file__).parent.parent / "iati" / "fixtures" / "iati-2.01-mali.xml"


def _statements_for(client, db_session, path: str) -> int:
    db_session.expunge_all()
    g.pop("dataset_is_sample", None)
    with counted_statements() as statements:
        response = client.get(path, headers=WARMING_HEADERS)
    assert response.status_code == 200, path
    return len(statements)


def test_warm_cache_puts_every_country_overview_in_the_cache(cached_portal, sample_data):
    app = cached_portal.app
    countries = country_choices(sample_data)
    pages = most_visited_pages(app)
    assert len(pages) == len(SUPPORTED_LANGUAGES) * (2 + len(countries))
    assert "/fr/countries/MLI/" in pages
    cold = _statements_for(app.test_client(), sample_data, "/es/countries/SEN/")
    assert cold > 5  # rendered: the page's own queries
    with app.app_context():  # the command's app, not the tests' (whose context is active)
        result = app.test_cli_runner().invoke(args=["warm-cache"])
    assert result.exit_code == 0, result.output
    assert f"Pages in the cache: {len(pages)}" in result.output
    for path in ("/en/", "/fr/countries/", "/es/countries/MLI/", "/es/countries/SEN/"):
        # at most the data version is read: the page comes from the cache
        assert _statements_for(app.test_client(), sample_data, path) <= 1, path


def test_warm_cache_says_so_when_the_page_cache_is_off(runner):
    result = runner.invoke(args=["warm-cache"])
    assert result.exit_code == 0
    assert "The page cache is off" in result.output


def test_an_import_does_not_warm_a_cache_that_only_its_own_process_would_see(runner):
    result = runner.invoke(args=["import-iati", str(MALI)])
    assert result.exit_code == 0, result.output
    assert "Pages in the cache" not in result.output


@pytest.mark.skipif(not REDIS_URL, reason="needs Redis: set PORTAL_TEST_REDIS_URL to run it")
def test_an_import_warms_the_shared_cache_for_every_app_server(database_url, tmp_path, db_session):
    app = make_app(database_url, tmp_path, PORTAL_CACHE_ENABLED=True, PORTAL_CACHE_URL=REDIS_URL)
    with app.app_context():
        page_cache.clear()
        try:
            result = app.test_cli_runner().invoke(args=["import-iati", str(MALI)])
            assert result.exit_code == 0, result.output
            pages = most_visited_pages(app)
            assert f"Pages in the cache: {len(pages)}" in result.output
            # another app server, sharing the store, answers from it
            other = make_app(
                database_url,
                tmp_path / "other",
                PORTAL_CACHE_ENABLED=True,
                PORTAL_CACHE_URL=REDIS_URL,
            )
            assert _statements_for(other.test_client(), db_session, "/fr/countries/MLI/") <= 1
        finally:
            page_cache.clear()
