"""Reads of the survey: a visitor's draft, and the operator's counts and export rows.

Counting happens in Python over one query, so it works the same on SQLite and PostgreSQL
whatever JSON functions each offers; a survey's responses number in the thousands, not millions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.operator import iso_utc
from portal.survey import steps
from portal.survey.models import SurveyDraft, SurveyResponse

EXPORT_BATCH_SIZE = 500


def draft_answers(session: Session, token: str | None) -> dict[str, Any]:
    """The answers kept for the visitor's draft; empty when there is none."""
    if not token:
        return {}
    answers = session.scalar(select(SurveyDraft.answers).where(SurveyDraft.token == token))
    return answers or {}


def response_exists(session: Session, submission_key: str) -> bool:
    query = select(SurveyResponse.id).where(SurveyResponse.submission_key == submission_key)
    return session.scalar(query) is not None


def response_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(SurveyResponse)) or 0


@dataclass(frozen=True)
class AnswerCount:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class QuestionCounts:
    slug: str
    question: str
    answered: int
    answers: list[AnswerCount]


def answer_counts(session: Session) -> list[QuestionCounts]:
    """For each question, how many responses chose each answer (one query for all)."""
    tallies = {step.slug: Counter() for step in steps.STEPS}
    answered = Counter()
    for answers in session.scalars(select(SurveyResponse.answers)).yield_per(EXPORT_BATCH_SIZE):
        for step in steps.STEPS:
            if step.slug in answers:
                answered[step.slug] += 1
                tallies[step.slug].update(step.tally(answers[step.slug]))
    return [
        QuestionCounts(
            slug=step.slug,
            question=str(step.question),
            answered=answered[step.slug],
            answers=[
                AnswerCount(code=code, label=str(label), count=tallies[step.slug][code])
                for code, label in step.tally_labels
            ],
        )
        for step in steps.STEPS
    ]


def export_columns() -> list[str]:
    return ["id", "submitted_at", "language", *steps.export_columns()]


def export_rows(session: Session) -> list[dict[str, Any]]:
    """One mapping per response, oldest first: the export's columns with the stored codes."""
    query = select(
        SurveyResponse.id,
        SurveyResponse.submitted_at,
        SurveyResponse.language,
        SurveyResponse.answers,
    ).order_by(SurveyResponse.id)
    records = []
    for row in session.execute(query).yield_per(EXPORT_BATCH_SIZE):
        record: dict[str, Any] = {
            "id": row.id,
            "submitted_at": iso_utc(row.submitted_at),
            "language": row.language,
        }
        for step in steps.STEPS:
            answer = row.answers.get(step.slug, {})
            for column in step.export_columns:
                record[column] = answer.get(column)
        records.append(record)
    return records
