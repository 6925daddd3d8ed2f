"""Results & Resources, Strategic Plan Contributions and outcome downloads hold what those
pages show, and their sums are the pages' totals (sample data and UN Women's real file)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from flask import render_template_string
from lxml import etree

from downloads.reading import (
    FORMATS,
    MONEY_COLUMNS,
    amounts_shown,
    download_links,
    download_rows,
    every_page,
    narrative_text,
    soup_of,
    spending_parts_shown,
    whole_amount,
    words,
)
from portal.downloads import tables
from portal.extensions import db
from portal.outcomes.queries import outcome_detail


def _text(value) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) else value


def _sums(rows, column: str, record: str | None = None) -> dict[str | None, int]:
    """Whole amounts per currency, as the pages show them."""
    totals: dict[str | None, Decimal] = defaultdict(Decimal)
    for row in rows:
        if row[column] is not None and (record is None or row["record"] == record):
            totals[row["currency"]] += row[column]
    return {currency: round(total) for currency, total in totals.items()}


def _amount(element) -> int | None:
    """The amount of a figure or cell, without its "(disbursements …; expenditure …)" note."""
    money = amounts_shown(element)
    assert len(money) <= 1, "one currency per figure in these data"
    return money[0] if money else None


def _money_figures(figures) -> dict[str, int | None]:
    """Budget and Spending of a "money figures" box, with spending's disbursements and
    expenditure (whole amounts, one currency in these data)."""
    shown = {}
    for item in figures.select("dl > div"):
        label = words(item.dt)
        if label in ("Budget", "Spending"):
            shown[label.lower()] = _amount(item.dd)
        if label == "Spending":
            for part, amounts in spending_parts_shown(item.dd).items():
                assert len(amounts) <= 1, "one currency per figure in these data"
                shown[part] = amounts[0] if amounts else None
    return shown


def _totals_by_publisher(page) -> dict[str, tuple[dict, dict]]:
    """The Results & Resources totals per publisher: (year figures, period figures)."""
    section = page.select_one("#rr-totals-heading").parent
    totals = {}
    for pair in section.select(".money-figures-pair"):
        year, period = pair.select(".money-figures")
        totals[pair["data-publisher"]] = (_money_figures(year), _money_figures(period))
    return totals


def _check_totals(page, rows) -> None:
    """Per publisher, the outcome rows add up to the tab's totals (year and period)."""
    totals = _totals_by_publisher(page)
    outcomes = [row for row in rows if row["record"] == "outcome"]
    assert {row["publisher_ref"] or "" for row in outcomes} == set(totals)
    for publisher, (year, period) in totals.items():
        mine = [row for row in outcomes if (row["publisher_ref"] or "") == publisher]
        for column in MONEY_COLUMNS:
            sums = _sums(mine, column)
            assert sums == ({"USD": year[column]} if year[column] is not None else {}), (
                publisher,
                column,
            )
        for column in ("budget", "spending"):
            sums = _sums(mine, f"{column}_plan_period")
            assert sums == ({"USD": period[column]} if period[column] is not None else {}), (
                publisher,
                column,
            )
        # The file's own "total" rows hold the same sums.
        total_rows = [
            row
            for row in rows
            if row["record"] == "total" and (row["publisher_ref"] or "") == publisher
        ]
        for column in ("budget", "spending", "budget_plan_period", "spending_plan_period"):
            assert _sums(total_rows, column) == _sums(mine, column), (publisher, column)


# --- Results & Resources ------------------------------------------------------------------------


def _results_resources_shown(client, url: str):
    """Per outcome on every page of the tab's list: identifier, funding partner names, the
    (output, indicator) titles shown, and how many more outputs it leaves to the outcome page."""
    shown = []
    for page in every_page(client, url):
        for item in page.select("li.outcome-resources"):
            indicators = []
            for output in item.select("li.output"):
                output_title = narrative_text(output.select_one(".output__title .narrative"))
                for indicator in output.select("li.indicator"):
                    title = narrative_text(indicator.select_one(".indicator__title .narrative"))
                    periods = len(indicator.select(".indicator__progress-row")) or 1
                    indicators += [(output_title, title)] * periods
            more = item.select_one(".outputs-more")
            shown.append(
                (
                    words(item.select_one(".identifier")),
                    [
                        words(partner).split(":")[0].strip()
                        for partner in item.select("ul.partners > li")
                    ],
                    indicators,
                    int(words(more).split()[0]) if more else 0,
                )
            )
    return shown


