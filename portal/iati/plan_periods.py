"""A publisher's strategic plan periods, as the operator sets them (`portal plan-periods`).

Periods are whole years ("2022-2025"), from 1900 to 2100, and a publisher's periods never
overlap. Every change is recorded as an ImportRun of kind "plan-periods": its id is the
newest, so the data version moves and cached pages are rendered afresh. The caller commits.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.iati.models import ImportRun, Publisher, PublisherPlanPeriod

RUN_KIND = "plan-periods"
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100
REF_LENGTH = PublisherPlanPeriod.__table__.c.publisher_ref.type.length
_PERIOD = re.compile(r"(\d{4})-(\d{4})", re.ASCII)


class PlanPeriodError(ValueError):
    """The operator's input cannot be stored; nothing was written."""


@dataclass(frozen=True, order=True, slots=True)
class Period:
    first_year: int
    last_year: int

    def __str__(self) -> str:
        return f"{self.first_year}-{self.last_year}"


def parse_periods(texts: Iterable[str]) -> list[Period]:
    """Periods written "YYYY-YYYY", oldest first; PlanPeriodError lists every problem."""
    problems = []
    periods = []
    for text in texts:
        match = _PERIOD.fullmatch(text.strip())
        if match is None:
            problems.append(f'"{text}" is not a period written YYYY-YYYY.')
            continue
        first, last = int(match[1]), int(match[2])
        period = Period(first, last)
        if min(first, last) < EARLIEST_YEAR or max(first, last) > LATEST_YEAR:
            problems.append(f"{period}: years must be from {EARLIEST_YEAR} to {LATEST_YEAR}.")
        elif period.first_year > period.last_year:
            problems.append(f"{period}: the first year is after the last year.")
        else:
            periods.append(period)
    periods.sort()
    for earlier, later in zip(periods, periods[1:], strict=False):
        if later.first_year <= earlier.last_year:
            problems.append(f"{earlier} and {later} overlap.")
    if problems:
        raise PlanPeriodError(" ".join(problems))
    return periods


def checked_ref(publisher_ref: str) -> str:
    ref = publisher_ref.strip()
    if not ref:
        raise PlanPeriodError("The publisher reference is empty.")
    if len(ref) > REF_LENGTH:
        raise PlanPeriodError(f"The publisher reference is longer than {REF_LENGTH} characters.")
    return ref


def publisher_periods(session: Session, publisher_ref: str) -> list[Period]:
    """The publisher's stored plan periods, oldest first."""
    rows = session.execute(
        select(PublisherPlanPeriod.first_year, PublisherPlanPeriod.last_year)
        .where(PublisherPlanPeriod.publisher_ref == publisher_ref)
        .order_by(PublisherPlanPeriod.first_year)
    )
    return [Period(first, last) for first, last in rows]


def publisher_is_known(session: Session, publisher_ref: str) -> bool:
    """True when an import has stored this publisher (a typing mistake shows as unknown)."""
    return session.scalar(select(Publisher.id).where(Publisher.ref == publisher_ref)) is not None


def replace_periods(session: Session, publisher_ref: str, periods: list[Period]) -> bool:
    """Make `periods` the publisher's plan periods; False (nothing written) when they already are.

    `periods` come from parse_periods (checked, oldest first).
    """
    started_at = _utc_now()
    if publisher_periods(session, publisher_ref) == periods:
        return False
    session.execute(
        delete(PublisherPlanPeriod).where(PublisherPlanPeriod.publisher_ref == publisher_ref)
    )
    session.add_all(
        PublisherPlanPeriod(
            publisher_ref=publisher_ref, first_year=period.first_year, last_year=period.last_year
        )
        for period in periods
    )
    _record_run(session, publisher_ref, periods, started_at)
    return True


def clear_periods(session: Session, publisher_ref: str) -> int:
    """Remove the publisher's plan periods; how many there were."""
    count = len(publisher_periods(session, publisher_ref))
    if count:
        replace_periods(session, publisher_ref, [])
    return count


def _record_run(
    session: Session, publisher_ref: str, periods: list[Period], started_at: dt.datetime
) -> None:
    """The data version caches key on moves with this run."""
    written = ", ".join(map(str, periods)) or "none"
    session.add(
        ImportRun(
            kind=RUN_KIND,
            started_at=started_at,
            finished_at=_utc_now(),
            report=f"Plan periods of {publisher_ref}: {written}",
        )
    )
    session.flush()


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
