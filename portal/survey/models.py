"""What the survey stores: unfinished answers under a random token, and submitted responses.

Neither table holds an IP address or anything else that identifies a visitor, except the email
address a respondent chooses to give (with consent).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class SurveyDraft(db.Model):
    """A survey in progress. Its token lives in the visitor's signed session cookie only."""

    __tablename__ = "survey_draft"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    # {step slug: {field name: value}}; a step is answered when its slug is present.
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # Last activity (UTC); drafts idle for longer than the configured age are purged.
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class SurveyResponse(db.Model):
    """One submitted survey: the answers as codes, the interface language and the time."""

    __tablename__ = "survey_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    language: Mapped[str] = mapped_column(String(8))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    # SHA-256 of the draft token: the database refuses a second response from the same draft
    # (a double click, a replayed form), whichever request commits first.
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
