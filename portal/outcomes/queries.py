"""Reads for Results & Resources, Strategic Plan Contributions and the outcome page.

Each function returns plain frozen dataclasses holding every row of the page (no pagination
inside: the views show the rows a page at a time, portal.pagination), so that the figures and
the downloads hold every row. The money
of every row comes from the ledger (portal.ledger), which owns the money rules: this module
adds the outputs, indicators and links of the same activities, a fixed number of queries
however many there are.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import cached_property

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, defer, joinedload, selectinload

from portal.codelists.queries import codelist_labels
from portal.countries.models import Country
from portal.countries.plan_periods import PlanPeriod
from portal.iati.models import (
    Classification,
    Indicator,
    IndicatorPeriod,
    Outcome,
    Result,
)
from portal.iati.narratives import Narratives
from portal.ledger import LedgerActivity, PublisherYear, YearLedger, rules, whole_activity
from portal.ledger.rules import (
    BudgetAndSpending,
    Funding,
    add_up,
    without_placeholders,
)
from portal.outcomes import strategic_plan as sp
from portal.quality.queries import (
    NO_FINDINGS,
    FindingsByRecord,
    FindingView,
    findings_of_outcome,
)

OUTPUT = "1"
OUTPUTS_SHOWN_PER_OUTCOME = 5
"""Results & Resources shows an outcome's first outputs; the outcome page shows them all."""
SDG_GOALS_CODELIST = "UNSDG-Goals"
# Indicator measures whose values are not quantities: nominal, ordinal, qualitative.
NOT_QUANTITIES = {"3", "4", "5"}
# Measures whose "1" and "0" say yes and no when the indicator has no other values.
YES_NO_MEASURES = {"3", "5"}
_YES_WORDS = {"yes", "true"}
_NO_WORDS = {"no", "false"}
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)\s*%?")


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
class Baseline:
    """An indicator's baseline as published."""

    value: str | None
    year: int | None
    comment: Narratives


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
    findings: tuple[FindingView, ...] = ()
    baseline: Baseline | None = None
    """The baseline of the indicator the period was published in, when the indicator is
    published once per period with baselines that differ (see `group_indicators`)."""

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
    findings: tuple[FindingView, ...] = ()

    @property
    def baseline_per_period(self) -> bool:
        """Whether each period says its own baseline (then the indicator has none)."""
        return any(period.baseline is not None for period in self.periods)

    @cached_property
    def reads_yes_no(self) -> bool:
        """A qualitative (or nominal) indicator whose every value is yes or no, 1 or 0: its
        "1" and "0" mean yes and no, as World Bank and UN Women files publish them."""
        if self.measure not in YES_NO_MEASURES:
            return False
        values = [self.baseline_value, *(baseline.value for baseline in self._baselines)]
        values += [v for period in self.periods for v in (period.target_value, period.actual_value)]
        published = [value.strip().lower() for value in values if value]
        return bool(published) and all(
            value in _YES_WORDS | _NO_WORDS | {"1", "0"} for value in published
        )

    def yes_no(self, value: str | None) -> bool | None:
        """True for a value that says yes, False for no, None for any other value."""
        word = (value or "").strip().lower().rstrip(".")
        if word in _YES_WORDS or (word == "1" and self.reads_yes_no):
            return True
        if word in _NO_WORDS or (word == "0" and self.reads_yes_no):
            return False
        return None

    @property
    def _baselines(self) -> list[Baseline]:
        return [period.baseline for period in self.periods if period.baseline is not None]


@dataclass(frozen=True)
class ResultReport:
    """An output (result type 1) or another result, with its indicators."""

    type_code: str | None
    title: Narratives
    description: Narratives
    indicators: tuple[IndicatorReport, ...]
    indicators_of_other_years: int = 0
    """Indicators left out because all their periods report on other years."""
    findings: tuple[FindingView, ...] = ()


