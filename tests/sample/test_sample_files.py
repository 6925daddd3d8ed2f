"""The bundled sample files: valid IATI 2.03, what the portal promises, and reproducible."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest
from lxml import etree

from portal.countries import facts
from portal.countries.importer import import_country_files
from portal.sample.operations import SAMPLE_ACTIVITIES, SAMPLE_COUNTRY_FACTS, SAMPLE_DIR
from scripts.sample import generate

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def activities() -> etree._ElementTree:
    return etree.parse(str(SAMPLE_ACTIVITIES))


def activity_dates(activity) -> tuple[str, str]:
    return (
        activity.xpath("string(activity-date[@type='1']/@iso-date)"),
        activity.xpath("string(activity-date[@type='3']/@iso-date)"),
    )


def by_country(activities) -> dict[str, list]:
    grouped = defaultdict(list)
    for activity in activities.getroot().iterfind("iati-activity"):
        grouped[activity.xpath("string(recipient-country/@code)")].append(activity)
    return grouped


def test_sample_activities_validate_against_the_iati_203_schema(shared_data, activities):
    schema_file = shared_data / "iati-schema-2.03" / "iati-activities-schema.xsd"
    schema = etree.XMLSchema(etree.parse(str(schema_file)))
    assert schema.validate(activities), schema.error_log


def test_committed_files_are_what_the_generator_writes(shared_data, tmp_path):
    """The package ships the files; the development script that writes them is not shipped."""
    written = generate.write_sample(tmp_path, shared_data)

    assert sorted(path.name for path in written) == sorted(
        path.name for path in (SAMPLE_ACTIVITIES, SAMPLE_COUNTRY_FACTS)
    )
    for path in written:
        committed = SAMPLE_DIR / path.name
        assert committed.read_bytes() == path.read_bytes(), (
            f"{committed.name} is stale: run `make sample-files` and commit the result"
        )


def test_the_publisher_is_invented_and_says_so(activities):
    root = activities.getroot()
    assert "SAMPLE DATA" in root.xpath("string(comment()[1])")
    names = set(root.xpath("//reporting-org/narrative[@xml:lang='en']/text()"))
    assert names == {"Example Organisation (sample data)"}
    assert set(root.xpath("//reporting-org/@ref")) == {"XM-EXAMPLE-ORG"}


def test_mali_has_nine_current_outcomes_and_three_from_the_previous_plan(activities):
    mali = by_country(activities)["ML"]
    current = [a for a in mali if activity_dates(a) == ("2022-01-01", "2025-12-31")]
    previous = [a for a in mali if activity_dates(a) == ("2018-01-01", "2021-12-31")]

    assert len(current) == 9
    assert len(previous) == 3
    identifiers = [a.findtext("iati-identifier") for a in current]
    assert all(i.startswith("XM-EXAMPLE-ORG-MLI_") for i in identifiers)
    assert {i.split("_")[1] for i in identifiers} == {"D", "O"}
    reused = {a.findtext("iati-identifier") for a in previous}
    assert reused < set(identifiers)


def test_mali_outcomes_carry_what_the_country_page_shows(activities):
    for activity in by_country(activities)["ML"]:
        identifier = activity.findtext("iati-identifier")
        for element in ("title", "description[@type='1']"):
            langs = set(activity.xpath(f"{element}/narrative/@xml:lang"))
            assert langs == {"en", "fr"}, identifier
        outputs = activity.xpath("result[@type='1']")
        assert 1 <= len(outputs) <= 3, identifier
        assert all(1 <= len(output.xpath("indicator")) <= 2 for output in outputs)
        (outcome_result,) = activity.xpath("result[@type='2']")
        narrated = outcome_result.xpath("indicator/period[actual/comment/narrative]")
        years = sorted(period.xpath("string(period-end/@iso-date)")[:4] for period in narrated)
        assert len(years) == 2, identifier
        for period in narrated:
            assert set(period.xpath("actual/comment/narrative/@xml:lang")) == {"en", "fr"}
        budget_years = activity.xpath("budget[@type='1'][@status='2']/period-start/@iso-date")
        assert len(budget_years) == 4, identifier
        assert activity.xpath("transaction[transaction-type/@code='4']"), identifier
        assert activity.xpath("transaction[transaction-type/@code='1']/provider-org/narrative")
        assert activity.xpath("sector[@vocabulary='99']"), identifier
        assert activity.xpath("sector[@vocabulary='7']"), identifier


def test_current_mali_indicators_report_2022_to_2024_with_some_actuals_missing(activities):
    current = [a for a in by_country(activities)["ML"] if activity_dates(a)[0] == "2022-01-01"]
    periods = [p for a in current for p in a.xpath("result[@type='1']/indicator/period")]
    years = {p.xpath("string(period-start/@iso-date)")[:4] for p in periods}
    assert years == {"2022", "2023", "2024"}
    assert all(p.xpath("target/@value") for p in periods)
    assert any(not p.xpath("actual/@value") for p in periods)
    assert any(p.xpath("actual/@value") for p in periods)
    without_values = [
        i
        for a in current
        for i in a.xpath("result[@type='1']/indicator")
        if not i.xpath("baseline") and not i.xpath("period")
    ]
    assert len(without_values) == 1


def test_mali_has_at_least_four_funding_partners(activities):
    mali = by_country(activities)["ML"]
    partners = {ref for a in mali for ref in a.xpath("participating-org[@role='1']/@ref")}
    assert len(partners) >= 4


def test_strategic_plan_links_and_sdgs(activities):
    root = activities.getroot()
    areas = set(root.xpath("//sector[@vocabulary='99']/@code"))
    assert areas <= {"D1", "D2", "D3", "D4", "O1", "O2", "O3"}
    assert {"D1", "D2", "D3", "D4"} <= areas
    assert {"5", "16"} <= set(root.xpath("//sector[@vocabulary='7']/@code"))
    related = root.xpath("//description/narrative[contains(., '(related to SP_D_1.2 : ')]")
    assert related


def test_exactly_one_placeholder_text(activities):
    lorem = activities.getroot().xpath(
        "//narrative[starts-with(translate(., 'LOREM', 'lorem'), 'lorem ipsum')]"
    )
    assert {narrative.getparent() for narrative in lorem} == {lorem[0].getparent()}
    assert lorem[0].getparent().tag == "description"


def test_five_more_countries_in_three_regions_with_two_languages(activities):
    countries = by_country(activities)
    others = {code: acts for code, acts in countries.items() if code not in ("ML", "")}
    assert len(others) >= 5
    for code, country_activities in others.items():
        assert 2 <= len(country_activities) <= 4, code
        for activity in country_activities:
            langs = set(activity.xpath("title/narrative/@xml:lang"))
            assert "en" in langs and langs & {"fr", "es"}, code
    with SAMPLE_COUNTRY_FACTS.open(encoding="utf-8", newline="") as stream:
        regions = {
            facts.m49_areas_of(row["value"])[0]
            for row in csv.DictReader(stream)
            if row["indicator"] == facts.REGION
        }
    assert len(regions) >= 3


def test_sample_facts_cite_real_sources_and_mark_the_invented_split(db_session, shared_data):
    with SAMPLE_COUNTRY_FACTS.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    hdr_file = shared_data / "countries" / "HDR23-24_Composite_indices_complete_time_series.csv"
    with hdr_file.open(encoding="utf-8-sig", newline="") as stream:
        hdr = {row["iso3"]: row for row in csv.DictReader(stream)}

    for row in rows:
        if row["indicator"] in (facts.POPULATION_FEMALE, facts.POPULATION_MALE):
            assert row["source"] == "Sample data (invented)"
        elif row["indicator"] == facts.GII:
            assert row["value"] == hdr[row["iso3"]][f"gii_{row['year']}"]
            assert "Human Development Report" in row["source"]

    report = import_country_files(db_session, [SAMPLE_COUNTRY_FACTS])

    (inconsistent,) = report.warnings
    assert inconsistent.kind == "population_sum"
    assert not inconsistent.message.startswith("MLI")


def test_one_regional_activity_for_the_region_pages(activities):
    """The sample holds one regional activity (IATI region 298, "Africa, regional"), so that
    the region pages are designed and checked on it like the country pages."""
    regional = by_country(activities)[""]
    assert len(regional) == 1
    (recipient,) = regional[0].findall("recipient-region")
    assert (recipient.get("vocabulary"), recipient.get("code")) == ("1", "298")
    assert recipient.get("percentage") == "100"
    assert regional[0].find("recipient-country") is None
