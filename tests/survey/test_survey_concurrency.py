"""Fifty visitors finish the survey at the same moment against a running server: fifty responses.

Runs on the suite's database: a SQLite file, or PostgreSQL when PORTAL_TEST_DATABASE_URL is set.
The server is real (werkzeug, one thread per request) and so are the transactions: this test
commits, so it removes what it stored afterwards.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener

import pytest
from sqlalchemy import delete, func, select
from werkzeug.serving import WSGIRequestHandler, make_server

from portal.extensions import db
from portal.survey.models import SurveyDraft, SurveyResponse
from survey.walker import ANSWERS_POSTED, ANSWERS_STORED, STEP_SLUGS

VISITORS = 50
REQUEST_TIMEOUT_SECONDS = 60
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code="-", size="-") -> None:
        """One line per request would drown the test output."""


@pytest.fixture
def live_server(app, monkeypatch) -> Iterator[str]:
    # Everyone here comes from 127.0.0.1; the limit has its own test.
    monkeypatch.setitem(app.config, "PORTAL_SURVEY_SUBMISSION_RATE", "1000 per minute")
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with app.app_context():
        first_new_id = (db.session.scalar(select(func.max(SurveyResponse.id))) or 0) + 1
        drafts_before = set(db.session.scalars(select(SurveyDraft.token)))
        db.session.remove()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        with app.app_context():
            db.session.execute(delete(SurveyResponse).where(SurveyResponse.id >= first_new_id))
            db.session.execute(delete(SurveyDraft).where(SurveyDraft.token.not_in(drafts_before)))
            db.session.commit()
            db.session.remove()


def walk_survey(base_url: str, visitor: int, start: threading.Barrier) -> str:
    """One visitor with their own cookies: every question, then Send; returns the last URL."""
    opener = build_opener(HTTPCookieProcessor(CookieJar()))

    def open_page(path: str, fields: dict | None = None) -> tuple[str, str]:
        data = urlencode(fields, doseq=True).encode() if fields is not None else None
        with opener.open(base_url + path, data=data, timeout=REQUEST_TIMEOUT_SECONDS) as page:
            return page.geturl(), page.read().decode()

    _, first_page = open_page("/en/survey/institution")
    token = CSRF_FIELD.search(first_page).group(1)
    start.wait(timeout=REQUEST_TIMEOUT_SECONDS)
    for slug, fields in ANSWERS_POSTED.items():
        if slug == "ideas":
            fields = {"ideas": f"Idea number {visitor}"}
        open_page(f"/en/survey/{slug}", {"csrf_token": token, **fields})
    last_url, _ = open_page("/en/survey/check", {"csrf_token": token})
    return last_url


def test_fifty_concurrent_submissions_store_fifty_responses(app, live_server):
    start = threading.Barrier(VISITORS)
    with ThreadPoolExecutor(max_workers=VISITORS) as pool:
        finished = list(pool.map(lambda n: walk_survey(live_server, n, start), range(VISITORS)))
    assert finished == [f"{live_server}/en/survey/thanks"] * VISITORS
    with app.app_context():
        stored = list(
            db.session.scalars(select(SurveyResponse).where(SurveyResponse.answers.is_not(None)))
        )
        leftover_drafts = db.session.scalar(select(func.count()).select_from(SurveyDraft))
        db.session.remove()
    assert len(stored) == VISITORS
    assert sorted(response.answers["ideas"]["ideas"] for response in stored) == sorted(
        f"Idea number {n}" for n in range(VISITORS)
    )
    expected = {slug: answer for slug, answer in ANSWERS_STORED.items() if slug != "ideas"}
    assert all(
        {slug: answer for slug, answer in response.answers.items() if slug != "ideas"} == expected
        for response in stored
    )
    assert leftover_drafts == 0


DOUBLE_CLICKS = 20


def test_twenty_posts_to_one_draft_at_once_lose_nothing(app, live_server):
    """A double click (or twenty) on Continue without JavaScript: the same draft is written by
    many requests at once. None answers the outage page, and every step's answer is kept."""
    opener = build_opener(HTTPCookieProcessor(CookieJar()))

    def post(path: str, fields: dict) -> int:
        data = urlencode(fields, doseq=True).encode()
        try:
            with opener.open(
                live_server + path, data=data, timeout=REQUEST_TIMEOUT_SECONDS
            ) as page:
                page.read()
                return page.status
        except HTTPError as error:
            error.close()
            return error.code

    with opener.open(f"{live_server}/en/survey/institution") as first_page:
        token = CSRF_FIELD.search(first_page.read().decode()).group(1)
    assert post("/en/survey/institution", {"csrf_token": token, **ANSWERS_POSTED["institution"]})
    start = threading.Barrier(DOUBLE_CLICKS)
    slugs = [STEP_SLUGS[n % len(STEP_SLUGS)] for n in range(DOUBLE_CLICKS)]

    def click(n: int) -> int:
        fields = ANSWERS_POSTED[slugs[n]]
        if slugs[n] == "ideas":
            fields = {"ideas": f"Click {n}"}
        start.wait(timeout=REQUEST_TIMEOUT_SECONDS)
        return post(f"/en/survey/{slugs[n]}", {"csrf_token": token, **fields})

    with ThreadPoolExecutor(max_workers=DOUBLE_CLICKS) as pool:
        statuses = list(pool.map(click, range(DOUBLE_CLICKS)))
    assert statuses == [200] * DOUBLE_CLICKS  # each redirected to its next page, none a 503
    with app.app_context():
        drafts = list(db.session.scalars(select(SurveyDraft)))
        db.session.remove()
    assert len(drafts) == 1
    answers = drafts[0].answers
    assert set(answers) == set(STEP_SLUGS)
    assert answers["ideas"]["ideas"] in {f"Click {n}" for n, s in enumerate(slugs) if s == "ideas"}
    assert {slug: a for slug, a in answers.items() if slug != "ideas"} == {
        slug: a for slug, a in ANSWERS_STORED.items() if slug != "ideas"
    }