def _period_values(
    indicator: Indicator, period: IndicatorPeriod, findings: FindingsByRecord = NO_FINDINGS
) -> PeriodValues:
    return PeriodValues(
        period_start=period.period_start,
        period_end=period.period_end,
        target_value=(period.target_value or "").strip() or None,
        target_comment=without_placeholders(period.target_comment),
        actual_value=(period.actual_value or "").strip() or None,
        actual_comment=without_placeholders(period.actual_comment),
        progress=progress_of(
            indicator.measure, indicator.ascending, period.target_value, period.actual_value
        ),
        findings=findings.get(("indicator period", period.id), ()),
    )


def _indicator_report(
    indicator: Indicator, periods: Sequence[PeriodValues], findings: FindingsByRecord
) -> IndicatorReport:
    return IndicatorReport(
        title=indicator.title,
        description=indicator.description,
        measure=indicator.measure,
        ascending=indicator.ascending,
        baseline_value=(indicator.baseline_value or "").strip() or None,
        baseline_year=indicator.baseline_year,
        baseline_comment=without_placeholders(indicator.baseline_comment),
        periods=tuple(periods),
        findings=findings.get(("indicator", indicator.id), ()),
    )


def _same_indicator(report: IndicatorReport) -> tuple:
    """What makes two published indicators one: the same title, measure and direction."""
    title = tuple(sorted((lang, " ".join(text.split())) for lang, text in report.title.items()))
    return title, report.measure, report.ascending


def _baseline_of(report: IndicatorReport) -> Baseline:
    return Baseline(report.baseline_value, report.baseline_year, report.baseline_comment)


def _with_periods(report: IndicatorReport, periods: Sequence[PeriodValues]) -> IndicatorReport:
    """The indicator with these periods; their own baselines move up to the indicator when
    they are all the same."""
    baseline = periods[0].baseline if periods else None
    if baseline is not None and all(period.baseline == baseline for period in periods):
        return replace(
            report,
            baseline_value=baseline.value,
            baseline_year=baseline.year,
            baseline_comment=baseline.comment,
            periods=tuple(replace(period, baseline=None) for period in periods),
        )
    return replace(report, periods=tuple(periods))


def _period_order(period: PeriodValues) -> tuple[dt.date, dt.date]:
    return (period.period_start or period.period_end or dt.date.min), (
        period.period_end or period.period_start or dt.date.min
    )


def group_indicators(reports: Sequence[IndicatorReport]) -> list[IndicatorReport]:
    """One indicator per title (with the same measure and direction), its periods in date
    order: UN Women publishes an indicator once per period, each with one period.

    Indicators without a period or a title stay apart (nothing to put together, nothing to
    tell them by). When the repeats' baselines differ, each period keeps its own
    (`PeriodValues.baseline`); nothing published is dropped.
    """
    groups: dict[tuple, list[IndicatorReport]] = {}
    order: list[tuple | IndicatorReport] = []
    for report in reports:
        if not report.periods or not any(text.strip() for text in report.title.values()):
            order.append(report)
            continue
        key = _same_indicator(report)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(report)
    grouped = []
    for item in order:
        if isinstance(item, IndicatorReport):
            grouped.append(item)
            continue
        members = groups[item]
        if len(members) == 1:
            grouped.append(members[0])
            continue
        first = members[0]
        periods = sorted(
            (
                replace(period, baseline=_baseline_of(member))
                for member in members
                for period in member.periods
            ),
            key=_period_order,
        )
        merged = replace(
            first,
            description=next((m.description for m in members if m.description), first.description),
            baseline_value=None,
            baseline_year=None,
            baseline_comment=Narratives(),
            findings=tuple(finding for member in members for finding in member.findings),
        )
        grouped.append(_with_periods(merged, periods))
    return grouped


