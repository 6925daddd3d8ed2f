"""The real UN Women file: the budgets, spending (disbursements and expenditure) and indicator
values on Results & Resources, Strategic Plan Contributions and the outcome page are the ones
in the XML.

Expected values are read straight from the XML with XPath here, independently of the
importer and of the portal's queries.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from urllib.parse import quote

import pytest
from lxml import etree

from outcomes.reading import amounts_in, figures_box, outcome_items, soup_of, spending_in, text_of
from portal.iati.importer import import_sources

UN_WOMEN = ("iati-activities", "unwomen-XM-DAC-41146.xml")
REVISED = "2"
ORIGINAL = "1"
SPENDING = ("3", "4")  # disbursements and expenditure
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# UN Women's strategic plan periods, as the migration seeds them for XM-DAC-41146.
PLAN_PERIODS = (range(2014, 2018), range(2018, 2022), range(2022, 2026), range(2026, 2030))


@pytest.fixture
def unwomen(shared_data, client, db_session):
    path = shared_data.joinpath(*UN_WOMEN)
    import_sources(db_session, [path])
    db_session.commit()
    return etree.parse(str(path))


def activity(tree, identifier: str):
    (found,) = tree.xpath("/iati-activities/iati-activity[iati-identifier=$id]", id=identifier)
    return found


def currency_of(element, activity_element) -> str:
    return element.xpath("string(value/@currency)") or activity_element.get("default-currency")


def budget_in(activity_element, years: range) -> dict[str, Decimal]:
    """Budgets above zero starting in `years`; a revised budget replaces the original of its
    period (zero and negative lines are not added)."""
    revised_starts = set(
        activity_element.xpath(f"budget[@type='{REVISED}']/period-start/@iso-date")
    )
    total: dict[str, Decimal] = {}
    for budget in activity_element.xpath("budget"):
        start = budget.xpath("string(period-start/@iso-date)")
        if int(start[:4]) not in years:
            continue
        if budget.get("type") == ORIGINAL and start in revised_starts:
            continue
        value = Decimal(budget.findtext("value"))
        if value <= 0:
            continue
        currency = currency_of(budget, activity_element)
        total[currency] = total.get(currency, Decimal(0)) + value
    return total


SPENDING_XPATH = "transaction[transaction-type/@code='3' or transaction-type/@code='4']"


def spending_in_xml(activity_element, years: range) -> dict[str, Decimal]:
    """Disbursements (type 3) and expenditure (type 4) dated in `years`."""
    total: dict[str, Decimal] = {}
    for spent in activity_element.xpath(SPENDING_XPATH):
        if int(spent.xpath("string(transaction-date/@iso-date)")[:4]) not in years:
            continue
        currency = currency_of(spent, activity_element)
        total[currency] = total.get(currency, Decimal(0)) + Decimal(spent.findtext("value"))
    return total


def plan_years(year: int) -> range:
    """The publisher's plan period covering `year`."""
    (period,) = [period for period in PLAN_PERIODS if year in period]
    return period


def number(text: str | None) -> Decimal | None:
    return Decimal(text.replace(",", "")) if text else None


def expected_outputs(activity_element, year: int) -> list[dict]:
    """Outputs with the indicators that report on `year` (period end in the year)."""
    outputs = []
    for result in activity_element.xpath("result[@type='1']"):
        indicators = []
        for indicator in result.xpath("indicator"):
            periods = indicator.xpath("period")
            in_year = [
                period
                for period in periods
                if (
                    period.xpath("string(period-end/@iso-date)")
                    or period.xpath("string(period-start/@iso-date)")
                )[:4]
                == str(year)
            ]
            if periods and not in_year:
                continue
            indicators.append(
                {
                    "title": " ".join(indicator.xpath("string(title/narrative)").split()),
                    "baseline": number(indicator.xpath("string(baseline/@value)") or None),
                    "baseline_year": indicator.xpath("string(baseline/@year)") or None,
                    "periods": [
                        (
                            number(period.xpath("string(target/@value)") or None),
                            number(period.xpath("string(actual/@value)") or None),
                        )
                        for period in in_year
                    ],
                }
            )
        if indicators:
            outputs.append(
                {
                    "title": " ".join(result.xpath("string(title/narrative)").split()),
                    "indicators": indicators,
                }
            )
    return outputs


def without_comments(dd) -> str:
    """A dd's text with the publisher's comments left out."""
    dd = copy.copy(dd)
    for comment in dd.select(".indicator__comment"):
        comment.decompose()
    return text_of(dd)


