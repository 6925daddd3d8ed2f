"""/robots.txt and /sitemap.xml (with /sitemap-<n>.xml when the site outgrows one sitemap).

Both name the site by its configured host only (PORTAL_SERVER_NAME or PORTAL_TRUSTED_HOSTS, as
every absolute link does): without one there is no absolute address to give, so robots.txt names
no sitemap and the sitemap is not found. Both are kept by the page cache like any page.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, request, url_for

from portal.caching import cached_page
from portal.config import SUPPORTED_LANGUAGES
from portal.extensions import db
from portal.links import host_is_configured, site_url
from portal.seo import sitemap

blueprint = Blueprint("seo", __name__)

SITEMAP_NUMBER = re.compile(r"[1-9][0-9]{0,5}")
# The operator's pages (portal.operator): survey results, problem reports.
OPERATOR_PREFIX = "/admin/"


def _robots_lines() -> list[str]:
    """Everything public may be crawled (nothing says otherwise); not the survey past its first
    page (per visitor, answered by POST), the problem report forms (one per record, sent by
    POST) or the operator's pages. Each Allow comes before the Disallow it narrows, for the
    crawlers that take the first matching line rather than the longest (RFC 9309)."""
    lines = ["User-agent: *", f"Disallow: {request.script_root}{OPERATOR_PREFIX}"]
    for lang in SUPPORTED_LANGUAGES:
        survey = url_for("survey.intro", lang=lang)
        lines += [
            f"Allow: {survey}$",
            f"Disallow: {survey}",
            f"Disallow: {url_for('home.index', lang=lang)}report-a-problem/",
        ]
    if host_is_configured():
        lines += ["", f"Sitemap: {site_url('seo.sitemap', external=True)}"]
    return lines


@blueprint.get("/robots.txt")
@cached_page
def robots() -> Response:
    return Response("\n".join(_robots_lines()) + "\n", mimetype="text/plain")


def _xml(body: bytes) -> Response:
    return Response(body, mimetype="application/xml")


@blueprint.get("/sitemap.xml", endpoint="sitemap")
@cached_page
def sitemap_xml() -> Response:
    """The sitemap itself, or the index of the numbered sitemaps when one would be too big."""
    if not host_is_configured():
        abort(404)
    pages = sitemap.site_pages(db.session)
    count = sitemap.sitemap_count(pages)
    if count == 1:
        return _xml(sitemap.url_set(pages))
    return _xml(sitemap.sitemap_index(count))


# Any text where the number goes is this route's to refuse: another route would answer it with
# a redirect to an address built from the request's Host.
@blueprint.get("/sitemap-<number>.xml")
@cached_page
def numbered_sitemap(number: str) -> Response:
    if not host_is_configured() or not SITEMAP_NUMBER.fullmatch(number):
        abort(404)
    pages = sitemap.site_pages(db.session)
    if int(number) > sitemap.sitemap_count(pages):
        abort(404)
    return _xml(sitemap.url_set(pages, int(number)))
