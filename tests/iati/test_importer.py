"""What the importer makes of the standard's variations, on small files written for the tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from lxml import etree
from sqlalchemy import func, select

from portal.countries.models import Country
from portal.iati.importer import import_sources
from portal.iati.models import (
    Budget,
    Classification,
    ImportRun,
    Indicator,
    IndicatorPeriod,
    Outcome,
    ParticipatingOrg,
    ProgressNarrative,
    Publisher,
    Result,
    SourceFile,
    Transaction,
)
from portal.quality import kinds as quality_kinds

FIXTURES = Path(__file__).parent / "fixtures"
VERSION_201 = FIXTURES / "iati-2.01-mali.xml"
ARABIC = FIXTURES / "iati-arabic-rtl.xml"
NO_LANGUAGE = FIXTURES / "iati-no-default-language.xml"


def _outcome(session, identifier: str) -> Outcome:
    return session.scalar(select(Outcome).where(Outcome.iati_identifier == identifier))


def test_version_201_file_with_free_text_and_default_currency(db_session):
    report = import_sources(db_session, [str(VERSION_201)])

    assert report.activities == 2
    mali = _outcome(db_session, "XM-TEST-201-MLI-1")
    assert mali.plan_period == "2014-2017"
    assert mali.default_lang == "fr"
    assert mali.title == {
        "fr": "Accès des femmes rurales au crédit",
        "en": "Rural women's access to credit",
    }
    # 1.x-style text straight inside <description>, in the activity's language.
    assert mali.description == {"fr": "Texte libre écrit à l'ancienne, sans élément narrative."}
    assert (mali.country_iso2, mali.country_iso3) == ("ML", "MLI")
    assert (mali.planned_start, mali.actual_start) == (dt.date(2014, 1, 1), dt.date(2014, 2, 15))
    assert (mali.status_code, mali.hierarchy) == ("2", 1)
    assert mali.publisher.ref == "XM-TEST-201"
    assert mali.publisher.name == {"fr": "Organisation d'essai", "en": "Test organisation"}

    budget = db_session.scalar(select(Budget).where(Budget.outcome_id == mali.id))
    assert (budget.value, budget.currency) == (Decimal("100000"), "EUR")
    transaction = db_session.scalar(select(Transaction).where(Transaction.outcome_id == mali.id))
    assert transaction.value == Decimal("2500.50")
    assert (transaction.currency, transaction.type_code) == ("EUR", "4")
    assert transaction.provider_name == {"fr": "Pays-Bas"}
    assert transaction.description == {"fr": "Dépenses du premier semestre"}

    indicator = db_session.scalar(
        select(Indicator).join(Result).where(Result.outcome_id == mali.id)
    )
    assert (indicator.baseline_year, indicator.baseline_value) == (2013, "120")
    assert indicator.baseline_comment == {"fr": "Enquête de référence 2013"}
    periods = db_session.scalars(
        select(IndicatorPeriod)
        .where(IndicatorPeriod.indicator_id == indicator.id)
        .order_by(IndicatorPeriod.period_start)
    ).all()
    assert [(p.target_value, p.actual_value) for p in periods] == [("300", "280"), ("500", None)]
    progress = db_session.scalars(
        select(ProgressNarrative).where(ProgressNarrative.outcome_id == mali.id)
    ).all()
    assert [(p.year, p.text) for p in progress] == [
        (2014, {"fr": "280 femmes ont obtenu un prêt en 2014."})
    ]

    senegal = _outcome(db_session, "XM-TEST-201-SEN-2")  # published with spaces around it
    assert senegal.plan_period == "2012-2014"  # actual dates when planned ones are missing
    assert senegal.title == {"fr": "Titre en texte libre (style 1.x)"}
    assert senegal.country_iso3 == "SEN"
    budget = db_session.scalar(select(Budget).where(Budget.outcome_id == senegal.id))
    assert budget.currency == "USD"  # the value's own currency beats the default


def test_right_to_left_narratives_are_kept_verbatim(db_session):
    report = import_sources(db_session, [str(ARABIC)])

    outcome = _outcome(db_session, "XM-TEST-AR-JOR_D_1.1")
    assert outcome.default_lang == "ar"
    assert outcome.title == {
        "ar": "تمكين المرأة اقتصاديًا في الأردن",
        "en": "Women's economic empowerment in Jordan",
    }
    assert outcome.title.pick("fr", outcome.default_lang).lang == "ar"
    assert report.narratives_per_language["ar"] > report.narratives_per_language["en"]
    assert outcome.country_iso3 == "JOR"
    assert "تمكين المرأة".encode() in outcome.source_xml
    progress = db_session.scalar(
        select(ProgressNarrative).where(ProgressNarrative.outcome_id == outcome.id)
    )
    assert progress.year == 2023
    assert progress.text == {
        "ar": "ارتفعت نسبة مشاركة المرأة في سوق العمل خلال عام ٢٠٢٣.",
        "en": "Women's labour force participation rose during 2023.",
    }
    kinds = db_session.execute(
        select(Classification.kind, Classification.vocabulary, Classification.code)
        .where(Classification.outcome_id == outcome.id)
        .order_by(Classification.kind)
    ).all()
    assert [tuple(row) for row in kinds] == [("sector", "99", "D1"), ("tag", "3", "5.5")]


def test_activity_without_any_language_and_with_several_countries(db_session):
    report = import_sources(db_session, [str(NO_LANGUAGE)])

    outcome = _outcome(db_session, "XM-TEST-NOLANG-1")
    assert outcome.default_lang is None
    assert outcome.title == {"und": "An activity whose narratives declare no language"}
    assert outcome.title.pick("en").text == "An activity whose narratives declare no language"
    # No planned or actual end date: the last budget period ends in 2023.
    assert outcome.plan_period == "2021-2023"
    assert (outcome.country_iso2, outcome.country_iso3) == (None, None)
    assert (outcome.region_code, outcome.region_vocabulary) == ("289", "1")
    assert report.warnings["several recipient countries"] == 1
    assert report.warnings["placeholder name"] == 1
    assert report.warnings["several baselines"] == 1
    assert report.warnings["several targets in a period"] == 1
    assert report.warnings["several actuals in a period"] == 1
    # Seven narratives, but the comment of the target that was not taken is not imported.
    assert report.narratives_per_language == {"und": 6}

    indicator = db_session.scalar(
        select(Indicator).join(Result).where(Result.outcome_id == outcome.id)
    )
    assert indicator.baseline_value == "5"  # the first baseline
    period = db_session.scalar(
        select(IndicatorPeriod).where(IndicatorPeriod.indicator_id == indicator.id)
    )
    assert (period.target_value, period.actual_value) == ("10", "8")  # first with a value
    organisation = db_session.scalar(
        select(ParticipatingOrg).where(ParticipatingOrg.outcome_id == outcome.id)
    )
    assert organisation.name == {"und": "-"}
    assert "several recipient countries, counted by their shares: 1" in report.format()


def test_recipient_country_gets_a_minimal_country_row_without_touching_existing_ones(
    db_session,
):
    db_session.add(
        Country(
            iso3="MLI",
            iso2="ML",
            m49="466",
            region_m49="002",
            subregion_m49="202",
            english_name="Mali (as loaded)",
        )
    )
    db_session.commit()

    import_sources(db_session, [str(VERSION_201)])

    mali = db_session.get(Country, "MLI")
    assert (mali.region_m49, mali.subregion_m49, mali.english_name) == (
        "002",
        "202",
        "Mali (as loaded)",
    )
    senegal = db_session.get(Country, "SEN")
    assert (senegal.iso2, senegal.m49, senegal.english_name) == ("SN", "686", "Senegal")
    assert senegal.region_m49 is None


def test_changed_activity_replaces_its_parts(db_session, tmp_path):
    import_sources(db_session, [str(VERSION_201)])
    db_session.commit()
    changed = tmp_path / "changed.xml"
    second_period = (
        "    <period>\n"
        '     <period-start iso-date="2015-01-01"/>\n'
        '     <period-end iso-date="2015-12-31"/>\n'
        '     <target value="500"/>\n'
        "    </period>\n"
    )
    published = VERSION_201.read_text(encoding="utf-8")
    assert second_period in published
    changed.write_text(
        published.replace(">100000</value>", ">120000</value>").replace(second_period, ""),
        encoding="utf-8",
    )

    report = import_sources(db_session, [str(changed)])
    db_session.commit()

    assert (report.outcomes_created, report.outcomes_updated, report.outcomes_unchanged) == (
        0,
        1,
        1,
    )
    mali = _outcome(db_session, "XM-TEST-201-MLI-1")
    values = db_session.scalars(select(Budget.value).where(Budget.outcome_id == mali.id)).all()
    assert values == [Decimal("120000")]
    assert db_session.scalar(select(func.count()).select_from(Outcome)) == 2
    assert db_session.scalar(select(func.count()).select_from(Result)) == 1
    assert db_session.scalar(select(func.count()).select_from(IndicatorPeriod)) == 1
    assert db_session.scalar(select(func.count()).select_from(ProgressNarrative)) == 1
    assert mali.source_file.location == str(changed.resolve())
    assert db_session.scalar(select(func.count()).select_from(SourceFile)) == 2


def test_same_activity_twice_in_one_run_is_one_outcome(db_session):
    report = import_sources(db_session, [str(ARABIC), str(ARABIC)])

    assert report.activities == 2
    assert (report.outcomes_created, report.outcomes_unchanged) == (1, 1)
    assert report.warnings["activity repeated in this run"] == 1
    assert db_session.scalar(select(func.count()).select_from(Outcome)) == 1
    assert db_session.scalar(select(func.count()).select_from(Budget)) == 1


def test_provenance_and_import_run_are_recorded(db_session):
    report = import_sources(db_session, [str(ARABIC)], is_sample=True)

    source = db_session.scalar(select(SourceFile))
    assert source.location == str(ARABIC.resolve())
    assert source.generated_at == dt.datetime(2023, 5, 10, 8, 30)
    assert source.is_sample is True
    assert len(source.sha256) == 64
    assert db_session.scalar(select(Publisher.ref)) == "XM-TEST-AR"
    run = db_session.scalar(select(ImportRun).order_by(ImportRun.id.desc()))
    assert run.kind == "iati"
    assert run.finished_at >= run.started_at
    assert run.report == report.format()
    assert "Activities: 1 (new 1, updated 0, unchanged 0)" in run.report


def test_progress_reports_every_byte_read(db_session):
    seen: list[int] = []

    import_sources(db_session, [str(VERSION_201), str(ARABIC)], progress=seen.append)

    assert sum(seen) == VERSION_201.stat().st_size + ARABIC.stat().st_size


def test_budget_lines_of_zero_or_less_are_kept_and_reported(db_session, shared_data):
    """UNICEF's Maldives activity publishes a 2018 budget line of -151: it is stored as
    published, reported by the import, and not added to any figure (portal.ledger.rules)."""
    path = shared_data / "iati-activities" / "unicef-XM-DAC-41122.xml"
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    not_above_zero = [
        value
        for value in tree.xpath("//iati-activity/budget/value/text()")
        if Decimal(value.strip()) <= 0
    ]
    report = import_sources(db_session, [path])
    assert not_above_zero
    found = report.findings[quality_kinds.BUDGET_NOT_ABOVE_ZERO]
    assert found.count == len(not_above_zero)
    stored = db_session.scalars(select(Budget.value).where(Budget.value <= 0)).all()
    assert sorted(stored) == sorted(Decimal(value.strip()) for value in not_above_zero)
