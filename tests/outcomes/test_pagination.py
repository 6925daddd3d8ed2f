"""The outcome page shows its results ten at a time (outputs first, then the other results
folded away), as the country tabs page their lists: "Showing 11 – 20 of 23", real links that
HTMX turns into swaps of the list alone, the plan period kept, a 404 past the last page; its
download holds every result."""

from __future__ import annotations

import pytest

from countries import factories
from countries.test_query_count import statement_count
from downloads.reading import download_links, download_rows, every_page
from outcomes.reading import assert_error_page, soup_of, text_of
from portal.downloads import tables

PAGE = "/en/outcomes/XM-DAC-41146-MLI_D_1.1"
LIST = {"HX-Request": "true", "HX-Target": "outcome-results"}


def outcome_with_results(db_session, outputs: int = 15, others: int = 8, iso3: str = "MLI"):
    """Outcome 1.1 of the country (Mali, or Senegal with a second outcome) with `outputs`
    outputs and `others` outcome-level results, each with one indicator."""
    iso2, outcome_count = {"MLI": ("ML", 1), "SEN": ("SN", 2)}[iso3]
    made = factories.country_with_results(
        db_session,
        iso3,
        iso2,
        iso3.title(),
        outcome_count=outcome_count,
        outputs_per_outcome=outputs,
        indicators_per_output=1,
    )
    outcome = made.outcomes[0]
    for number in range(1, others + 1):
        result = factories.result(
            db_session, outcome, {"en": f"Outcome result {number}"}, type_code="2"
        )
        measured = factories.indicator(db_session, result, {"en": f"Outcome indicator {number}"})
        factories.indicator_period(db_session, measured, 2024, target="10", actual="5")
    db_session.flush()
    return outcome


def titles(page, selector: str) -> list[str]:
    return [text_of(item.select_one(".output__title")) for item in page.select(selector)]


def test_the_results_are_shown_ten_a_page_outputs_first(client, db_session):
    outcome_with_results(db_session)
    first = soup_of(client.get(PAGE))
    results = first.find(id="outcome-results")
    assert text_of(results.select_one(".pagination-status")) == "Showing 1 – 10 of 23"
    assert titles(results, ":scope > ol.outputs > li.output") == [
        f"Output 1.{n}" for n in range(1, 11)
    ]
    assert results.select_one("details.other-results") is None
    assert len(first.find_all("h1")) == 1

    second = soup_of(client.get(PAGE + "?page=2"))
    results = second.find(id="outcome-results")
    assert text_of(results.select_one(".pagination-status")) == "Showing 11 – 20 of 23"
    assert titles(results, ":scope > ol.outputs > li.output") == [
        f"Output 1.{n}" for n in range(11, 16)
    ]
    others = results.select_one("details.other-results")
    assert text_of(others.summary) == "8 other results (not outputs)"  # all of them, counted
    assert titles(others, "li.output") == [f"Outcome result {n}" for n in range(1, 6)]
    assert others.select_one("ol")["start"] == "1"
    assert second.title.get_text().startswith("Outcome 1.1 title – 2022-2025 – Mali – page 2")

    third = soup_of(client.get(PAGE + "?page=3")).find(id="outcome-results")
    assert titles(third, "details.other-results li.output") == [
        f"Outcome result {n}" for n in (6, 7, 8)
    ]
    assert "No output is published" not in text_of(third)  # they are on the earlier pages


def test_the_rest_of_the_page_is_the_whole_outcomes_on_every_page(client, db_session):
    outcome_with_results(db_session)
    pages = every_page(client, PAGE)
    assert len(pages) == 3
    for heading in ("outcome-money-heading", "outcome-progress-heading", "outcome-links-heading"):
        sections = {str(page.find(id=heading).find_parent("section")) for page in pages}
        assert len(sections) == 1, heading
    shown = [
        text_of(item.select_one(".output__title"))
        for page in pages
        for item in page.select("#outcome-results li.output")
    ]
    assert len(shown) == len(set(shown)) == 23


