"""Results & Resources and Strategic Plan Contributions show their outcomes a page at a time,
as Our Progress does: "Showing 1 – 5 of 12", real links that HTMX turns into swaps of the list
alone, the state in the URL, a 404 past the last page; the figures stay those of every
outcome, and the downloads hold every row."""

from __future__ import annotations

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from countries import factories
from countries.test_pages_htmx import oob_ids
from downloads.reading import download_links, download_rows, every_page
from outcomes.reading import (
    assert_error_page,
    figures_box,
    listed_outcomes,
    outcome_items,
    soup_of,
    spending_in,
    text_of,
)
from portal.countries.navigation import OVERVIEW_PAGE_SIZE, RESULTS_RESOURCES_PAGE_SIZE
from portal.downloads import tables
from portal.outcomes.queries import OUTPUTS_SHOWN_PER_OUTCOME
from portal.pagination import PAGE_SIZE, visible_pages

RESULTS = "/en/countries/MLI/results-resources"
STRATEGIC = "/en/countries/MLI/strategic-plan"
LIST = {"HX-Request": "true"}


def identifiers(container) -> list[str]:
    return [text_of(span) for span in container.select("li .identifier")]


def status(page) -> str:
    return text_of(page.select_one(".pagination-status[data-focus-after-swap]"))


def pagination_links(page, nav_id: str) -> dict[str, str]:
    nav = page.find("nav", id=nav_id)
    return {text_of(link): link["href"] for link in nav.find_all("a")}


def twelve_outcomes(db_session):
    return factories.country_with_results(db_session, outcome_count=12, outputs_per_outcome=1)


# --- Overview -----------------------------------------------------------------------------------

OVERVIEW = "/en/countries/MLI/"


def test_the_overview_lists_twenty_outcomes_a_page(client, db_session):
    factories.country_with_outcomes(db_session, outcome_count=45)
    assert OVERVIEW_PAGE_SIZE == 20
    first = soup_of(client.get(OVERVIEW))
    assert status(first) == "Showing 1 – 20 of 45"
    numbers = [f"XM-DAC-41146-MLI_D_1.{n}" for n in range(1, 46)]
    assert identifiers(first.find(id="outcome-list")) == numbers[:20]
    nav = first.find("nav", id="outcome-pagination")
    assert nav["hx-target"] == "#outcome-list" and nav["hx-push-url"] == "true"
    assert pagination_links(first, "outcome-pagination")["Next"] == OVERVIEW + "?page=2"
    last = soup_of(client.get(OVERVIEW + "?page=3"))
    assert status(last) == "Showing 41 – 45 of 45"
    assert identifiers(last.find(id="outcome-list")) == numbers[40:]
    assert last.title.get_text().startswith("Overview – Mali – 2024 – page 3")
    # The figures above the list are of every outcome, on every page.
    figures = first.select_one("dl.figures")
    assert figures is not None and "45" in text_of(figures)
    assert str(figures) == str(last.select_one("dl.figures"))
    assert listed_outcomes(client, OVERVIEW) == numbers
    assert_error_page(client, OVERVIEW + "?page=4", 404)


def test_the_overview_pagination_as_htmx_swaps_only_the_list(client, db_session):
    factories.country_with_outcomes(db_session, outcome_count=45)
    response = client.get(OVERVIEW + "?page=2", headers={**LIST, "HX-Target": "outcome-list"})
    body = response.get_data(as_text=True)
    assert "<html" not in body and "<h1" not in body
    fragment = soup_of(response)
    assert fragment.find(id="panel-heading") is None
    assert status(fragment) == "Showing 21 – 40 of 45"
    assert oob_ids(fragment) == {"view-toggle"}
    page = soup_of(client.get(OVERVIEW + "?page=2"))
    assert page.find(id="outcome-list").find("ul") == fragment.find("ul")


