"""The home page: the organisation's global overview for a year.

The year is a query argument (`?year=2023`) chosen with a plain GET form; with HTMX the form
swaps only the overview (`#overview`). The figures are the sums of the country and region
pages' figures for the year (portal.ledger.world); the page is cached per data version.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, redirect, request, url_for

from portal import fragments, ledger
from portal.arguments import whole_number_argument
from portal.caching import cached_page
from portal.extensions import db
from portal.home import overview as overview_model
from portal.home.maps import shaded_world_map
from portal.htmx import render_page_or_fragment, wants_fragment
from portal.i18n import preferred_language
from portal.ledger.world import WorldLedger
from portal.pagination import page_of
from portal.partners import partner_address
from portal.regions.views import display_name

blueprint = Blueprint("home", __name__)
# The Download Data links: (extension, the format's name as people call it).
DOWNLOAD_FORMATS = (("csv", "CSV"), ("xlsx", "Excel (XLSX)"), ("json", "JSON"))
# Rows of the countries table a page shows (the map links every country on every page): with
# all of them the page of a large organisation weighs over the 150 KB a page may (issue 16).
COUNTRIES_PER_PAGE = 10
# The region a countries-table page link swaps (templates/home/_overview.html): its answer is
# the table alone, without the map or the Strategic Plan view.
COUNTRIES_REGION = "overview-countries-list"


@blueprint.get("/")
def root():
    """Send the visitor to their language's home page."""
    response = redirect(url_for("home.index", lang=preferred_language()))
    response.vary.add("Accept-Language")
    return response


def world_ledger() -> WorldLedger:
    """Every place's ledger (four queries), kept in this worker until the next import."""
    return fragments.kept_here(
        "world-ledger", "", lambda: WorldLedger(ledger.every_place_ledger(db.session))
    )


def chosen_overview(*, strategic: bool = True) -> overview_model.Overview | None:
    """The overview of the year asked for (`?year=`), else of the default year; None when no
    data is imported; 404 for a year without any activity, 400 for a year that is none."""
    requested = whole_number_argument("year")
    world = world_ledger()
    if not world.years:
        if requested is not None:
            abort(404)
        return None
    year = requested if requested is not None else world.default_year(dt.date.today())
    if year not in world.years:
        abort(404)
    return overview_model.overview(
        db.session, world, year, preferred_language(), strategic=strategic
    )


def partner_link(partner) -> str | None:
    """The partner's page, once partner pages exist."""
    if "partners.partner" not in current_app.view_functions:
        return None
    address = partner_address(partner.ref, partner.name)
    return url_for("partners.partner", address=address) if address else None


@blueprint.get("/<lang>/")
@cached_page
def index():
    table_only = wants_fragment() and request.htmx.target == COUNTRIES_REGION
    overview = chosen_overview(strategic=not table_only)
    page_number = whole_number_argument("page") or 1
    canonical_query = {"year": overview.year} if overview and "year" in request.args else {}

    def countries_page_url(number: int) -> str:
        return url_for("home.index", year=overview.year, page=number if number > 1 else None)

    countries = None
    if overview is not None:
        countries = page_of(overview.countries, page_number, COUNTRIES_PER_PAGE, countries_page_url)
        if page_number > 1:
            canonical_query = {"year": overview.year, "page": page_number}
    elif page_number > 1:
        abort(404)
    return render_page_or_fragment(
        "home/index.html",
        "home/fragments/overview.html",
        fragments_by_target={COUNTRIES_REGION: "home/fragments/countries.html"},
        overview=overview,
        countries=countries,
        countries_page_url=countries_page_url,
        world_map=shaded_world_map(overview) if overview and not table_only else None,
        partner_link=partner_link,
        region_label=display_name,
        top_partners=overview_model.TOP_PARTNERS,
        most_outcomes=overview_model.most_outcomes,
        most_groups=overview_model.MOST_GROUPS,
        download_formats=DOWNLOAD_FORMATS,
        canonical_query=canonical_query,
    )
