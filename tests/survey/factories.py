"""Stored survey responses for the operator's tests, written directly."""

from __future__ import annotations

import copy
import datetime as dt
import secrets
from typing import Any

from portal.survey.models import SurveyDraft, SurveyResponse
from portal.survey.services import submission_key
from survey.walker import ANSWERS_STORED


def add_response(session, language: str = "en", **changes: dict[str, Any]) -> SurveyResponse:
    """A response with the walker's answers, each step's answer updated by `changes[slug]`."""
    answers = copy.deepcopy(ANSWERS_STORED)
    for slug, change in changes.items():
        answers[slug.replace("_", "-")].update(change)
    response = SurveyResponse(
        submitted_at=dt.datetime(2026, 11, 28, 9, 30, 15),
        language=language,
        answers=answers,
        submission_key=submission_key(secrets.token_urlsafe(32)),
    )
    session.add(response)
    session.commit()
    return response


def add_draft(session, idle_days: float) -> SurveyDraft:
    touched = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=idle_days)
    draft = SurveyDraft(
        token=secrets.token_urlsafe(32),
        answers={"institution": ANSWERS_STORED["institution"]},
        created_at=touched,
        updated_at=touched,
    )
    session.add(draft)
    session.commit()
    return draft
