"""Phone first (issue 17.3): at 375 × 667 CSS px the country header fits about one screen,
the four tabs make at most two even rows, chart text stays at least 12 px, the folded
explanations open with the keyboard, and axe-core finds nothing on the country and outcome
pages. On the sample site and on a site holding UN Women's real IATI file."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page

from browser.browsing import PageErrors, axe_source, axe_violations
from browser.site import PORTAL_COMMAND, LiveServer
from portal import create_app
from portal.config import SUPPORTED_LANGUAGES, shared_data_folder
from portal.extensions import db

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
HEADER_SCREENS = 1.2
SMALLEST_TEXT_PX = 12
COUNTRY = "/{lang}/countries/MLI/"
OUTCOME = "/en/outcomes/XM-EXAMPLE-ORG-MLI_D_1.1"
CHART_PAGES = (
    "/en/countries/MLI/results-resources",
    "/en/countries/MLI/strategic-plan",
    "/fr/countries/MLI/results-resources",
    OUTCOME,
)
# A UN Women country page and outcome as published (shared/data/iati-activities).
REAL_COUNTRY = "/en/countries/BDI/"
REAL_PAGES = (REAL_COUNTRY, "/en/countries/BDI/results-resources", "/en/countries/HTI/")
REAL_OUTCOME = "/en/outcomes/XM-DAC-41146-BDI_D_4.3"


@pytest.fixture
def phone(chromium, live_server) -> Iterator[BrowserContext]:
    """A 375 × 667 phone with JavaScript, on the sample site, axe-core loaded in every page."""
    context = chromium.new_context(base_url=live_server.url, viewport=PHONE)
    context.add_init_script(script=axe_source())
    yield context
    context.close()


def _portal(directory: Path, *arguments: str) -> None:
    environment = {
        **os.environ,
        "PORTAL_DATABASE_URL": f"sqlite:///{directory / 'real.sqlite3'}",
        "PORTAL_SECRET_KEY": "test",
        "PORTAL_INSTANCE_PATH": str(directory),
        "PORTAL_ENV": "development",
    }
    subprocess.run(
        [str(PORTAL_COMMAND), *arguments], env=environment, check=True, capture_output=True
    )


@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> Iterator[LiveServer]:
    """The portal on UN Women's real file and the real country facts, served live."""
    data = shared_data_folder()
    if not data.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"shared data not found at {data}")
        pytest.skip(f"shared data not found at {data}")
    directory = tmp_path_factory.mktemp("real-site")
    _portal(directory, "db", "upgrade")
    _portal(directory, "import-countries", *map(str, sorted((data / "countries").glob("*.csv"))))
    _portal(directory, "import-iati", str(data / "iati-activities" / "unwomen-XM-DAC-41146.xml"))
    app: Flask = create_app(
        {
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory / 'real.sqlite3'}",
            "PORTAL_INSTANCE_PATH": str(directory),
            "PORTAL_ENV": "development",
        }
    )
    with LiveServer(app) as server:
        yield server
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def real_phone(chromium, real_site) -> Iterator[BrowserContext]:
    context = chromium.new_context(base_url=real_site.url, viewport=PHONE)
    context.add_init_script(script=axe_source())
    yield context
    context.close()


def header_height(page: Page) -> float:
    return page.locator(".country-header").evaluate(
        "header => header.getBoundingClientRect().height"
    )


_TAB_ROWS = """() => {
  const rows = new Map();
  for (const item of document.querySelectorAll('#country-tabs li')) {
    const box = item.getBoundingClientRect();
    const top = Math.round(box.top);
    rows.set(top, [...(rows.get(top) || []), Math.round(box.height)]);
  }
  return [...rows.values()];
}"""

# Each chart text's size as shown: its font size times the scale the SVG is drawn at; and how
# far it runs past the right edge of its SVG (cut off).
_CHART_TEXTS = """() => [...document.querySelectorAll('figure.chart svg text')].map((text) => {
  const svg = text.ownerSVGElement.getBoundingClientRect();
  const box = text.getBoundingClientRect();
  return {
    text: text.textContent.trim().slice(0, 60),
    shown: parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a,
    overflow: Math.max(0, box.right - svg.right, svg.left - box.left),
  };
})"""


def chart_texts(page: Page) -> list[dict]:
    return page.evaluate(_CHART_TEXTS)


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_the_country_header_fits_about_one_screen(lang, phone):
    page = phone.new_page()
    page.goto(COUNTRY.format(lang=lang))
    assert header_height(page) <= HEADER_SCREENS * PHONE["height"]
    # Two columns where they fit: some facts share a row.
    tops = page.locator(".country-header .fact").evaluate_all(
        "facts => facts.map(fact => Math.round(fact.getBoundingClientRect().top))"
    )
    assert len(set(tops)) < len(tops)


def test_a_real_countrys_header_fits_about_one_screen(real_phone):
    page = real_phone.new_page()
    for path in (REAL_COUNTRY, "/fr/countries/HTI/", "/en/countries/ALB/"):
        page.goto(path)
        assert header_height(page) <= HEADER_SCREENS * PHONE["height"], path


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_the_four_tabs_make_at_most_two_even_rows(lang, phone):
    page = phone.new_page()
    page.goto(COUNTRY.format(lang=lang))
    rows = page.evaluate(_TAB_ROWS)
    assert sum(len(row) for row in rows) == 4
    assert len(rows) <= 2 and all(len(row) == len(rows[0]) for row in rows), rows
    heights = {height for row in rows for height in row}
    assert len(heights) == 1, rows  # every tab as tall as the others: no ragged row
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("path", CHART_PAGES)
def test_chart_text_is_at_least_12_px_and_never_cut_off(path, phone):
    page = phone.new_page()
    page.goto(path)
    texts = chart_texts(page)
    assert texts, f"no chart on {path}"
    small = [text for text in texts if text["shown"] < SMALLEST_TEXT_PX]
    assert not small, small
    cut = [text for text in texts if text["overflow"] > 1]
    assert not cut, cut


