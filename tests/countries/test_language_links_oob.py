"""Issue 17.1, HTMX state: after a swap, the language switcher and the <head>'s canonical and
language links name the page now shown, with its whole state. Every fragment sends them again
out of band, from the same macros the page renders them with (templates/_language_links.html).
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from countries import factories
from outcomes.reading import soup_of_any, text_of
from portal.config import SUPPORTED_LANGUAGES
from quality.page_checker import page_language_tag
from survey.walker import ANSWERS_POSTED, SurveyVisitor

HOST = "http://localhost"
HTMX = {"HX-Request": "true"}
LANGUAGE_LINK_IDS = {
    "language-switcher",
    "canonical-link",
    *(f"alternate-{lang}" for lang in SUPPORTED_LANGUAGES),
    "alternate-x-default",
}


@pytest.fixture
def public_host(app, monkeypatch) -> str:
    """A configured host, as in production: the <head>'s addresses are absolute."""
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["localhost"])
    return HOST


def fragment_of(client, url: str, target: str, **options) -> BeautifulSoup:
    response = client.get(url, headers={**HTMX, "HX-Target": target}, **options)
    assert response.status_code == 200, (url, response.status_code)
    assert "<html" not in response.get_data(as_text=True), "a fragment, not the page"
    return soup_of_any(response)


def language_links(markup: BeautifulSoup) -> dict:
    """The switcher's links, its current language, the canonical and the alternates."""
    switcher = markup.find(id="language-switcher")
    return {
        "switcher": {link["hreflang"]: link["href"] for link in switcher.find_all("a")},
        "current": switcher.find("a", attrs={"aria-current": "true"})["hreflang"],
        "canonical": markup.find("link", rel="canonical")["href"],
        "alternates": {
            link["hreflang"]: link["href"]
            for link in markup.find_all("link", rel="alternate", hreflang=True)
        },
    }


def assert_refreshed_out_of_band(client, fragment: BeautifulSoup, page_url: str) -> dict:
    """The fragment sends the switcher and every <head> link out of band, exactly as the page
    at `page_url` (the address HTMX pushes) has them."""
    swapped = {
        element["id"]
        for element in fragment.find_all(attrs={"hx-swap-oob": "true"})
        if element["id"] in LANGUAGE_LINK_IDS
    }
    assert swapped == LANGUAGE_LINK_IDS
    page = soup_of_any(client.get(page_url))
    assert page.find(id="language-switcher").get("hx-swap-oob") is None
    links = language_links(fragment)
    assert links == language_links(page)
    return links


# (what the visitor did, the address HTMX asks for and pushes, the region it swaps, the Spanish
# address the switcher then offers, the Spanish address the <head> names.)
COUNTRY_SWAPS = [
    (
        "tab link",
        "/fr/countries/MLI/progress",
        "panel",
        "/es/countries/MLI/progress",
        "/es/countries/MLI/progress",
    ),
    (
        "a list's page link",
        "/fr/countries/MLI/progress?page=2",
        "progress-list",
        "/es/countries/MLI/progress?page=2",
        "/es/countries/MLI/progress?page=2",
    ),
    (
        "Results & Resources page link",
        "/fr/countries/MLI/results-resources?page=2",
        "results-list",
        "/es/countries/MLI/results-resources?page=2",
        "/es/countries/MLI/results-resources?page=2",
    ),
    (
        "Map / Summary toggle",
        "/fr/countries/MLI/progress?page=2&view=summary",
        "country-view",
        "/es/countries/MLI/progress?page=2&view=summary",
        "/es/countries/MLI/progress?view=summary&page=2",
    ),
    (
        "Strategic Plan group link",
        "/fr/countries/MLI/strategic-plan?group=area-D2",
        "strategic-list",
        "/es/countries/MLI/strategic-plan?group=area-D2",
        "/es/countries/MLI/strategic-plan?group=area-D2",
    ),
    (
        "region tab link",
        "/fr/regions/298/progress",
        "panel",
        "/es/regions/298/progress",
        "/es/regions/298/progress",
    ),
]


@pytest.mark.parametrize(
    ("url", "target", "switcher_es", "head_es"),
    [case[1:] for case in COUNTRY_SWAPS],
    ids=[case[0] for case in COUNTRY_SWAPS],
)
def test_a_country_fragment_names_its_page_in_every_language(
    client, sample_data, public_host, url, target, switcher_es, head_es
):
    links = assert_refreshed_out_of_band(client, fragment_of(client, url, target), url)
    assert links["switcher"]["es"] == switcher_es
    assert links["switcher"]["en"] == switcher_es.replace("/es/", "/en/", 1)
    assert links["current"] == "fr"
    assert links["alternates"]["es"] == public_host + head_es
    assert links["alternates"]["x-default"] == public_host + head_es.replace("/es/", "/en/", 1)
    assert links["canonical"] == public_host + head_es.replace("/es/", "/fr/", 1)