def result_report(
    result: Result, year: int | None = None, findings: FindingsByRecord = NO_FINDINGS
) -> ResultReport | None:
    """A result with every indicator period, or (with `year`) the periods of that year.

    With every period (the outcome page), an indicator published once per period is shown
    once with all its periods (`group_indicators`). With a year, an indicator whose periods
    all report on other years is left out and counted; an indicator without any period
    stays, to show its baseline. None when every indicator was left out.
    """
    indicators = []
    left_out = 0
    for indicator in result.indicators:
        periods = [_period_values(indicator, period, findings) for period in indicator.periods]
        if year is not None:
            in_year = [period for period in periods if period.year == year]
            if periods and not in_year:
                left_out += 1
                continue
            periods = in_year
        indicators.append(_indicator_report(indicator, periods, findings))
    if year is None:
        indicators = group_indicators(indicators)
    if year is not None and left_out and not indicators:
        return None
    return ResultReport(
        type_code=result.type_code,
        title=result.title,
        description=result.description,
        indicators=tuple(indicators),
        indicators_of_other_years=left_out,
        findings=findings.get(("result", result.id), ()),
    )


# --- Provenance ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataSource:
    """Where figures came from: the publisher, its IATI file, and how current the data is.

    `data_as_of` is the newest last-updated date the activities publish, else their latest
    transaction date; the import date is said apart.
    """

    publisher_name: Narratives
    publisher_ref: str | None
    file_generated_at: dt.datetime | None
    imported_at: dt.datetime | None
    is_sample: bool
    data_as_of: dt.date | None = None


@dataclass(frozen=True)
class Provenance:
    """The sources of a page's figures (one per publisher and file) and the year they are for."""

    sources: tuple[DataSource, ...]
    year: int | None


def provenance_of(activities: Iterable[LedgerActivity], year: int | None) -> Provenance:
    sources: dict[tuple, DataSource] = {}
    for activity in activities:
        key = (activity.publisher_ref, activity.file_generated_at, activity.imported_at)
        known = sources.get(key)
        as_of = activity.data_as_of
        if known is not None:
            if as_of and (known.data_as_of is None or as_of > known.data_as_of):
                sources[key] = DataSource(**{**known.__dict__, "data_as_of": as_of})
            continue
        sources[key] = DataSource(
            publisher_name=activity.publisher_name,
            publisher_ref=activity.publisher_ref,
            file_generated_at=activity.file_generated_at,
            imported_at=activity.imported_at,
            is_sample=activity.is_sample,
            data_as_of=as_of,
        )
    return Provenance(tuple(sources.values()), year)


# --- Loading ---------------------------------------------------------------------------------


def _load_outcomes(session: Session, activities: Sequence[LedgerActivity], *options):
    """The activities' outcome rows with the parts a tab shows, by id (never their XML)."""
    ids = [activity.id for activity in activities]
    if not ids:
        return {}
    loaded = (
        session.scalars(
            select(Outcome)
            .where(Outcome.id.in_(ids))
            .options(defer(Outcome.source_xml), defer(Outcome.content_sha256), *options)
        )
        .unique()
        .all()
    )
    return {outcome.id: outcome for outcome in loaded}


def _results_with_indicators():
    return selectinload(Outcome.results).options(
        joinedload(Result.indicators).joinedload(Indicator.periods)
    )


# --- Results & Resources ---------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeResources:
    """One activity on Results & Resources: its money, funders and outputs for the year."""

    activity: LedgerActivity
    year_money: BudgetAndSpending
    period_money: BudgetAndSpending
    period: PlanPeriod | None
    """The publisher's plan period the money is summed over; None: the activity's own years."""
    funding: Funding
    outputs: tuple[ResultReport, ...]
    outputs_of_other_years: int
    """Outputs left out because all their indicators report on other years."""
    provenance: Provenance

    @property
    def outputs_shown(self) -> tuple[ResultReport, ...]:
        return self.outputs[:OUTPUTS_SHOWN_PER_OUTCOME]

    @property
    def outputs_not_shown(self) -> int:
        """Outputs of the year left for the outcome page, which shows every output."""
        return max(0, len(self.outputs) - OUTPUTS_SHOWN_PER_OUTCOME)

    @property
    def id(self) -> int:
        return self.activity.id

    @property
    def iati_identifier(self) -> str:
        return self.activity.iati_identifier

    @property
    def plan_period(self) -> str:
        return self.activity.plan_period

    @property
    def title(self) -> Narratives:
        return self.activity.title

    @property
    def default_lang(self) -> str | None:
        return self.activity.default_lang


