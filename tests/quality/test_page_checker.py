"""The page checker complains about each kind of broken page, and not about a good one."""

from __future__ import annotations

import gzip

import brotli
import pytest
from flask import Flask, make_response

from quality.page_checker import CheckedClient, page_problems

GOOD_BODY = """
<a class="skip-link" href="#main">Skip to main content</a>
<header><a href="/en/">Open Results Portal</a></header>
<main id="main" tabindex="-1">
  <h1>Mali</h1>
  <form action="/en/countries/MLI/" method="get" hx-get="/en/countries/MLI/" hx-target="#panel">
    <label for="year">Year</label>
    <select id="year" name="year"><option>2023</option></select>
    <label>Country <input name="country"></label>
    <input type="search" name="q" aria-label="Search">
    <input type="hidden" name="page" value="1">
    <button type="submit" hx-get="/en/countries/MLI/">Show</button>
  </form>
  <a href="/en/countries/MLI/progress" hx-get="/en/countries/MLI/progress">Our progress</a>
  <div id="panel"><h2 id="panel-heading">Overview</h2></div>
</main>
"""


def document(body: str = GOOD_BODY, *, lang: str = 'lang="en"', title: str = "Mali") -> str:
    return (
        f'<!doctype html><html {lang} dir="ltr"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body>{body}</body></html>"
    )


def broken(old: str, new: str) -> str:
    assert old in GOOD_BODY, old
    return document(GOOD_BODY.replace(old, new, 1))


def test_a_good_page_has_no_problems():
    assert page_problems(document(), url_language="en") == []


def test_a_good_fragment_has_no_problems():
    fragment = '<ul id="outcomes"><li><a href="/en/countries/MLI/progress?page=2">2</a></li></ul>'
    assert page_problems(fragment, fragment=True) == []


@pytest.mark.parametrize(
    ("html", "complaint"),
    [
        pytest.param(
            broken('<label for="year">Year</label>', ""),
            'form control without a label: <select id="year" name="year">',
            id="select without a label",
        ),
        pytest.param(
            broken('<label>Country <input name="country"></label>', '<input name="country">'),
            'form control without a label: <input name="country">',
            id="input without a label",
        ),
        pytest.param(
            broken('aria-label="Search"', 'aria-label=" "'),
            'form control without a label: <input name="q" type="search">',
            id="blank aria-label",
        ),
        pytest.param(
            broken('<div id="panel">', '<div id="main">'),
            'id="main" is used 2 times',
            id="duplicate id",
        ),
        pytest.param(
            broken("<h2 id=", "<h1 id="),
            "2 <h1> elements (a page has exactly one)",
            id="two h1",
        ),
        pytest.param(
            broken("<h1>Mali</h1>", "<p>Mali</p>"),
            "0 <h1> elements (a page has exactly one)",
            id="no h1",
        ),
        pytest.param(document(lang=""), "<html> has no lang attribute", id="no lang attribute"),
        pytest.param(
            document(lang='lang="fr"'), "<html lang='fr'> but the URL is in 'en'", id="wrong lang"
        ),
        pytest.param(document(title=" "), "no <title> or an empty one", id="empty title"),
        pytest.param(
            broken('<a class="skip-link" href="#main">Skip to main content</a>', ""),
            'the first focusable element is not a skip link href="#main" (<a href="/en/">)',
            id="no skip link",
        ),
        pytest.param(
            broken('<main id="main" tabindex="-1">', '<main tabindex="-1">'),
            'no <main id="main"> for the skip link to land on',
            id="skip link target missing",
        ),
        pytest.param(
            broken('href="/en/countries/MLI/progress"', 'href="#"'),
            "link to nowhere (href='#')",
            id='href="#"',
        ),
        pytest.param(
            broken('href="/en/countries/MLI/progress"', 'href="javascript:void(0)"'),
            "link to nowhere (href='javascript:void(0)')",
            id="javascript: link",
        ),
        pytest.param(
            broken('<div id="panel">', '<div id="panel" hx-get="/en/countries/MLI/progress">'),
            "HTMX request on an element that does nothing without JavaScript (use an <a href> "
            'or a <form action>): <div id="panel" hx-get="/en/countries/MLI/progress">',
            id="hx-get on a div",
        ),
        pytest.param(
            broken('<h2 id="panel-heading">', '<h2 id="panel-heading" data-hx-post="/x">'),
            "HTMX request on an element that does nothing without JavaScript",
            id="data-hx-post on a heading",
        ),
        pytest.param(
            broken('<form action="/en/countries/MLI/" ', "<form "),
            "HTMX request on an element that does nothing without JavaScript (use an <a href> "
            'or a <form action>): <form hx-get="/en/countries/MLI/">',
            id="hx-get on a form without action",
        ),
        pytest.param(
            broken("</form>", '</form><button hx-post="/en/survey/">Send</button>'),
            "does nothing without JavaScript (use an <a href> or a <form action>): "
            '<button hx-post="/en/survey/">',
            id="hx-post on a button outside a form",
        ),
    ],
)
def test_the_checker_complains_about_a_broken_page(html, complaint):
    problems = page_problems(html, url_language="en")
    assert any(complaint in problem for problem in problems), problems


