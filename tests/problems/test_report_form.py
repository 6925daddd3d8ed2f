"""Issue 15.4: one report stored per valid submission; none for a bad CSRF token, a filled-in
honeypot or invalid input; the subject must exist; pages work without JavaScript."""

from __future__ import annotations

import pytest

from outcomes.reading import soup_of, soup_of_any
from portal.config import SUPPORTED_LANGUAGES
from portal.problems.forms import PROBLEM_MAX_LENGTH
from problems.conftest import COUNTRY_FORM, FIGURES_FORM, OUTCOME_FORM
from problems.reporting import send_report
from quality.page_checker import page_language_tag
from survey.walker import path_of

OUTCOME_PAGE = "/{lang}/outcomes/XM-EXAMPLE-ORG-MLI_D_1.1?plan_period=2022-2025"
THANKS = "/{lang}/report-a-problem/thanks/"


@pytest.mark.parametrize(
    ("form_url", "stored_subject", "page_path"),
    [
        (
            OUTCOME_FORM,
            ("outcome", "XM-EXAMPLE-ORG-MLI_D_1.1", "2022-2025", None, None),
            OUTCOME_PAGE,
        ),
        (COUNTRY_FORM, ("country", "MLI", None, None, None), "/{lang}/countries/MLI/"),
        (
            FIGURES_FORM,
            ("figures", "MLI", None, 2024, "funding-by-partner"),
            "/{lang}/countries/MLI/results-resources?year=2024#rr-partners-heading",
        ),
    ],
    ids=["outcome", "country", "figures"],
)
@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_a_valid_report_is_stored_once_and_thanked(
    client, sample_data, stored_reports, lang, form_url, stored_subject, page_path
):
    assert stored_reports() == []
    response = send_report(
        client, form_url.format(lang=lang), problem="Le total 2024 est faux ✓", email="a@b.org"
    )
    assert response.status_code == 303
    thanks_url = path_of(response.headers["Location"])
    assert thanks_url.startswith(THANKS.format(lang=lang))
    (report,) = stored_reports()
    assert (
        report.subject,
        report.subject_key,
        report.plan_period,
        report.year,
        report.figure_group,
    ) == stored_subject
    assert report.page_path == page_path.format(lang=lang)
    assert (report.problem, report.email, report.language) == (
        "Le total 2024 est faux ✓",
        "a@b.org",
        lang,
    )
    # Post/Redirect/Get: the thank-you page leads back to the page the report is about.
    thanks = client.get(thanks_url)
    assert "no-store" in thanks.headers["Cache-Control"]
    page = soup_of(thanks)
    assert page.find("html")["lang"] == page_language_tag(lang)
    assert page.find("main").find("a", href=page_path.format(lang=lang))
    assert len(stored_reports()) == 1


def test_the_email_address_is_optional_and_nothing_else_personal_is_stored(
    client, sample_data, stored_reports
):
    response = send_report(
        client, COUNTRY_FORM.format(lang="en"), environ_base={"REMOTE_ADDR": "203.0.113.9"}
    )
    assert response.status_code == 303
    (report,) = stored_reports()
    assert report.email is None
    stored = " ".join(str(value) for value in vars(report).values())
    assert "203.0.113.9" not in stored


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_the_form_works_without_javascript_and_is_not_cached(client, sample_data, lang):
    response = client.get(OUTCOME_FORM.format(lang=lang))
    assert "no-store" in response.headers["Cache-Control"]
    page = soup_of(response)
    form = page.find("main").find("form")
    assert form["method"] == "post"
    assert form["action"] == OUTCOME_FORM.format(lang=lang)
    assert not any(name.startswith("hx-") for name in form.attrs)
    assert form.find("textarea", attrs={"name": "problem"})
    assert form.find("input", attrs={"name": "email", "type": "email"})
    assert form.find("button", attrs={"type": "submit"})
    # The heading names the outcome, by its title in the visitor's language (the sample has
    # English, French and Spanish titles).
    outcome_title = soup_of(client.get(OUTCOME_PAGE.format(lang=lang))).find("h1").get_text()
    assert outcome_title.strip() in page.find("h1").get_text()
    identifier = page.find(class_="identifier")
    assert identifier["translate"] == "no"


