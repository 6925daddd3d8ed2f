"""Free-text answers with control characters (NUL, terminal escapes, DEL) are refused with a
422 and a message on the field; line breaks in the multi-line answer are kept."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext
from werkzeug.datastructures import MultiDict
from wtforms import StringField

from portal.survey import steps
from survey.test_survey_errors import assert_error_page, reach
from survey.walker import SurveyVisitor, soup

MESSAGE = "Your answer contains hidden control characters. Type it again without them."
CONTROLLED = {
    "nul": "Fondation\x00Sœur Émilie",
    "terminal escape": "\x1b[31mFondation Sœur Émilie\x1b[0m",
    "delete": "Fondation Sœur\x7f Émilie",
    "other C0 control": "Fondation\x08 Sœur Émilie",
    "C1 control sequence introducer": "Fondation \x9b31m Sœur Émilie",
}


def _message_of(page, field_id: str) -> str:
    return page.find(id=f"{field_id}-error").get_text(" ", strip=True)


@pytest.mark.parametrize("case", CONTROLLED)
def test_a_single_line_answer_with_a_control_character_is_refused(client, stored_drafts, case):
    visitor = SurveyVisitor(client)
    response = visitor.answer(
        "institution", {"institution": "other", "institution_other": CONTROLLED[case]}
    )
    page = assert_error_page(
        response, "institution_other", "institution_other", "#institution_other"
    )
    assert MESSAGE in _message_of(page, "institution_other")
    assert MESSAGE in page.find(class_="error-summary").get_text(" ", strip=True)
    assert stored_drafts() == []


@pytest.mark.parametrize("case", CONTROLLED)
def test_a_multi_line_answer_with_a_control_character_is_refused(client, stored_drafts, case):
    visitor = SurveyVisitor(client)
    reach(visitor, "ideas")
    response = visitor.answer("ideas", {"ideas": f"More charts\n{CONTROLLED[case]}"})
    page = assert_error_page(response, "ideas", "ideas", "#ideas")
    assert MESSAGE in _message_of(page, "ideas")
    (draft,) = stored_drafts()
    assert "ideas" not in draft.answers


def test_an_email_address_with_a_control_character_is_refused(client, stored_drafts):
    visitor = SurveyVisitor(client)
    reach(visitor, "contact")
    response = visitor.answer(
        "contact", {"contact_email": "ana\x00@example.org", "contact_consent": "y"}
    )
    page = assert_error_page(response, "contact_email", "contact_email", "#contact_email")
    # One message: the format message would only confuse.
    assert _message_of(page, "contact_email") == f"Error: {MESSAGE}"
    (draft,) = stored_drafts()
    assert "contact" not in draft.answers


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_the_message_is_in_the_visitors_language(app, client, lang):
    visitor = SurveyVisitor(client, lang)
    response = visitor.answer(
        "institution", {"institution": "other", "institution_other": "Fondation\x00"}
    )
    assert response.status_code == 422
    with app.test_request_context(), force_locale(lang):
        expected = gettext(MESSAGE)
    assert expected in _message_of(soup(response), "institution_other")


def test_a_line_break_in_a_single_line_answer_is_refused(client, stored_drafts):
    # A text input cannot hold a line break (browsers remove them): only a forged post has one.
    visitor = SurveyVisitor(client)
    response = visitor.answer(
        "institution", {"institution": "other", "institution_other": "Fondation\r\nSœur"}
    )
    assert response.status_code == 422
    assert MESSAGE in _message_of(soup(response), "institution_other")
    assert stored_drafts() == []


@pytest.mark.parametrize("ideas", ["More charts\nand maps", "More charts\r\n\r\n\tand maps"])
def test_line_breaks_and_tabs_in_the_multi_line_answer_are_kept(client, stored_drafts, ideas):
    visitor = SurveyVisitor(client)
    reach(visitor, "ideas")
    assert visitor.answer("ideas", {"ideas": ideas}).status_code == 303
    (draft,) = stored_drafts()
    assert draft.answers["ideas"] == {"ideas": ideas}


def test_a_tab_in_a_single_line_answer_is_kept(client, stored_drafts):
    visitor = SurveyVisitor(client)
    response = visitor.answer(
        "institution", {"institution": "other", "institution_other": "Fondation\tSœur"}
    )
    assert response.status_code == 303
    (draft,) = stored_drafts()
    assert draft.answers["institution"]["institution_other"] == "Fondation\tSœur"


def test_every_text_field_of_the_survey_refuses_control_characters(app):
    """A text field added to the survey later is covered too."""
    checked = []
    with app.test_request_context():
        for step in steps.STEPS:
            blank = step.form_class(formdata=MultiDict(), meta={"csrf": False})
            for name in [field.name for field in blank if isinstance(field, StringField)]:
                posted = MultiDict({name: "Fondation\x00"})
                form = step.form_class(formdata=posted, meta={"csrf": False})
                form.validate()
                assert MESSAGE in [str(message) for message in form[name].errors], name
                checked.append(name)
    assert {
        "website",
        "institution_other",
        "visit_reason_other",
        "looking_for_other",
        "features_other",
        "ideas",
        "contact_email",
    } <= set(checked)
