"""Strategic plan periods as outcomes carry them ("2022-2025"), and which one covers a year.

Outcome identifiers are reused from one plan period to the next, so a country page shows the
outcomes of one plan period at a time: the one covering the year the visitor looks at.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

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
