"""The sitemap: every public page in every language, each with its language versions.

Each entry (a page in one language) lists the page's other languages as xhtml:link alternates,
so an entry is about a kilobyte in six languages; past URLS_PER_SITEMAP entries /sitemap.xml
becomes an index of numbered sitemaps, which keeps every file well under the protocol's limits
(50,000 URLs, 50 MB).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree
from sqlalchemy.orm import Session

from portal.config import SUPPORTED_LANGUAGES
from portal.countries.navigation import REGION_TABS, TABS
from portal.i18n import language_tag
from portal.links import site_url
from portal.seo import queries
from portal.seo.addresses import in_every_language, with_x_default

SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
URLS_PER_SITEMAP = 10_000
# Pages that are the same whatever the data: home, the lists, data quality, open data.
FIXED_PAGES = ("home.index", "countries.index", "regions.index", "quality.page", "api.open_data")


@dataclass(frozen=True)
class Page:
    """A page, whatever its language: its endpoint and its arguments but the language."""

    endpoint: str
    arguments: tuple[tuple[str, str], ...] = ()


def site_pages(session: Session) -> list[Page]:
    """Every page the sitemap lists, in a fixed order (five queries)."""
    places = queries.places_with_pages(session)
    pages = [Page(endpoint) for endpoint in FIXED_PAGES]
    pages += [Page(tab.endpoint, (("iso3", iso3),)) for iso3 in places.countries for tab in TABS]
    pages += [Page(tab.endpoint, (("key", key),)) for key in places.regions for tab in REGION_TABS]
    pages += [
        # The outcome page's own links name the plan period (portal.outcomes.views).
        Page("outcomes.outcome", (("identifier", identifier), ("plan_period", period)))
        for identifier, period in queries.outcome_addresses(session)
    ]
    return pages


def sitemap_count(pages: list[Page]) -> int:
    """How many numbered sitemaps the pages need (one: /sitemap.xml is the sitemap itself)."""
    return max(1, math.ceil(len(pages) * len(SUPPORTED_LANGUAGES) / URLS_PER_SITEMAP))


def _entries(pages: list[Page], number: int) -> Iterator[tuple[str, dict[str, str]]]:
    """(language, the page's address in every language) of each entry of sitemap `number`:
    entry n is page n // languages in language n % languages."""
    languages = len(SUPPORTED_LANGUAGES)
    first = (number - 1) * URLS_PER_SITEMAP
    last = min(first + URLS_PER_SITEMAP, len(pages) * languages)
    current, addresses = -1, {}
    for entry in range(first, last):
        index, position = divmod(entry, languages)
        if index != current:  # each page's addresses built once, for all its languages
            page = pages[index]
            current, addresses = index, in_every_language(page.endpoint, dict(page.arguments))
        yield SUPPORTED_LANGUAGES[position], addresses


def url_set(pages: list[Page], number: int = 1) -> bytes:
    """Sitemap `number` (from 1) of the pages, as XML."""
    root = etree.Element(
        f"{{{SITEMAP_NAMESPACE}}}urlset", nsmap={None: SITEMAP_NAMESPACE, "xhtml": XHTML_NAMESPACE}
    )
    for lang, addresses in _entries(pages, number):
        url = etree.SubElement(root, f"{{{SITEMAP_NAMESPACE}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NAMESPACE}}}loc").text = addresses[lang]
        for hreflang, address in with_x_default(addresses):
            etree.SubElement(
                url,
                f"{{{XHTML_NAMESPACE}}}link",
                rel="alternate",
                hreflang=language_tag(hreflang),
                href=address,
            )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def sitemap_index(count: int) -> bytes:
    """The index of the numbered sitemaps 1 to `count`."""
    root = etree.Element(f"{{{SITEMAP_NAMESPACE}}}sitemapindex", nsmap={None: SITEMAP_NAMESPACE})
    for number in range(1, count + 1):
        sitemap = etree.SubElement(root, f"{{{SITEMAP_NAMESPACE}}}sitemap")
        etree.SubElement(sitemap, f"{{{SITEMAP_NAMESPACE}}}loc").text = site_url(
            "seo.numbered_sitemap", external=True, number=number
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
