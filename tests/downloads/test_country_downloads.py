"""Country tab downloads hold exactly what the tab shows, on the sample data, in each format."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import openpyxl
import pytest

from countries import factories
from downloads.reading import (
    FORMATS,
    as_shown,
    check_overview_file,
    download_links,
    download_rows,
    every_page,
    overview_figures,
    progress_shown,
    soup_of,
    words,
)
from outcomes.reading import listed_outcomes
from portal.downloads import tables


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("year", [2023, 2024])
def test_progress_download_holds_every_outcome_of_every_page(
    client, sample_data, file_format, year
):
    shown = progress_shown(client, f"/en/countries/MLI/progress?year={year}")
    assert len(shown) == 9  # over two pages of five

    rows = download_rows(
        client, f"/en/countries/MLI/progress.{file_format}?year={year}", tables.PROGRESS
    )

    assert as_shown(rows, "iati_identifier", "title", "progress_narrative") == shown
    assert {row["year"] for row in rows} == {year}
    assert {row["country_iso3"] for row in rows} == {"MLI"}
    assert {row["plan_period"] for row in rows} == {"2022-2025"}


def test_the_download_links_name_the_tab_and_year_shown(client, sample_data):
    page = soup_of(client.get("/en/countries/MLI/progress?year=2023&page=2"))
    links = download_links(page)
    assert links == {
        "csv": "/en/countries/MLI/progress.csv?year=2023",
        "xlsx": "/en/countries/MLI/progress.xlsx?year=2023",
        "json": "/en/countries/MLI/progress.json?year=2023",
        "xml": "/en/countries/MLI/activities.xml?year=2023",
    }
    section = words(page.select_one("#download-data"))
    assert "(CSV, small)" in section
    assert "(Excel (XLSX), small)" in section
    assert "(IATI XML, 9 activities)" in section


def test_the_overview_links_its_own_downloads_with_the_default_year(client, sample_data):
    page = soup_of(client.get("/en/countries/MLI/"))
    year = words(page.select_one(".panel__period")).split()[1]
    assert download_links(page)["csv"] == f"/en/countries/MLI/overview.csv?year={year}"


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize(("iso3", "year"), [("MLI", 2023), ("MLI", 2024), ("SEN", 2024)])
def test_overview_download_lists_the_outcomes_and_adds_up_to_the_figures(
    client, sample_data, file_format, iso3, year
):
    page = soup_of(client.get(f"/en/countries/{iso3}/?year={year}"))
    rows = download_rows(
        client, f"/en/countries/{iso3}/overview.{file_format}?year={year}", tables.OVERVIEW
    )

    check_overview_file(
        page, rows, year, listed_outcomes(client, f"/en/countries/{iso3}/?year={year}")
    )
    figures = overview_figures(page)
    assert list(figures) == ["XM-EXAMPLE-ORG"]  # one publisher in the sample
    assert figures["XM-EXAMPLE-ORG"]["budget"] and figures["XM-EXAMPLE-ORG"]["spending"]
    outcomes = [row for row in rows if row["record"] == "outcome"]
    totals = [row for row in rows if row["record"] == "total"]
    assert [row["record"] for row in rows] == ["outcome"] * len(outcomes) + ["total"]
    assert {(row["publisher_ref"], row["currency"]) for row in totals} == {
        ("XM-EXAMPLE-ORG", "USD")
    }
    assert {row["publisher_ref"] for row in outcomes} == {"XM-EXAMPLE-ORG"}
    assert {row["share"] for row in outcomes} == {Decimal("1.0000")}  # one recipient each
    for row in outcomes:  # the sample publishes expenditure only: spending is expenditure
        assert row["disbursement"] is None
        assert row["spending"] == row["expenditure"]
    assert {row["country_iso3"] for row in rows} == {iso3}
    assert all(
        row["source"] == "IATI data published by Example Organisation (sample data)"
        for row in outcomes
    )
    assert all(row["as_of"] == "2025-01-31" for row in outcomes)  # the sample file's date
    assert all(row["source"] is None and row["as_of"] is None for row in totals)


def test_overview_download_splits_spending_as_the_figures_do(client, db_session):
    """Disbursements and expenditure are both spending: the file gives each part, and its
    totals are the page's figure with its "(disbursements …; expenditure …)" breakdown."""
    made = factories.country_with_outcomes(db_session, outcome_count=3)
    factories.transaction(db_session, made.outcomes[0], "3", dt.date(2024, 5, 2), "25000")
    db_session.flush()
    page = soup_of(client.get("/en/countries/MLI/?year=2024"))
    rows = download_rows(client, "/en/countries/MLI/overview.json?year=2024", tables.OVERVIEW)

    check_overview_file(page, rows, 2024, listed_outcomes(client, "/en/countries/MLI/?year=2024"))
    (publisher,) = overview_figures(page).values()
    assert publisher == {
        "budget": [300000],
        "spending": [205000],
        "disbursement": [25000],
        "expenditure": [180000],
    }
    first = next(row for row in rows if row["iati_identifier"] == made.outcomes[0].iati_identifier)
    assert (first["spending"], first["disbursement"], first["expenditure"]) == (
        Decimal("85000.00"),
        Decimal("25000.00"),
        Decimal("60000.00"),
    )
    (total,) = [row for row in rows if row["record"] == "total"]
    assert (total["budget"], total["spending"], total["disbursement"], total["expenditure"]) == (
        Decimal("300000.00"),
        Decimal("205000.00"),
        Decimal("25000.00"),
        Decimal("180000.00"),
    )


