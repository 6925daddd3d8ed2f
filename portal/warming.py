"""`portal warm-cache`: render the pages most visitors open into the page cache, so that the
first visitors after an import do not wait for them (and, with a shared cache, no app server
does). Run after `portal import-iati` when the page cache is shared (PORTAL_CACHE_URL)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import click
from flask import Flask, url_for
from flask_babel import gettext as _

from portal.config import SUPPORTED_LANGUAGES
from portal.countries import queries as country_queries
from portal.extensions import db

# Pages are kept per encoding as first asked for: warm the one browsers ask for.
WARMING_HEADERS = {"Accept-Encoding": "br, gzip"}


def most_visited_pages(app: Flask) -> list[str]:
    """The home page, the country list and every country's Overview, in every language."""
    with app.app_context(), app.test_request_context():
        countries = country_queries.country_choices(db.session)
        db.session.remove()

        def pages(lang: str) -> Iterator[str]:
            yield url_for("home.index", lang=lang)
            yield url_for("countries.index", lang=lang)
            for country in countries:
                yield url_for("countries.overview", lang=lang, iso3=country.iso3)

        return [url for lang in SUPPORTED_LANGUAGES for url in pages(lang)]


def site_base_url(app: Flask) -> str:
    """Where visitors reach the site, as far as the page cache's key goes (the scheme; the
    host only has to be one the portal answers for): HTTPS where cookies are Secure."""
    host = app.config.get("SERVER_NAME") or next(iter(app.config.get("TRUSTED_HOSTS") or ()), None)
    scheme = "https" if app.config.get("SESSION_COOKIE_SECURE") else "http"
    return f"{scheme}://{host or 'localhost'}"


def warm_pages(
    app: Flask, urls: list[str], progress: Callable[[int], None] | None = None
) -> tuple[int, list[str]]:
    """Request each page through the app (and so through the page cache in front of it);
    returns how many answered 200 and the URLs that did not."""
    client = app.test_client()
    base_url = site_base_url(app)
    warmed, failed = 0, []
    for url in urls:
        # A context of its own: the command's (its language, `g`) is not the page's.
        with app.app_context():
            response = client.get(url, base_url=base_url, headers=WARMING_HEADERS)
            response.close()
        if response.status_code == 200:
            warmed += 1
        else:
            failed.append(f"{url} ({response.status_code})")
        if progress is not None:
            progress(1)
    return warmed, failed


def warm_with_progress(app: Flask) -> None:
    """Warm the page cache, with a progress bar, and say what was done."""
    urls = most_visited_pages(app)
    with click.progressbar(length=len(urls), label=_("Warming the page cache")) as bar:
        warmed, failed = warm_pages(app, urls, progress=bar.update)
    click.echo(_("Pages in the cache: %(count)d", count=warmed))
    for url in failed:
        click.echo(_("Not cached: %(page)s", page=url), err=True)


def cache_is_shared(app: Flask) -> bool:
    """Whether pages warmed by this process serve other processes (a Redis page cache)."""
    return bool(app.config.get("PORTAL_CACHE_ENABLED") and app.config.get("PORTAL_CACHE_URL"))
