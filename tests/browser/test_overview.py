"""Issue 20.1: the global overview passes axe-core in a left-to-right and a right-to-left
language, and its Year form swaps the overview with HTMX, pushing the address."""

from __future__ import annotations

import pytest

from browser.browsing import PageErrors, axe_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/en/", "/ar/?year=2020"])
def test_the_overview_has_no_accessibility_violation(scripted_context, path):
    page = scripted_context.new_page()
    errors = PageErrors().watch(page)
    response = page.goto(path)
    assert response is not None and response.status == 200
    assert axe_violations(page) + errors.take() == []


def test_the_year_form_swaps_the_overview_and_moves_focus(scripted_context):
    page = scripted_context.new_page()
    errors = PageErrors().watch(page)
    page.goto("/en/")
    page.select_option("#overview-year", "2019")
    page.click("#year-selector button[type=submit]")
    page.wait_for_url("**/en/?year=2019")
    heading = page.locator("#overview-heading")
    assert heading.inner_text().strip().endswith("2019")
    assert heading.evaluate("(element) => element === document.activeElement")
    page.go_back()
    page.wait_for_url("**/en/")
    # Back restores the default year's overview (HTMX fetches the whole page again).
    page.wait_for_function(
        "() => !document.querySelector('#overview-heading').textContent.trim().endsWith('2019')"
    )
    assert not errors.take()
