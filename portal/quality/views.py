"""/<lang>/data-quality/: what looks wrong in the published data, by publisher and kind, and
every finding with a link to where it shows."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from portal.arguments import iso3_argument, single_argument, whole_number_argument
from portal.caching import cached_page
from portal.extensions import db
from portal.links import this_page_url
from portal.pagination import check_page_number, page_count_of
from portal.quality import queries
from portal.quality.kinds import KINDS

blueprint = Blueprint("quality", __name__, url_prefix="/<lang>/data-quality")


def country_argument() -> str | None:
    """The country whose findings are listed (empty: all)."""
    return iso3_argument("country", empty_means_none=True)


def kind_argument() -> str | None:
    """The kind of findings listed (empty: all)."""
    chosen = (single_argument("kind") or "").strip() or None
    if chosen is not None and chosen not in KINDS:
        abort(400)
    return chosen


@blueprint.get("/")
@cached_page
def page():
    country = country_argument()
    kind = kind_argument()
    page_number = whole_number_argument("page") or 1
    total = queries.count_findings(db.session, country, kind)
    per_page = queries.FINDINGS_PER_PAGE
    page_count = page_count_of(total, per_page)

    def page_url(number: int) -> str:
        return this_page_url(page=str(number))

    check_page_number(page_number, page_count, page_url)
    findings = queries.findings_slice(
        db.session, country, kind, (page_number - 1) * per_page, per_page
    )
    return render_template(
        "quality/page.html",
        counts=queries.counts_by_publisher(db.session),
        countries=queries.countries_with_findings(db.session),
        kinds=KINDS,
        country=country,
        kind=kind,
        findings=findings,
        total=total,
        page_number=page_number,
        page_count=page_count,
        page_url=page_url,
    )
