"""Reads for Results & Resources, Strategic Plan Contributions and the outcome page.

Each function returns plain frozen dataclasses holding every row the page shows (no
pagination inside), so that the downloads can export exactly what a visitor sees. Money is
kept per currency and never added across currencies. Each read costs a fixed number of
queries, however many outcomes, outputs or indicators there are: the parts of the outcomes
are eager-loaded and the sums are made here, from the same rows the pages list, so that
every total equals the sum of its parts.

Rules shared with the Overview (portal.countries.queries.country_year_figures):
- a budget counts in the year its period starts; where an outcome publishes an original
  (type 1) and a revised (type 2) budget for the same period, only the revised one counts;
- expenditure is transactions of type 4, in the year of their date;
- a value without a currency takes its outcome's default currency;
- funding partners are the providers of incoming funds (type 1) in the year, else the
  funding organisations (participating-org role 1) named on the outcome, without amounts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask import has_request_context
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, defer, joinedload, selectinload

from portal.codelists.queries import codelist_labels
from portal.countries.models import Country
from portal.countries.plan_periods import PlanPeriod
from portal.countries.queries import (
    EXPENDITURE,
    FUNDING_ROLE,
    INCOMING_FUNDS,
    ORIGINAL_BUDGET,
    REVISED_BUDGET,
    FundingPartner,
    ListedOutcome,
    Money,
    _partner_key,
)
from portal.i18n.catalogue import request_catalogue
from portal.iati.models import (
    Budget,
    Classification,
    Indicator,
    IndicatorPeriod,
    Outcome,
    ParticipatingOrg,
    Result,
    Transaction,
)
from portal.iati.narratives import Narratives
from portal.iati.parser import is_placeholder
from portal.outcomes import strategic_plan as sp

OUTPUT = "1"
SDG_GOALS_CODELIST = "UNSDG-Goals"
# Indicator measures whose values are not quantities: nominal, ordinal, qualitative.
NOT_QUANTITIES = {"3", "4", "5"}
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)\s*%?")


# --- Money ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryRate:
    """Expenditure against budget in one currency; `rate` is None when it cannot be computed."""

    currency: str | None
    budget: Decimal | None
    expenditure: Decimal | None

    @property
    def rate(self) -> Decimal | None:
        """Expenditure / budget (0.625 for 62.5 %), only when both exist and budget > 0."""
        if self.budget is None or self.expenditure is None or self.budget <= 0:
            return None
        return self.expenditure / self.budget


@dataclass(frozen=True)
class BudgetAndSpending:
    """Planned budget and expenditure, each per currency."""

    budget: tuple[Money, ...] = ()
    expenditure: tuple[Money, ...] = ()

    @property
    def delivery(self) -> tuple[DeliveryRate, ...]:
        """One delivery rate per currency that has a budget or an expenditure."""
        budgets = {money.currency: money.amount for money in self.budget}
        spent = {money.currency: money.amount for money in self.expenditure}
        currencies = sorted(set(budgets) | set(spent), key=lambda currency: currency or "")
        return tuple(
            DeliveryRate(currency, budgets.get(currency), spent.get(currency))
            for currency in currencies
        )


def _sum_by_currency(amounts: Iterable[tuple[str | None, Decimal]]) -> tuple[Money, ...]:
    totals: dict[str | None, Decimal] = defaultdict(Decimal)
    seen: set[str | None] = set()
    for currency, amount in amounts:
        totals[currency] += amount
        seen.add(currency)
    return tuple(
        Money(totals[currency], currency)
        for currency in sorted(seen, key=lambda currency: currency or "")
    )


def add_up(parts: Iterable[BudgetAndSpending]) -> BudgetAndSpending:
    """The sum of several figures, currency by currency."""
    parts = list(parts)
    return BudgetAndSpending(
        budget=_sum_by_currency(
            (money.currency, money.amount) for part in parts for money in part.budget
        ),
        expenditure=_sum_by_currency(
            (money.currency, money.amount) for part in parts for money in part.expenditure
        ),
    )


def counted_budgets(outcome: Outcome) -> list[Budget]:
    """The outcome's budgets that count: a revised budget replaces the original of its period."""
    revised_starts = {
        budget.period_start for budget in outcome.budgets if budget.type_code == REVISED_BUDGET
    }
    return [
        budget
        for budget in outcome.budgets
        if budget.value is not None
        and budget.period_start is not None
        and not (budget.type_code == ORIGINAL_BUDGET and budget.period_start in revised_starts)
    ]