def _check_results_resources_file(client, url: str, rows) -> None:
    """The file holds every outcome of every page, its partners and every indicator: those
    of the outputs shown and, for an outcome with more outputs, theirs after them."""
    shown = _results_resources_shown(client, url)
    in_file = _results_resources_rows_as_shown(rows)
    assert [outcome[:2] for outcome in shown] == [outcome[:2] for outcome in in_file]
    for (identifier, _p, indicators, more), (_i, _q, file_indicators) in zip(
        shown, in_file, strict=True
    ):
        if more:
            assert file_indicators[: len(indicators)] == indicators, identifier
            folded = {title for title, _indicator in file_indicators[len(indicators) :]}
            assert len(folded) <= more, identifier
        else:
            assert file_indicators == indicators, identifier


def _results_resources_rows_as_shown(rows):
    by_outcome: dict[str, tuple[list, list]] = {}
    for row in rows:
        if row["record"] == "total":  # the publisher's totals, after its outcomes
            continue
        partners, indicators = by_outcome.setdefault(row["iati_identifier"], ([], []))
        if row["record"] in tables.FUNDING_RECORDS.values():
            name = row["partner_name"] or row["partner_ref"]
            if name not in partners:
                partners.append(name)
        elif row["record"] == "indicator":
            indicators.append((_text(row["result_title"]), _text(row["indicator_title"])))
    return [(identifier, *parts) for identifier, parts in by_outcome.items()]


@pytest.mark.parametrize("file_format", FORMATS)
def test_results_resources_download_is_the_tab(client, sample_data, file_format):
    page = soup_of(client.get("/en/countries/MLI/results-resources?year=2024"))
    rows = download_rows(
        client,
        f"/en/countries/MLI/results-resources.{file_format}?year=2024",
        tables.RESULTS_RESOURCES,
    )

    _check_results_resources_file(client, "/en/countries/MLI/results-resources?year=2024", rows)
    assert list(_totals_by_publisher(page)) == ["XM-EXAMPLE-ORG"]
    _check_totals(page, rows)
    for outcome in page.select("li.outcome-resources"):
        identifier = words(outcome.select_one(".identifier"))
        year_figures = _money_figures(outcome.select_one(".money-figures"))
        mine = [row for row in rows if row["iati_identifier"] == identifier]
        assert {row["publisher_ref"] for row in mine if row["record"] == "outcome"} == {
            outcome["data-publisher"]
        }
        for column in MONEY_COLUMNS:
            shown = year_figures[column]
            assert _sums(mine, column, "outcome") == ({"USD": shown} if shown is not None else {})
        rates = [row["delivery_rate"] for row in mine if row["record"] == "outcome"]
        shown_rate = words(outcome.select_one(".delivery")).rstrip(" %")
        assert f"{rates[0] * 100:.1f}" == shown_rate


def test_results_resources_partner_amounts_add_up_to_the_funding_chart(client, sample_data):
    rows = download_rows(
        client, "/en/countries/MLI/results-resources.json?year=2024", tables.RESULTS_RESOURCES
    )
    incoming = _sums(rows, "partner_amount", "incoming_funds")
    page = soup_of(client.get("/en/countries/MLI/results-resources?year=2024"))
    section = page.select_one("#rr-partners-heading").parent
    shown = sum(whole_amount(words(cell)) for cell in section.select("table td.number"))
    assert incoming == {"USD": shown}


# --- Strategic Plan Contributions --------------------------------------------------------------


