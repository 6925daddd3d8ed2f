"""In a real browser: the partner index and a partner's page have no axe-core violation, in a
left-to-right and a right-to-left language, before and after HTMX swaps the outcome list."""

from __future__ import annotations

import pytest

from browser.browsing import PageErrors, axe_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_partner_pages_have_no_accessibility_violation(lang, scripted_context):
    page = scripted_context.new_page()
    errors = PageErrors().watch(page)
    response = page.goto(f"/{lang}/partners/")
    assert response is not None and response.status == 200
    found = axe_violations(page) + errors.take()
    # The partner with the most outcomes: its list is paginated when it is long.
    page.locator("a.partner-list__name").first.click()
    page.wait_for_load_state()
    assert "/partners/" in page.url and page.locator("h1").count() == 1
    found += axe_violations(page) + errors.take()
    following = page.locator("#partner-outcomes nav.pagination a[rel=next]")
    if following.count():
        following.click()
        page.wait_for_url("**page=2**")
        page.locator("#partner-outcomes .pagination-status").wait_for()
        assert page.locator("h1").count() == 1
        found += axe_violations(page) + errors.take()
    assert not found, "\n".join(found)
