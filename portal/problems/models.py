"""What a report of a problem with the data stores: what it is about, what is wrong, and an
email address only when the visitor gives one. No IP address, nothing else about the visitor."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class ProblemReport(db.Model):
    __tablename__ = "problem_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)  # UTC
    language: Mapped[str] = mapped_column(String(8))
    # What the report is about (portal.problems.subjects): "outcome", "country" or "figures";
    # the outcome's IATI identifier or the country's ISO3 code; and, as the kind needs them,
    # the outcome's plan period, the figures' year and group.
    subject: Mapped[str] = mapped_column(String(20))
    subject_key: Mapped[str] = mapped_column(String(300))
    plan_period: Mapped[str | None] = mapped_column(String(20))
    year: Mapped[int | None] = mapped_column(Integer)
    figure_group: Mapped[str | None] = mapped_column(String(40))
    # The portal's page the visitor reported from, built with url_for from the checked subject.
    page_path: Mapped[str] = mapped_column(Text)
    problem: Mapped[str] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(254))
