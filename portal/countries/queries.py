"""Reads for the country pages; each returns what a page shows in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.countries.models import Country
from portal.iati.models import Outcome


@dataclass(frozen=True)
class CountryListing:
    iso3: str
    iso2: str
    english_name: str
    region_m49: str | None
    outcome_count: int


def countries_with_outcomes(session: Session) -> list[CountryListing]:
    """Countries where the organisation has at least one outcome, by English name."""
    rows = session.execute(
        select(
            Country.iso3,
            Country.iso2,
            Country.english_name,
            Country.region_m49,
            func.count(Outcome.id),
        )
        .join(Outcome, Outcome.country_iso3 == Country.iso3)
        .group_by(Country.iso3, Country.iso2, Country.english_name, Country.region_m49)
        .order_by(Country.english_name)
    )
    return [CountryListing(*row) for row in rows]


def country(session: Session, iso3: str) -> Country | None:
    return session.get(Country, iso3.upper())


def outcomes_of_country(session: Session, iso3: str) -> list[Outcome]:
    """The country's outcomes, newest plan period first, then by identifier."""
    return list(
        session.scalars(
            select(Outcome)
            .where(Outcome.country_iso3 == iso3)
            .order_by(Outcome.plan_period.desc(), Outcome.iati_identifier)
        )
    )
