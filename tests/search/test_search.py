"""The search page: places, outcomes (identifier, words of any narrative), partners; hostile
queries answered with a message; the same few queries however many results."""

from __future__ import annotations

import re
from html import unescape

from bs4 import BeautifulSoup
from flask import g

from countries.test_query_count import counted_statements
from portal.pagination import PAGE_SIZE
from portal.search.queries import highlighted, query_words


def test_query_words_are_plain_words():
    assert query_words('"Égalité" AND x* NEAR(a b) -y') == [
        "egalite",
        "and",
        "x",
        "near",
        "a",
        "b",
        "y",
    ]
    assert query_words('* - " ( )') == []
    assert query_words("a\x00b") == ["a", "b"]


def test_highlight_escapes_before_marking():
    marked = highlighted("<b>Égalité</b> des sexes", ["egalite"])
    assert str(marked) == "&lt;b&gt;<mark>Égalité</mark>&lt;/b&gt; des sexes"


def _visit(client, db_session, path):
    db_session.expunge_all()
    g.pop("dataset_is_sample", None)
    with counted_statements() as statements:
        response = client.get(path)
    return response, len(statements)


def test_french_word_finds_its_outcome(client, six_files):
    # A French description in the Canadian file: "Police Nationale d'Haiti".
    response = client.get("/fr/search/?q=professionnalisation")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<mark>professionnalisation</mark>" in page
    assert "CA-3-" in page


def test_identifier_finds_the_outcome(client, six_files):
    from portal.iati.models import Outcome

    identifier = six_files.query(Outcome.iati_identifier).order_by(Outcome.id).first()[0]
    response = client.get("/en/search/", query_string={"q": identifier})
    assert response.status_code == 200
    page = unescape(response.get_data(as_text=True))
    assert f"/en/outcomes/{identifier}" in page


def test_a_country_by_its_name_in_the_language(client, six_files):
    page = client.get("/fr/search/?q=haïti").get_data(as_text=True)
    assert "/fr/countries/HTI/" in page
    page = client.get("/es/search/?q=haiti").get_data(as_text=True)
    assert "/es/countries/HTI/" in page


def test_a_partner_by_its_name(client, six_files):
    from portal.search.queries import partner_hits

    funder = partner_hits(six_files, ["a"], "en")[0]  # a funding partner read from the data
    response = client.get("/en/search/", query_string={"q": funder.name.text})
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert re.search(r"Funding partners \(\d+\)", page)
    assert funder.name.text.split()[0] in page
    assert "<mark>" in page


# Checked in one test (each test imports the six files again): query, the statuses it may get.
HOSTILE_QUERIES = (
    ('"', {400}),
    ("*", {400}),
    ("NEAR", {200}),
    ("-", {400}),
    ('"water" OR -x*', {200}),
    ("x" * 10_000, {400}),
    ("water\x00sanitation", {400}),  # refused before the view, with the 400 page
    ("", {200}),
    ("   ", {200}),
)


def test_hostile_queries_answer_a_message(client, six_files):
    for query, statuses in HOSTILE_QUERIES:
        response = client.get("/en/search/", query_string={"q": query})
        assert response.status_code in statuses, query[:20]
        page = response.get_data(as_text=True)
        if "\x00" in query:
            assert "<h1>Bad request</h1>" in page
        elif response.status_code == 400 or not query.strip():
            assert 'class="search-results__problem"' in page, query[:20]


