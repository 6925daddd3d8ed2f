"""Rows for country-page tests, made directly in the test session (no importer, no sample data).

`mali()` builds a country like the bundled sample's Mali: outcomes in the 2022-2025 plan
period, progress narratives for 2023 and 2024 (some in French only), budgets, expenditure,
incoming funds and funding organisations.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.countries.models import Country, CountryFact
from portal.iati.models import (
    Budget,
    Classification,
    Indicator,
    IndicatorPeriod,
    Outcome,
    ParticipatingOrg,
    ProgressNarrative,
    Publisher,
    Recipient,
    Result,
    SourceFile,
    Transaction,
)
from portal.iati.narratives import Narratives

PUBLISHER = "XM-DAC-41146"


def country(
    session: Session,
    iso3: str,
    iso2: str,
    english_name: str,
    region_m49: str | None = "002",
    subregion_m49: str | None = "011",
) -> Country:
    row = Country(
        iso3=iso3,
        iso2=iso2,
        english_name=english_name,
        region_m49=region_m49,
        subregion_m49=subregion_m49,
    )
    session.add(row)
    session.flush()
    return row


def outcome(
    session: Session,
    iso3: str,
    number: str,
    plan_period: str = "2022-2025",
    title: dict[str, str] | None = None,
    currency: str = "USD",
) -> Outcome:
    identifier = f"{PUBLISHER}-{iso3}_D_{number}"
    # The importer keys an activity by the years of its dates: give it those dates.
    first_year, _, last_year = plan_period.partition("-")
    row = Outcome(
        planned_start=dt.date(int(first_year), 1, 1) if first_year.isdigit() else None,
        planned_end=dt.date(int(last_year), 12, 31) if last_year.isdigit() else None,
        iati_identifier=identifier,
        plan_period=plan_period,
        content_sha256=hashlib.sha256(f"{identifier}/{plan_period}".encode()).hexdigest(),
        default_lang="en",
        default_currency=currency,
        country_iso3=iso3,
        title=Narratives(title or {"en": f"Outcome {number} title", "fr": f"Résultat {number}"}),
        source_xml=b"<iati-activity/>",
        recipients=[Recipient(position=0, kind="country", code=iso3[:2], country_iso3=iso3)],
    )
    session.add(row)
    session.flush()
    return row


def budget(
    session: Session,
    outcome_row: Outcome,
    year: int,
    value: str,
    currency: str | None = None,
    type_code: str = "1",
) -> Budget:
    row = Budget(
        outcome_id=outcome_row.id,
        type_code=type_code,
        status_code="1",
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        value=Decimal(value),
        currency=currency,
    )
    session.add(row)
    return row


def transaction(
    session: Session,
    outcome_row: Outcome,
    type_code: str,
    date: dt.date,
    value: str,
    currency: str | None = None,
    provider_ref: str | None = None,
    provider_name: str | None = None,
) -> Transaction:
    row = Transaction(
        outcome_id=outcome_row.id,
        type_code=type_code,
        date=date,
        value=Decimal(value),
        currency=currency,
        provider_ref=provider_ref,
        provider_name=Narratives({"en": provider_name} if provider_name else {}),
    )
    session.add(row)
    return row


def funding_org(session: Session, outcome_row: Outcome, ref: str, name: str) -> ParticipatingOrg:
    row = ParticipatingOrg(
        outcome_id=outcome_row.id, role_code="1", ref=ref, name=Narratives({"en": name})
    )
    session.add(row)
    return row


def narrative(session: Session, outcome_row: Outcome, year: int, texts: dict[str, str]):
    row = ProgressNarrative(outcome_id=outcome_row.id, year=year, text=Narratives(texts))
    session.add(row)
    return row


def fact(
    session: Session,
    iso3: str,
    indicator: str,
    year: int,
    value: str | None = None,
    text_value: str | None = None,
    source: str = "Test reference data",
) -> CountryFact:
    row = CountryFact(
        country_iso3=iso3,
        indicator=indicator,
        year=year,
        value=Decimal(value) if value is not None else None,
        text_value=text_value,
        source=source,
    )
    session.add(row)
    return row


@dataclass
class CountryWithOutcomes:
    country: Country
    outcomes: list[Outcome] = field(default_factory=list)


def country_with_outcomes(
    session: Session,
    iso3: str = "MLI",
    iso2: str = "ML",
    english_name: str = "Mali",
    outcome_count: int = 9,
    with_money: bool = True,
    with_facts: bool = True,
) -> CountryWithOutcomes:
    """A country with `outcome_count` outcomes, each with narratives, money and a funder."""
    made = CountryWithOutcomes(country(session, iso3, iso2, english_name))
    for index in range(1, outcome_count + 1):
        # Numbered 1.1 … 1.9, 1.10 …: identifier order must be natural, not alphabetical.
        row = outcome(session, iso3, f"1.{index}")
        made.outcomes.append(row)
        narrative(session, row, 2023, {"en": f"In 2023 outcome 1.{index} trained 40 women."})
        if index % 3 == 0:
            narrative(session, row, 2024, {"fr": f"En 2024 le résultat 1.{index} a avancé."})
        elif index % 3 == 1:
            narrative(session, row, 2024, {"en": f"In 2024 outcome 1.{index} reached 90 women."})
        if with_money:
            budget(session, row, 2024, "100000")
            transaction(session, row, "4", dt.date(2024, 6, 30), "60000")
            transaction(
                session,
                row,
                "1",
                dt.date(2024, 3, 1),
                str(10000 * index),
                provider_ref=f"DONOR-{index % 4}",
                provider_name=f"Donor {index % 4}",
            )
            funding_org(session, row, f"DONOR-{index % 4}", f"Donor {index % 4}")
    if with_facts:
        fact(session, iso3, "income_group", 2023, text_value="L")
        fact(session, iso3, "ldc", 2023, value="1")
        fact(session, iso3, "gii", 2022, value="0.613", source="UNDP HDR 2023/24")
        fact(session, iso3, "gdi", 2022, value="0.862", source="UNDP HDR 2023/24")
        fact(session, iso3, "population_total", 2022, value="22593590")
        fact(session, iso3, "population_female", 2022, value="11296795")
        fact(session, iso3, "population_male", 2022, value="11296795")
    session.flush()
    return made


def mali(session: Session) -> CountryWithOutcomes:
    return country_with_outcomes(session)


# --- Results, classifications and provenance (Results & Resources, Strategic Plan, outcome page)


def source(
    session: Session,
    outcomes: list[Outcome],
    publisher_name: str = "Example Publisher (test)",
    generated_at: dt.datetime | None = dt.datetime(2025, 1, 31),
    imported_at: dt.datetime = dt.datetime(2026, 11, 28, 9, 30),
    is_sample: bool = False,
) -> SourceFile:
    """Attach a publisher and the IATI file they came from to `outcomes` (provenance)."""
    publisher = session.scalar(select(Publisher).where(Publisher.ref == PUBLISHER))
    if publisher is None:
        publisher = Publisher(ref=PUBLISHER, name=Narratives({"en": publisher_name}))
        session.add(publisher)
    file = SourceFile(
        location="test.xml",
        sha256=hashlib.sha256(
            f"{publisher_name}{generated_at}{len(outcomes)}".encode()
        ).hexdigest(),
        generated_at=generated_at,
        imported_at=imported_at,
        is_sample=is_sample,
    )
    session.add(file)
    session.flush()
    for row in outcomes:
        row.publisher_id = publisher.id
        row.source_file_id = file.id
    session.flush()
    return file


def result(
    session: Session,
    outcome_row: Outcome,
    title: dict[str, str],
    description: dict[str, str] | None = None,
    type_code: str = "1",
) -> Result:
    row = Result(
        outcome_id=outcome_row.id,
        position=len(outcome_row.results),
        type_code=type_code,
        title=Narratives(title),
        description=Narratives(description or {}),
    )
    outcome_row.results.append(row)
    session.flush()
    return row


def indicator(
    session: Session,
    result_row: Result,
    title: dict[str, str],
    baseline_value: str | None = None,
    baseline_year: int | None = None,
    measure: str = "1",
    ascending: bool | None = True,
    baseline_comment: dict[str, str] | None = None,
) -> Indicator:
    row = Indicator(
        result_id=result_row.id,
        position=len(result_row.indicators),
        measure=measure,
        ascending=ascending,
        title=Narratives(title),
        description=Narratives({}),
        baseline_value=baseline_value,
        baseline_year=baseline_year,
        baseline_comment=Narratives(baseline_comment or {}),
    )
    result_row.indicators.append(row)
    session.flush()
    return row


def indicator_period(
    session: Session,
    indicator_row: Indicator,
    year: int,
    target: str | None = None,
    actual: str | None = None,
    target_comment: dict[str, str] | None = None,
    actual_comment: dict[str, str] | None = None,
) -> IndicatorPeriod:
    row = IndicatorPeriod(
        indicator_id=indicator_row.id,
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        target_value=target,
        target_comment=Narratives(target_comment or {}),
        actual_value=actual,
        actual_comment=Narratives(actual_comment or {}),
    )
    indicator_row.periods.append(row)
    session.flush()
    return row


def classification(
    session: Session,
    outcome_row: Outcome,
    vocabulary: str,
    code: str,
    kind: str = "sector",
    name: dict[str, str] | None = None,
) -> Classification:
    row = Classification(
        outcome_id=outcome_row.id,
        kind=kind,
        vocabulary=vocabulary,
        code=code,
        name=Narratives(name or {}),
    )
    session.add(row)
    return row


def country_with_results(
    session: Session,
    iso3: str = "MLI",
    iso2: str = "ML",
    english_name: str = "Mali",
    outcome_count: int = 4,
    outputs_per_outcome: int = 2,
    indicators_per_output: int = 2,
) -> CountryWithOutcomes:
    """`country_with_outcomes` plus, per outcome, outputs with indicators (2023 and 2024
    periods), a Strategic Plan area and SDG goals, a revised 2024 budget on every other
    outcome, and a source file: enough for every tab and the outcome page."""
    made = country_with_outcomes(session, iso3, iso2, english_name, outcome_count=outcome_count)
    for index, row in enumerate(made.outcomes, start=1):
        budget(session, row, 2023, str(80000 + 1000 * index))
        transaction(session, row, "4", dt.date(2023, 9, 30), str(50000 + 500 * index))
        if index % 2 == 0:
            budget(session, row, 2024, str(90000 + 100 * index), type_code="2")
        classification(session, row, "99", f"D{1 + index % 4}")
        classification(session, row, "7", "5")
        if index % 3 == 0:
            classification(session, row, "3", "16.2", kind="tag")
        for output_number in range(1, outputs_per_outcome + 1):
            output = result(session, row, {"en": f"Output {index}.{output_number}"})
            for indicator_number in range(1, indicators_per_output + 1):
                measured = indicator(
                    session,
                    output,
                    {"en": f"Indicator {index}.{output_number}.{indicator_number}"},
                    baseline_value=str(indicator_number),
                    baseline_year=2021,
                )
                indicator_period(session, measured, 2023, target="40", actual="30")
                indicator_period(
                    session,
                    measured,
                    2024,
                    target="60",
                    actual="45",
                    actual_comment={"en": f"Reached in {row.iati_identifier}."},
                )
    source(session, made.outcomes)
    session.flush()
    return made
