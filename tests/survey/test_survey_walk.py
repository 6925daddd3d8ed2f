"""A visitor without JavaScript answers the whole survey, goes Back, changes an answer, sends."""

from __future__ import annotations

import re

import pytest

from portal.config import SUPPORTED_LANGUAGES
from portal.survey import steps
from quality.page_checker import page_language_tag
from survey.walker import (
    ANSWERS_POSTED,
    ANSWERS_STORED,
    STEP_SLUGS,
    SurveyVisitor,
    csrf_token,
    path_of,
    soup,
)


def checked_values(response, name: str) -> list[str]:
    return [
        field["value"]
        for field in soup(response).find_all("input", attrs={"name": name})
        if field.has_attr("checked")
    ]


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_whole_survey_with_back_and_change(client, lang, stored_responses, stored_drafts):
    visitor = SurveyVisitor(client, lang)
    intro = visitor.open(visitor.url())
    start = soup(intro).find("a", class_="button")["href"]
    assert start == visitor.url("institution")

    response = visitor.answer("institution", ANSWERS_POSTED["institution"])
    assert response.status_code == 303
    assert path_of(response.headers["Location"]) == visitor.url("visit-reason")

    # A first answer to question 2, then Back from question 3 to change it.
    visitor.answer("visit-reason", {"visit_reason": "journalism"})
    question_3 = visitor.open(visitor.url("looking-for"))
    progress = soup(question_3).find(class_="survey-progress").get_text()
    assert re.findall(r"\d+", progress) == ["3", "7"]  # not "03 of 07"
    back = soup(question_3).find("a", class_="back-link")["href"]
    assert back == visitor.url("visit-reason")
    assert checked_values(visitor.open(back), "visit_reason") == ["journalism"]
    response = visitor.answer("visit-reason", ANSWERS_POSTED["visit-reason"])
    assert path_of(response.headers["Location"]) == visitor.url("looking-for")

    for slug in STEP_SLUGS[2:]:
        response = visitor.answer(slug, ANSWERS_POSTED[slug])
        assert response.status_code == 303, slug
    assert path_of(response.headers["Location"]) == visitor.url("check")

    # A reload keeps everything: the first answer is still there.
    first = visitor.open(visitor.url("institution"))
    assert checked_values(first, "institution") == ["other"]
    assert soup(first).find(id="institution_other")["value"] == "Fondation Sœur Émilie"

    # Change question 4 from the check page: Continue leads back to the check page.
    check = visitor.open(visitor.url("check"))
    rows = soup(check).find_all(class_="summary-list__row")
    assert len(rows) == len(steps.STEPS)
    change = rows[3].find("a")["href"]
    assert change == visitor.url("ease?return=check")
    assert checked_values(visitor.open(change), "ease") == ["4"]
    assert soup(visitor.open(change)).find("a", class_="back-link")["href"] == visitor.url("check")
    response = visitor.answer("ease", {"ease": "2"}, path=change)
    assert path_of(response.headers["Location"]) == visitor.url("check")
    check = visitor.open(visitor.url("check"))
    assert "Fondation Sœur Émilie" in check.get_data(as_text=True)
    assert "ana@example.org" in check.get_data(as_text=True)

    response = visitor.submit()
    assert response.status_code == 303
    assert path_of(response.headers["Location"]) == visitor.url("thanks")
    thanks = visitor.open(visitor.url("thanks"))
    assert soup(thanks).find("html")["lang"] == page_language_tag(lang)

    [stored] = stored_responses()
    assert stored.language == lang
    assert stored.answers == {**ANSWERS_STORED, "ease": {"ease": 2}}
    assert stored_drafts() == []
    assert not hasattr(stored, "ip_address") and "127.0.0.1" not in repr(stored.answers)


def test_a_later_question_sends_the_visitor_to_the_first_unanswered(client):
    visitor = SurveyVisitor(client)
    response = client.get(visitor.url("ease"))
    assert response.status_code == 303
    assert path_of(response.headers["Location"]) == visitor.url("institution")
    visitor.answer("institution", ANSWERS_POSTED["institution"])
    response = client.get(visitor.url("check"))
    assert path_of(response.headers["Location"]) == visitor.url("visit-reason")


def test_skipping_ahead_by_post_still_leads_to_the_missing_question(client):
    visitor = SurveyVisitor(client)
    visitor.answer("institution", ANSWERS_POSTED["institution"])
    token = csrf_token(visitor.open(visitor.url("visit-reason")))
    response = client.post(visitor.url("features"), data={"csrf_token": token, "features": ["api"]})
    assert response.status_code == 303
    assert path_of(response.headers["Location"]) == visitor.url("visit-reason")


def test_intro_offers_to_continue_a_survey_in_progress(client):
    visitor = SurveyVisitor(client)
    visitor.answer("institution", ANSWERS_POSTED["institution"])
    intro = visitor.open(visitor.url())
    assert soup(intro).find("a", class_="button")["href"] == visitor.url("visit-reason")


def test_other_text_is_dropped_when_other_is_not_chosen(client, stored_responses):
    visitor = SurveyVisitor(client)
    answers = {
        **ANSWERS_POSTED,
        "institution": {"institution": "media", "institution_other": "left over"},
    }
    visitor.answer_all(answers)
    assert visitor.submit().status_code == 303
    [stored] = stored_responses()
    assert stored.answers["institution"] == {"institution": "media", "institution_other": None}


def test_optional_questions_may_be_left_empty(client, stored_responses):
    visitor = SurveyVisitor(client)
    answers = {
        **ANSWERS_POSTED,
        "ideas": {"ideas": "   "},
        "contact": {"contact_email": ""},
    }
    visitor.answer_all(answers)
    check = visitor.open(visitor.url("check")).get_data(as_text=True)
    assert "No ideas given" in check
    visitor.submit()
    [stored] = stored_responses()
    assert stored.answers["ideas"] == {"ideas": None}
    assert stored.answers["contact"] == {"contact_email": None, "contact_consent": False}


def test_a_double_submission_stores_one_response(client, stored_responses):
    visitor = SurveyVisitor(client)
    visitor.answer_all()
    check = visitor.open(visitor.url("check"))
    token = csrf_token(check)
    cookie = client.get_cookie("session")
    first = client.post(visitor.url("check"), data={"csrf_token": token})
    # The second click carries the cookie the first one was sent with.
    client.set_cookie("session", cookie.value)
    second = client.post(visitor.url("check"), data={"csrf_token": token})
    assert path_of(first.headers["Location"]) == visitor.url("thanks")
    assert path_of(second.headers["Location"]) == visitor.url("thanks")
    assert len(stored_responses()) == 1


def test_submitting_without_a_survey_in_progress_stores_nothing(client, stored_responses):
    visitor = SurveyVisitor(client)
    token = csrf_token(visitor.open(visitor.url("institution")))
    response = client.post(visitor.url("check"), data={"csrf_token": token})
    assert path_of(response.headers["Location"]) == visitor.url()
    assert stored_responses() == []
