"""The country page with JavaScript: HTMX swaps one region, pushes its URL, moves focus to the
new heading and announces it; Back and Forward restore the right state from the server."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from browser.browsing import PageErrors, axe_violations, wait_until_settled

pytestmark = pytest.mark.browser

COUNTRY = "/en/countries/MLI/"


def focused(page: Page) -> dict:
    return page.evaluate(
        """() => ({
            id: document.activeElement.id,
            text: document.activeElement.textContent.trim(),
            announced: Array.from(document.querySelectorAll('[aria-live]'))
                .map((region) => region.textContent.trim()).join(' ').trim(),
        })"""
    )


def still_the_same_document(page: Page) -> bool:
    """A marker set on window survives a swap but not a page load."""
    return page.evaluate("() => window.__countryPageMarker === true")


@pytest.fixture
def country_page(scripted_context, live_server):
    page = scripted_context.new_page()
    errors = PageErrors().watch(page)
    response = page.goto(COUNTRY)
    if response is None or response.status == 404:
        pytest.fail("the sample database has no Mali: `portal sample` must build it")
    page.evaluate("() => { window.__countryPageMarker = true; }")
    yield page
    assert not errors.take()


def current_tab(page: Page):
    return page.locator("#country-tabs a[aria-current=page]")


def test_tabs_swap_the_panel_move_focus_and_announce(country_page):
    page = country_page
    page.locator("#country-tabs a", has_text="Our Progress").click()

    expect(page).to_have_url(re.compile(r"/en/countries/MLI/progress$"))
    expect(page.locator("#panel-heading")).to_have_text("Our Progress")
    expect(current_tab(page)).to_have_text("Our Progress")
    expect(page.locator(".pagination-status")).to_have_text("Showing 1 – 5 of 9")
    expect(page).to_have_title(re.compile(r"^Our Progress – Mali"))
    # Focus moves when HTMX has settled the swap, a moment after the new text is in.
    expect(page.locator("#panel-heading")).to_be_focused()
    # Focus is the announcement; the live region does not repeat it.
    assert focused(page) == {"id": "panel-heading", "text": "Our Progress", "announced": ""}
    assert still_the_same_document(page)
    # The form and the Map / Summary links now name the tab shown.
    expect(page.locator("#country-selector")).to_have_attribute(
        "action", "/en/countries/MLI/progress"
    )
    assert page.locator("h1").count() == 1
    assert not axe_violations(page)


def test_pagination_swaps_the_list_and_back_restores_each_state(country_page):
    page = country_page
    page.locator("#country-tabs a", has_text="Our Progress").click()
    expect(page.locator(".pagination-status")).to_have_text("Showing 1 – 5 of 9")

    page.locator("nav[aria-label=Pagination] a", has_text="Next").click()
    expect(page).to_have_url(re.compile(r"/en/countries/MLI/progress\?page=2$"))
    expect(page.locator(".pagination-status")).to_have_text("Showing 6 – 9 of 9")
    expect(page.locator("nav[aria-label=Pagination] a[aria-current=page]")).to_have_text(
        re.compile(r"2$")
    )
    expect(page.locator(".pagination-status")).to_be_focused()
    assert still_the_same_document(page)

    page.go_back()
    expect(page).to_have_url(re.compile(r"/en/countries/MLI/progress$"))
    expect(page.locator(".pagination-status")).to_have_text("Showing 1 – 5 of 9")

    page.go_back()
    expect(page).to_have_url(re.compile(r"/en/countries/MLI/$"))
    expect(page.locator("#panel-heading")).to_have_text("Overview")
    expect(current_tab(page)).to_have_text("Overview")
    assert page.locator("h1").count() == 1

    page.go_forward()
    expect(page).to_have_url(re.compile(r"/en/countries/MLI/progress$"))
    expect(page.locator("#panel-heading")).to_have_text("Our Progress")
    expect(current_tab(page)).to_have_text("Our Progress")


def test_results_resources_pagination_swaps_the_list_and_its_chart(country_page):
    page = country_page
    page.locator("#country-tabs a", has_text="Results & Resources").click()
    expect(page.locator("#results-list .pagination-status")).to_have_text("Showing 1 – 5 of 9")

    page.locator("#results-pagination a", has_text="Next").click()
    expect(page).to_have_url(re.compile(r"/en/countries/MLI/results-resources\?page=2$"))
    status = page.locator("#results-list .pagination-status")
    expect(status).to_have_text("Showing 6 – 9 of 9")
    expect(status).to_be_focused()
    expect(page.locator("#results-list li.outcome-resources")).to_have_count(4)
    # The chart by outcome follows the list; the totals stay those of all nine.
    expect(page.locator("#rr-chart .pagination-status")).to_have_text("Showing 6 – 9 of 9")
    expect(page.locator("#rr-chart tbody tr")).to_have_count(4)
    assert still_the_same_document(page)
    assert page.locator("h1").count() == 1
    assert not axe_violations(page)

    page.go_back()
    expect(page).to_have_url(re.compile(r"/en/countries/MLI/results-resources$"))
    expect(page.locator("#results-list .pagination-status")).to_have_text("Showing 1 – 5 of 9")


def test_strategic_plan_group_link_lists_the_groups_outcomes(country_page):
    page = country_page
    page.locator("#country-tabs a", has_text="Strategic Plan Contributions").click()
    expect(page.locator("#panel-heading")).to_have_text("Strategic Plan Contributions")
    link = page.locator("table.contribution-table").first.locator("tbody th a").first
    name = link.text_content().strip()
    link.click()

    expect(page).to_have_url(re.compile(r"/strategic-plan\?group=area-[A-Za-z0-9_-]+$"))
    expect(page.locator("#strategic-list section.contribution-group h4")).to_have_text(name)
    expect(page.locator("#strategic-list .pagination-status")).to_be_focused()
    assert still_the_same_document(page)
    assert not axe_violations(page)

    page.locator("#strategic-list a", has_text="All outcomes, each counted once").click()
    expect(page).to_have_url(re.compile(r"/en/countries/MLI/strategic-plan$"))
    expect(page.locator("#strategic-list section.contribution-group")).to_have_count(0)


def test_map_summary_toggle_swaps_its_box_and_the_tabs_keep_the_view(country_page):
    page = country_page
    expect(page.locator("#country-view svg[role=img]")).to_have_count(1)
    page.locator("#view-toggle a", has_text="Summary").click()

    expect(page).to_have_url(re.compile(r"/en/countries/MLI/\?view=summary$"))
    expect(page.locator("#country-view svg")).to_have_count(0)
    wait_until_settled(page)  # focus moves when the swap has settled, not when the text is in
    expect(page.locator("#country-view-heading")).to_have_text("Summary")
    expect(page.locator("#country-view-heading")).to_be_focused()
    assert still_the_same_document(page)

    page.locator("#country-tabs a", has_text="Our Progress").click()
    expect(page).to_have_url(re.compile(r"/en/countries/MLI/progress\?view=summary$"))
    # The box said "Summary" before the swap too: wait for the panel, then for the swap's end.
    expect(page.locator("#panel-heading")).to_have_text("Our Progress")
    wait_until_settled(page)
    expect(page.locator("#country-view-heading")).to_have_text("Summary")
    assert not axe_violations(page)


def test_country_and_year_form_swaps_the_country(country_page):
    page = country_page
    page.locator("#country-tabs a", has_text="Our Progress").click()
    expect(page.locator("#panel-heading")).to_have_text("Our Progress")

    page.select_option("#year-select", "2023")
    page.get_by_role("button", name="Show").click()

    expect(page).to_have_url(re.compile(r"/en/countries/MLI/progress\?year=2023$"))
    expect(page.locator("#panel .panel__period")).to_contain_text("2023")
    expect(page.locator("#year-select")).to_have_value("2023")
    expect(page.locator("h1")).to_be_focused()
    assert focused(page)["text"] == "Mali"
    assert still_the_same_document(page)
    assert page.locator("h1").count() == 1


def test_without_javascript_every_state_is_a_plain_page(scriptless_context, live_server):
    page = scriptless_context.new_page()
    if page.goto(COUNTRY).status == 404:
        pytest.fail("the sample database has no Mali: `portal sample` must build it")
    page.locator("#country-tabs a", has_text="Our Progress").click()
    expect(page).to_have_url(re.compile(r"/en/countries/MLI/progress$"))
    page.locator("nav[aria-label=Pagination] a", has_text="Next").click()
    expect(page.locator(".pagination-status")).to_have_text("Showing 6 – 9 of 9")
    page.locator("#view-toggle a", has_text="Summary").click()
    expect(page).to_have_url(re.compile(r"progress\?page=2&view=summary$"))
    page.select_option("#year-select", "2023")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/en/countries/MLI/progress\?year=2023&view=summary$"))


def test_a_link_whose_swap_fails_is_followed_to_the_error_page(scripted_context, live_server):
    page = scripted_context.new_page()
    if page.goto(COUNTRY).status == 404:
        pytest.fail("the sample database has no Mali: `portal sample` must build it")
    # A stale link, as after a new import removed outcomes: its page no longer exists.
    page.evaluate(
        """() => {
            const link = document.createElement('a');
            link.href = link.textContent = '/en/countries/MLI/progress?page=99';
            link.setAttribute('hx-get', link.getAttribute('href'));
            link.setAttribute('hx-target', '#panel');
            link.id = 'stale-link';
            document.getElementById('panel').prepend(link);
            htmx.process(link);
        }"""
    )
    page.locator("#stale-link").click()
    expect(page).to_have_url(re.compile(r"progress\?page=99$"))
    expect(page.locator("h1")).to_have_text("Page not found")
