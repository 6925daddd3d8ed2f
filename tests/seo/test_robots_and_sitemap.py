"""Issue 17.7: /robots.txt lets search engines read every public page and names the sitemap;
/sitemap.xml lists every page in every language, in a fixed number of queries."""

from __future__ import annotations

from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import pytest
from bs4 import BeautifulSoup
from flask import g
from lxml import etree

from countries import factories
from countries.test_query_count import counted_statements
from portal.config import SUPPORTED_LANGUAGES
from portal.iati.models import Recipient
from portal.seo import sitemap
from quality.page_checker import page_language_tag

NS = {"s": sitemap.SITEMAP_NAMESPACE, "xhtml": sitemap.XHTML_NAMESPACE}
TABS = ("", "results-resources", "progress", "strategic-plan")


def robots_rules(text: str) -> list[tuple[str, str]]:
    return [
        (field.lower(), value.strip())
        for field, value in (line.split(":", 1) for line in text.splitlines() if ":" in line)
        if field.lower() in ("allow", "disallow")
    ]


def allowed(rules: list[tuple[str, str]], path: str) -> bool:
    """RFC 9309: the longest matching rule decides, Allow winning a tie; `$` ends a path."""
    matching = [
        (len(pattern), kind == "allow")
        for kind, pattern in rules
        if (path == pattern[:-1] if pattern.endswith("$") else path.startswith(pattern))
    ]
    return max(matching, default=(0, True))[1]


def sitemap_of(client, path: str = "/sitemap.xml") -> etree._Element:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.mimetype == "application/xml"
    return etree.fromstring(response.get_data())


def entries_of(urlset: etree._Element) -> dict[str, dict[str, str]]:
    """{address: {hreflang: alternate address}} of every <url>."""
    assert urlset.tag == f"{{{sitemap.SITEMAP_NAMESPACE}}}urlset"
    entries = {}
    for url in urlset.findall("s:url", NS):
        loc = url.findtext("s:loc", namespaces=NS)
        assert loc not in entries, f"{loc} listed twice"
        entries[loc] = {
            link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", NS)
        }
    return entries


def test_robots_txt_allows_the_public_pages_and_names_the_sitemap(client, sample_data, public_host):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert f"Sitemap: {public_host}/sitemap.xml" in text.splitlines()
    rules = robots_rules(text)
    for path in (
        "/admin/survey",
        "/fr/survey/institution",
        "/en/survey/check",
        "/es/report-a-problem/outcome/X",
    ):
        assert not allowed(rules, path), path
    for path in ("/", "/en/survey/", "/fr/countries/MLI/progress", "/api/v1/countries"):
        assert allowed(rules, path), path
    # Crawlers that take the first matching line (Python's parser) keep out as well.
    first_match = RobotFileParser()
    first_match.parse(text.splitlines())
    assert not first_match.can_fetch("AnyBot", f"{public_host}/admin/problem-reports")
    assert not first_match.can_fetch("AnyBot", f"{public_host}/es/survey/check")
    assert first_match.can_fetch("AnyBot", f"{public_host}/es/countries/MLI/")
    # Nothing the sitemap lists is kept from search engines.
    for address in entries_of(sitemap_of(client)):
        assert allowed(rules, urlsplit(address).path), address


def test_sitemap_lists_every_tab_page_and_outcome_in_every_language(
    client, sample_data, public_host
):
    entries = entries_of(sitemap_of(client))
    for lang in SUPPORTED_LANGUAGES:
        for page in ("", "countries/", "data-quality/"):
            assert f"{public_host}/{lang}/{page}" in entries
        for tab in TABS:
            assert f"{public_host}/{lang}/countries/MLI/{tab}" in entries
            assert f"{public_host}/{lang}/regions/298/{tab}" in entries
        for period in ("2018-2021", "2022-2025"):
            outcome = f"{public_host}/{lang}/outcomes/XM-EXAMPLE-ORG-MLI_D_1.1?plan_period={period}"
            assert outcome in entries
    outcomes = [address for address in entries if "/en/outcomes/" in address]
    assert len(outcomes) == 30  # every outcome of the sample, in each of its plan periods
    for address, alternates in entries.items():
        lang = urlsplit(address).path.split("/")[1]
        tags = {*map(page_language_tag, SUPPORTED_LANGUAGES), "x-default"}
        assert set(alternates) == tags, address
        assert alternates[page_language_tag(lang)] == address
        assert alternates["x-default"] == alternates["en"]
        assert all(other in entries for other in alternates.values())


