"""Survey fixtures: a fresh rate limit for every test, and the stored rows to assert on."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.survey.models import SurveyDraft, SurveyResponse


@pytest.fixture(autouse=True)
def _start_with_fresh_rate_limits(fresh_rate_limits):
    """Submissions counted by one test must not throttle the next."""


@pytest.fixture
def stored_responses(db_session):
    def read() -> list[SurveyResponse]:
        db_session.expire_all()
        return list(db_session.scalars(select(SurveyResponse).order_by(SurveyResponse.id)))

    return read


@pytest.fixture
def stored_drafts(db_session):
    def read() -> list[SurveyDraft]:
        db_session.expire_all()
        return list(db_session.scalars(select(SurveyDraft)))

    return read