def test_the_country_and_year_form_names_the_year_chosen(client, sample_data, public_host):
    # The form asks for the tab with its fields; the answer is a redirect to the page's address,
    # which HTMX follows with its headers and pushes.
    response = client.get(
        "/fr/countries/MLI/progress?country=MLI&year=2023&view=summary",
        headers={**HTMX, "HX-Target": "country-page"},
        follow_redirects=True,
    )
    pushed = response.request.path + "?" + response.request.query_string.decode()
    assert pushed == "/fr/countries/MLI/progress?year=2023&view=summary"
    fragment = soup_of_any(response)
    assert fragment.find("h1") is not None, "the whole country was swapped"
    links = assert_refreshed_out_of_band(client, fragment, pushed)
    assert links["switcher"]["es"] == "/es/countries/MLI/progress?year=2023&view=summary"
    assert links["alternates"]["es"] == HOST + "/es/countries/MLI/progress?year=2023&view=summary"
    # What the focused country name is read with: the year now shown (static/js/portal.js).
    description = fragment.find(attrs={"data-describes-swap": True})
    assert description["id"] and text_of(description) == "Année : 2023"


def test_the_outcome_results_page_link_names_the_page(client, db_session, public_host):
    made = factories.country_with_results(
        db_session, "MLI", "ML", "Mali", outcome_count=1, outputs_per_outcome=15
    )
    identifier = made.outcomes[0].iati_identifier
    url = f"/fr/outcomes/{identifier}?page=2"
    fragment = fragment_of(client, url, "outcome-results")
    assert text_of(fragment.select_one(".pagination-status")).startswith("Affichage de 11")
    links = assert_refreshed_out_of_band(client, fragment, url)
    assert links["switcher"]["es"] == f"/es/outcomes/{identifier}?page=2"
    assert links["alternates"]["es"].startswith(f"{HOST}/es/outcomes/{identifier}?")
    assert "page=2" in links["alternates"]["es"].split("?")[1].split("&")


def test_the_surveys_next_step_names_that_step(client, db_session, public_host):
    visitor = SurveyVisitor(client, "fr")
    assert visitor.answer("institution", ANSWERS_POSTED["institution"]).status_code == 303
    # Next, with HTMX: the answer's HX-Location has HTMX fetch question 2 into the region.
    fragment = fragment_of(client, "/fr/survey/visit-reason", "survey-region")
    links = assert_refreshed_out_of_band(client, fragment, "/fr/survey/visit-reason")
    assert links["switcher"] == {
        page_language_tag(lang): f"/{lang}/survey/visit-reason" for lang in SUPPORTED_LANGUAGES
    }
    assert links["alternates"]["es"] == HOST + "/es/survey/visit-reason"
    # Back, from question 2: the links name question 1.
    back = fragment_of(client, "/fr/survey/institution", "survey-region")
    assert language_links(back)["switcher"]["es"] == "/es/survey/institution"


def test_a_change_link_keeps_its_return_to_the_check_page(client, db_session):
    visitor = SurveyVisitor(client, "fr")
    visitor.answer_all()
    fragment = fragment_of(client, "/fr/survey/ease?return=check", "survey-region")
    assert language_links(fragment)["switcher"]["en"] == "/en/survey/ease?return=check"


def test_a_refused_answer_keeps_the_links_of_its_question(client, db_session):
    visitor = SurveyVisitor(client, "fr")
    page = visitor.open("/fr/survey/institution")
    token = soup_of_any(page).find("input", attrs={"name": "csrf_token"})["value"]
    response = client.post(
        "/fr/survey/institution",
        data={"csrf_token": token, "website": ""},
        headers={**HTMX, "HX-Target": "survey-region"},
    )
    assert response.status_code == 422
    fragment = soup_of_any(response)
    assert language_links(fragment)["switcher"]["es"] == "/es/survey/institution"


@pytest.mark.parametrize(
    "extra",
    [{"HX-History-Restore-Request": "true"}, {"HX-Boosted": "true"}],
    ids=["history-restore", "boosted"],
)
def test_a_whole_page_has_the_links_once_and_in_place(client, sample_data, extra):
    page = soup_of_any(
        client.get(
            "/fr/countries/MLI/progress?page=2", headers={**HTMX, "HX-Target": "panel", **extra}
        )
    )
    assert len(page.find_all(id="language-switcher")) == 1
    assert page.find(attrs={"hx-swap-oob": True}) is None
    assert page.find(id="language-switcher").find_parent("header") is not None
    assert {link["id"] for link in page.head.find_all("link", id=True)} == LANGUAGE_LINK_IDS - {
        "language-switcher"
    }
    assert language_links(page)["switcher"]["es"] == "/es/countries/MLI/progress?page=2"
