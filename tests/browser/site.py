"""The portal as the browser tests see it: the sample database, a live server, and its pages.

The checked pages are found, not listed: every GET route without required parameters in every
language, plus whatever a visitor reaches by following links and submitting GET forms from the
home pages. A new page is therefore checked as soon as something links to it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import lxml.html
from flask import Flask
from lxml.html import HtmlElement
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from portal.config import SUPPORTED_LANGUAGES
from quality.page_checker import response_problems

PORTAL_COMMAND = Path(sys.executable).with_name("portal")
PAGES_PER_LANGUAGE_IN_THE_BROWSER = 20
CRAWL_LIMIT_PER_LANGUAGE = 300
SKIPPED_PATH_PREFIXES = ("/static/",)
# Pages with URL parameters that no page links to (yet): the crawl starts from these too.
# "{lang}" stands for each language, e.g. "/{lang}/countries/MLI/progress?page=2".
PAGES_NOTHING_LINKS_TO: tuple[str, ...] = (
    # Reached only by sending a problem report (a POST the crawl does not make).
    "/{lang}/report-a-problem/thanks/country/MLI",
    # Searches, which the header form sends with the words a visitor types (the crawl sends it
    # empty): Mali (a place in English, French and Spanish, and outcomes over two pages in
    # every language) and a word of two funding partners' names (links to partner pages).
    "/{lang}/search/?q=mali",
    "/{lang}/search/?q=donor",
)
# Pages that refuse what they were asked with a client error (4xx) and a page that says why:
# checked like the others, and not counted as broken links.
PAGES_REFUSED_ON_PURPOSE: tuple[str, ...] = (
    # A search longer than the field allows, and one with no letter or digit to look for.
    "/{lang}/search/?q=" + "x" * 201,
    "/{lang}/search/?q=%2A%2A%2A+--",
)


class SampleDatabaseError(RuntimeError):
    """`portal sample` could not build the database the browser tests run on."""


def build_sample_database(directory: Path) -> str:
    """Run `portal sample` into a fresh SQLite file, as `make run` does; return its URL."""
    url = f"sqlite:///{directory / 'sample.sqlite3'}"
    environment = {
        **os.environ,
        "PORTAL_DATABASE_URL": url,
        "PORTAL_SECRET_KEY": "test",
        "PORTAL_INSTANCE_PATH": str(directory),
        "PORTAL_ENV": "development",
    }
    result = subprocess.run(
        [str(PORTAL_COMMAND), "sample"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise SampleDatabaseError(
            f"`{PORTAL_COMMAND} sample` failed ({result.returncode}):\n"
            f"{result.stdout}{result.stderr}"
        )
    return url


class _QuietRequestHandler(WSGIRequestHandler):
    def log_request(self, code="-", size="-") -> None:
        """Keep the test output for failures, not one line per request."""


class LiveServer:
    """The app served over HTTP on a free loopback port, in a background thread."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._server: BaseWSGIServer = make_server(
            "127.0.0.1", 0, app, threaded=True, request_handler=_QuietRequestHandler
        )
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


def endpoint_of(app: Flask, url: str) -> str:
    """The view that answers a URL, or a stand-in for a redirect or an unknown address."""
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(urlsplit(url).path, method="GET")
    except RequestRedirect:
        return "(redirect)"
    except HTTPException:
        return "(no route)"
    return endpoint


def route_key(app: Flask, url: str) -> str:
    """What kind of page a URL is: its endpoint and the query parameters it uses."""
    query = urlsplit(url).query
    query_names = sorted({pair.split("=", 1)[0] for pair in query.split("&") if pair})
    endpoint = endpoint_of(app, url)
    return f"{endpoint}?{'&'.join(query_names)}" if query_names else endpoint


# Routes that answer 404 unless the public host is configured (PORTAL_SERVER_NAME or
# PORTAL_TRUSTED_HOSTS): a sitemap must name absolute addresses, and the request's Host is never
# written into one (tests/seo checks them on a configured host).
NEED_A_CONFIGURED_HOST = {"seo.sitemap"}


def routes_without_parameters(app: Flask, lang: str) -> list[str]:
    """Every GET route a visitor can open without choosing anything but the language."""
    paths: list[str] = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "GET" not in (rule.methods or ()):
            continue
        if rule.endpoint in NEED_A_CONFIGURED_HOST and not (
            app.config.get("SERVER_NAME") or app.config.get("TRUSTED_HOSTS")
        ):
            continue
        required = set(rule.arguments) - set(rule.defaults or {})
        if required == {"lang"}:
            paths.append(rule.build({"lang": lang}, append_unknown=False)[1])
        elif not required and lang == SUPPORTED_LANGUAGES[0]:
            paths.append(rule.build({}, append_unknown=False)[1])
    return sorted(set(paths))


@dataclass
class CrawledPage:
    """One URL the crawl opened, what it answered and where it was linked from."""

    url: str
    status: int
    mimetype: str
    linked_from: str
    problems: list[str] = field(default_factory=list)
    refused_on_purpose: bool = False

    @property
    def is_broken(self) -> bool:
        """An error answer, but for the client error of a page refused on purpose."""
        if self.refused_on_purpose:
            return not 400 <= self.status < 500
        return self.status >= 400

    @property
    def is_html_page(self) -> bool:
        return self.status == 200 and self.mimetype == "text/html"


@dataclass
class SiteCrawl:
    """Every page reached from a language's entry points with the Flask test client."""

    lang: str
    pages: dict[str, CrawledPage] = field(default_factory=dict)

    def html_pages(self) -> list[CrawledPage]:
        return [page for page in self.pages.values() if page.is_html_page]


