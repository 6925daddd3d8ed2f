"""Results & Resources: per outcome the year's and the plan period's money (the publisher's
plan period, else the outcome's whole duration), funding partners and outputs with their
indicators; totals at the top, per publisher, that add up the outcomes below."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from countries import factories
from outcomes.reading import (
    add,
    amounts_in,
    breakdown_in,
    every_outcome_item,
    every_page,
    figures_box,
    inline_text,
    outcome_items,
    soup_of,
    spending_in,
    text_of,
)
from portal.config import SUPPORTED_LANGUAGES
from portal.iati.importer import import_sources
from portal.sample.operations import SAMPLE_ACTIVITIES

TAB = "/en/countries/MLI/results-resources"


def panel_of(client, path: str = TAB, **kwargs):
    return soup_of(client.get(path, **kwargs)).find(id="panel")


def assert_totals_add_up(client, path: str, year: int, plan_period: str | None) -> int:
    """The totals at the top equal the sums of the outcomes' own figures (on every page of the
    list; the totals are on each); returns the count.

    `plan_period` is the publisher's plan period covering the year; None when the publisher has
    none, and each outcome's second box is then its whole duration."""
    totals = panel_of(client, path).find(id="rr-totals-heading").find_parent("section")
    outcomes = every_outcome_item(client, path)
    assert outcomes
    headings = [(f"Year {year}", f"Year {year}")]
    if plan_period:
        headings.append((f"Plan period {plan_period}", f"Plan period {plan_period}"))
    else:
        headings.append(("Whole duration of the outcomes", "Whole duration of the outcome"))
    for total_heading, heading in headings:
        shown = figures_box(totals, total_heading)
        for label, read in (("Budget", amounts_in), ("Spending", spending_in)):
            parts = [read(figures_box(item, heading)[label]) for item in outcomes.values()]
            assert read(shown[label]) == add(*parts), (heading, label)
    return len(outcomes)


def test_totals_are_the_sum_of_the_outcomes_on_sample_like_data(client, db_session):
    factories.country_with_results(db_session, outcome_count=5)
    for year in (2023, 2024):
        assert assert_totals_add_up(client, f"{TAB}?year={year}", year, "2022-2025") == 5


def test_totals_add_up_on_the_bundled_sample(client, db_session):
    import_sources(db_session, [SAMPLE_ACTIVITIES], is_sample=True)
    db_session.flush()
    # The sample's publisher (XM-EXAMPLE-ORG) has no plan periods: outcomes' whole durations.
    count = assert_totals_add_up(client, TAB, 2024, None)
    assert f"for each of the {count} outcomes" in text_of(panel_of(client))
    # The chart's table holds the same numbers as the outcomes' own figures, page by page.
    charted = 0
    for page in every_page(client, TAB):
        table = page.select_one("#chart-outcome-money-usd table")
        rows = {
            text_of(row.th.select_one(".identifier")): row.select("td")
            for row in table.select("tbody tr")
        }
        items = outcome_items(page)
        assert len(rows) == len(items)
        charted += len(rows)
        for identifier, item in items.items():
            budget_cell, spent_cell = rows[identifier.rsplit("-", 1)[-1]]
            year = figures_box(item, "Year 2024")
            assert amounts_in(year["Budget"]) == {"USD": _plain(budget_cell)}
            assert spending_in(year["Spending"]) == {"USD": _plain(spent_cell)}
    assert charted == count


def _plain(cell) -> Decimal:
    return Decimal(re.sub(r"[^\d]", "", cell.get_text()))


def test_a_revised_budget_replaces_the_original_and_delivery_is_spending_over_budget(
    client, db_session
):
    made = factories.country_with_outcomes(db_session, outcome_count=1)
    outcome = made.outcomes[0]  # 2024: original budget 100000, expenditure 60000
    factories.budget(db_session, outcome, 2024, "80000", type_code="2")
    db_session.flush()
    item = outcome_items(panel_of(client))["XM-DAC-41146-MLI_D_1.1"]
    year = figures_box(item, "Year 2024")
    assert amounts_in(year["Budget"]) == {"USD": Decimal(80000)}
    assert spending_in(year["Spending"]) == {"USD": Decimal(60000)}
    assert breakdown_in(year["Spending"]) == {}  # expenditure only: no breakdown
    assert text_of(year["Delivery rate"]) == "75.0%"


