"""The global overview on /<lang>/: its totals are the country and region pages' figures
added up (checked against the XML, read by the oracle, and against the places' own pages),
its map links every country with data, and its table carries the map's figures."""

from __future__ import annotations

import os
import re
from collections import defaultdict
from decimal import Decimal

import pytest

from downloads.reading import download_rows, overview_countries, soup_of, words
from ledger import xml_ledger
from portal import ledger
from portal.downloads.overview import GLOBAL_OVERVIEW
from portal.maps import world
from portal.sample.operations import SAMPLE_ACTIVITIES

CENT = Decimal("0.01")
PARTS = {"country": "countries_total", "region": "regions_total"}


def _cents(amounts: dict) -> dict:
    return {key: value.quantize(CENT) for key, value in amounts.items() if value}


def _expected_totals(oracle, year: int) -> dict[str, dict[str, dict]]:
    """Per record ("countries_total", "regions_total", "total") and figure, the XML's amounts
    by (publisher, currency), added up over every country and region page of the year."""
    totals: dict[str, dict[str, dict]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(Decimal))
    )
    for scope in xml_ledger.scopes_with_activities(oracle):
        figures = xml_ledger.year_ledger(oracle, scope, year)
        if not figures.activities:
            continue
        for field in ("budget", "disbursement", "expenditure", "spending"):
            for key, amount in getattr(figures, field).items():
                for record in (PARTS[scope[0]], "total"):
                    totals[record][field][key] += amount
    return totals


def _file_totals(rows, record: str, field: str) -> dict:
    return {
        (row["publisher_ref"], row["currency"]): row[field]
        for row in rows
        if row["record"] == record and row[field] is not None and row[field] != 0
    }


def _check_totals(client, oracle, years) -> None:
    for year in years:
        rows = download_rows(client, f"/en/overview.json?year={year}", GLOBAL_OVERVIEW)
        expected = _expected_totals(oracle, year)
        for record in ("countries_total", "regions_total", "total"):
            for field in ("budget", "disbursement", "expenditure", "spending"):
                assert _file_totals(rows, record, field) == _cents(expected[record][field]), (
                    year,
                    record,
                    field,
                )
        api = client.get(f"/api/v1/overview?year={year}").json["data"]
        api_spending = {
            (total["publisher"]["ref"], money["currency"]): Decimal(str(money["amount"]))
            for total in api["totals"]
            for money in total["spending"]
        }
        assert _cents(api_spending) == _cents(expected["total"]["spending"]), year


@pytest.fixture(scope="module")
def sample_oracle():
    return xml_ledger.load([SAMPLE_ACTIVITIES], repeats_in_other_years=True)


def test_sample_totals_are_the_sum_of_the_country_and_region_pages(
    client, sample_data, sample_oracle
):
    years = sorted({y for a in sample_oracle for y in xml_ledger.activity_years(a)})
    assert len(years) > 3
    _check_totals(client, sample_oracle, years)


def test_six_files_totals_are_the_sum_of_the_country_and_region_pages(client, six_files, oracle):
    page = soup_of(client.get("/en/"))
    offered = [int(option["value"]) for option in page.select("#overview-year option")]
    expected_years = {y for a in oracle for y in xml_ledger.activity_years(a) if a.shares}
    assert set(offered) == expected_years
    # The years with the most money, the newest and the oldest.
    _check_totals(client, oracle, [2021, 2020, 2016, max(offered), min(offered)])


def _amount_texts(cell) -> str:
    return ", ".join(words(money) for money in cell.select(".money")) if cell else ""


def _page_amounts(client, href: str) -> list[tuple[str, str]]:
    page = soup_of(client.get(href))
    shown = []
    for figures in page.select("main dl.figures[data-publisher]"):
        cells = figures.select(".figure dd")
        budget, spending = cells[-3], cells[-2]
        shown.append((_amount_texts(budget), _amount_texts(spending)))
    return shown


