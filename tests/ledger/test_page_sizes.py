"""Big pages stay short (issue 16): on the six real files imported together, no country tab,
page of a tab's list or outcome page is over 150 KB of HTML, however many outcomes, outputs
and indicators a place has (the lists are shown a page at a time).

The first test checks the countries with the most outcomes (every year, every tab, the first
and the last page of each list), every outcome page of their largest year and the outcomes
with the most results; the exhaustive one checks every place-year, every page of every list
and every page of every outcome (about four minutes).
"""

from __future__ import annotations

from urllib.parse import quote, urljoin

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from portal import ledger
from portal.iati.models import Outcome, Result
from portal.regions.queries import IATI_REGION_VOCABULARY, region_key

LARGEST_PAGE = 150_000  # bytes of HTML, as served (before compression)
TABS = ("", "results-resources", "progress", "strategic-plan")
LARGEST_COUNTRIES = 3
LARGEST_OUTCOMES = 10


def _get(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def _size(client, url: str, sizes: dict[str, int]) -> BeautifulSoup:
    response = _get(client, url)
    sizes[url] = len(response.get_data())
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _next(page: BeautifulSoup) -> str | None:
    link = page.select_one("nav.pagination a[rel=next]")
    return link["href"] if link else None


def _last(page: BeautifulSoup) -> str | None:
    """The highest numbered page link, if the list has more than one page."""
    numbered = [
        link for link in page.select("nav.pagination a") if link.get_text(" ").split()[-1].isdigit()
    ]
    return numbered[-1]["href"] if numbered else None


def _pages(client, url: str, sizes: dict[str, int], every: bool) -> list[BeautifulSoup]:
    """The first page, then every next one (`every`) or only the last."""
    first = _size(client, url, sizes)
    shown = [first]
    following = _next(first) if every else _last(first)
    while following and following not in sizes:
        shown.append(_size(client, urljoin(url, following), sizes))
        following = _next(shown[-1]) if every else None
    return shown


def _outcome_urls(pages: list[BeautifulSoup]) -> set[str]:
    return {
        link["href"] for page in pages for link in page.select("#panel a[href^='/en/outcomes/']")
    }


def _place_path(scope: ledger.Scope) -> str:
    if scope.kind == ledger.COUNTRY:
        return f"/en/countries/{scope.code}"
    key = region_key(scope.vocabulary or IATI_REGION_VOCABULARY, scope.code)
    return f"/en/regions/{key}"


def _too_large(sizes: dict[str, int]) -> list[tuple[int, str]]:
    return sorted(((size, url) for url, size in sizes.items() if size > LARGEST_PAGE), reverse=True)


def _largest_outcomes(session) -> list[str]:
    """The outcome pages of the outcomes with the most results."""
    rows = session.execute(
        select(Outcome.iati_identifier, Outcome.plan_period)
        .join(Result, Result.outcome_id == Outcome.id)
        .group_by(Outcome.id, Outcome.iati_identifier, Outcome.plan_period)
        .order_by(func.count(Result.id).desc(), Outcome.id)
        .limit(LARGEST_OUTCOMES)
    ).all()
    return [
        f"/en/outcomes/{quote(identifier)}?plan_period={quote(period)}"
        for identifier, period in rows
    ]


def test_the_largest_places_and_outcomes_of_the_six_files_are_short(client, six_files):
    sizes: dict[str, int] = {}
    places = ledger.every_place(six_files)
    countries = [scope for scope in places if scope.kind == ledger.COUNTRY]
    largest = sorted(countries, key=lambda scope: (-max(places[scope].counts.values()), scope.code))
    outcome_urls: set[str] = set(_largest_outcomes(six_files))
    for scope in largest[:LARGEST_COUNTRIES]:
        counts = places[scope].counts
        for year in counts:
            for tab in TABS:
                url = f"{_place_path(scope)}/{tab}?year={year}"
                _pages(client, url, sizes, every=False)
                if tab == "results-resources" and counts[year] == max(counts.values()):
                    outcome_urls |= _outcome_urls(_pages(client, url, sizes, every=True))
    assert len(outcome_urls) > 80
    for url in sorted(outcome_urls):
        _pages(client, url, sizes, every=True)
    assert not _too_large(sizes), _too_large(sizes)[:10]


@pytest.mark.page_sizes
def test_every_page_of_the_six_files_is_short(client, six_files):
    """Every tab of every place-year (countries and regions), every page of each list, and
    every page of every outcome."""
    sizes: dict[str, int] = {}
    for scope, place in ledger.every_place(six_files).items():
        for year in place.years:
            for tab in TABS:
                _pages(client, f"{_place_path(scope)}/{tab}?year={year}", sizes, every=True)
    outcomes = six_files.execute(select(Outcome.iati_identifier, Outcome.plan_period)).all()
    for identifier, period in outcomes:
        url = f"/en/outcomes/{quote(identifier)}?plan_period={quote(period)}"
        _pages(client, url, sizes, every=True)
    assert len(sizes) > 6000
    assert not _too_large(sizes), _too_large(sizes)[:10]