def crawl_language(
    app: Flask,
    lang: str,
    limit: int = CRAWL_LIMIT_PER_LANGUAGE,
    auth: tuple[str, str] | None = None,
) -> SiteCrawl:
    """Open the language's pages breadth-first, new kinds of page before more of the same.

    Links and GET forms are followed while they stay in the language's URL prefix; each HTML
    answer is run through the page checker and its problems kept on the page.
    """
    crawl = SiteCrawl(lang)
    client = app.test_client()
    client.check_html = False
    frontier = Frontier(app)
    for path in routes_without_parameters(app, lang):
        frontier.add(path, linked_from="(route without parameters)")
    for path in PAGES_NOTHING_LINKS_TO:
        frontier.add(path.format(lang=lang), linked_from="(PAGES_NOTHING_LINKS_TO)")
    refused = {path.format(lang=lang) for path in PAGES_REFUSED_ON_PURPOSE}
    for path in sorted(refused):
        frontier.add(path, linked_from="(PAGES_REFUSED_ON_PURPOSE)")
    while len(crawl.pages) < limit and (next_url := frontier.pop()) is not None:
        url, linked_from = next_url
        response = client.get(url, auth=auth)
        # Read streamed answers (downloads) to the end now, while their context is current.
        response.get_data()
        response.close()
        page = CrawledPage(
            url,
            response.status_code,
            response.mimetype,
            linked_from,
            refused_on_purpose=url in refused,
        )
        crawl.pages[url] = page
        if 300 <= response.status_code < 400 and "Location" in response.headers:
            target = _same_site_path(urljoin(url, response.headers["Location"]))
            if target:
                frontier.add(target, linked_from=url)
            continue
        if response.mimetype != "text/html":
            continue
        page.problems = response_problems(response, {}, urlsplit(url).path)
        for target in links_and_form_submissions(url, response.get_data(as_text=True)):
            if target.startswith(f"/{lang}/") and target not in crawl.pages:
                frontier.add(target, linked_from=url)
    return crawl


def links_and_form_submissions(page_url: str, html: str) -> Iterator[str]:
    """Same-site paths a visitor can reach from a page: links, and GET forms as submitted."""
    if not html.strip():
        return
    root = lxml.html.document_fromstring(html)
    for link in root.iter("a", "area"):
        href = link.get("href")
        path = _same_site_path(urljoin(page_url, href)) if href is not None else None
        if path:
            yield path
    for form in root.iter("form"):
        if (form.get("method") or "get").lower() == "get":
            path = _same_site_path(urljoin(page_url, form.get("action") or page_url))
            if path:
                query = urlencode(list(form_submission_fields(form)))
                yield f"{path.split('?', 1)[0]}?{query}" if query else path.split("?", 1)[0]


def form_submission_fields(form: HtmlElement) -> Iterable[tuple[str, str]]:
    """What the browser sends for a form left as it is, with each select on its first option."""
    for control in form.iter("input", "select", "textarea"):
        name = control.get("name")
        if not name or control.get("disabled") is not None:
            continue
        if control.tag == "select":
            first = next(control.iter("option"), None)
            if first is not None:
                yield name, first.get("value", first.text_content().strip())
        elif control.tag == "textarea":
            yield name, control.text_content()
        else:
            kind = (control.get("type") or "text").lower()
            if kind in {"submit", "button", "reset", "image", "file"}:
                continue
            if kind in {"checkbox", "radio"} and control.get("checked") is None:
                continue
            yield name, control.get("value", "on" if kind in {"checkbox", "radio"} else "")


def _same_site_path(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in {"", "http", "https"} or parts.netloc not in {"", "localhost"}:
        return None
    if parts.path.startswith(SKIPPED_PATH_PREFIXES):
        return None
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


class Frontier:
    """URLs waiting to be opened; the kind of page opened least so far goes first."""

    def __init__(self, app: Flask) -> None:
        self._app = app
        self._waiting: dict[str, deque[tuple[str, str]]] = defaultdict(deque)
        self._seen: set[str] = set()
        self._opened: dict[str, int] = defaultdict(int)

    def add(self, url: str, linked_from: str) -> None:
        if url not in self._seen:
            self._seen.add(url)
            self._waiting[route_key(self._app, url)].append((url, linked_from))

    def pop(self) -> tuple[str, str] | None:
        kinds = [kind for kind, queue in self._waiting.items() if queue]
        if not kinds:
            return None
        kind = min(kinds, key=lambda name: self._opened[name])
        self._opened[kind] += 1
        return self._waiting[kind].popleft()


def pages_for_the_browser(
    app: Flask, crawl: SiteCrawl, limit: int = PAGES_PER_LANGUAGE_IN_THE_BROWSER
) -> list[str]:
    """A sample of the crawled HTML pages: one of every view whatever `limit` says, then,
    up to `limit`, one of each kind (view and query parameters) at a path not sampled yet,
    so that the sample spreads over countries as well as over kinds of page."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for page in crawl.html_pages():
        by_kind[route_key(app, page.url)].append(page.url)
    chosen = one_page_per_view(app, [urls[0] for urls in by_kind.values()])
    views = len(chosen)
    while len(chosen) < limit:
        added = False
        for urls in by_kind.values():
            sampled_paths = {urlsplit(url).path for url in chosen}
            candidates = [url for url in urls if url not in chosen]
            if candidates and len(chosen) < limit:
                fresh = [url for url in candidates if urlsplit(url).path not in sampled_paths]
                chosen.append((fresh or candidates)[0])
                added = True
        if not added:
            break
    return chosen[: max(limit, views)]


def one_page_per_view(app: Flask, paths: list[str]) -> list[str]:
    """The first of `paths` for each view: where checking one page of a view is enough."""
    first: dict[str, str] = {}
    for path in paths:
        first.setdefault(endpoint_of(app, path), path)
    return list(first.values())
