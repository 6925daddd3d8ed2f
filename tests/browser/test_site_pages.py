"""Every page of the sample site, in every language, answers and passes the page checker."""

from __future__ import annotations

import pytest

from browser.site import PAGES_REFUSED_ON_PURPOSE, endpoint_of, routes_without_parameters
from portal.config import SUPPORTED_LANGUAGES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_every_reachable_page_answers_and_passes_the_page_checker(lang, site_crawls):
    crawl = site_crawls[lang]
    broken = [
        f"{page.url}: {page.status} (linked from {page.linked_from})"
        for page in crawl.pages.values()
        if page.is_broken
    ]
    problems = [
        f"{page.url}: {problem}" for page in crawl.pages.values() for problem in page.problems
    ]
    assert not broken, "broken links:\n" + "\n".join(broken)
    assert not problems, "page checker:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_pages_are_found_without_a_list_and_every_view_reaches_the_browser(
    lang, sample_site, site_crawls, browser_pages
):
    """A new page needs no edit to the tests: the crawl finds pages with parameters (country
    pages) through links, and the browser checks at least one page of every view found."""
    crawled_views = {endpoint_of(sample_site, page.url) for page in site_crawls[lang].html_pages()}
    route_views = {
        endpoint_of(sample_site, path) for path in routes_without_parameters(sample_site, lang)
    }
    assert crawled_views - route_views, "the crawl found no page beyond the parameterless routes"
    assert {endpoint_of(sample_site, path) for path in browser_pages[lang]} == crawled_views


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_the_crawl_checks_the_search_and_the_partner_pages(lang, sample_site, site_crawls):
    """Issue 20's pages are among the checked ones in every language: searches with results,
    an empty one (the header form as it stands), refused ones, the partner list and a partner's
    page."""
    pages = site_crawls[lang].pages
    answered = {url: page.status for url, page in pages.items() if page.mimetype == "text/html"}
    for url in (f"/{lang}/search/?q=mali", f"/{lang}/search/?q=donor", f"/{lang}/search/?q="):
        assert answered.get(url) == 200, (url, answered.get(url))
    for path in PAGES_REFUSED_ON_PURPOSE:
        url = path.format(lang=lang)
        assert 400 <= answered.get(url, 0) < 500, (url, answered.get(url))
    views = {endpoint_of(sample_site, page.url) for page in site_crawls[lang].html_pages()}
    assert {"partners.index", "partners.partner"} <= views