def test_a_short_overview_list_has_no_page_links(client, db_session):
    factories.country_with_outcomes(db_session, outcome_count=OVERVIEW_PAGE_SIZE)
    page = soup_of(client.get(OVERVIEW))
    assert len(identifiers(page.find(id="outcome-list"))) == OVERVIEW_PAGE_SIZE
    assert page.select_one(".pagination-status") is None
    assert page.find("nav", id="outcome-pagination") is None


# --- Results & Resources ------------------------------------------------------------------------


def test_results_resources_shows_five_outcomes_a_page(client, db_session):
    twelve_outcomes(db_session)
    assert RESULTS_RESOURCES_PAGE_SIZE == 5
    first = soup_of(client.get(RESULTS))
    assert status(first) == "Showing 1 – 5 of 12"
    assert list(outcome_items(first)) == [f"XM-DAC-41146-MLI_D_1.{n}" for n in range(1, 6)]
    assert first.select_one("ol.outcome-resources-list")["start"] == "1"

    last = soup_of(client.get(RESULTS + "?page=3"))
    assert status(last) == "Showing 11 – 12 of 12"
    assert list(outcome_items(last)) == ["XM-DAC-41146-MLI_D_1.11", "XM-DAC-41146-MLI_D_1.12"]
    assert last.title.get_text().startswith("Results & Resources – Mali – 2024 – page 3")
    shown = [item for page in every_page(client, RESULTS) for item in outcome_items(page)]
    assert shown == [f"XM-DAC-41146-MLI_D_1.{n}" for n in range(1, 13)]


@pytest.mark.parametrize(
    ("query", "status_code"),
    [
        ("page=4", 404),
        ("page=9999", 404),
        ("page=abc", 400),
        ("page=0", 400),
        ("page=2&page=3", 400),
    ],
)
def test_results_resources_bad_pages_get_the_portals_error_page(
    client, db_session, query, status_code
):
    twelve_outcomes(db_session)
    assert_error_page(client, f"{RESULTS}?{query}", status_code)


def test_results_resources_totals_and_partners_are_every_outcomes(client, db_session):
    twelve_outcomes(db_session)
    pages = every_page(client, RESULTS)
    assert len(pages) == 3
    totals = [
        figures_box(page.find(id="rr-totals-heading").find_parent("section"), "Year 2024")
        for page in pages
    ]
    # 12 outcomes × 60 000 of expenditure, on every page, not the five shown.
    assert {str(spending_in(box["Spending"])) for box in totals} == {str({"USD": Decimal(720000)})}
    partners = {
        text_of(page.find(id="rr-partners-heading").find_parent("section")) for page in pages
    }
    assert len(partners) == 1
    # The chart by outcome draws the outcomes of the page it is on.
    chart = pages[2].find(id="rr-chart")
    assert "Showing 11 – 12 of 12" in text_of(chart)
    codes = [text_of(row.th.select_one(".identifier")) for row in chart.select("tbody tr")]
    assert codes == ["MLI_D_1.11", "MLI_D_1.12"]


def test_results_resources_download_holds_every_outcome_from_any_page(client, db_session):
    twelve_outcomes(db_session)
    page = soup_of(client.get(RESULTS + "?page=2"))
    links = download_links(page)
    assert set(links) >= {"csv", "xlsx", "json"}
    for file_format in ("csv", "xlsx", "json"):
        rows = download_rows(client, links[file_format], tables.RESULTS_RESOURCES)
        outcomes = {row["iati_identifier"] for row in rows if row["record"] == "outcome"}
        assert len(outcomes) == 12, file_format
        # Each outcome's output has two indicators, each with its 2024 period.
        assert sum(row["record"] == "indicator" for row in rows) == 12 * 2


