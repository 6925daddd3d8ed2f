"""The way in: "Report a problem with this data" on every outcome page, country header and
group of a country's figures, in every language; a plain link to the form about that subject."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

import pytest

from outcomes.reading import soup_of
from portal.config import SUPPORTED_LANGUAGES

COUNTRY = "/{lang}/countries/MLI"
FIGURE_GROUPS_BY_TAB = {
    "/": ["key-figures"],
    "/results-resources": ["results-totals", "budget-by-outcome", "funding-by-partner"],
    "/strategic-plan": ["strategic-plan-totals", "strategic-plan-areas", "sdgs"],
}


def report_links(response) -> list:
    return soup_of(response).select("main p.report-problem a")


def _opens_its_form(client, href: str) -> None:
    assert client.get(href).status_code == 200, href


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_the_outcome_page_links_to_a_report_about_the_outcome(client, sample_data, lang):
    response = client.get(f"/{lang}/outcomes/XM-EXAMPLE-ORG-MLI_D_1.1?plan_period=2022-2025")
    (link,) = report_links(response)
    assert link["href"] == (
        f"/{lang}/report-a-problem/outcome/XM-EXAMPLE-ORG-MLI_D_1.1?plan_period=2022-2025"
    )
    # Its accessible name says which outcome it is about, the title marked with its language.
    title = soup_of(response).find("h1")
    hidden = link.find(class_="visually-hidden")
    assert title.get_text(" ", strip=True) in hidden.get_text(" ", strip=True)
    assert [tag.get("lang") for tag in hidden.find_all(lang=True)] == [
        tag.get("lang") for tag in title.find_all(lang=True)
    ]
    _opens_its_form(client, link["href"])


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize("tab", list(FIGURE_GROUPS_BY_TAB))
def test_every_country_tab_has_the_header_link_and_one_per_figure_group(
    client, sample_data, lang, tab
):
    links = report_links(client.get(COUNTRY.format(lang=lang) + tab + "?year=2024"))
    hrefs = [link["href"] for link in links]
    assert hrefs[0] == f"/{lang}/report-a-problem/country/MLI"
    assert hrefs[1:] == [
        f"/{lang}/report-a-problem/figures/MLI/{group}?year=2024"
        for group in FIGURE_GROUPS_BY_TAB[tab]
    ]
    # Links to different reports have different accessible names (WCAG 2.4.4).
    names = Counter(link.get_text(" ", strip=True) for link in links)
    assert max(names.values()) == 1, names
    if lang == "en":
        assert all("Mali" in name for name in names), names
    for href in hrefs:
        _opens_its_form(client, href)


def test_the_summary_view_reports_on_its_key_figures(client, sample_data):
    links = report_links(client.get("/en/countries/MLI/progress?view=summary&year=2024"))
    assert [urlsplit(link["href"]).path for link in links] == [
        "/en/report-a-problem/country/MLI",
        "/en/report-a-problem/figures/MLI/key-figures",
    ]


def test_region_pages_have_no_country_report_links(client, sample_data):
    regions = soup_of(client.get("/en/regions/"))
    region_link = next(
        a["href"]
        for a in regions.select("main a[href^='/en/regions/']")
        if a["href"] != "/en/regions/"
    )
    response = client.get(region_link)
    assert response.status_code == 200
    assert report_links(response) == []