def test_spending_is_disbursements_and_expenditure_shown_apart(client, db_session):
    made = factories.country_with_outcomes(db_session, outcome_count=1)
    outcome = made.outcomes[0]  # 2024: budget 100000, expenditure 60000
    factories.transaction(db_session, outcome, "3", dt.date(2024, 8, 1), "12000")
    factories.transaction(db_session, outcome, "2", dt.date(2024, 8, 1), "50000")  # commitment
    db_session.flush()
    panel = panel_of(client)
    year = figures_box(outcome_items(panel)["XM-DAC-41146-MLI_D_1.1"], "Year 2024")
    assert spending_in(year["Spending"]) == {"USD": Decimal(72000)}
    assert breakdown_in(year["Spending"]) == {
        "disbursements": {"USD": Decimal(12000)},
        "expenditure": {"USD": Decimal(60000)},
    }
    assert text_of(year["Delivery rate"]) == "72.0%"
    totals = figures_box(panel.find(id="rr-totals-heading").find_parent("section"), "Year 2024")
    assert spending_in(totals["Spending"]) == {"USD": Decimal(72000)}


def test_currencies_are_never_added(client, db_session):
    made = factories.country_with_outcomes(db_session, outcome_count=2)
    euro = made.outcomes[1]
    euro.default_currency = "EUR"
    db_session.flush()
    panel = panel_of(client)
    totals = figures_box(panel.find(id="rr-totals-heading").find_parent("section"), "Year 2024")
    assert amounts_in(totals["Budget"]) == {"USD": Decimal(100000), "EUR": Decimal(100000)}
    assert "60.0% (EUR)" in text_of(totals["Delivery rate"])
    assert "60.0% (USD)" in text_of(totals["Delivery rate"])
    # One chart per currency, each with its own outcomes.
    assert panel.select_one("#chart-outcome-money-usd") is not None
    assert panel.select_one("#chart-outcome-money-eur") is not None


def test_missing_figures_say_so(client, db_session):
    made = factories.country_with_outcomes(db_session, outcome_count=1, with_money=False)
    factories.transaction(db_session, made.outcomes[0], "4", dt.date(2024, 5, 1), "5000")
    db_session.flush()
    item = outcome_items(panel_of(client))["XM-DAC-41146-MLI_D_1.1"]
    year = figures_box(item, "Year 2024")
    assert text_of(year["Budget"]) == "not reported"
    assert spending_in(year["Spending"]) == {"USD": Decimal(5000)}
    assert text_of(year["Delivery rate"]) == "not available (no budget)"
    assert "No funding partner published" in text_of(item)


def test_funding_partners_with_amounts_else_the_named_funders(client, db_session):
    made = factories.country_with_outcomes(db_session, outcome_count=2)
    db_session.flush()
    items = outcome_items(panel_of(client))
    partners = inline_text(items["XM-DAC-41146-MLI_D_1.2"].select_one("ul.partners"))
    assert partners == "Donor 2: $20,000"
    assert "Ranked by the incoming funds they provided in 2024." in text_of(
        items["XM-DAC-41146-MLI_D_1.2"]
    )
    # 2023 has no incoming funds: incoming commitments of 2023 where there are some …
    factories.transaction(db_session, made.outcomes[0], "4", dt.date(2023, 5, 1), "1000")
    factories.transaction(
        db_session,
        made.outcomes[1],
        "11",
        dt.date(2023, 2, 1),
        "7000",
        provider_ref="XM-DAC-7",
        provider_name="Sweden",
    )
    db_session.flush()
    items = outcome_items(panel_of(client, f"{TAB}?year=2023"))
    committed = items["XM-DAC-41146-MLI_D_1.2"]
    assert inline_text(committed.select_one("ul.partners")) == "Sweden: $7,000"
    assert "ranked by the incoming commitments made in 2023" in text_of(committed)
    # … else the funding organisations named, without amounts.
    item = items["XM-DAC-41146-MLI_D_1.1"]
    assert text_of(item.select_one("ul.partners")) == "Donor 1"
    assert "without amounts" in text_of(item)


def test_partner_chart_and_table_sum_the_years_incoming_funds(client, db_session):
    factories.country_with_outcomes(db_session, outcome_count=5)
    panel = panel_of(client)
    # One chart per publisher and currency (the first publisher's are numbered 1).
    table = panel.select_one("#chart-partner-funds-1-usd table")
    rows = {text_of(row.th): _plain(row.td) for row in table.select("tbody tr")}
    # Outcome i pays 10000 * i from Donor (i % 4): Donor 1 gets outcomes 1 and 5.
    assert rows == {
        "Donor 1": Decimal(60000),
        "Donor 0": Decimal(40000),
        "Donor 3": Decimal(30000),
        "Donor 2": Decimal(20000),
    }
    assert list(rows) == ["Donor 1", "Donor 0", "Donor 3", "Donor 2"]  # largest first


