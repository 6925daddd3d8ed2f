"""`portal import-countries`: the shared reference files, our long format, warnings, failures."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.countries import facts
from portal.countries.importer import CountryFileError, import_country_files
from portal.countries.models import Country, CountryFact

LONG_HEADER = "iso3,year,indicator,value,source,as_of\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def fact(session, iso3: str, indicator: str, year: int) -> CountryFact | None:
    return session.scalar(
        select(CountryFact).where(
            CountryFact.country_iso3 == iso3,
            CountryFact.indicator == indicator,
            CountryFact.year == year,
        )
    )


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


# --- The shared reference files -----------------------------------------------------------


def test_unsd_m49_gives_countries_regions_and_the_ldc_list(db_session, shared_data):
    path = shared_data / "countries" / "unsd_m49_countries.csv"
    rows = read_csv(path)

    report = import_country_files(db_session, [path])

    assert report.countries_created == len(rows)
    ldc_facts = db_session.scalars(
        select(CountryFact).where(CountryFact.indicator == facts.LDC, CountryFact.value == 1)
    ).all()
    listed = {row["iso_alpha3"] for row in rows if row["is_ldc"] == "True"}
    assert {fact.country_iso3 for fact in ldc_facts} == listed
    assert len(listed) == 44  # SOURCES.md: the current list, without Bhutan and São Tomé
    mali = db_session.get(Country, "MLI")
    assert (mali.iso2, mali.m49, mali.region_m49, mali.subregion_m49) == ("ML", "466", "002", "202")
    assert fact(db_session, "MLI", facts.REGION, 2026).text_value == "011"  # Western Africa
    namibia = db_session.get(Country, "NAM")
    assert namibia.iso2 == "NA"  # a country code, not "not available"
    assert db_session.get(Country, "XKX") is None
    assert report.warnings == []


def test_country_list_gives_income_groups_as_codes_and_skips_unclassified(db_session, shared_data):
    path = shared_data / "countries" / "full_country_list_with_stats.csv"
    rows = read_csv(path)

    import_country_files(db_session, [path])

    stored = dict(
        db_session.execute(
            select(CountryFact.country_iso3, CountryFact.text_value).where(
                CountryFact.indicator == facts.INCOME_GROUP
            )
        ).all()
    )
    published = {
        row["iso_alpha3_code"]: row["world_bank_income_group"]
        for row in rows
        if row["world_bank_income_group"] != "NA"
    }
    assert stored == {iso3: facts.income_group_code(group) for iso3, group in published.items()}
    assert set(stored.values()) == set(facts.INCOME_GROUP_CODES)
    assert "VEN" not in stored  # "NA": not classified, so not available
    assert db_session.get(Country, "VEN") is not None
    assert db_session.get(Country, "NAM").iso2 == "NA"


def test_hdx_taxonomy_names_regions_and_older_income_levels(db_session, shared_data):
    path = shared_data / "countries" / "hdx-countries-territories-taxonomy.csv"
    rows = read_csv(path)

    report = import_country_files(db_session, [path])

    with_code = {row["ISO 3166-1 Alpha 3-Codes"] for row in rows if row["ISO 3166-1 Alpha 3-Codes"]}
    assert count(db_session, Country) == len(with_code)
    albania = db_session.get(Country, "ALB")
    assert (albania.english_name, albania.region_m49, albania.subregion_m49) == (
        "Albania",
        "150",
        "039",
    )
    assert fact(db_session, "ALB", facts.INCOME_GROUP, 2023).text_value == "UM"
    assert report.warnings_by_kind() == {}


def test_hdr_composite_indices_gii_gdi_and_population_in_persons(db_session, shared_data):
    path = shared_data / "countries" / "HDR23-24_Composite_indices_complete_time_series.csv"
    rows = {row["iso3"]: row for row in read_csv(path)}

    import_country_files(db_session, [path])

    mali_gii = fact(db_session, "MLI", facts.GII, 2022)
    assert mali_gii.value == Decimal(rows["MLI"]["gii_2022"])
    assert mali_gii.source == "UNDP Human Development Report 2023/24"
    assert fact(db_session, "MLI", facts.GDI, 2022).value == Decimal(rows["MLI"]["gdi_2022"])
    millions = Decimal(rows["MLI"]["pop_total_2022"])
    persons = fact(db_session, "MLI", facts.POPULATION_TOTAL, 2022).value
    assert abs(persons - millions * 1_000_000) <= 1
    countries_with_gii_2022 = db_session.scalar(
        select(func.count()).where(CountryFact.indicator == facts.GII, CountryFact.year == 2022)
    )
    published = [iso3 for iso3, row in rows.items() if row["gii_2022"] and "." not in iso3]
    assert countries_with_gii_2022 == len(published) == 166
    assert all(not iso3.startswith("ZZ") for iso3 in db_session.scalars(select(Country.iso3)))


def test_all_four_files_together_then_again_change_nothing(db_session, shared_data):
    countries = shared_data / "countries"
    paths = [
        countries / "unsd_m49_countries.csv",
        countries / "full_country_list_with_stats.csv",
        countries / "hdx-countries-territories-taxonomy.csv",
        countries / "HDR23-24_Composite_indices_complete_time_series.csv",
    ]
    first = import_country_files(db_session, paths)
    stored = count(db_session, CountryFact)

    again = import_country_files(db_session, paths)

    assert first.facts_added == stored
    assert (again.facts_added, again.facts_updated) == (0, 0)
    assert again.facts_unchanged == stored
    assert count(db_session, CountryFact) == stored
    # Both M49 lists give an LDC fact; the newer list (2026) no longer has São Tomé.
    assert fact(db_session, "STP", facts.LDC, 2025).value == 1
    assert fact(db_session, "STP", facts.LDC, 2026).value == 0
    assert first.warnings_by_kind() == {}


# --- Our long format ------------------------------------------------------------------------


def test_long_format_creates_countries_and_upserts_facts(db_session, tmp_path):
    first = write(
        tmp_path,
        "facts.csv",
        LONG_HEADER
        + "MLI,2022,gii,0.607,UNDP Human Development Report 2023/24,2024-03-13\n"
        + "MLI,2025,income_group,Low income,World Bank,\n"
        + "mli,2026,ldc,TRUE,UN M49,\n"
        + "MLI,2026,region,Western Africa,UN M49,\n",
    )
    report = import_country_files(db_session, [first])

    mali = db_session.get(Country, "MLI")
    assert (mali.iso2, mali.english_name) == ("ML", "Mali")
    assert (mali.region_m49, mali.subregion_m49) == ("002", "202")
    gii = fact(db_session, "MLI", facts.GII, 2022)
    assert (gii.value, gii.as_of.isoformat()) == (Decimal("0.607"), "2024-03-13")
    assert fact(db_session, "MLI", facts.INCOME_GROUP, 2025).text_value == "L"
    assert fact(db_session, "MLI", facts.LDC, 2026).value == 1
    assert fact(db_session, "MLI", facts.REGION, 2026).text_value == "011"
    assert (report.countries_created, report.facts_added) == (1, 4)

    corrected = write(tmp_path, "corrected.csv", LONG_HEADER + "MLI,2022,gii,0.61,Corrected,\n")
    report = import_country_files(db_session, [corrected])

    assert (report.facts_added, report.facts_updated) == (0, 1)
    gii = fact(db_session, "MLI", facts.GII, 2022)
    assert (gii.value, gii.source, gii.as_of) == (Decimal("0.61"), "Corrected", None)
    assert count(db_session, CountryFact) == 4


def test_as_of_column_is_optional(db_session, tmp_path):
    path = write(
        tmp_path, "facts.csv", "iso3,year,indicator,value,source\nSEN,2022,gdi,0.925,UNDP HDR\n"
    )
    import_country_files(db_session, [path])
    assert fact(db_session, "SEN", facts.GDI, 2022).value == Decimal("0.925")


def test_inconsistent_facts_are_imported_and_reported(db_session, tmp_path):
    path = write(
        tmp_path,
        "facts.csv",
        LONG_HEADER
        + "SEN,2022,population_total,17316449,UNDP HDR,\n"
        + "SEN,2022,population_female,8762123,Survey,\n"
        + "SEN,2022,population_male,8896499,Survey,\n"  # 3.2 % too many people
        + "HTI,2022,population_total,11584996,UNDP HDR,\n"
        + "HTI,2022,population_female,5838838,Survey,\n"
        + "HTI,2022,population_male,5746158,Survey,\n"  # adds up
        + "JOR,2022,population_female_percent,90.5,Portal,\n"
        + "JOR,2022,population_male_percent,19.5,Portal,\n"
        + "ALB,2026,region,002,Somebody,\n"  # Albania is in Europe
        + "QQQ,2022,gii,0.5,Somebody,\n"
        + "BGD,2022,gii,about half,Somebody,\n"
        + "BGD,2022,literacy,0.7,Somebody,\n",
    )
    import_country_files(db_session, [write(tmp_path, "m49.csv", M49_EXCERPT)])

    report = import_country_files(db_session, [path])

    by_kind = report.warnings_by_kind()
    assert by_kind == {
        "population_sum": 1,
        "share_sum": 1,
        "implausible_share": 1,
        "region_mismatch": 1,
        "unknown_country": 1,
        "non_numeric": 1,
        "unknown_indicator": 1,
    }
    (population,) = [w for w in report.warnings if w.kind == "population_sum"]
    assert population.message.startswith("SEN 2022")
    assert population.path == str(path) and population.line == 4
    (region,) = [w for w in report.warnings if w.kind == "region_mismatch"]
    assert region.message.startswith("ALB") and region.line == 10
    # Inconsistent figures are kept (the data-quality page shows them); wrong regions are not.
    assert fact(db_session, "SEN", facts.POPULATION_MALE, 2022).value == 8896499
    assert db_session.get(Country, "ALB").region_m49 == "150"
    assert fact(db_session, "ALB", facts.REGION, 2026).text_value == "039"  # M49 stays
    assert db_session.get(Country, "QQQ") is None
    assert fact(db_session, "BGD", facts.GII, 2022) is None


M49_EXCERPT = (
    "global_code,global_name,region_code,region_name,sub_region_code,sub_region_name,"
    "intermediate_region_code,intermediate_region_name,country_or_area,m49_code,iso_alpha2,"
    "iso_alpha3,is_ldc,is_lldc,is_sids\n"
    "1,World,150,Europe,39,Southern Europe,,,Albania,8,AL,ALB,False,False,False\n"
)


def test_population_checks_use_facts_already_stored(db_session, tmp_path):
    total = write(tmp_path, "total.csv", LONG_HEADER + "MLI,2022,population_total,1000,HDR,\n")
    import_country_files(db_session, [total])
    split = write(
        tmp_path,
        "split.csv",
        LONG_HEADER + "MLI,2022,population_female,600,Survey,\nMLI,2022,population_male,500,S,\n",
    )

    report = import_country_files(db_session, [split])

    assert report.warnings_by_kind() == {"population_sum": 1}


def test_rounding_is_not_an_inconsistency(db_session, tmp_path):
    path = write(
        tmp_path,
        "facts.csv",
        LONG_HEADER
        + "MLI,2022,population_total,22593591,HDR,\n"
        + "MLI,2022,population_female,11319000,Rounded,\n"
        + "MLI,2022,population_male,11274000,Rounded,\n"
        + "MLI,2022,population_female_percent,50.1,Rounded,\n"
        + "MLI,2022,population_male_percent,49.9,Rounded,\n",
    )
    assert import_country_files(db_session, [path]).warnings == []


# --- Malformed files: nothing changes -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("no-source.csv", "iso3,year,indicator,value\nMLI,2022,gii,0.6\n", "source"),
        ("truncated.csv", LONG_HEADER + "MLI,2022,gii,0.6,HDR,\nMLI,2021,gi", "line 3"),
        ("activities.xml", '<?xml version="1.0"?>\n<iati-activities/>\n', "line 1"),
        ("quote.csv", LONG_HEADER + 'MLI,2022,gii,"0.6"x,HDR,\n', "line 2"),
        ("empty.csv", "", "empty"),
    ],
)
def test_malformed_file_exits_non_zero_and_changes_nothing(
    runner, db_session, tmp_path, name, content, expected
):
    good = write(tmp_path, "good.csv", LONG_HEADER + "SEN,2022,gii,0.505,HDR,\n")
    bad = write(tmp_path, name, content)
    countries_before = count(db_session, Country)
    facts_before = count(db_session, CountryFact)

    result = runner.invoke(args=["import-countries", str(good), str(bad)])

    assert result.exit_code != 0
    assert str(bad) in result.output
    assert expected in result.output
    assert count(db_session, Country) == countries_before
    assert count(db_session, CountryFact) == facts_before
    assert db_session.get(Country, "SEN") is None


def test_binary_file_is_refused_with_its_line(db_session, tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"iso3,year\n\xff\xd8\xff\xe0 not text")
    with pytest.raises(CountryFileError) as raised:
        import_country_files(db_session, [path])
    assert raised.value.line == 2
    assert str(path) in str(raised.value)


def test_command_prints_the_report_with_warnings_grouped(runner, db_session, tmp_path):
    path = write(
        tmp_path,
        "facts.csv",
        LONG_HEADER
        + "SEN,2022,population_total,100000,HDR,\n"
        + "SEN,2022,population_female,60000,Survey,\n"
        + "SEN,2022,population_male,60000,Survey,\n"
        + "ZZZ,2022,gii,0.1,HDR,\n"
        + "ZZY,2022,gii,0.1,HDR,\n",
    )

    result = runner.invoke(args=["import-countries", str(path)])

    assert result.exit_code == 0, result.output
    assert "Facts: 3 added" in result.output
    assert "[population_sum]: 1" in result.output
    assert "[unknown_country]: 2" in result.output
    assert fact(db_session, "SEN", facts.POPULATION_FEMALE, 2022).value == 60000
