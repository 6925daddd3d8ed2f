"""Problem-report fixtures: a fresh rate limit for every test, the forms, the stored reports."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.problems.models import ProblemReport

OUTCOME_FORM = "/{lang}/report-a-problem/outcome/XM-EXAMPLE-ORG-MLI_D_1.1?plan_period=2022-2025"
COUNTRY_FORM = "/{lang}/report-a-problem/country/MLI"
FIGURES_FORM = "/{lang}/report-a-problem/figures/MLI/funding-by-partner?year=2024"


@pytest.fixture(autouse=True)
def _start_with_fresh_rate_limits(fresh_rate_limits):
    """Reports counted by one test must not throttle the next."""


@pytest.fixture
def stored_reports(db_session):
    def read() -> list[ProblemReport]:
        db_session.expire_all()
        return list(db_session.scalars(select(ProblemReport).order_by(ProblemReport.id)))

    return read
