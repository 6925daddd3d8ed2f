"""Reads for the country pages; each returns what a page shows in a fixed number of queries.

The statements are built once, at import, with bound parameters: building a SELECT with its
joins and conditions costs several times more than running it on an indexed table, and a
page that nobody has cached yet (portal.caching) runs about ten. Those that read columns, not
mapped objects, run on the session's connection (`_rows`), without the ORM's result handling.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, exists, extract, func, literal, or_, select, union
from sqlalchemy.orm import Session, aliased

from portal.countries import facts, plan_periods
from portal.countries.models import Country, CountryFact
from portal.countries.plan_periods import PlanPeriod
from portal.iati.models import Budget, Outcome, ParticipatingOrg, ProgressNarrative, Transaction
from portal.iati.narratives import Narratives

if TYPE_CHECKING:  # defined there, on top of this module's Money and FundingPartner
    from portal.outcomes.queries import ResultsResourcesView, StrategicPlanView


@dataclass(frozen=True)
class CountryListing:
    iso3: str
    iso2: str
    english_name: str
    region_m49: str | None
    outcome_count: int


_COUNTRIES_WITH_OUTCOMES = (
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


def _rows(session: Session, statement, parameters: dict | None = None):
    """The rows of a column SELECT, run in the session's transaction (after its autoflush,
    as the ORM would, so that rows just added to the session are seen)."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, parameters)


def countries_with_outcomes(session: Session) -> list[CountryListing]:
    """Countries where the organisation has at least one outcome, by English name."""
    return [CountryListing(*row) for row in _rows(session, _COUNTRIES_WITH_OUTCOMES)]


# --- The country page ----------------------------------------------------------------------


@dataclass(frozen=True)
class Money:
    """An amount in one currency; amounts in different currencies are never added."""

    amount: Decimal
    currency: str | None


@dataclass(frozen=True)
class FundingPartner:
    """A funder of the country's outcomes; `incoming` is what it paid in during the year."""

    name: Narratives
    ref: str | None
    incoming: tuple[Money, ...] = ()


@dataclass(frozen=True)
class CountryYearFigures:
    """A country in a few figures for one year: what the Overview and the Summary show.

    Funding partners are the providers of incoming funds (transaction type 1) dated in the
    year, largest first; when the year has none, the funding organisations (participating-org
    role 1) named on the outcomes of the plan period, without amounts.
    """

    year: int
    budget: tuple[Money, ...]
    expenditure: tuple[Money, ...]
    funding_partners: tuple[FundingPartner, ...]
    partners_from_incoming_funds: bool


@dataclass(frozen=True, slots=True)
class ListedOutcome:
    """What a country page shows of an outcome in its lists; the tabs read the rest by id."""

    id: int
    iati_identifier: str
    plan_period: str
    default_lang: str | None
    default_currency: str | None
    title: Narratives


@dataclass(frozen=True)
class CountryPage:
    """What every tab of a country page shows around its panel, read in a fixed few queries."""

    country: Country
    facts: CountryFacts
    countries: list[CountryListing]
    years: list[int]
    """Years with budgets, transactions or progress narratives, newest first."""
    year: int | None
    """The year asked for, else the latest year with data up to this one."""
    plan_period: PlanPeriod | None
    """The plan period covering the year (else the newest): its outcomes are shown."""
    current_plan_period: PlanPeriod | None
    outcomes: list[ListedOutcome]
    """The outcomes of `plan_period`, in identifier order (1.2 before 1.10)."""

    @property
    def year_has_data(self) -> bool:
        return self.year is not None and self.year in self.years

    @property
    def year_outcomes(self) -> list[ListedOutcome]:
        """What the page lists: nothing for a year without data (the page says so instead)."""
        return self.outcomes if self.year_has_data else []


TOP_FUNDING_PARTNERS = 5
INCOMING_FUNDS = "1"
EXPENDITURE = "4"
FUNDING_ROLE = "1"
ORIGINAL_BUDGET = "1"
REVISED_BUDGET = "2"


# The outcome columns the frame of a country page shows (titles and plan periods).
_PAGE_OUTCOMES = select(
    Outcome.id,
    Outcome.iati_identifier,
    Outcome.plan_period,
    Outcome.default_lang,
    Outcome.default_currency,
    Outcome.title,
).where(Outcome.country_iso3 == bindparam("iso3"))


def country_page(
    session: Session, iso3: str, requested_year: int | None, today: dt.date | None = None
) -> CountryPage | None:
    """The country page's frame for a year; None when the organisation has no outcome there."""
    countries = countries_with_outcomes(session)
    if not any(listing.iso3 == iso3 for listing in countries):
        return None
    country_row = session.get(Country, iso3)
    if country_row is None:
        return None
    outcomes = [ListedOutcome(*row) for row in _rows(session, _PAGE_OUTCOMES, {"iso3": iso3})]
    years, actual_years = _years_with_data_and_actuals(session, iso3)
    year = (
        requested_year if requested_year is not None else _default_year(years, today, actual_years)
    )
    periods = {outcome.plan_period: PlanPeriod.parse(outcome.plan_period) for outcome in outcomes}
    shown_period = plan_periods.covering(periods.values(), year)
    shown = [o for o in outcomes if shown_period and o.plan_period == shown_period.label]
    shown.sort(key=lambda outcome: _natural_key(outcome.iati_identifier))
    return CountryPage(
        country=country_row,
        facts=country_facts(session, iso3),
        countries=countries,
        years=years,
        year=year,
        plan_period=shown_period,
        current_plan_period=plan_periods.newest(periods.values()),
        outcomes=shown,
    )


