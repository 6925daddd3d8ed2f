"""How the outcome page shows money and indicators (issue 17): one budget table, an indicator
published once per period shown once with its periods, yes / no values read as words, and
every scrolling table region named after what it holds."""

from __future__ import annotations

import pytest

from countries import factories
from outcomes.reading import inline_text, soup_of, text_of
from portal.iati.narratives import Narratives
from portal.outcomes.queries import IndicatorReport, PeriodValues, Progress

PAGE = "/{lang}/outcomes/XM-DAC-41146-MLI_D_1.1"


@pytest.fixture
def output(db_session):
    """Mali's outcome 1.1 (with money and a partner) and an output without indicators yet."""
    made = factories.country_with_outcomes(db_session, outcome_count=1)
    return factories.result(db_session, made.outcomes[0], {"en": "Output A"})


def indicators_shown(client, lang: str = "en") -> dict[str, object]:
    page = soup_of(client.get(PAGE.format(lang=lang)))
    section = page.find(id="outcome-outputs-heading").find_parent("section")
    return {
        text_of(item.select_one(".indicator__title")): item
        for item in section.select("li.indicator")
    }


def period_rows(item) -> list[list[str]]:
    return [[text_of(cell) for cell in row.select("th, td")] for row in item.select("tbody tr")]


# --- money -----------------------------------------------------------------------------------


def test_the_outcome_page_has_one_budget_table(client, output):
    page = soup_of(client.get(PAGE.format(lang="en")))
    money = page.find(id="outcome-money-heading").find_parent("section")
    (table,) = money.select("table")
    assert [text_of(th) for th in table.select("thead th")] == [
        "Year",
        "Budget",
        "Spending",
        "Delivery rate",
    ]
    assert len(page.select("table.money-table")) == 1
    # The chart is still there, with its figures written on it, and points to that table.
    chart = money.select_one("figure.chart svg[role=img]")
    assert "table below gives the same figures" in text_of(chart.desc)
    assert [text_of(text) for text in chart.select("text.chart__value")] == [
        "Budget: $100,000",
        "Spending: $60,000",
    ]


# --- indicators published once per period ---------------------------------------------------


def test_an_indicator_published_once_per_period_shows_once_with_its_periods(
    client, db_session, output
):
    for year, target, actual in ((2024, "60", "45"), (2022, "20", "15"), (2023, "40", "30")):
        repeat = factories.indicator(db_session, output, {"en": "Women trained"}, "10", 2021)
        factories.indicator_period(db_session, repeat, year, target=target, actual=actual)
    other = factories.indicator(db_session, output, {"en": "Laws passed"}, "0", 2021)
    factories.indicator_period(db_session, other, 2024, target="2", actual="1")
    db_session.flush()

    shown = indicators_shown(client)
    assert list(shown) == ["Women trained", "Laws passed"]
    trained = shown["Women trained"]
    assert inline_text(trained.select_one(".indicator__baseline")) == "Baseline: 10 (2021)"
    assert [row[:3] for row in period_rows(trained)] == [
        ["2022", "20", "15"],
        ["2023", "40", "30"],
        ["2024", "60", "45"],
    ]


def test_repeats_with_different_baselines_keep_each_periods_own(client, db_session, output):
    for year, baseline, baseline_year in ((2023, "4", 2022), (2024, "9", 2023)):
        repeat = factories.indicator(
            db_session, output, {"en": "Cooperatives"}, baseline, baseline_year
        )
        factories.indicator_period(db_session, repeat, year, target="12", actual="11")
    db_session.flush()

    (item,) = indicators_shown(client).values()
    assert item.select_one(".indicator__baseline") is None
    headings = [text_of(th) for th in item.select("thead th")]
    assert headings[:3] == ["Period", "Baseline", "Target"]
    assert [row[:2] for row in period_rows(item)] == [["2023", "4 (2022)"], ["2024", "9 (2023)"]]


def test_indicators_that_differ_or_have_no_period_stay_apart(client, db_session, output):
    counted = factories.indicator(db_session, output, {"en": "Shelters"}, measure="1")
    factories.indicator_period(db_session, counted, 2023, target="3", actual="2")
    share = factories.indicator(db_session, output, {"en": "Shelters"}, measure="2")
    factories.indicator_period(db_session, share, 2024, target="50", actual="40")
    factories.indicator(db_session, output, {"en": "Shelters"}, "1", 2021, measure="1")
    for year in (2023, 2024):  # untitled: nothing says they are the same indicator
        untitled = factories.indicator(db_session, output, {}, measure="1")
        factories.indicator_period(db_session, untitled, year, target="5", actual="5")
    db_session.flush()

    page = soup_of(client.get(PAGE.format(lang="en")))
    titles = [text_of(title) for title in page.select("li.indicator .indicator__title")]
    assert titles == ["Shelters"] * 3 + ["Untitled indicator"] * 2


