"""Too many reports from one address: 429 in the visitor's language, nothing more stored."""

from __future__ import annotations

from outcomes.reading import soup_of_any
from portal.config import PROBLEM_REPORT_RATE
from problems.conftest import COUNTRY_FORM, FIGURES_FORM
from problems.reporting import send_report

REPORTS_PER_MINUTE = 5  # the default, "5 per minute;30 per day"
ANOTHER_ADDRESS = {"REMOTE_ADDR": "192.0.2.7"}


def test_the_sixth_report_in_a_minute_is_429_and_not_stored(client, sample_data, stored_reports):
    assert PROBLEM_REPORT_RATE.startswith(f"{REPORTS_PER_MINUTE} per minute")
    for _ in range(REPORTS_PER_MINUTE):
        assert send_report(client, COUNTRY_FORM.format(lang="es")).status_code == 303
    refused = send_report(client, FIGURES_FORM.format(lang="es"))
    assert refused.status_code == 429
    assert refused.headers["Retry-After"].isdigit()
    assert soup_of_any(refused).find("html")["lang"] == "es"
    assert len(stored_reports()) == REPORTS_PER_MINUTE
    # Reading the form is not limited, and another address may still report.
    assert client.get(COUNTRY_FORM.format(lang="es")).status_code == 200
    other = send_report(client, COUNTRY_FORM.format(lang="es"), environ_base=ANOTHER_ADDRESS)
    assert other.status_code == 303
    assert len(stored_reports()) == REPORTS_PER_MINUTE + 1


def test_the_rate_is_the_operators_setting(app, client, sample_data, stored_reports, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_PROBLEM_REPORT_RATE", "2 per minute")
    statuses = [send_report(client, COUNTRY_FORM.format(lang="en")).status_code for _ in range(3)]
    assert statuses == [303, 303, 429]
    assert len(stored_reports()) == 2


def test_the_rate_is_read_from_the_environment(app_from_environment):
    assert app_from_environment().config["PORTAL_PROBLEM_REPORT_RATE"] == PROBLEM_REPORT_RATE
    configured = app_from_environment(PORTAL_PROBLEM_REPORT_RATE="3 per hour")
    assert configured.config["PORTAL_PROBLEM_REPORT_RATE"] == "3 per hour"
