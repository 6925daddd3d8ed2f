"""The home page: where the organisation works, country by country."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for

from portal.caching import cached_page
from portal.countries import queries as country_queries
from portal.countries.views import world_map
from portal.extensions import db
from portal.i18n import preferred_language

blueprint = Blueprint("home", __name__)


@blueprint.get("/")
def root():
    """Send the visitor to their language's home page."""
    response = redirect(url_for("home.index", lang=preferred_language()))
    response.vary.add("Accept-Language")
    return response


@blueprint.get("/<lang>/")
@cached_page
def index():
    countries = country_queries.countries_with_outcomes(db.session)
    return render_template(
        "home/index.html",
        countries=countries,
        world_map=world_map(countries),
    )
