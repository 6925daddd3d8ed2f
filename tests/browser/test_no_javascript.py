"""Without JavaScript the whole site still works: every link answers, every GET form submits."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from browser.site import (
    PAGES_NOTHING_LINKS_TO,
    SKIPPED_PATH_PREFIXES,
    CrawledPage,
    Frontier,
    LiveServer,
    endpoint_of,
)
from portal.config import SUPPORTED_LANGUAGES

pytestmark = pytest.mark.browser

PAGES_OPENED_PER_LANGUAGE = 24
LINKS_CHECKED_PER_LANGUAGE = 600
SUBMIT_BUTTONS = (
    "button:not([type=button]):not([type=reset]), input[type=submit], input[type=image]"
)


class ScriptlessCrawl:
    """A visitor without JavaScript: opens pages, checks every link, submits every GET form."""

    def __init__(
        self,
        context: BrowserContext,
        app: Flask,
        base_url: str,
        lang: str,
        known_pages: Mapping[str, CrawledPage] | None = None,
    ) -> None:
        """`known_pages`: what the test-client crawl already got for a path; links to those
        are not requested again."""
        self.known_pages = known_pages or {}
        self.context = context
        self.app = app
        self.base_url = base_url
        self.lang = lang
        self.page = context.new_page()
        self.downloads: list[str] = []
        self.page.on("download", lambda download: self.downloads.append(download.url))
        self.failures: list[str] = []
        self.opened: list[str] = []
        self.checked_links: dict[str, str] = {}
        self.submitted_forms: set[tuple] = set()
        self._frontier = Frontier(app)

    def run(self, start: list[str]) -> None:
        for path in start:
            self._frontier.add(path, "(start)")
        while len(self.opened) < PAGES_OPENED_PER_LANGUAGE and (item := self._frontier.pop()):
            self._open(*item)

    def _open(self, path: str, linked_from: str) -> None:
        self.opened.append(path)
        try:
            response = self.page.goto(path)
        except PlaywrightError as error:
            if "Download is starting" in error.message:
                self.opened.remove(path)  # a file, not a page; its link was checked
                return
            self.failures.append(f"{path} (linked from {linked_from}) did not open: {error}")
            return
        if response is None or response.status != 200:
            status = response.status if response else "no response"
            self.failures.append(f"{path} answers {status} (linked from {linked_from})")
            return
        if "text/html" not in (response.headers.get("content-type") or ""):
            return
        here = self._path(self.page.url) or path
        for href in self.page.locator("a[href], area[href]").evaluate_all(
            "links => links.map((link) => link.getAttribute('href'))"
        ):
            target = self._path(urljoin(self.base_url + here, href))
            if target is None:
                continue
            mimetype = self._check_link(target, here)
            if target.startswith(f"/{self.lang}/") and mimetype == "text/html":
                self._frontier.add(target, here)
        self._submit_forms(here)

    def _check_link(self, target: str, linked_from: str) -> str | None:
        """The link's status must be 200; returns its media type (None once over the cap)."""
        if target in self.checked_links:
            return self.checked_links[target]
        if len(self.checked_links) >= LINKS_CHECKED_PER_LANGUAGE:
            return None
        known = self.known_pages.get(target)
        if known is not None and known.status == 200:
            status, mimetype = known.status, known.mimetype
        else:
            response = self.context.request.get(target)
            status = response.status
            mimetype = (response.headers.get("content-type") or "").split(";")[0].strip()
        self.checked_links[target] = mimetype
        if status != 200:
            self.failures.append(f"broken link on {linked_from}: {target} answers {status}")
        return mimetype

    def _submit_forms(self, here: str) -> None:
        forms = self.page.locator("form")
        for index in range(forms.count()):
            form = forms.nth(index)
            if (form.get_attribute("method") or "get").lower() != "get":
                continue
            fields = form.locator("[name]").evaluate_all(
                "controls => controls.map((control) => control.name).sort()"
            )
            action = urlsplit(urljoin(self.base_url + here, form.get_attribute("action") or ""))
            signature = (endpoint_of(self.app, here), endpoint_of(self.app, action.path), *fields)
            if signature in self.submitted_forms:
                continue
            self.submitted_forms.add(signature)
            self._submit(form, here)
            self.page.goto(here)
            forms = self.page.locator("form")

    def _submit(self, form, here: str) -> None:
        selects = form.locator("select")
        for index in range(selects.count()):
            if selects.nth(index).locator("option").count():
                selects.nth(index).select_option(index=0)
        button = form.locator(SUBMIT_BUTTONS).first
        if not button.count():
            self.failures.append(f"a GET form on {here} has no submit button (needs JavaScript)")
            return
        downloads = len(self.downloads)
        try:
            with self.page.expect_navigation() as navigation:
                button.click(timeout=5000)
        except PlaywrightError as error:
            if len(self.downloads) > downloads:
                self._check_link(self._path(self.downloads[-1]) or self.downloads[-1], here)
                return
            self.failures.append(f"a GET form on {here} does not submit: {error}")
            return
        response = navigation.value
        if response is None or response.status != 200:
            status = response.status if response else "no response"
            self.failures.append(f"a GET form on {here} answers {status} at {self.page.url}")

    def _path(self, url: str) -> str | None:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.base_url:
            return None
        if parts.path.startswith(SKIPPED_PATH_PREFIXES):
            return None
        return f"{parts.path}?{parts.query}" if parts.query else parts.path


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_without_javascript_every_link_and_get_form_works(
    lang, scriptless_context, sample_site, live_server, site_crawls
):
    known_pages = {url: page for crawl in site_crawls.values() for url, page in crawl.pages.items()}
    crawl = ScriptlessCrawl(scriptless_context, sample_site, live_server.url, lang, known_pages)
    start = ["/", f"/{lang}/"] if lang == SUPPORTED_LANGUAGES[0] else [f"/{lang}/"]
    # Besides the links: the pages reached by typing or posting (searches with results), and
    # the partner list, which the crawl would otherwise only check as a link.
    start += [path.format(lang=lang) for path in PAGES_NOTHING_LINKS_TO]
    start.append(f"/{lang}/partners/")
    crawl.run(start)
    assert crawl.opened, "the crawl opened no page"
    opened_views = {endpoint_of(sample_site, path) for path in crawl.opened}
    assert {"search.search", "partners.index", "partners.partner"} <= opened_views, crawl.opened
    assert not crawl.failures, (
        f"after opening {len(crawl.opened)} pages and checking {len(crawl.checked_links)} "
        "links:\n" + "\n".join(crawl.failures)
    )