def _groups_shown(client, page, grouping: str) -> dict[str, tuple[list[str], object]]:
    """Per group of the tab's table of areas or of SDGs, by its code: the outcomes its link
    lists (every page of them) and the group's figures shown above them."""
    table = page.select("table.contribution-table")[0 if grouping == "strategic_plan_area" else 1]
    shown = {}
    for link in table.select("tbody th a"):
        url = link["href"].split("#")[0]
        key = parse_qs(urlsplit(url).query)["group"][0].split("-", 1)[1]
        pages = every_page(client, url)
        identifiers = [
            words(item.select_one(".identifier"))
            for listed in pages
            for item in listed.select("#strategic-list .outcome-list li")
        ]
        shown[key] = (identifiers, pages[0].select_one(".contribution-group__figures"))
    return shown


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("iso3", ["MLI", "SEN", "COL"])
def test_strategic_plan_download_is_the_tab(client, sample_data, file_format, iso3):
    page = soup_of(client.get(f"/en/countries/{iso3}/strategic-plan?year=2024"))
    rows = download_rows(
        client,
        f"/en/countries/{iso3}/strategic-plan.{file_format}?year=2024",
        tables.STRATEGIC_PLAN,
    )

    for grouping in ("strategic_plan_area", "sdg"):
        mine = [row for row in rows if row["grouping"] == grouping]
        by_group: dict[str, list[str]] = defaultdict(list)
        for row in mine:
            by_group[row["group_code"] or "none"].append(row["iati_identifier"])
        shown = _groups_shown(client, page, grouping)
        assert dict(by_group) == {code: members for code, (members, _f) in shown.items()}
        for code, (_members, figures) in shown.items():
            in_group = [row for row in mine if (row["group_code"] or "none") == code]
            amounts = [whole_amount(words(money)) for money in figures.select(".money")]
            assert (
                sorted(_sums(in_group, "budget").values())
                + sorted(_sums(in_group, "spending").values())
                == amounts
            ), (grouping, code)
    totals = page.select_one("#sp-totals-heading").parent
    distinct = {row["iati_identifier"]: row for row in rows if row["grouping"] == "sdg"}
    shown_budget = [
        _amount(figure.dd)
        for figure in totals.select(".figure")
        if words(figure.dt).startswith("Budget")
    ]
    assert list(_sums(distinct.values(), "budget").values()) == shown_budget


# --- The outcome page ----------------------------------------------------------------------


def _outcome_shown(page):
    progress = [
        (
            int(words(heading)),
            narrative_text(heading.find_next_sibling("div").select_one(".narrative")),
        )
        for heading in page.select("#outcome-progress-heading ~ h3")
    ]
    money = [
        (int(words(row.th)), *[_amount(cell) for cell in row.select("td")[:2]])
        for row in page.select("table.money-table tbody tr")
    ]
    indicators = [
        narrative_text(indicator.select_one(".indicator__title .narrative"))
        for indicator in page.select("li.indicator")
        for _ in range(max(1, len(indicator.select("table.indicator__periods tbody tr"))))
    ]
    return progress, money, indicators


def _outcome_rows_as_shown(rows):
    progress = [
        (row["year"], _text(row["narrative"])) for row in rows if row["record"] == "progress"
    ]
    money = [
        (
            row["year"],
            round(row["budget"]) if row["budget"] is not None else None,
            round(row["spending"]) if row["spending"] is not None else None,
        )
        for row in rows
        if row["record"] == "money"
    ]
    indicators = [_text(row["indicator_title"]) for row in rows if row["record"] == "indicator"]
    return progress, money, indicators


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("plan_period", [None, "2018-2021"])
def test_outcome_download_is_the_outcome_page(client, sample_data, file_format, plan_period):
    query = f"?plan_period={plan_period}" if plan_period else ""
    page = soup_of(client.get(f"/en/outcomes/XM-EXAMPLE-ORG-MLI_D_1.1{query}"))
    rows = download_rows(
        client, f"/en/outcomes/XM-EXAMPLE-ORG-MLI_D_1.1.{file_format}{query}", tables.OUTCOME
    )

    assert _outcome_rows_as_shown(rows) == _outcome_shown(page)
    assert {row["plan_period"] for row in rows} == {plan_period or "2022-2025"}
    areas = [row["group_code"] for row in rows if row["record"] == "strategic_plan_area"]
    assert areas and all(f"Strategic Plan area {code}" in words(page) for code in areas)


