"""Read downloads back (CSV, XLSX, JSON) and read pages as a visitor sees them, to compare.

Rows are read into typed values using the view's column definition (numbers as Decimal,
dates as ISO text, empty cells as None), so that the three formats compare equal.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import openpyxl
from bs4 import BeautifulSoup, Tag

# Re-exported: the tests that compare pages with files read pages with these too.
from outcomes.reading import every_page as every_page
from outcomes.reading import listed_outcomes as listed_outcomes
from outcomes.reading import soup_of as soup_of
from portal.downloads.tables import ColumnKind, TableDefinition
from portal.spreadsheet_safety import looks_like_formula

FORMATS = ("csv", "xlsx", "json")


def _typed(kind: ColumnKind, value: object) -> object:
    if value is None or value == "":
        return None
    if kind is ColumnKind.MONEY:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    if kind is ColumnKind.SHARE:
        return Decimal(str(value)).quantize(Decimal("0.0001"))
    if kind is ColumnKind.INTEGER:
        return int(value)
    if kind is ColumnKind.DATE:
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        return str(value)
    text = str(value)
    if text.startswith("'") and looks_like_formula(text[1:]):
        return text[1:]  # the CSV guard against formulas, as a spreadsheet reads it
    return text


def csv_rows(body: bytes, definition: TableDefinition) -> list[dict[str, object]]:
    reader = csv.DictReader(io.StringIO(body.decode("utf-8"), newline=""))
    assert reader.fieldnames == definition.column_names
    kinds = {column.name: column.kind for column in definition.columns}
    return [{name: _typed(kinds[name], value) for name, value in row.items()} for row in reader]


def xlsx_rows(body: bytes, definition: TableDefinition) -> list[dict[str, object]]:
    workbook = openpyxl.load_workbook(io.BytesIO(body))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == definition.column_names
    kinds = [column.kind for column in definition.columns]
    return [
        {
            name: _typed(kind, value)
            for name, kind, value in zip(definition.column_names, kinds, row, strict=True)
        }
        for row in rows[1:]
    ]


def json_rows(body: bytes, definition: TableDefinition) -> list[dict[str, object]]:
    document = json.loads(body)
    assert [column["name"] for column in document["columns"]] == definition.column_names
    assert document["row_count"] == len(document["rows"])
    kinds = {column.name: column.kind for column in definition.columns}
    return [
        {name: _typed(kinds[name], value) for name, value in row.items()}
        for row in document["rows"]
    ]


READERS = {"csv": csv_rows, "xlsx": xlsx_rows, "json": json_rows}


def overview_countries(client, url: str, first: BeautifulSoup | None = None) -> list[Tag]:
    """The rows (one <tbody> a country) of the home page's countries table at `url`, over
    every page of the table (`first`: the page at `url`, when the caller has it)."""
    return [
        body
        for page in every_page(client, url, first)
        for body in page.select("main #overview-countries tbody")
    ]


def download_rows(client, url: str, definition: TableDefinition) -> list[dict[str, object]]:
    response = client.get(url)
    assert response.status_code == 200, url
    file_format = url.split("?", 1)[0].rsplit(".", 1)[1]
    return READERS[file_format](response.get_data(), definition)


# --- Pages ------------------------------------------------------------------------------------


def words(element: Tag | None) -> str:
    return " ".join(element.get_text(" ").split()) if element is not None else ""


def narrative_text(element: Tag | None) -> str | None:
    """A narrative as shown, without the "(Original in French)" note."""
    if element is None:
        return None
    original = element.select_one("[lang]")
    return words(original) if original is not None else words(element)


def as_shown(rows, *columns: str) -> list[tuple]:
    """The rows' texts as a browser shows them: runs of white space are one space."""
    return [
        tuple(
            " ".join(row[name].split()) if isinstance(row[name], str) else row[name]
            for name in columns
        )
        for row in rows
    ]


def progress_shown(client, url: str) -> list[tuple[str, str | None, str | None]]:
    """(identifier, title, narrative) of every outcome on every page of Our Progress."""
    shown = []
    for page in every_page(client, url):
        for item in page.select("li.outcome-progress__item"):
            shown.append(
                (
                    words(item.select_one(".identifier")),
                    narrative_text(item.select_one(".outcome-progress__title .narrative")),
                    narrative_text(item.select_one("div.narrative")),  # block: the year's text
                )
            )
    return shown


def download_links(page: BeautifulSoup) -> dict[str, str]:
    """The Download Data section's links by file extension ("csv", …, "xml")."""
    section = page.select_one("#download-data")
    assert section is not None, "no Download Data section"
    links = {}
    for link in section.select("a[download]"):
        extension = link["href"].split("?", 1)[0].rsplit(".", 1)[1]
        links[extension] = link["href"]
    return links


def whole_amount(text: str) -> int:
    """ "$1,234,567" or "1 234 567 $US" → 1234567."""
    digits = "".join(character for character in text if character.isdigit())
    return int(digits)


# --- Money as pages show it and as the files hold it ------------------------------------------