@pytest.mark.parametrize(
    ("query", "status_code"),
    [
        ("page=4", 404),
        ("page=9999", 404),
        ("page=abc", 400),
        ("page=0", 400),
        ("page=-1", 400),
        ("page=1&page=2", 400),
        ("plan_period=2018-2021&page=2", 404),  # no such plan period
    ],
)
def test_bad_pages_get_the_portals_error_page(client, db_session, query, status_code):
    outcome_with_results(db_session)
    assert_error_page(client, f"{PAGE}?{query}", status_code)


def test_the_page_links_are_real_links_that_keep_the_plan_period(client, db_session):
    outcome_with_results(db_session)
    page = soup_of(client.get(PAGE + "?plan_period=2022-2025&page=2"))
    nav = page.find("nav", id="outcome-results-pagination")
    assert nav["aria-label"] == "Pagination"
    assert nav["hx-target"] == "#outcome-results" and nav["hx-push-url"] == "true"
    links = {text_of(link): link for link in nav.find_all("a")}
    assert links["Previous"]["href"] == f"{PAGE}?plan_period=2022-2025"
    assert links["Next"]["href"] == f"{PAGE}?plan_period=2022-2025&page=3"
    assert all(link["hx-get"] == link["href"] for link in links.values())
    assert links["Page 2"]["aria-current"] == "page"


def test_a_page_link_as_htmx_swaps_only_the_results(client, db_session):
    outcome_with_results(db_session)
    response = client.get(PAGE + "?page=2", headers=LIST)
    assert {"HX-Request", "HX-Target"} <= set(response.vary)
    body = response.get_data(as_text=True)
    assert "<html" not in body and "<h1" not in body
    fragment = soup_of(response)
    assert fragment.select_one(".pagination-status").has_attr("data-focus-after-swap")
    assert text_of(fragment.select_one(".pagination-status")) == "Showing 11 – 20 of 23"
    assert fragment.find(id="outcome-money-heading") is None
    page = soup_of(client.get(PAGE + "?page=2"))
    assert page.find(id="outcome-results").find("ol") == fragment.find("ol")
    # Another HTMX request for the outcome still gets the whole outcome.
    whole = soup_of(client.get(PAGE + "?page=2", headers={"HX-Request": "true"}))
    assert whole.find("h1") is not None


def test_a_few_results_need_no_page_links(client, db_session):
    outcome_with_results(db_session, outputs=3, others=0)
    page = soup_of(client.get(PAGE))
    assert text_of(page.select_one(".pagination-status")) == "Showing 1 – 3 of 3"
    assert page.find("nav", id="outcome-results-pagination") is None
    assert client.get(PAGE + "?page=2").status_code == 404


def test_the_download_holds_every_result_from_any_page(client, db_session):
    outcome_with_results(db_session)
    page = soup_of(client.get(PAGE + "?page=3"))
    links = download_links(page)
    for file_format in ("csv", "xlsx", "json"):
        rows = download_rows(client, links[file_format], tables.OUTCOME)
        indicators = {row["indicator_title"] for row in rows if row["record"] == "indicator"}
        assert len(indicators) == 23, file_format
    assert links["xml"].endswith("/XM-DAC-41146-MLI_D_1.1.xml?plan_period=2022-2025")


@pytest.mark.parametrize(
    ("query", "headers"),
    [("", {}), ("?page=2", {}), ("?page=2", LIST), ("?page=2", {"HX-Request": "true"})],
)
def test_every_page_costs_the_same_for_few_and_many_results(client, db_session, query, headers):
    outcome_with_results(db_session, outputs=8, others=4, iso3="MLI")
    outcome_with_results(db_session, outputs=30, others=12, iso3="SEN")
    db_session.commit()
    few = statement_count(client, db_session, PAGE + query, headers)
    many = statement_count(
        client, db_session, "/en/outcomes/XM-DAC-41146-SEN_D_1.1" + query, headers
    )
    assert few == many
