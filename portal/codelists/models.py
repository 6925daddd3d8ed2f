"""Codelist entries as IATI publishes them: one row per code and language of its name."""

from __future__ import annotations

from sqlalchemy import Boolean, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class CodelistEntry(db.Model):
    """The name of one code of one IATI codelist in one language.

    IATI codelists carry English names and, for most lists, French ones; a code has one row
    per language its name is published in. Withdrawn codes are kept: old activities use them.
    """

    __tablename__ = "codelist_entry"
    # The unique index also serves the look-up of a whole codelist (its leading column).
    __table_args__ = (UniqueConstraint("codelist", "code", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    codelist: Mapped[str] = mapped_column(String(100))
    code: Mapped[str] = mapped_column(String(100))
    lang: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(100))
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
