"""Writes of the problem reports: one report per accepted form, committed at once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from portal.problems.models import ProblemReport
from portal.problems.subjects import Subject


def store_report(
    session: Session, subject: Subject, problem: str, email: str | None, language: str
) -> ProblemReport:
    report = ProblemReport(
        created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        language=language,
        subject=subject.kind,
        subject_key=subject.identifier,
        plan_period=subject.plan_period,
        year=subject.year,
        figure_group=subject.figure_group,
        page_path=subject.page_url,
        problem=problem,
        email=email or None,
    )
    session.add(report)
    session.commit()
    return report
