"""Country pages."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from portal.countries import queries
from portal.extensions import db

blueprint = Blueprint("countries", __name__, url_prefix="/<lang>/countries")


@blueprint.get("/<iso3>/")
def overview(iso3: str):
    country = queries.country(db.session, iso3)
    if country is None or country.iso3 != iso3:
        abort(404)
    outcomes = queries.outcomes_of_country(db.session, country.iso3)
    return render_template("countries/overview.html", country=country, outcomes=outcomes)