MONEY_COLUMNS = ("budget", "spending", "disbursement", "expenditure")


def amounts_shown(element: Tag | None) -> list[int]:
    """The whole amounts of a figure, one per currency, without its spending breakdown."""
    if element is None:
        return []
    return [
        whole_amount(words(money))
        for money in element.find_all("span", class_="money", recursive=False)
    ]


def spending_parts_shown(dd: Tag) -> dict[str, list[int]]:
    """Disbursements and expenditure of a Spending figure: its "(disbursements …; expenditure …)"
    breakdown when it has both, "(disbursements)" when spending is all disbursements, and no
    breakdown when spending is all expenditure."""
    spending = amounts_shown(dd)
    breakdown = dd.select_one(".spending-breakdown")
    if breakdown is None:
        return {"disbursement": [], "expenditure": spending}
    parts: dict[str, list[int]] = {"disbursement": [], "expenditure": []}
    current = None
    for child in breakdown.descendants:
        if isinstance(child, Tag):
            if "money" in (child.get("class") or []):
                assert current is not None, words(breakdown)
                parts[current].append(whole_amount(words(child)))
        elif "disbursements" in child:
            current = "disbursement"
        elif "expenditure" in child:
            current = "expenditure"
    if not parts["disbursement"] and not parts["expenditure"]:
        assert words(breakdown) == "(disbursements)", words(breakdown)
        return {"disbursement": spending, "expenditure": []}
    return parts


def overview_figures(page: BeautifulSoup) -> dict[str, dict[str, list[int]]]:
    """The Overview's figures of the year, per publisher (its ref; "" when it has none): budget,
    spending, disbursement and expenditure as sorted whole amounts (one per currency)."""
    shown: dict[str, dict[str, list[int]]] = {}
    for block in page.select("dl.figures[data-publisher]"):
        figures: dict[str, list[int]] = {}
        for figure in block.select(".figure"):
            label = words(figure.dt).split(" ")[0]
            if label == "Budget":
                figures["budget"] = amounts_shown(figure.dd)
            elif label == "Spending":
                figures["spending"] = amounts_shown(figure.dd)
                figures.update(spending_parts_shown(figure.dd))
        assert set(figures) == set(MONEY_COLUMNS), words(block)
        assert block["data-publisher"] not in shown, "one block per publisher"
        shown[block["data-publisher"]] = {name: sorted(figures[name]) for name in MONEY_COLUMNS}
    return shown


def sums_by_publisher(rows, record: str) -> dict[str, dict[str, dict[str | None, Decimal]]]:
    """The rows of one record summed per publisher ("" when none), money column and currency."""
    sums: dict[str, dict[str, dict[str | None, Decimal]]] = {}
    for row in rows:
        if row["record"] != record:
            continue
        publisher = sums.setdefault(row["publisher_ref"] or "", {})
        for column in MONEY_COLUMNS:
            if row[column] is not None:
                by_currency = publisher.setdefault(column, {})
                by_currency[row["currency"]] = by_currency.get(row["currency"], 0) + row[column]
    return sums


def check_overview_file(page: BeautifulSoup, rows, year: int, listed: list[str]) -> None:
    """The Overview file is the page: its "outcome" rows are the outcomes listed (`listed`,
    over every page of the list) in order, its "total" rows (one per publisher and currency)
    are the page's figures, and the outcome rows summed per publisher and currency are those
    totals."""
    outcomes = [row for row in rows if row["record"] == "outcome"]
    totals = [row for row in rows if row["record"] == "total"]
    assert {row["record"] for row in rows} <= {"outcome", "total"}
    assert list(dict.fromkeys(row["iati_identifier"] for row in outcomes)) == listed
    assert {row["year"] for row in rows} <= {year}

    # Totals: one row per publisher and currency, describing no outcome.
    keys = [(row["publisher_ref"], row["currency"]) for row in totals]
    assert len(keys) == len(set(keys)), keys
    assert all(
        row["iati_identifier"] is None and row["title"] is None and row["share"] is None
        for row in totals
    )

    # The total rows are the figures the page shows, publisher by publisher.
    shown = overview_figures(page)
    in_file = sums_by_publisher(totals, "total")
    assert set(in_file) <= set(shown)
    for publisher, figures in shown.items():
        columns = in_file.get(publisher, {})
        for column in MONEY_COLUMNS:
            amounts = sorted(round(amount) for amount in columns.get(column, {}).values())
            assert amounts == figures[column], (publisher, column)

    # Outcome rows add up to the totals (amounts are written to the cent: a cent per row).
    added = sums_by_publisher(outcomes, "outcome")
    assert {publisher for publisher, columns in added.items() if columns} == set(in_file)
    for publisher, columns in added.items():
        for column, by_currency in columns.items():
            total = in_file[publisher][column]
            assert set(by_currency) == set(total), (publisher, column)
            count = sum(1 for row in outcomes if (row["publisher_ref"] or "") == publisher)
            for currency, amount in by_currency.items():
                assert abs(amount - total[currency]) <= Decimal("0.01") * count, (
                    publisher,
                    column,
                    currency,
                )
