"""Issue 17.1, HTMX state, in a browser: after a swap and after Back, the language switcher and
the <head>'s canonical and language links name the page shown, with its whole state; focus
moves to the heading of what changed, and that is the one announcement a screen reader makes.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from browser.browsing import PageErrors, axe_violations, wait_until_settled
from portal.config import SUPPORTED_LANGUAGES
from quality.page_checker import page_language_tag

pytestmark = pytest.mark.browser

COUNTRY = "/fr/countries/MLI/"

# What a screen reader announces without being asked, recorded in the page: each move of the
# focus, each change of text inside a live region (aria-live, alert, status), and each live
# region that arrives with text. It survives Back, which swaps the whole <body>.
_LISTEN = """() => {
  const LIVE = '[aria-live]:not([aria-live=off]), [role=alert], [role=status]';
  const said = (node) => (node.textContent || '').trim();
  window.__announcements = [];
  document.addEventListener('focusin', (event) => {
    window.__announcements.push({kind: 'focus', id: event.target.id, text: said(event.target)});
  });
  new MutationObserver((records) => {
    for (const record of records) {
      const target = record.target.nodeType === 1 ? record.target : record.target.parentElement;
      const region = target && target.closest(LIVE);
      if (region && said(region)) {
        window.__announcements.push({kind: 'live', id: region.id, text: said(region)});
        continue;
      }
      for (const node of record.addedNodes) {
        if (node.nodeType !== 1) { continue; }
        const arrived = [...(node.matches(LIVE) ? [node] : []), ...node.querySelectorAll(LIVE)];
        for (const live of arrived.filter(said)) {
          window.__announcements.push({kind: 'live', id: live.id, text: said(live)});
        }
      }
    }
  }).observe(document.documentElement, {subtree: true, childList: true, characterData: true});
}"""


def listen(page: Page) -> None:
    page.evaluate(_LISTEN)


def forget_announcements(page: Page) -> None:
    page.evaluate("() => { window.__announcements = []; }")


def announcements(page: Page) -> list[dict]:
    # A repeated announcement would come within a moment of the first: give it the time.
    page.wait_for_timeout(300)
    return page.evaluate("() => window.__announcements")


def the_one_announcement(page: Page) -> dict:
    said = announcements(page)
    assert len(said) == 1, said
    return said[0]


def activate(link: Locator) -> None:
    """Follow a link from the keyboard: focus it, forget that, then press Enter."""
    link.focus()
    forget_announcements(link.page)
    link.press("Enter")


def switcher_link(page: Page, lang: str) -> Locator:
    return page.locator(f"#language-switcher a[hreflang={lang}]")


def head_links(page: Page) -> dict:
    return page.evaluate(
        """() => ({
            canonical: [...document.querySelectorAll('link[rel=canonical]')]
                .map((link) => link.getAttribute('href')),
            alternates: Object.fromEntries(
                [...document.querySelectorAll('link[rel=alternate][hreflang]')]
                    .map((link) => [link.hreflang, link.getAttribute('href')])),
        })"""
    )


def expect_links_name(page: Page, path: str) -> None:
    """The switcher and the <head> name `path` (a French address) in each language."""
    for lang in SUPPORTED_LANGUAGES:
        expect(switcher_link(page, page_language_tag(lang))).to_have_attribute(
            "href", path.replace("/fr/", f"/{lang}/")
        )
    links = head_links(page)
    # Absolute on a configured host; the live test server has none, so they are paths here.
    assert links["canonical"] == [path]
    assert links["alternates"] == {
        **{
            page_language_tag(lang): path.replace("/fr/", f"/{lang}/")
            for lang in SUPPORTED_LANGUAGES
        },
        "x-default": path.replace("/fr/", "/en/"),
    }


def still_the_same_document(page: Page) -> bool:
    return page.evaluate("() => window.__sameDocument === true")


@pytest.fixture
def country_page(scripted_context, live_server):
    page = scripted_context.new_page()
    errors = PageErrors().watch(page)
    response = page.goto(COUNTRY)
    if response is None or response.status == 404:
        pytest.fail("the sample database has no Mali: `portal sample` must build it")
    page.evaluate("() => { window.__sameDocument = true; }")
    listen(page)
    yield page
    assert not errors.take()


def test_a_tab_swap_brings_the_language_links_of_that_tab(country_page):
    page = country_page
    expect_links_name(page, "/fr/countries/MLI/")

    activate(page.locator("#country-tabs a", has_text="Nos progrès"))
    expect(page).to_have_url(re.compile(r"/fr/countries/MLI/progress$"))
    wait_until_settled(page)
    expect(page.locator("#panel-heading")).to_be_focused()
    assert still_the_same_document(page)

    expect(switcher_link(page, "es")).to_have_text("Español")
    expect_links_name(page, "/fr/countries/MLI/progress")
    expect(page.locator("#language-switcher a[aria-current=true]")).to_have_attribute(
        "hreflang", "fr"
    )
    assert page.locator("#language-switcher").count() == 1
    assert the_one_announcement(page) == {
        "kind": "focus",
        "id": "panel-heading",
        "text": "Nos progrès",
    }
    assert axe_violations(page) == []

    # A page of the tab's list, then the Map / Summary toggle: each state in full.
    activate(page.locator("#progress-pagination a[rel=next]"))
    expect(page).to_have_url(re.compile(r"/progress\?page=2$"))
    wait_until_settled(page)
    expect_links_name(page, "/fr/countries/MLI/progress?page=2")
    said = the_one_announcement(page)
    assert said["kind"] == "focus" and said["text"].startswith("Affichage de 6")

    activate(page.locator("#view-toggle a", has_text="Résumé"))
    expect(page).to_have_url(re.compile(r"/progress\?page=2&view=summary$"))
    wait_until_settled(page)
    expect(switcher_link(page, "es")).to_have_attribute(
        "href", "/es/countries/MLI/progress?page=2&view=summary"
    )
    assert head_links(page)["alternates"]["es"] == "/es/countries/MLI/progress?view=summary&page=2"
    assert the_one_announcement(page) == {
        "kind": "focus",
        "id": "country-view-heading",
        "text": "Résumé",
    }


def test_back_after_a_tab_focuses_the_heading_and_says_it_once(country_page):
    page = country_page
    activate(page.locator("#country-tabs a", has_text="Nos progrès"))
    expect(page.locator("#panel-heading")).to_have_text("Nos progrès")
    wait_until_settled(page)
    expect(page.locator("#panel-heading")).to_be_focused()

    forget_announcements(page)
    page.go_back()
    expect(page).to_have_url(re.compile(r"/fr/countries/MLI/$"))
    heading = page.locator("#panel-heading")
    expect(heading).to_have_text("Vue d’ensemble")
    expect(heading).to_be_focused()
    expect_links_name(page, "/fr/countries/MLI/")
    assert the_one_announcement(page) == {
        "kind": "focus",
        "id": "panel-heading",
        "text": "Vue d’ensemble",
    }
    assert still_the_same_document(page)
    assert axe_violations(page) == []

    forget_announcements(page)
    page.go_forward()
    expect(page).to_have_url(re.compile(r"/fr/countries/MLI/progress$"))
    expect(page.locator("#panel-heading")).to_have_text("Nos progrès")
    expect(page.locator("#panel-heading")).to_be_focused()
    expect_links_name(page, "/fr/countries/MLI/progress")
    assert the_one_announcement(page) == {
        "kind": "focus",
        "id": "panel-heading",
        "text": "Nos progrès",
    }


def test_a_year_change_is_said_with_the_country_name(country_page):
    page = country_page
    page.select_option("#year-select", "2023")
    button = page.locator("#country-selector button[type=submit]")
    activate(button)
    expect(page).to_have_url(re.compile(r"/fr/countries/MLI/\?year=2023$"))
    wait_until_settled(page)
    heading = page.locator("h1")
    expect(heading).to_be_focused()
    expect(heading).to_have_accessible_description("Année : 2023")
    expect_links_name(page, "/fr/countries/MLI/?year=2023")
    said = the_one_announcement(page)
    assert said["kind"] == "focus" and said["text"] == "Mali"
    assert axe_violations(page) == []


@pytest.fixture
def survey_page(scripted_context, live_server):
    page = scripted_context.new_page()
    errors = PageErrors().watch(page)
    page.goto("/fr/survey/")
    page.get_by_role("link", name="Commencer l’enquête").click()
    expect(page).to_have_url(re.compile(r"/fr/survey/institution$"))
    page.wait_for_load_state()  # htmx and portal.js are in: Continue is enhanced
    page.evaluate("() => { window.__sameDocument = true; }")
    listen(page)
    yield page
    # A refused answer is a 422 on purpose; Chromium reports it as a failed load.
    assert [error for error in errors.take() if "422" not in error] == []


def test_the_surveys_next_step_brings_its_own_language_links(survey_page):
    page = survey_page
    expect_links_name(page, "/fr/survey/institution")

    page.get_by_label("Milieu universitaire / recherche").check()
    activate(page.get_by_role("button", name="Continuer"))
    expect(page).to_have_url(re.compile(r"/fr/survey/visit-reason$"))
    wait_until_settled(page)
    expect(page.locator("h1")).to_be_focused()
    assert still_the_same_document(page)
    expect_links_name(page, "/fr/survey/visit-reason")
    said = the_one_announcement(page)
    assert said["kind"] == "focus" and said["id"] == ""

    # The survey's own Back link, then the browser's Back: question 1 again, everywhere.
    activate(page.locator("a.back-link"))
    expect(page).to_have_url(re.compile(r"/fr/survey/institution$"))
    wait_until_settled(page)
    expect_links_name(page, "/fr/survey/institution")
    forget_announcements(page)
    page.go_back()
    expect(page).to_have_url(re.compile(r"/fr/survey/visit-reason$"))
    expect(page.locator("h1")).to_be_focused()
    expect_links_name(page, "/fr/survey/visit-reason")
    said = the_one_announcement(page)
    assert said["kind"] == "focus" and said["text"] == page.locator("h1").text_content().strip()


def test_the_error_summary_is_said_once(survey_page):
    page = survey_page
    activate(page.get_by_role("button", name="Continuer"))
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    wait_until_settled(page)
    expect(summary).to_be_focused()
    said = the_one_announcement(page)
    assert said["kind"] == "focus" and said["text"].startswith("Il y a un problème")
    expect_links_name(page, "/fr/survey/institution")
    assert axe_violations(page) == []
