"""activities.xml: the activities the page shows, exactly as published, in a 2.03 wrapper."""

from __future__ import annotations

import re

import pytest
from lxml import etree
from sqlalchemy import select

from outcomes.reading import listed_outcomes
from portal.iati.models import Outcome
from portal.sample.operations import SAMPLE_ACTIVITIES

SCHEMA = "iati-schema-2.03/iati-activities-schema.xsd"


@pytest.fixture(scope="module")
def iati_schema(shared_data) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(shared_data / SCHEMA)))


def _listed_identifiers(client, url: str) -> list[str]:
    return listed_outcomes(client, url)


def _published(path, identifiers: set[str]) -> dict[str, bytes]:
    """The activities of a published file, canonicalised, by identifier."""
    root = etree.parse(str(path)).getroot()
    return {
        activity.findtext("iati-identifier").strip(): etree.tostring(activity, method="c14n")
        for activity in root.iter("iati-activity")
        if activity.findtext("iati-identifier").strip() in identifiers
    }


def test_sample_country_xml_is_valid_and_holds_the_activities_shown(
    client, sample_data, iati_schema
):
    listed = _listed_identifiers(client, "/en/countries/MLI/?year=2023")
    response = client.get("/en/countries/MLI/activities.xml?year=2023")

    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    document = etree.fromstring(response.get_data())
    iati_schema.assertValid(document)
    assert document.get("version") == "2.03"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", document.get("generated-datetime"))
    activities = document.findall("iati-activity")
    assert [a.findtext("iati-identifier") for a in activities] == listed
    assert len(listed) == 9
    published = _published(SAMPLE_ACTIVITIES, set(listed))
    for activity in activities:
        identifier = activity.findtext("iati-identifier")
        # The sample reuses identifiers across plan periods: compare the one of 2022-2025.
        stored = sample_data.scalar(
            select(Outcome.source_xml).where(
                Outcome.iati_identifier == identifier, Outcome.plan_period == "2022-2025"
            )
        )
        assert etree.tostring(activity, method="c14n") == etree.tostring(
            etree.fromstring(stored), method="c14n"
        )
        assert identifier in published


def test_an_earlier_year_gives_the_activities_of_its_plan_period(client, sample_data, iati_schema):
    listed = _listed_identifiers(client, "/en/countries/MLI/?year=2020")
    document = etree.fromstring(client.get("/en/countries/MLI/activities.xml?year=2020").get_data())
    iati_schema.assertValid(document)
    activities = document.findall("iati-activity")
    assert [a.findtext("iati-identifier") for a in activities] == listed
    assert len(listed) == 3
    assert {a.find("activity-date[@type='1']").get("iso-date")[:4] for a in activities} == {"2018"}


def _error_kinds(log) -> set[str]:
    """Schema errors without their line numbers, to compare two documents."""
    return {re.sub(r"line \d+", "", error.message) for error in log}


@pytest.mark.parametrize("iso3", ["ALB", "HTI", "NGA"])
def test_real_xml_is_the_published_activities_and_only_as_invalid_as_they_were(
    client, unwomen_data, shared_data, iati_schema, iso3
):
    source = shared_data / "iati-activities/unwomen-XM-DAC-41146.xml"
    listed = _listed_identifiers(client, f"/en/countries/{iso3}/")
    assert listed

    document = etree.fromstring(client.get(f"/en/countries/{iso3}/activities.xml").get_data())

    activities = document.findall("iati-activity")
    assert [a.findtext("iati-identifier") for a in activities] == listed
    published = _published(source, set(listed))
    assert [etree.tostring(a, method="c14n") for a in activities] == [
        published[identifier] for identifier in listed
    ]
    source_schema_valid = iati_schema.validate(etree.parse(str(source)))
    source_errors = _error_kinds(iati_schema.error_log)
    if not iati_schema.validate(document):
        assert not source_schema_valid
        assert _error_kinds(iati_schema.error_log) <= source_errors