@dataclass(frozen=True)
class PublisherResources:
    """One publisher's activities on Results & Resources, with their sums (never added to
    another publisher's)."""

    publisher: PublisherYear
    outcomes: tuple[OutcomeResources, ...]
    period_totals: BudgetAndSpending
    period: PlanPeriod | None
    """The plan period all the rows are summed over; None when they have their own years."""


@dataclass(frozen=True)
class ResultsResourcesView:
    """Everything the Results & Resources tab shows for a place and year.

    Each publisher's `year_totals` is the sum of its rows' year money; the Overview shows the
    same sums (both come from the ledger's YearLedger).
    """

    year: int
    publishers: tuple[PublisherResources, ...]
    provenance: Provenance

    @property
    def outcomes(self) -> tuple[OutcomeResources, ...]:
        return tuple(row for group in self.publishers for row in group.outcomes)


def results_resources(
    session: Session, year_ledger: YearLedger, periods: dict[str, list[PlanPeriod]]
) -> ResultsResourcesView:
    """Per activity active in the year: budget and spending for the year and over its plan
    period (else its own years), funding partners, outputs with the year's indicators.

    A fixed number of queries, whatever the number of activities, outputs and indicators.
    """
    year = year_ledger.year
    loaded = _load_outcomes(session, year_ledger.activities, _results_with_indicators())
    groups = []
    for publisher in year_ledger.publishers:
        rows = []
        for row in publisher.rows:
            activity = row.activity
            outcome = loaded.get(activity.id)
            outputs = [
                result_report(result, year)
                for result in (outcome.results if outcome else ())
                if result.type_code == OUTPUT
            ]
            period = plan_period_of(periods, activity, year)
            rows.append(
                OutcomeResources(
                    activity=activity,
                    year_money=row.money,
                    period_money=(
                        activity.money(period.first_year, period.last_year)
                        if period
                        else activity.money(None, None)
                    ),
                    period=period,
                    funding=row.funding,
                    outputs=tuple(output for output in outputs if output is not None),
                    outputs_of_other_years=sum(1 for output in outputs if output is None),
                    provenance=provenance_of([activity], year),
                )
            )
        groups.append(
            PublisherResources(
                publisher=publisher,
                outcomes=tuple(rows),
                period_totals=add_up(row.period_money for row in rows),
                period=(
                    rows[0].period
                    if rows and all(row.period == rows[0].period for row in rows)
                    else None
                ),
            )
        )
    return ResultsResourcesView(
        year=year,
        publishers=tuple(groups),
        provenance=provenance_of(year_ledger.activities, year),
    )


def plan_period_of(
    periods: dict[str, list[PlanPeriod]], activity: LedgerActivity, year: int
) -> PlanPeriod | None:
    """The activity's publisher's plan period covering `year`, if the publisher has one."""
    return next((p for p in periods.get(activity.publisher_ref or "", ()) if p.covers(year)), None)


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
    publisher_ref: str | None = None


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
    publisher_ref: str | None = None
    """Whose code the area is (vocabulary 99 is each publisher's own); None for SDGs."""
    anchor: str = "none"
    """The group's part of its element id, unique among the groups of its kind."""
    key: str = "area-none"
    """The group in the tab's URL (?group=area-D1, ?group=sdg-5), unique on the page."""

    @property
    def outcome_count(self) -> int:
        return len(self.outcomes)


