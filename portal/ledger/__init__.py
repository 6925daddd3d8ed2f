"""The ledger: every activity of a place (a country or a region) with its share, its years and
its money, read once and added up by one set of rules (portal.ledger.rules).

The country and region tabs, their downloads, the API and the counts on the home page and the
country list all read a place's activities and figures from here, so that they cannot disagree:
a tab's totals are the sums of its rows, and the rows are the same on every tab and file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import and_, bindparam, extract, func, or_, select
from sqlalchemy.orm import Session, aliased

from portal.iati.models import (
    Budget,
    Outcome,
    ParticipatingOrg,
    Publisher,
    Recipient,
    SourceFile,
    Transaction,
)
from portal.iati.narratives import Narratives
from portal.ledger import rules
from portal.ledger.rules import (
    BudgetAndSpending,
    BudgetLine,
    Funding,
    FundingLine,
    Share,
    TransactionLine,
)

COUNTRY = "country"
REGION = "region"


@dataclass(frozen=True)
class Scope:
    """A place with its own pages: a country (ISO3) or a region (IATI vocabulary and code)."""

    kind: str
    code: str
    vocabulary: str | None = None


def country_scope(iso3: str) -> Scope:
    return Scope(COUNTRY, iso3)


def region_scope(vocabulary: str, code: str) -> Scope:
    return Scope(REGION, code, vocabulary)


def natural_key(identifier: str) -> list[tuple[int, int | str]]:
    """Sort "MLI_D_1.2" before "MLI_D_1.10"."""
    return [
        (0, int(part)) if part.isdigit() else (1, part.lower())
        for part in re.split(r"(\d+)", identifier)
        if part
    ]


@dataclass(frozen=True, eq=False)
class LedgerActivity:
    """An activity as a place counts it: its share there, the years it is active, its money."""

    id: int
    iati_identifier: str
    plan_period: str
    publisher_ref: str | None
    publisher_name: Narratives
    default_lang: str | None
    default_currency: str | None
    title: Narratives
    start: dt.date | None
    end: dt.date | None
    last_updated_at: dt.datetime | None
    file_generated_at: dt.datetime | None
    imported_at: dt.datetime | None
    is_sample: bool
    share: Share
    budgets: tuple[BudgetLine, ...] = ()
    transactions: tuple[TransactionLine, ...] = ()
    funding_organisations: tuple[FundingLine, ...] = ()

    @cached_property
    def years(self) -> frozenset[int]:
        return rules.active_years(
            self.start, self.end, rules.money_years(self.budgets, self.transactions)
        )

    @cached_property
    def latest_transaction_date(self) -> dt.date | None:
        return max((line.date for line in self.transactions if line.date), default=None)

    @property
    def data_as_of(self) -> dt.date | None:
        """The activity's last update as published, else its latest transaction date."""
        if self.last_updated_at is not None:
            return self.last_updated_at.date()
        return self.latest_transaction_date

    def money(self, first_year: int | None, last_year: int | None = None) -> BudgetAndSpending:
        """Budget and spending in these years (one year when `last_year` is left out)."""
        return rules.money_in_years(
            self.budgets,
            self.transactions,
            self.default_currency,
            self.share,
            first_year,
            first_year if last_year is None else last_year,
        )

    def incoming(self, type_code: str, year: int | None) -> list[FundingLine]:
        return rules.incoming_lines(
            self.transactions, type_code, year, self.default_currency, self.share
        )

    def funding(self, year: int | None) -> Funding:
        return funding_of([self], year)


def funding_of(activities: Sequence[LedgerActivity], year: int | None) -> Funding:
    """Funding partners of these activities in `year` (None: all years), by the one rule."""
    return rules.funding_of(
        [line for a in activities for line in a.incoming(rules.INCOMING_FUNDS, year)],
        [line for a in activities for line in a.incoming(rules.INCOMING_COMMITMENT, year)],
        [line for a in activities for line in a.funding_organisations],
    )


@dataclass(frozen=True)
class ActivityYear:
    """One row of a place's year: the activity and its money there in that year."""

    activity: LedgerActivity
    money: BudgetAndSpending
    funding: Funding


