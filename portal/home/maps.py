"""The home page's world map: every country with activities a link, shaded by its spending in
the year shown (portal.home.overview decides the levels; the legend and table say them)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup

from portal.home.overview import Overview
from portal.maps import world

MAP_ID = "map-world"


def country_url(row, year: int) -> str:
    """A country's page for the year shown when it has activities then, else as it opens."""
    if row.figures is not None:
        return url_for("countries.overview", iso3=row.iso3, year=year)
    return url_for("countries.overview", iso3=row.iso3)


def shaded_world_map(overview: Overview) -> Markup | None:
    """The inline SVG map; None without map data. Tab reaches countries in name order."""
    links = {
        row.iso3: world.MapLink(country_url(row, overview.year), row.name)
        for row in overview.countries
    }
    try:
        return world.index_map_svg(
            set(links),
            _(
                "World map of the countries with outcomes, shaded by spending in %(year)s",
                year=overview.year,
            ),
            _(
                "Each country with outcomes is a link to its page; its pattern and tone say how "
                "much it spent in %(year)s, as the legend explains; the table below gives the "
                "figures.",
                year=overview.year,
            ),
            links=links,
            id_prefix=MAP_ID,
            shades={row.iso3: row.level for row in overview.countries},
        )
    except world.MapDataMissing:
        return None
