"""axe-core finds no WCAG 2.0/2.1 A or AA violation on any page, in any language."""

from __future__ import annotations

import pytest

from browser.browsing import PageErrors, axe_violations
from portal.config import SUPPORTED_LANGUAGES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_no_page_has_an_accessibility_violation(lang, scripted_context, browser_pages):
    page = scripted_context.new_page()
    errors = PageErrors().watch(page)
    failures = []
    for path in browser_pages[lang]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        found = axe_violations(page) + errors.take()
        failures += [f"{path}: {line}" for line in found]
    assert browser_pages[lang], f"no page found to check in {lang}"
    assert not failures, f"axe-core and the console on {len(browser_pages[lang])} pages:\n" + (
        "\n".join(failures)
    )


LOW_CONTRAST = """<!doctype html><html lang="en"><head><title>Contrast</title></head>
<body><main><h1>Results</h1>
<p style="color: #bbbbbb; background: #ffffff">Budget spent: 72 per cent</p></main></body></html>"""

MISSING_LABEL = """<!doctype html><html lang="en"><head><title>Form</title></head>
<body><main><h1>Choose a year</h1>
<form action="/en/"><input name="year"><button>Show</button></form></main></body></html>"""


@pytest.mark.parametrize(
    ("html", "rule"),
    [
        pytest.param(LOW_CONTRAST, "color-contrast", id="low contrast"),
        pytest.param(MISSING_LABEL, "label", id="missing label"),
    ],
)
def test_axe_catches_a_broken_page(html, rule, scripted_context):
    """The browser check is live: a page with a known failure gets that rule's violation."""
    page = scripted_context.new_page()
    page.set_content(html)
    violations = axe_violations(page)
    assert any(line.startswith(f"{rule} (") for line in violations), violations
