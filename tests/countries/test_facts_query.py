"""`country_facts`: what the country page header gets for each indicator."""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal

from portal.countries import facts
from portal.countries.models import Country, CountryFact
from portal.countries.queries import CountryFacts, country_facts


def add_fact(session, indicator: str, year: int, value=None, text_value=None, source="HDR"):
    session.add(
        CountryFact(
            country_iso3="MLI",
            indicator=indicator,
            year=year,
            value=None if value is None else Decimal(value),
            text_value=text_value,
            source=source,
        )
    )


def test_one_field_per_indicator():
    names = {field.name for field in fields(CountryFacts)}
    assert set(facts.INDICATORS) <= names


def test_latest_year_per_indicator_with_its_source(db_session):
    db_session.add(Country(iso3="MLI", iso2="ML", english_name="Mali"))
    add_fact(db_session, facts.GII, 2021, "0.61")
    add_fact(db_session, facts.GII, 2022, "0.607", source="UNDP HDR 2023/24")
    add_fact(db_session, facts.INCOME_GROUP, 2025, text_value="L")
    db_session.flush()

    result = country_facts(db_session, "mli")

    assert (result.gii.value, result.gii.year, result.gii.source) == (
        Decimal("0.607"),
        2022,
        "UNDP HDR 2023/24",
    )
    assert result.income_group.text_value == "L"
    assert result.gdi is None
    assert result.female_share is None
    assert country_facts(db_session, "MLI", up_to_year=2021).gii.value == Decimal("0.61")


def test_shares_come_from_counts_of_the_same_year(db_session):
    db_session.add(Country(iso3="MLI", iso2="ML", english_name="Mali"))
    add_fact(db_session, facts.POPULATION_TOTAL, 2022, "1000")
    add_fact(db_session, facts.POPULATION_FEMALE, 2022, "510")
    add_fact(db_session, facts.POPULATION_MALE, 2022, "490")
    add_fact(db_session, facts.POPULATION_TOTAL, 2023, "1100")  # no split for 2023
    db_session.flush()

    result = country_facts(db_session, "MLI")

    assert result.population_total.year == 2023
    assert (result.female_share.percent, result.female_share.year) == (Decimal(51), 2022)
    assert result.male_share.percent == Decimal(49)


def test_no_share_without_a_total(db_session):
    db_session.add(Country(iso3="MLI", iso2="ML", english_name="Mali"))
    add_fact(db_session, facts.POPULATION_FEMALE, 2022, "510")
    db_session.flush()

    result = country_facts(db_session, "MLI")

    assert result.population_female.value == 510
    assert result.female_share is None