def expenditures(outcome: Outcome) -> list[Transaction]:
    return [
        transaction
        for transaction in outcome.transactions
        if transaction.type_code == EXPENDITURE
        and transaction.value is not None
        and transaction.date is not None
    ]


def _money_in_years(
    outcome: Outcome, first_year: int | None, last_year: int | None
) -> BudgetAndSpending:
    """Budget and expenditure of the outcome in the years given (None: no limit)."""

    def within(day: dt.date) -> bool:
        return (first_year is None or day.year >= first_year) and (
            last_year is None or day.year <= last_year
        )

    currency = outcome.default_currency
    return BudgetAndSpending(
        budget=_sum_by_currency(
            (budget.currency or currency, Decimal(budget.value))
            for budget in counted_budgets(outcome)
            if within(budget.period_start)
        ),
        expenditure=_sum_by_currency(
            (spent.currency or currency, Decimal(spent.value))
            for spent in expenditures(outcome)
            if within(spent.date)
        ),
    )


def money_of_year(outcome: Outcome, year: int) -> BudgetAndSpending:
    return _money_in_years(outcome, year, year)


def money_of_plan_period(outcome: Outcome) -> BudgetAndSpending:
    """Budget and expenditure in the years of the outcome's plan period (all, if unreadable)."""
    period = PlanPeriod.parse(outcome.plan_period)
    return _money_in_years(outcome, period.first_year, period.last_year)


# --- Funding partners ------------------------------------------------------------------------


def _without_placeholders(texts: Narratives | None) -> Narratives:
    """A name or comment without placeholder texts ("-" stands for nothing)."""
    return Narratives(
        {lang: text for lang, text in (texts or {}).items() if text and not is_placeholder(text)}
    )


def incoming_funds_by_provider(
    transactions: Iterable[tuple[Transaction, str | None]],
) -> tuple[FundingPartner, ...]:
    """Providers of incoming funds with their amounts per currency, the largest first.

    `transactions` pairs each incoming-funds transaction with its outcome's default currency.
    """
    names: dict[str, tuple[str | None, Narratives]] = {}
    amounts: dict[str, dict[str | None, Decimal]] = {}
    for transaction, default_currency in transactions:
        if transaction.value is None:
            continue
        name = _without_placeholders(transaction.provider_name)
        ref = (transaction.provider_ref or "").strip() or None
        key = _partner_key(ref, name) if (ref or name) else "unnamed"
        if key not in names or (name and not names[key][1]):
            names[key] = (ref, name)
        currency = transaction.currency or default_currency
        by_currency = amounts.setdefault(key, defaultdict(Decimal))
        by_currency[currency] += Decimal(transaction.value)

    def largest_first(key: str) -> tuple[Decimal, str]:
        return (-max(amounts[key].values()), key)

    return tuple(
        FundingPartner(
            name=names[key][1],
            ref=names[key][0],
            incoming=_sum_by_currency(amounts[key].items()),
        )
        for key in sorted(amounts, key=largest_first)
    )


def funding_organisations(outcome: Outcome) -> tuple[FundingPartner, ...]:
    """The funding organisations (role 1) named on the outcome, once each, as published."""
    partners: dict[str, FundingPartner] = {}
    for organisation in outcome.participating_orgs:
        if organisation.role_code != FUNDING_ROLE:
            continue
        name = _without_placeholders(organisation.name)
        ref = (organisation.ref or "").strip() or None
        if not name and not ref:
            continue
        key = _partner_key(ref, name)
        if key not in partners or (name and not partners[key].name):
            partners[key] = FundingPartner(name=name, ref=ref)
    return tuple(partners.values())


