"""The global overview's view model: the world's year (portal.ledger.world) with the names,
links, map shading and groupings the home page, its downloads and the API show.

Every figure comes from the places' ledgers; this module only picks, names and orders them.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from sqlalchemy.orm import Session

from portal import ledger
from portal.countries import queries as country_queries
from portal.i18n.formatting import territory_name
from portal.iati.narratives import Narratives
from portal.ledger import YearLedger
from portal.ledger.world import WorldLedger, WorldYear
from portal.outcomes import queries as outcome_queries
from portal.regions import queries as region_queries

SHADED_LEVELS = 4
"""Levels 1-4 of the map's shading (quarters of the countries with spending); 0 is none."""
TOP_PARTNERS = 10
G = TypeVar("G")
# Rows of a Strategic Plan area or SDG table the page shows: those with the most outcomes (a
# publisher whose "areas" are sector codes has over a hundred; the download lists them all).
MOST_GROUPS = 17


@dataclass(frozen=True)
class CountryRow:
    """A country with activities (in some year) and its figures in the year shown (None when
    it has no activity that year)."""

    iso3: str
    iso2: str
    name: str
    figures: YearLedger | None
    level: int
    """The map's shade: 0 without spending in the shaded series, else 1 to 4."""
    spending: Decimal | None
    """Its spending in the shaded series (the map's figure), when any."""


@dataclass(frozen=True)
class RegionRow:
    key: str
    code: str
    vocabulary: str
    name: region_queries.RegionName
    figures: YearLedger


@dataclass(frozen=True)
class ShadeBand:
    level: int
    low: Decimal
    high: Decimal
    country_count: int


@dataclass(frozen=True)
class Shading:
    """Which series shades the map (one publisher, one currency) and its bands."""

    publisher_ref: str | None
    publisher_name: Narratives
    currency: str | None
    bands: tuple[ShadeBand, ...]
    unshaded_count: int


@dataclass(frozen=True)
class Overview:
    year: int
    years: list[int]
    world: WorldYear
    countries: tuple[CountryRow, ...]
    regions: tuple[RegionRow, ...]
    shading: Shading | None
    strategic: outcome_queries.StrategicPlanView | None

    @property
    def active_countries(self) -> tuple[CountryRow, ...]:
        return tuple(row for row in self.countries if row.figures is not None)


def most_outcomes(groups: Sequence[G], limit: int = MOST_GROUPS) -> list[G]:
    """The `limit` groups with the most outcomes (the first ones among equals), kept in the
    order the table lists them."""
    ranked = sorted(range(len(groups)), key=lambda index: -len(groups[index].outcomes))
    return [groups[index] for index in sorted(ranked[:limit])]


def shade_levels(spending: dict[str, Decimal]) -> dict[str, int]:
    """Level 1-4 by quarter of the countries' spending (equal amounts share a level)."""
    ordered = sorted(spending.values())
    count = len(ordered)
    return {
        iso3: 1 + bisect.bisect_left(ordered, amount) * SHADED_LEVELS // count
        for iso3, amount in spending.items()
    }


def _shading(world: WorldYear, country_codes: list[str]) -> tuple[Shading | None, dict, dict]:
    series = world.main_spending()
    if series is None:
        return None, {}, {}
    publisher_ref, currency = series
    spending = world.country_spending(publisher_ref, currency)
    levels = shade_levels(spending)
    bands = []
    for level in range(1, SHADED_LEVELS + 1):
        amounts = [spending[iso3] for iso3, found in levels.items() if found == level]
        if amounts:
            bands.append(ShadeBand(level, min(amounts), max(amounts), len(amounts)))
    name = next(
        (total.name for total in world.country_totals if total.ref == publisher_ref), Narratives()
    )
    shading = Shading(
        publisher_ref,
        name,
        currency,
        tuple(bands),
        len([code for code in country_codes if code not in levels]),
    )
    return shading, levels, spending


def overview(
    session: Session, world_ledger: WorldLedger, year: int, language: str, *, strategic: bool
) -> Overview:
    """The overview of `year` (one of world_ledger.years): a fixed number of queries (country
    names, region names, and the Strategic Plan links when `strategic`)."""
    world = world_ledger.year(year)
    by_iso3 = {country.scope.code: country for country in world.countries}
    known = {row.iso3: row for row in country_queries.country_choices(session)}
    codes = sorted(
        scope.code
        for scope in world_ledger.places
        if scope.kind == ledger.COUNTRY and scope.code in known
    )
    shading, levels, spending = _shading(world, codes)
    countries = sorted(
        (
            CountryRow(
                iso3=code,
                iso2=known[code].iso2,
                name=territory_name(known[code].iso2, known[code].english_name),
                figures=by_iso3.get(code),
                level=levels.get(code, 0),
                spending=spending.get(code),
            )
            for code in codes
        ),
        key=lambda row: _name_key(row.name),
    )
    names = region_queries.region_names(session, language)
    regions = tuple(
        RegionRow(
            key=region_queries.region_key(figures.scope.vocabulary or "1", figures.scope.code),
            code=figures.scope.code,
            vocabulary=figures.scope.vocabulary or "1",
            name=names.get(
                (figures.scope.vocabulary or "1", figures.scope.code),
                region_queries.RegionName(None, None),
            ),
            figures=figures,
        )
        for figures in world.regions
    )
    return Overview(
        year=year,
        years=world_ledger.years,
        world=world,
        countries=tuple(countries),
        regions=regions,
        shading=shading,
        strategic=outcome_queries.strategic_plan(session, world.ledger, language)
        if strategic and world.ledger.rows
        else None,
    )


def _name_key(name: str) -> str:
    """Alphabetical in most Latin-script languages: "Égypte" sorts with the E's."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
