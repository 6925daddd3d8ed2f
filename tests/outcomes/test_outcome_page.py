"""The outcome page: one outcome in one plan period, with everything published about it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import quote

import pytest
from flask import url_for

from countries import factories
from outcomes.reading import add, amounts_in, inline_text, soup_of, soup_of_any, text_of
from portal.config import SUPPORTED_LANGUAGES
from portal.iati.narratives import Narratives

PAGE = "/en/outcomes/XM-DAC-41146-MLI_D_1.1"


def section(page, heading_id: str):
    return page.find(id=heading_id).find_parent("section")


def described_outcome(db_session):
    """Mali's outcome 1.1 with dates, status, description, results, money and links."""
    made = factories.country_with_results(db_session, outcome_count=2)
    outcome = made.outcomes[0]
    outcome.status_code = "2"
    outcome.planned_start = dt.date(2022, 1, 1)
    outcome.actual_start = dt.date(2022, 2, 15)
    outcome.planned_end = dt.date(2025, 12, 31)
    outcome.description = Narratives({"en": "Laws and budgets for gender equality."})
    factories.classification(db_session, outcome, "99", "D1", name={"en": "Governance"})
    factories.funding_org(db_session, outcome, "XM-OTHER", "Other Funder")
    db_session.flush()
    return made


def test_the_page_shows_the_outcome_with_its_country_status_and_dates(client, db_session):
    described_outcome(db_session)
    page = soup_of(client.get(PAGE))
    assert text_of(page.h1) == "Outcome 1.1 title"
    header = page.select_one(".outcome-header")
    assert "XM-DAC-41146-MLI_D_1.1" in text_of(header.select_one(".identifier"))
    facts = {text_of(dt): text_of(dt.find_next_sibling("dd")) for dt in header.select("dt")}
    assert facts == {
        "Plan period": "2022-2025",
        "Status": "Implementation",
        "Start": "Feb 15, 2022 (actual)",
        "End": "Dec 31, 2025 (planned)",
        "Where": "Mali",
    }
    assert header.find("a", href="/en/countries/MLI/", string="Back to Mali")
    about = section(page, "outcome-about-heading")
    assert "Laws and budgets for gender equality." in text_of(about)
    assert page.title.get_text().startswith("Outcome 1.1 title – 2022-2025 – Mali")


def test_the_page_shows_yearly_progress_and_every_indicator_period(client, db_session):
    described_outcome(db_session)
    page = soup_of(client.get(PAGE))
    progress = section(page, "outcome-progress-heading")
    assert [text_of(h3) for h3 in progress.select("h3")] == ["2023", "2024"]
    assert "In 2024 outcome 1.1 reached 90 women." in text_of(progress)
    outputs = section(page, "outcome-outputs-heading")
    assert [text_of(h3) for h3 in outputs.select("h3.output__title")] == [
        "Output 1.1",
        "Output 1.2",
    ]
    indicator = outputs.select_one("li.indicator")
    assert text_of(indicator.select_one(".indicator__title")) == "Indicator 1.1.1"
    assert inline_text(indicator.select_one(".indicator__baseline")) == "Baseline: 1 (2021)"
    rows = [
        [text_of(cell) for cell in row.select("th, td")] for row in indicator.select("tbody tr")
    ]
    assert rows == [
        ["2023", "40", "30", "Actual 30 of target 40 (75%)"],
        ["2024", "60", "45 Reached in XM-DAC-41146-MLI_D_1.1.", "Actual 45 of target 60 (75%)"],
    ]


def test_money_by_year_adds_up_in_one_table_that_matches_the_chart(client, db_session):
    described_outcome(db_session)
    page = soup_of(client.get(PAGE))
    money = section(page, "outcome-money-heading")
    # One table: the chart's figures and the delivery rate (the chart leaves its own out).
    (table,) = money.select("table")
    assert "money-table" in table["class"]
    rows = {text_of(row.th): row.select("td") for row in table.select("tbody tr")}
    assert list(rows) == ["2023", "2024"]
    assert amounts_in(rows["2023"][0]) == {"USD": Decimal(81000)}
    assert amounts_in(rows["2023"][1]) == {"USD": Decimal(50500)}
    assert amounts_in(rows["2024"][0]) == {"USD": Decimal(100000)}
    assert text_of(rows["2024"][2]) == "60.0%"
    total = table.select("tfoot td")
    assert amounts_in(total[0]) == add(*(amounts_in(cells[0]) for cells in rows.values()))
    assert amounts_in(total[1]) == add(*(amounts_in(cells[1]) for cells in rows.values()))
    chart = money.select_one("figure.chart")
    assert chart.svg["role"] == "img"
    assert "table below gives the same figures" in text_of(chart.svg.desc)
    drawn = [text_of(text).split(": ")[-1] for text in chart.select("text.chart__value")]
    assert drawn == [text_of(cell) for cells in rows.values() for cell in cells[:2]]
    assert money.select_one(".provenance") is not None


def test_funding_partners_strategic_plan_area_and_sdgs(client, db_session):
    described_outcome(db_session)
    page = soup_of(client.get(PAGE))
    partners = section(page, "outcome-partners-heading")
    table = partners.select_one("figure.chart table")
    assert {text_of(row.th): text_of(row.td) for row in table.select("tbody tr")} == {
        "Donor 1": "$10,000"
    }
    named = [text_of(item) for item in partners.select("ul.partners li")]
    assert named == ["Donor 1", "Other Funder"]
    links = section(page, "outcome-links-heading")
    text = inline_text(links)
    assert "Strategic Plan area D1 · Development outcome 1" in text
    assert "(named by the publisher: Governance)" in text
    assert "Strategic Plan area D2" in text  # from the factory's classification
    assert "SDG 5" in text


