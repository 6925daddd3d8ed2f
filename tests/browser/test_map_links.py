"""Issue 17.4: a keyboard user reaches a country on the world map, sees where focus is, and
opens the country's page with Enter; the pages with the map pass axe-core."""

from __future__ import annotations

import pytest

from browser.browsing import PageErrors, axe_violations

pytestmark = pytest.mark.browser

MOST_TAB_PRESSES_TO_THE_MAP = 40

_FOCUSED_MAP_LINK = """() => {
  const element = document.activeElement;
  if (!element || element.tagName.toLowerCase() !== 'a' || !element.closest('svg.world-map')) {
    return null;
  }
  const style = getComputedStyle(element);
  return {
    href: element.getAttribute('href'),
    name: element.getAttribute('aria-label'),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    fill: getComputedStyle(element.querySelector('.map-country')).fill,
  };
}"""


def test_tab_reaches_a_country_on_the_map_shows_focus_and_enter_opens_its_page(
    scripted_context,
):
    page = scripted_context.new_page()
    errors = PageErrors().watch(page)
    page.goto("/en/countries/")
    world_map = page.locator("svg.world-map")
    unfocused = world_map.screenshot()
    group = page.get_by_role(
        "group", name="World map of the countries where the organisation works"
    )
    assert group.count() == 1, "the map is not a named group holding its links"

    focused = None
    for _ in range(MOST_TAB_PRESSES_TO_THE_MAP):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED_MAP_LINK)
        if focused:
            break
    assert focused, f"{MOST_TAB_PRESSES_TO_THE_MAP} Tabs never reached a country on the map"

    # Chromium exposes it as a link named as the country (not hidden inside an image).
    link = group.get_by_role("link", name=focused["name"], exact=True)
    assert link.count() == 1 and link.evaluate("(element) => element === document.activeElement")
    # Visible focus: the outline every focused element gets, and the country itself changes.
    assert focused["outline"], focused
    blurred_fill = link.evaluate(
        "(element) => { element.blur(); const fill = getComputedStyle("
        "element.querySelector('.map-country')).fill; element.focus(); return fill; }"
    )
    assert focused["fill"] != blurred_fill, focused
    assert world_map.screenshot() != unfocused, "focus does not change how the map looks"

    page.keyboard.press("Enter")
    page.wait_for_url(f"**{focused['href']}")
    assert page.locator("h1").inner_text().strip() == focused["name"]
    assert not errors.take()


@pytest.mark.parametrize("path", ["/en/", "/en/countries/", "/fr/countries/"])
def test_pages_with_the_world_map_have_no_accessibility_violation(scripted_context, path):
    page = scripted_context.new_page()
    errors = PageErrors().watch(page)
    response = page.goto(path)
    assert response is not None and response.status == 200
    assert axe_violations(page) + errors.take() == []
