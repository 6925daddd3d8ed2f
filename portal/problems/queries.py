"""Reads of the problem reports: whether a subject exists, and the operator's list and export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import ledger
from portal.countries.models import Country
from portal.iati.models import Outcome
from portal.iati.narratives import Narratives
from portal.operator import iso_utc
from portal.outcomes.queries import plan_periods_of
from portal.problems.models import ProblemReport

EXPORT_COLUMNS = (
    "id",
    "created_at",
    "language",
    "subject",
    "subject_key",
    "plan_period",
    "year",
    "figure_group",
    "page_path",
    "problem",
    "email",
)


@dataclass(frozen=True)
class OutcomeHeading:
    plan_period: str
    title: Narratives
    default_lang: str | None


def outcome_heading(
    session: Session, identifier: str, plan_period: str | None
) -> OutcomeHeading | None:
    """The outcome in this plan period (default: the newest, as its page shows); None if none."""
    periods = plan_periods_of(session, identifier)
    if not periods or (plan_period is not None and plan_period not in periods):
        return None
    chosen = plan_period if plan_period is not None else periods[0]
    row = session.execute(
        select(Outcome.title, Outcome.default_lang).where(
            Outcome.iati_identifier == identifier, Outcome.plan_period == chosen
        )
    ).one()
    return OutcomeHeading(chosen, row.title, row.default_lang)


@dataclass(frozen=True)
class CountryPlace:
    country: Country
    years: list[int]
    """The years its page shows figures for (the ledger's rule), newest first."""


def country_place(session: Session, iso3: str) -> CountryPlace | None:
    """The country, when the database knows it: its page shows its facts, and its figures for
    the years some publisher's activity there is active (none: no figures to report on)."""
    country = session.get(Country, iso3)
    if country is None:
        return None
    place = ledger.place_ledger(session, ledger.country_scope(iso3))
    return CountryPlace(country, place.years)


def report_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ProblemReport)) or 0


def newest_reports(session: Session, limit: int) -> list[ProblemReport]:
    query = select(ProblemReport).order_by(ProblemReport.id.desc()).limit(limit)
    return list(session.scalars(query))


def export_rows(session: Session) -> list[dict[str, Any]]:
    """One mapping per report, oldest first, keyed by EXPORT_COLUMNS."""
    rows = []
    for report in session.scalars(select(ProblemReport).order_by(ProblemReport.id)):
        row = {column: getattr(report, column) for column in EXPORT_COLUMNS}
        row["created_at"] = iso_utc(report.created_at)
        rows.append(row)
    return rows
