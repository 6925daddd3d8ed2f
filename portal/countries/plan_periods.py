"""Strategic plan periods: those a publisher has (set by the operator with `portal
plan-periods`), and the years an activity's key carries ("2022-2025").

A plan period belongs to a publisher: an activity belongs to the period its dates fall in. A
publisher without plan periods has only activities with their own dates, and the pages then
never speak of a plan.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from portal.iati.models import PublisherPlanPeriod

_YEARS = re.compile(r"(\d{4})\D+(\d{4})")
_YEAR = re.compile(r"(\d{4})")


@dataclass(frozen=True)
class PlanPeriod:
    """A plan period label with the first and last year it names, when it names them."""

    label: str
    first_year: int | None
    last_year: int | None

    @classmethod
    def parse(cls, label: str) -> PlanPeriod:
        """Read "2022-2025" or "2022–2025"; a single year is a one-year period."""
        years = _YEARS.search(label)
        if years:
            first, last = sorted((int(years.group(1)), int(years.group(2))))
            return cls(label, first, last)
        year = _YEAR.search(label)
        if year:
            return cls(label, int(year.group(1)), int(year.group(1)))
        return cls(label, None, None)

    def covers(self, year: int) -> bool:
        if self.first_year is None or self.last_year is None:
            return False
        return self.first_year <= year <= self.last_year

    @property
    def newness(self) -> tuple[int, int, str]:
        """Sort key: later periods are newer; unreadable labels are the oldest."""
        return (self.first_year or 0, self.last_year or 0, self.label)


def newest(periods: Iterable[PlanPeriod]) -> PlanPeriod | None:
    return max(periods, key=lambda period: period.newness, default=None)


def covering(periods: Iterable[PlanPeriod], year: int | None) -> PlanPeriod | None:
    """The newest period covering `year`; without one, the newest period overall."""
    periods = list(periods)
    if year is not None:
        candidates = [period for period in periods if period.covers(year)]
        if candidates:
            return newest(candidates)
    return newest(periods)


class _Activity(Protocol):
    publisher_ref: str | None
    start: object
    years: frozenset[int]


_PLAN_PERIODS = select(
    PublisherPlanPeriod.publisher_ref, PublisherPlanPeriod.first_year, PublisherPlanPeriod.last_year
).where(PublisherPlanPeriod.publisher_ref.in_(bindparam("refs", expanding=True)))


def of_publishers(session: Session, refs: Iterable[str | None]) -> dict[str, list[PlanPeriod]]:
    """The plan periods of these publishers, oldest first (a publisher without any is absent)."""
    refs = sorted({ref for ref in refs if ref})
    if not refs:
        return {}
    periods: dict[str, list[PlanPeriod]] = defaultdict(list)
    for ref, first, last in session.execute(_PLAN_PERIODS, {"refs": refs}):
        periods[ref].append(PlanPeriod(f"{first}-{last}", first, last))
    return {ref: sorted(found, key=lambda p: p.newness) for ref, found in periods.items()}


def period_of(periods: dict[str, list[PlanPeriod]], activity: _Activity) -> PlanPeriod | None:
    """The publisher's plan period the activity belongs to: the one its first year falls in."""
    own = periods.get(activity.publisher_ref or "")
    if not own or not activity.years:
        return None
    first = min(activity.years)
    return next((period for period in own if period.covers(first)), None)


def shared_period(
    periods: dict[str, list[PlanPeriod]], activities: Sequence[_Activity], year: int | None
) -> PlanPeriod | None:
    """The plan period covering `year` when all these activities are one publisher's and it
    has plan periods; None otherwise (several publishers, or one without a plan)."""
    publishers = {activity.publisher_ref for activity in activities}
    if year is None or len(publishers) != 1:
        return None
    own = periods.get(next(iter(publishers)) or "")
    return next((period for period in own or () if period.covers(year)), None)