def test_results_resources_pagination_as_htmx_swaps_the_list_and_its_chart(client, db_session):
    twelve_outcomes(db_session)
    response = client.get(
        RESULTS + "?page=2&view=summary", headers={**LIST, "HX-Target": "results-list"}
    )
    assert {"HX-Request", "HX-Target"} <= set(response.vary)
    body = response.get_data(as_text=True)
    assert "<html" not in body and "<h1" not in body
    fragment = soup_of(response)
    assert fragment.find(id="panel-heading") is None
    assert status(fragment) == "Showing 6 – 10 of 12"
    assert len(outcome_items(fragment)) == 5
    # The chart of the outcomes shown and the Map / Summary links (they carry the page) follow.
    assert oob_ids(fragment) == {"rr-chart", "view-toggle"}
    assert fragment.title.get_text().startswith("Results & Resources – Mali – 2024 – page 2")
    page = soup_of(client.get(RESULTS + "?page=2&view=summary"))
    assert page.find(id="results-list").find("ol") == fragment.find("ol")


def test_results_resources_links_are_real_links_that_keep_the_state(client, db_session):
    twelve_outcomes(db_session)
    page = soup_of(client.get(RESULTS + "?year=2024&view=summary&page=2"))
    nav = page.find("nav", id="results-pagination")
    assert nav["aria-label"] == "Pagination"
    assert nav["hx-target"] == "#results-list" and nav["hx-push-url"] == "true"
    assert all(link["hx-get"] == link["href"] for link in nav.find_all("a"))
    links = pagination_links(page, "results-pagination")
    assert links["Previous"] == "/en/countries/MLI/results-resources?year=2024&view=summary"
    assert links["Next"] == "/en/countries/MLI/results-resources?year=2024&view=summary&page=3"
    assert nav.find("a", attrs={"aria-current": "page"})["href"].endswith("page=2")
    # Another tab, another year or the form starts the list again; the view keeps the page.
    tabs = {text_of(a): a["href"] for a in page.find(id="country-tabs").find_all("a")}
    assert tabs["Overview"] == "/en/countries/MLI/?year=2024&view=summary"
    toggle = page.find("nav", id="view-toggle").find("a", string="Map")["href"]
    assert toggle == "/en/countries/MLI/results-resources?year=2024&view=map&page=2"


def test_results_resources_leaves_an_outcomes_further_outputs_to_its_page(client, db_session):
    factories.country_with_results(db_session, outcome_count=1, outputs_per_outcome=7)
    item = outcome_items(soup_of(client.get(RESULTS)))["XM-DAC-41146-MLI_D_1.1"]
    assert OUTPUTS_SHOWN_PER_OUTCOME == 5
    assert len(item.select("li.output")) == 5
    more = item.select_one(".outputs-more a")
    assert text_of(more) == "2 more outputs are on the outcome page."
    outcome = soup_of(client.get(more["href"]))
    assert len(outcome.select("#outcome-results li.output")) == 7


def test_the_view_toggle_on_results_resources_refreshes_the_page_links(client, db_session):
    twelve_outcomes(db_session)
    fragment = soup_of(
        client.get(RESULTS + "?page=2&view=summary", headers={**LIST, "HX-Target": "country-view"})
    )
    assert oob_ids(fragment) == {"country-tabs", "country-selector", "results-pagination"}
    links = pagination_links(fragment, "results-pagination")
    assert links["Next"] == "/en/countries/MLI/results-resources?view=summary&page=3"


# --- Strategic Plan Contributions ---------------------------------------------------------------


def area_links(page) -> dict[str, str]:
    table = page.select("table.contribution-table")[0]
    return {text_of(link): link["href"] for link in table.select("tbody th a")}


