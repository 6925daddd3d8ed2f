"""The operator reads the reports: /admin/problem-reports(.csv) behind the operator's token,
and `portal problem-reports export --format csv|json`."""

from __future__ import annotations

import csv
import io
import json

import pytest

from outcomes.reading import soup_of
from problems.conftest import COUNTRY_FORM, FIGURES_FORM
from problems.reporting import send_report
from survey.test_survey_operator import basic, bearer

TOKEN = "s3cret-operator-token-for-tests"
FORMULA = '=HYPERLINK("http://evil.example")'
ADMIN_PATHS = ["/admin/problem-reports", "/admin/problem-reports.csv"]


@pytest.fixture
def admin_token(app, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_ADMIN_TOKEN", TOKEN)
    return TOKEN


@pytest.fixture
def two_reports(client, sample_data, stored_reports):
    send_report(client, COUNTRY_FORM.format(lang="fr"), problem="La population est fausse.")
    send_report(client, FIGURES_FORM.format(lang="en"), problem=FORMULA, email="ana@example.org")
    assert len(stored_reports()) == 2


@pytest.mark.parametrize("path", ADMIN_PATHS)
def test_admin_routes_do_not_exist_without_a_configured_token(client, path):
    assert client.get(path, headers=bearer("anything")).status_code == 404


@pytest.mark.parametrize("path", ADMIN_PATHS)
@pytest.mark.parametrize("headers", [{}, bearer("wrong"), basic("wrong")])
def test_a_missing_or_wrong_token_is_401(client, admin_token, path, headers):
    response = client.get(path, headers=headers)
    assert response.status_code == 401
    assert response.headers.getlist("WWW-Authenticate")
    assert "no-store" in response.headers["Cache-Control"]


def test_the_reports_page_lists_the_newest_first(client, admin_token, two_reports):
    response = client.get("/admin/problem-reports", headers=basic(TOKEN))
    assert "no-store" in response.headers["Cache-Control"]
    page = soup_of(response)
    rows = page.select("table.problem-reports tbody tr")
    assert [row.find_all("td")[2].get_text(strip=True) for row in rows] == [
        FORMULA,
        "La population est fausse.",
    ]
    assert (
        rows[0].find("a")["href"]
        == "/en/countries/MLI/results-resources?year=2024#rr-partners-heading"
    )
    assert rows[0].find_all("td")[3].get_text(strip=True) == "ana@example.org"


def test_guesses_at_the_token_are_counted_with_the_surveys(client, admin_token):
    for _ in range(5):
        assert client.get("/admin/survey", headers=bearer("guess")).status_code == 401
    for _ in range(5):
        assert client.get("/admin/problem-reports", headers=bearer("guess")).status_code == 401
    assert client.get("/admin/problem-reports", headers=bearer("guess")).status_code == 429


def test_the_csv_download(client, admin_token, two_reports):
    response = client.get("/admin/problem-reports.csv", headers=bearer(TOKEN))
    assert response.status_code == 200
    assert response.content_type == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["subject"] for row in rows] == ["country", "figures"]
    # A formula typed by a visitor stays text in a spreadsheet.
    assert rows[1]["problem"] == "'" + FORMULA


def test_cli_export_csv(runner, two_reports):
    result = runner.invoke(args=["problem-reports", "export", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(row["language"], row["subject"], row["subject_key"]) for row in rows] == [
        ("fr", "country", "MLI"),
        ("en", "figures", "MLI"),
    ]
    assert rows[0]["problem"] == "La population est fausse."
    assert rows[0]["page_path"] == "/fr/countries/MLI/"
    assert rows[0]["email"] == ""
    assert rows[1]["year"] == "2024" and rows[1]["figure_group"] == "funding-by-partner"
    assert rows[0]["created_at"].endswith("Z")


def test_cli_export_json_to_a_file(runner, two_reports, tmp_path):
    target = tmp_path / "reports.json"
    result = runner.invoke(
        args=["problem-reports", "export", "--format", "json", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert "Wrote 2 problem reports" in result.output
    records = json.loads(target.read_text(encoding="utf-8"))
    assert [record["problem"] for record in records] == ["La population est fausse.", FORMULA]
    assert records[0]["email"] is None
    assert records[1]["email"] == "ana@example.org"
    assert records[1]["year"] == 2024


def test_cli_export_refuses_an_unknown_format(runner):
    result = runner.invoke(args=["problem-reports", "export", "--format", "xml"])
    assert result.exit_code != 0
