"""The page cache: a page is rendered once per data version, and an import shows at once."""

from __future__ import annotations

import datetime as dt
import gzip
from collections import Counter

import brotli
import pytest
from sqlalchemy import event

from countries import factories
from portal.countries.models import Country
from portal.extensions import db
from portal.iati.models import ImportRun, Outcome

from .apps import cache_probe_blueprint, make_app


def _add_country_with_outcome(session, iso3: str, iso2: str, name: str) -> None:
    if session.get(Country, iso3) is None:
        factories.country(session, iso3, iso2, name)
    factories.outcome(session, iso3, f"1.{session.query(Outcome).count() + 1}")
    session.commit()


def _record_import(session, finished_at: dt.datetime | None = None) -> ImportRun:
    finished_at = finished_at or dt.datetime(2026, 3, 4, 5, 6, 7)
    run = ImportRun(kind="iati", started_at=finished_at, finished_at=finished_at)
    session.add(run)
    session.commit()
    return run


def test_home_page_is_served_from_the_cache_until_an_import(cached_portal, db_session):
    client = cached_portal.client()
    _add_country_with_outcome(db_session, "MLI", "ML", "Mali")
    _record_import(db_session)
    assert "Mali" in client.get("/en/").get_data(as_text=True)

    # Data written without an import run (not how the portal changes data) is not seen:
    # the page comes from the cache.
    _add_country_with_outcome(db_session, "SEN", "SN", "Senegal")
    assert "Senegal" not in client.get("/en/").get_data(as_text=True)

    _record_import(db_session, dt.datetime(2026, 3, 5))
    page = client.get("/en/").get_data(as_text=True)
    assert "Mali" in page and "Senegal" in page


def test_a_cached_page_costs_one_query(cached_portal, db_session):
    client = cached_portal.client()
    _add_country_with_outcome(db_session, "MLI", "ML", "Mali")
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        if not statement.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):  # the test's own
            statements.append(statement)

    engine = db_session.get_bind().engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        client.get("/en/")
        rendered = len(statements)
        statements.clear()
        client.get("/en/")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert rendered > 1
    assert len(statements) == 1 and "import_run" in statements[0]


@pytest.mark.parametrize(
    ("first", "second", "same_entry"),
    [
        ("/en/cache-probe?year=2021&page=2", "/en/cache-probe?page=2&year=2021", True),
        ("/en/cache-probe?page=1", "/en/cache-probe?page=2", False),
        ("/en/cache-probe", "/fr/cache-probe", False),
    ],
)
def test_key_is_path_sorted_query_and_language(cached_portal, first, second, same_entry):
    client = cached_portal.client()
    one = client.get(first).get_data(as_text=True)
    two = client.get(second).get_data(as_text=True)
    assert (one == two) is same_entry
    assert client.get(second).get_data(as_text=True) == two  # and each is kept


def test_htmx_fragments_and_pages_are_kept_apart(cached_portal):
    client = cached_portal.client()
    asked = {
        "page": {},
        "fragment": {"HX-Request": "true"},
        "panel": {"HX-Request": "true", "HX-Target": "panel"},
        "boosted": {"HX-Request": "true", "HX-Boosted": "true"},
        "history": {"HX-Request": "true", "HX-History-Restore-Request": "true"},
    }
    first = {
        name: client.get("/en/cache-probe", headers=h).get_data(as_text=True)
        for name, h in asked.items()
    }
    again = {
        name: client.get("/en/cache-probe", headers=h).get_data(as_text=True)
        for name, h in asked.items()
    }
    assert again == first  # each kept
    assert first["page"].endswith(": page")
    assert first["fragment"].endswith(": fragment for None")
    assert first["panel"].endswith(": fragment for panel")
    assert first["boosted"].endswith(": page") and first["history"].endswith(": page")


@pytest.mark.parametrize("query", ["a=1", "page=1&page=2", "year=2021&utm_source=x"])
def test_queries_with_names_pages_do_not_read_are_rendered_but_never_kept(cached_portal, query):
    client = cached_portal.client()
    assert client.get(f"/en/cache-probe?{query}").status_code == 200
    assert client.get(f"/en/cache-probe?{query}").status_code == 200
    assert cached_portal.renders["count"] == 2
    client.get("/en/cache-probe?year=2021")
    client.get("/en/cache-probe?year=2021")
    assert cached_portal.renders["count"] == 3


@pytest.mark.parametrize("asks", ["Cookie", "Session", "Csrf"])
def test_per_visitor_answers_are_never_cached(cached_portal, asks):
    client = cached_portal.client()
    first = client.get("/en/cache-probe", headers={f"X-Probe-{asks}": "1"})
    second = client.get("/en/cache-probe", headers={f"X-Probe-{asks}": "1"})
    assert first.get_data() != second.get_data()
    assert cached_portal.renders["count"] == 2


def test_only_get_200_answers_are_cached(cached_portal):
    client = cached_portal.client()
    assert client.get("/en/cache-probe", headers={"X-Probe-Status": "404"}).status_code == 404
    assert client.get("/en/cache-probe", headers={"X-Probe-Status": "404"}).status_code == 404
    client.post("/en/cache-probe")
    client.post("/en/cache-probe")
    assert cached_portal.renders["count"] == 4
    assert client.get("/en/cache-probe").get_data(as_text=True) == "render 5 in en: page"
    head = client.head("/en/cache-probe")  # answered from the GET's entry
    assert head.status_code == 200 and head.headers["ETag"] and not head.get_data()
    assert cached_portal.renders["count"] == 5