# --- yes / no --------------------------------------------------------------------------------


def yes_no_indicators(db_session, output) -> None:
    """As the World Bank publishes them (qualitative, "Yes" / "No" / "YES") and as 1 / 0."""
    words = factories.indicator(db_session, output, {"en": "Law adopted"}, "No", 2020, measure="5")
    factories.indicator_period(db_session, words, 2024, target="YES", actual="no")
    digits = factories.indicator(db_session, output, {"en": "Plan costed"}, "0", 2020, measure="5")
    factories.indicator_period(db_session, digits, 2024, target="1", actual="1")
    # A qualitative indicator with other values too: its "1" is a number, not a yes.
    ratio = factories.indicator(db_session, output, {"en": "Ratio"}, "1", 2020, measure="5")
    factories.indicator_period(db_session, ratio, 2024, target=">1", actual="N/A")
    # A count: 1 and 0 are numbers.
    count = factories.indicator(db_session, output, {"en": "Reports"}, "0", 2020, measure="1")
    factories.indicator_period(db_session, count, 2024, target="1", actual="0")
    db_session.flush()


@pytest.mark.parametrize(
    ("lang", "yes", "no"), [("en", "Yes", "No"), ("fr", "Oui", "Non"), ("es", "Sí", "No")]
)
def test_yes_no_values_read_as_words_in_the_visitors_language(
    client, db_session, output, lang, yes, no
):
    yes_no_indicators(db_session, output)
    shown = list(indicators_shown(client, lang).values())
    law, plan, ratio, reports = shown

    def values(item) -> list[str]:
        baseline = inline_text(item.select_one(".indicator__baseline")).split(":", 1)[1]
        return [baseline.strip(), *period_rows(item)[0][1:3]]

    assert values(law) == [f"{no} (2020)", yes, no]
    assert values(plan) == [f"{no} (2020)", yes, yes]
    assert values(ratio) == ["1 (2020)", ">1", "N/A"]
    assert values(reports) == ["0 (2020)", "1", "0"]


def test_yes_no_values_use_the_catalogues_yes_and_no(app):
    """The words are the catalogue's "Yes" and "No" (as the Least Developed Country fact):
    translated once, everywhere."""
    unmeasured = Progress(None, None, None, "qualitative")
    period = PeriodValues(None, None, "1", Narratives(), "0", Narratives(), unmeasured)
    report = IndicatorReport(
        title=Narratives({"en": "Plan costed"}),
        description=Narratives(),
        measure="5",
        ascending=None,
        baseline_value="0",
        baseline_year=None,
        baseline_comment=Narratives(),
        periods=(period,),
    )
    assert report.reads_yes_no
    assert [report.yes_no(value) for value in ("1", "0", "Yes.", "NO", "2", None)] == [
        True,
        False,
        True,
        False,
        None,
        None,
    ]
    template = app.jinja_env.get_template("outcomes/_results.html")
    with app.test_request_context("/fr/"):
        assert str(template.module.value("1", report)) == "Oui"
        assert str(template.module.value("0", report)) == "Non"


# --- scrolling table regions ----------------------------------------------------------------


def accessible_name(page, element) -> str:
    if element.has_attr("aria-labelledby"):
        return " ".join(text_of(page.find(id=ref)) for ref in element["aria-labelledby"].split())
    return element.get("aria-label", "")


def test_every_scrolling_table_region_has_a_name_of_its_own(client, db_session, output):
    second = factories.result(db_session, output.outcome, {"en": "Output B"})
    for result in (output, second):
        for title in ("Women trained", "Laws passed"):
            indicator = factories.indicator(db_session, result, {"en": title}, "0", 2021)
            factories.indicator_period(db_session, indicator, 2024, target="2", actual="1")
    db_session.flush()

    page = soup_of(client.get(PAGE.format(lang="en")))
    regions = page.select("main [role=region]")
    names = [accessible_name(page, region) for region in regions]
    assert len(regions) >= 5 and all(names)
    assert len(set(names)) == len(names), names
    assert "Targets and actual values by period Laws passed Output B" in names
