"""Links built from the request: only the view's own arguments and the query names the portal's
pages and API accept ever reach `url_for`, and absolute links use a configured host only.

`url_for` treats some names specially (`_method`, `_external`, `_scheme`, `_anchor`, and
any view argument such as `iso3`); passing the request's query through would let a visitor
choose the scheme, host, fragment or path of the links a page (and every cached copy of it)
shows. Hence one list of accepted query names, read here, by the page cache's key and by the
fuzz test.
"""

from __future__ import annotations

from flask import current_app, request, url_for

# Every query name a page, fragment, download or API answer reads. Other names are ignored
# when links are built and make a response uncacheable.
PAGE_QUERY_NAMES = frozenset(
    {"year", "page", "view", "group", "plan_period", "return", "country", "kind"}
)
API_QUERY_NAMES = frozenset({"year", "page", "per_page", "plan_period", "lang", "country", "kind"})
QUERY_NAMES = PAGE_QUERY_NAMES | API_QUERY_NAMES


def accepted_query(endpoint: str | None = None) -> dict[str, str]:
    """The request's query values a link to this page may keep: accepted names only, never a
    name the endpoint's route takes as a path argument, the first value of each."""
    endpoint = endpoint or request.endpoint
    route_arguments = {
        argument for rule in current_app.url_map.iter_rules(endpoint) for argument in rule.arguments
    }
    return {
        name: value
        for name, value in request.args.items()
        if name in QUERY_NAMES and name not in route_arguments
    }


def this_page_url(external: bool = False, **overrides: str) -> str:
    """The current page with its own path arguments and accepted query, changed by
    `overrides` (e.g. lang="fr", page="2")."""
    values = {**accepted_query(), **(request.view_args or {}), **overrides}
    return site_url(request.endpoint, external=external, **values)


def site_url(endpoint: str, external: bool = False, **values) -> str:
    """`url_for`, absolute only on a configured host (PORTAL_SERVER_NAME, or a request Host
    that PORTAL_TRUSTED_HOSTS vouched for); else the path alone, never the request's Host."""
    if external and host_is_configured():
        return url_for(endpoint, _external=True, **values)
    return url_for(endpoint, **values)


def host_is_configured() -> bool:
    config = current_app.config
    return bool(config.get("SERVER_NAME") or config.get("TRUSTED_HOSTS"))
