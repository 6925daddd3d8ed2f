"""Hostile input on every route: odd path segments and query values never cause a 5xx.

Every GET route of the app's URL map is tried, first with a fixed list of nasty values, then
with values hypothesis draws (bounded: 200 examples, no deadline). Pages are the sample
data's, served with the page cache on, as in production.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .apps import make_app

NASTY_VALUES = [
    "..",
    "%00",
    "\x00",
    "../../../etc/passwd",
    "-1",
    "0",
    str(10**30),
    str(-(10**30)),
    "1e309",
    "NaN",
    " ",
    "é—漢字💥",
    "<script>alert(1)</script>",
    "a" * 400,
]
KNOWN_VALUES = {
    "lang": ["en", "fr", "es", "EN", "de"],
    "iso3": ["MLI", "SEN", "ALB", "mli", "XXX", "FRA"],
    "filename": ["css/portal.css", "js/portal.js", "vendor/htmx.min.js", "../pyproject.toml"],
}
QUERY_NAMES = ["year", "page", "view", "group", "plan_period", "format", "country", "lang", "v"]
# Names url_for treats as its own instructions or as route arguments: none may reach it.
QUERY_NAMES += [
    "_method",
    "_external",
    "_scheme",
    "_anchor",
    "_host",
    "iso3",
    "slug",
    "file_format",
]
HTMX_HEADERS = [
    {},
    {"HX-Request": "true"},
    {"HX-Request": "true", "HX-Target": "panel"},
    {"HX-Request": "true", "HX-Target": "progress-list"},
    {"HX-Request": "true", "HX-Boosted": "true"},
    {"HX-Request": "true", "HX-History-Restore-Request": "true"},
]
ARGUMENT = re.compile(r"<(?:(?P<converter>[^:<>]+):)?(?P<name>[^<>]+)>")

nasty_text = st.one_of(
    st.sampled_from(NASTY_VALUES),
    st.text(min_size=1, max_size=30),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
)


def argument_values(name: str) -> st.SearchStrategy[str]:
    if name in KNOWN_VALUES:
        return st.one_of(st.sampled_from(KNOWN_VALUES[name]), nasty_text)
    return nasty_text


query_strategy = st.lists(
    st.tuples(st.one_of(st.sampled_from(QUERY_NAMES), st.text(max_size=8)), nasty_text),
    max_size=4,
)


def build_path(rule, values: dict[str, str]) -> str:
    def substitute(match: re.Match) -> str:
        safe = "/" if match.group("converter") == "path" else ""
        return quote(values[match.group("name")], safe=safe)

    return ARGUMENT.sub(substitute, rule.rule)


def get_rules(app) -> list:
    return sorted(
        (rule for rule in app.url_map.iter_rules() if "GET" in rule.methods),
        key=lambda rule: rule.rule,
    )


@pytest.fixture
def fuzz_client(served_database, tmp_path):
    app = make_app(served_database.url, tmp_path, PORTAL_CACHE_ENABLED=True)
    yield app, app.test_client()
    from portal.extensions import db

    with app.app_context():
        db.engine.dispose()


def assert_served(client, path: str, query: list[tuple[str, str]], headers: dict) -> None:
    url = path + ("?" + urlencode(query) if query else "")
    # The page checker judges whole pages; whether a page without fragments should answer a
    # stray HTMX request with a fragment is not what this test is about.
    client.check_html = not headers
    response = client.get(url, headers=headers)
    try:
        assert response.status_code < 500, f"{response.status_code} for GET {url!r} {headers}"
        if response.mimetype.startswith("text/") or response.mimetype.endswith("json"):
            response.get_data().decode("utf-8")  # the body decodes
    finally:
        response.close()


def test_every_route_with_nasty_values(fuzz_client):
    app, client = fuzz_client
    for rule in get_rules(app):
        for value in NASTY_VALUES:
            values = dict.fromkeys(rule.arguments, value)
            if "lang" in values:
                values["lang"] = "fr"
            assert_served(client, build_path(rule, values), [], {})
            sensible = {name: KNOWN_VALUES.get(name, ["x"])[0] for name in rule.arguments}
            query = [(name, value) for name in QUERY_NAMES[:5]]
            assert_served(client, build_path(rule, sensible), query, {"HX-Request": "true"})


@settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_paths_queries_and_htmx_headers(fuzz_client, data):
    app, client = fuzz_client
    rule = data.draw(st.sampled_from(get_rules(app)), label="route")
    values = {name: data.draw(argument_values(name), label=name) for name in rule.arguments}
    query = data.draw(query_strategy, label="query")
    headers = data.draw(st.sampled_from(HTMX_HEADERS), label="headers")
    assert_served(client, build_path(rule, values), query, headers)