def test_the_heading_names_the_country_or_the_figures(client, sample_data):
    assert "Mali" in soup_of(client.get(COUNTRY_FORM.format(lang="en"))).find("h1").get_text()
    heading = soup_of(client.get(FIGURES_FORM.format(lang="en"))).find("h1").get_text()
    assert "Funding by partner" in heading and "Mali" in heading and "2024" in heading


def test_a_post_without_csrf_token_is_400_and_stores_nothing(client, sample_data, stored_reports):
    client.get(COUNTRY_FORM.format(lang="fr"))
    response = client.post(COUNTRY_FORM.format(lang="fr"), data={"problem": "Wrong"})
    assert response.status_code == 400
    assert soup_of_any(response).find("html")["lang"] == "fr"
    forged = client.post(
        COUNTRY_FORM.format(lang="fr"), data={"problem": "Wrong", "csrf_token": "forged"}
    )
    assert forged.status_code == 400
    assert stored_reports() == []


def test_a_filled_honeypot_pretends_success_and_stores_nothing(client, sample_data, stored_reports):
    response = send_report(client, COUNTRY_FORM.format(lang="en"), website="https://spam.example")
    assert response.status_code == 303
    assert path_of(response.headers["Location"]) == "/en/report-a-problem/thanks/country/MLI"
    assert stored_reports() == []


@pytest.mark.parametrize(
    ("fields", "field_id", "message"),
    [
        ({"problem": "   "}, "problem", "Say what is wrong with this data."),
        ({"problem": "x" * (PROBLEM_MAX_LENGTH + 1)}, "problem", "Enter 2000 characters or fewer."),
        ({"problem": "Bad\x00value"}, "problem", "hidden control characters"),
        ({"email": "not-an-address"}, "email", "Enter an email address in the right format"),
    ],
    ids=["empty", "too long", "control character", "bad email"],
)
def test_invalid_input_is_shown_again_with_its_errors_and_stores_nothing(
    client, sample_data, stored_reports, fields, field_id, message
):
    response = send_report(client, FIGURES_FORM.format(lang="en"), **fields)
    assert response.status_code == 422
    page = soup_of_any(response)
    assert page.find("title").get_text().startswith("Error: ")
    summary = page.find(class_="error-summary")
    link = summary.find("a", href=f"#{field_id}")
    assert message in link.get_text()
    field = page.find(id=field_id)
    assert f"{field_id}-error" in field["aria-describedby"].split()
    assert stored_reports() == []


def test_the_longest_report_allowed_is_stored(client, sample_data, stored_reports):
    longest = "x" * PROBLEM_MAX_LENGTH
    assert send_report(client, OUTCOME_FORM.format(lang="en"), problem=longest).status_code == 303
    assert [report.problem for report in stored_reports()] == [longest]


@pytest.mark.parametrize(
    "path",
    [
        "/en/report-a-problem/outcome/XM-EXAMPLE-ORG-NOPE_D_9.9",
        "/en/report-a-problem/outcome/XM-EXAMPLE-ORG-MLI_D_1.1?plan_period=1990-1993",
        "/en/report-a-problem/country/XXX",
        "/en/report-a-problem/figures/FRA/key-figures?year=2024",  # no outcomes: no figures
        "/en/report-a-problem/country/mli",
        "/en/report-a-problem/figures/MLI/budget-by-outcome",  # no year
        "/en/report-a-problem/figures/MLI/budget-by-outcome?year=1990",
        "/en/report-a-problem/figures/MLI/no-such-group?year=2024",
        "/en/report-a-problem/figures/XXX/key-figures?year=2024",
        "/en/report-a-problem/page/https://evil.example/",
        "/en/report-a-problem/thanks/country/XXX",
    ],
)
def test_an_unknown_subject_is_404(client, sample_data, path):
    assert client.get(path).status_code == 404


def test_a_post_about_an_unknown_subject_stores_nothing(client, sample_data, stored_reports):
    token_page = client.get(COUNTRY_FORM.format(lang="en"))
    token = soup_of(token_page).find("input", attrs={"name": "csrf_token"})["value"]
    response = client.post(
        "/en/report-a-problem/country/XXX", data={"csrf_token": token, "problem": "Wrong"}
    )
    assert response.status_code == 404
    assert stored_reports() == []
