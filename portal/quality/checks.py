"""Find what looks wrong in the stored activities; one function per kind, run after an import
for the activities it wrote. The publisher's data is never changed: findings are stored beside
it (portal.quality.models) and shown with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from portal.iati.models import (
    Budget,
    Indicator,
    IndicatorPeriod,
    Outcome,
    Recipient,
    Result,
    Transaction,
)
from portal.iati.parser import is_placeholder
from portal.quality import kinds
from portal.quality.models import VALUE_LENGTH, DataFinding
from portal.quality.rules import indicator_has_no_values

# Statements take the ids of the activities to check this many at a time.
IDS_PER_STATEMENT = 500
# A transaction this long before the start or after the end of its activity is flagged.
DATE_TOLERANCE = dt.timedelta(days=365)
# Texts longer than this are not placeholders (the parser's import warning uses the same).
LONGEST_PLACEHOLDER = 40

Finding = tuple[int, str, str, int | None, str | None]  # outcome, kind, record, row, value


@dataclass
class FindingSummary:
    count: int = 0
    examples: list[tuple] = field(default_factory=list)


def refresh_findings(session: Session, outcome_ids: Iterable[int]) -> list[Finding]:
    """Replace the findings of these activities by what the checks find now; returns them."""
    ids = sorted(set(outcome_ids))
    found: list[Finding] = []
    for start in range(0, len(ids), IDS_PER_STATEMENT):
        chunk = ids[start : start + IDS_PER_STATEMENT]
        session.execute(delete(DataFinding).where(DataFinding.outcome_id.in_(chunk)))
        for check in CHECKS:
            found.extend(check(session, chunk))
    if found:
        session.execute(
            insert(DataFinding),
            [
                {
                    "outcome_id": outcome_id,
                    "kind": kind,
                    "record": record,
                    "record_id": record_id,
                    "value": None if value is None else value[:VALUE_LENGTH],
                }
                for outcome_id, kind, record, record_id, value in found
            ],
        )
    return found


# The import report names this many examples of each kind.
EXAMPLES_PER_KIND = 3


def summarise(session: Session, found: Sequence[Finding]) -> dict[str, FindingSummary]:
    """Per kind: how many, and the first few examples as (activity identifier, value)."""
    summary: dict[str, FindingSummary] = {}
    for outcome_id, kind, _record, _row, value in found:
        entry = summary.setdefault(kind, FindingSummary())
        entry.count += 1
        if len(entry.examples) < EXAMPLES_PER_KIND:
            entry.examples.append((outcome_id, value or ""))
    wanted = {outcome_id for entry in summary.values() for outcome_id, _v in entry.examples}
    identifiers: dict[int, str] = {}
    if wanted:
        rows = session.execute(
            select(Outcome.id, Outcome.iati_identifier).where(Outcome.id.in_(wanted))
        )
        identifiers = dict(rows.all())
    for entry in summary.values():
        entry.examples = [(identifiers.get(i, ""), value) for i, value in entry.examples]
    return summary


def _placeholders(rows, record: str) -> Iterator[Finding]:
    for outcome_id, row_id, *texts in rows:
        for narratives in texts:
            for text in (narratives or {}).values():
                if len(text) <= LONGEST_PLACEHOLDER and is_placeholder(text):
                    yield (outcome_id, kinds.PLACEHOLDER_TEXT, record, row_id, text)


def placeholder_texts(session: Session, ids: Sequence[int]) -> Iterator[Finding]:
    """Titles and descriptions of activities, results and indicators."""
    yield from _placeholders(
        session.execute(
            select(Outcome.id, Outcome.id, Outcome.title, Outcome.description).where(
                Outcome.id.in_(ids)
            )
        ),
        "activity",
    )
    yield from _placeholders(
        session.execute(
            select(Result.outcome_id, Result.id, Result.title, Result.description).where(
                Result.outcome_id.in_(ids)
            )
        ),
        "result",
    )
    yield from _placeholders(
        session.execute(
            select(Result.outcome_id, Indicator.id, Indicator.title, Indicator.description)
            .join(Indicator, Indicator.result_id == Result.id)
            .where(Result.outcome_id.in_(ids))
        ),
        "indicator",
    )


def _money(value: Decimal, currency: str | None) -> str:
    return f"{value} {currency}" if currency else str(value)


def budgets(session: Session, ids: Sequence[int]) -> Iterator[Finding]:
    """Budget lines of zero or less; budget periods longer than a year."""
    rows = session.execute(
        select(
            Budget.outcome_id,
            Budget.id,
            Budget.value,
            Budget.currency,
            Budget.period_start,
            Budget.period_end,
        ).where(Budget.outcome_id.in_(ids))
    )
    for outcome_id, budget_id, value, currency, start, end in rows:
        if value is not None and value <= 0:
            yield (
                outcome_id,
                kinds.BUDGET_NOT_ABOVE_ZERO,
                "budget",
                budget_id,
                _money(value, currency),
            )
        if start is not None and end is not None and end > _a_year_after(start):
            yield (
                outcome_id,
                kinds.BUDGET_LONGER_THAN_A_YEAR,
                "budget",
                budget_id,
                f"{start.isoformat()} – {end.isoformat()}",
            )


def _a_year_after(day: dt.date) -> dt.date:
    """The same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def transaction_dates(session: Session, ids: Sequence[int]) -> Iterator[Finding]:
    """Transactions dated more than a year before the activity's start or after its end (the
    actual date where published, else the planned one)."""
    rows = session.execute(
        select(
            Transaction.outcome_id,
            Transaction.id,
            Transaction.date,
            Outcome.actual_start,
            Outcome.planned_start,
            Outcome.actual_end,
            Outcome.planned_end,
        )
        .join(Outcome, Outcome.id == Transaction.outcome_id)
        .where(Transaction.outcome_id.in_(ids), Transaction.date.is_not(None))
    )
    for (
        outcome_id,
        transaction_id,
        day,
        actual_start,
        planned_start,
        actual_end,
        planned_end,
    ) in rows:
        start = actual_start or planned_start
        end = actual_end or planned_end
        if (start is not None and day < start - DATE_TOLERANCE) or (
            end is not None and day > end + DATE_TOLERANCE
        ):
            yield (
                outcome_id,
                kinds.TRANSACTION_OUTSIDE_DATES,
                "transaction",
                transaction_id,
                day.isoformat(),
            )


