"""One place-year as a visitor and a re-user meet it, checked against the XML's figures.

`check_place_year` opens a country's or region's Overview and Results & Resources pages, their
CSV, JSON and XLSX files and the API answer for one year, and asserts that they list the
activities the XML says are active there and that every total equals the XML's budget and
spending per publisher and currency (tests/ledger/xml_ledger.py: read without the portal's
parser). The same function serves the six real files, the bundled sample and the generated
multi-publisher fixture.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from bs4 import Tag

from downloads.reading import READERS, every_page, soup_of, whole_amount, words
from ledger.xml_ledger import YearLedger
from outcomes.reading import listed_outcomes
from portal.downloads import tables

CENT = Decimal("0.01")
MONEY = ("budget", "spending")
FILE_FORMATS = ("csv", "json", "xlsx")


def cents(amounts: dict) -> dict:
    return {key: value.quantize(CENT) for key, value in amounts.items()}


def _signed(text: str) -> int:
    """ "-$449,624" → -449624 (the page's own format, in English)."""
    amount = whole_amount(text)
    return -amount if "-" in text or "\u2212" in text else amount


def _shown(dd: Tag) -> list[int]:
    """A figure's amounts (one per currency), without its spending breakdown."""
    return sorted(_signed(words(money)) for money in dd.select(":scope > .money"))


def _labelled(container: Tag, pairs: str) -> dict[str, list[int]]:
    """{"budget": [...], "spending": [...]} of a block of <dt>/<dd> pairs."""
    figures: dict[str, list[int]] = {}
    for pair in container.select(pairs):
        label = words(pair.dt)
        for name in MONEY:
            if label.startswith(name.capitalize()):
                figures[name] = _shown(pair.dd)
    assert set(figures) == set(MONEY), words(container)
    return figures


def _close(shown: dict[str, list[int]], expected: YearLedger, ref: str | None) -> bool:
    """Whether a publisher's figures, as the page rounds them to whole units (one per
    currency), are the XML's amounts: each within one unit (the XML's exact amount may lie
    either side of a half)."""
    for name, amounts in (("budget", expected.budget), ("spending", expected.spending)):
        wanted = sorted(value for (publisher, _c), value in amounts.items() if publisher == ref)
        if len(shown[name]) != len(wanted):
            return False
        # Sorted both ways, amounts of different currencies pair up unless two are within a
        # unit of each other, which the files' exact comparison covers.
        if any(abs(Decimal(a) - b) > 1 for a, b in zip(shown[name], wanted, strict=True)):
            return False
    return True


def _ref(attribute: str) -> str | None:
    return attribute or None


def _publishers(expected: YearLedger) -> set[str | None]:
    return {scope.publisher for scope in expected.activities.values()}


def check_overview_page(client, base: str, year: int, expected: YearLedger) -> None:
    page = soup_of(client.get(f"{base}/?year={year}"))
    where = (base, year, "overview page")
    listed = listed_outcomes(client, f"{base}/?year={year}", first=page)
    assert sorted(listed) == sorted(expected.activities), where
    blocks = page.select("dl.figures[data-publisher]")
    assert {_ref(block["data-publisher"]) for block in blocks} == _publishers(expected), where
    for block in blocks:
        ref = _ref(block["data-publisher"])
        shown = _labelled(block, ".figure")
        assert _close(shown, expected, ref), (*where, ref, shown)


def check_results_page(client, base: str, year: int, expected: YearLedger) -> None:
    """Every page of the list names the activities; the first page's totals are all of them."""
    page, *others = every_page(client, f"{base}/results-resources?year={year}")
    where = (base, year, "results page")
    rows = [row for shown in (page, *others) for row in shown.select(".outcome-resources")]
    listed = [words(row.select_one(".identifier")) for row in rows]
    assert sorted(listed) == sorted(expected.activities), where
    totals = page.select("#rr-totals-heading ~ .money-figures-pair[data-publisher]")
    assert {_ref(block["data-publisher"]) for block in totals} == _publishers(expected), where
    for block in totals:
        ref = _ref(block["data-publisher"])
        year_figures = block.select_one(".money-figures")  # the year; the plan period follows
        shown = _labelled(year_figures, "dl > div")
        assert _close(shown, expected, ref), (*where, ref, shown)


def _file_totals(rows) -> tuple[dict, dict, dict]:
    """(total rows' budget, total rows' spending, outcome rows' spending summed), each
    {(publisher ref, currency): amount}."""
    budget: dict = {}
    spending: dict = {}
    summed: dict = defaultdict(Decimal)
    for row in rows:
        key = (row["publisher_ref"], row["currency"])
        if row["record"] == "total":
            if row["budget"] is not None:
                budget[key] = row["budget"]
            if row["spending"] is not None:
                spending[key] = row["spending"]
        elif row["record"] == "outcome" and row["spending"] is not None:
            summed[key] += row["spending"]
    return budget, spending, summed


def check_files(client, base: str, year: int, expected: YearLedger, formats=FILE_FORMATS) -> None:
    """The Overview and Results & Resources files: the same rows in every format, totals
    equal to the XML's, and each total the sum of its outcome rows (to a cent per row)."""
    budget, spending = cents(expected.budget), cents(expected.spending)
    for view, definition in (
        ("overview", tables.OVERVIEW),
        ("results-resources", tables.RESULTS_RESOURCES),
    ):
        by_format = {}
        for file_format in formats:
            response = client.get(f"{base}/{view}.{file_format}?year={year}")
            assert response.status_code == 200, (base, year, view, file_format)
            by_format[file_format] = READERS[file_format](response.get_data(), definition)
        first, *others = by_format.values()
        for other in others:
            assert other == first, (base, year, view)
        where = (base, year, view)
        assert {row["iati_identifier"] for row in first if row["record"] == "outcome"} == set(
            expected.activities
        ), where
        file_budget, file_spending, summed = _file_totals(first)
        assert file_budget == budget, where
        assert file_spending == spending, where
        rows = sum(1 for row in first if row["record"] == "outcome")
        for key, amount in summed.items():
            assert abs(amount - spending.get(key, 0)) <= CENT * rows, (*where, key)


def check_api(client, api_base: str, year: int, expected: YearLedger) -> None:
    answer = client.get(f"{api_base}/outcomes?year={year}&per_page=100").json
    where = (api_base, year, "api")
    assert answer["meta"]["total"] == len(expected.activities), where
    listed = [outcome["iati_identifier"] for outcome in answer["data"]]
    if answer["meta"]["page_count"] == 1:
        assert sorted(listed) == sorted(expected.activities), where
    for kind, amounts in (("budget", expected.budget), ("spending", expected.spending)):
        shown = {
            (total["publisher"]["ref"], money["currency"]): Decimal(str(money["amount"]))
            for total in answer["meta"]["totals"]
            for money in total[kind]
        }
        assert cents(shown) == cents(amounts), (*where, kind)
    counts = {
        total["publisher"]["ref"]: total["outcome_count"] for total in answer["meta"]["totals"]
    }
    expected_counts: dict = defaultdict(int)
    for scope in expected.activities.values():
        expected_counts[scope.publisher] += 1
    assert counts == dict(expected_counts), where


def check_place_year(
    client, base: str, api_base: str, year: int, expected: YearLedger, formats=FILE_FORMATS
) -> None:
    """`base` is the page's path without its tab ("/en/countries/MLI"), `api_base` the API's
    ("/api/v1/countries/MLI")."""
    check_overview_page(client, base, year, expected)
    check_results_page(client, base, year, expected)
    check_files(client, base, year, expected, formats)
    check_api(client, api_base, year, expected)
