"""Downloads of UN Women's real IATI file hold what its country pages show, year by year."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from downloads.reading import (
    as_shown,
    download_rows,
    progress_shown,
    soup_of,
    whole_amount,
    words,
)
from portal.downloads import tables

# The countries of the file (Kosovo's activities are XK, stored as XKX).
COUNTRIES = ["ALB", "BDI", "HTI", "NGA", "XKX"]


def _years(page) -> list[int]:
    return [int(option["value"]) for option in page.select("#year-select option")]


def _figure(page, label: str) -> dict[str, int]:
    """The amounts of a figure by the currency code the page names in the money's text."""
    for figure in page.select(".figures .figure"):
        if words(figure.dt).startswith(label):
            return [whole_amount(words(money)) for money in figure.select(".money")]
    return []


@pytest.mark.parametrize("iso3", COUNTRIES)
def test_real_overview_downloads_add_up_to_the_figures_every_year(client, unwomen_data, iso3):
    first = soup_of(client.get(f"/en/countries/{iso3}/"))
    years = _years(first)
    assert years, iso3
    for year in years:
        page = soup_of(client.get(f"/en/countries/{iso3}/?year={year}"))
        listed = [words(item.select_one(".identifier")) for item in page.select(".outcome-list li")]
        for file_format in ("csv", "json"):
            rows = download_rows(
                client, f"/en/countries/{iso3}/overview.{file_format}?year={year}", tables.OVERVIEW
            )
            assert list(dict.fromkeys(row["iati_identifier"] for row in rows)) == listed
            for label, column in (("Budget", "budget"), ("Expenditure", "expenditure")):
                totals: dict[str | None, Decimal] = defaultdict(Decimal)
                for row in rows:
                    if row[column] is not None:
                        totals[row["currency"]] += row[column]
                shown = _figure(page, label)
                assert sorted(round(total) for total in totals.values()) == sorted(shown), (
                    iso3,
                    year,
                    label,
                )
            assert {row["source"] for row in rows} <= {"IATI data published by UN Women"}


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
