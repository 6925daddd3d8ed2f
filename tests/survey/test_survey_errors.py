"""A wrong or missing answer: 422, an error summary linking to the field, 'Error:' in the title."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy.exc import OperationalError

from portal.config import SUPPORTED_LANGUAGES
from portal.survey import services
from portal.survey.forms import IDEAS_MAX_LENGTH
from portal.survey.views import BUSY_MESSAGE
from survey.walker import ANSWERS_POSTED, STEP_SLUGS, SurveyVisitor, soup


def reach(visitor: SurveyVisitor, slug: str) -> None:
    for earlier in STEP_SLUGS[: STEP_SLUGS.index(slug)]:
        assert visitor.answer(earlier, ANSWERS_POSTED[earlier]).status_code == 303


def assert_error_page(response, field_id: str, link_target: str, described: str):
    """The page says there is a problem, links to the field, and ties the message to it.

    `described` selects the element whose aria-describedby must name the message.
    """
    page = soup(response)
    assert response.status_code == 422
    summary = page.find(class_="error-summary")
    # Focus announces it (after a swap and on load); an alert would have it read twice.
    assert not summary.has_attr("role")
    assert summary.has_attr("data-focus-after-swap") and summary.has_attr("data-focus-on-load")
    assert f'href="#{link_target}"' in str(summary)
    assert page.find(id=link_target) is not None
    message = page.find(id=f"{field_id}-error")
    assert message is not None and message.get_text(strip=True)
    assert f"{field_id}-error" in page.select_one(described)["aria-describedby"].split()
    return page


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_no_choice_is_a_422_with_summary_and_error_title(app, client, lang):
    visitor = SurveyVisitor(client, lang)
    response = visitor.answer("institution", {})
    # The fieldset is described by the message (radios are reached through the summary link).
    page = assert_error_page(response, "institution", "institution-0", "fieldset")
    with app.test_request_context(), force_locale(lang):
        problem = gettext("There is a problem")
        expected_title = gettext(
            "Error: %(title)s", title=gettext("What type of institution do you identify with?")
        )
    assert page.find(class_="error-summary").find("h2").get_text(strip=True) == problem
    assert page.title.get_text().startswith(expected_title)
    assert len(page.find_all("h1")) == 1
    assert page.find("legend").find("h1") is not None


def test_other_without_text_is_an_error_on_the_text_field(client, stored_drafts):
    visitor = SurveyVisitor(client)
    response = visitor.answer("institution", {"institution": "other", "institution_other": " "})
    page = assert_error_page(
        response, "institution_other", "institution_other", "#institution_other"
    )
    assert page.find(id="institution-8").has_attr("checked")
    assert stored_drafts() == []


def test_other_among_several_choices_needs_its_text(client):
    visitor = SurveyVisitor(client)
    reach(visitor, "looking-for")
    response = visitor.answer("looking-for", {"looking_for": ["results", "other"]})
    assert_error_page(response, "looking_for_other", "looking_for_other", "#looking_for_other")


def test_several_choices_need_at_least_one(client):
    visitor = SurveyVisitor(client)
    reach(visitor, "looking-for")
    response = visitor.answer("looking-for", {})
    assert response.status_code == 422
    assert 'href="#looking_for-0"' in response.get_data(as_text=True)


def test_a_tampered_choice_is_refused(client):
    visitor = SurveyVisitor(client)
    response = visitor.answer("institution", {"institution": "<script>"})
    assert response.status_code == 422
    assert "<script>" not in response.get_data(as_text=True)


def test_email_without_consent_is_an_error_on_the_checkbox(client):
    visitor = SurveyVisitor(client)
    reach(visitor, "contact")
    response = visitor.answer("contact", {"contact_email": "ana@example.org"})
    assert_error_page(response, "contact_consent", "contact_consent", "#contact_consent")
    # What was typed stays in the form.
    assert soup(response).find(id="contact_email")["value"] == "ana@example.org"


def test_a_malformed_email_is_an_error(client):
    visitor = SurveyVisitor(client)
    reach(visitor, "contact")
    response = visitor.answer(
        "contact", {"contact_email": "not an address", "contact_consent": "y"}
    )
    assert_error_page(response, "contact_email", "contact_email", "#contact_email")


def test_ideas_longer_than_the_limit_are_refused_and_the_limit_is_shown(client):
    visitor = SurveyVisitor(client)
    reach(visitor, "ideas")
    page = visitor.open(visitor.url("ideas"))
    assert "2,000" in soup(page).find(id="ideas-hint").get_text()
    response = visitor.answer("ideas", {"ideas": "x" * (IDEAS_MAX_LENGTH + 1)})
    assert_error_page(response, "ideas", "ideas", "#ideas")
    response = visitor.answer("ideas", {"ideas": "x" * IDEAS_MAX_LENGTH})
    assert response.status_code == 303


def test_other_text_longer_than_the_limit_is_refused(client):
    visitor = SurveyVisitor(client)
    response = visitor.answer(
        "institution", {"institution": "other", "institution_other": "y" * 201}
    )
    assert_error_page(response, "institution_other", "institution_other", "#institution_other")


class _LostRace(Exception):
    sqlstate = "40001"  # what PostgreSQL says of a serialization failure


def test_a_draft_that_keeps_changing_asks_the_answer_again(app, client, stored_drafts, monkeypatch):
    """Every retry lost its race (other requests kept writing the draft): the question comes
    back with the answer filled in and a message, never the outage page."""
    attempts = []

    def always_loses(*args):
        attempts.append(args)
        raise OperationalError("UPDATE survey_draft", {}, _LostRace())

    monkeypatch.setattr(services, "_save_answer", always_loses)
    monkeypatch.setattr(services, "RETRY_PAUSE_SECONDS", 0)
    visitor = SurveyVisitor(client)
    response = visitor.answer("institution", ANSWERS_POSTED["institution"])
    assert response.status_code == 409
    assert len(attempts) == services.WRITE_ATTEMPTS
    page = soup(response)
    with app.test_request_context():
        busy = str(BUSY_MESSAGE)
    assert busy in page.find(class_="error-summary").get_text()
    assert page.find(id="institution-8").has_attr("checked")  # "other", as sent
    assert page.find(id="institution_other")["value"] == "Fondation Sœur Émilie"
    assert stored_drafts() == []