def _default_year(
    years: list[int], today: dt.date | None, actual_years: set[int] | None = None
) -> int | None:
    """The latest year that has begun with actuals (transactions or progress narratives);
    else the latest begun year with any data. Budgets are planned ahead: a year with only a
    budget would open the page on a year with nothing achieved or spent yet."""
    this_year = (today or dt.date.today()).year
    started = [year for year in years if year <= this_year]
    with_actuals = [year for year in started if actual_years is None or year in actual_years]
    if with_actuals:
        return max(with_actuals)
    if started:
        return max(started)
    return min(years, default=None)


def _natural_key(identifier: str) -> list[tuple[int, int | str]]:
    """Sort "MLI_D_1.2" before "MLI_D_1.10"."""
    return [
        (0, int(part)) if part.isdigit() else (1, part.lower())
        for part in re.split(r"(\d+)", identifier)
        if part
    ]


def _of_country():
    return Outcome.country_iso3 == bindparam("iso3")


_YEARS_WITH_DATA = union(
    select(extract("year", Budget.period_start).label("year"), literal(False).label("actual"))
    .join(Outcome, Budget.outcome_id == Outcome.id)
    .where(_of_country(), Budget.period_start.is_not(None)),
    select(extract("year", Transaction.date).label("year"), literal(True).label("actual"))
    .join(Outcome, Transaction.outcome_id == Outcome.id)
    .where(_of_country(), Transaction.date.is_not(None)),
    select(ProgressNarrative.year.label("year"), literal(True).label("actual"))
    .join(Outcome, ProgressNarrative.outcome_id == Outcome.id)
    .where(_of_country()),
)


def _years_with_data_and_actuals(session: Session, iso3: str) -> tuple[list[int], set[int]]:
    """Years with any data (newest first), and those with actuals (transactions or progress
    narratives, not budgets only), in one query."""
    rows = _rows(session, _YEARS_WITH_DATA, {"iso3": iso3}).all()
    years = sorted({int(year) for year, _actual in rows if year is not None}, reverse=True)
    actual_years = {int(year) for year, actual in rows if year is not None and actual}
    return years, actual_years


def _within_year(column):
    """`column` in the year given by the parameters of _year_bounds."""
    return column.between(bindparam("first_day"), bindparam("last_day"))


def _year_bounds(year: int) -> dict[str, dt.date]:
    return {"first_day": dt.date(year, 1, 1), "last_day": dt.date(year, 12, 31)}


def _money(rows) -> tuple[Money, ...]:
    return tuple(
        Money(Decimal(amount), currency)
        for currency, amount in sorted(rows, key=lambda row: row[0] or "")
        if amount is not None
    )


_REVISED = aliased(Budget)
_BUDGET_CURRENCY = func.coalesce(Budget.currency, Outcome.default_currency)
# Budgets starting in the year, per currency; an original budget gives way to a revised one of
# the same outcome and period.
_BUDGET_BY_CURRENCY = (
    select(_BUDGET_CURRENCY, func.sum(Budget.value))
    .join(Outcome, Budget.outcome_id == Outcome.id)
    .where(
        _of_country(),
        _within_year(Budget.period_start),
        Budget.value.is_not(None),
        or_(
            Budget.type_code.is_(None),
            Budget.type_code != ORIGINAL_BUDGET,
            ~exists()
            .where(
                _REVISED.outcome_id == Budget.outcome_id,
                _REVISED.type_code == REVISED_BUDGET,
                _REVISED.period_start == Budget.period_start,
            )
            .correlate(Budget),
        ),
    )
    .group_by(_BUDGET_CURRENCY)
)
_SPENT_CURRENCY = func.coalesce(Transaction.currency, Outcome.default_currency)
_EXPENDITURE_BY_CURRENCY = (
    select(_SPENT_CURRENCY, func.sum(Transaction.value))
    .join(Outcome, Transaction.outcome_id == Outcome.id)
    .where(
        _of_country(),
        Transaction.type_code == EXPENDITURE,
        _within_year(Transaction.date),
        Transaction.value.is_not(None),
    )
    .group_by(_SPENT_CURRENCY)
)