def _indicator_item(panel, title: str):
    for item in panel.select("li.indicator"):
        if text_of(item.select_one(".indicator__title")) == title:
            return item
    raise AssertionError(f"no indicator {title!r}")


def _values(item) -> dict[str, str]:
    return {text_of(dt): text_of(dt.find_next_sibling("dd")) for dt in item.select("dt")}


def test_indicators_show_baseline_target_actual_comments_and_progress(client, db_session):
    made = factories.country_with_outcomes(db_session, outcome_count=1)
    output = factories.result(db_session, made.outcomes[0], {"en": "Women lead councils"})
    counted = factories.indicator(
        db_session,
        output,
        {"en": "Women councillors trained"},
        baseline_value="10",
        baseline_year=2021,
        baseline_comment={"en": "From the 2021 survey."},
    )
    factories.indicator_period(
        db_session,
        counted,
        2024,
        target="60",
        actual="45",
        target_comment={"en": "Agreed with partners."},
        actual_comment={"fr": "Selon le rapport annuel."},
    )
    factories.indicator_period(db_session, counted, 2023, target="30", actual="31")
    qualitative = factories.indicator(
        db_session, output, {"en": "Law adopted"}, measure="5", ascending=None
    )
    factories.indicator_period(db_session, qualitative, 2024, target="Yes", actual=None)
    wordy = factories.indicator(db_session, output, {"en": "Plan status"}, baseline_year=2020)
    factories.indicator_period(db_session, wordy, 2024, target="Drafted", actual="Adopted")
    lower = factories.indicator(
        db_session, output, {"en": "Share who justify violence"}, "45", 2020, "2", False
    )
    factories.indicator_period(db_session, lower, 2024, target="40", actual="38.9")
    db_session.flush()

    panel = panel_of(client)
    values = _values(_indicator_item(panel, "Women councillors trained"))
    assert values["Baseline"] == "10 (2021) From the 2021 survey."
    assert values["Target 2024"] == "60 Agreed with partners."
    assert values["Actual 2024"].startswith("45 Selon le rapport annuel.")
    assert values["Progress 2024"] == "Actual 45 of target 60 (75%)"
    assert "Target 2023" not in values  # the tab shows the year's period only
    comment = panel.find(lang="fr", string="Selon le rapport annuel.")
    assert comment is not None  # original language marked for screen readers
    bar = _indicator_item(panel, "Women councillors trained").select_one("svg.progress-bar")
    assert bar["aria-hidden"] == "true"
    assert bar.select_one(".progress-bar__fill")["width"] == "75"

    values = _values(_indicator_item(panel, "Law adopted"))
    assert values["Baseline"] == "not reported"
    assert values["Actual 2024"] == "not reported"
    assert values["Progress 2024"] == "Not measurable: the indicator is not a quantity."
    values = _values(_indicator_item(panel, "Plan status"))
    assert values["Baseline"] == "no value reported (2020)"
    assert values["Progress 2024"].startswith("Not measurable: the target or the actual value")
    values = _values(_indicator_item(panel, "Share who justify violence"))
    assert values["Progress 2024"].startswith("Not measurable as a share of the target")
    for item in panel.select("li.indicator"):
        assert "gain" not in text_of(item).lower()
        assert (item.select_one("svg.progress-bar") is not None) == (
            "Actual 45 of target" in text_of(item)
        )


def test_indicators_of_other_years_are_counted_not_shown(client, db_session):
    made = factories.country_with_outcomes(db_session, outcome_count=1)
    output = factories.result(db_session, made.outcomes[0], {"en": "Output A"})
    this_year = factories.indicator(db_session, output, {"en": "Reported in 2024"}, "1", 2021)
    factories.indicator_period(db_session, this_year, 2024, target="2", actual="2")
    earlier = factories.indicator(db_session, output, {"en": "Reported in 2023"}, "1", 2021)
    factories.indicator_period(db_session, earlier, 2023, target="2", actual="1")
    old_output = factories.result(db_session, made.outcomes[0], {"en": "Output B"})
    old = factories.indicator(db_session, old_output, {"en": "Old"}, "0", 2020)
    factories.indicator_period(db_session, old, 2022, target="1", actual="1")
    db_session.flush()
    item = outcome_items(panel_of(client))["XM-DAC-41146-MLI_D_1.1"]
    text = text_of(item)
    assert "Reported in 2024" in text and "Reported in 2023" not in text
    assert "1 more indicator reports only on other years than 2024." in text
    assert "Output B" not in text
    assert "1 more output reports only on other years than 2024" in text


