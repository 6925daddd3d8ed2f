"""All six real publishers' files in one database: every country-year lists the activities the
XML says are active there, every figure equals what the XML gives (read by tests/ledger/
xml_ledger.py, not by the portal's parser), and the Overview, Results & Resources, their
downloads and the API agree with each other.

The figures are checked for every country-year against the XML through the ledger (the one
module every page, file and API answer reads); the pages, files and API are then checked
against the same XML for a spread of country-years that covers every publisher, several
currencies, multi-country shares, disbursements, incoming commitments and negative budgets.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from downloads.reading import download_rows, every_page, soup_of, whole_amount, words
from ledger import xml_ledger
from outcomes.reading import listed_outcomes
from portal import ledger
from portal.countries import queries as country_queries
from portal.downloads import tables

CENT = Decimal("0.01")


def _cents(amounts: dict) -> dict:
    return {key: value.quantize(CENT) for key, value in amounts.items()}


def _by_publisher_currency(publishers, field: str) -> dict:
    """{(publisher ref, currency): amount} of the ledger's publisher totals."""
    totals = {}
    for publisher in publishers:
        for money in getattr(publisher.money, field):
            totals[(publisher.ref, money.currency)] = money.amount
    return totals


def _country_years(oracle) -> list[tuple[str, int]]:
    return sorted(
        (scope[1], year) for scope, year in xml_ledger.scope_years(oracle) if scope[0] == "country"
    )


def test_every_country_year_lists_and_adds_up_what_the_xml_says(six_files, oracle):
    """Every activity active in a country-year is listed there, and only those; its budget,
    spending (disbursements and expenditure apart) and partners equal the XML's."""
    checked = 0
    by_country: dict[str, list[int]] = defaultdict(list)
    for iso3, year in _country_years(oracle):
        by_country[iso3].append(year)
    for iso3, years in by_country.items():
        place = ledger.place_ledger(six_files, ledger.country_scope(iso3))
        assert sorted(place.years) == sorted(years), iso3
        for year in years:
            expected = xml_ledger.year_ledger(oracle, ("country", iso3), year)
            shown = place.year(year)
            assert sorted(a.iati_identifier for a in shown.activities) == sorted(
                expected.activities
            ), (iso3, year)
            for field in ("budget", "disbursement", "expenditure"):
                assert _cents(_by_publisher_currency(shown.publishers, field)) == _cents(
                    getattr(expected, field)
                ), (iso3, year, field)
            for publisher in shown.publishers:
                basis, partners = expected.partners[publisher.ref]
                assert publisher.funding.basis == basis, (iso3, year, publisher.ref)
                if basis != "funding_organisations":
                    assert [
                        {m.currency: m.amount.quantize(CENT) for m in partner.incoming}
                        for partner in publisher.funding.partners
                    ] == [
                        {c: a.quantize(CENT) for c, a in amounts.items()}
                        for _key, amounts in partners
                    ], (iso3, year, publisher.ref)
            checked += 1
    assert checked > 1000  # the six files hold well over a thousand country-years


def test_every_activity_is_on_a_country_page_or_counted_as_regional(six_files, oracle):
    """No activity of the six files is left out: each one with a recipient country is listed
    on that country's page in each of its active years; the others name only regions."""
    listed: set[str] = set()
    for listing in country_queries.countries_with_outcomes(six_files, dt.date(2021, 6, 30)):
        place = ledger.place_ledger(six_files, ledger.country_scope(listing.iso3))
        for year in place.years:
            listed |= {a.iati_identifier for a in place.year(year).activities}
    with_country = {
        a.identifier for a in oracle if any(scope[0] == "country" for scope in a.shares)
    }
    assert listed == with_country
    regional_only = xml_ledger.every_identifier(oracle) - with_country
    for identifier in regional_only:
        assert all(scope[0] == "region" for scope in oracle.by_id[identifier].shares)


def _signed_amount(text: str) -> int:
    """ "-$449,624" → -449624 (the page's own format, in English)."""
    amount = whole_amount(text)
    return -amount if "-" in text or "\u2212" in text else amount


def _figure(block, label: str) -> list[int]:
    for figure in block.select(".figure"):
        if words(figure.dt).startswith(label):
            moneys = figure.dd.select(":scope > .money")
            return sorted(_signed_amount(words(money)) for money in moneys)
    return []


def _spread(oracle) -> list[tuple[str, int]]:
    """Country-years for the page, file and API checks: every UN Women country-year, and
    every twentieth of the rest (a spread across publishers and years)."""
    unwomen = {
        scope[1]
        for a in oracle
        if a.publisher == "XM-DAC-41146"
        for scope in a.shares
        if scope[0] == "country"
    }
    every = _country_years(oracle)
    return [cy for cy in every if cy[0] in unwomen] + [cy for cy in every if cy[0] not in unwomen][
        ::20
    ]


