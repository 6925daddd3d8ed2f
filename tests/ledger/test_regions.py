"""Regional and global activities on region pages, and every activity of the six real files
reachable by following the portal's own links from the home page."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urljoin

from downloads.reading import download_rows, every_page, soup_of, words
from ledger import xml_ledger
from outcomes.reading import listed_outcomes
from portal import ledger
from portal.downloads import tables

CENT = Decimal("0.01")


def _cents(amounts: dict) -> dict:
    return {key: value.quantize(CENT) for key, value in amounts.items()}


def _region_key(scope: tuple[str, ...]) -> str:
    _kind, vocabulary, code = scope
    return code if vocabulary == "1" else f"{vocabulary}-{code}"


def test_every_region_year_lists_and_adds_up_what_the_xml_says(six_files, oracle):
    region_years = sorted(
        (scope, year) for scope, year in xml_ledger.scope_years(oracle) if scope[0] == "region"
    )
    assert len(region_years) > 100
    for scope, year in region_years:
        expected = xml_ledger.year_ledger(oracle, scope, year)
        shown = ledger.place_ledger(six_files, ledger.region_scope(scope[1], scope[2])).year(year)
        assert sorted(a.iati_identifier for a in shown.activities) == sorted(expected.activities), (
            scope,
            year,
        )
        for field in ("budget", "disbursement", "expenditure"):
            totals = {
                (publisher.ref, money.currency): money.amount
                for publisher in shown.publishers
                for money in getattr(publisher.money, field)
            }
            assert _cents(totals) == _cents(getattr(expected, field)), (scope, year, field)


def test_region_pages_files_and_api_agree_with_the_xml(client, six_files, oracle):
    index = soup_of(client.get("/en/regions/"))
    listed = {a["href"] for a in index.select("main .country-list a")}
    scopes = {scope for scope in xml_ledger.scopes_with_activities(oracle) if scope[0] == "region"}
    assert listed == {f"/en/regions/{_region_key(scope)}/" for scope in scopes}
    for scope in sorted(scopes):
        key = _region_key(scope)
        years = sorted({y for ys in xml_ledger.active_years(oracle, scope).values() for y in ys})
        for year in (years[0], years[-1]):
            expected = xml_ledger.year_ledger(oracle, scope, year)
            shown = listed_outcomes(client, f"/en/regions/{key}/?year={year}")
            assert sorted(shown) == sorted(expected.activities), (key, year)
            results = every_page(client, f"/en/regions/{key}/results-resources?year={year}")
            items = [item for page in results for item in page.select(".outcome-resources")]
            assert len(items) == len(expected.activities), (key, year)
            rows = download_rows(
                client, f"/en/regions/{key}/overview.json?year={year}", tables.OVERVIEW
            )
            spending = {
                (row["publisher_ref"], row["currency"]): row["spending"]
                for row in rows
                if row["record"] == "total" and row["spending"] is not None
            }
            assert spending == _cents(expected.spending), (key, year)
            assert {row["region_code"] for row in rows} == {key}
            answer = client.get(f"/api/v1/regions/{key}/outcomes?year={year}&per_page=100").json
            api_budget = {
                (total["publisher"]["ref"], money["currency"]): Decimal(str(money["amount"]))
                for total in answer["meta"]["totals"]
                for money in total["budget"]
            }
            assert _cents(api_budget) == _cents(expected.budget), (key, year)


def _links(page, base: str, prefix: str) -> set[str]:
    return {
        urljoin(base, a["href"]).split("?")[0]
        for a in page.select("main a[href]")
        if urljoin(base, a["href"]).startswith(prefix)
    }


def _scope_of(place: str) -> tuple[str, ...]:
    """("country", "MLI") for /en/countries/MLI/, ("region", "1", "298") for /en/regions/298/."""
    kind, key = place.strip("/").split("/")[1:3]
    if kind == "countries":
        return ("country", key)
    vocabulary, _, code = key.rpartition("-")
    return ("region", vocabulary or "1", code)


def test_every_activity_is_reachable_by_links_from_home(client, six_files, oracle):
    """From /en/: the country list and the regional list, each place, and the years its
    Country / Year form offers: every activity of the six files is listed on a page reached
    so. (The XML only chooses which offered year to open next, to visit few pages; every
    page opened must list only activities active in its year.)"""
    home = soup_of(client.get("/en/"))
    assert "/en/countries/" in {a["href"] for a in home.select("a[href]")}
    countries = soup_of(client.get("/en/countries/"))
    places = _links(countries, "/en/countries/", "/en/countries/") - {"/en/countries/"}
    assert _links(countries, "/en/countries/", "/en/regions/") == {"/en/regions/"}
    regions = soup_of(client.get("/en/regions/"))
    places |= _links(regions, "/en/regions/", "/en/regions/") - {"/en/regions/"}
    unplaced = {words(item) for item in regions.select("#unplaced .identifier")}
    seen: set[str] = set(unplaced)
    for place in sorted(places):
        scope = _scope_of(place)
        first = soup_of(client.get(place))
        offered = [int(option["value"]) for option in first.select("#year-select option")]
        active = xml_ledger.active_years(oracle, scope)
        for year in offered:
            if not any(year in years for i, years in active.items() if i not in seen):
                continue
            listed = set(listed_outcomes(client, f"{place}?year={year}"))
            assert all(year in active[identifier] for identifier in listed), (place, year)
            seen |= listed
    assert seen == xml_ledger.every_identifier(oracle)
    without_place = {a.identifier for a in oracle if not a.shares}
    assert unplaced == without_place
