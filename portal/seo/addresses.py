"""A page's absolute address in each language: its canonical link, its hreflang alternates and
the sitemap's entries are built here, the same way.

A page states the query it really shows (`canonical_query`, from the state the view worked out:
a year asked for, page 2, a group), never the request's own query; its path arguments are the
route's. Addresses are absolute on a configured host only (portal.links.site_url): the request's
Host is never written into a page, and the scheme is the one the reverse proxy reports
(portal.reverse_proxy), so HTTPS visitors get https:// addresses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from flask import current_app, request

from portal.config import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from portal.i18n import preferred_language
from portal.links import QUERY_NAMES, site_url

X_DEFAULT = "x-default"


@dataclass(frozen=True)
class PageAddresses:
    """The page's own address, and (hreflang, address) of every language version, then the
    x-default (the English page)."""

    canonical: str
    alternates: tuple[tuple[str, str], ...]


def route_arguments(endpoint: str) -> frozenset[str]:
    return frozenset(
        argument for rule in current_app.url_map.iter_rules(endpoint) for argument in rule.arguments
    )


def in_every_language(endpoint: str, arguments: Mapping[str, object]) -> dict[str, str]:
    """{language: address} of a page, every supported language in order."""
    return {
        lang: site_url(endpoint, external=True, **arguments, lang=lang)
        for lang in SUPPORTED_LANGUAGES
    }


def with_x_default(addresses: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return (*addresses.items(), (X_DEFAULT, addresses[DEFAULT_LANGUAGE]))


def canonical_query(endpoint: str, query: Mapping[str, object]) -> dict[str, str]:
    """The query as the page stated it, without empty values, names the portal does not read
    or names the route takes as path arguments."""
    path_arguments = route_arguments(endpoint)
    return {
        name: str(value)
        for name, value in query.items()
        if value is not None and name in QUERY_NAMES and name not in path_arguments
    }


def page_addresses(query: Mapping[str, object] | None = None) -> PageAddresses | None:
    """The current page's addresses with `query` (the page's own, in canonical form); None for
    a page that exists in one language only (the operator's)."""
    endpoint = request.endpoint
    if endpoint is None or "lang" not in route_arguments(endpoint):
        return None
    arguments = {**canonical_query(endpoint, query or {}), **(request.view_args or {})}
    addresses = in_every_language(endpoint, arguments)
    return PageAddresses(addresses[preferred_language()], with_x_default(addresses))


def query_of(address: str) -> dict[str, str]:
    """The query of an address a page built for its own state (CountryPageState.url()); an
    empty value stays (`plan_period=` is the outcome without a plan period)."""
    return dict(parse_qsl(urlsplit(address).query, keep_blank_values=True))
