"""Findings: one row per thing that looks wrong in one stored record of an activity."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db

VALUE_LENGTH = 300


class DataFinding(db.Model):
    """`kind` is a key of portal.quality.kinds.KINDS; `record` names the part of the activity
    (activity, result, indicator, indicator period, budget, transaction, recipient) and
    `record_id` its row; `value` is the offending value as published (cut to 300 characters)."""

    __tablename__ = "data_finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(
        ForeignKey("outcome.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40), index=True)
    record: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int | None] = mapped_column(Integer)
    value: Mapped[str | None] = mapped_column(String(VALUE_LENGTH))