def _home_amounts(body) -> list[tuple[str, str]]:
    return [
        (
            _amount_texts(row.select_one('[data-amounts="budget"]')),
            _amount_texts(row.select_one('[data-amounts="spending"]')),
        )
        for row in body.select("tr")
        if row.select_one('[data-amounts="budget"]') is not None
    ]


@pytest.mark.parametrize("data", ["sample_data", "six_files"])
def test_each_place_row_shows_what_its_own_page_shows(client, request, data):
    """Every country's and region's row on the home page (default year) carries the budget and
    spending its own Overview shows, publisher by publisher; the places listed are those
    whose pages list outcomes that year."""
    request.getfixturevalue(data)
    page = soup_of(client.get("/en/"))
    year = int(page.select_one("#overview-year option[selected]")["value"])
    checked = 0
    for body in [
        *overview_countries(client, "/en/", page),
        *page.select("#overview-regions tbody"),
    ]:
        link = body.select_one("th a")["href"]
        home = _home_amounts(body)
        if not home:  # no outcome that year: the row says so, the country page opens on its own
            assert f"year={year}" not in link
            continue
        assert link.endswith(f"?year={year}"), link
        assert home == _page_amounts(client, link), link
        checked += 1
    assert checked == int(words(page.select_one('[data-figure="countries"]'))) + int(
        words(page.select_one('[data-figure="regions"]'))
    )
    assert checked > (3 if data == "sample_data" else 50)


@pytest.mark.parametrize("data", ["sample_data", "six_files"])
def test_the_map_links_every_country_with_data_and_the_table_gives_its_level(client, request, data):
    session = request.getfixturevalue(data)
    if not world.map_available():
        message = "map geometry not installed (make setup: npm ci)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)  # CI installs it: a map that is missing has failed
        pytest.skip(message)
    page = soup_of(client.get("/en/?year=2020"))
    countries = {scope.code for scope in ledger.every_place(session) if scope.kind == "country"}
    drawable = {iso3 for iso3 in countries if world.has_country(iso3)}
    assert drawable
    links = {}
    for link in page.select("svg.world-map a.map-link"):
        shape = link.select_one("path[data-iso3]")
        levels = [c for c in shape["class"] if c.startswith("map-country--shade-")]
        links[shape["data-iso3"]] = (link["href"], int(levels[0].rsplit("-", 1)[1]))
    assert set(links) == drawable
    table = {
        body["data-iso3"]: (
            body.select_one("th a")["href"],
            int(body.select_one("[data-level]")["data-level"]),
        )
        for body in overview_countries(client, "/en/?year=2020", page)
    }
    assert set(table) == countries
    for iso3, shown in links.items():
        assert table[iso3] == shown, iso3
        assert client.get(shown[0]).status_code == 200
    legend = [words(item) for item in page.select(".map-legend__list li")]
    assert sum(int(re.search(r"\((\d+) countr", text).group(1)) for text in legend) == len(
        countries
    )


def test_the_map_levels_follow_the_spending(client, sample_data):
    """A higher level spent more (one publisher and currency in the sample); level 0 none."""
    rows = download_rows(client, "/en/overview.json?year=2024", GLOBAL_OVERVIEW)
    by_level: dict[int, list[Decimal]] = defaultdict(list)
    for row in rows:
        if row["record"] == "country":
            by_level[row["map_level"]].append(row["spending"] or Decimal(0))
    assert sorted(by_level) == [1, 2, 3, 4]
    for lower, higher in zip(sorted(by_level), sorted(by_level)[1:], strict=False):
        assert max(by_level[lower]) < min(by_level[higher])
    page = soup_of(client.get("/en/?year=2024"))
    legend = [words(item) for item in page.select(".map-legend__list li")]
    assert [text.split(":")[0].strip() for text in legend] == [
        "Level 1",
        "Level 2",
        "Level 3",
        "Level 4",
    ]


