"""With HTMX the same URLs answer with the survey region alone; without, whole pages."""

from __future__ import annotations

import json

from survey.walker import ANSWERS_POSTED, SurveyVisitor, csrf_token, soup

HTMX = {"HX-Request": "true", "HX-Target": "survey-region"}


def test_each_form_is_a_real_form_that_htmx_posts_into_the_region(client):
    page = soup(client.get("/en/survey/institution"))
    form = page.find("form", attrs={"method": "post"})
    assert form["action"] == form["hx-post"] == "/en/survey/institution"
    region = page.select_one(form["hx-target"])
    assert region is not None and region.find("form") is form
    assert region["hx-history"] == "false"


def test_a_question_fragment_has_its_title_and_focusable_heading(client):
    response = client.get("/fr/survey/institution", headers=HTMX)
    html = response.get_data(as_text=True)
    assert "<html" not in html and html.lstrip().startswith("<title>")
    assert "HX-Request" in response.vary
    heading = soup(response).find("h1")
    assert heading.has_attr("data-focus-after-swap")
    assert heading.find_parent("legend") is not None


def test_an_invalid_answer_swaps_in_the_form_with_its_errors(client):
    token = csrf_token(client.get("/en/survey/institution"))
    response = client.post("/en/survey/institution", data={"csrf_token": token}, headers=HTMX)
    assert response.status_code == 422
    fragment = soup(response)
    assert fragment.find("title").get_text().startswith("Error: ")
    assert fragment.find(class_="error-summary").has_attr("data-focus-after-swap")
    assert not fragment.find("h1").has_attr("data-focus-after-swap")


def test_a_valid_answer_tells_htmx_where_to_go_next(client):
    token = csrf_token(client.get("/en/survey/institution"))
    response = client.post(
        "/en/survey/institution",
        data={"csrf_token": token, **ANSWERS_POSTED["institution"]},
        headers=HTMX,
    )
    assert response.status_code == 204
    assert json.loads(response.headers["HX-Location"]) == {
        "path": "/en/survey/visit-reason",
        "target": "#survey-region",
    }
    # …and the next question, fetched by HTMX, is a fragment.
    fragment = client.get("/en/survey/visit-reason", headers=HTMX)
    assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)


def test_the_whole_survey_through_htmx_stores_one_response(client, stored_responses):
    visitor = SurveyVisitor(client, "es")
    for slug, fields in ANSWERS_POSTED.items():
        token = csrf_token(client.get(visitor.url(slug), headers=HTMX))
        response = client.post(
            visitor.url(slug), data={"csrf_token": token, **fields}, headers=HTMX
        )
        assert response.status_code == 204, slug
    check = client.get(visitor.url("check"), headers=HTMX)
    response = client.post(
        visitor.url("check"), data={"csrf_token": csrf_token(check)}, headers=HTMX
    )
    assert json.loads(response.headers["HX-Location"])["path"] == visitor.url("thanks")
    [stored] = stored_responses()
    assert stored.language == "es"


def test_a_boosted_or_history_request_gets_the_whole_page(client):
    for headers in (
        {"HX-Request": "true", "HX-Boosted": "true"},
        {"HX-Request": "true", "HX-History-Restore-Request": "true"},
    ):
        response = client.get("/en/survey/institution", headers=headers)
        assert "<html" in response.get_data(as_text=True)
