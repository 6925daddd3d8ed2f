"""Region pages: the list of regions with regional and global activities, and each region's
four tabs (the country page's templates and reads, without country facts or a map)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.wrappers import Response

from portal import fragments, ledger
from portal.arguments import whole_number_argument
from portal.caching import cached_page
from portal.countries.navigation import (
    REGION_TABS,
    CountryPageState,
    Tab,
    view_argument,
)
from portal.countries.views import kept_ledger, place_options, render_place_tab
from portal.extensions import db
from portal.i18n import preferred_language
from portal.regions import queries

blueprint = Blueprint("regions", __name__, url_prefix="/<lang>/regions")
SUMMARY = "summary"
OVERVIEW, RESULTS_RESOURCES, PROGRESS, STRATEGIC_PLAN = REGION_TABS


def display_name(region: queries.RegionListing) -> str:
    """The region's name in the visitor's language, else "Region 298" in it (the name the
    publisher wrote in another language is shown beside it, marked with its language)."""
    name = region.name
    if name.text and (name.lang is None or name.lang == preferred_language()):
        return name.text
    return _("Region %(code)s", code=region.code)


@dataclass(frozen=True)
class RegionChoice:
    key: str
    name: str


@blueprint.get("/")
@cached_page
def index():
    """Every region with regional or global activities, with its activity count."""
    regions = queries.regions_with_activities(db.session, preferred_language())
    return render_template(
        "regions/index.html",
        regions=regions,
        unplaced=ledger.unplaced_activities(db.session),
        display_name=display_name,
    )


@blueprint.get("/<key>/")
def overview(key: str):
    return _region_tab(OVERVIEW, key)


@blueprint.get("/<key>/results-resources")
def results_resources(key: str):
    return _region_tab(RESULTS_RESOURCES, key)


@blueprint.get("/<key>/progress")
def progress(key: str):
    return _region_tab(PROGRESS, key)


@blueprint.get("/<key>/strategic-plan")
def strategic_plan(key: str):
    return _region_tab(STRATEGIC_PLAN, key)


@cached_page
def _region_tab(tab: Tab, key: str) -> Response:
    parsed = queries.parse_region_key(key)
    if parsed is None:
        abort(404)
    year = whole_number_argument("year")
    page_number = whole_number_argument("page") or 1
    if view_argument() != SUMMARY and "view" in request.args:
        abort(404)  # a region page has no map
    chosen = _region_choice_argument()
    if chosen is not None:
        # The Region / Year form: the region belongs in the path, not the query.
        location = url_for(tab.endpoint, key=chosen)
        if year is not None:
            location += "?" + urlencode({"year": year})
        return redirect(location, 303)
    vocabulary, code = parsed
    today = dt.date.today()
    language = preferred_language()
    # Every region with its name and count: the same for every visitor of the language until
    # the next import (portal.fragments); the counts are of each region's default year.
    regions = fragments.remembered(
        "regions",
        today.isoformat(),
        lambda: queries.regions_with_activities(db.session, language, today),
    )
    page = queries.region_page(
        db.session, vocabulary, code, year, language, today, regions, ledger_of=kept_ledger
    )
    if page is None:
        abort(404)
    state = CountryPageState(
        place_key=key,
        tab=tab,
        year=page.year,
        year_requested=year is not None,
        view=SUMMARY,
        page=page_number if tab.list_id else 1,
        place_argument="key",
        default_view=SUMMARY,
    )
    place_name = display_name(page.region)
    return render_place_tab(
        page,
        state,
        REGION_TABS,
        page_number,
        place_name=place_name,
        place_options=place_options([RegionChoice(r.key, display_name(r)) for r in page.regions]),
        place_label=_("Region"),
        place_parameter="region",
        place_header=Markup(
            render_template(
                "regions/_header.html",
                page=page,
                place_name=place_name,
                published_name=page.region.name,
            )
        ),
    )


def _region_choice_argument() -> str | None:
    values = request.args.getlist("region")
    if not values:
        return None
    if len(values) > 1 or queries.parse_region_key(values[0].strip()) is None:
        abort(400)
    return values[0].strip()