def country_year_figures(
    session: Session, iso3: str, year: int, plan_period: str | None
) -> CountryYearFigures:
    """Budget, expenditure and funding partners of the country in `year`, per currency.

    Budget: budgets whose period starts in the year; where an outcome publishes an original and
    a revised budget for the same period, only the revised one counts. Expenditure: type 4
    transactions dated in the year. A value without a currency takes its outcome's default.
    """
    parameters = {"iso3": iso3, **_year_bounds(year)}
    budget = _money(_rows(session, _BUDGET_BY_CURRENCY, parameters))
    expenditure = _money(_rows(session, _EXPENDITURE_BY_CURRENCY, parameters))
    partners = _partners_by_incoming_funds(session, iso3, year)
    from_incoming = bool(partners)
    if not partners:
        partners = _partners_named_on_outcomes(session, iso3, plan_period)
    return CountryYearFigures(
        year=year,
        budget=budget,
        expenditure=expenditure,
        funding_partners=tuple(partners[:TOP_FUNDING_PARTNERS]),
        partners_from_incoming_funds=from_incoming,
    )


def _partner_key(ref: str | None, name: Narratives) -> str:
    if ref and ref.strip():
        return "ref:" + ref.strip().upper()
    first = next(iter(name.values()), "") if name else ""
    return "name:" + " ".join(first.split()).casefold()


_INCOMING_FUNDS = (
    select(
        Transaction.provider_ref,
        Transaction.provider_name,
        Transaction.value,
        _SPENT_CURRENCY,
    )
    .join(Outcome, Transaction.outcome_id == Outcome.id)
    .where(
        _of_country(),
        Transaction.type_code == INCOMING_FUNDS,
        _within_year(Transaction.date),
        Transaction.value.is_not(None),
    )
)


def _partners_by_incoming_funds(session: Session, iso3: str, year: int) -> list[FundingPartner]:
    """Providers of the year's incoming funds, ranked by amount in the most used currency."""
    rows = _rows(session, _INCOMING_FUNDS, {"iso3": iso3, **_year_bounds(year)}).all()
    if not rows:
        return []
    names: dict[str, tuple[str | None, Narratives]] = {}
    amounts: dict[str, defaultdict[str | None, Decimal]] = {}
    currency_use: Counter[str | None] = Counter()
    for ref, name, value, currency in rows:
        key = _partner_key(ref, name)
        if key not in names or (name and not names[key][1]):
            names[key] = (ref, name)
        amounts.setdefault(key, defaultdict(Decimal))[currency] += Decimal(value)
        currency_use[currency] += 1
    main_currency = currency_use.most_common(1)[0][0]

    def rank(key: str) -> tuple[Decimal, Decimal]:
        by_currency = amounts[key]
        return (-by_currency.get(main_currency, Decimal(0)), -max(by_currency.values()))

    return [
        FundingPartner(
            name=names[key][1],
            ref=names[key][0],
            incoming=tuple(
                Money(amount, currency)
                for currency, amount in sorted(amounts[key].items(), key=lambda i: i[0] or "")
            ),
        )
        for key in sorted(amounts, key=rank)
    ]


_FUNDERS_NAMED = (
    select(ParticipatingOrg.ref, ParticipatingOrg.name)
    .join(Outcome, ParticipatingOrg.outcome_id == Outcome.id)
    .where(_of_country(), ParticipatingOrg.role_code == FUNDING_ROLE)
)
_FUNDERS_NAMED_IN_PERIOD = _FUNDERS_NAMED.where(Outcome.plan_period == bindparam("plan_period"))


def _partners_named_on_outcomes(
    session: Session, iso3: str, plan_period: str | None
) -> list[FundingPartner]:
    """Funding organisations on the plan period's outcomes, the most often named first."""
    query, parameters = _FUNDERS_NAMED, {"iso3": iso3}
    if plan_period is not None:
        query, parameters = _FUNDERS_NAMED_IN_PERIOD, {**parameters, "plan_period": plan_period}
    partners: dict[str, FundingPartner] = {}
    mentions: Counter[str] = Counter()
    for ref, name in _rows(session, query, parameters):
        key = _partner_key(ref, name)
        if not name and not (ref and ref.strip()):
            continue
        if key not in partners or (name and not partners[key].name):
            partners[key] = FundingPartner(name=name, ref=ref)
        mentions[key] += 1
    return [partners[key] for key, _ in sorted(mentions.items(), key=lambda m: (-m[1], m[0]))]


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


# --- Results & Resources and Strategic Plan Contributions (portal.outcomes.queries) -----------


def results_resources(
    session: Session, iso3: str, year: int, outcomes: list[ListedOutcome]
) -> ResultsResourcesView:
    """The Results & Resources tab's data: see portal.outcomes.queries.results_resources."""
    from portal.outcomes.queries import results_resources as read

    return read(session, iso3, year, outcomes)


def strategic_plan(
    session: Session, iso3: str, year: int, outcomes: list[ListedOutcome]
) -> StrategicPlanView:
    """The Strategic Plan Contributions tab's data: see portal.outcomes.queries.strategic_plan."""
    from portal.outcomes.queries import strategic_plan as read

    return read(session, iso3, year, outcomes)