def value_shown(dd) -> Decimal | None:
    """The value in a dd; None for "not reported"."""
    text = without_comments(dd)
    if text.startswith(("not reported", "no value reported")):
        return None
    return number(text.split(" (")[0])


def shown_outputs(item, year: int) -> list[dict]:
    outputs = []
    for output in item.select("li.output"):
        indicators = []
        for indicator in output.select("li.indicator"):
            values = {text_of(dt): dt.find_next_sibling("dd") for dt in indicator.select("dt")}
            baseline_text = without_comments(values["Baseline"])
            baseline_year = (
                baseline_text.rsplit("(", 1)[-1].rstrip(")") if "(" in baseline_text else None
            )
            indicators.append(
                {
                    "title": text_of(indicator.select_one(".indicator__title")),
                    "baseline": value_shown(values["Baseline"]),
                    "baseline_year": baseline_year,
                    "periods": (
                        [
                            (
                                value_shown(values[f"Target {year}"]),
                                value_shown(values[f"Actual {year}"]),
                            )
                        ]
                        if f"Target {year}" in values
                        else []
                    ),
                }
            )
        outputs.append(
            {"title": text_of(output.select_one(".output__title")), "indicators": indicators}
        )
    return outputs


@pytest.mark.parametrize(
    ("iso3", "identifier", "year"),
    [
        ("ALB", "XM-DAC-41146-ALB_D_4.1", 2021),
        ("BDI", "XM-DAC-41146-BDI_D_4.3", 2020),
        ("BDI", "XM-DAC-41146-BDI_D_4.3", 2019),
        ("BDI", "XM-DAC-41146-BDI_O_2.1", 2021),
        ("HTI", "XM-DAC-41146-HTI_D_1.5", 2021),
        ("XKX", "XM-DAC-41146-KOS_D_3.3", 2020),
    ],
)
def test_results_and_resources_show_the_xml_figures(client, unwomen, iso3, identifier, year):
    element = activity(unwomen, identifier)
    panel = soup_of(client.get(f"/en/countries/{iso3}/results-resources?year={year}")).find(
        id="panel"
    )
    item = outcome_items(panel)[identifier]

    year_figures = figures_box(item, f"Year {year}")
    assert amounts_in(year_figures["Budget"]) == budget_in(element, range(year, year + 1))
    assert spending_in(year_figures["Spending"]) == spending_in_xml(element, range(year, year + 1))
    years = plan_years(year)
    period = figures_box(item, f"Plan period {years.start}-{years.stop - 1}")
    assert amounts_in(period["Budget"]) == budget_in(element, years)
    assert spending_in(period["Spending"]) == spending_in_xml(element, years)

    expected = expected_outputs(element, year)
    assert shown_outputs(item, year) == expected
    assert sum(len(output["indicators"]) for output in expected) > 0


def test_burundi_2020_figures_and_indicator_values(client, unwomen):
    """Spelled out for one outcome: the revised 2020 budget, and a few indicator values."""
    element = activity(unwomen, "XM-DAC-41146-BDI_D_4.3")
    revised = element.xpath("budget[@type='2'][starts-with(period-start/@iso-date, '2020')]/value")
    spent = element.xpath(
        f"{SPENDING_XPATH}[starts-with(transaction-date/@iso-date, '2020')]/value"
    )
    panel = soup_of(client.get("/en/countries/BDI/results-resources?year=2020")).find(id="panel")
    item = outcome_items(panel)["XM-DAC-41146-BDI_D_4.3"]
    figures = figures_box(item, "Year 2020")
    assert amounts_in(figures["Budget"]) == {"USD": sum(Decimal(v.text) for v in revised)}
    assert spending_in(figures["Spending"]) == {"USD": sum(Decimal(v.text) for v in spent)}
    budget, spending = Decimal(revised[0].text), sum(Decimal(v.text) for v in spent)
    assert text_of(figures["Delivery rate"]) == f"{spending / budget:.1%}"

    (safety_nets,) = element.xpath(
        "result/indicator[starts-with(title/narrative, 'Number of vulnerable women')]"
        "[period/period-end[starts-with(@iso-date, '2020')]]"
    )
    target = safety_nets.xpath("string(period/target/@value)")
    actual = safety_nets.xpath("string(period/actual/@value)")
    shown = [
        indicator
        for indicator in item.select("li.indicator")
        if text_of(indicator.select_one(".indicator__title")).startswith(
            "Number of vulnerable women"
        )
    ]
    (indicator,) = shown
    values = {text_of(dt): text_of(dt.find_next_sibling("dd")) for dt in indicator.select("dt")}
    assert values["Target 2020"] == f"{int(target):,}"
    assert values["Actual 2020"] == f"{int(actual):,}"
    share = Decimal(actual) / Decimal(target)
    assert values["Progress 2020"] == (
        "Not measurable as a share of the target: "
        "the publisher marks this indicator as one where lower is better."
        if safety_nets.get("ascending") == "0"
        else f"Actual {int(actual):,} of target {int(target):,} ({share:.0%})"
    )


