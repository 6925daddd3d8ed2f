"""The operator reads the results: /admin/survey(.csv) behind a token, and the commands."""

from __future__ import annotations

import base64
import csv
import io
import json

import pytest

from portal.survey import steps
from survey.factories import add_draft, add_response
from survey.walker import soup

TOKEN = "s3cret-operator-token-for-tests"


@pytest.fixture
def admin_token(app, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_ADMIN_TOKEN", TOKEN)
    return TOKEN


def basic(password: str, user: str = "operator") -> dict[str, str]:
    credentials = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {credentials}"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def three_responses(db_session):
    government = {"institution": "government", "institution_other": None}
    add_response(db_session, "en", institution=government)
    add_response(db_session, "fr", institution=government, ease={"ease": 5})
    add_response(
        db_session,
        "es",
        institution={"institution": "media", "institution_other": None},
        ideas={"ideas": '=HYPERLINK("http://evil.example")'},
        contact={"contact_email": None, "contact_consent": False},
    )


@pytest.mark.parametrize("path", ["/admin/survey", "/admin/survey.csv"])
def test_admin_routes_do_not_exist_without_a_configured_token(client, path):
    assert client.get(path, headers=bearer("anything")).status_code == 404


@pytest.mark.parametrize("path", ["/admin/survey", "/admin/survey.csv"])
@pytest.mark.parametrize("headers", [{}, bearer("wrong"), basic("wrong"), bearer("")])
def test_a_missing_or_wrong_token_is_401_with_a_challenge(client, admin_token, path, headers):
    response = client.get(path, headers=headers)
    assert response.status_code == 401
    challenges = response.headers.getlist("WWW-Authenticate")
    assert any(c.startswith("Basic ") for c in challenges)
    assert any(c.startswith("Bearer ") for c in challenges)
    assert TOKEN not in response.get_data(as_text=True)


def test_csv_export_with_the_right_token(client, admin_token, three_responses):
    for headers in (bearer(TOKEN), basic(TOKEN)):
        response = client.get("/admin/survey.csv", headers=headers)
        assert response.status_code == 200
        assert response.content_type == "text/csv; charset=utf-8"
        assert "attachment" in response.headers["Content-Disposition"]
        assert "no-store" in response.headers["Cache-Control"]
        rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
        assert [row["language"] for row in rows] == ["en", "fr", "es"]
        assert [row["institution"] for row in rows] == ["government", "government", "media"]
        assert rows[0]["institution_other"] == ""
        assert rows[0]["looking_for"] == "results;budgets"
        assert rows[1]["ease"] == "5"
        assert rows[0]["features_other"] == "Données par région"
        assert rows[0]["submitted_at"] == "2026-11-28T09:30:15Z"
        # A formula typed by a respondent stays text in a spreadsheet.
        assert rows[2]["ideas"].startswith("'=HYPERLINK")
        assert list(rows[0]) == ["id", "submitted_at", "language", *steps.export_columns()]


def test_counts_per_answer_page(client, admin_token, three_responses):
    response = client.get("/admin/survey", headers=basic(TOKEN))
    assert response.status_code == 200
    page = soup(response)
    tables = page.find_all("table")
    assert len(tables) == len(steps.STEPS)
    institution = {
        row.th.get_text(strip=True): row.td.get_text(strip=True)
        for row in tables[0].tbody.find_all("tr")
    }
    assert institution["Government"] == "2"
    assert institution["Media"] == "1"
    assert institution["Academia / research"] == "0"
    ease = {
        row.th.get_text(strip=True): row.td.get_text(strip=True)
        for row in tables[3].tbody.find_all("tr")
    }
    assert ease["4"] == "2" and ease["5 – Very easy"] == "1"
    assert all(table.find("caption") and table.find("th", scope="col") for table in tables)


def test_counts_page_follows_the_browsers_language(client, admin_token, three_responses):
    response = client.get("/admin/survey", headers={**bearer(TOKEN), "Accept-Language": "fr"})
    assert soup(response).find("html")["lang"] == "fr"
    assert "Accept-Language" in response.vary


def test_cli_export_csv_to_standard_output(runner, three_responses):
    result = runner.invoke(args=["survey-export", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 3
    assert rows[2]["contact_email"] == "" and rows[2]["contact_consent"] == "false"
    assert rows[0]["contact_consent"] == "true"


def test_cli_export_json_to_a_file(runner, three_responses, tmp_path):
    target = tmp_path / "responses.json"
    result = runner.invoke(args=["survey-export", "--format", "json", "-o", str(target)])
    assert result.exit_code == 0, result.output
    records = json.loads(target.read_text(encoding="utf-8"))
    assert [record["institution"] for record in records] == ["government", "government", "media"]
    assert records[0]["looking_for"] == ["results", "budgets"]
    assert records[0]["institution_other"] is None
    assert records[2]["ideas"] == '=HYPERLINK("http://evil.example")'


def test_cli_export_with_no_responses_is_a_header(runner):
    result = runner.invoke(args=["survey-export"])
    assert result.output.splitlines() == [
        ",".join(["id", "submitted_at", "language", *steps.export_columns()])
    ]


def test_cli_export_refuses_an_unknown_format(runner):
    assert runner.invoke(args=["survey-export", "--format", "xml"]).exit_code != 0


def test_purge_drafts_deletes_only_idle_ones(runner, db_session, stored_drafts):
    add_draft(db_session, idle_days=45)
    recent = add_draft(db_session, idle_days=2)
    result = runner.invoke(args=["survey-purge-drafts", "--older-than-days", "30"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 " in result.output
    assert [draft.token for draft in stored_drafts()] == [recent.token]


def test_purge_drafts_defaults_to_the_configured_age(
    app, runner, db_session, stored_drafts, monkeypatch
):
    monkeypatch.setitem(app.config, "PORTAL_SURVEY_DRAFT_MAX_AGE_DAYS", 1)
    add_draft(db_session, idle_days=2)
    add_draft(db_session, idle_days=0)
    result = runner.invoke(args=["survey-purge-drafts"])
    assert result.exit_code == 0, result.output
    assert len(stored_drafts()) == 1


def test_a_purged_draft_starts_the_survey_again(client, db_session):
    """A visitor whose draft was purged is sent back to the first question, not to an error."""
    from survey.walker import SurveyVisitor, path_of, seed_complete_draft

    token = seed_complete_draft(client, db_session)
    from portal.survey.models import SurveyDraft

    db_session.delete(db_session.get(SurveyDraft, token))
    db_session.commit()
    response = client.get("/en/survey/check")
    assert path_of(response.headers["Location"]) == SurveyVisitor(client).url("institution")
