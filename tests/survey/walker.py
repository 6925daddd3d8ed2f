"""A visitor without JavaScript: reads each survey page, posts its form with the CSRF token."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from outcomes.reading import soup_of_any

# One complete set of answers, as posted (form field → value or list of values).
ANSWERS_POSTED: dict[str, dict[str, Any]] = {
    "institution": {"institution": "other", "institution_other": "Fondation Sœur Émilie"},
    "visit-reason": {"visit_reason": "research", "visit_reason_other": ""},
    "looking-for": {"looking_for": ["results", "budgets"], "looking_for_other": ""},
    "ease": {"ease": "4"},
    "features": {"features": ["maps_charts", "other"], "features_other": "Données par région"},
    "ideas": {"ideas": "Plus de graphiques, s'il vous plaît ✓"},
    "contact": {"contact_email": "ana@example.org", "contact_consent": "y"},
}

# The same answers as stored.
ANSWERS_STORED: dict[str, dict[str, Any]] = {
    "institution": {"institution": "other", "institution_other": "Fondation Sœur Émilie"},
    "visit-reason": {"visit_reason": "research", "visit_reason_other": None},
    "looking-for": {"looking_for": ["results", "budgets"], "looking_for_other": None},
    "ease": {"ease": 4},
    "features": {"features": ["maps_charts", "other"], "features_other": "Données par région"},
    "ideas": {"ideas": "Plus de graphiques, s'il vous plaît ✓"},
    "contact": {"contact_email": "ana@example.org", "contact_consent": True},
}

STEP_SLUGS = tuple(ANSWERS_POSTED)


def soup(response: TestResponse) -> BeautifulSoup:
    return soup_of_any(response)


def csrf_token(response: TestResponse) -> str:
    field = soup(response).find("input", attrs={"name": "csrf_token"})
    assert field is not None, "the page has no form with a CSRF token"
    return field["value"]


def path_of(location: str) -> str:
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class SurveyVisitor:
    """Walks the survey in one language through a Flask test client (its own cookie jar)."""

    def __init__(self, client: FlaskClient, lang: str = "en") -> None:
        self.client = client
        self.lang = lang

    def url(self, page: str = "") -> str:
        return f"/{self.lang}/survey/{page}"

    def open(self, path: str) -> TestResponse:
        response = self.client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response

    def answer(self, slug: str, fields: Mapping[str, Any], path: str | None = None) -> TestResponse:
        """GET the question page, then POST `fields` with its CSRF token (no redirect followed)."""
        path = path or self.url(slug)
        page = self.open(path)
        form = soup(page).find("form", attrs={"method": "post"})
        data = {"csrf_token": csrf_token(page), "website": "", **fields}
        return self.client.post(form["action"], data=data)

    def answer_all(self, answers: Mapping[str, Mapping[str, Any]] = ANSWERS_POSTED) -> None:
        for slug in STEP_SLUGS:
            response = self.answer(slug, answers[slug])
            assert response.status_code == 303, (slug, response.status_code)

    def submit(self, **extra: str) -> TestResponse:
        page = self.open(self.url("check"))
        return self.client.post(
            self.url("check"), data={"csrf_token": csrf_token(page), "website": "", **extra}
        )

    def complete(self) -> TestResponse:
        self.answer_all()
        return self.submit()


def seed_complete_draft(client: FlaskClient, session) -> str:
    """A fully answered draft in the client's session, written directly (a fast factory)."""
    from portal.survey import services
    from portal.survey.views import DRAFT_TOKEN_KEY

    token = None
    for slug, answer in ANSWERS_STORED.items():
        token, _ = services.save_answer(session, token, slug, answer)
    with client.session_transaction() as cookie_session:
        cookie_session[DRAFT_TOKEN_KEY] = token
    return token
