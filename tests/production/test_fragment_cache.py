"""Issue 16.2: the parts of a page that change only with the data (the country chooser, a
country's header facts, the list of regions) are computed once per import and language and
kept (portal.fragments), also when the page cache is off."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from countries import factories
from countries.test_query_count import counted_statements
from portal import ledger
from portal.iati.models import ImportRun

from .apps import make_app
from .servers import free_port

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL")


def _app(database_url, instance, **settings) -> Flask:
    """Production's choice: page cache off, fragment cache on (as PORTAL_CACHE_ENABLED=0)."""
    return make_app(
        database_url,
        instance,
        PORTAL_CACHE_ENABLED=False,
        PORTAL_FRAGMENT_CACHE_ENABLED=True,
        **settings,
    )


def _visit(app: Flask, path: str) -> tuple[int, str]:
    with counted_statements() as statements:
        response = app.test_client().get(path)
    assert response.status_code == 200, path
    return len(statements), response.get_data(as_text=True)


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def _chooser(html: str) -> list[tuple[str, str, bool]]:
    select = soup_of(html).find("select", id="country-select")
    return [
        (option["value"], option.get_text(), option.has_attr("selected"))
        for option in select.find_all("option")
    ]


def _header(html: str) -> str:
    return str(soup_of(html).find("header", class_="country-header"))


def test_the_chooser_and_the_header_are_computed_once_per_data_version(
    database_url, tmp_path, sample_data
):
    app = _app(database_url, tmp_path)
    cold, mali = _visit(app, "/en/countries/MLI/")
    warm, mali_again = _visit(app, "/en/countries/MLI/")
    # the chooser's query and the facts' two are not run again
    assert warm <= cold - 3, (cold, warm)
    assert mali_again == mali

    plain = make_app(database_url, tmp_path / "plain", PORTAL_CACHE_ENABLED=False)
    assert plain.config["PORTAL_FRAGMENT_CACHE_ENABLED"] is False  # tests' default: off
    _count, computed = _visit(plain, "/en/countries/MLI/")
    assert computed == mali  # kept parts read exactly as computed ones

    # Another country: the same options, its own selected, its own header.
    _count, senegal = _visit(app, "/en/countries/SEN/")
    assert [(value, name) for value, name, _s in _chooser(senegal)] == [
        (value, name) for value, name, _s in _chooser(mali)
    ]
    assert [value for value, _n, selected in _chooser(senegal) if selected] == ["SEN"]
    assert [value for value, _n, selected in _chooser(mali) if selected] == ["MLI"]
    assert "Senegal" in _header(senegal) and "Mali" not in _header(senegal)


def test_each_language_has_its_own_parts(database_url, tmp_path, sample_data):
    app = _app(database_url, tmp_path)
    _visit(app, "/en/countries/SEN/")
    _count, french = _visit(app, "/fr/countries/SEN/")
    assert ("SEN", "Sénégal", True) in _chooser(french)
    assert "Sénégal" in _header(french)
    _count, spanish = _visit(app, "/es/countries/SEN/")
    assert ("SEN", "Senegal", True) in _chooser(spanish)
    assert "Región" in _header(spanish)


def test_an_import_makes_the_kept_parts_stale(database_url, tmp_path, sample_data):
    app = _app(database_url, tmp_path)
    _count, before = _visit(app, "/en/countries/MLI/")
    assert "NER" not in [value for value, _n, _s in _chooser(before)]

    factories.country_with_outcomes(sample_data, "NER", "NE", "Niger", outcome_count=2)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    sample_data.add(ImportRun(kind="iati", started_at=now, finished_at=now))
    sample_data.commit()

    _count, after = _visit(app, "/en/countries/MLI/")
    assert ("NER", "Niger", False) in _chooser(after)


def test_a_places_ledger_is_read_once_per_data_version_in_a_worker(
    database_url, tmp_path, sample_data, monkeypatch
):
    """The largest read of a page, the place's ledger, serves every tab, year and language
    until the next import; what the pages show is what a fresh read shows."""
    reads = []
    place_ledger = ledger.place_ledger

    def counted(session, scope):
        reads.append(scope)
        return place_ledger(session, scope)

    monkeypatch.setattr(ledger, "place_ledger", counted)
    app = _app(database_url, tmp_path)
    plain = make_app(database_url, tmp_path / "plain", PORTAL_CACHE_ENABLED=False)
    paths = [
        "/en/countries/MLI/",
        "/fr/countries/MLI/results-resources",
        "/es/countries/MLI/progress?year=2023",
        "/en/countries/MLI/strategic-plan?view=summary",
    ]
    for path in paths:
        assert _visit(app, path)[1] == _visit(plain, path)[1], path
    assert reads.count(ledger.country_scope("MLI")) == 1 + len(paths)  # once here, each plain

    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    sample_data.add(ImportRun(kind="iati", started_at=now, finished_at=now))
    sample_data.commit()
    reads.clear()
    _visit(app, "/en/countries/MLI/")
    _visit(app, "/fr/countries/MLI/")
    assert reads == [ledger.country_scope("MLI")]  # read again after the import, once


def test_region_pages_keep_the_list_of_regions(database_url, tmp_path, sample_data):
    app = _app(database_url, tmp_path)
    region = soup_of(app.test_client().get("/en/regions/").get_data(as_text=True)).select_one(
        "main a[href*='/regions/']"
    )
    path = region["href"]
    cold, page = _visit(app, path)
    warm, again = _visit(app, path)
    assert warm < cold, (cold, warm)
    assert again == page


def test_a_fragment_store_that_is_down_costs_nothing_but_the_saving(
    database_url, tmp_path, sample_data
):
    down = _app(database_url, tmp_path, PORTAL_CACHE_URL=f"redis://127.0.0.1:{free_port()}/0")
    _count, page = _visit(down, "/en/countries/MLI/")
    _count, computed = _visit(_app(database_url, tmp_path / "in-process"), "/en/countries/MLI/")
    assert page == computed


@pytest.mark.skipif(not REDIS_URL, reason="needs Redis: set PORTAL_TEST_REDIS_URL to run it")
def test_app_servers_share_the_parts_through_redis(database_url, tmp_path, sample_data):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    first = _app(database_url, tmp_path / "a", PORTAL_CACHE_URL=REDIS_URL)
    second = _app(database_url, tmp_path / "b", PORTAL_CACHE_URL=REDIS_URL)
    cold, page = _visit(first, "/en/countries/HTI/")
    warm, again = _visit(second, "/en/countries/HTI/")
    assert warm <= cold - 3, (cold, warm)
    assert again == page