def test_strategic_plan_lists_ten_outcomes_a_page_with_their_groups(client, db_session):
    twelve_outcomes(db_session)
    assert PAGE_SIZE == 10
    first = soup_of(client.get(STRATEGIC))
    listed = first.find(id="strategic-list")
    assert status(first) == "Showing 1 – 10 of 12"
    assert identifiers(listed) == [f"XM-DAC-41146-MLI_D_1.{n}" for n in range(1, 11)]
    third = listed.select(".outcome-list li")[2]  # 1.3: area D4, goals 5 and 16
    assert "Strategic Plan area: Strategic Plan area D4" in text_of(third)
    assert "Sustainable Development Goals: SDG 5; SDG 16" in text_of(third)
    last = soup_of(client.get(STRATEGIC + "?page=2"))
    assert identifiers(last.find(id="strategic-list")) == [
        "XM-DAC-41146-MLI_D_1.11",
        "XM-DAC-41146-MLI_D_1.12",
    ]
    # The groups' tables and the totals are every outcome's on every page.
    for page in (first, last):
        areas = page.select("table.contribution-table")[0]
        assert [text_of(cell) for cell in areas.select("tfoot td")][0] == "12"
    assert client.get(STRATEGIC + "?page=3").status_code == 404


def test_a_groups_link_lists_its_outcomes_a_page_at_a_time(client, db_session):
    factories.country_with_results(db_session, outcome_count=44, outputs_per_outcome=0)
    page = soup_of(client.get(STRATEGIC + "?year=2024&view=summary"))
    href = area_links(page)["Strategic Plan area D2 · Development outcome 2"]
    # Area D2: outcomes 1, 5, 9 … 41, eleven of them; the link keeps the year and view.
    assert href == (
        "/en/countries/MLI/strategic-plan?year=2024&view=summary&group=area-D2#sp-outcomes-heading"
    )
    group_page = soup_of(client.get(href.split("#")[0]))
    chosen = group_page.select_one("#strategic-list section.contribution-group")
    assert text_of(chosen.h4) == "Strategic Plan area D2 · Development outcome 2"
    assert text_of(chosen.select_one(".contribution-group__figures")).startswith("11 outcomes")
    assert status(group_page) == "Showing 1 – 10 of 11"
    assert group_page.title.get_text().startswith(
        "Strategic Plan Contributions – Mali – 2024 – Strategic Plan area D2"
    )
    links = pagination_links(group_page, "strategic-pagination")
    assert links["Next"] == (
        "/en/countries/MLI/strategic-plan?year=2024&view=summary&group=area-D2&page=2"
    )
    second = soup_of(client.get(links["Next"]))
    assert identifiers(second.find(id="strategic-list")) == ["XM-DAC-41146-MLI_D_1.41"]
    # The language links keep the whole state.
    french = second.select_one(".language-switcher a[hreflang=fr]")["href"]
    assert french == (
        "/fr/countries/MLI/strategic-plan?year=2024&view=summary&group=area-D2&page=2"
    )
    everyone = chosen.find("a", string="All outcomes, each counted once")["href"]
    assert everyone == "/en/countries/MLI/strategic-plan?year=2024&view=summary"
    # Another tab, or another year (which may not have the group), starts without it.
    tabs = {text_of(a): a["href"] for a in group_page.find(id="country-tabs").find_all("a")}
    assert tabs["Results & Resources"] == (
        "/en/countries/MLI/results-resources?year=2024&view=summary"
    )


@pytest.mark.parametrize(
    ("query", "status_code"),
    [
        ("group=area-D9", 404),  # no such group here
        ("group=sdg-17", 404),
        ("group=area-D2&page=2", 404),  # three outcomes: one page
        ("group=D2", 400),
        ("group=area-D%C3%A9", 400),
        ("group=area-D2&group=area-D3", 400),
        ("group=" + "area-" + "D" * 60, 400),
        ("group=area-D2&page=x", 400),
    ],
)
def test_strategic_plan_bad_groups_and_pages(client, db_session, query, status_code):
    factories.country_with_results(db_session, outcome_count=12, outputs_per_outcome=0)
    assert_error_page(client, f"{STRATEGIC}?{query}", status_code)


