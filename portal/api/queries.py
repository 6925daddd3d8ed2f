"""Reads for the open data API, each in a fixed number of queries whatever the page size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, defer, selectinload

from portal.countries.models import Country, CountryFact
from portal.countries.queries import (
    CountryFacts,
    FactValue,
    facts_from_rows,
)
from portal.iati.models import Indicator, Outcome, Result


def facts_by_country(session: Session, iso3s: Sequence[str]) -> dict[str, CountryFacts]:
    """The latest fact per indicator of each country, in one query.

    The same figures as portal.countries.queries.country_facts gives one country at a time
    (shares from the latest year with both the total and the part), for a page of countries.
    """
    by_country: dict[str, list[FactValue]] = defaultdict(list)
    rows = session.scalars(
        select(CountryFact)
        .where(CountryFact.country_iso3.in_(list(iso3s)))
        .order_by(CountryFact.country_iso3, CountryFact.year)
    )
    for fact in rows:
        by_country[fact.country_iso3].append(
            FactValue(
                fact.indicator, fact.year, fact.value, fact.text_value, fact.source, fact.as_of
            )
        )
    return {iso3: facts_from_rows(by_country.get(iso3, ())) for iso3 in iso3s}


def countries_by_iso3(session: Session, iso3s: Sequence[str]) -> dict[str, Country]:
    return {
        country.iso3: country
        for country in session.scalars(select(Country).where(Country.iso3.in_(list(iso3s))))
    }


def outcomes_with_everything(session: Session, outcome_ids: Sequence[int]) -> list[Outcome]:
    """Outcomes with their results, indicators, periods, money, partners and provenance,
    in the order of `outcome_ids`; one query per kind of part, whatever their number."""
    if not outcome_ids:
        return []
    loaded = session.scalars(
        select(Outcome)
        .where(Outcome.id.in_(list(outcome_ids)))
        .options(
            defer(Outcome.source_xml),
            selectinload(Outcome.results)
            .selectinload(Result.indicators)
            .selectinload(Indicator.periods),
            selectinload(Outcome.budgets),
            selectinload(Outcome.transactions),
            selectinload(Outcome.participating_orgs),
            selectinload(Outcome.classifications),
            selectinload(Outcome.progress_narratives),
            selectinload(Outcome.publisher),
            selectinload(Outcome.source_file),
        )
    ).all()
    by_id = {outcome.id: outcome for outcome in loaded}
    return [by_id[outcome_id] for outcome_id in outcome_ids if outcome_id in by_id]


def plan_periods_of_identifier(session: Session, identifier: str) -> list[tuple[int, str]]:
    """(outcome id, plan period) of every outcome with this IATI identifier."""
    rows = session.execute(
        select(Outcome.id, Outcome.plan_period).where(Outcome.iati_identifier == identifier)
    )
    return [(outcome_id, plan_period) for outcome_id, plan_period in rows]