# The sitemap's pages visited in full: the fixed ones, a country's and a region's tabs, outcomes.
VISITED_PATHS = ("/en/", "/fr/countries/", "/es/regions/", "/en/data-quality/", "/fr/open-data/")
VISITED_PREFIXES = ("/en/countries/MLI/", "/fr/regions/298/", "/es/outcomes/XM-EXAMPLE-ORG-MLI_D_")


def test_each_listed_page_names_itself_as_the_sitemap_does(client, sample_data, public_host):
    chosen = [
        address
        for address in entries_of(sitemap_of(client))
        if urlsplit(address).path in VISITED_PATHS
        or urlsplit(address).path.startswith(VISITED_PREFIXES)
    ]
    # Four tabs of each place; Mali's nine development outcomes over its two plan periods.
    assert len(chosen) == len(VISITED_PATHS) + 4 + 4 + 9
    for address in chosen:
        response = client.get(address)
        assert response.status_code == 200, address
        head = BeautifulSoup(response.get_data(as_text=True), "html.parser").head
        assert head.find("link", rel="canonical")["href"] == address


def test_an_outcome_without_a_plan_period_is_listed_as_it_names_itself(
    client, db_session, public_host
):
    factories.country(db_session, "MLI", "ML", "Mali")
    outcome = factories.outcome(db_session, "MLI", "5.1", plan_period="")
    db_session.commit()
    address = f"{public_host}/fr/outcomes/{outcome.iati_identifier}?plan_period="
    assert address in entries_of(sitemap_of(client))
    head = BeautifulSoup(client.get(address).get_data(as_text=True), "html.parser").head
    assert head.find("link", rel="canonical")["href"] == address


def test_a_big_site_gets_an_index_of_numbered_sitemaps(
    client, sample_data, public_host, monkeypatch
):
    whole = entries_of(sitemap_of(client))
    monkeypatch.setattr(sitemap, "URLS_PER_SITEMAP", 50)
    index = sitemap_of(client)
    assert index.tag == f"{{{sitemap.SITEMAP_NAMESPACE}}}sitemapindex"
    parts = index.findall("s:sitemap/s:loc", NS)
    assert len(parts) == -(-len(whole) // 50)
    listed: dict[str, dict[str, str]] = {}
    for number, loc in enumerate(parts, start=1):
        assert loc.text == f"{public_host}/sitemap-{number}.xml"
        part = entries_of(sitemap_of(client, urlsplit(loc.text).path))
        assert len(part) <= 50
        assert not set(part) & set(listed)
        listed.update(part)
    assert listed == whole
    assert client.get(f"/sitemap-{len(parts) + 1}.xml").status_code == 404


def test_sitemap_and_robots_are_cacheable_pages(client, sample_data, public_host):
    for path in ("/sitemap.xml", "/robots.txt"):
        first = client.get(path)
        assert first.headers.get("ETag") and "no-cache" in first.headers["Cache-Control"]
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304, path


def test_without_a_configured_host_there_is_no_sitemap(client, db_session):
    assert client.get("/sitemap.xml").status_code == 404
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Disallow: /admin/" in robots and "Sitemap" not in robots


def _region_outcome(session, number: str) -> None:
    """An outcome for region 298 (Africa) rather than a country."""
    row = factories.outcome(session, "RAF", number)
    row.country_iso3 = None
    row.recipients = [Recipient(position=0, kind="region", code="298", vocabulary="1")]
    session.flush()


def _sitemap_statements(client, db_session) -> tuple[int, int]:
    db_session.expunge_all()
    g.pop("dataset_is_sample", None)
    with counted_statements() as statements:
        response = client.get("/sitemap.xml")
    assert response.status_code == 200
    return len(statements), len(entries_of(etree.fromstring(response.get_data())))


def test_sitemap_reads_the_database_a_fixed_number_of_times(client, db_session, public_host):
    factories.country_with_outcomes(db_session, "MLI", "ML", "Mali", outcome_count=2)
    db_session.commit()
    few, few_entries = _sitemap_statements(client, db_session)
    factories.country_with_outcomes(db_session, "SEN", "SN", "Senegal", outcome_count=12)
    factories.country_with_outcomes(db_session, "NER", "NE", "Niger", outcome_count=5)
    _region_outcome(db_session, "9.1")
    db_session.commit()
    many, many_entries = _sitemap_statements(client, db_session)
    assert many_entries > few_entries + 3 * (2 * 4 + 12 + 5)
    assert few == many
    assert few <= 6  # every place (3), the countries, the outcomes, the data version


@pytest.mark.parametrize(
    "path", ["/sitemap-0.xml", "/sitemap-01.xml", "/sitemap-2.xml", "/sitemap-MLI.xml"]
)
def test_only_existing_sitemaps_are_found(client, db_session, public_host, path):
    assert client.get(path).status_code == 404