def test_the_scriptless_browser_really_has_no_javascript(scriptless_context):
    page: Page = scriptless_context.new_page()
    page.set_content(
        "<p id='state'>off</p><script>document.getElementById('state').textContent='on'</script>"
    )
    assert page.text_content("#state") == "off"


def test_the_crawl_catches_broken_links_and_forms(chromium):
    """A site with a dead link, a form that needs JavaScript and a form that fails."""
    app = Flask(__name__)

    @app.get("/en/")
    def home():
        return (
            "<!doctype html><html lang='en'><body><main><h1>Home</h1>"
            "<a href='/en/gone'>Gone</a>"
            "<form action='/en/search'><input name='q' aria-label='Search'></form>"
            "<form action='/en/fails'><select name='year' aria-label='Year'>"
            "<option>2023</option></select><button>Show</button></form>"
            "</main></body></html>"
        )

    @app.get("/en/fails")
    def fails():
        return "<p>Error</p>", 500

    with LiveServer(app) as server:
        context = chromium.new_context(base_url=server.url, java_script_enabled=False)
        crawl = ScriptlessCrawl(context, app, server.url, "en")
        crawl.run(["/en/"])
        context.close()
    assert crawl.failures == [
        "broken link on /en/: /en/gone answers 404",
        "a GET form on /en/ has no submit button (needs JavaScript)",
        "a GET form on /en/ answers 500 at " + server.url + "/en/fails?year=2023",
        "/en/gone answers 404 (linked from /en/)",
    ]
