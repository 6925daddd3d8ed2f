"""Issue 13's acceptance: for every country-year and region-year with data, the Overview and
Results & Resources pages, their CSV, JSON and XLSX files and the API give the XML's totals
(per publisher and currency) and list the same activities; the home page, the country list and
the country pages count the same outcomes. On the six real files imported together, on the
bundled sample, and on a generated fixture with every case the money rules distinguish.
"""

from __future__ import annotations

import pytest

from downloads.reading import overview_countries, soup_of, words
from ledger import agreement, generated, xml_ledger
from outcomes.reading import listed_outcomes
from portal.iati.importer import import_sources
from portal.sample.operations import SAMPLE_ACTIVITIES


def _place(scope: tuple[str, ...]) -> tuple[str, str]:
    """The page and API paths of a scope, without the tab."""
    if scope[0] == "country":
        return f"/en/countries/{scope[1]}", f"/api/v1/countries/{scope[1]}"
    _kind, vocabulary, code = scope
    key = code if vocabulary == "1" else f"{vocabulary}-{code}"
    return f"/en/regions/{key}", f"/api/v1/regions/{key}"


# The every-place-year check of the six files comes in two parts, so that CI runs them side by
# side: of every PARTS_OF place-years in order, FIRST_PART_SHARE are the first part's (run on
# SQLite, whose pass also runs the browser tests; the second, on PostgreSQL, is 1.45 times as
# slow a place-year, and its pass has no browser tests). In halves, a clean clone's CI took
# 237 s for the first and 343 s for the second, and the SQLite pass ended 3 minutes after the
# other.
PARTS_OF = 20
FIRST_PART_SHARE = 5
# Of the six files, the XLSX files of every XLSX_EVERY-th place-year (the CSV and JSON files of
# each): the three are written from the same rows (portal.downloads.tables); reading every
# XLSX back was a fifth of the check's time. The sample and the generated fixture check all
# three for every place-year.
XLSX_EVERY = 4


def _check_every_place_year(
    client, oracle, formats=agreement.FILE_FORMATS, part: int | None = None
) -> int:
    """Each place-year of the oracle, or those of one part (0 or 1: together, all)."""
    checked = 0
    for index, (scope, year) in enumerate(sorted(xml_ledger.scope_years(oracle))):
        kinds = formats
        if part is not None:
            if (index % PARTS_OF < FIRST_PART_SHARE) != (part == 0):
                continue
            if index % XLSX_EVERY:
                kinds = tuple(kind for kind in formats if kind != "xlsx")
        base, api_base = _place(scope)
        expected = xml_ledger.year_ledger(oracle, scope, year)
        agreement.check_place_year(client, base, api_base, year, expected, kinds)
        checked += 1
    return checked


def _check_counts(client, oracle) -> None:
    """Home (the global overview, issue 20.1): each country's outcomes in the year shown, by
    publisher; the country list names the same countries; each country page lists that many
    outcomes that year, as the XML says."""
    home = soup_of(client.get("/en/"))
    year = int(home.select_one("#overview-year option[selected]")["value"])
    entries = [
        body for body in overview_countries(client, "/en/", home) if body.select("[data-count]")
    ]
    assert entries
    listing = soup_of(client.get("/en/countries/"))
    listed = {a["href"] for a in listing.select("main .country-list a")}
    for entry in entries:
        href = entry.select_one("th a")["href"].split("?")[0]
        assert href in listed, href
        count = sum(int(cell["data-count"]) for cell in entry.select("[data-count]"))
        iso3 = href.strip("/").split("/")[-1]
        expected = xml_ledger.year_ledger(oracle, ("country", iso3), year)
        assert count == len(expected.activities), (iso3, year)
        assert len(listed_outcomes(client, f"{href}?year={year}")) == count, (iso3, year)
    countries = {
        scope[1] for scope in xml_ledger.scopes_with_activities(oracle) if scope[0] == "country"
    }
    assert {href.strip("/").split("/")[-1] for href in listed if "/countries/" in href} == (
        countries
    )


