"""Countries and the reference facts shown in a country page's header."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db


class Country(db.Model):
    """A country or territory; names come from Babel's locale data by iso2 at render time."""

    __tablename__ = "country"

    iso3: Mapped[str] = mapped_column(String(3), primary_key=True)
    iso2: Mapped[str] = mapped_column(String(2), unique=True)
    m49: Mapped[str | None] = mapped_column(String(3))
    # UN M49 region / sub-region / intermediate region codes, e.g. "002" Africa,
    # "202" Sub-Saharan Africa, "011" Western Africa (most countries have no intermediate one).
    region_m49: Mapped[str | None] = mapped_column(String(3))
    subregion_m49: Mapped[str | None] = mapped_column(String(3))
    intermediate_m49: Mapped[str | None] = mapped_column(String(3))
    english_name: Mapped[str] = mapped_column(String(200))

    facts: Mapped[list[CountryFact]] = relationship(
        back_populates="country", cascade="all, delete-orphan"
    )


class CountryFact(db.Model):
    """One figure about a country for one year, with where it came from.

    `indicator` is one of the names in portal.countries.facts.INDICATORS (income_group,
    ldc, gii, gdi, population_total, population_female, population_male…). Text facts
    (income group, yes/no) use `text_value`; figures use `value`.
    """

    __tablename__ = "country_fact"
    __table_args__ = (UniqueConstraint("country_iso3", "indicator", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_iso3: Mapped[str] = mapped_column(
        ForeignKey("country.iso3", ondelete="CASCADE"), index=True
    )
    indicator: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[Decimal | None] = mapped_column(Numeric(24, 6))
    text_value: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(500))
    as_of: Mapped[dt.date | None] = mapped_column(Date)

    country: Mapped[Country] = relationship(back_populates="facts")