def test_an_import_run_makes_a_new_version(cached_portal, db_session):
    client = cached_portal.client()
    before = client.get("/en/cache-probe").get_data(as_text=True)
    _record_import(db_session)
    after = client.get("/en/cache-probe").get_data(as_text=True)
    assert before != after
    # An import that finishes later (a run recorded first, finished afterwards) changes it too.
    run = db_session.get(ImportRun, db_session.query(db.func.max(ImportRun.id)).scalar())
    run.finished_at = dt.datetime(2026, 5, 1)
    db_session.commit()
    assert client.get("/en/cache-probe").get_data(as_text=True) not in (before, after)


def test_etag_and_if_none_match(cached_portal, db_session):
    client = cached_portal.client()
    first = client.get("/en/")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get("/en/", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag
    _record_import(db_session)
    _add_country_with_outcome(db_session, "MLI", "ML", "Mali")
    _record_import(db_session, dt.datetime(2026, 4, 1))
    changed = client.get("/en/", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_last_modified_is_the_last_import_and_answers_if_modified_since(cached_portal, db_session):
    client = cached_portal.client()
    _record_import(db_session, dt.datetime(2026, 3, 4, 5, 6, 7))
    first = client.get("/en/")
    assert first.headers["Last-Modified"] == "Wed, 04 Mar 2026 05:06:07 GMT"
    same = client.get("/en/", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert same.status_code == 304
    older = client.get("/en/", headers={"If-Modified-Since": "Tue, 03 Mar 2026 00:00:00 GMT"})
    assert older.status_code == 200 and older.get_data()


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"),
    [("gzip", "gzip", gzip.decompress), ("gzip, deflate, br", "br", brotli.decompress)],
)
def test_cached_pages_are_compressed_once_per_encoding(cached_portal, accept, encoding, decode):
    client = cached_portal.client()
    plain = client.get("/en/")
    client.check_html = False  # the checker reads text; this body is compressed
    encoded = client.get("/en/", headers={"Accept-Encoding": accept})
    assert encoded.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in encoded.headers["Vary"]
    assert decode(encoded.get_data()) == plain.get_data()
    assert encoded.headers["ETag"] != plain.headers["ETag"]
    revalidated = client.get(
        "/en/", headers={"Accept-Encoding": accept, "If-None-Match": encoded.headers["ETag"]}
    )
    assert revalidated.status_code == 304


def test_cache_off_renders_every_time(database_url, tmp_path, db_session):
    app = make_app(database_url, tmp_path, PORTAL_CACHE_ENABLED=False)
    app.register_blueprint(cache_probe_blueprint(Counter()))
    client = app.test_client()
    assert client.get("/en/cache-probe").get_data() != client.get("/en/cache-probe").get_data()


@pytest.mark.parametrize("accept", ["", "gzip", "br"])
def test_without_the_cache_pages_still_carry_validators_and_answer_304(client, sample_data, accept):
    """Issue 16.4: with the page cache off (as in these tests), a page sends an ETag, the
    data's Last-Modified and Cache-Control: no-cache, and a visitor whose copy is current
    gets a 304 (for each encoding: the ETag names it)."""
    assert not client.application.config["PORTAL_CACHE_ENABLED"]
    headers = {"Accept-Encoding": accept} if accept else {}
    page = client.get("/en/countries/MLI/", headers=headers)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-cache"
    assert page.headers["ETag"].endswith(f':{accept}"' if accept else '"')
    assert page.headers["Last-Modified"]
    for condition in (
        {"If-None-Match": page.headers["ETag"]},
        {"If-Modified-Since": page.headers["Last-Modified"]},
    ):
        again = client.get("/en/countries/MLI/", headers={**headers, **condition})
        assert again.status_code == 304, condition
        assert again.get_data() == b""
    changed = client.get("/en/countries/MLI/", headers={**headers, "If-None-Match": '"x"'})
    assert changed.status_code == 200 and changed.get_data() == page.get_data()


@pytest.mark.parametrize("header", ["X-Probe-Session", "X-Probe-Csrf", "X-Probe-Cookie"])
def test_without_the_cache_a_per_visitor_page_gets_no_validators(
    database_url, tmp_path, db_session, header
):
    app = make_app(database_url, tmp_path, PORTAL_CACHE_ENABLED=False)
    app.register_blueprint(cache_probe_blueprint(Counter()))
    client = app.test_client()
    assert "ETag" in client.get("/en/cache-probe").headers
    per_visitor = client.get("/en/cache-probe", headers={header: "1"})
    assert per_visitor.status_code == 200
    assert "ETag" not in per_visitor.headers


@pytest.mark.parametrize(
    ("encoding", "decode"), [("gzip", gzip.decompress), ("br", brotli.decompress)]
)
def test_a_page_first_asked_for_compressed_is_kept_whole(cached_portal, encoding, decode):
    client = cached_portal.client()
    client.check_html = False  # the first body is compressed
    first = client.get("/en/", headers={"Accept-Encoding": encoding})
    assert first.headers["Content-Encoding"] == encoding
    client.check_html = True
    plain = client.get("/en/")
    assert "Content-Encoding" not in plain.headers
    assert decode(first.get_data()) == plain.get_data()
    assert first.headers["ETag"] == plain.headers["ETag"][:-1] + f':{encoding}"'
