"""Every page reflows to 320 CSS px without sideways scrolling (WCAG 1.4.10)."""

from __future__ import annotations

import pytest

from browser.browsing import PageErrors, reflow_problem
from portal.config import SUPPORTED_LANGUAGES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_no_page_scrolls_sideways_at_320_pixels(lang, narrow_context, browser_pages):
    page = narrow_context.new_page()
    errors = PageErrors().watch(page)
    failures = []
    for path in browser_pages[lang]:
        page.goto(path)
        problem = reflow_problem(page)
        if problem:
            failures.append(f"{path}: {problem}")
        failures += [f"{path}: {message}" for message in errors.take()]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    ("content", "culprit"),
    [
        pytest.param(
            '<table style="width: 40rem"><tr><td class="figures">2023</td></tr></table>',
            '<td class="figures">',
            id="wide table",
        ),
        pytest.param(
            '<p style="font-size: 3rem">Téléchargementsdesdonnéesouvertes</p>',
            '<p style="font-size: 3rem">',
            id="long word",
        ),
    ],
)
def test_the_reflow_check_catches_a_page_wider_than_a_phone(content, culprit, narrow_context):
    page = narrow_context.new_page()
    page.set_content(
        '<html lang="fr"><body style="margin: 0">'
        f"<main><h1>Budget</h1>{content}</main></body></html>"
    )
    problem = reflow_problem(page)
    assert problem is not None
    assert " px wide at 320 px, because of: " in problem
    assert culprit in problem
