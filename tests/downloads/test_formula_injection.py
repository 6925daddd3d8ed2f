"""Text a spreadsheet would run as a formula stays text in the CSV and XLSX downloads, however
its first visible character is disguised; numbers stay numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
from urllib.parse import quote

import openpyxl
import pytest

from countries import factories

# Titles a spreadsheet would read as a formula: the first visible character is a trigger,
# written in full width or behind invisible characters or white space.
DISGUISED_FORMULAS = {
    "fullwidth equals": '＝HYPERLINK("http://example.org","Click")',
    "fullwidth plus": "＋1+cmd|' /C calc'!A0",
    "fullwidth minus": "－1+cmd|' /C calc'!A0",
    "fullwidth at": "＠SUM(1+1)*cmd|' /C calc'!A0",
    "zero-width space": '\u200b=HYPERLINK("http://example.org")',
    "zero-width non-joiner": "\u200c=1+1",
    "zero-width joiner": "\u200d+1+1",
    "word joiner": "\u2060-1+1",
    "byte order mark": "\ufeff@SUM(A1:A2)",
    "left-to-right mark": "\u200e=1+1",
    "right-to-left mark": "\u200f=1+1",
    "left-to-right embedding": "\u202a=1+1",
    "right-to-left embedding": "\u202b=1+1",
    "pop directional formatting": "\u202c=1+1",
    "left-to-right override": "\u202d=1+1",
    "right-to-left override": "\u202e=1+1",
    "left-to-right isolate": "\u2066=1+1",
    "right-to-left isolate": "\u2067=1+1",
    "first strong isolate": "\u2068=1+1",
    "pop directional isolate": "\u2069=1+1",
    "soft hyphen": "\u00ad=1+1",
    "space": " =1+1",
    "no-break space": "\u00a0=1+1",
    "ideographic space before fullwidth equals": "\u3000＝1+1",
    "several invisible characters and spaces": " \u200b\u2066 \ufeff-2+3",
}
# Text that only looks unusual: written as it is.
PLAIN_TEXTS = {
    "leading space": "  Women lead 40 cooperatives",
    "leading zero-width space": "\u200bWomen lead 40 cooperatives",
    "trigger later in the text": "Women + girls = 120 @ 3 sites",
}


@pytest.fixture
def titled_outcomes(db_session) -> dict[str, str]:
    """Outcomes of Mali titled with every case, by IATI identifier."""
    titles = {**DISGUISED_FORMULAS, **PLAIN_TEXTS}
    made = factories.country_with_outcomes(db_session, outcome_count=len(titles))
    by_identifier = {}
    for outcome, title in zip(made.outcomes, titles.values(), strict=True):
        outcome.title = factories.Narratives({"en": title})
        by_identifier[outcome.iati_identifier] = title
    db_session.flush()
    return by_identifier


def _identifier_of(titled_outcomes: dict[str, str], title: str) -> str:
    (identifier,) = [key for key, value in titled_outcomes.items() if value == title]
    return identifier


def _csv_titles(client) -> dict[str, str]:
    body = client.get("/en/countries/MLI/progress.csv?year=2023").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body, newline="")))
    return {row["iati_identifier"]: row["title"] for row in rows}


def _xlsx_title_cells(client) -> dict[str, openpyxl.cell.Cell]:
    body = client.get("/en/countries/MLI/progress.xlsx?year=2023").get_data()
    sheet = openpyxl.load_workbook(io.BytesIO(body)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    identifier, title = header.index("iati_identifier"), header.index("title")
    return {row[identifier].value: row[title] for row in sheet.iter_rows(min_row=2)}


@pytest.mark.parametrize("case", DISGUISED_FORMULAS)
def test_a_disguised_formula_gets_the_apostrophe_in_csv(client, titled_outcomes, case):
    title = DISGUISED_FORMULAS[case]
    assert _csv_titles(client)[_identifier_of(titled_outcomes, title)] == "'" + title


@pytest.mark.parametrize("case", DISGUISED_FORMULAS)
def test_a_disguised_formula_is_a_quote_prefixed_text_cell_in_xlsx(client, titled_outcomes, case):
    title = DISGUISED_FORMULAS[case]
    cell = _xlsx_title_cells(client)[_identifier_of(titled_outcomes, title)]
    # The text as published, in a text cell that stays text even when edited in a spreadsheet.
    assert (cell.value, cell.data_type, cell.quotePrefix) == (title, "s", True)


def test_plain_text_is_written_as_it_is(client, titled_outcomes):
    written = _csv_titles(client)
    cells = _xlsx_title_cells(client)
    for identifier, title in titled_outcomes.items():
        if title in PLAIN_TEXTS.values():
            assert written[identifier] == title
            assert (cells[identifier].value, cells[identifier].quotePrefix) == (title, False)


def test_negative_amounts_stay_numbers(client, db_session):
    made = factories.country_with_outcomes(db_session, outcome_count=1)
    # A reversal larger than the year's expenditure: the outcome's spending is negative.
    factories.transaction(db_session, made.outcomes[0], "4", dt.date(2024, 9, 30), "-80000")
    db_session.flush()

    body = client.get("/en/countries/MLI/overview.csv?year=2024").get_data(as_text=True)
    header, outcome, _total = csv.reader(io.StringIO(body, newline=""))
    assert outcome[header.index("expenditure")] == "-20000.00"

    body = client.get("/en/countries/MLI/overview.xlsx?year=2024").get_data()
    sheet = openpyxl.load_workbook(io.BytesIO(body)).worksheets[0]
    names = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=names.index("expenditure") + 1)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (-20000, "n", False)


def test_a_published_title_on_the_about_sheet_is_guarded_too(client, db_session):
    made = factories.country_with_outcomes(db_session, outcome_count=1)
    made.outcomes[0].title = factories.Narratives({"en": DISGUISED_FORMULAS["fullwidth equals"]})
    db_session.flush()

    identifier = quote(made.outcomes[0].iati_identifier)
    body = client.get(f"/en/outcomes/{identifier}.xlsx").get_data()
    about = openpyxl.load_workbook(io.BytesIO(body)).worksheets[1]
    title = about.cell(row=1, column=2)  # "Title" and the outcome's title, then its period
    assert title.value.startswith(DISGUISED_FORMULAS["fullwidth equals"])
    assert (title.data_type, title.quotePrefix) == ("s", True)