def _incoming_funds(outcome: Outcome, year: int | None) -> list[tuple[Transaction, str | None]]:
    return [
        (transaction, outcome.default_currency)
        for transaction in outcome.transactions
        if transaction.type_code == INCOMING_FUNDS
        and transaction.value is not None
        and transaction.date is not None
        and (year is None or transaction.date.year == year)
    ]


# --- Indicators ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """Actual against target, said only when both are quantities and the target is above zero.

    `share` is actual / target (0.75 for "Actual 45 of target 60 (75 %)"). When not
    measurable, `reason` says why: "no_target", "no_actual", "not_numeric", "qualitative",
    "zero_target" or "lower_is_better" (a descending indicator: a share of the target would
    read as progress when it is not). Nothing else is derived (no "gain" from the baseline).
    """

    actual: Decimal | None
    target: Decimal | None
    share: Decimal | None
    reason: str | None

    @property
    def measurable(self) -> bool:
        return self.share is not None

    @property
    def bar_width(self) -> int:
        """The drawn bar, 0–100 (beyond the target it stops at the target's end)."""
        if self.share is None:
            return 0
        return max(0, min(100, round(self.share * 100)))


def number_value(value: str | None) -> Decimal | None:
    """A published value as a number: "45", "38.9", "75%"; None for text ("Yes", "1,500")."""
    if value is None or not _PLAIN_NUMBER.fullmatch(value.strip()):
        return None
    try:
        return Decimal(value.strip().rstrip("%").strip())
    except InvalidOperation:
        return None


def progress_of(
    measure: str | None, ascending: bool | None, target: str | None, actual: str | None
) -> Progress:
    target_number, actual_number = number_value(target), number_value(actual)

    def not_measurable(reason: str) -> Progress:
        return Progress(actual_number, target_number, None, reason)

    if measure in NOT_QUANTITIES:
        return not_measurable("qualitative")
    if target is None or not target.strip():
        return not_measurable("no_target")
    if actual is None or not actual.strip():
        return not_measurable("no_actual")
    if target_number is None or actual_number is None:
        return not_measurable("not_numeric")
    if ascending is False:
        return not_measurable("lower_is_better")
    if target_number <= 0:
        return not_measurable("zero_target")
    return Progress(actual_number, target_number, actual_number / target_number, None)


@dataclass(frozen=True)
class PeriodValues:
    """Target and actual of one indicator period, with their comments, as published."""

    period_start: dt.date | None
    period_end: dt.date | None
    target_value: str | None
    target_comment: Narratives
    actual_value: str | None
    actual_comment: Narratives
    progress: Progress

    @property
    def year(self) -> int | None:
        """The year the period reports on: the year of its end, else of its start."""
        day = self.period_end or self.period_start
        return day.year if day else None


@dataclass(frozen=True)
class IndicatorReport:
    """An indicator with its baseline and the periods shown (the year's, or all of them)."""

    title: Narratives
    description: Narratives
    measure: str | None
    ascending: bool | None
    baseline_value: str | None
    baseline_year: int | None
    baseline_comment: Narratives
    periods: tuple[PeriodValues, ...]


@dataclass(frozen=True)
class ResultReport:
    """An output (result type 1) or another result, with its indicators."""

    type_code: str | None
    title: Narratives
    description: Narratives
    indicators: tuple[IndicatorReport, ...]
    indicators_of_other_years: int = 0
    """Indicators left out because all their periods report on other years."""


def _period_values(indicator: Indicator, period: IndicatorPeriod) -> PeriodValues:
    return PeriodValues(
        period_start=period.period_start,
        period_end=period.period_end,
        target_value=(period.target_value or "").strip() or None,
        target_comment=_without_placeholders(period.target_comment),
        actual_value=(period.actual_value or "").strip() or None,
        actual_comment=_without_placeholders(period.actual_comment),
        progress=progress_of(
            indicator.measure, indicator.ascending, period.target_value, period.actual_value
        ),
    )


def _indicator_report(indicator: Indicator, periods: Sequence[PeriodValues]) -> IndicatorReport:
    return IndicatorReport(
        title=indicator.title,
        description=indicator.description,
        measure=indicator.measure,
        ascending=indicator.ascending,
        baseline_value=(indicator.baseline_value or "").strip() or None,
        baseline_year=indicator.baseline_year,
        baseline_comment=_without_placeholders(indicator.baseline_comment),
        periods=tuple(periods),
    )


def result_report(result: Result, year: int | None = None) -> ResultReport | None:
    """A result with every indicator period, or (with `year`) the periods of that year.

    With a year, an indicator whose periods all report on other years is left out (UN Women
    repeats an indicator once per period) and counted; an indicator without any period stays,
    to show its baseline. None when every indicator was left out.
    """
    indicators = []
    left_out = 0
    for indicator in result.indicators:
        periods = [_period_values(indicator, period) for period in indicator.periods]
        if year is not None:
            in_year = [period for period in periods if period.year == year]
            if periods and not in_year:
                left_out += 1
                continue
            periods = in_year
        indicators.append(_indicator_report(indicator, periods))
    if year is not None and left_out and not indicators:
        return None
    return ResultReport(
        type_code=result.type_code,
        title=result.title,
        description=result.description,
        indicators=tuple(indicators),
        indicators_of_other_years=left_out,
    )


# --- Provenance ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataSource:
    """Where figures came from: the publisher and the IATI file as imported."""

    publisher_name: Narratives
    publisher_ref: str | None
    file_generated_at: dt.datetime | None
    imported_at: dt.datetime | None
    is_sample: bool


@dataclass(frozen=True)
class Provenance:
    """The sources of a page's figures (one per publisher and file) and the year they are for."""

    sources: tuple[DataSource, ...]
    year: int | None


def provenance_of(outcomes: Iterable[Outcome], year: int | None) -> Provenance:
    sources: dict[tuple[int | None, int | None], DataSource] = {}
    for outcome in outcomes:
        key = (outcome.publisher_id, outcome.source_file_id)
        if key in sources:
            continue
        publisher, source_file = outcome.publisher, outcome.source_file
        sources[key] = DataSource(
            publisher_name=_without_placeholders(publisher.name) if publisher else Narratives(),
            publisher_ref=publisher.ref if publisher else None,
            file_generated_at=source_file.generated_at if source_file else None,
            imported_at=source_file.imported_at if source_file else None,
            is_sample=bool(source_file and source_file.is_sample),
        )
    return Provenance(tuple(sources.values()), year)


# --- Loading ---------------------------------------------------------------------------------


def _outcome_columns():
    """Everything of an outcome the pages show: not its stored XML."""
    return (
        defer(Outcome.source_xml),
        defer(Outcome.content_sha256),
        joinedload(Outcome.publisher),
        joinedload(Outcome.source_file),
    )


def _money_parts():
    return (
        selectinload(Outcome.budgets).load_only(
            Budget.type_code, Budget.period_start, Budget.value, Budget.currency
        ),
        selectinload(Outcome.transactions).load_only(
            Transaction.type_code,
            Transaction.date,
            Transaction.value,
            Transaction.currency,
            Transaction.provider_ref,
            Transaction.provider_name,
        ),
    )


def _load_outcomes(session: Session, iso3: str, outcomes: Sequence[ListedOutcome], *options):
    """The outcomes again, with their parts, in the caller's order; only the country's."""
    ids = [outcome.id for outcome in outcomes]
    if not ids:
        return []
    loaded = (
        session.scalars(
            select(Outcome)
            .where(Outcome.id.in_(ids), Outcome.country_iso3 == iso3)
            .options(*_outcome_columns(), *_money_parts(), *options)
        )
        .unique()
        .all()
    )
    by_id = {outcome.id: outcome for outcome in loaded}
    return [by_id[outcome_id] for outcome_id in ids if outcome_id in by_id]


def _results_with_indicators():
    return selectinload(Outcome.results).options(
        joinedload(Result.indicators).joinedload(Indicator.periods)
    )


def _visitor_language() -> str:
    return str(request_catalogue()[1].language) if has_request_context() else "en"


# --- Results & Resources ---------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeResources:
    """One outcome on Results & Resources: its money, funders and outputs for the year."""

    id: int
    iati_identifier: str
    plan_period: str
    title: Narratives
    default_lang: str | None
    year_money: BudgetAndSpending
    plan_period_money: BudgetAndSpending
    funding_partners: tuple[FundingPartner, ...]
    partners_from_incoming_funds: bool
    """True: providers of the year's incoming funds; False: organisations named, no amounts."""
    outputs: tuple[ResultReport, ...]
    outputs_of_other_years: int
    """Outputs left out because all their indicators report on other years."""
    provenance: Provenance


@dataclass(frozen=True)
class ResultsResourcesView:
    """Everything the Results & Resources tab shows for a country, plan period and year.

    `year_totals` and `plan_period_totals` are the sums of the outcomes' figures;
    `funding_by_partner` sums the year's incoming funds of all outcomes per provider.
    """

    iso3: str
    year: int
    plan_period: str | None
    outcomes: tuple[OutcomeResources, ...]
    year_totals: BudgetAndSpending
    plan_period_totals: BudgetAndSpending
    funding_by_partner: tuple[FundingPartner, ...]
    provenance: Provenance


def results_resources(
    session: Session, iso3: str, year: int, outcomes: Sequence[ListedOutcome]
) -> ResultsResourcesView:
    """Per outcome (the plan period's, as the country page lists them): budget and expenditure
    for the year and the plan period, funding partners, outputs with the year's indicators.

    Five queries, whatever the number of outcomes, outputs and indicators.
    """
    loaded = _load_outcomes(
        session,
        iso3,
        outcomes,
        selectinload(Outcome.participating_orgs).load_only(
            ParticipatingOrg.role_code, ParticipatingOrg.ref, ParticipatingOrg.name
        ),
        _results_with_indicators(),
    )
    rows = []
    every_incoming: list[tuple[Transaction, str | None]] = []
    for outcome in loaded:
        outcome_incoming = _incoming_funds(outcome, year)
        every_incoming += outcome_incoming
        incoming = incoming_funds_by_provider(outcome_incoming)
        outputs = [
            result_report(result, year) for result in outcome.results if result.type_code == OUTPUT
        ]
        rows.append(
            OutcomeResources(
                id=outcome.id,
                iati_identifier=outcome.iati_identifier,
                plan_period=outcome.plan_period,
                title=outcome.title,
                default_lang=outcome.default_lang,
                year_money=money_of_year(outcome, year),
                plan_period_money=money_of_plan_period(outcome),
                funding_partners=incoming or funding_organisations(outcome),
                partners_from_incoming_funds=bool(incoming),
                outputs=tuple(output for output in outputs if output is not None),
                outputs_of_other_years=sum(1 for output in outputs if output is None),
                provenance=provenance_of([outcome], year),
            )
        )
    return ResultsResourcesView(
        iso3=iso3,
        year=year,
        plan_period=loaded[0].plan_period if loaded else None,
        outcomes=tuple(rows),
        year_totals=add_up(row.year_money for row in rows),
        plan_period_totals=add_up(row.plan_period_money for row in rows),
        funding_by_partner=incoming_funds_by_provider(every_incoming),
        provenance=provenance_of(loaded, year),
    )


# --- Strategic Plan Contributions --------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeSummary:
    """An outcome as a group lists it, with its budget and expenditure for the year."""

    id: int
    iati_identifier: str
    plan_period: str
    title: Narratives
    default_lang: str | None
    money: BudgetAndSpending


@dataclass(frozen=True)
class ContributionGroup:
    """A Strategic Plan area or an SDG with the outcomes linked to it.

    `code` is the area ("D1") or goal ("5"); None for the group of outcomes linked to none.
    `money` adds up the outcomes' whole figures: an outcome in several groups counts in each.
    `linked_in_text_only` holds the ids of outcomes linked only by a reference in their text.
    """

    code: str | None
    label: str
    short_name: str | None
    published_name: Narratives
    outcomes: tuple[OutcomeSummary, ...]
    money: BudgetAndSpending
    linked_in_text_only: frozenset[int] = frozenset()

    @property
    def outcome_count(self) -> int:
        return len(self.outcomes)


@dataclass(frozen=True)
class StrategicPlanView:
    """The Strategic Plan Contributions tab: the outcomes by area and by SDG, for one year.

    `totals` and `outcomes` are of distinct outcomes: they equal the tab's outcome list.
    Labels are in the language of the request (SDG names from the IATI codelist if imported).
    """

    iso3: str
    year: int
    plan_period: str | None
    outcomes: tuple[OutcomeSummary, ...]
    totals: BudgetAndSpending
    areas: tuple[ContributionGroup, ...]
    sdgs: tuple[ContributionGroup, ...]
    provenance: Provenance

    @property
    def outcomes_in_several_areas(self) -> int:
        return _in_several(self.areas)

    @property
    def outcomes_in_several_sdgs(self) -> int:
        return _in_several(self.sdgs)


def _in_several(groups: Iterable[ContributionGroup]) -> int:
    counts: dict[int, int] = defaultdict(int)
    for group in groups:
        for outcome in group.outcomes:
            counts[outcome.id] += 1
    return sum(1 for count in counts.values() if count > 1)


@dataclass(frozen=True)
class OutcomeLinks:
    """What an outcome contributes to: areas (each with whether only text names it) and SDGs."""

    areas: dict[str, bool]
    """Area code → True when only a "related to SP_…" reference in the text links it."""
    area_names: dict[str, Narratives]
    sdgs: tuple[str, ...]


def links_of(outcome: Outcome) -> OutcomeLinks:
    """The areas and SDGs of an outcome from its classifications and its texts."""
    areas: dict[str, bool] = {}
    names: dict[str, Narratives] = {}
    sdgs: set[str] = set()
    for classification in outcome.classifications:
        area = sp.area_of_classification(
            classification.kind, classification.vocabulary, classification.code
        )
        if area:
            areas[area] = False
            if classification.name and area not in names:
                names[area] = classification.name
        goal = sp.sdg_goal_of_classification(
            classification.kind, classification.vocabulary, classification.code
        )
        if goal:
            sdgs.add(goal)
    texts = [*outcome.title.values(), *outcome.description.values()]
    for result in outcome.results:
        texts += [*result.title.values(), *result.description.values()]
    for area in sp.areas_referenced(texts):
        areas.setdefault(area, True)
    ordered = {code: areas[code] for code in sorted(areas, key=sp.area_sort_key)}
    return OutcomeLinks(ordered, names, tuple(sorted(sdgs, key=sp.sdg_sort_key)))


def _groups(
    members: dict[str | None, list[OutcomeSummary]],
    labels: Callable[[str | None], tuple[str, str | None]],
    names: dict[str, Narratives],
    text_only: dict[str, set[int]],
    sort_key: Callable[[str], object],
) -> tuple[ContributionGroup, ...]:
    codes = sorted((code for code in members if code is not None), key=sort_key)
    if None in members:
        codes.append(None)
    return tuple(
        ContributionGroup(
            code=code,
            label=labels(code)[0],
            short_name=labels(code)[1],
            published_name=names.get(code, Narratives()) if code else Narratives(),
            outcomes=tuple(members[code]),
            money=add_up(summary.money for summary in members[code]),
            linked_in_text_only=frozenset(text_only.get(code, ())) if code else frozenset(),
        )
        for code in codes
    )


def strategic_plan(
    session: Session, iso3: str, year: int, outcomes: Sequence[ListedOutcome]
) -> StrategicPlanView:
    """The country's outcomes grouped by Strategic Plan area and by SDG, with the year's money.

    An outcome linked to no area (or no SDG) is in a last group of its own, so that every
    outcome is in at least one group. Five queries, whatever the number of outcomes.
    """
    loaded = _load_outcomes(
        session,
        iso3,
        outcomes,
        joinedload(Outcome.classifications).load_only(
            Classification.kind, Classification.vocabulary, Classification.code, Classification.name
        ),
        selectinload(Outcome.results).load_only(Result.type_code, Result.title, Result.description),
    )
    sdg_names = codelist_labels(session, SDG_GOALS_CODELIST, _visitor_language())
    summaries = []
    by_area: dict[str | None, list[OutcomeSummary]] = defaultdict(list)
    by_sdg: dict[str | None, list[OutcomeSummary]] = defaultdict(list)
    area_names: dict[str, Narratives] = {}
    text_only: dict[str, set[int]] = defaultdict(set)
    for outcome in loaded:
        summary = OutcomeSummary(
            id=outcome.id,
            iati_identifier=outcome.iati_identifier,
            plan_period=outcome.plan_period,
            title=outcome.title,
            default_lang=outcome.default_lang,
            money=money_of_year(outcome, year),
        )
        summaries.append(summary)
        links = links_of(outcome)
        for area, only_in_text in links.areas.items():
            by_area[area].append(summary)
            if only_in_text:
                text_only[area].add(outcome.id)
        for area, name in links.area_names.items():
            area_names.setdefault(area, name)
        if not links.areas:
            by_area[None].append(summary)
        for goal in links.sdgs:
            by_sdg[goal].append(summary)
        if not links.sdgs:
            by_sdg[None].append(summary)

    def area_labels(code: str | None) -> tuple[str, str | None]:
        if code is None:
            return (_("Not linked to a Strategic Plan area"), None)
        return (sp.area_label(code), sp.area_short_name(code))

    def sdg_labels(code: str | None) -> tuple[str, str | None]:
        if code is None:
            return (_("No Sustainable Development Goal published"), None)
        return (sp.sdg_label(code, sdg_names), None)

    return StrategicPlanView(
        iso3=iso3,
        year=year,
        plan_period=loaded[0].plan_period if loaded else None,
        outcomes=tuple(summaries),
        totals=add_up(summary.money for summary in summaries),
        areas=_groups(by_area, area_labels, area_names, text_only, sp.area_sort_key),
        sdgs=_groups(by_sdg, sdg_labels, {}, {}, sp.sdg_sort_key),
        provenance=provenance_of(loaded, year),
    )


# --- The outcome page --------------------------------------------------------------------------


@dataclass(frozen=True)
class YearMoney:
    year: int
    money: BudgetAndSpending


@dataclass(frozen=True)
class AreaLink:
    code: str
    label: str
    short_name: str
    published_name: Narratives
    linked_in_text_only: bool


@dataclass(frozen=True)
class SdgLink:
    goal: str
    label: str


@dataclass(frozen=True)
class OutcomeDetail:
    """One outcome in one plan period, with everything the outcome page shows.

    `plan_periods` lists every plan period the identifier is used in, newest first.
    `money_by_year` has a row per year with a counted budget or an expenditure; `money_total`
    is their sum. Funding: `incoming_funds` per provider over all years, and the funding
    organisations named on the outcome.
    """

    id: int
    iati_identifier: str
    plan_period: str
    plan_periods: tuple[str, ...]
    title: Narratives
    description: Narratives
    default_lang: str | None
    status_code: str | None
    planned_start: dt.date | None
    actual_start: dt.date | None
    planned_end: dt.date | None
    actual_end: dt.date | None
    country_iso3: str | None
    country_iso2: str | None
    country_english_name: str | None
    """From the country table; None when the country is not known there."""
    region_code: str | None
    region_name: Narratives
    progress: tuple[tuple[int, Narratives], ...]
    results: tuple[ResultReport, ...]
    money_by_year: tuple[YearMoney, ...]
    money_total: BudgetAndSpending
    incoming_funds: tuple[FundingPartner, ...]
    funding_organisations: tuple[FundingPartner, ...]
    areas: tuple[AreaLink, ...]
    sdgs: tuple[SdgLink, ...]
    provenance: Provenance

    @property
    def outputs(self) -> tuple[ResultReport, ...]:
        return tuple(result for result in self.results if result.type_code == OUTPUT)

    @property
    def other_results(self) -> tuple[ResultReport, ...]:
        return tuple(result for result in self.results if result.type_code != OUTPUT)


def plan_periods_of(session: Session, identifier: str) -> list[str]:
    """The plan periods an identifier is used in, newest first (empty: unknown identifier)."""
    periods = session.scalars(
        select(Outcome.plan_period).where(Outcome.iati_identifier == identifier)
    ).all()
    return sorted(periods, key=lambda label: PlanPeriod.parse(label).newness, reverse=True)


def outcome_detail(
    session: Session, identifier: str, plan_period: str | None = None
) -> OutcomeDetail | None:
    """The outcome with this identifier in this plan period (default: the newest); None when
    there is none. A fixed number of queries, whatever the number of results and indicators."""
    periods = plan_periods_of(session, identifier)
    if not periods or (plan_period is not None and plan_period not in periods):
        return None
    chosen = plan_period if plan_period is not None else periods[0]
    outcome = (
        session.scalars(
            select(Outcome)
            .where(Outcome.iati_identifier == identifier, Outcome.plan_period == chosen)
            .options(
                *_outcome_columns(),
                *_money_parts(),
                _results_with_indicators(),
                selectinload(Outcome.participating_orgs),
                selectinload(Outcome.classifications),
                selectinload(Outcome.progress_narratives),
            )
        )
        .unique()
        .one_or_none()
    )
    if outcome is None:
        return None
    country = session.get(Country, outcome.country_iso3) if outcome.country_iso3 else None
    links = links_of(outcome)
    sdg_names = (
        codelist_labels(session, SDG_GOALS_CODELIST, _visitor_language()) if links.sdgs else {}
    )
    money_by_year = _money_by_year(outcome)
    return OutcomeDetail(
        id=outcome.id,
        iati_identifier=outcome.iati_identifier,
        plan_period=outcome.plan_period,
        plan_periods=tuple(periods),
        title=outcome.title,
        description=outcome.description,
        default_lang=outcome.default_lang,
        status_code=outcome.status_code,
        planned_start=outcome.planned_start,
        actual_start=outcome.actual_start,
        planned_end=outcome.planned_end,
        actual_end=outcome.actual_end,
        country_iso3=outcome.country_iso3,
        country_iso2=country.iso2 if country else outcome.country_iso2,
        country_english_name=country.english_name if country else None,
        region_code=outcome.region_code,
        region_name=outcome.region_name,
        progress=tuple(
            (narrative.year, narrative.text)
            for narrative in sorted(outcome.progress_narratives, key=lambda n: n.year)
            if narrative.text
        ),
        results=tuple(
            report
            for report in (result_report(result) for result in outcome.results)
            if report is not None
        ),
        money_by_year=money_by_year,
        money_total=add_up(row.money for row in money_by_year),
        incoming_funds=incoming_funds_by_provider(_incoming_funds(outcome, None)),
        funding_organisations=funding_organisations(outcome),
        areas=tuple(
            AreaLink(
                code=code,
                label=sp.area_label(code),
                short_name=sp.area_short_name(code),
                published_name=links.area_names.get(code, Narratives()),
                linked_in_text_only=only_in_text,
            )
            for code, only_in_text in links.areas.items()
        ),
        sdgs=tuple(SdgLink(goal, sp.sdg_label(goal, sdg_names)) for goal in links.sdgs),
        provenance=provenance_of([outcome], None),
    )


def _money_by_year(outcome: Outcome) -> tuple[YearMoney, ...]:
    years = {budget.period_start.year for budget in counted_budgets(outcome)} | {
        spent.date.year for spent in expenditures(outcome)
    }
    return tuple(YearMoney(year, money_of_year(outcome, year)) for year in sorted(years))
