"""Fixtures for the browser tests: the sample site served live, its pages, and Chromium.

Chromium is Debian's (/usr/bin/chromium), driven by Playwright; nothing is downloaded. Without
it the browser tests are skipped loudly, except in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright

from browser.browsing import axe_source
from browser.site import (
    LiveServer,
    SiteCrawl,
    build_sample_database,
    crawl_language,
    pages_for_the_browser,
)
from portal import create_app
from portal.config import SUPPORTED_LANGUAGES
from portal.extensions import db
from quality.page_checker import CheckedClient

CHROMIUM = Path(os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGUMENTS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# The operator's pages (survey results) need a token; the checked site has one, so that
# those pages are crawled and checked like the public ones.
OPERATOR_TOKEN = "browser-tests-operator"
OPERATOR = {"username": "operator", "password": OPERATOR_TOKEN}
NOTICES: list[str] = []


def pytest_terminal_summary(terminalreporter) -> None:
    for notice in NOTICES:
        headline, _, details = notice.partition("\n")
        terminalreporter.write_sep("!", headline, red=True, bold=True)
        if details:
            terminalreporter.write_line(details.strip(), red=True)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Iterator[Flask]:
    """The portal on a database built by `portal sample`, as a visitor of `make run` sees it."""
    directory = tmp_path_factory.mktemp("sample-site")
    database_url = build_sample_database(directory)
    app = create_app(
        {
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "PORTAL_INSTANCE_PATH": str(directory),
            "PORTAL_ENV": "development",
            "PORTAL_ADMIN_TOKEN": OPERATOR_TOKEN,
        }
    )
    app.test_client_class = CheckedClient
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def site_crawls(sample_site) -> dict[str, SiteCrawl]:
    """Each language's pages as reached with the test client (cheap, so it goes wide)."""
    operator = ("operator", OPERATOR_TOKEN)
    return {lang: crawl_language(sample_site, lang, auth=operator) for lang in SUPPORTED_LANGUAGES}


@pytest.fixture(scope="session")
def browser_pages(sample_site, site_crawls) -> dict[str, list[str]]:
    """Per language, the pages the browser checks: every kind of page, then more of each."""
    return {lang: pages_for_the_browser(sample_site, crawl) for lang, crawl in site_crawls.items()}


@pytest.fixture(scope="session")
def live_server(sample_site) -> Iterator[LiveServer]:
    with LiveServer(sample_site) as server:
        yield server


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        message = (
            f"BROWSER TESTS NOT RUN: no Chromium at {CHROMIUM} "
            f"(`apt-get install chromium`; found on PATH: {shutil.which('chromium')})"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        NOTICES.append(message)
        pytest.skip(message)
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def chromium(playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGUMENTS
    )
    yield browser
    browser.close()


@pytest.fixture
def scripted_context(chromium, live_server) -> Iterator[BrowserContext]:
    """A JavaScript-enabled browser on the live site, with axe-core loaded in every page."""
    context = chromium.new_context(base_url=live_server.url, http_credentials=OPERATOR)
    context.add_init_script(script=axe_source())
    yield context
    context.close()


@pytest.fixture
def narrow_context(chromium, live_server) -> Iterator[BrowserContext]:
    """A phone-narrow browser: 320 CSS px, the width WCAG's reflow criterion names."""
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 320, "height": 640},
        http_credentials=OPERATOR,
    )
    yield context
    context.close()


@pytest.fixture
def scriptless_context(chromium, live_server) -> Iterator[BrowserContext]:
    """A browser with JavaScript switched off."""
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    yield context
    context.close()