@dataclass(frozen=True)
class PublisherYear:
    """One publisher's part of a place's year: its activities' sums and funding partners."""

    ref: str | None
    name: Narratives
    rows: tuple[ActivityYear, ...]
    money: BudgetAndSpending
    funding: Funding

    @property
    def activity_count(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class YearLedger:
    """A place in one year: every activity active then, grouped by publisher."""

    scope: Scope
    year: int
    rows: tuple[ActivityYear, ...]
    publishers: tuple[PublisherYear, ...]

    @property
    def activities(self) -> list[LedgerActivity]:
        return [row.activity for row in self.rows]

    def row(self, activity_id: int) -> ActivityYear | None:
        return next((row for row in self.rows if row.activity.id == activity_id), None)


@dataclass(frozen=True)
class ScopeLedger:
    """Every activity of a place, whatever the year."""

    scope: Scope
    activities: tuple[LedgerActivity, ...]
    _years: dict[int, YearLedger] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def years(self) -> list[int]:
        """Years in which some activity is active, newest first."""
        return sorted({year for a in self.activities for year in a.years}, reverse=True)

    @cached_property
    def years_with_actuals(self) -> set[int]:
        """Years with spending or incoming money (not budgets only)."""
        return {
            line.date.year
            for activity in self.activities
            for line in activity.transactions
            if line.date is not None
        }

    def year(self, year: int) -> YearLedger:
        """The activities active in `year`, by publisher, with their money that year."""
        if year not in self._years:
            active = [a for a in self.activities if year in a.years]
            rows = tuple(ActivityYear(a, a.money(year), a.funding(year)) for a in active)
            by_publisher: dict[str | None, list[ActivityYear]] = defaultdict(list)
            for row in rows:
                by_publisher[row.activity.publisher_ref].append(row)
            publishers = tuple(
                PublisherYear(
                    ref=ref,
                    name=members[0].activity.publisher_name,
                    rows=tuple(members),
                    money=rules.add_up(row.money for row in members),
                    funding=funding_of([row.activity for row in members], year),
                )
                for ref, members in by_publisher.items()
            )
            self._years[year] = YearLedger(self.scope, year, rows, publishers)
        return self._years[year]


# --- Reading a place ----------------------------------------------------------------------------

# How many recipients the activity has (its share of the place depends on it), counted for each
# of the place's activities by ix_recipient_outcome_id: a subquery grouping the whole table by
# activity and joined afterwards read every recipient row of the database for each place.
_OTHER_RECIPIENT = aliased(Recipient)
_RECIPIENT_COUNT = (
    select(func.count(_OTHER_RECIPIENT.id))
    .where(_OTHER_RECIPIENT.outcome_id == Outcome.id)
    .correlate(Outcome)
    .scalar_subquery()
    .label("recipients")
)


def _place_rows(scope: Scope | None):
    """The activities of a place with each of their matching recipient rows' percentages
    (every place's, when `scope` is None)."""
    statement = (
        select(
            Outcome.id,
            Outcome.iati_identifier,
            Outcome.plan_period,
            Publisher.ref,
            Publisher.name,
            Outcome.default_lang,
            Outcome.default_currency,
            Outcome.title,
            Outcome.planned_start,
            Outcome.actual_start,
            Outcome.planned_end,
            Outcome.actual_end,
            Outcome.last_updated_at,
            SourceFile.generated_at,
            SourceFile.imported_at,
            SourceFile.is_sample,
            Recipient.percentage,
            _RECIPIENT_COUNT,
        )
        .join(Outcome, Recipient.outcome_id == Outcome.id)
        .outerjoin(Publisher, Outcome.publisher_id == Publisher.id)
        .outerjoin(SourceFile, Outcome.source_file_id == SourceFile.id)
    )
    if scope is None:
        return statement
    if scope.kind == COUNTRY:
        return statement.where(Recipient.country_iso3 == bindparam("code"))
    return statement.where(
        Recipient.kind == REGION,
        Recipient.code == bindparam("code"),
        Recipient.vocabulary == bindparam("vocabulary"),
    )


_PLACE_STATEMENTS = {
    COUNTRY: _place_rows(country_scope("")),
    REGION: _place_rows(Scope(REGION, "")),
}
_BUDGETS = select(
    Budget.outcome_id, Budget.type_code, Budget.period_start, Budget.value, Budget.currency
).where(Budget.outcome_id.in_(bindparam("ids", expanding=True)))
_TRANSACTIONS = select(
    Transaction.outcome_id,
    Transaction.type_code,
    Transaction.date,
    Transaction.value,
    Transaction.currency,
    Transaction.provider_ref,
    Transaction.provider_name,
).where(Transaction.outcome_id.in_(bindparam("ids", expanding=True)))
_FUNDING_ORGANISATIONS = select(
    ParticipatingOrg.outcome_id, ParticipatingOrg.ref, ParticipatingOrg.name
).where(
    ParticipatingOrg.outcome_id.in_(bindparam("ids", expanding=True)),
    ParticipatingOrg.role_code == rules.FUNDING_ROLE,
)


def _execute(session: Session, statement, parameters: dict):
    """Column rows, run in the session's transaction after its autoflush (as the ORM would)."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, parameters)


def place_ledger(session: Session, scope: Scope) -> ScopeLedger:
    """Every activity of the place with its share and money parts, in four queries."""
    parameters = {"code": scope.code}
    if scope.kind == REGION:
        parameters["vocabulary"] = scope.vocabulary
    heads: dict[int, tuple] = {}
    percentages: dict[int, list] = defaultdict(list)
    for row in _execute(session, _PLACE_STATEMENTS[scope.kind], parameters):
        heads[row[0]] = row
        percentages[row[0]].append(row.percentage)
    parts = _money_parts(session, list(heads))
    return _scope_ledger(scope, heads, percentages, parts)


# Every place's activities at once: the place rows of every recipient, with the recipient.
_EVERY_PLACE_ROWS = _place_rows(None).add_columns(
    Recipient.kind, Recipient.code, Recipient.vocabulary, Recipient.country_iso3
)
# Ids per IN list: well under SQLite's limit on bound parameters.
_IDS_PER_QUERY = 5000


def every_place_ledger(session: Session) -> dict[Scope, ScopeLedger]:
    """Every country's and region's ledger, as place_ledger reads each, in four queries (more
    only past _IDS_PER_QUERY activities): for figures over the whole organisation, which are
    the sums of its places' figures by construction."""
    heads: dict[Scope, dict[int, tuple]] = defaultdict(dict)
    percentages: dict[Scope, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for row in _execute(session, _EVERY_PLACE_ROWS, {}):
        kind, code, vocabulary, iso3 = row[-4:]
        if kind == COUNTRY and iso3:
            scope = country_scope(iso3)
        elif kind == REGION and code:
            scope = region_scope(vocabulary or "1", code)
        else:
            continue
        heads[scope][row[0]] = row
        percentages[scope][row[0]].append(row.percentage)
    parts = _money_parts(session, sorted({i for members in heads.values() for i in members}))
    return {
        scope: _scope_ledger(scope, members, percentages[scope], parts)
        for scope, members in heads.items()
    }


@dataclass
class _MoneyParts:
    budgets: dict[int, list[BudgetLine]] = field(default_factory=lambda: defaultdict(list))
    transactions: dict[int, list[TransactionLine]] = field(
        default_factory=lambda: defaultdict(list)
    )
    organisations: dict[int, list[FundingLine]] = field(default_factory=lambda: defaultdict(list))


def _money_parts(session: Session, ids: list[int]) -> _MoneyParts:
    """The budgets, transactions and funding organisations of these activities."""
    parts = _MoneyParts()
    for start in range(0, len(ids), _IDS_PER_QUERY):
        chunk = {"ids": ids[start : start + _IDS_PER_QUERY]}
        for outcome_id, *columns in _execute(session, _BUDGETS, chunk):
            parts.budgets[outcome_id].append(BudgetLine(*columns))
        for outcome_id, *columns in _execute(session, _TRANSACTIONS, chunk):
            columns[-1] = Narratives(columns[-1] or {})
            parts.transactions[outcome_id].append(TransactionLine(*columns))
        for outcome_id, ref, name in _execute(session, _FUNDING_ORGANISATIONS, chunk):
            parts.organisations[outcome_id].append(
                FundingLine(
                    (ref or "").strip() or None, rules.without_placeholders(name), None, None
                )
            )
    return parts


def _scope_ledger(
    scope: Scope, heads: dict[int, tuple], percentages: dict[int, list], parts: _MoneyParts
) -> ScopeLedger:
    activities = []
    for outcome_id, head in heads.items():
        (
            _id,
            identifier,
            plan_period,
            publisher_ref,
            publisher_name,
            default_lang,
            default_currency,
            title,
            planned_start,
            actual_start,
            planned_end,
            actual_end,
            last_updated_at,
            generated_at,
            imported_at,
            is_sample,
            _percentage,
            recipient_count,
        ) = head[:18]
        activities.append(
            LedgerActivity(
                id=outcome_id,
                iati_identifier=identifier,
                plan_period=plan_period,
                publisher_ref=publisher_ref,
                publisher_name=rules.without_placeholders(Narratives(publisher_name or {})),
                default_lang=default_lang,
                default_currency=default_currency,
                title=Narratives(title or {}),
                start=actual_start or planned_start,
                end=actual_end or planned_end,
                last_updated_at=last_updated_at,
                file_generated_at=generated_at,
                imported_at=imported_at,
                is_sample=bool(is_sample),
                share=rules.share_of(percentages[outcome_id], recipient_count),
                budgets=tuple(parts.budgets.get(outcome_id, ())),
                transactions=tuple(parts.transactions.get(outcome_id, ())),
                funding_organisations=tuple(
                    line
                    for line in parts.organisations.get(outcome_id, ())
                    if line.ref or line.name
                ),
            )
        )
    activities.sort(key=lambda a: (a.publisher_ref or "", natural_key(a.iati_identifier)))
    return ScopeLedger(scope, tuple(activities))


# --- Every place at once (the country list and home) -----------------------------------------


@dataclass(frozen=True)
class PlaceYears:
    """How many activities a place has in each year, and which years have actuals."""

    scope: Scope
    counts: dict[int, int]
    years_with_actuals: frozenset[int]

    @property
    def years(self) -> list[int]:
        return sorted(self.counts, reverse=True)


_EVERY_PLACE = select(
    Recipient.outcome_id,
    Recipient.kind,
    Recipient.code,
    Recipient.vocabulary,
    Recipient.country_iso3,
    Outcome.planned_start,
    Outcome.actual_start,
    Outcome.planned_end,
    Outcome.actual_end,
).join(Outcome, Recipient.outcome_id == Outcome.id)
# The years each activity has money in, counted by the database (one row per activity-year).
_BUDGET_YEARS = (
    select(Budget.outcome_id, extract("year", Budget.period_start))
    .where(Budget.period_start.is_not(None))
    .distinct()
)
_TRANSACTION_YEARS = (
    select(Transaction.outcome_id, extract("year", Transaction.date))
    .where(Transaction.date.is_not(None))
    .distinct()
)


def every_place(session: Session) -> dict[Scope, PlaceYears]:
    """Each country and region with activities, with its activity count per year (by the same
    rule the place's own pages use), in three queries."""
    money_years: dict[int, set[int]] = defaultdict(set)
    actual_years: dict[int, set[int]] = defaultdict(set)
    for outcome_id, year in _execute(session, _BUDGET_YEARS, {}):
        money_years[outcome_id].add(int(year))
    for outcome_id, year in _execute(session, _TRANSACTION_YEARS, {}):
        money_years[outcome_id].add(int(year))
        actual_years[outcome_id].add(int(year))
    members: dict[Scope, set[int]] = defaultdict(set)
    dates: dict[int, tuple[dt.date | None, dt.date | None]] = {}
    for row in _execute(session, _EVERY_PLACE, {}):
        outcome_id, kind, code, vocabulary, iso3 = row[:5]
        planned_start, actual_start, planned_end, actual_end = row[5:]
        dates[outcome_id] = (actual_start or planned_start, actual_end or planned_end)
        if kind == COUNTRY and iso3:
            members[country_scope(iso3)].add(outcome_id)
        elif kind == REGION and code:
            members[region_scope(vocabulary or "1", code)].add(outcome_id)
    years_of = {
        outcome_id: rules.active_years(start, end, money_years.get(outcome_id, set()))
        for outcome_id, (start, end) in dates.items()
    }
    places = {}
    for scope, outcome_ids in members.items():
        counts: dict[int, int] = defaultdict(int)
        actuals: set[int] = set()
        for outcome_id in outcome_ids:
            for year in years_of[outcome_id]:
                counts[year] += 1
            actuals |= actual_years.get(outcome_id, set())
        places[scope] = PlaceYears(scope, dict(counts), frozenset(actuals))
    return places


def default_year(
    years: Sequence[int], today: dt.date, years_with_actuals: set[int] | frozenset[int]
) -> int | None:
    """The year a place's pages open on: the latest begun year with actuals (transactions);
    else the latest begun year with any data; else the first year. Budgets are planned ahead:
    a year with only a budget would open the page on a year with nothing spent yet."""
    started = [year for year in years if year <= today.year]
    with_actuals = [year for year in started if year in years_with_actuals]
    if with_actuals:
        return max(with_actuals)
    if started:
        return max(started)
    return min(years, default=None)


def whole_activity(outcome: Outcome) -> LedgerActivity:
    """An outcome loaded with its budgets, transactions, participating organisations,
    publisher and source file, as the ledger counts it on its own page (all of it)."""
    source_file = outcome.source_file
    publisher = outcome.publisher
    return LedgerActivity(
        id=outcome.id,
        iati_identifier=outcome.iati_identifier,
        plan_period=outcome.plan_period,
        publisher_ref=publisher.ref if publisher else None,
        publisher_name=rules.without_placeholders(publisher.name) if publisher else Narratives(),
        default_lang=outcome.default_lang,
        default_currency=outcome.default_currency,
        title=outcome.title,
        start=outcome.actual_start or outcome.planned_start,
        end=outcome.actual_end or outcome.planned_end,
        last_updated_at=outcome.last_updated_at,
        file_generated_at=source_file.generated_at if source_file else None,
        imported_at=source_file.imported_at if source_file else None,
        is_sample=bool(source_file and source_file.is_sample),
        share=rules.WHOLE_SHARE,
        budgets=tuple(
            BudgetLine(b.type_code, b.period_start, b.value, b.currency) for b in outcome.budgets
        ),
        transactions=tuple(
            TransactionLine(
                t.type_code,
                t.date,
                t.value,
                t.currency,
                t.provider_ref,
                Narratives(t.provider_name or {}),
            )
            for t in outcome.transactions
        ),
        funding_organisations=tuple(
            line
            for line in (
                FundingLine(
                    (org.ref or "").strip() or None,
                    rules.without_placeholders(org.name),
                    None,
                    None,
                )
                for org in outcome.participating_orgs
                if org.role_code == rules.FUNDING_ROLE
            )
            if line.ref or line.name
        ),
    )


@dataclass(frozen=True)
class UnplacedActivity:
    """An activity that names no recipient country or region the portal can place."""

    id: int
    iati_identifier: str
    plan_period: str
    title: Narratives
    default_lang: str | None
    publisher_ref: str | None


_PLACED = (
    select(Recipient.id)
    .where(
        Recipient.outcome_id == Outcome.id,
        or_(
            Recipient.country_iso3.is_not(None),
            and_(Recipient.kind == REGION, Recipient.code.is_not(None)),
        ),
    )
    .exists()
)
_UNPLACED = (
    select(
        Outcome.id,
        Outcome.iati_identifier,
        Outcome.plan_period,
        Outcome.title,
        Outcome.default_lang,
        Publisher.ref,
    )
    .outerjoin(Publisher, Outcome.publisher_id == Publisher.id)
    .where(~_PLACED)
)


def unplaced_activities(session: Session) -> list[UnplacedActivity]:
    """Activities on no country or region page: no recipient, or only codes the portal does
    not know (e.g. a recipient country without a code). They are listed on their own."""
    rows = [
        UnplacedActivity(id_, identifier, period, Narratives(title or {}), lang, ref)
        for id_, identifier, period, title, lang, ref in _execute(session, _UNPLACED, {})
    ]
    return sorted(rows, key=lambda a: (a.publisher_ref or "", natural_key(a.iati_identifier)))
