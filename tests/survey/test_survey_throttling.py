"""Issue 14, point 7: a 429 says when to come back (Retry-After), and guesses at the operator's
token are throttled per address."""

from __future__ import annotations

import base64

import pytest

from survey.walker import SurveyVisitor, csrf_token, seed_complete_draft, soup

TOKEN = "s3cret-operator-token-for-tests"
SUBMISSIONS_PER_MINUTE = 10
FAILED_TOKENS_PER_MINUTE = 10
ANOTHER_ADDRESS = {"REMOTE_ADDR": "192.0.2.7"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def basic(password: str) -> dict[str, str]:
    credentials = base64.b64encode(f"operator:{password}".encode()).decode()
    return {"Authorization": f"Basic {credentials}"}


def seconds_to_wait(response) -> int:
    """Retry-After as delay-seconds: a whole number, at least 1, at most the one-minute window."""
    value = response.headers["Retry-After"]
    assert value.isdigit(), value
    assert 1 <= int(value) <= 60, value
    return int(value)


@pytest.fixture
def admin_token(app, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_ADMIN_TOKEN", TOKEN)
    return TOKEN


def test_a_refused_submission_says_when_to_come_back(client, db_session):
    for _ in range(SUBMISSIONS_PER_MINUTE):
        seed_complete_draft(client, db_session)
        assert SurveyVisitor(client).submit().status_code == 303
    seed_complete_draft(client, db_session)
    response = SurveyVisitor(client).submit()
    assert response.status_code == 429
    seconds_to_wait(response)
    # Only the refusal carries it: a redirect with Retry-After would ask browsers to wait.
    seed_complete_draft(client, db_session)
    visitor = SurveyVisitor(client)
    token = csrf_token(visitor.open(visitor.url("check")))
    accepted = client.post(
        visitor.url("check"), data={"csrf_token": token}, environ_base=ANOTHER_ADDRESS
    )
    assert accepted.status_code == 303
    assert "Retry-After" not in accepted.headers


def test_the_eleventh_wrong_token_in_a_minute_is_429(client, admin_token):
    wrong = [bearer("guess-1"), basic("guess-2")] * (FAILED_TOKENS_PER_MINUTE // 2)
    for headers in wrong:
        assert client.get("/admin/survey", headers=headers).status_code == 401
    response = client.get("/admin/survey.csv", headers=bearer("guess-11"))
    assert response.status_code == 429
    seconds_to_wait(response)
    assert soup(response).find("h1").get_text(strip=True) == "Too many requests"
    assert "no-store" in response.headers["Cache-Control"]
    # Until the minute is over, even the right token is refused from that address (a 200 for
    # it alone would tell a guesser which guess was right); other addresses are not affected.
    assert client.get("/admin/survey", headers=bearer(TOKEN)).status_code == 429
    other = client.get("/admin/survey", headers=bearer(TOKEN), environ_base=ANOTHER_ADDRESS)
    assert other.status_code == 200


def test_the_right_token_is_not_counted_as_a_guess(client, admin_token):
    for _ in range(2 * FAILED_TOKENS_PER_MINUTE):
        assert client.get("/admin/survey", headers=bearer(TOKEN)).status_code == 200
    for _ in range(FAILED_TOKENS_PER_MINUTE):
        assert client.get("/admin/survey", headers=bearer("guess")).status_code == 401
    assert client.get("/admin/survey", headers=bearer("guess")).status_code == 429


@pytest.fixture
def environment_app(app_from_environment):
    return app_from_environment(PORTAL_ADMIN_TOKEN=TOKEN, PORTAL_ADMIN_RATE_LIMIT="3 per minute")


def test_the_number_of_guesses_is_read_from_the_environment(environment_app, db_session):
    client = environment_app.test_client()
    statuses = [client.get("/admin/survey", headers=bearer("guess")).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    response = client.get("/admin/survey.csv", headers=basic("guess"))
    assert response.status_code == 429
    seconds_to_wait(response)