def test_outcome_files_are_named_and_the_xml_is_the_activity(client, sample_data, shared_data):
    response = client.get("/fr/outcomes/XM-EXAMPLE-ORG-MLI_D_1.1.csv?plan_period=2018-2021")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="xm-example-org-mli-d-1-1-2018-2021-fr.csv"; '
        "filename*=UTF-8''xm-example-org-mli_d_1.1-2018-2021-fr.csv"
    )
    document = etree.fromstring(
        client.get("/en/outcomes/XM-EXAMPLE-ORG-MLI_D_1.1.xml?plan_period=2018-2021").get_data()
    )
    schema = etree.XMLSchema(
        etree.parse(str(shared_data / "iati-schema-2.03/iati-activities-schema.xsd"))
    )
    schema.assertValid(document)
    (activity,) = document.findall("iati-activity")
    assert activity.find("activity-date[@type='1']").get("iso-date") == "2018-01-01"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/en/outcomes/XM-EXAMPLE-ORG-NOWHERE_1.1.csv", 404),
        ("/en/outcomes/XM-EXAMPLE-ORG-MLI_D_1.1.csv?plan_period=1999-2000", 404),
        ("/en/outcomes/XM-EXAMPLE-ORG-MLI_D_1.1.json?plan_period=a&plan_period=b", 400),
        ("/en/outcomes/XM-EXAMPLE-ORG-MLI_D_1.1.xml?plan_period=%01", 404),
        ("/en/outcomes/%20.csv", 404),
        ("/en/outcomes/.csv", 404),
    ],
)
def test_bad_outcome_download_addresses(client, sample_data, path, status):
    assert client.get(path).status_code == status


def test_the_outcome_page_section_offers_its_files(app, client, sample_data):
    """What the outcome page shows once it includes the Download Data partial."""
    identifier = "XM-EXAMPLE-ORG-MLI_D_1.1"
    with app.test_request_context(f"/en/outcomes/{identifier}?plan_period=2018-2021"):
        app.preprocess_request()
        detail = outcome_detail(db.session, identifier, "2018-2021")
        html = render_template_string(
            '{% include "downloads/_download_data.html" %}', outcome=detail
        )
    links = download_links(soup_of_html(html))
    quoted = quote(identifier)
    assert links == {
        "csv": f"/en/outcomes/{quoted}.csv?plan_period=2018-2021",
        "xlsx": f"/en/outcomes/{quoted}.xlsx?plan_period=2018-2021",
        "json": f"/en/outcomes/{quoted}.json?plan_period=2018-2021",
        "xml": f"/en/outcomes/{quoted}.xml?plan_period=2018-2021",
    }
    for url in links.values():
        assert client.get(url).status_code == 200


def soup_of_html(html: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


# --- Real data ---------------------------------------------------------------------------------


@pytest.mark.parametrize("iso3", ["ALB", "HTI", "NGA"])
def test_real_results_resources_and_strategic_plan_add_up(client, unwomen_data, iso3):
    page = soup_of(client.get(f"/en/countries/{iso3}/results-resources"))
    links = download_links(page)
    rows = download_rows(client, links["csv"], tables.RESULTS_RESOURCES)
    _check_results_resources_file(client, f"/en/countries/{iso3}/results-resources", rows)
    _check_totals(page, rows)

    strategic_page = soup_of(client.get(f"/en/countries/{iso3}/strategic-plan"))
    strategic = download_rows(client, download_links(strategic_page)["json"], tables.STRATEGIC_PLAN)
    for grouping in ("strategic_plan_area", "sdg"):
        by_group: dict[str, list[str]] = defaultdict(list)
        for row in strategic:
            if row["grouping"] == grouping:
                by_group[row["group_code"] or "none"].append(row["iati_identifier"])
        shown = _groups_shown(client, strategic_page, grouping)
        assert dict(by_group) == {code: members for code, (members, _f) in shown.items()}


def test_real_outcome_download_is_its_page(client, unwomen_data):
    identifier = "XM-DAC-41146-PAP _O_1.1"
    page = soup_of(client.get(f"/en/outcomes/{quote(identifier)}"))
    rows = download_rows(client, f"/en/outcomes/{quote(identifier)}.xlsx", tables.OUTCOME)
    assert _outcome_rows_as_shown(rows) == _outcome_shown(page)
    assert {row["iati_identifier"] for row in rows} == {identifier}
