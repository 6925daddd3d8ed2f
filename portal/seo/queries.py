"""Reads for the sitemap: every place and outcome with a page, in a fixed few queries however
many there are."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import ledger
from portal.countries import queries as country_queries
from portal.iati.models import Outcome
from portal.regions.queries import IATI_REGION_VOCABULARY, region_key


@dataclass(frozen=True)
class PlacesWithPages:
    """The ISO3 codes of the countries and the keys of the regions that have pages."""

    countries: list[str]
    regions: list[str]


def places_with_pages(session: Session) -> PlacesWithPages:
    """The places the country list and the regions list link to (four queries)."""
    places = ledger.every_place(session)
    countries = country_queries.countries_with_outcomes(session, every_place=places)
    regions = [
        region_key(scope.vocabulary or IATI_REGION_VOCABULARY, scope.code)
        for scope in places
        if scope.kind == ledger.REGION
    ]
    return PlacesWithPages(
        countries=[country.iso3 for country in countries],
        regions=sorted(regions, key=ledger.natural_key),
    )


_OUTCOME_ADDRESSES = select(Outcome.iati_identifier, Outcome.plan_period).order_by(
    Outcome.iati_identifier, Outcome.plan_period
)


def outcome_addresses(session: Session) -> list[tuple[str, str]]:
    """(IATI identifier, plan period) of every outcome page (one query)."""
    return [(identifier, period) for identifier, period in session.execute(_OUTCOME_ADDRESSES)]