def test_a_year_without_data_is_404_and_a_bad_year_400_in_every_language(client, sample_data):
    for lang in ("en", "fr", "es", "ar", "zh", "ru"):
        assert client.get(f"/{lang}/").status_code == 200
        assert client.get(f"/{lang}/?year=2019").status_code == 200
        missing = client.get(f"/{lang}/?year=1990")
        assert missing.status_code == 404
        assert f'<html lang="{lang}' in missing.get_data(as_text=True)
        assert client.get(f"/{lang}/?year=20x0").status_code == 400
        assert client.get(f"/{lang}/?year=2019&year=2020").status_code == 400
        assert client.get(f"/{lang}/overview.csv?year=1990").status_code == 404
    assert client.get("/api/v1/overview?year=1990").status_code == 404


def test_the_year_form_works_without_and_with_htmx(client, sample_data):
    page = soup_of(client.get("/en/?year=2019"))
    form = page.select_one("#year-selector")
    assert form["method"] == "get" and form["action"] == "/en/"
    assert page.select_one("#overview-year option[selected]")["value"] == "2019"
    assert words(page.select_one("#overview-heading")).endswith("2019")
    fragment = client.get("/en/?year=2019", headers={"HX-Request": "true", "HX-Target": "overview"})
    assert fragment.status_code == 200
    assert "HX-Request" in fragment.headers["Vary"]
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and 'id="overview-heading"' in text
    assert 'hx-swap-oob="true"' in text  # the language links follow the year
    assert "/fr/?year=2019" in text


def test_the_sample_banner_is_on_the_overview(client, sample_data):
    page = soup_of(client.get("/en/"))
    assert page.select(".sample-banner")


def test_top_partners_are_the_sum_of_the_places_lines(client, sample_data, sample_oracle):
    """The partners and amounts listed are the incoming funds of the year over every place,
    ranked largest first (the sample publishes incoming funds)."""
    year = 2024
    rows = download_rows(client, f"/en/overview.json?year={year}", GLOBAL_OVERVIEW)
    listed = [row for row in rows if row["record"] == "incoming_funds"]
    assert listed
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for activity in sample_oracle:
        share = sum(activity.shares.values(), Decimal(0))
        for transaction in activity.transactions:
            if transaction.type == "1" and transaction.date.year == year:
                expected[transaction.provider[0]] += transaction.value * share
    assert {row["partner_ref"]: row["partner_amount"] for row in listed} == _cents(expected)
    amounts = [row["partner_amount"] for row in listed]
    assert amounts == sorted(amounts, reverse=True)
    page = soup_of(client.get(f"/en/?year={year}"))
    shown = page.select(".overview-partners ol.partners li")
    assert len(shown) == min(len(listed), 10)
    assert "incoming funds" in words(page.select_one(".overview-partners .figure__note"))


def test_query_count_does_not_grow_with_countries(client, db_session):
    """Every place's ledger is four queries; names and links a fixed few more."""
    from countries import factories
    from countries.test_query_count import statement_count

    factories.country_with_outcomes(db_session, "MLI", "ML", "Mali", outcome_count=3)
    db_session.commit()
    few = statement_count(client, db_session, "/en/", {})
    few_fragment = statement_count(client, db_session, "/en/", {"HX-Request": "true"})
    for iso3, iso2, name in (
        ("SEN", "SN", "Senegal"),
        ("NER", "NE", "Niger"),
        ("TCD", "TD", "Chad"),
    ):
        factories.country_with_outcomes(db_session, iso3, iso2, name, outcome_count=12)
    db_session.commit()
    many = statement_count(client, db_session, "/en/", {})
    fragment = statement_count(client, db_session, "/en/", {"HX-Request": "true"})
    assert few == many
    assert few_fragment == fragment
    assert few < 20


LARGEST_PAGE = 150_000  # bytes of HTML, as tests/ledger/test_page_sizes.py weighs pages


