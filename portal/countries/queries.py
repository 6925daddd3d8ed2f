"""Reads for the country pages; each returns what a page shows in a fixed number of queries.

The statements are built once, at import, with bound parameters: building a SELECT with its
joins and conditions costs several times more than running it on an indexed table, and a
page that nobody has cached yet (portal.caching) runs about ten. Those that read columns, not
mapped objects, run on the session's connection (`_rows`), without the ORM's result handling.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from portal import ledger
from portal.countries import facts, plan_periods
from portal.countries.models import Country, CountryFact
from portal.countries.plan_periods import PlanPeriod
from portal.iati.models import ProgressNarrative, Recipient
from portal.iati.narratives import Narratives
from portal.quality.queries import (
    FindingView,
    findings_of_country_facts,
)


@dataclass(frozen=True)
class CountryListing:
    """A country with activities, and how many it has in the year its page opens on."""

    iso3: str
    iso2: str
    english_name: str
    region_m49: str | None
    outcome_count: int
    year: int | None


_COUNTRIES = select(Country.iso3, Country.iso2, Country.english_name, Country.region_m49).where(
    Country.iso3.in_(bindparam("iso3s", expanding=True))
)


def _rows(session: Session, statement, parameters: dict | None = None):
    """The rows of a column SELECT, run in the session's transaction (after its autoflush,
    as the ORM would, so that rows just added to the session are seen)."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, parameters)


def countries_with_outcomes(
    session: Session,
    today: dt.date | None = None,
    every_place: dict[ledger.Scope, ledger.PlaceYears] | None = None,
) -> list[CountryListing]:
    """Countries where some publisher has activities, by English name, each with the number of
    activities in the year its page opens on (the same count the page shows)."""
    if every_place is None:
        every_place = ledger.every_place(session)
    places = {
        scope.code: place for scope, place in every_place.items() if scope.kind == ledger.COUNTRY
    }
    if not places:
        return []
    today = today or dt.date.today()
    listings = []
    for iso3, iso2, english_name, region_m49 in _rows(
        session, _COUNTRIES, {"iso3s": sorted(places)}
    ):
        place = places[iso3]
        year = ledger.default_year(place.years, today, place.years_with_actuals)
        count = place.counts.get(year, 0) if year is not None else 0
        listings.append(CountryListing(iso3, iso2, english_name, region_m49, count, year))
    return sorted(listings, key=lambda listing: listing.english_name)


@dataclass(frozen=True, slots=True)
class CountryWithActivities:
    iso3: str
    iso2: str
    english_name: str


_COUNTRY_CHOICES = select(Country.iso3, Country.iso2, Country.english_name).where(
    select(Recipient.id).where(Recipient.country_iso3 == Country.iso3).exists()
)


def country_choices(session: Session) -> list[CountryWithActivities]:
    """Every country with activities (one query; the counts are the country list's)."""
    return [CountryWithActivities(*row) for row in _rows(session, _COUNTRY_CHOICES)]


# --- The country page ----------------------------------------------------------------------


@dataclass(frozen=True)
class PlacePage:
    """What every tab of a country or region page shows around its panel: the place's
    activities (from the ledger) and the year shown, read in a fixed few queries."""

    ledger: ledger.ScopeLedger
    years: list[int]
    """Years in which an activity is active (by its dates or its money), newest first."""
    year: int | None
    """The year asked for, else the latest begun year with spending."""
    plan_period: PlanPeriod | None
    """The plan period of the year, when every activity listed belongs to one publisher that
    has plan periods and one of them covers the year; else None (the page says "activities
    active in <year>")."""
    current_plan_period: PlanPeriod | None
    plan_periods: dict[str, list[PlanPeriod]]
    """The plan periods of the place's publishers, by publisher ref (none: no plan)."""
    outcomes: list[ledger.LedgerActivity]
    """The activities active in the year, by publisher and identifier (1.2 before 1.10)."""

    @property
    def year_has_data(self) -> bool:
        return self.year is not None and self.year in self.years

    @property
    def year_outcomes(self) -> list[ledger.LedgerActivity]:
        """What the page lists: nothing for a year without data (the page says so instead)."""
        return self.outcomes if self.year_has_data else []

    @property
    def year_ledger(self) -> ledger.YearLedger | None:
        return self.ledger.year(self.year) if self.year_has_data else None


LedgerOf = Callable[[ledger.Scope], ledger.ScopeLedger]


def place_page_parts(
    session: Session,
    scope: ledger.Scope,
    requested_year: int | None,
    today: dt.date,
    ledger_of: LedgerOf | None = None,
) -> dict | None:
    """The fields of a PlacePage for a place and year; None when it has no activity.
    `ledger_of` gives the place's ledger when it may be kept from an earlier request
    (portal.fragments.kept_here); else it is read."""
    place = ledger_of(scope) if ledger_of else ledger.place_ledger(session, scope)
    if not place.activities:
        return None
    years = place.years
    year = (
        requested_year
        if requested_year is not None
        else ledger.default_year(years, today, place.years_with_actuals)
    )
    outcomes = list(place.year(year).activities) if year in years else []
    periods = plan_periods.of_publishers(
        session, {activity.publisher_ref for activity in place.activities}
    )
    return {
        "ledger": place,
        "years": years,
        "year": year,
        "plan_period": plan_periods.shared_period(periods, outcomes, year),
        "current_plan_period": plan_periods.shared_period(periods, place.activities, today.year),
        "plan_periods": periods,
        "outcomes": outcomes,
    }


