"""What keeps the survey honest: CSRF, the honeypot, the rate limit and the size limits."""

from __future__ import annotations

import json

import pytest

from portal.config import MAX_REQUEST_BYTES
from quality.page_checker import page_language_tag
from survey.walker import (
    ANSWERS_POSTED,
    SurveyVisitor,
    csrf_token,
    path_of,
    seed_complete_draft,
    soup,
)

SUBMISSIONS_PER_MINUTE = 10


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_post_without_csrf_token_is_400_in_the_visitors_language(client, lang, stored_drafts):
    client.get(f"/{lang}/survey/institution")
    response = client.post(f"/{lang}/survey/institution", data={"institution": "government"})
    assert response.status_code == 400
    assert soup(response).find("html")["lang"] == page_language_tag(lang)
    assert stored_drafts() == []


def test_submission_without_csrf_token_is_400_and_stores_nothing(client, stored_responses):
    visitor = SurveyVisitor(client)
    visitor.answer_all()
    response = client.post(visitor.url("check"), data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert stored_responses() == []


def test_filled_honeypot_on_submission_pretends_success_and_stores_nothing(
    client, stored_responses, stored_drafts
):
    visitor = SurveyVisitor(client)
    visitor.answer_all()
    response = visitor.submit(website="https://spam.example")
    assert path_of(response.headers["Location"]) == visitor.url("thanks")
    assert stored_responses() == []
    assert stored_drafts() == []


def test_filled_honeypot_on_a_question_stores_nothing(client, stored_drafts):
    visitor = SurveyVisitor(client)
    response = visitor.answer(
        "institution", {"institution": "government", "website": "https://spam.example"}
    )
    assert path_of(response.headers["Location"]) == visitor.url("thanks")
    assert stored_drafts() == []


def test_the_honeypot_is_labelled_and_out_of_the_way(client):
    page = soup(client.get("/en/survey/institution"))
    trap = page.find("input", attrs={"name": "website"})
    assert trap["tabindex"] == "-1" and trap["autocomplete"] == "off"
    assert page.find("label", attrs={"for": trap["id"]}).get_text(strip=True)
    assert "honeypot" in trap.find_parent("div")["class"]
    # Hidden from assistive technology too: a screen reader does not read out the trap.
    assert trap.find_parent("div")["aria-hidden"] == "true"


def test_the_eleventh_submission_in_a_minute_is_429(client, db_session, stored_responses):
    # The first one walks the whole survey; the others start from a finished draft.
    assert SurveyVisitor(client).complete().status_code == 303
    for _ in range(SUBMISSIONS_PER_MINUTE - 1):
        seed_complete_draft(client, db_session)
        assert SurveyVisitor(client).submit().status_code == 303
    seed_complete_draft(client, db_session)
    response = SurveyVisitor(client).submit()
    assert response.status_code == 429
    assert len(stored_responses()) == SUBMISSIONS_PER_MINUTE
    # Answering questions is not limited, and another address may still submit.
    visitor = SurveyVisitor(client)
    assert visitor.answer("institution", ANSWERS_POSTED["institution"]).status_code == 303
    seed_complete_draft(client, db_session)
    token = csrf_token(visitor.open(visitor.url("check")))
    other_address = client.post(
        visitor.url("check"),
        data={"csrf_token": token},
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    assert other_address.status_code == 303
    assert len(stored_responses()) == SUBMISSIONS_PER_MINUTE + 1


def test_the_429_page_speaks_the_visitors_language(client):
    for _ in range(SUBMISSIONS_PER_MINUTE):
        token = csrf_token(client.get("/fr/survey/institution"))
        client.post("/fr/survey/check", data={"csrf_token": token})
    token = csrf_token(client.get("/fr/survey/institution"))
    response = client.post("/fr/survey/check", data={"csrf_token": token})
    assert response.status_code == 429
    assert soup(response).find("html")["lang"] == "fr"
    assert int(response.headers["Retry-After"]) > 0
    message = soup(response).select_one(".error-message p").get_text()
    assert "Veuillez patienter une minute" in message


TEN_MEGABYTES = 10 * 1024 * 1024


def test_a_ten_megabyte_field_is_a_validation_error_and_never_stored(
    client, stored_responses, stored_drafts
):
    """Without a request size limit, the field's length limit still refuses it."""
    visitor = SurveyVisitor(client)
    visitor.answer_all()
    token = csrf_token(visitor.open(visitor.url("ideas")))
    client.check_html = False  # the page is checked elsewhere; it repeats 10 MB of text here
    response = client.post(
        visitor.url("ideas?return=check"), data={"csrf_token": token, "ideas": "x" * TEN_MEGABYTES}
    )
    assert response.status_code == 422
    client.check_html = True
    [draft] = stored_drafts()
    assert draft.answers["ideas"] == {"ideas": ANSWERS_POSTED["ideas"]["ideas"]}
    assert visitor.submit().status_code == 303
    [stored] = stored_responses()
    assert len(json.dumps(stored.answers)) < 10_000


def test_a_ten_megabyte_request_is_413_with_the_configured_limit(
    app, client, monkeypatch, stored_drafts
):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", MAX_REQUEST_BYTES)
    visitor = SurveyVisitor(client, "es")
    token = csrf_token(visitor.open(visitor.url("institution")))
    response = client.post(
        visitor.url("institution"),
        data={
            "csrf_token": token,
            "institution": "other",
            "institution_other": "x" * TEN_MEGABYTES,
        },
    )
    assert response.status_code == 413
    assert soup(response).find("html")["lang"] == "es"
    message = soup(response).select_one(".error-message p").get_text()
    assert "es más grande de lo que el portal acepta" in message
    assert stored_drafts() == []


def test_survey_pages_are_not_kept_by_caches(client):
    response = client.get("/en/survey/institution")
    assert "no-store" in response.headers["Cache-Control"]
