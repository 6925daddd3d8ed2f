"""Writes of the survey: keep a draft answer, turn a draft into a response, purge old drafts.

Each write starts its transaction with a write statement. On SQLite a transaction that has
read first cannot wait for the write lock (it fails with "database is locked" at once when
another request writes), whereas one that writes first waits its turn; on PostgreSQL the same
first UPDATE or DELETE locks the draft's row, so two requests for one draft run one after
the other and neither loses the other's answer.

PostgreSQL runs each transaction on one snapshot (REPEATABLE READ): the second of two writes to
one draft, having waited for the first, fails with a serialization failure instead of
overwriting it. Such a write is run again from the start (it then reads the first one's
answer) a few times; only if it keeps failing does the visitor get `ConcurrentWrite`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import hashlib
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from portal.survey import queries, steps
from portal.survey.models import SurveyDraft, SurveyResponse

# SQLSTATEs of a transaction that lost a race and may simply be run again.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock
WRITE_ATTEMPTS = 6
RETRY_PAUSE_SECONDS = 0.02  # doubled after each failure, with jitter: 20 ms … 640 ms

Result = TypeVar("Result")


class ConcurrentWrite(Exception):
    """Other requests kept writing the same draft: the answer could not be stored."""


def is_retryable(error: OperationalError) -> bool:
    return getattr(error.orig, "sqlstate", None) in RETRYABLE_SQLSTATES


def _retrying(session: Session, write: Callable[[], Result]) -> Result:
    """Run `write` (one transaction, ending in a commit), again when it lost a race."""
    for attempt in range(WRITE_ATTEMPTS):
        try:
            return write()
        except OperationalError as error:
            session.rollback()
            if not is_retryable(error):
                raise
            if attempt == WRITE_ATTEMPTS - 1:
                raise ConcurrentWrite from error
            time.sleep(RETRY_PAUSE_SECONDS * 2**attempt * random.uniform(0.5, 1.5))
    raise AssertionError("unreachable")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def new_draft_token() -> str:
    return secrets.token_urlsafe(32)


def submission_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def save_answer(
    session: Session, token: str | None, step_slug: str, answer: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    """Store one step's answer in the visitor's draft; return the draft's token and answers.

    A missing or unknown token (none yet, or the draft was purged) starts a new draft.
    """
    return _retrying(session, lambda: _save_answer(session, token, step_slug, answer))


def _save_answer(
    session: Session, token: str | None, step_slug: str, answer: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    now = utcnow()
    draft = None
    if token:
        touched = session.execute(
            update(SurveyDraft)
            .where(SurveyDraft.token == token)
            .values(updated_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if touched:
            draft = session.get(SurveyDraft, token, populate_existing=True)
    if draft is None:
        draft = SurveyDraft(token=new_draft_token(), answers={}, created_at=now, updated_at=now)
        session.add(draft)
    answers = {**draft.answers, step_slug: answer}
    draft.answers = answers
    session.commit()
    return draft.token, answers


class SubmissionOutcome(enum.Enum):
    STORED = "stored"
    # The same draft was submitted before (a double click, a replayed form): nothing new.
    ALREADY_STORED = "already_stored"
    # A question is still unanswered: the draft is kept and the visitor sent back to it.
    INCOMPLETE = "incomplete"
    NO_DRAFT = "no_draft"


@dataclass(frozen=True)
class Submission:
    outcome: SubmissionOutcome
    unanswered: steps.Step | None = None


def submit(session: Session, token: str | None, language: str) -> Submission:
    """Turn the draft into one response (no IP address, no token) and delete the draft.

    Deleting the draft and inserting the response happen in one transaction; the unique
    submission key makes a concurrent second submission of the same draft store nothing.
    """
    if not token:
        return Submission(SubmissionOutcome.NO_DRAFT)
    return _retrying(session, lambda: _submit(session, token, language))


def _submit(session: Session, token: str, language: str) -> Submission:
    key = submission_key(token)
    answers = session.execute(
        delete(SurveyDraft)
        .where(SurveyDraft.token == token)
        .returning(SurveyDraft.answers)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if answers is None:
        session.rollback()
        if queries.response_exists(session, key):
            return Submission(SubmissionOutcome.ALREADY_STORED)
        return Submission(SubmissionOutcome.NO_DRAFT)
    unanswered = steps.first_unanswered(answers)
    if unanswered is not None:
        session.rollback()
        return Submission(SubmissionOutcome.INCOMPLETE, unanswered)
    session.add(
        SurveyResponse(
            submitted_at=utcnow(), language=language, answers=answers, submission_key=key
        )
    )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return Submission(SubmissionOutcome.ALREADY_STORED)
    return Submission(SubmissionOutcome.STORED)


def discard_draft(session: Session, token: str | None) -> None:
    """Forget a draft without storing a response (the honeypot was filled in). A draft other
    requests keep writing meanwhile is left for `purge_drafts`."""
    if token:
        with contextlib.suppress(ConcurrentWrite):
            _retrying(session, lambda: _delete_draft(session, token))


def _delete_draft(session: Session, token: str) -> None:
    session.execute(
        delete(SurveyDraft)
        .where(SurveyDraft.token == token)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def purge_drafts(session: Session, older_than: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Delete drafts idle for longer than `older_than`; return how many were deleted."""
    cutoff = (now or utcnow()) - older_than
    deleted = session.execute(
        delete(SurveyDraft)
        .where(SurveyDraft.updated_at < cutoff)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    return deleted
