"""Issue 14, point 1: no query parameter reaches `url_for`, and no link is built from a forged
Host header. Apps are made by `create_app` reading the environment, as in production."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from portal.links import QUERY_NAMES

from .test_fuzz import KNOWN_VALUES, build_path, get_rules

# Names url_for or Werkzeug's routing treat specially, and view argument names.
SPECIAL_NAMES = ["_method", "_external", "_scheme", "_anchor", "_charset", "_host"]
HOSTILE_VALUES = {
    "_method": "POST",
    "_external": "1",
    "_scheme": "javascript",
    "_anchor": "evil-anchor",
    "_charset": "utf-7",
    "_host": "evil.example",
}
FORGED_HOST = "evil.example"


@pytest.fixture
def environment_app(app_from_environment, monkeypatch, served_database):
    def make(**environment: str):
        for name in ("PORTAL_SERVER_NAME", "PORTAL_TRUSTED_HOSTS"):
            monkeypatch.delenv(name, raising=False)
        return app_from_environment(
            PORTAL_ENV="production",
            PORTAL_SECRET_KEY="a-production-secret",
            PORTAL_DATABASE_URL=served_database.url,
            PORTAL_CACHE_ENABLED="1",
            **environment,
        )

    return make


def _route_arguments(app) -> set[str]:
    return {argument for rule in app.url_map.iter_rules() for argument in rule.arguments}


def _hostile_links(body: str) -> list[str]:
    links = re.findall(r'(?:href|action|src)="([^"]*)"', body)
    links += re.findall(r'"(?:https?:)?//[^"]*"', body)
    return [
        link
        for link in links
        if FORGED_HOST in link
        or "javascript" in link
        or "evil-anchor" in link
        or "admin" in link
        or "%2E%2E" in link.upper()
        or "/../" in link
    ]


def test_special_query_names_never_reach_links_on_any_route(environment_app):
    """Every GET route, with each special name and each view argument name as a query
    parameter and a forged Host: never a 5xx, and no link on the answer takes them up."""
    app = environment_app()
    client = app.test_client()
    names = SPECIAL_NAMES + sorted(_route_arguments(app))
    assert {"lang", "iso3", "filename", "file_format"} <= set(names)
    for rule in get_rules(app):
        values = {name: KNOWN_VALUES.get(name, ["MLI"])[0] for name in rule.arguments}
        if "key" in values:
            values["key"] = "298"
        if "file_format" in values:
            values["file_format"] = "csv"
        path = build_path(rule, values)
        for name in names:
            value = HOSTILE_VALUES.get(name, "../../admin")
            url = f"{path}?{urlencode({name: value, 'x': '%00'})}"
            response = client.get(url, headers={"Host": FORGED_HOST})
            try:
                assert response.status_code < 500, (url, response.status_code)
                body = response.get_data(as_text=True)
            finally:
                response.close()
            if response.mimetype in ("text/html", "application/json"):
                assert _hostile_links(body) == [], (url, _hostile_links(body)[:3])


def test_a_forged_host_never_reaches_a_cached_page(environment_app):
    app = environment_app()
    client = app.test_client()
    forged = client.get("/api/v1/countries?_external=1", headers={"Host": FORGED_HOST})
    assert forged.status_code in (200, 400)
    page = client.get(
        "/en/countries/?_external=1&_scheme=javascript", headers={"Host": FORGED_HOST}
    )
    assert page.status_code == 200
    for url in ("/en/countries/", "/api/v1/countries", "/en/countries/MLI/"):
        body = client.get(url, headers={"Host": FORGED_HOST}).get_data(as_text=True)
        assert FORGED_HOST not in body, url
        again = client.get(url).get_data(as_text=True)
        assert FORGED_HOST not in again, url


def test_without_a_configured_host_api_links_are_paths(environment_app):
    client = environment_app().test_client()
    answer = client.get("/api/v1/countries", headers={"Host": FORGED_HOST}).json
    country = answer["data"][0]
    assert country["links"]["self"].startswith("/api/v1/countries/")
    assert answer["links"]["self"].startswith("/api/v1/countries")


def test_a_configured_server_name_is_the_only_host_in_links(environment_app):
    client = environment_app(PORTAL_SERVER_NAME="results.example.org").test_client()
    answer = client.get("/api/v1/countries", headers={"Host": FORGED_HOST}).json
    assert answer["data"][0]["links"]["self"].startswith(
        "http://results.example.org/api/v1/countries/"
    )
    assert FORGED_HOST not in str(answer)


def test_trusted_hosts_refuse_any_other_host(environment_app):
    client = environment_app(PORTAL_TRUSTED_HOSTS="results.example.org, localhost").test_client()
    refused = client.get("/en/countries/", headers={"Host": FORGED_HOST})
    assert refused.status_code == 400
    assert "<h1>" in refused.get_data(as_text=True)
    answer = client.get("/api/v1/countries", headers={"Host": "results.example.org"}).json
    assert answer["data"][0]["links"]["self"].startswith(
        "http://results.example.org/api/v1/countries/"
    )


def test_pages_are_kept_only_under_the_query_names_they_read(environment_app):
    from portal.caching import _keyable_query

    assert _keyable_query("year=2024&page=2")
    assert not _keyable_query("year=2024&year=2025")
    assert not _keyable_query("utm_source=x")
    assert not _keyable_query("_external=1")
    assert {"year", "page", "view", "plan_period", "per_page", "lang"} <= QUERY_NAMES