def test_french_download_has_french_names_and_texts(client, sample_data):
    english = download_rows(client, "/en/countries/SEN/progress.csv?year=2024", tables.PROGRESS)
    french = download_rows(client, "/fr/countries/SEN/progress.csv?year=2024", tables.PROGRESS)
    shown = progress_shown(client, "/fr/countries/SEN/progress?year=2024")

    assert {row["country"] for row in english} == {"Senegal"}
    assert {row["country"] for row in french} == {"Sénégal"}
    assert as_shown(french, "iati_identifier", "title", "progress_narrative") == shown
    assert {row["title_lang"] for row in french} == {"fr"}
    assert {row["title_lang"] for row in english} == {"en"}
    assert [row["title"] for row in french] != [row["title"] for row in english]


def test_csv_is_utf8_without_bom_with_crlf_and_a_header(client, sample_data):
    response = client.get("/fr/countries/SEN/progress.csv?year=2024")
    body = response.get_data()

    assert response.mimetype == "text/csv"
    assert response.mimetype_params["charset"] == "utf-8"
    assert response.headers["Content-Language"] == "fr"
    assert not body.startswith(b"\xef\xbb\xbf")
    assert body.startswith(
        b"country_iso3,country,region_code,region,year,plan_period,iati_identifier,"
    )
    assert body.count(b"\r\n") == len(list(csv.reader(io.StringIO(body.decode(), newline=""))))
    assert "Sénégal".encode() in body


def test_each_file_name_says_what_it_holds(client, sample_data):
    response = client.get("/en/countries/MLI/progress.csv?year=2023")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="mali-progress-2023-en.csv"; '
        "filename*=UTF-8''mali-progress-2023-en.csv"
    )
    response = client.get("/fr/countries/SEN/overview.xlsx?year=2024")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="senegal-overview-2024-fr.xlsx"; '
        "filename*=UTF-8''s%C3%A9n%C3%A9gal-overview-2024-fr.xlsx"
    )
    response = client.get("/es/countries/MLI/activities.xml?year=2023")
    assert 'filename="mali-activities-2023.xml"' in response.headers["Content-Disposition"]