@dataclass(frozen=True)
class StrategicPlanView:
    """The Strategic Plan Contributions tab: the outcomes by area and by SDG, for one year.

    `outcomes` are distinct: they equal the tab's outcome list.
    Labels are in the language of the request (SDG names from the IATI codelist if imported).
    """

    year: int
    outcomes: tuple[OutcomeSummary, ...]
    publishers: tuple[PublisherYear, ...]
    """The year's totals, per publisher: the same as the Overview's."""
    areas: tuple[ContributionGroup, ...]
    sdgs: tuple[ContributionGroup, ...]
    provenance: Provenance

    def group(self, key: str) -> ContributionGroup | None:
        """The area or SDG group with this key; None when the tab has no such group."""
        return next((group for group in (*self.areas, *self.sdgs) if group.key == key), None)

    @cached_property
    def _groups_by_outcome(self) -> dict[int, tuple[list, list]]:
        groups: dict[int, tuple[list, list]] = {o.id: ([], []) for o in self.outcomes}
        for index, kind in enumerate((self.areas, self.sdgs)):
            for group in kind:
                for outcome in group.outcomes:
                    groups[outcome.id][index].append(group)
        return groups

    def groups_of(self, outcome: OutcomeSummary) -> tuple[list, list]:
        """The areas and the SDG groups an outcome is listed in."""
        return self._groups_by_outcome.get(outcome.id, ([], []))

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


def _plain_name(names: Narratives, language: str) -> str | None:
    """A publisher's name as plain text in the visitor's language when published."""
    picked = names.pick(language) if names else None
    return picked.text if picked else None


GroupKey = tuple[str | None, str]
"""A group of the Strategic Plan tab: (publisher ref, area code), or (None, SDG goal)."""


def _groups(
    members: dict[GroupKey | None, list[OutcomeSummary]],
    labels: Callable[[GroupKey | None], tuple[str, str | None]],
    names: dict[GroupKey, Narratives],
    text_only: dict[GroupKey, set[int]],
    sort_key: Callable[[str], object],
    kind: str,
) -> tuple[ContributionGroup, ...]:
    keys: list[GroupKey | None] = sorted(
        (key for key in members if key is not None),
        key=lambda key: (key[0] or "", sort_key(key[1])),
    )
    if None in members:
        keys.append(None)
    publishers = sorted({key[0] or "" for key in keys if key is not None})

    def anchor(key: GroupKey | None) -> str:
        if key is None:
            return "none"
        code = re.sub(r"[^A-Za-z0-9_-]", "-", key[1])
        return code if len(publishers) < 2 else f"{publishers.index(key[0] or '') + 1}-{code}"

    return tuple(
        ContributionGroup(
            code=key[1] if key else None,
            label=labels(key)[0],
            short_name=labels(key)[1],
            published_name=names.get(key, Narratives()) if key else Narratives(),
            outcomes=tuple(members[key]),
            money=add_up(summary.money for summary in members[key]),
            linked_in_text_only=frozenset(text_only.get(key, ())) if key else frozenset(),
            publisher_ref=key[0] if key else None,
            anchor=anchor(key),
            key=f"{kind}-{anchor(key)}",
        )
        for key in keys
    )


