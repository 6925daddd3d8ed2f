"""Findings: one row per thing that looks wrong in one stored record of an activity, or in
one of a country's reference facts."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db

VALUE_LENGTH = 300
# The `record` of a finding about a country's reference fact.
FACT_RECORD = "country fact"


class DataFinding(db.Model):
    """`kind` is a key of portal.quality.kinds.KINDS; `record` names the part of the activity
    (activity, result, indicator, indicator period, budget, transaction, recipient) and
    `record_id` its row; `value` is the offending value as published (cut to 300 characters).

    A finding about a country fact has no activity: `country_iso3` names the country, `record`
    is "country fact" and `record_id` the CountryFact row."""

    __tablename__ = "data_finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int | None] = mapped_column(
        ForeignKey("outcome.id", ondelete="CASCADE"), index=True
    )
    country_iso3: Mapped[str | None] = mapped_column(
        String(3), ForeignKey("country.iso3", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40), index=True)
    record: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int | None] = mapped_column(Integer)
    value: Mapped[str | None] = mapped_column(String(VALUE_LENGTH))
