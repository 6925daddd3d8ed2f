"""A keyboard user can skip to the content, always sees where focus is, and never gets stuck."""

from __future__ import annotations

import pytest

from browser.browsing import PageErrors, active_element, keyboard_walk_problems
from browser.site import one_page_per_view
from portal.config import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_the_first_tab_reaches_a_skip_link_that_moves_focus_to_main(
    lang, scripted_context, browser_pages, sample_site
):
    """On one page of every view (the page checker has seen the skip link on all of them)."""
    page = scripted_context.new_page()
    errors = PageErrors().watch(page)
    failures = []
    for path in one_page_per_view(sample_site, browser_pages[lang]):
        page.goto(path)
        page.keyboard.press("Tab")
        first = active_element(page)
        if not first or first["tag"] != "a" or first["href"] != "#main":
            failures.append(f"{path}: the first Tab lands on {first and first['html']}")
            continue
        if not first["onScreen"]:
            failures.append(f"{path}: the focused skip link is not visible on screen")
        page.keyboard.press("Enter")
        landed = active_element(page)
        if not landed or not landed["inMain"]:
            failures.append(f"{path}: the skip link leaves focus on {landed and landed['html']}")
        failures += [f"{path}: {message}" for message in errors.take()]
    assert not failures, "\n".join(failures)


def test_focus_is_visible_everywhere_and_nothing_traps_the_keyboard(
    scripted_context, browser_pages, sample_site
):
    """Tab through one page of every view: each stop shows focus, and the walk gets out.

    Focus styles and tab order come from the same templates and stylesheet in every
    language, so the default language stands for all of them here.
    """
    page = scripted_context.new_page()
    errors = PageErrors().watch(page)
    failures = []
    for path in one_page_per_view(sample_site, browser_pages[DEFAULT_LANGUAGE]):
        page.goto(path)
        problems = keyboard_walk_problems(page) + errors.take()
        failures += [f"{path}: {problem}" for problem in problems]
    assert not failures, "\n".join(failures)


TRAP = """<!doctype html><html lang="en"><head><title>Trap</title></head><body>
<a href="#main">Skip to main content</a>
<main id="main" tabindex="-1"><h1>Feedback</h1>
<input id="name" aria-label="Name"><a href="/en/">Home</a></main>
<script>
document.getElementById('name').addEventListener('keydown', (event) => {
  if (event.key === 'Tab') { event.preventDefault(); }
});
</script></body></html>"""

NO_FOCUS_STYLE = """<!doctype html><html lang="en"><head><title>Hidden focus</title>
<style>:focus, :focus-visible { outline: none !important; box-shadow: none !important; }</style>
</head><body><main><h1>Countries</h1><a href="/en/countries/MLI/">Mali</a></main></body></html>"""


@pytest.mark.parametrize(
    ("html", "complaint"),
    [
        pytest.param(TRAP, 'keyboard trap: Tab comes back to <input id="name"', id="trap"),
        pytest.param(
            NO_FOCUS_STYLE,
            'no visible focus indicator on <a href="/en/countries/MLI/">',
            id="focus style removed",
        ),
    ],
)
def test_the_keyboard_walk_catches_a_broken_page(html, complaint, scripted_context):
    page = scripted_context.new_page()
    page.set_content(html)
    problems = keyboard_walk_problems(page)
    assert any(problem.startswith(complaint) for problem in problems), problems