def test_strategic_plan_group_link_as_htmx_swaps_only_the_list(client, db_session):
    twelve_outcomes(db_session)
    page = soup_of(client.get(STRATEGIC))
    table_link = page.select("table.contribution-table")[1].select_one("tbody th a")
    assert table_link["hx-target"] == "#strategic-list" and table_link["hx-push-url"] == "true"
    assert table_link["hx-get"] == "/en/countries/MLI/strategic-plan?group=sdg-5"
    response = client.get(table_link["hx-get"], headers={**LIST, "HX-Target": "strategic-list"})
    body = response.get_data(as_text=True)
    assert "<html" not in body and "<h1" not in body
    fragment = soup_of(response)
    assert fragment.find("table") is None  # the list only, not the tables
    assert text_of(fragment.select_one("section.contribution-group h4")) == "SDG 5"
    assert status(fragment) == "Showing 1 – 10 of 12"
    assert oob_ids(fragment) == {"view-toggle"}
    assert fragment.find(id="view-toggle").find("a", string="Summary")["href"] == (
        "/en/countries/MLI/strategic-plan?group=sdg-5&view=summary"
    )


def test_the_view_toggle_on_strategic_plan_refreshes_the_group_links(client, db_session):
    twelve_outcomes(db_session)
    fragment = soup_of(
        client.get(
            STRATEGIC + "?view=summary&group=sdg-5&page=2",
            headers={**LIST, "HX-Target": "country-view"},
        )
    )
    assert oob_ids(fragment) == {"country-tabs", "country-selector", "panel"}
    assert area_links(fragment)["Strategic Plan area D2 · Development outcome 2"].startswith(
        "/en/countries/MLI/strategic-plan?view=summary&group=area-D2"
    )
    assert status(fragment) == "Showing 11 – 12 of 12"


def test_strategic_plan_download_holds_every_outcome_from_any_page(client, db_session):
    twelve_outcomes(db_session)
    page = soup_of(client.get(STRATEGIC + "?group=sdg-5&page=2"))
    rows = download_rows(client, download_links(page)["json"], tables.STRATEGIC_PLAN)
    areas = {row["iati_identifier"] for row in rows if row["grouping"] == "strategic_plan_area"}
    assert len(areas) == 12
    assert sum(row["group_code"] == "5" for row in rows) == 12


def _linked_and_gaps(current: int, page_count: int, window: int) -> list[int | None]:
    """Page links as the template once drew them, page by page: a number when linked, None
    for the "…" that stands for the first page left out on either side of the window."""
    drawn: list[int | None] = []
    for number in range(1, page_count + 1):
        if number in (1, page_count) or abs(number - current) <= window:
            drawn.append(number)
        elif abs(number - current) == window + 1:
            drawn.append(None)
    return drawn


@pytest.mark.parametrize("window", [1, 2, 3])
def test_visible_pages_are_the_first_last_and_nearest_with_gaps_marked(window):
    for page_count in range(1, 40):
        for current in range(1, page_count + 1):
            assert visible_pages(current, page_count, window) == _linked_and_gaps(
                current, page_count, window
            ), (current, page_count, window)
    assert visible_pages(3, 5) == [1, 2, 3, 4, 5]
    assert visible_pages(1, 129, 2) == [1, 2, 3, None, 129]


def test_page_links_of_a_long_list_stay_few(client, db_session):
    """A list of many pages links only the nearest few (a search for a common word at ×10
    has 129 pages of outcomes)."""
    from flask import render_template_string

    template = (
        '{% from "_macros/pagination.html" import pagination %}'
        "{{ pagination(50, 500, url, window=2) }}"
    )
    with client.application.test_request_context("/en/"):
        html = render_template_string(template, url=lambda number: f"/p/{number}")
    links = [a["href"] for a in BeautifulSoup(html, "html.parser").select("nav.pagination a")]
    assert links == [f"/p/{n}" for n in (49, 1, 48, 49, 50, 51, 52, 500, 51)]
    assert html.count("…") == 2
