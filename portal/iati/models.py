"""The organisation's published IATI activities, as the portal stores them.

An outcome is one IATI activity in one plan period: identifiers are reused across plan
periods, so (iati_identifier, plan_period) is the key.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.iati.narratives import Narratives, NarrativesType

MONEY = Numeric(20, 2)


def _outcome_key():
    """The foreign key every part of an outcome carries; deleting the outcome deletes it."""
    return mapped_column(ForeignKey("outcome.id", ondelete="CASCADE"), index=True)


class Publisher(db.Model):
    """A reporting organisation (IATI `reporting-org`)."""

    __tablename__ = "publisher"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(200), unique=True)
    org_type: Mapped[str | None] = mapped_column(String(10))
    name: Mapped[Narratives] = mapped_column(NarrativesType)


class SourceFile(db.Model):
    """One IATI file as imported: where it came from and when, for provenance."""

    __tablename__ = "source_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    location: Mapped[str] = mapped_column(String(2000))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    generated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime)
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)


class Outcome(db.Model):
    """An IATI activity in one plan period."""

    __tablename__ = "outcome"
    __table_args__ = (UniqueConstraint("iati_identifier", "plan_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    iati_identifier: Mapped[str] = mapped_column(String(300), index=True)
    plan_period: Mapped[str] = mapped_column(String(20))
    publisher_id: Mapped[int | None] = mapped_column(ForeignKey("publisher.id"))
    source_file_id: Mapped[int | None] = mapped_column(ForeignKey("source_file.id"))
    content_sha256: Mapped[str] = mapped_column(String(64))
    default_lang: Mapped[str | None] = mapped_column(String(10))
    default_currency: Mapped[str | None] = mapped_column(String(3))
    status_code: Mapped[str | None] = mapped_column(String(10))
    hierarchy: Mapped[int | None] = mapped_column(Integer)
    # ISO 3166-1 alpha-3 of the single recipient country (alpha-2 as published kept too);
    # NULL for regional and global activities.
    country_iso3: Mapped[str | None] = mapped_column(String(3), index=True)
    country_iso2: Mapped[str | None] = mapped_column(String(2))
    region_code: Mapped[str | None] = mapped_column(String(20))
    region_vocabulary: Mapped[str | None] = mapped_column(String(10))
    region_name: Mapped[Narratives] = mapped_column(NarrativesType)
    planned_start: Mapped[dt.date | None] = mapped_column(Date)
    actual_start: Mapped[dt.date | None] = mapped_column(Date)
    planned_end: Mapped[dt.date | None] = mapped_column(Date)
    actual_end: Mapped[dt.date | None] = mapped_column(Date)
    title: Mapped[Narratives] = mapped_column(NarrativesType)
    description: Mapped[Narratives] = mapped_column(NarrativesType)
    # The activity's @last-updated-datetime as published (None when the file leaves it out).
    last_updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # The <iati-activity> element exactly as published, for the IATI XML download.
    source_xml: Mapped[bytes] = mapped_column(LargeBinary)

    publisher: Mapped[Publisher | None] = relationship()
    source_file: Mapped[SourceFile | None] = relationship()
    results: Mapped[list[Result]] = relationship(
        back_populates="outcome", cascade="all, delete-orphan", order_by="Result.position"
    )
    budgets: Mapped[list[Budget]] = relationship(
        back_populates="outcome", cascade="all, delete-orphan", order_by="Budget.period_start"
    )
    transactions: Mapped[list[Transaction]] = relationship(
        back_populates="outcome", cascade="all, delete-orphan", order_by="Transaction.date"
    )
    participating_orgs: Mapped[list[ParticipatingOrg]] = relationship(
        back_populates="outcome", cascade="all, delete-orphan"
    )
    classifications: Mapped[list[Classification]] = relationship(
        back_populates="outcome", cascade="all, delete-orphan"
    )
    progress_narratives: Mapped[list[ProgressNarrative]] = relationship(
        back_populates="outcome", cascade="all, delete-orphan", order_by="ProgressNarrative.year"
    )
    recipients: Mapped[list[Recipient]] = relationship(
        back_populates="outcome", cascade="all, delete-orphan", order_by="Recipient.position"
    )


class Recipient(db.Model):
    """A `recipient-country` or `recipient-region` of an activity, with its percentage.

    An activity counts on each recipient's page by its share (portal.ledger decides how).
    """

    __tablename__ = "recipient"
    __table_args__ = (
        Index("ix_recipient_country", "country_iso3", "outcome_id"),
        Index("ix_recipient_region", "kind", "code", "outcome_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = _outcome_key()
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))  # "country" or "region"
    code: Mapped[str | None] = mapped_column(String(20))  # as published
    vocabulary: Mapped[str | None] = mapped_column(String(10))  # regions only ("1": OECD DAC)
    # Countries only: ISO 3166-1 alpha-3 when the code is known (XK -> XKX), else None.
    country_iso3: Mapped[str | None] = mapped_column(String(3))
    percentage: Mapped[Decimal | None] = mapped_column(Numeric(7, 3))
    name: Mapped[Narratives] = mapped_column(NarrativesType)

    outcome: Mapped[Outcome] = relationship(back_populates="recipients")


class PublisherPlanPeriod(db.Model):
    """A strategic plan period of a publisher, set by the operator (`portal plan-periods`).

    A publisher without plan periods has only activities with their own dates.
    """

    __tablename__ = "publisher_plan_period"
    __table_args__ = (UniqueConstraint("publisher_ref", "first_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    publisher_ref: Mapped[str] = mapped_column(String(200), index=True)
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int] = mapped_column(Integer)


class Result(db.Model):
    """An IATI `<result>`: an output (type 1) or an outcome-level result (type 2)."""

    __tablename__ = "result"

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = _outcome_key()
    position: Mapped[int] = mapped_column(Integer)
    type_code: Mapped[str | None] = mapped_column(String(10))
    aggregation_status: Mapped[bool | None] = mapped_column(Boolean)
    title: Mapped[Narratives] = mapped_column(NarrativesType)
    description: Mapped[Narratives] = mapped_column(NarrativesType)

    outcome: Mapped[Outcome] = relationship(back_populates="results")
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="result", cascade="all, delete-orphan", order_by="Indicator.position"
    )


class Indicator(db.Model):
    """A result indicator with its baseline; targets and actuals are in its periods."""

    __tablename__ = "indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("result.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    measure: Mapped[str | None] = mapped_column(String(10))
    ascending: Mapped[bool | None] = mapped_column(Boolean)
    title: Mapped[Narratives] = mapped_column(NarrativesType)
    description: Mapped[Narratives] = mapped_column(NarrativesType)
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    baseline_value: Mapped[str | None] = mapped_column(String(100))
    baseline_comment: Mapped[Narratives] = mapped_column(NarrativesType)

    result: Mapped[Result] = relationship(back_populates="indicators")
    periods: Mapped[list[IndicatorPeriod]] = relationship(
        back_populates="indicator",
        cascade="all, delete-orphan",
        order_by="IndicatorPeriod.period_start",
    )


class IndicatorPeriod(db.Model):
    """Target and actual of an indicator for one period, as published (values kept as text)."""

    __tablename__ = "indicator_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    target_value: Mapped[str | None] = mapped_column(String(100))
    target_comment: Mapped[Narratives] = mapped_column(NarrativesType)
    actual_value: Mapped[str | None] = mapped_column(String(100))
    actual_comment: Mapped[Narratives] = mapped_column(NarrativesType)

    indicator: Mapped[Indicator] = relationship(back_populates="periods")


class Budget(db.Model):
    """A planned budget (`<budget>`) for one period."""

    __tablename__ = "budget"

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = _outcome_key()
    type_code: Mapped[str | None] = mapped_column(String(10))
    status_code: Mapped[str | None] = mapped_column(String(10))
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    value: Mapped[Decimal | None] = mapped_column(MONEY)
    currency: Mapped[str | None] = mapped_column(String(3))
    value_date: Mapped[dt.date | None] = mapped_column(Date)

    outcome: Mapped[Outcome] = relationship(back_populates="budgets")


class Transaction(db.Model):
    """A financial transaction: incoming funds, commitment, disbursement, expenditure…"""

    __tablename__ = "iati_transaction"

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = _outcome_key()
    type_code: Mapped[str | None] = mapped_column(String(10), index=True)
    date: Mapped[dt.date | None] = mapped_column(Date)
    value: Mapped[Decimal | None] = mapped_column(MONEY)
    currency: Mapped[str | None] = mapped_column(String(3))
    value_date: Mapped[dt.date | None] = mapped_column(Date)
    provider_ref: Mapped[str | None] = mapped_column(String(200))
    provider_name: Mapped[Narratives] = mapped_column(NarrativesType)
    receiver_ref: Mapped[str | None] = mapped_column(String(200))
    receiver_name: Mapped[Narratives] = mapped_column(NarrativesType)
    description: Mapped[Narratives] = mapped_column(NarrativesType)

    outcome: Mapped[Outcome] = relationship(back_populates="transactions")


class ParticipatingOrg(db.Model):
    """A `participating-org`; role 1 (funding) makes it a funding partner."""

    __tablename__ = "participating_org"

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = _outcome_key()
    role_code: Mapped[str | None] = mapped_column(String(10))
    ref: Mapped[str | None] = mapped_column(String(200))
    org_type: Mapped[str | None] = mapped_column(String(10))
    name: Mapped[Narratives] = mapped_column(NarrativesType)

    outcome: Mapped[Outcome] = relationship(back_populates="participating_orgs")


class Classification(db.Model):
    """A `<sector>` or `<tag>`: Strategic Plan area (sector vocabulary 99), SDG goal or target."""

    __tablename__ = "classification"

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = _outcome_key()
    kind: Mapped[str] = mapped_column(String(10))  # "sector" or "tag"
    vocabulary: Mapped[str | None] = mapped_column(String(10))
    code: Mapped[str | None] = mapped_column(String(100))
    percentage: Mapped[Decimal | None] = mapped_column(Numeric(7, 3))
    name: Mapped[Narratives] = mapped_column(NarrativesType)

    outcome: Mapped[Outcome] = relationship(back_populates="classifications")


class ProgressNarrative(db.Model):
    """What the outcome achieved in a year, in words.

    Taken from the comments on the actual values of its outcome-level results (result type 2)
    for periods ending in that year.
    """

    __tablename__ = "progress_narrative"
    __table_args__ = (UniqueConstraint("outcome_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = _outcome_key()
    year: Mapped[int] = mapped_column(Integer)
    text: Mapped[Narratives] = mapped_column(NarrativesType)

    outcome: Mapped[Outcome] = relationship(back_populates="progress_narratives")


class ImportRun(db.Model):
    """One run of an import command; the newest id is the data version caches key on."""

    __tablename__ = "import_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    report: Mapped[str | None] = mapped_column(Text)