def test_the_home_page_stays_under_150_kb_in_every_language(client, six_files):
    """Issue 16's bound holds on the overview of the six files: the countries table is shown
    ten countries a page and the index map is drawn with coarser shapes. Weighed for the year
    with the most countries, first and last page of the table, in every language."""
    from portal.ledger.world import WorldLedger

    world = WorldLedger(ledger.every_place_ledger(six_files))
    countries = {year: len(world.year(year).countries) for year in world.years}
    busiest = sorted(world.years, key=lambda year: -countries[year])[:1]
    assert countries[busiest[0]] > 100  # the table would not fit on one page
    sizes = {}
    for lang in ("en", "fr", "es", "ar", "ru", "zh"):
        for year in busiest:
            first = client.get(f"/{lang}/?year={year}")
            assert first.status_code == 200
            sizes[first.request.url] = len(first.get_data())
            last = soup_of(first).select("#overview-countries-pagination a")[-2]["href"]
            response = client.get(last)
            assert response.status_code == 200 and "page=" in last, last
            sizes[last] = len(response.get_data())
    too_big = {url: size for url, size in sizes.items() if size > LARGEST_PAGE}
    assert not too_big, too_big


def test_the_countries_table_is_shown_a_page_at_a_time(client, six_files):
    """Ten countries a page, said ("Showing 11 – 20 of N"), the last page holding the rest
    (test_the_map_links_every_country... walks every page); the map links every country on
    every page; HTMX swaps the table alone; past the last page is a 404."""
    from portal.home.views import COUNTRIES_PER_PAGE

    first = soup_of(client.get("/en/?year=2020"))
    showing = words(first.select_one("#overview-countries-list .pagination-status"))
    assert showing.startswith(f"Showing 1 – {COUNTRIES_PER_PAGE} of ")
    total = int(showing.rsplit(" ", 1)[1].replace(",", ""))
    assert total >= int(words(first.select_one('[data-figure="countries"]'))) > COUNTRIES_PER_PAGE
    assert len(first.select("#overview-countries tbody")) == COUNTRIES_PER_PAGE
    second = soup_of(client.get("/en/?year=2020&page=2"))
    assert words(second.select_one("#overview-countries-list .pagination-status")).startswith(
        f"Showing {COUNTRIES_PER_PAGE + 1} – "
    )
    links = first.select("svg.world-map a.map-link")
    assert links and len(second.select("svg.world-map a.map-link")) == len(links)
    fragment = client.get(
        "/en/?year=2020&page=2",
        headers={"HX-Request": "true", "HX-Target": "overview-countries-list"},
    )
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<h1" not in text and "world-map" not in text
    assert [body["data-iso3"] for body in soup_of(fragment).select("tbody")] == [
        body["data-iso3"] for body in second.select("#overview-countries tbody")
    ]
    assert "HX-Target" in fragment.headers["Vary"]
    pages = -(-total // COUNTRIES_PER_PAGE)
    last = soup_of(client.get(f"/en/?year=2020&page={pages}"))
    rest = total - COUNTRIES_PER_PAGE * (pages - 1)
    assert len(last.select("#overview-countries tbody")) == rest
    assert client.get(f"/en/?year=2020&page={pages + 1}").status_code == 404
    assert client.get("/en/?year=2020&page=x").status_code == 400


def test_a_long_list_of_areas_shows_those_with_most_outcomes(client, six_files):
    """A publisher whose Strategic Plan areas are sector codes has over a hundred: the page
    shows the MOST_GROUPS with the most outcomes and says so; the download lists every one."""
    from portal.home.overview import MOST_GROUPS

    page = soup_of(client.get("/en/?year=2022"))
    rows = download_rows(client, "/en/overview.json?year=2022", GLOBAL_OVERVIEW)
    counts: dict[str, int] = {}
    for row in rows:
        if row["record"] == "strategic_plan_area":
            counts[row["group"]] = max(counts.get(row["group"], 0), row["outcome_count"])
    assert len(counts) > MOST_GROUPS
    shown = {
        words(tr.select_one("th")): int(words(tr.select("td")[0]))
        for tr in page.select("#overview-areas tbody tr")
    }
    assert len(shown) == MOST_GROUPS
    assert all(counts[name] == count for name, count in shown.items())
    hidden = [count for name, count in counts.items() if name not in shown]
    assert min(shown.values()) >= max(hidden)
    note = page.select_one("[data-groups-shown]")
    assert note["data-groups"] == str(len(counts)) and "Download data" in words(note)