def test_real_charts_too_and_their_bars_are_named_by_title(real_phone):
    page = real_phone.new_page()
    page.goto("/en/countries/BDI/results-resources?year=2020")
    texts = chart_texts(page)
    assert texts and min(text["shown"] for text in texts) >= SMALLEST_TEXT_PX
    assert not [text for text in texts if text["overflow"] > 1]
    labels = page.locator("#rr-chart text.chart__label").all_text_contents()
    assert labels and not [label for label in labels if label.strip().startswith("BDI_")]


def test_the_folded_explanations_open_with_the_keyboard(phone):
    page = phone.new_page()
    page.goto(COUNTRY.format(lang="en"))
    about = page.locator(".country-header .fact__about").nth(4)  # the GII's
    text = about.locator(".fact__about-text")
    assert not text.is_visible()
    # Tab from the country's name reaches the ⓘ of each figure in turn.
    page.locator(".country-header h1").evaluate("h1 => { h1.tabIndex = -1; h1.focus(); }")
    for _ in range(5):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.fact__about') !== null")
    assert "Gender Inequality Index" in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    assert about.evaluate("details => details.open") and text.is_visible()
    assert "Source: UNDP" in text.inner_text()
    assert header_height(page) <= HEADER_SCREENS * PHONE["height"]  # opened, it still fits
    page.keyboard.press("Space")
    assert not about.evaluate("details => details.open")


@pytest.mark.parametrize("path", [COUNTRY.format(lang="en"), COUNTRY.format(lang="fr"), OUTCOME])
def test_no_accessibility_violation_on_a_phone(path, phone):
    page = phone.new_page()
    errors = PageErrors().watch(page)
    page.goto(path)
    page.wait_for_load_state("load")
    found = axe_violations(page)
    # With every explanation opened too.
    page.locator(".fact__about").evaluate_all("all => all.forEach(d => { d.open = true; })")
    found += axe_violations(page) + errors.take()
    assert not found, "\n".join(found)


def test_no_accessibility_violation_on_real_pages_on_a_phone(real_phone):
    page = real_phone.new_page()
    errors = PageErrors().watch(page)
    found = []
    for path in (*REAL_PAGES, REAL_OUTCOME):
        page.goto(path)
        found += [f"{path}: {line}" for line in axe_violations(page) + errors.take()]
    assert not found, "\n".join(found)


# Issue 20's pages on real data: names and identifiers as publishers write them (a partner
# known by a long identifier made the partner index 391 px wide on a 375 px phone).
REAL_OVERVIEW_PAGES = ("/{lang}/", "/{lang}/search/?q=e", "/{lang}/partners/")


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_the_overview_search_and_partner_pages_fit_a_phone(lang, real_phone):
    """No sideways scrolling at 375 px on the home page, a search, the partner index and the
    first partner's page; axe-core finds nothing there (left to right and right to left)."""
    page = real_phone.new_page()
    errors = PageErrors().watch(page)
    paths = [path.format(lang=lang) for path in REAL_OVERVIEW_PAGES]
    page.goto(paths[-1])
    paths.append(page.locator("main li a[href*='/partners/']").first.get_attribute("href"))
    found = []
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            found.append(f"{path}: {width} px wide at {PHONE['width']} px")
        if lang in ("en", "ar"):
            found += [f"{path}: {line}" for line in axe_violations(page)]
        found += [f"{path}: {line}" for line in errors.take()]
    assert not found, "\n".join(found)


_SCROLL_REGIONS = """() => [...document.querySelectorAll('.table-scroll[role=region]')]
  .filter((region) => region.getClientRects().length)
  .map((region) => ({
    scrolls: region.scrollWidth > region.clientWidth + 1,
    stop: region.getAttribute('tabindex') === '0',
  }))"""


def test_a_table_is_a_tab_stop_only_while_it_scrolls(phone):
    page = phone.new_page()
    page.goto(OUTCOME)
    page.wait_for_function("() => document.readyState === 'complete'")
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => done()))")
    narrow = page.evaluate(_SCROLL_REGIONS)
    assert narrow and all(region["stop"] == region["scrolls"] for region in narrow), narrow
    assert any(region["scrolls"] for region in narrow)  # the periods' tables, on a phone
    page.set_viewport_size({"width": 1280, "height": 800})
    page.wait_for_function(
        f"() => ({_SCROLL_REGIONS})().every((region) => region.stop === region.scrolls)"
    )
    wide = page.evaluate(_SCROLL_REGIONS)
    assert not any(region["stop"] for region in wide)


def test_without_javascript_every_table_region_stays_a_tab_stop(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(OUTCOME)
    regions = page.locator(".table-scroll[role=region]")
    assert regions.count() and all(
        regions.nth(index).get_attribute("tabindex") == "0" for index in range(regions.count())
    )
    context.close()