def test_each_outcome_links_to_its_page_and_every_figure_has_its_source(client, db_session):
    factories.country_with_results(db_session, outcome_count=2)
    panel = panel_of(client)
    for identifier, item in outcome_items(panel).items():
        link = item.select_one("h4 a")
        assert link["href"].startswith("/en/outcomes/" + identifier)
        assert "plan_period=2022-2025" in link["href"]
        assert client.get(link["href"]).status_code == 200
        source = inline_text(item.select_one(".provenance"))
        assert source == (
            "Source: IATI data published by Example Publisher (test), data as of Jun 30, 2024, "
            "file of Jan 31, 2025, imported Nov 28, 2026. Figures for 2024."
        )
    for section in panel.select("section.rr-section"):
        assert section.select_one(".provenance") is not None


def test_a_source_without_dates_or_publisher_says_so(client, db_session):
    made = factories.country_with_outcomes(db_session, outcome_count=1)
    factories.source(db_session, made.outcomes, generated_at=None)
    made.outcomes[0].publisher_id = None
    db_session.flush()
    source = inline_text(panel_of(client).select_one(".provenance"))
    assert source.startswith("Source: IATI data (the file does not name its publisher)")
    assert "imported Nov 28, 2026" in source and "file of" not in source


def test_charts_are_images_with_a_title_a_description_and_a_table(client, db_session):
    factories.country_with_results(db_session, outcome_count=3)
    response = client.get(TAB)
    assert "style=" not in response.get_data(as_text=True)  # the CSP forbids inline styles
    panel = soup_of(response).find(id="panel")
    charts = panel.select("figure.chart")
    assert len(charts) == 2
    for figure in charts:
        svg = figure.find("svg")
        assert svg["role"] == "img"
        title_id, desc_id = svg["aria-labelledby"].split()
        assert svg.find("title", id=title_id).get_text(strip=True)
        assert "table below gives the same figures" in svg.find("desc", id=desc_id).get_text()
        table = figure.find("table")
        assert text_of(table.caption) == text_of(svg.find("title"))
        assert {th["scope"] for th in table.select("thead th")} == {"col"}
        assert {th["scope"] for th in table.select("tbody th")} == {"row"}
        # Every bar's value is written in the chart, not only drawn.
        values = [text_of(text) for text in svg.select("text.chart__value")]
        cells = [text_of(cell) for cell in table.select("tbody td")]
        assert [value.split(": ")[-1] for value in values] == cells


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize(
    "headers",
    [{}, {"HX-Request": "true", "HX-Target": "panel"}, {"HX-Request": "true"}],
    ids=["page", "panel fragment", "htmx"],
)
def test_the_tab_in_every_language_with_and_without_htmx(client, db_session, lang, headers):
    factories.country_with_results(db_session, outcome_count=2)
    response = client.get(f"/{lang}/countries/MLI/results-resources", headers=headers)
    assert response.status_code == 200
    page = soup_of(response)
    assert len(page.select("li.outcome-resources")) == 2
    assert len(page.select("figure.chart svg[role=img]")) == 2
    if headers:
        assert page.find("html") is None
        assert "HX-Request" in response.headers["Vary"]


def test_the_default_year_is_the_latest_with_actuals_not_a_budget_only_year(client, db_session):
    made = factories.country_with_outcomes(db_session, outcome_count=2)
    factories.budget(db_session, made.outcomes[0], 2025, "70000")  # planned, nothing spent yet
    db_session.flush()
    page = soup_of(client.get(TAB))
    assert page.find(id="year-select").find("option", selected=True).get_text() == "2024"
    assert outcome_items(page.find(id="panel"))
    # 2025 can still be chosen: its budget shows, its spending is not reported.
    item = outcome_items(panel_of(client, f"{TAB}?year=2025"))["XM-DAC-41146-MLI_D_1.1"]
    year = figures_box(item, "Year 2025")
    assert amounts_in(year["Budget"]) == {"USD": Decimal(70000)}
    assert text_of(year["Spending"]) == "not reported"
