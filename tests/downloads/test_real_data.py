"""Downloads of UN Women's real IATI file hold what its country pages show, year by year."""

from __future__ import annotations

import pytest

from downloads.reading import (
    as_shown,
    check_overview_file,
    download_rows,
    progress_shown,
    soup_of,
    words,
)
from outcomes.reading import listed_outcomes
from portal.downloads import tables

# The countries of the file (Kosovo's activities are XK, stored as XKX).
COUNTRIES = ["ALB", "BDI", "HTI", "NGA", "XKX"]


def _years(page) -> list[int]:
    return [int(option["value"]) for option in page.select("#year-select option")]


@pytest.mark.parametrize("iso3", COUNTRIES)
def test_real_overview_downloads_add_up_to_the_figures_every_year(client, unwomen_data, iso3):
    first = soup_of(client.get(f"/en/countries/{iso3}/"))
    years = _years(first)
    assert years, iso3
    for year in years:
        page = soup_of(client.get(f"/en/countries/{iso3}/?year={year}"))
        for file_format in ("csv", "json"):
            rows = download_rows(
                client, f"/en/countries/{iso3}/overview.{file_format}?year={year}", tables.OVERVIEW
            )
            listed = listed_outcomes(client, f"/en/countries/{iso3}/?year={year}")
            check_overview_file(page, rows, year, listed)
            outcomes = [row for row in rows if row["record"] == "outcome"]
            assert {row["source"] for row in outcomes} <= {"IATI data published by UN Women"}
            assert {row["publisher_ref"] for row in rows} <= {"XM-DAC-41146"}


@pytest.mark.parametrize("iso3", COUNTRIES)
def test_real_progress_download_equals_the_pages(client, unwomen_data, iso3):
    shown = progress_shown(client, f"/en/countries/{iso3}/progress")
    year = int(
        words(
            soup_of(client.get(f"/en/countries/{iso3}/progress")).select_one(
                "#year-select option[selected]"
            )
        )
    )
    rows = download_rows(client, f"/en/countries/{iso3}/progress.xlsx?year={year}", tables.PROGRESS)
    assert as_shown(rows, "iati_identifier", "title", "progress_narrative") == shown
