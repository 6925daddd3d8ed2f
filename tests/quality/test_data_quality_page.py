"""Issue 15, point 3: /<lang>/data-quality/ counts the findings by publisher and kind, lists
every one (filtered by country and kind, a page at a time) with a link to where it is flagged,
and is linked from every page's footer."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from downloads.reading import download_rows
from iati.test_data_findings import GOOD_BUDGET, _activity, _import
from outcomes.reading import soup_of, soup_of_any
from portal.downloads import tables
from portal.quality import kinds
from portal.quality.models import DataFinding
from portal.quality.queries import FINDINGS_PER_PAGE

LANGUAGES = ("en", "fr", "es")
TOTAL_LINE = {"en": "{n} findings", "fr": "{n} constats", "es": "{n} observaciones"}


def _stored_counts(db_session) -> Counter:
    rows = db_session.execute(select(DataFinding.kind, func.count()).group_by(DataFinding.kind))
    return Counter(dict(rows.all()))


def _listed(page) -> list:
    return page.select(".finding-list > li")


def _about(finding: dict) -> str:
    """What an API finding is about as the page names it: the activity, or the country."""
    if finding["outcome"] is not None:
        return finding["outcome"]["iati_identifier"]
    return finding["country"]["iso3"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_counts_and_lists_what_the_import_found(client, sample_data, lang):
    stored = _stored_counts(sample_data)
    assert sum(stored.values()) >= 3  # the sample's deliberate errors
    page = soup_of(client.get(f"/{lang}/data-quality/"))
    counted = Counter()
    for row in page.select("#quality-counts-heading ~ div tbody tr"):
        kind = row.a["href"].split("kind=")[1]
        counted[kind] += int(row.select("td")[-1].get_text())
    assert counted == stored
    total = sum(stored.values())
    assert TOTAL_LINE[lang].format(n=total) in page.get_text()
    assert len(_listed(page)) == total
    for item in _listed(page):
        outcome_page = soup_of(client.get(item.a["href"]))
        assert outcome_page.select(".quality-flag"), item.a["href"]


def test_the_filters_keep_one_kind_and_one_country(client, sample_data):
    stored = _stored_counts(sample_data)
    page = soup_of(client.get(f"/en/data-quality/?kind={kinds.PLACEHOLDER_TEXT}&country="))
    assert len(_listed(page)) == stored[kinds.PLACEHOLDER_TEXT]
    assert all("Looks like a placeholder" in item.get_text() for item in _listed(page))
    chosen = page.select_one("#quality-kind option[selected]")
    assert chosen["value"] == kinds.PLACEHOLDER_TEXT
    senegal = soup_of(client.get("/en/data-quality/?country=SEN"))
    identifiers = [item.select_one(".identifier").get_text() for item in _listed(senegal)]
    # Senegal's activities, and Senegal's own facts (the sample's population split).
    assert all("SEN_" in identifier or identifier == "SEN" for identifier in identifiers)
    assert any("SEN_" in identifier for identifier in identifiers)
    assert "SEN" in identifiers
    mali_placeholders = soup_of(
        client.get(f"/en/data-quality/?country=mli&kind={kinds.PLACEHOLDER_TEXT}")
    )
    assert _listed(mali_placeholders) == []


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("kind=bogus", 400),
        ("kind=placeholder-text&kind=budget-not-above-zero", 400),
        ("country=MALI", 400),
        ("country=SEN&country=MLI", 400),
        ("page=0", 400),
        ("page=99", 404),
    ],
)
def test_bad_filters_answer_a_page_in_the_visitors_language(client, sample_data, query, status):
    response = client.get(f"/fr/data-quality/?{query}")
    assert response.status_code == status
    assert soup_of_any(response).html["lang"] == "fr"


def test_findings_come_a_page_at_a_time(client, db_session, tmp_path):
    zero = GOOD_BUDGET.replace(">1000<", ">0<")
    _import(db_session, tmp_path, _activity(budget=zero * (FINDINGS_PER_PAGE + 10)))
    first = soup_of(client.get("/en/data-quality/"))
    assert len(_listed(first)) == FINDINGS_PER_PAGE
    following = first.select_one("nav.pagination a[rel=next]")["href"]
    second = soup_of(client.get(following))
    assert len(_listed(second)) == 10


def test_every_page_links_to_it_in_its_footer(client, sample_data):
    for lang in LANGUAGES:
        footer = soup_of(client.get(f"/{lang}/")).select_one("footer")
        assert footer.find("a", href=f"/{lang}/data-quality/")


def test_the_api_lists_the_same_findings_as_the_page(client, sample_data):
    stored = _stored_counts(sample_data)
    for kind, count in stored.items():
        answer = client.get(f"/api/v1/data-quality?kind={kind}&per_page=100&lang=fr").get_json()
        assert answer["meta"]["total"] == count
        assert answer["meta"]["kind"] == kind
        page = soup_of(client.get(f"/fr/data-quality/?kind={kind}"))
        listed = [item.select_one(".identifier").get_text() for item in _listed(page)]
        assert [_about(finding) for finding in answer["data"]] == listed
        flags = [item.strong.get_text().removesuffix(".") for item in _listed(page)]
        assert [finding["flag"] for finding in answer["data"]] == flags  # both in French
    everything = client.get("/api/v1/data-quality").get_json()
    assert everything["meta"]["total"] == sum(stored.values())
    first = everything["data"][0]
    assert client.get(first["outcome"]["url"]).status_code == 200


@pytest.mark.parametrize("file_format", ["csv", "json", "xlsx"])
def test_the_downloads_hold_every_finding_the_filters_keep(client, sample_data, file_format):
    stored = _stored_counts(sample_data)
    for kind in [None, *stored]:
        query = f"?kind={kind}" if kind else ""
        page = soup_of(client.get(f"/es/data-quality/{query}"))
        link = page.find("a", string=file_format.upper())["href"]
        rows = download_rows(client, link, tables.DATA_QUALITY)
        expected = stored[kind] if kind else sum(stored.values())
        assert len(rows) == expected, (kind, file_format)
        listed = [item.select_one(".identifier").get_text() for item in _listed(page)]
        assert [row["iati_identifier"] or row["country_iso3"] for row in rows] == listed
        assert all(row["kind"] == kind for row in rows) or kind is None