def test_a_fragment_with_a_whole_document_is_a_problem():
    problems = page_problems(document(), fragment=True)
    assert problems == [
        "an HTMX fragment contains <!doctype>, <body>, <head>, <html> "
        "(it would nest a whole page in the target)"
    ]


@pytest.fixture
def broken_app() -> Flask:
    """A tiny app whose views answer the ways a real view could go wrong."""
    app = Flask(__name__)
    app.test_client_class = CheckedClient

    @app.get("/en/fragment")
    def fragment_without_vary():
        return '<ul id="outcomes"><li>One</li></ul>'

    @app.get("/en/fragment-with-vary")
    def fragment_with_vary():
        response = make_response('<ul id="outcomes"><li>One</li></ul>')
        response.vary.add("HX-Request")
        return response

    @app.get("/en/page-for-fragment")
    def page_although_it_varies():
        response = make_response(document())
        response.vary.add("HX-Request")
        return response

    @app.get("/en/same-for-everyone")
    def page_without_fragments():
        return document()

    @app.get("/en/two-headings")
    def two_headings():
        return document(GOOD_BODY.replace("<h2 id=", "<h1 id="))

    @app.get("/en/missing")
    def missing():
        return document("<p>Not found, and no skip link or heading either</p>"), 404

    @app.get("/en/data.csv")
    def csv_download():
        return "<not><html>", 200, {"Content-Type": "text/csv"}

    @app.get("/en/elsewhere")
    def elsewhere():
        return "", 302, {"Location": "/en/two-headings"}

    return app


def test_the_client_rejects_a_fragment_without_vary(broken_app):
    client = broken_app.test_client()
    with pytest.raises(AssertionError) as failure:
        client.get("/en/fragment", headers={"HX-Request": "true"})
    message = str(failure.value)
    assert "GET /en/fragment (200)" in message
    assert "an HTMX fragment response lacks 'Vary: HX-Request'" in message


def test_the_client_accepts_a_fragment_with_vary(broken_app):
    response = broken_app.test_client().get(
        "/en/fragment-with-vary", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200


def test_a_view_that_varies_must_not_answer_htmx_with_a_whole_page(broken_app):
    with pytest.raises(AssertionError, match="an HTMX fragment contains <!doctype>, <body>"):
        broken_app.test_client().get("/en/page-for-fragment", headers={"HX-Request": "true"})


def test_a_view_without_fragments_answers_htmx_with_its_page(broken_app):
    """Without `Vary`, the answer is the same page for everyone, and checked as a page."""
    client = broken_app.test_client()
    response = client.get("/en/same-for-everyone", headers={"HX-Request": "true"})
    assert response.status_code == 200


def test_a_boosted_request_expects_a_whole_page(broken_app):
    with pytest.raises(AssertionError, match="no <html> element"):
        broken_app.test_client().get(
            "/en/fragment-with-vary", headers={"HX-Request": "true", "HX-Boosted": "true"}
        )


def test_the_client_lists_every_problem_with_the_url(broken_app):
    with pytest.raises(AssertionError) as failure:
        broken_app.test_client().get("/en/two-headings?year=2023")
    message = str(failure.value)
    assert "1 problem(s) in the page GET /en/two-headings?year=2023 (200)" in message
    assert "2 <h1> elements" in message


def test_error_pages_are_checked(broken_app):
    with pytest.raises(AssertionError) as failure:
        broken_app.test_client().get("/en/missing")
    message = str(failure.value)
    assert "(404)" in message
    assert "0 <h1> elements" in message
    assert 'no <main id="main">' in message


def test_a_redirect_is_followed_and_its_target_checked(broken_app):
    client = broken_app.test_client()
    assert client.get("/en/elsewhere").status_code == 302
    with pytest.raises(AssertionError, match="2 <h1> elements"):
        client.get("/en/elsewhere", follow_redirects=True)


def test_responses_that_are_not_html_are_not_checked(broken_app):
    assert broken_app.test_client().get("/en/data.csv").status_code == 200


def test_a_test_can_opt_out_for_a_deliberately_odd_request(broken_app):
    client = broken_app.test_client()
    client.check_html = False
    assert client.get("/en/two-headings").status_code == 200


def test_the_suite_client_checks_pages(client):
    """The `client` fixture every test uses is the checking one (tests/conftest.py)."""
    assert isinstance(client, CheckedClient)
    assert client.check_html


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_a_compressed_page_is_read_and_checked(broken_app, encoding):
    """Pages the portal compresses for the visitor are decoded, not skipped."""
    compress = gzip.compress if encoding == "gzip" else brotli.compress

    @broken_app.get("/en/compressed")
    def compressed():
        body = compress(document(GOOD_BODY.replace("<h2 id=", "<h1 id=")).encode())
        return body, 200, {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": encoding}

    with pytest.raises(AssertionError, match="2 <h1> elements"):
        broken_app.test_client().get("/en/compressed")