def indicator_values(session: Session, ids: Sequence[int]) -> Iterator[Finding]:
    """Quantitative indicators with no value at all; periods with an actual and no target."""
    indicators = session.execute(
        select(
            Result.outcome_id,
            Indicator.id,
            Indicator.title,
            Indicator.measure,
            Indicator.baseline_value,
        )
        .join(Indicator, Indicator.result_id == Result.id)
        .where(Result.outcome_id.in_(ids))
    ).all()
    periods = session.execute(
        select(
            Indicator.id,
            IndicatorPeriod.id,
            IndicatorPeriod.target_value,
            IndicatorPeriod.actual_value,
        )
        .join(Indicator, Indicator.id == IndicatorPeriod.indicator_id)
        .join(Result, Result.id == Indicator.result_id)
        .where(Result.outcome_id.in_(ids))
    ).all()
    values: dict[int, list[tuple[str | None, str | None]]] = {}
    for indicator_id, _period_id, target, actual in periods:
        values.setdefault(indicator_id, []).append((target, actual))
    outcome_of = {}
    for outcome_id, indicator_id, title, measure, baseline in indicators:
        outcome_of[indicator_id] = outcome_id
        if indicator_has_no_values(measure, baseline, values.get(indicator_id, ())):
            name = next(iter((title or {}).values()), "")
            yield (outcome_id, kinds.INDICATOR_WITHOUT_VALUES, "indicator", indicator_id, name)
    for indicator_id, period_id, target, actual in periods:
        if actual and not target:
            yield (
                outcome_of[indicator_id],
                kinds.ACTUAL_WITHOUT_TARGET,
                "indicator period",
                period_id,
                actual,
            )


def recipients(session: Session, ids: Sequence[int]) -> Iterator[Finding]:
    """Recipient shares that do not add up to 100; country codes not on the codelist."""
    rows = session.execute(
        select(
            Recipient.outcome_id,
            Recipient.id,
            Recipient.kind,
            Recipient.code,
            Recipient.country_iso3,
            Recipient.percentage,
        )
        .where(Recipient.outcome_id.in_(ids))
        .order_by(Recipient.outcome_id, Recipient.position)
    )
    shares: dict[int, list[Decimal | None]] = {}
    for outcome_id, recipient_id, kind, code, iso3, percentage in rows:
        shares.setdefault(outcome_id, []).append(percentage)
        if kind == "country" and iso3 is None:
            yield (outcome_id, kinds.UNKNOWN_COUNTRY_CODE, "recipient", recipient_id, code or "")
    for outcome_id, percentages in shares.items():
        if len(percentages) < 2:
            continue
        total = sum((p for p in percentages if p is not None), Decimal(0))
        if abs(total - 100) > Decimal("0.01"):
            yield (
                outcome_id,
                kinds.PERCENTAGES_NOT_100,
                "activity",
                outcome_id,
                f"{total.normalize():f}",
            )


CHECKS = (placeholder_texts, budgets, transaction_dates, indicator_values, recipients)
