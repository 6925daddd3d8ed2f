"""Reads that summarise a freshly built sample database."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.iati.models import Outcome


@dataclass(frozen=True)
class OutcomeCount:
    country_iso3: str | None
    plan_period: str
    outcomes: int


def outcome_counts(session: Session) -> list[OutcomeCount]:
    """Outcomes per country and plan period, by country then period."""
    rows = session.execute(
        select(Outcome.country_iso3, Outcome.plan_period, func.count(Outcome.id))
        .group_by(Outcome.country_iso3, Outcome.plan_period)
        .order_by(Outcome.country_iso3, Outcome.plan_period)
    )
    return [OutcomeCount(*row) for row in rows]
