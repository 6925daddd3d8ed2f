"""The six real publishers' files import completely, and importing again changes nothing."""

from __future__ import annotations

import pytest
from lxml import etree
from sqlalchemy import func, select

from iati.counting import EVERY_TABLE, activity_count, expected_counts, stored_counts
from portal.countries.models import Country
from portal.iati.importer import import_sources
from portal.iati.models import Classification, ImportRun, Outcome, ParticipatingOrg

REAL_FILES = [
    "unwomen-XM-DAC-41146.xml",
    "undp-XM-DAC-41114.xml",
    "unicef-XM-DAC-41122.xml",
    "gac-canada-CA-3.xml",
    "iadb-XI-IATI-IADB.xml",
    "worldbank-44000.xml",
]
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _newest_ids(session) -> dict[str, int | None]:
    """The highest id per table: a delete-and-insert would move it even at equal counts."""
    return {
        model.__tablename__: session.scalar(select(func.max(model.id)))
        for model in EVERY_TABLE
        if model not in (Country, ImportRun)  # every import records a new run
    }


@pytest.mark.parametrize("file_name", REAL_FILES)
def test_real_file_imports_every_part_and_reimport_changes_nothing(
    db_session, shared_data, file_name
):
    path = shared_data / "iati-activities" / file_name
    expected = expected_counts(path)

    report = import_sources(db_session, [str(path)])
    db_session.commit()

    assert stored_counts(db_session) == expected
    assert report.activities == activity_count(path)
    assert report.outcomes_created == expected["outcomes"]
    assert (report.results, report.indicators, report.periods) == (
        expected["results"],
        expected["indicators"],
        expected["periods"],
    )
    assert (report.budgets, report.transactions) == (
        expected["budgets"],
        expected["transactions"],
    )

    ids_before = _newest_ids(db_session)
    countries_before = db_session.scalar(select(func.count()).select_from(Country))
    again = import_sources(db_session, [str(path)])
    db_session.commit()

    assert stored_counts(db_session) == expected
    assert _newest_ids(db_session) == ids_before
    assert db_session.scalar(select(func.count()).select_from(Country)) == countries_before
    assert (again.outcomes_created, again.outcomes_updated) == (0, 0)
    assert again.outcomes_unchanged == expected["outcomes"]
    assert f"unchanged {expected['outcomes']}" in again.format()


def test_upper_case_languages_are_stored_lower_case(db_session, shared_data):
    path = shared_data / "iati-activities" / "gac-canada-CA-3.xml"
    tree = etree.parse(str(path))
    published = {lang.lower() for lang in tree.xpath("//title/narrative/@xml:lang")}
    assert published == {"en", "fr"}  # the file says "EN" and "FR"

    report = import_sources(db_session, [str(path)])

    assert set(report.narratives_per_language) == {"en", "fr"}
    titles = db_session.scalars(select(Outcome.title)).all()
    assert titles and all(set(title) == {"en", "fr"} for title in titles)
    first = tree.xpath("/iati-activities/iati-activity[1]")[0]
    stored = db_session.scalar(
        select(Outcome).where(Outcome.iati_identifier == first.findtext("iati-identifier"))
    )
    assert stored.title["fr"] == first.xpath("string(title/narrative[@xml:lang='FR'])")
    assert stored.title.pick("fr").lang == "fr"


def test_un_women_identifier_with_a_space_kosovo_and_placeholder_names(db_session, shared_data):
    path = shared_data / "iati-activities" / "unwomen-XM-DAC-41146.xml"
    tree = etree.parse(str(path))

    report = import_sources(db_session, [str(path)])

    spaced = db_session.scalar(
        select(Outcome).where(Outcome.iati_identifier == "XM-DAC-41146-PAP _O_1.1")
    )
    assert spaced is not None
    kosovo = db_session.scalar(
        select(Outcome).where(Outcome.iati_identifier == "XM-DAC-41146-KOS_D_3.3")
    )
    assert (kosovo.country_iso2, kosovo.country_iso3) == ("XK", "XKX")
    country = db_session.get(Country, "XKX")
    assert (country.iso2, country.english_name, country.m49) == ("XK", "Kosovo", None)

    dashes = tree.xpath(
        "count(//participating-org/narrative[normalize-space(.)='-']"
        " | //provider-org/narrative[normalize-space(.)='-']"
        " | //receiver-org/narrative[normalize-space(.)='-']"
        " | //reporting-org/narrative[normalize-space(.)='-'])"
    )
    assert dashes > 0
    assert report.warnings["placeholder name"] == dashes
    kept = db_session.scalars(select(ParticipatingOrg.name)).all()
    assert {"en": "-"} in kept  # kept as published, only flagged

    strategic_plan = db_session.scalars(
        select(Classification.code).where(
            Classification.kind == "sector", Classification.vocabulary == "99"
        )
    ).all()
    assert len(strategic_plan) == tree.xpath("count(//sector[@vocabulary='99'])")


def test_several_recipient_countries_leave_the_country_empty(db_session, shared_data):
    path = shared_data / "iati-activities" / "gac-canada-CA-3.xml"
    tree = etree.parse(str(path))
    shared = [
        activity.findtext("iati-identifier")
        for activity in tree.xpath("//iati-activity[count(recipient-country) > 1]")
        if len(activity.xpath("recipient-country[@percentage='100']")) != 1
    ]
    assert shared

    report = import_sources(db_session, [str(path)])

    assert report.warnings["several recipient countries"] == len(shared)
    countries = db_session.scalars(
        select(Outcome.country_iso3).where(Outcome.iati_identifier.in_(shared))
    ).all()
    assert countries == [None] * len(shared)
