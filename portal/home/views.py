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
from portal.htmx import render_page_or_fragment
from portal.i18n import preferred_language
from portal.ledger.world import WorldLedger
from portal.partners import partner_address
from portal.regions.views import display_name

blueprint = Blueprint("home", __name__)
# The Download Data links: (extension, the format's name as people call it).
DOWNLOAD_FORMATS = (("csv", "CSV"), ("xlsx", "Excel (XLSX)"), ("json", "JSON"))


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
    overview = chosen_overview()
    return render_page_or_fragment(
        "home/index.html",
        "home/fragments/overview.html",
        overview=overview,
        world_map=shaded_world_map(overview) if overview else None,
        partner_link=partner_link,
        region_label=display_name,
        top_partners=overview_model.TOP_PARTNERS,
        download_formats=DOWNLOAD_FORMATS,
        canonical_query={"year": overview.year} if overview and "year" in request.args else {},
    )