def test_an_identifier_in_several_plan_periods_lists_them_newest_first(client, db_session):
    described_outcome(db_session)
    older = factories.outcome(db_session, "MLI", "1.1", plan_period="2018-2021")
    older.title = Narratives({"en": "The earlier outcome 1.1"})
    db_session.flush()

    page = soup_of(client.get(PAGE))
    assert text_of(page.h1) == "Outcome 1.1 title"  # the newest by default
    periods = page.select_one("nav.plan-periods")
    links = {text_of(a): a for a in periods.select("a")}
    assert list(links) == ["2022-2025", "2018-2021"]
    assert links["2022-2025"]["aria-current"] == "page"
    older_page = soup_of(client.get(links["2018-2021"]["href"]))
    assert text_of(older_page.h1) == "The earlier outcome 1.1"
    assert older_page.select_one("nav.plan-periods a[aria-current]").get_text() == "2018-2021"


def test_an_identifier_with_a_space_and_dots(client, db_session, app):
    factories.country(db_session, "HTI", "HT", "Haiti", region_m49="019", subregion_m49="029")
    outcome = factories.outcome(db_session, "HTI", "1.5")
    outcome.iati_identifier = "XM-DAC-41146-PAP _O_1.1"
    db_session.flush()
    with app.test_request_context():
        href = url_for(
            "outcomes.outcome",
            lang="en",
            identifier=outcome.iati_identifier,
            plan_period="2022-2025",
        )
    assert href == "/en/outcomes/XM-DAC-41146-PAP%20_O_1.1?plan_period=2022-2025"
    page = soup_of(client.get(href))
    assert "XM-DAC-41146-PAP _O_1.1" in text_of(page.select_one(".identifier"))


def test_a_regional_outcome_names_its_region_and_has_no_country_link(client, db_session):
    outcome = factories.outcome(db_session, "MLI", "9.9")
    outcome.country_iso3 = None
    outcome.region_name = Narratives({"en": "Arab States"})
    db_session.flush()
    page = soup_of(client.get("/en/outcomes/XM-DAC-41146-MLI_D_9.9"))
    facts = {text_of(dt): text_of(dt.find_next_sibling("dd")) for dt in page.select("dt")}
    assert facts["Where"] == "Arab States"
    assert page.find("a", string="Back to Mali") is None
    assert "No budget or spending is published for this outcome." in text_of(page)
    assert "No output is published for this outcome." in text_of(page)


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize(
    "headers", [{}, {"HX-Request": "true"}, {"HX-Request": "true", "HX-Boosted": "true"}]
)
def test_the_page_in_every_language_with_and_without_htmx(client, db_session, lang, headers):
    described_outcome(db_session)
    response = client.get(f"/{lang}/outcomes/XM-DAC-41146-MLI_D_1.1", headers=headers)
    page = soup_of(response)
    assert "HX-Request" in response.headers["Vary"]
    fragment = headers.get("HX-Request") and not headers.get("HX-Boosted")
    assert (page.find("html") is None) == bool(fragment)
    assert len(page.select("figure.chart svg[role=img]")) == 2
    assert "style=" not in response.get_data(as_text=True)


BAD_REQUESTS = [
    ("/en/outcomes/XM-DAC-41146-NOPE_D_1.1", 404),
    ("/en/outcomes/XM-DAC-41146-MLI_D_1.1?plan_period=2030-2033", 404),
    ("/en/outcomes/XM-DAC-41146-MLI_D_1.1?plan_period=", 404),
    ("/en/outcomes/XM-DAC-41146-MLI_D_1.1?plan_period=2022-2025&plan_period=2018-2021", 400),
    ("/en/outcomes/XM-DAC-41146-MLI_D_1.1?plan_period=" + "9" * 500, 404),
    ("/en/outcomes/XM-DAC-41146-MLI_D_1.1?plan_period=%00", 400),
    ("/en/outcomes/XM-DAC-41146-MLI_D_1.1?plan_period=2022-2025%0A", 404),
    ("/en/outcomes/" + "X" * 5000, 404),
    ("/en/outcomes/XM-DAC-41146-MLI_D_1.1%00", 400),
    ("/en/outcomes/XM%0ADAC", 404),
    ("/en/outcomes/%20", 404),
    ("/en/outcomes/..%2F..%2Fetc%2Fpasswd", 404),
    ("/en/outcomes/XM-DAC-41146-MLI_D_1.1/", 404),
    ("/en/outcomes/xm-dac-41146-mli_d_1.1", 404),
    ("/en/outcomes/%E2%80%AE%F0%9F%98%80", 404),
    ("/en/outcomes/%FF%FE", 404),
    ("/en/outcomes/' OR 1=1 --", 404),
    ("/xx/outcomes/XM-DAC-41146-MLI_D_1.1", 404),
    ("/en/outcomes/", 404),
    ("/fr/outcomes/XM-DAC-41146-MLI_D_1.1?plan_period=2022–2025", 404),
]


@pytest.mark.parametrize(("path", "status"), BAD_REQUESTS)
def test_bad_input_gets_its_status_never_a_500(client, db_session, path, status):
    described_outcome(db_session)
    response = client.get(path)
    assert response.status_code == status
    if response.mimetype == "text/html":
        page = soup_of_any(response)
        assert page.find("a", href=lambda href: href and href.endswith("/"))  # a way back


def test_a_known_outcome_with_an_encoded_identifier_is_found(client, db_session):
    described_outcome(db_session)
    assert client.get("/en/outcomes/" + quote("XM-DAC-41146-MLI_D_1.1")).status_code == 200
    response = client.get(PAGE + "?plan_period=2022-2025")
    assert response.status_code == 200
    assert response.headers["Vary"]