def test_htmx_answers_the_results_alone(client, six_files):
    response = client.get("/en/search/?q=water", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<h1" not in response.get_data(as_text=True)
    assert "HX-Request" in response.headers["Vary"]


def test_every_page_has_the_search_form(client, six_files):
    page = client.get("/en/").get_data(as_text=True)
    assert 'role="search"' in page and 'action="/en/search/"' in page


def test_query_count_does_not_grow_with_results(client, six_files_unremembered):
    six_files = six_files_unremembered
    _few, few = _visit(client, six_files, "/en/search/?q=professionnalisation")
    _many, many = _visit(client, six_files, "/en/search/?q=a")
    assert _few.status_code == _many.status_code == 200
    assert few == many


def test_the_page_in_every_language(client, six_files):
    """The page checker (tests/quality) reads each answer: with results, empty and refused."""
    for lang in ["en", "ar", "zh", "fr", "ru", "es"]:
        for query in ("water", "", "*"):
            response = client.get(f"/{lang}/search/", query_string={"q": query})
            assert response.status_code in (200, 400)
            assert response.get_data(as_text=True).count("<h1") == 1
        fragment = client.get(f"/{lang}/search/?q=water&page=1", headers={"HX-Request": "true"})
        assert fragment.status_code == 200


def test_a_page_past_the_last_is_a_404(client, six_files):
    found = BeautifulSoup(
        client.get("/en/search/?q=water").get_data(as_text=True), "html.parser"
    ).select("#search-outcomes-heading")[0]
    pages = -(-int(re.search(r"\((\d+)\)", found.get_text()).group(1)) // PAGE_SIZE)
    past = client.get(f"/en/search/?q=water&page={pages + 1}")
    assert past.status_code == 404
    # The 404 page links to the first and the last page of this search (it counted them).
    links = {a["href"] for a in BeautifulSoup(past.get_data(as_text=True), "html.parser")("a")}
    assert {"/en/search/?q=water", f"/en/search/?q=water&page={pages}"} <= links, links
    assert client.get("/en/search/?q=professionnalisation&page=9").status_code == 404
    assert client.get("/en/search/?q=zzqqxx&page=2").status_code == 404  # none found
    assert client.get("/en/search/?q=water&page=x").status_code == 400


def test_the_language_switcher_keeps_the_search(client, six_files):
    """The page in another language is the same search: the switcher keeps the words the view
    read and checked (never another of the request's arguments), on the page and after a
    swap; a refused search is not carried over."""

    def switcher_links(response) -> dict[str, str]:
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        return {a["hreflang"]: a["href"] for a in page.select("#language-switcher a")}

    page = client.get("/en/search/?q=haïti&_external=1&_anchor=x")
    assert switcher_links(page)["fr"] == "/fr/search/?q=ha%C3%AFti"
    fragment = client.get("/en/search/?q=haïti&page=1", headers={"HX-Request": "true"})
    assert 'id="language-switcher"' in fragment.get_data(as_text=True)
    assert switcher_links(fragment)["es"] == "/es/search/?page=1&q=ha%C3%AFti"
    refused = client.get("/en/search/?q=*")
    assert switcher_links(refused)["fr"] == "/fr/search/"


def test_page_links_do_not_grow_with_results(client, six_files):
    """A common word has many pages of outcomes: the page links the first, the last and the
    two nearest on each side of the current one, never every page."""
    page = BeautifulSoup(client.get("/en/search/?q=a&page=5").get_data(as_text=True), "html.parser")
    numbers = [
        int(link.get_text(" ", strip=True).split()[-1]) for link in page.select(OUTCOME_PAGE_LINKS)
    ]
    assert max(numbers) > 10  # many pages
    assert set(numbers) == {1, 3, 4, 5, 6, 7, max(numbers)}


OUTCOME_PAGE_LINKS = "section[aria-labelledby=search-outcomes-heading] nav.pagination a:not([rel])"
PARTNER_NAMES = "#search-partners .search-results__list li"


def test_partners_are_shown_a_page_at_a_time(client, six_files):
    """A word in many partners' names: ten a page, with their own page links (labelled apart
    from the outcomes' ones), which keep the outcomes' page and swap the partners alone."""

    def soup(path, **headers):
        response = client.get(path, headers=headers)
        assert response.status_code == 200, path
        return BeautifulSoup(response.get_data(as_text=True), "html.parser")

    first = soup("/en/search/?q=a&page=3")
    heading = first.select_one("#search-partners-heading").get_text()
    total = int(heading.split("(")[1].split(")")[0].replace(",", ""))
    assert total > 20
    names = [li.get_text() for li in first.select(PARTNER_NAMES)]
    assert len(names) == 10
    labels = [nav["aria-label"] for nav in first.select("nav.pagination")]
    assert labels == ["Pages of outcomes", "Pages of funding partners"]
    # The partners' page links keep the outcomes' page; the outcomes' ones keep the partners'.
    second_link = first.select_one('nav[aria-label="Pages of funding partners"] a[rel=next]')
    assert second_link["href"] == "/en/search/?q=a&page=3&partners_page=2"
    assert second_link["hx-get"] == second_link["href"]
    assert first.select_one('nav[aria-label="Pages of funding partners"]')["hx-target"] == (
        "#search-partners"
    )
    second = soup(second_link["href"])
    assert "Showing 11 – 20 of" in second.select_one("#search-partners").get_text()
    later = [li.get_text() for li in second.select(PARTNER_NAMES)]
    assert later and not set(later) & set(names)
    outcome_link = second.select_one('nav[aria-label="Pages of outcomes"] a[rel=next]')
    assert outcome_link["href"] == "/en/search/?q=a&page=4&partners_page=2"
    # With HTMX the partners' region alone comes back.
    alone = soup(second_link["href"], **{"HX-Request": "true", "HX-Target": "search-partners"})
    assert [li.get_text() for li in alone.select(".search-results__list li")] == later
    assert alone.select_one("#search-outcomes-heading") is None
    last_page = -(-total // 10)
    assert client.get(f"/en/search/?q=a&partners_page={last_page + 1}").status_code == 404
    assert client.get("/en/search/?q=a&partners_page=two").status_code == 400
    # A refused search asked for by the partners' links answers its message, never a 500.
    for text, status in (("", 200), ("***", 400)):
        refused = client.get(
            f"/en/search/?q={text}&partners_page=2",
            headers={"HX-Request": "true", "HX-Target": "search-partners"},
        )
        assert refused.status_code == status
        assert 'role="status"' in refused.get_data(as_text=True)


def test_typing_sends_a_short_announcement_and_paging_none(client, six_files):
    """Results asked for by the field as the visitor types bring the counts for the status
    region (out of band); a page link's results do not (focus tells that change)."""
    typing = {"HX-Request": "true", "HX-Target": "search-results", "HX-Trigger": "search-page-q"}
    text = client.get("/en/search/?q=water", headers=typing).get_data(as_text=True)
    assert '<p id="search-announcement" hx-swap-oob="innerHTML">' in text
    assert re.search(r'id="search-announcement"[^>]*><span>Countries and regions \(\d+\)', text)
    paging = {"HX-Request": "true", "HX-Target": "search-results"}
    text = client.get("/en/search/?q=water&page=1", headers=paging).get_data(as_text=True)
    assert "search-announcement" not in text
    page = client.get("/en/search/?q=water").get_data(as_text=True)
    assert 'id="search-announcement" class="visually-hidden" role="status"></p>' in page
    assert 'id="search-results" aria-live' not in page