# --- The generated fixture -------------------------------------------------------------------


@pytest.fixture
def generated_files(db_session, runner, tmp_path):
    paths = generated.write(tmp_path)
    import_sources(db_session, paths)
    db_session.flush()
    periods = [f"{first}-{last}" for first, last in generated.PLAN_PERIODS]
    result = runner.invoke(args=["plan-periods", generated.PLANNED, *periods])
    assert result.exit_code == 0, result.output
    return xml_ledger.load(paths)


def test_generated_fixture_holds_every_case(generated_files):
    """The fixture is what it claims (read from its XML): several publishers and currencies,
    shares, a region, revised, spanning, zero and negative budgets, disbursements, incoming
    funds and commitments, and one provider ref under two names."""
    oracle = generated_files
    assert len({a.publisher for a in oracle}) == 3
    assert len({b.currency for a in oracle for b in a.budgets}) >= 3
    assert any(len(a.shares) > 1 for a in oracle)
    assert any(scope[0] == "region" for a in oracle for scope in a.shares)
    assert any(not a.shares for a in oracle)
    budgets = [b for a in oracle for b in a.budgets]
    assert {b.type for b in budgets} == {"1", "2"}
    assert any(b.value < 0 for b in budgets) and any(b.value == 0 for b in budgets)
    types = {t.type for a in oracle for t in a.transactions}
    assert {"1", "3", "4", "11"} <= types
    providers = {t.provider for a in oracle for t in a.transactions if t.provider}
    refs = [ref for ref, _name in providers]
    assert any(refs.count(ref) > 1 for ref in refs)


def test_generated_fixture_agrees_everywhere(client, generated_files):
    assert _check_every_place_year(client, generated_files) >= 10
    _check_counts(client, generated_files)


def test_generated_plan_periods_are_the_publishers(client, generated_files):
    """A publisher with plan periods has its activities' period on the Results & Resources
    page; a publisher without says the activities' own years, never "plan period"."""
    page = soup_of(client.get("/en/countries/MLI/results-resources?year=2020"))
    by_publisher = {
        block["data-publisher"]: words(block)
        for block in page.select(".money-figures-pair[data-publisher]")
    }
    assert "Plan period 2018-2021" in by_publisher[generated.PLANNED].replace("–", "-")
    assert "Plan period" not in by_publisher[generated.COMMITTED]
    assert "Plan period" not in by_publisher[generated.NAMED]


# --- The sample and the six real files -------------------------------------------------------


def test_sample_agrees_everywhere(client, sample_data):
    oracle = xml_ledger.load([SAMPLE_ACTIVITIES], repeats_in_other_years=True)
    assert _check_every_place_year(client, oracle) >= 20
    _check_counts(client, oracle)


@pytest.mark.exhaustive
@pytest.mark.parametrize(
    "part",
    [
        pytest.param(0, id="first-part"),
        pytest.param(1, id="second-part", marks=pytest.mark.exhaustive_second_part),
    ],
)
def test_six_files_agree_everywhere(client, six_files, oracle, part):
    """Every country-year and region-year of the six files: pages, files (CSV and JSON, and
    XLSX for a spread) and the API; in two parts (PARTS_OF), the home page's counts with the
    first.

    It is the slowest test: `make test` runs both parts on SQLite, or, when it runs the suite
    on PostgreSQL too (CI), the first on SQLite and the second on PostgreSQL, side by side. On
    both databases the ledger is checked for every place-year (test_six_files.py,
    test_regions.py) and the pages, files and API for a spread."""
    # 1,288 place-years: 325 in the first part, 963 in the second.
    assert _check_every_place_year(client, oracle, part=part) > (300 if part == 0 else 900)
    if part == 0:
        _check_counts(client, oracle)
