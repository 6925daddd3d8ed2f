"""Every recipient country and region of an activity is stored, with its share, in order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import func, select

from iati.counting import plan_period
from iati.test_real_files import REAL_FILES
from portal.iati.importer import import_sources
from portal.iati.models import Outcome, Recipient

FIXTURES = Path(__file__).parent / "fixtures"
# Ten recipient countries and one region, each with a percentage.
MULTI_COUNTRY_FILE = "gac-canada-CA-3.xml"
MULTI_COUNTRY_ACTIVITY = "CA-3-D001692001"


def _surviving_activities(path: Path) -> list:
    """The activities that become outcomes: the later copy of a repeated key wins."""
    survivors = {}
    for activity in etree.parse(str(path)).xpath("/iati-activities/iati-activity"):
        identifier = activity.xpath("string(iati-identifier)").strip()
        survivors[(identifier, plan_period(activity))] = activity
    return list(survivors.values())


def _recipient_count(session, kind: str) -> int:
    return session.scalar(select(func.count()).select_from(Recipient).where(Recipient.kind == kind))


def _recipients(session, identifier: str) -> list[Recipient]:
    return list(
        session.scalars(
            select(Recipient)
            .join(Outcome)
            .where(Outcome.iati_identifier == identifier)
            .order_by(Recipient.position)
        )
    )


def _write(folder: Path, name: str, activities: str) -> Path:
    path = folder / name
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">{activities}'
        "</iati-activities>\n",
        encoding="utf-8",
    )
    return path


def _activity(identifier: str, attributes: str = "", recipients: str = "") -> str:
    return (
        f'<iati-activity default-currency="USD" xml:lang="en" {attributes}>'
        f"<iati-identifier>{identifier}</iati-identifier>"
        '<activity-date iso-date="2022-01-01" type="1"/>'
        '<activity-date iso-date="2025-12-31" type="3"/>'
        f"{recipients}</iati-activity>"
    )


@pytest.mark.parametrize("file_name", REAL_FILES)
def test_every_recipient_element_of_a_real_file_is_stored(db_session, shared_data, file_name):
    path = shared_data / "iati-activities" / file_name
    activities = _surviving_activities(path)

    import_sources(db_session, [str(path)])
    db_session.flush()

    countries = sum(int(activity.xpath("count(recipient-country)")) for activity in activities)
    regions = sum(int(activity.xpath("count(recipient-region)")) for activity in activities)
    assert _recipient_count(db_session, "country") == countries
    assert _recipient_count(db_session, "region") == regions
    assert countries + regions > 0


def test_a_multi_country_activity_keeps_each_share_in_document_order(db_session, shared_data):
    path = shared_data / "iati-activities" / MULTI_COUNTRY_FILE
    (activity,) = etree.parse(str(path)).xpath(
        "/iati-activities/iati-activity[iati-identifier=$identifier]",
        identifier=MULTI_COUNTRY_ACTIVITY,
    )
    published = [
        (
            "country" if element.tag == "recipient-country" else "region",
            element.get("code"),
            Decimal(element.get("percentage")),
        )
        for element in activity.xpath("recipient-country | recipient-region")
    ]
    assert sum(kind == "country" for kind, _code, _share in published) >= 2

    import_sources(db_session, [str(path)])
    db_session.flush()

    stored = _recipients(db_session, MULTI_COUNTRY_ACTIVITY)
    assert [row.position for row in stored] == list(range(len(published)))
    assert [(row.kind, row.code, row.percentage) for row in stored] == published
    assert all(row.country_iso3 and len(row.country_iso3) == 3 for row in stored[:-1])
    assert stored[-1].vocabulary == "1"  # a region without @vocabulary: OECD DAC
    # The outcome's own single-country columns stay as before: no single country here.
    outcome = db_session.scalar(
        select(Outcome).where(Outcome.iati_identifier == MULTI_COUNTRY_ACTIVITY)
    )
    assert (outcome.country_iso2, outcome.country_iso3) == (None, None)


def test_fixture_recipients_codes_names_and_regions(db_session):
    import_sources(
        db_session,
        [str(FIXTURES / "iati-no-default-language.xml"), str(FIXTURES / "iati-2.01-mali.xml")],
    )
    db_session.flush()

    stored = _recipients(db_session, "XM-TEST-NOLANG-1")
    assert [
        (row.kind, row.code, row.vocabulary, row.country_iso3, row.percentage, dict(row.name))
        for row in stored
    ] == [
        ("country", "BF", None, "BFA", Decimal(60), {}),
        ("country", "NE", None, "NER", Decimal(40), {}),
        ("region", "289", "1", None, None, {"und": "South of Sahara, regional"}),
    ]
    mali = db_session.scalar(select(Outcome).where(Outcome.country_iso3 == "MLI"))
    (row,) = mali.recipients
    assert (row.code, row.country_iso3) == ("ml", "MLI")  # as published; the key upper-cased


def test_recipient_codes_and_percentages_the_parser_cannot_use(db_session, tmp_path):
    path = _write(
        tmp_path,
        "odd.xml",
        _activity(
            "XM-TEST-ODD-1",
            recipients='<recipient-country code=" XK " percentage=" 12.5 ">'
            '<narrative xml:lang="FR">Kosovo</narrative></recipient-country>'
            '<recipient-country code="ZZ" percentage="lots"/>'
            '<recipient-country percentage="10"/>'
            '<recipient-region code="1027" vocabulary="2" percentage="100000"/>',
        ),
    )

    report = import_sources(db_session, [str(path)])
    db_session.flush()

    stored = _recipients(db_session, "XM-TEST-ODD-1")
    assert [
        (row.kind, row.code, row.vocabulary, row.country_iso3, row.percentage, dict(row.name))
        for row in stored
    ] == [
        ("country", "XK", None, "XKX", Decimal("12.5"), {"fr": "Kosovo"}),
        ("country", "ZZ", None, None, None, {}),
        ("country", None, None, None, Decimal(10), {}),
        ("region", "1027", "2", None, None, {}),
    ]
    assert report.warnings["invalid number"] == 2  # "lots" and a share above 10 000


def test_last_updated_datetime_is_stored_as_utc(db_session, tmp_path):
    path = _write(
        tmp_path,
        "updated.xml",
        _activity("XM-TEST-UPD-1", 'last-updated-datetime="2024-03-05T10:00:00+01:00"')
        + _activity("XM-TEST-UPD-2", 'last-updated-datetime=" 2024-03-05T10:00:00 "')
        + _activity("XM-TEST-UPD-3", 'last-updated-datetime="yesterday"')
        + _activity("XM-TEST-UPD-4"),
    )

    report = import_sources(db_session, [str(path)])
    db_session.flush()

    stored = dict(
        db_session.execute(select(Outcome.iati_identifier, Outcome.last_updated_at)).all()
    )
    assert stored == {
        "XM-TEST-UPD-1": dt.datetime(2024, 3, 5, 9, 0),
        "XM-TEST-UPD-2": dt.datetime(2024, 3, 5, 10, 0),
        "XM-TEST-UPD-3": None,
        "XM-TEST-UPD-4": None,
    }
    assert report.warnings["invalid date"] == 1


def test_a_changed_activity_has_its_recipients_replaced(db_session, tmp_path):
    before = _write(
        tmp_path,
        "before.xml",
        _activity(
            "XM-TEST-CHG-1",
            'last-updated-datetime="2024-01-01T00:00:00Z"',
            '<recipient-country code="BF" percentage="50"/>'
            '<recipient-country code="ML" percentage="50"/>',
        ),
    )
    after = _write(
        tmp_path,
        "after.xml",
        _activity(
            "XM-TEST-CHG-1",
            'last-updated-datetime="2024-06-01T00:00:00Z"',
            '<recipient-region code="289" vocabulary="1"/>'
            '<recipient-country code="SN" percentage="100"/>',
        ),
    )

    import_sources(db_session, [str(before)])
    report = import_sources(db_session, [str(after)])
    db_session.flush()

    assert report.outcomes_updated == 1
    stored = _recipients(db_session, "XM-TEST-CHG-1")
    assert [(row.position, row.kind, row.code) for row in stored] == [
        (0, "region", "289"),
        (1, "country", "SN"),
    ]
    assert db_session.scalar(select(func.count()).select_from(Recipient)) == 2
    outcome = db_session.scalar(select(Outcome).where(Outcome.iati_identifier == "XM-TEST-CHG-1"))
    assert outcome.last_updated_at == dt.datetime(2024, 6, 1)
    assert outcome.country_iso3 == "SEN"
