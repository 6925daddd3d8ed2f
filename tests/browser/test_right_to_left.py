"""Issue 18: the Arabic pages run right to left, in a browser: what should mirror mirrors (the
tab row, the pagination, bar charts grow from the right, the reading and focus order) and what
should not does not (the map, identifiers). Each test reads element positions on the same page
in Arabic and in English, which runs left to right.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

# Slack for rounding, in CSS pixels.
SLACK = 2.0

_BOX = (
    "(element) => { const r = element.getBoundingClientRect();"
    " return [r.left, r.right, r.top, r.bottom]; }"
)


def box(page: Page, selector: str) -> tuple[float, float, float, float]:
    """(left, right, top, bottom) of the first element matching `selector`."""
    return tuple(page.locator(selector).first.evaluate(_BOX))


def boxes(page: Page, selector: str) -> list[tuple[float, float, float, float]]:
    return [tuple(element.evaluate(_BOX)) for element in page.locator(selector).all()]


@pytest.fixture
def page(scripted_context) -> Page:
    return scripted_context.new_page()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_bar_charts_grow_from_the_start_of_the_line(page, lang):
    """Arabic: every bar ends at the chart's right padding and its value is written to its
    left; English: the other way round."""
    page.goto(f"/{lang}/countries/MLI/results-resources")
    chart = page.locator("figure.chart svg").first
    svg_left, svg_right, *_ = chart.evaluate(_BOX)
    scale = (svg_right - svg_left) / float(chart.evaluate("(svg) => svg.viewBox.baseVal.width"))
    padding = 8 * scale
    groups = chart.locator(".chart__group").all()
    assert groups
    for group in groups:
        bars = group.locator("rect.chart-bar").all()
        values = group.locator("text.chart__value").all()
        assert bars and len(bars) == len(values)
        for bar, value in zip(bars, values, strict=True):
            left, right, *_ = bar.evaluate(_BOX)
            value_left, value_right, *_ = value.evaluate(_BOX)
            if lang == "ar":
                assert abs(right - (svg_right - padding)) <= SLACK, (right, svg_right)
                assert value_right <= left + SLACK, (value_right, left)
            else:
                assert abs(left - (svg_left + padding)) <= SLACK, (left, svg_left)
                assert value_left >= right - SLACK, (value_left, right)
        label_left, label_right, *_ = group.locator("text.chart__label").first.evaluate(_BOX)
        if lang == "ar":
            assert abs(label_right - (svg_right - padding)) <= SLACK + 1
        else:
            assert abs(label_left - (svg_left + padding)) <= SLACK + 1
        assert svg_left - SLACK <= label_left and label_right <= svg_right + SLACK


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_tabs_and_pagination_run_in_the_reading_direction(page, lang):
    page.goto(f"/{lang}/countries/MLI/results-resources?page=2")
    tabs = boxes(page, ".tabs a")
    assert len(tabs) == 4
    lefts = [left for left, *_ in tabs]
    # The first tab (Overview) at the start of the line: the right in Arabic.
    assert lefts == sorted(lefts, reverse=(lang == "ar")), lefts
    previous = box(page, ".pagination a[rel=prev]")
    numbers = boxes(page, ".pagination a:not([rel])")
    assert numbers
    if lang == "ar":
        assert all(previous[0] >= right - SLACK for _left, right, *_ in numbers)
    else:
        assert all(previous[1] <= left + SLACK for left, *_ in numbers)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_focus_order_follows_the_reading_order(page, lang):
    """Tabbing along one line of the page moves towards the line's end: leftwards in Arabic.
    The first Tab reaches the skip link, at the start of the line."""
    page.goto(f"/{lang}/countries/MLI/results-resources?page=2")
    page.set_viewport_size({"width": 1280, "height": 900})
    stops = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement; const r = e.getBoundingClientRect();"
            " return [e.outerHTML.slice(0, 80), r.left, r.right, r.top + window.scrollY,"
            " r.bottom + window.scrollY]; }"
        )
        stops.append(focused)
    skip_html, skip_left, skip_right, *_ = stops[0]
    assert 'href="#main"' in skip_html
    if lang == "ar":
        assert skip_right >= 1280 / 2, "the skip link shows at the right"
    else:
        assert skip_left <= 1280 / 2
    same_line = 0
    for (html, left, right, top, _bottom), following in zip(stops[1:], stops[2:], strict=False):
        next_html, next_left, next_right, next_top, _next_bottom = following
        if abs(next_top - top) > SLACK or right - left == 0 or next_right - next_left == 0:
            continue  # a new line (or an element not drawn): the order restarts at its start
        same_line += 1
        if lang == "ar":
            assert next_right <= left + SLACK, (html, next_html)
        else:
            assert next_left >= right - SLACK, (html, next_html)
    assert same_line >= 5, "the walk met rows of links (language switcher, tabs, pagination)"


def test_the_map_and_identifiers_are_not_mirrored(page):
    """The map is the same picture in both directions; an identifier reads left to right."""
    places = {}
    for lang in ("en", "ar"):
        page.goto(f"/{lang}/countries/MLI/")
        map_left, map_right, *_ = box(page, ".map svg")
        mali_left, mali_right, *_ = box(page, ".map svg .map-country--highlight")
        width = map_right - map_left
        places[lang] = (
            round((mali_left - map_left) / width, 2),
            round((mali_right - map_left) / width, 2),
        )
    assert places["ar"] == places["en"], places
    page.goto("/ar/countries/MLI/")
    identifier = page.locator("#outcome-list .identifier").first
    assert identifier.evaluate("(e) => getComputedStyle(e).direction") == "ltr"