@dataclass(frozen=True)
class CountryPage(PlacePage):
    """A country page: its place and the country's reference facts (`with_facts`)."""

    country: Country | None = None
    facts: CountryFacts | None = None
    fact_findings: dict[int, tuple[FindingView, ...]] | None = None
    """What looks wrong in the country's facts, by CountryFact id, for the header's flags."""

    def findings_of(self, *shown: FactValue | None) -> tuple[FindingView, ...]:
        """The findings about the facts the header shows in one place (none when absent)."""
        found = self.fact_findings or {}
        return tuple(
            finding
            for fact in shown
            if fact is not None and fact.id is not None
            for finding in found.get(fact.id, ())
        )


def country_page(
    session: Session,
    iso3: str,
    requested_year: int | None,
    today: dt.date | None = None,
    *,
    facts: bool = True,
    ledger_of: LedgerOf | None = None,
) -> CountryPage | None:
    """The country page's frame for a year, with the country's facts unless `facts` is False
    (the page's header may come from the fragment cache); None when no publisher has an
    activity there."""
    country_row = session.get(Country, iso3)
    if country_row is None:
        return None
    today = today or dt.date.today()
    parts = place_page_parts(session, ledger.country_scope(iso3), requested_year, today, ledger_of)
    if parts is None:
        return None
    page = CountryPage(**parts, country=country_row)
    return with_facts(session, page) if facts else page


def country_without_outcomes(session: Session, iso3: str) -> CountryPage | None:
    """The page of a country the reference data knows but where no publisher has an activity
    (`country_page` found none): its name and facts, nothing to list and no year; None for a
    code the reference data does not know."""
    country_row = session.get(Country, iso3)
    if country_row is None:
        return None
    page = CountryPage(
        ledger=ledger.ScopeLedger(ledger.country_scope(iso3), ()),
        years=[],
        year=None,
        plan_period=None,
        current_plan_period=None,
        plan_periods={},
        outcomes=[],
        country=country_row,
    )
    return with_facts(session, page)


def with_facts(session: Session, page: CountryPage) -> CountryPage:
    """The page with its country's reference facts and what looks wrong in them."""
    iso3 = page.country.iso3
    return dataclasses.replace(
        page,
        facts=country_facts(session, iso3),
        fact_findings=findings_of_country_facts(session, iso3),
    )


_PROGRESS_NARRATIVES = select(ProgressNarrative.outcome_id, ProgressNarrative.text).where(
    ProgressNarrative.outcome_id.in_(bindparam("outcome_ids", expanding=True)),
    ProgressNarrative.year == bindparam("year"),
)


def progress_narratives(
    session: Session, outcome_ids: list[int], year: int
) -> dict[int, Narratives]:
    """Each outcome's progress narrative for the year, by outcome id (absent: none published)."""
    if not outcome_ids:
        return {}
    rows = _rows(session, _PROGRESS_NARRATIVES, {"outcome_ids": outcome_ids, "year": year})
    return {outcome_id: text for outcome_id, text in rows if text}


@dataclass(frozen=True)
class FactValue:
    """One reference figure as the header shows it: the value and where it came from."""

    indicator: str
    year: int
    value: Decimal | None
    text_value: str | None
    source: str
    as_of: dt.date | None
    id: int | None = None  # the CountryFact row (its data-quality findings are keyed by it)


@dataclass(frozen=True)
class PopulationShare:
    """A share of the population in percent, derived from counts of the same year."""

    percent: Decimal
    year: int


@dataclass(frozen=True)
class CountryFacts:
    """The latest fact per indicator (None when not available) and the derived shares.

    One field per name in portal.countries.facts.INDICATORS.
    """

    region: FactValue | None
    income_group: FactValue | None
    ldc: FactValue | None
    gii: FactValue | None
    gdi: FactValue | None
    population_total: FactValue | None
    population_female: FactValue | None
    population_male: FactValue | None
    population_female_percent: FactValue | None
    population_male_percent: FactValue | None
    female_share: PopulationShare | None
    male_share: PopulationShare | None


_FACTS = (
    select(
        CountryFact.indicator,
        CountryFact.year,
        CountryFact.value,
        CountryFact.text_value,
        CountryFact.source,
        CountryFact.as_of,
        CountryFact.id,
    )
    .where(CountryFact.country_iso3 == bindparam("iso3"))
    .order_by(CountryFact.year)
)
_FACTS_UP_TO_YEAR = _FACTS.where(CountryFact.year <= bindparam("up_to_year"))


def country_facts(session: Session, iso3: str, up_to_year: int | None = None) -> CountryFacts:
    """The country's latest fact per indicator (up to a year if given), in one query.

    Shares come from the latest year that has both the total and the part; never from
    figures of different years.
    """
    query, parameters = _FACTS, {"iso3": iso3.upper()}
    if up_to_year is not None:
        query, parameters = _FACTS_UP_TO_YEAR, {**parameters, "up_to_year": up_to_year}
    return facts_from_rows(FactValue(*row) for row in _rows(session, query, parameters))


def facts_from_rows(rows: Iterable[FactValue]) -> CountryFacts:
    """One country's facts, oldest year first, as the latest per indicator and the shares."""
    latest: dict[str, FactValue] = {}
    population: dict[int, dict[str, Decimal]] = {}
    for fact in rows:
        latest[fact.indicator] = fact
        if fact.value is not None:
            population.setdefault(fact.year, {})[fact.indicator] = fact.value

    def share(part: str) -> PopulationShare | None:
        for year in sorted(population, reverse=True):
            total = population[year].get(facts.POPULATION_TOTAL)
            value = population[year].get(part)
            if total and value is not None:
                return PopulationShare(value / total * 100, year)
        return None

    return CountryFacts(
        **{name: latest.get(name) for name in facts.INDICATORS},
        female_share=share(facts.POPULATION_FEMALE),
        male_share=share(facts.POPULATION_MALE),
    )
