"""The survey with JavaScript: HTMX swaps each question into the survey region, pushes its URL,
moves focus to the error summary after a failed answer and to the question otherwise; Back and
Change lose nothing, and one response is stored."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from browser.browsing import PageErrors, axe_violations
from portal.extensions import db
from portal.survey.models import SurveyResponse

pytestmark = pytest.mark.browser


def focused(page: Page) -> dict:
    return page.evaluate(
        """() => ({
            tag: document.activeElement.tagName.toLowerCase(),
            className: document.activeElement.className,
            text: document.activeElement.textContent.trim(),
        })"""
    )


# A refused answer is answered 422 on purpose; Chromium reports that as a failed load.
EXPECTED_REFUSAL = re.compile(r"422 for xhr .*/en/survey/|status of 422")


def unexpected(errors: list[str]) -> list[str]:
    return [error for error in errors if not EXPECTED_REFUSAL.search(error)]


def same_document(page: Page) -> bool:
    """A marker on window survives an HTMX swap but not a page load."""
    return page.evaluate("() => window.__surveyMarker === true")


def continue_(page: Page) -> None:
    page.get_by_role("button", name="Continue").click()


def expect_question(page: Page, slug: str, heading: str) -> None:
    expect(page).to_have_url(re.compile(rf"/en/survey/{slug}(\?.*)?$"))
    expect(page.locator("h1")).to_have_text(heading)
    expect(page).to_have_title(re.compile(rf"^{re.escape(heading)} – "))
    expect(page.locator("h1")).to_be_focused()


@pytest.fixture
def survey_page(scripted_context):
    page = scripted_context.new_page()
    errors = PageErrors().watch(page)
    page.goto("/en/survey/")
    page.get_by_role("link", name="Start the survey").click()
    expect(page).to_have_url(re.compile(r"/en/survey/institution$"))
    page.evaluate("() => { window.__surveyMarker = true; }")
    yield page
    assert unexpected(errors.take()) == []


def test_an_error_is_swapped_in_and_focused(survey_page):
    page = survey_page
    other_box = page.locator("#institution_other-group")
    expect(other_box).to_be_hidden()

    continue_(page)
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.locator("h2")).to_have_text("There is a problem")
    expect(page).to_have_title(re.compile(r"^Error: What type of institution"))
    expect(page).to_have_url(re.compile(r"/en/survey/institution$"))
    assert same_document(page)
    assert axe_violations(page) == []

    # The summary's link takes keyboard users to the first radio.
    summary.get_by_role("link").click()
    expect(page.locator("#institution-0")).to_be_focused()

    # 'Other' reveals its text box; leaving it empty is an error on that box.
    page.get_by_label("Other", exact=True).check()
    expect(other_box).to_be_visible()
    continue_(page)
    expect(summary).to_be_focused()
    expect(page.locator("#institution_other")).to_have_attribute(
        "aria-describedby", "institution_other-error"
    )
    assert same_document(page)


def test_the_whole_survey_with_htmx_back_and_change(survey_page, sample_site):
    page = survey_page
    idea = f"Browser idea {secrets.token_hex(4)}"

    page.get_by_label("Other", exact=True).check()
    page.get_by_label("Please specify").fill("Foundation")
    continue_(page)
    expect_question(page, "visit-reason", "Why did you visit the portal today?")
    expect(page.locator(".survey-progress")).to_have_text("Question 2 of 7")
    assert same_document(page)

    # The browser's Back button: question 1 comes back from the server with its answer.
    page.go_back()
    expect(page).to_have_url(re.compile(r"/en/survey/institution$"))
    expect(page.get_by_label("Other", exact=True)).to_be_checked()
    expect(page.get_by_label("Please specify")).to_have_value("Foundation")
    page.go_forward()
    expect(page).to_have_url(re.compile(r"/en/survey/visit-reason$"))
    page.evaluate("() => { window.__surveyMarker = true; }")

    page.get_by_label("Research or analysis").check()
    continue_(page)
    expect_question(page, "looking-for", "What information were you looking for?")
    page.get_by_label("Results", exact=True).check()
    page.get_by_label("Data to download").check()
    continue_(page)
    expect_question(page, "ease", "How easy was it to find?")
    page.get_by_label("4", exact=True).check()
    continue_(page)
    expect_question(page, "features", "Which features would you like to see?")
    page.get_by_label("An API for developers").check()
    continue_(page)
    expect_question(page, "ideas", "Your ideas for improving the portal")
    page.get_by_label("Your ideas (optional)").fill(idea)
    continue_(page)
    expect_question(page, "contact", "May we contact you?")
    page.get_by_label("Email address (optional)").fill("ana@example.org")
    continue_(page)
    expect(page.locator(".error-summary")).to_be_focused()
    page.get_by_label(re.compile("I agree")).check()
    continue_(page)
    expect(page).to_have_url(re.compile(r"/en/survey/check$"))
    expect(page.locator("h1")).to_be_focused()
    assert same_document(page)

    # Change question 4; Continue returns to the check page.
    page.get_by_role("link", name=re.compile(r"Change\s+– How easy")).click()
    expect_question(page, "ease", "How easy was it to find?")
    expect(page.get_by_label("4", exact=True)).to_be_checked()
    page.get_by_label("5 – Very easy").check()
    continue_(page)
    expect(page).to_have_url(re.compile(r"/en/survey/check$"))
    expect(page.locator(".summary-list")).to_contain_text("5 out of 5")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Send your answers").click()
    expect(page).to_have_url(re.compile(r"/en/survey/thanks$"))
    expect(page.locator("h1")).to_have_text("Thank you for your feedback")
    expect(page.locator("h1")).to_be_focused()
    assert same_document(page)

    with sample_site.app_context():
        stored = db.session.scalars(select(SurveyResponse)).all()
        mine = [response for response in stored if response.answers["ideas"]["ideas"] == idea]
        db.session.remove()
    assert len(mine) == 1
    assert mine[0].answers["ease"] == {"ease": 5}
    assert mine[0].answers["institution"]["institution_other"] == "Foundation"