def test_the_outcome_page_shows_every_year_and_every_period(client, unwomen):
    identifier = "XM-DAC-41146-BDI_D_4.3"
    element = activity(unwomen, identifier)
    page = soup_of(client.get("/en/outcomes/" + quote(identifier)))
    assert text_of(page.select_one(".outcome-header .identifier")) == identifier
    money = page.find(id="outcome-money-heading").find_parent("section")
    rows = {
        int(text_of(row.th)): row.select("td") for row in money.select("table.money-table tbody tr")
    }
    budget_years = {
        int(budget.xpath("string(period-start/@iso-date)")[:4])
        for budget in element.xpath("budget")
        if Decimal(budget.findtext("value")) > 0
    }
    spent_years = {
        int(d[:4]) for d in element.xpath(f"{SPENDING_XPATH}/transaction-date/@iso-date")
    }
    assert set(rows) == budget_years | spent_years
    for year, (budget, spent, _delivery) in rows.items():
        assert amounts_in(budget) == budget_in(element, range(year, year + 1)), year
        assert amounts_in(spent) == spending_in_xml(element, range(year, year + 1)), year

    periods_in_xml = int(element.xpath("count(result[@type='1']/indicator/period)"))
    outputs = page.find(id="outcome-outputs-heading").find_parent("section")
    assert len(outputs.select("table.indicator__periods tbody tr")) == periods_in_xml
    # UN Women publishes an indicator once per period: shown once, with all its periods.
    outputs_in_xml = element.xpath("result[@type='1']")
    shown = sum(len(indicators_as_shown(result)) for result in outputs_in_xml)
    assert len(outputs.select("li.indicator")) == shown
    assert shown < int(element.xpath("count(result[@type='1']/indicator)"))
    assert page.find("a", href="/en/countries/BDI/")


def indicators_as_shown(result) -> list:
    """A result's indicators with those of the same title, measure and direction taken as one
    (those without a period stay apart)."""
    shown = []
    for indicator in result.xpath("indicator"):
        title = sorted(
            ((narrative.get(XML_LANG) or "").lower(), " ".join(narrative.text.split()))
            for narrative in indicator.xpath("title/narrative")
        )
        key = (title, indicator.get("measure"), indicator.get("ascending"))
        if not indicator.xpath("period") or key not in shown:
            shown.append(key)
    return shown


def test_strategic_plan_groups_burundi_by_area_and_sdg(client, unwomen):
    panel = soup_of(client.get("/en/countries/BDI/strategic-plan?year=2020")).find(id="panel")
    areas, sdgs = panel.select("table.contribution-table")
    area_rows = {text_of(row.th): row for row in areas.select("tbody tr")}
    by_area: dict[str, list[str]] = {}
    goals: dict[str, list[str]] = {}
    for identifier in ("XM-DAC-41146-BDI_D_4.3", "XM-DAC-41146-BDI_O_2.1"):
        element = activity(unwomen, identifier)
        for code in element.xpath("sector[@vocabulary='99']/@code"):
            by_area.setdefault(code, []).append(identifier)
        for goal in element.xpath("sector[@vocabulary='7']/@code"):
            goals.setdefault(goal, []).append(identifier)
    assert [name.split(" · ")[0].rsplit(" ", 1)[-1] for name in area_rows] == sorted(by_area)
    sdg_rows = {text_of(row.th): row for row in sdgs.select("tbody tr")}
    assert {name.removeprefix("SDG ") for name in sdg_rows} == set(goals)
    for goal, members in goals.items():
        count = sdg_rows[f"SDG {goal}"].select("td")[0]
        assert int(text_of(count)) == len(members)
        budget = sdg_rows[f"SDG {goal}"].select("td")[1]
        expected: dict[str, Decimal] = {}
        for identifier in members:
            for currency, value in budget_in(
                activity(unwomen, identifier), range(2020, 2021)
            ).items():
                expected[currency] = expected.get(currency, Decimal(0)) + value
        assert amounts_in(budget) == expected