def strategic_plan(session: Session, year_ledger: YearLedger, language: str) -> StrategicPlanView:
    """The activities of the year grouped by Strategic Plan area and by SDG, with their money.

    An activity linked to no area (or no SDG) is in a last group of its own, so that every
    activity is in at least one group. A fixed number of queries, whatever their number.
    """
    loaded = _load_outcomes(
        session,
        year_ledger.activities,
        selectinload(Outcome.classifications).load_only(
            Classification.kind, Classification.vocabulary, Classification.code, Classification.name
        ),
        selectinload(Outcome.results).load_only(Result.type_code, Result.title, Result.description),
    )
    sdg_names = codelist_labels(session, SDG_GOALS_CODELIST, language)
    summaries = []
    by_area: dict[GroupKey | None, list[OutcomeSummary]] = defaultdict(list)
    by_sdg: dict[GroupKey | None, list[OutcomeSummary]] = defaultdict(list)
    area_names: dict[GroupKey, Narratives] = {}
    text_only: dict[GroupKey, set[int]] = defaultdict(set)
    publisher_names: dict[str | None, str] = {}
    for row in year_ledger.rows:
        activity = row.activity
        summary = OutcomeSummary(
            id=activity.id,
            iati_identifier=activity.iati_identifier,
            plan_period=activity.plan_period,
            title=activity.title,
            default_lang=activity.default_lang,
            money=row.money,
            publisher_ref=activity.publisher_ref,
        )
        summaries.append(summary)
        outcome = loaded.get(activity.id)
        links = links_of(outcome) if outcome else OutcomeLinks({}, {}, ())
        publisher = activity.publisher_ref
        publisher_names.setdefault(
            publisher, _plain_name(activity.publisher_name, language) or publisher or ""
        )
        for area, only_in_text in links.areas.items():
            by_area[(publisher, area)].append(summary)
            if only_in_text:
                text_only[(publisher, area)].add(activity.id)
        for area, name in links.area_names.items():
            area_names.setdefault((publisher, area), name)
        if not links.areas:
            by_area[None].append(summary)
        for goal in links.sdgs:
            by_sdg[(None, goal)].append(summary)
        if not links.sdgs:
            by_sdg[None].append(summary)

    def area_labels(key: GroupKey | None) -> tuple[str, str | None]:
        if key is None:
            return (_("Not linked to a Strategic Plan area"), None)
        publisher, code = key
        return (sp.area_label(code, publisher_names.get(publisher)), sp.area_short_name(code))

    def sdg_labels(key: GroupKey | None) -> tuple[str, str | None]:
        if key is None:
            return (_("No Sustainable Development Goal published"), None)
        return (sp.sdg_label(key[1], sdg_names), None)

    return StrategicPlanView(
        year=year_ledger.year,
        outcomes=tuple(summaries),
        publishers=year_ledger.publishers,
        areas=_groups(by_area, area_labels, area_names, text_only, sp.area_sort_key, "area"),
        sdgs=_groups(by_sdg, sdg_labels, {}, {}, sp.sdg_sort_key, "sdg"),
        provenance=provenance_of(year_ledger.activities, year_ledger.year),
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
    short_name: str | None
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
    `money_by_year` has a row per year with a counted budget or spending; `money_total` is
    their sum (the whole activity, whatever its recipients' shares).
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
    funding: Funding
    """Funding partners over all years, by the ledger's rule (and the basis it used)."""
    funding_organisations: tuple[rules.FundingPartner, ...]
    areas: tuple[AreaLink, ...]
    sdgs: tuple[SdgLink, ...]
    provenance: Provenance
    findings: tuple[FindingView, ...] = ()
    """What looks wrong in the activity itself, its budget lines, transactions and recipients
    (those of results, indicators and periods are on them)."""

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
    session: Session, identifier: str, plan_period: str | None = None, language: str = "en"
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
                defer(Outcome.source_xml),
                defer(Outcome.content_sha256),
                joinedload(Outcome.publisher),
                joinedload(Outcome.source_file),
                selectinload(Outcome.budgets),
                selectinload(Outcome.transactions),
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
    sdg_names = codelist_labels(session, SDG_GOALS_CODELIST, language) if links.sdgs else {}
    activity = whole_activity(outcome)
    findings = findings_of_outcome(session, outcome.id)
    money_by_year = tuple(
        YearMoney(year, money)
        for year, money in rules.money_by_year(
            activity.budgets, activity.transactions, activity.default_currency
        ).items()
    )
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
            for report in (result_report(result, None, findings) for result in outcome.results)
            if report is not None
        ),
        money_by_year=money_by_year,
        money_total=add_up(row.money for row in money_by_year),
        funding=activity.funding(None),
        funding_organisations=rules.ranked_partners(activity.funding_organisations),
        areas=tuple(
            AreaLink(
                code=code,
                label=sp.area_label(code, _plain_name(activity.publisher_name, language)),
                short_name=sp.area_short_name(code),
                published_name=links.area_names.get(code, Narratives()),
                linked_in_text_only=only_in_text,
            )
            for code, only_in_text in links.areas.items()
        ),
        sdgs=tuple(SdgLink(goal, sp.sdg_label(goal, sdg_names)) for goal in links.sdgs),
        provenance=provenance_of([activity], None),
        findings=findings.get(("activity", outcome.id), ()),
    )