def test_pages_files_and_api_agree_with_the_xml(client, six_files, oracle):
    for iso3, year in _spread(oracle):
        expected = xml_ledger.year_ledger(oracle, ("country", iso3), year)
        budget = _cents(expected.budget)
        spending = _cents(expected.spending)

        overview = soup_of(client.get(f"/en/countries/{iso3}/?year={year}"))
        listed = listed_outcomes(client, f"/en/countries/{iso3}/?year={year}")
        assert sorted(listed) == sorted(expected.activities), (iso3, year)
        for block in overview.select("dl.figures[data-publisher]"):
            ref = block["data-publisher"] or None
            assert _figure(block, "Budget") == sorted(
                round(v) for (p, _c), v in budget.items() if p == ref
            ), (iso3, year, ref)
            assert _figure(block, "Spending") == sorted(
                round(v) for (p, _c), v in spending.items() if p == ref
            ), (iso3, year, ref)

        results = every_page(client, f"/en/countries/{iso3}/results-resources?year={year}")
        rows = [row for page in results for row in page.select(".outcome-resources")]
        assert len(rows) == len(expected.activities), (iso3, year)

        for file_format in ("csv", "json", "xlsx"):
            file_rows = download_rows(
                client, f"/en/countries/{iso3}/overview.{file_format}?year={year}", tables.OVERVIEW
            )
            totals = {
                (row["publisher_ref"], row["currency"]): row
                for row in file_rows
                if row["record"] == "total"
            }
            file_budget = {k: r["budget"] for k, r in totals.items() if r["budget"] is not None}
            file_spending = {
                k: r["spending"] for k, r in totals.items() if r["spending"] is not None
            }
            assert file_budget == budget, (iso3, year, file_format)
            assert file_spending == spending, (iso3, year, file_format)
            outcome_sum: dict = defaultdict(Decimal)
            for row in file_rows:
                if row["record"] == "outcome" and row["spending"] is not None:
                    outcome_sum[(row["publisher_ref"], row["currency"])] += row["spending"]
            for key, amount in outcome_sum.items():  # each row is rounded to the cent
                assert abs(amount - spending.get(key, 0)) <= CENT * len(file_rows), key

        answer = client.get(f"/api/v1/countries/{iso3}/outcomes?year={year}&per_page=100").json
        api_spending = {
            (total["publisher"]["ref"], money["currency"]): Decimal(str(money["amount"]))
            for total in answer["meta"]["totals"]
            for money in total["spending"]
        }
        assert _cents(api_spending) == spending, (iso3, year)


def _plan_codes(shared_data, file_name: str) -> dict[str, set[str]]:
    """Each activity's sector vocabulary-99 codes, read straight from the XML."""
    from lxml import etree

    tree = etree.parse(
        str(shared_data / "iati-activities" / file_name),
        etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True),
    )
    return {
        activity.findtext("iati-identifier").strip(): {
            code.strip() for code in activity.xpath("sector[@vocabulary='99']/@code")
        }
        for activity in tree.iter("iati-activity")
    }


def test_undp_strategic_plan_codes_are_grouped_as_the_publishers_own(
    client, six_files, oracle, shared_data
):
    """UNDP's vocabulary-99 codes (17, 18, 19…) are its own: each outcome is listed under
    "<publisher> code N"; only an outcome without any such code is "not linked"."""
    codes = _plan_codes(shared_data, "undp-XM-DAC-41114.xml")
    expected = xml_ledger.year_ledger(oracle, ("country", "LAO"), 2020)
    undp = [i for i, s in expected.activities.items() if s.publisher == "XM-DAC-41114"]
    assert any(codes[identifier] for identifier in undp)
    page = soup_of(client.get("/en/countries/LAO/strategic-plan?year=2020"))
    areas = page.select("table.contribution-table")[0]
    groups = {
        words(link): {
            words(item.select_one(".identifier"))
            for listed in every_page(client, link["href"].split("#")[0])
            for item in listed.select("#strategic-list .outcome-list li")
        }
        for link in areas.select("tbody th a")
    }
    for identifier in undp:
        for code in codes[identifier]:
            heading = next(name for name in groups if name.endswith(f"code {code}"))
            assert identifier in groups[heading], (identifier, code)
        not_linked = groups.get("Not linked to a Strategic Plan area", set())
        assert (identifier in not_linked) == (not codes[identifier]), identifier
