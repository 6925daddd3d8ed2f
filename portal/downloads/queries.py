"""Reads the downloads need beyond the pages' own queries: provenance, money per outcome, XML."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import exists, extract, func, or_, select
from sqlalchemy.orm import Session, aliased

from portal.countries.queries import EXPENDITURE, ORIGINAL_BUDGET, REVISED_BUDGET
from portal.iati.models import Budget, Outcome, Publisher, SourceFile, Transaction
from portal.iati.narratives import Narratives

# Activities read per query when the IATI XML is streamed: a few at a time, never all blobs.
XML_BATCH_SIZE = 50


@dataclass(frozen=True)
class Provenance:
    """Who published an outcome and how current the copy is: every download row says so."""

    publisher_ref: str | None
    publisher_name: Narratives
    file_generated_at: dt.datetime | None
    imported_at: dt.datetime | None

    @property
    def as_of(self) -> dt.date | None:
        """The date of the IATI file when it names one, else the day it was imported."""
        moment = self.file_generated_at or self.imported_at
        return moment.date() if moment else None


NO_PROVENANCE = Provenance(None, Narratives(), None, None)


def provenance(session: Session, outcome_ids: Sequence[int]) -> dict[int, Provenance]:
    """Publisher and source file of each outcome, by outcome id, in one query."""
    if not outcome_ids:
        return {}
    rows = session.execute(
        select(
            Outcome.id,
            Publisher.ref,
            Publisher.name,
            SourceFile.generated_at,
            SourceFile.imported_at,
        )
        .outerjoin(Publisher, Outcome.publisher_id == Publisher.id)
        .outerjoin(SourceFile, Outcome.source_file_id == SourceFile.id)
        .where(Outcome.id.in_(outcome_ids))
    )
    return {
        outcome_id: Provenance(ref, Narratives(name or {}), generated_at, imported_at)
        for outcome_id, ref, name, generated_at, imported_at in rows
    }


@dataclass
class OutcomeYearMoney:
    """An outcome's budget and expenditure in one year, per currency (never added across)."""

    budget: dict[str | None, Decimal] = field(default_factory=dict)
    expenditure: dict[str | None, Decimal] = field(default_factory=dict)

    @property
    def currencies(self) -> list[str | None]:
        return sorted(set(self.budget) | set(self.expenditure), key=lambda code: code or "")


def _within(column, year: int):
    return column.between(dt.date(year, 1, 1), dt.date(year, 12, 31))


def outcome_money_by_year(
    session: Session, outcome_ids: Sequence[int], year: int | None = None
) -> dict[int, dict[int, OutcomeYearMoney]]:
    """Each outcome's budget and expenditure per year (or in `year` only), in two queries.

    The same rules as the country's figures (portal.countries.queries.country_year_figures):
    budgets count in the year their period starts, a revised budget replacing the original
    one for the same period; expenditure transactions count in the year they are dated; a
    value without a currency takes its outcome's default currency.
    """
    money: dict[int, dict[int, OutcomeYearMoney]] = defaultdict(
        lambda: defaultdict(OutcomeYearMoney)
    )
    if not outcome_ids:
        return {}
    revised = aliased(Budget)
    superseded = (
        exists()
        .where(
            revised.outcome_id == Budget.outcome_id,
            revised.type_code == REVISED_BUDGET,
            revised.period_start == Budget.period_start,
        )
        .correlate(Budget)
    )
    budget_year = extract("year", Budget.period_start)
    budget_currency = func.coalesce(Budget.currency, Outcome.default_currency)
    budgets = (
        select(Budget.outcome_id, budget_year, budget_currency, func.sum(Budget.value))
        .join(Outcome, Budget.outcome_id == Outcome.id)
        .where(
            Budget.outcome_id.in_(list(outcome_ids)),
            Budget.period_start.is_not(None),
            Budget.value.is_not(None),
            or_(Budget.type_code.is_(None), Budget.type_code != ORIGINAL_BUDGET, ~superseded),
        )
        .group_by(Budget.outcome_id, budget_year, budget_currency)
    )
    if year is not None:
        budgets = budgets.where(_within(Budget.period_start, year))
    for outcome_id, budget_in, currency, amount in session.execute(budgets):
        money[outcome_id][int(budget_in)].budget[currency] = Decimal(amount)
    spent_year = extract("year", Transaction.date)
    spent_currency = func.coalesce(Transaction.currency, Outcome.default_currency)
    expenditure = (
        select(Transaction.outcome_id, spent_year, spent_currency, func.sum(Transaction.value))
        .join(Outcome, Transaction.outcome_id == Outcome.id)
        .where(
            Transaction.outcome_id.in_(list(outcome_ids)),
            Transaction.type_code == EXPENDITURE,
            Transaction.date.is_not(None),
            Transaction.value.is_not(None),
        )
        .group_by(Transaction.outcome_id, spent_year, spent_currency)
    )
    if year is not None:
        expenditure = expenditure.where(_within(Transaction.date, year))
    for outcome_id, spent_in, currency, amount in session.execute(expenditure):
        money[outcome_id][int(spent_in)].expenditure[currency] = Decimal(amount)
    return {outcome_id: dict(by_year) for outcome_id, by_year in money.items()}


def outcome_year_money(
    session: Session, outcome_ids: Sequence[int], year: int
) -> dict[int, OutcomeYearMoney]:
    """Each outcome's budget and expenditure in `year` (see outcome_money_by_year)."""
    by_outcome = outcome_money_by_year(session, outcome_ids, year)
    return {
        outcome_id: by_year[year] for outcome_id, by_year in by_outcome.items() if year in by_year
    }


def activity_xml(session: Session, outcome_ids: Sequence[int]) -> Iterator[bytes]:
    """Each outcome's `<iati-activity>` as published, in the order of `outcome_ids`.

    Read a batch at a time, so that a country's whole file is never held in memory.
    """
    for start in range(0, len(outcome_ids), XML_BATCH_SIZE):
        batch = list(outcome_ids[start : start + XML_BATCH_SIZE])
        query = select(Outcome.id, Outcome.source_xml).where(Outcome.id.in_(batch))
        stored = dict(session.execute(query).all())
        for outcome_id in batch:
            if stored.get(outcome_id):
                yield stored[outcome_id]
