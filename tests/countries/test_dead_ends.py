"""Helpful dead ends (issue 17, point 6): a page past the last of a list answers 404 with a page
that says how many pages there are and links to the first and the last, the rest of the state
kept; a country the reference data knows but where no publisher works answers 404 with its
facts and a sentence saying so, while an unknown code keeps the plain "Page not found"."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from countries import factories
from iati.test_data_findings import GOOD_BUDGET, _activity, _import
from outcomes.reading import soup_of, soup_of_any, text_of
from portal.iati.models import Recipient
from portal.quality.queries import FINDINGS_PER_PAGE

FRAGMENT = {"HX-Request": "true"}


def address(url: str) -> tuple[str, dict[str, list[str]]]:
    """A URL as the server reads it: its path and its query, whatever the order of the names."""
    parts = urlsplit(url)
    return parts.path, parse_qs(parts.query)


def list_links(answer) -> list[str]:
    """The links of the dead end to pages of the list (not the one to the home page)."""
    return [link["href"] for link in answer.select(".error-message ul a")]


def assert_is_the_last_page(client, url: str) -> None:
    page = soup_of(client.get(url))
    assert page.select_one("nav.pagination a[rel=next]") is None
    assert page.select_one("nav.pagination a[rel=prev]") is not None


def assert_dead_end(client, path: str, page_count: int, first: str, last: str) -> None:
    """`path` answers 404 with one <h1>, "There are N pages" and links to `first` and `last`
    (each answering 200, `last` the list's last page); and so does the French address."""
    for lang in ("en", "fr"):
        localised = path.replace("/en/", f"/{lang}/", 1)
        response = client.get(localised)
        assert response.status_code == 404, localised
        answer = soup_of_any(response)
        assert answer.html["lang"] == lang and len(answer.find_all("h1")) == 1
        assert answer.title.get_text().strip()
        if lang == "en":
            assert answer.h1.get_text() == "Page not found"
            assert f"There are {page_count} pages." in text_of(answer.select_one(".error-message"))
        expected = [url.replace("/en/", f"/{lang}/", 1) for url in (first, last)]
        links = list_links(answer)
        assert [address(link) for link in links] == [address(url) for url in expected]
        assert client.get(links[0]).status_code == 200
        assert_is_the_last_page(client, links[1])
        # Home stays one click away, in the visitor's language.
        assert answer.select_one(f".error-message a[href='/{lang}/']") is not None


def assert_htmx_dead_end(client, path: str, target: str, first: str, last: str) -> None:
    """An HTMX request past the end gets the same 404, as a fragment with the same links."""
    response = client.get(path, headers={**FRAGMENT, "HX-Target": target})
    assert response.status_code == 404
    assert "HX-Request" in response.vary
    body = response.get_data(as_text=True)
    assert "<html" not in body
    links = list_links(soup_of_any(response))
    assert [address(link) for link in links] == [address(first), address(last)]


# --- The country tabs' lists --------------------------------------------------------------------

MALI = "/en/countries/MLI"


def test_the_overview_past_its_last_page(client, db_session):
    factories.country_with_outcomes(db_session, outcome_count=45)  # 20 a page: 3 pages
    first, last = f"{MALI}/", f"{MALI}/?page=3"
    assert_dead_end(client, f"{MALI}/?page=4", 3, first, last)
    assert_htmx_dead_end(client, f"{MALI}/?page=4", "outcome-list", first, last)


def test_results_resources_past_its_last_page(client, db_session):
    factories.country_with_results(db_session, outcome_count=12)  # 5 a page: 3 pages
    tab = f"{MALI}/results-resources"
    assert_dead_end(client, f"{tab}?page=9", 3, tab, f"{tab}?page=3")
    assert_htmx_dead_end(client, f"{tab}?page=9", "results-list", tab, f"{tab}?page=3")


def test_our_progress_past_its_last_page_keeps_the_year_and_the_view(client, db_session):
    factories.country_with_outcomes(db_session, outcome_count=12)  # 5 a page: 3 pages
    tab = f"{MALI}/progress"
    # A name the page does not read is not carried into the links.
    path = f"{tab}?year=2024&view=summary&page=4&utm_source=mail"
    first = f"{tab}?year=2024&view=summary"
    last = f"{tab}?year=2024&view=summary&page=3"
    assert_dead_end(client, path, 3, first, last)
    assert_htmx_dead_end(client, path, "progress-list", first, last)


def test_strategic_plan_past_its_last_page(client, db_session):
    factories.country_with_results(db_session, outcome_count=12)  # 10 a page: 2 pages
    tab = f"{MALI}/strategic-plan"
    assert_dead_end(client, f"{tab}?page=3", 2, tab, f"{tab}?page=2")
    assert_htmx_dead_end(client, f"{tab}?page=3", "strategic-list", tab, f"{tab}?page=2")


def test_a_strategic_plan_group_past_its_last_page_keeps_the_group(client, db_session):
    factories.country_with_results(db_session, outcome_count=12)  # every outcome is in SDG 5
    tab = f"{MALI}/strategic-plan"
    first, last = f"{tab}?group=sdg-5", f"{tab}?group=sdg-5&page=2"
    assert_dead_end(client, f"{tab}?group=sdg-5&page=7", 2, first, last)
    assert_htmx_dead_end(client, f"{tab}?group=sdg-5&page=7", "strategic-list", first, last)


def test_a_list_of_one_page_says_so_in_the_singular(client, db_session):
    factories.country_with_outcomes(db_session, outcome_count=3)
    response = client.get(f"{MALI}/progress?page=2")
    assert response.status_code == 404
    answer = soup_of_any(response)
    assert "There is 1 page." in text_of(answer.select_one(".error-message"))
    assert list_links(answer) == [f"{MALI}/progress"]


# --- A region's tabs, the outcome page, the data-quality page -----------------------------------


def _region_outcomes(session, count: int) -> None:
    """`count` outcomes for region 298 (Africa) rather than a country."""
    for number in range(1, count + 1):
        row = factories.outcome(session, "RAF", f"1.{number}")
        row.country_iso3 = None
        row.recipients = [Recipient(position=0, kind="region", code="298", vocabulary="1")]
    session.flush()


def test_a_region_tab_past_its_last_page(client, db_session):
    _region_outcomes(db_session, 12)  # Our Progress, 5 a page: 3 pages
    tab = "/en/regions/298/progress"
    assert_dead_end(client, f"{tab}?page=5", 3, tab, f"{tab}?page=3")
    assert_htmx_dead_end(client, f"{tab}?page=5", "progress-list", tab, f"{tab}?page=3")


def test_the_outcome_page_results_past_their_last_page(client, db_session):
    made = factories.country_with_results(
        db_session, outcome_count=1, outputs_per_outcome=12, indicators_per_output=1
    )  # 10 results a page: 2 pages
    page = f"/en/outcomes/{made.outcomes[0].iati_identifier}"
    first, last = f"{page}?plan_period=2022-2025", f"{page}?plan_period=2022-2025&page=2"
    assert_dead_end(client, f"{page}?page=5", 2, first, last)
    assert_htmx_dead_end(client, f"{page}?page=5", "outcome-results", first, last)


def test_the_data_quality_findings_past_their_last_page(client, db_session, tmp_path):
    zero = GOOD_BUDGET.replace(">1000<", ">0<")
    _import(db_session, tmp_path, _activity(budget=zero * (FINDINGS_PER_PAGE + 10)))
    page = "/en/data-quality/?kind=budget-not-above-zero"
    first, last = f"{page}&page=1", f"{page}&page=2"  # the page's own links name page 1
    path = f"{page}&page=3"
    assert_dead_end(client, path, 2, first, last)
    assert_htmx_dead_end(client, path, "main", first, last)


# --- A country without outcomes -----------------------------------------------------------------


def _france(db_session) -> None:
    """France in the reference data, with facts, and no activity; Mali with outcomes."""
    factories.mali(db_session)
    factories.country(db_session, "FRA", "FR", "France", region_m49="150", subregion_m49="155")
    factories.fact(db_session, "FRA", "income_group", 2023, text_value="H")
    factories.fact(db_session, "FRA", "population_total", 2022, value="68000000")
    db_session.flush()


@pytest.mark.parametrize("tab", ["/", "/results-resources", "/progress", "/strategic-plan"])
def test_a_country_without_outcomes_shows_its_facts_and_says_so(client, db_session, tab):
    _france(db_session)
    response = client.get(f"/en/countries/FRA{tab}")
    assert response.status_code == 404
    page = soup_of_any(response)
    assert page.html["lang"] == "en"
    assert [text_of(h1) for h1 in page.find_all("h1")] == ["France"]
    assert page.title.get_text().startswith("France – No published outcomes")
    facts = {text_of(fact.dt): text_of(fact.dd) for fact in page.select(".country-header .fact")}
    assert facts["Region"].startswith("Europe (Western Europe")
    assert facts["Income classification"].startswith("High income")
    assert facts["Population"].startswith("68,000,000")
    assert "No outcomes are published for France." in text_of(page.main)
    assert page.find("a", href="/en/countries/") is not None
    # Nothing to choose or list: no tabs, panel, Country / Year form, map or downloads. (The
    # header's search form, .site-search, is on every page, issue 20.2: not counted here.)
    page_form = "form:not(.site-search)"
    for selector in ("nav.tabs", ".tabs", "#panel", page_form, "#country-view", ".pagination"):
        assert page.select_one(selector) is None, selector
    assert page.find("link", rel="canonical") is None
    # Its facts can be reported as wrong, as on any country page.
    report = page.select_one(".country-header a[href*='/report-a-problem/country/FRA']")
    assert client.get(report["href"]).status_code == 200


def test_a_country_without_outcomes_in_french(client, db_session):
    _france(db_session)
    response = client.get("/fr/countries/FRA/progress?year=2024")
    assert response.status_code == 404
    page = soup_of_any(response)
    assert page.html["lang"] == "fr"
    assert [text_of(h1) for h1 in page.find_all("h1")] == ["France"]
    assert page.title.get_text().startswith("France – ")
    facts = {text_of(fact.dt): text_of(fact.dd) for fact in page.select(".country-header .fact")}
    assert facts["Population"].startswith("68 000 000")
    assert facts["Région"].startswith("Europe")
    assert page.find("a", href="/fr/countries/") is not None
    # No Country / Year form; the header's search form (every page, issue 20.2) is not one.
    assert page.select_one("#panel") is None
    assert page.select_one("form:not(.site-search)") is None


def test_a_country_without_outcomes_answers_htmx_with_the_same_page(client, db_session):
    _france(db_session)
    response = client.get("/en/countries/FRA/", headers={**FRAGMENT, "HX-Target": "country-page"})
    assert response.status_code == 404
    assert text_of(soup_of_any(response).h1) == "France"


def test_the_country_chooser_leaves_out_a_country_without_outcomes(client, db_session):
    _france(db_session)
    page = soup_of(client.get("/en/countries/MLI/"))
    assert [option["value"] for option in page.select("select[name=country] option")] == ["MLI"]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_unknown_code_is_still_the_plain_404(client, db_session, lang):
    _france(db_session)
    response = client.get(f"/{lang}/countries/XXX/")
    assert response.status_code == 404
    page = soup_of_any(response)
    assert page.html["lang"] == lang and len(page.find_all("h1")) == 1
    assert page.select_one(".country-header") is None
    assert "France" not in page.get_text() and "No outcomes" not in page.get_text()
    if lang == "en":
        assert text_of(page.h1) == "Page not found"