def test_csv_and_json_stream_while_xlsx_has_its_length(client, sample_data):
    for file_format in ("csv", "json"):
        response = client.get(f"/en/countries/MLI/progress.{file_format}?year=2023")
        assert response.is_streamed
        assert "Content-Length" not in response.headers
        assert response.get_data()  # the stream is read to its end
    response = client.get("/en/countries/MLI/progress.xlsx?year=2023")
    assert int(response.headers["Content-Length"]) == len(response.get_data())


def test_xlsx_has_a_frozen_header_number_formats_and_an_about_sheet(client, sample_data):
    response = client.get("/en/countries/MLI/overview.xlsx?year=2024")
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]

    assert sheet.title == "Overview"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    budget = sheet.cell(row=2, column=header.index("budget") + 1)
    assert isinstance(budget.value, (int, float)) and budget.number_format == "#,##0.00"
    as_of = sheet.cell(row=2, column=header.index("as_of") + 1)
    assert as_of.is_date and as_of.number_format == "yyyy-mm-dd"
    year = sheet.cell(row=2, column=header.index("year") + 1)
    assert year.value == 2024 and year.number_format == "0"
    about = workbook.worksheets[1]
    assert about["B1"].value == "Mali – Overview – 2024"


def test_json_says_what_the_rows_describe(client, sample_data):
    document = json.loads(client.get("/fr/countries/MLI/progress.json?year=2023").get_data())
    assert document["view"] == "progress"
    assert document["country"] == {"iso3": "MLI", "name": "Mali"}
    # The sample's publisher has no plan periods: the page, and so the file, names none …
    assert (document["year"], document["plan_period"], document["lang"]) == (2023, None, "fr")
    page = soup_of(client.get("/fr/countries/MLI/progress?year=2023"))
    assert "2022-2025" not in words(page.select_one(".panel__period"))
    # … while each row still gives its outcome's own plan period.
    assert {row["plan_period"] for row in document["rows"]} == {"2022-2025"}
    assert document["row_count"] == len(document["rows"]) == 9


@pytest.mark.parametrize("table", tables.COUNTRY_TABLES)
def test_a_year_without_data_downloads_no_rows_as_the_page_shows_none(client, sample_data, table):
    tab = "" if table == "overview" else table
    page = soup_of(client.get(f"/en/countries/MLI/{tab}?year=2010"))
    assert not page.select(".outcome-list li, li.outcome-progress__item, li.outcome-resources")
    assert "xml" not in download_links(page)  # no activity shown, no XML offered
    for file_format in FORMATS:
        assert (
            download_rows(
                client,
                f"/en/countries/MLI/{table}.{file_format}?year=2010",
                tables.DEFINITIONS[table],
            )
            == []
        )


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/en/countries/MLI/progress.csv?year=abc", 400),
        ("/en/countries/MLI/progress.csv?year=0", 400),
        ("/en/countries/MLI/progress.csv?year=2023&year=2024", 400),
        ("/en/countries/MLI/overview.json?year=-1", 400),
        ("/en/countries/MLI/activities.xml?year=1e3", 400),
        ("/en/countries/XXX/progress.csv", 404),
        ("/en/countries/FRA/overview.xlsx", 404),
        ("/en/countries/MLI/progress.txt", 404),
        ("/en/countries/MLI/progress.csv.csv", 404),
        ("/en/countries/M1I/progress.csv", 404),
        ("/de/countries/MLI/progress.csv", 404),
        ("/en/countries/mli/progress.csv?year=2023", 301),
        ("/en/countries/mli/activities.xml", 301),
    ],
)
def test_bad_download_addresses_get_their_status(client, sample_data, path, status):
    response = client.get(path)
    assert response.status_code == status
    if status == 301:
        assert response.headers["Location"] == path.replace("/mli/", "/MLI/")


def test_every_page_of_progress_is_one_download(client, sample_data):
    """The pages say "Showing 1 – 5 of 9" and "6 - 9 of 9"; both link the same file."""
    pages = every_page(client, "/en/countries/MLI/progress?year=2023")
    assert len(pages) == 2
    assert download_links(pages[0]) == download_links(pages[1])
