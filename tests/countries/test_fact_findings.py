"""Issue 15, point 1, for the country facts: population shares that do not make 100 %, women
and men who do not make the total, and a figure more than five years older than the newest
fact are stored as findings about the country when the facts are imported, listed on the
data-quality page and flagged in the country's header (the sample's Senegal among them)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select

from countries.test_importer import LONG_HEADER, write
from outcomes.reading import soup_of
from portal.countries.importer import import_country_files
from portal.countries.models import CountryFact
from portal.quality import kinds
from portal.quality.models import FACT_RECORD, DataFinding

SOURCE = "Test source"
# A clean country: its parts make the total, its shares 100 %, its figures are recent.
CLEAN = (
    f"SEN,2022,population_total,1000,{SOURCE},2024-03-13\n"
    f"SEN,2022,population_female,501,{SOURCE},2024-03-13\n"
    f"SEN,2022,population_male,499,{SOURCE},2024-03-13\n"
    f"SEN,2022,gii,0.5,{SOURCE},2024-03-13\n"
)


def _import_facts(db_session, tmp_path: Path, rows: str) -> None:
    import_country_files(db_session, [write(tmp_path, "facts.csv", LONG_HEADER + rows)])
    db_session.flush()


def _fact_findings(db_session) -> list[tuple[str | None, str, str, str | None, str | None]]:
    return sorted(
        db_session.execute(
            select(
                DataFinding.country_iso3,
                DataFinding.kind,
                CountryFact.indicator,
                DataFinding.value,
                DataFinding.record,
            )
            .join(CountryFact, CountryFact.id == DataFinding.record_id)
            .where(DataFinding.country_iso3.is_not(None))
        ).all()
    )


CASES = {
    "shares adding up to 102 %": (
        f"SEN,2022,population_female_percent,51,{SOURCE},2024-03-13\n"
        f"SEN,2022,population_male_percent,51,{SOURCE},2024-03-13\n",
        (
            "SEN",
            kinds.POPULATION_SHARES_NOT_100,
            "population_female_percent",
            "2022: 51.0 % + 51.0 % = 102.0 %",
        ),
    ),
    "parts above the total": (
        f"SEN,2022,population_total,1000,{SOURCE},2024-03-13\n"
        f"SEN,2022,population_female,500,{SOURCE},2024-03-13\n"
        f"SEN,2022,population_male,503,{SOURCE},2024-03-13\n",
        (
            "SEN",
            kinds.POPULATION_PARTS_NOT_TOTAL,
            "population_total",
            "2022: 500 + 503 = 1003 ≠ 1000",
        ),
    ),
    "a figure older than five years": (
        f"SEN,2016,gdi,0.9,{SOURCE},\nSEN,2022,gii,0.5,{SOURCE},2022-06-30\n",
        ("SEN", kinds.FACT_OLDER_THAN_FIVE_YEARS, "gdi", "gdi 2016"),
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_kind_is_found_on_facts_made_for_it(db_session, tmp_path, case):
    rows, (iso3, kind, indicator, value) = CASES[case]
    _import_facts(db_session, tmp_path, rows)
    assert _fact_findings(db_session) == [(iso3, kind, indicator, value, FACT_RECORD)]
    assert str(kinds.KINDS[kind].message) % {"value": value}


def test_clean_facts_have_no_findings(db_session, tmp_path):
    _import_facts(db_session, tmp_path, CLEAN)
    assert _fact_findings(db_session) == []


def test_counts_that_miss_the_total_are_one_finding_not_two(db_session, tmp_path):
    """Without published shares, the header computes them from the counts; those shares miss
    100 % exactly when the counts miss the total, so only the counts are flagged."""
    _import_facts(db_session, tmp_path, CLEAN.replace(",499,", ",520,"))
    assert [(kind, value) for _c, kind, _i, value, _r in _fact_findings(db_session)] == [
        (kinds.POPULATION_PARTS_NOT_TOTAL, "2022: 501 + 520 = 1021 ≠ 1000"),
    ]


def test_half_a_point_and_one_in_a_thousand_are_rounding(db_session, tmp_path):
    rows = (
        CLEAN.replace(",499,", ",500,")  # 1001 people: one in a thousand, 100.1 %
        + f"SEN,2021,population_female_percent,50.2,{SOURCE},\n"
        + f"SEN,2021,population_male_percent,50.2,{SOURCE},\n"  # 100.4 %
    )
    _import_facts(db_session, tmp_path, rows)
    assert _fact_findings(db_session) == []


def test_only_the_figure_shown_is_checked_for_its_age(db_session, tmp_path):
    """An old year of an indicator with a recent one is history, not a stale figure; the age
    is measured from the newest fact's date, not from today, so the same files always give
    the same findings."""
    _import_facts(db_session, tmp_path, f"SEN,2010,gii,0.6,{SOURCE},\n" + CLEAN)
    assert _fact_findings(db_session) == []


def test_each_import_replaces_the_fact_findings(db_session, tmp_path):
    _import_facts(db_session, tmp_path, CLEAN.replace(",499,", ",520,"))
    assert _fact_findings(db_session)
    _import_facts(db_session, tmp_path, CLEAN)
    assert _fact_findings(db_session) == []


def test_the_samples_senegal_is_flagged_in_its_header_and_listed(client, sample_data):
    found = {kind for _c, kind, *_rest in _fact_findings(sample_data)}
    assert found == {kinds.POPULATION_PARTS_NOT_TOTAL}
    assert {iso3 for iso3, *_rest in _fact_findings(sample_data)} == {"SEN"}
    header = soup_of(client.get("/en/countries/SEN/")).select_one(".facts")
    flags = [flag.summary.get_text(" ", strip=True) for flag in header.select(".quality-flag")]
    assert len(flags) == 1 and "Population parts do not add up" in flags[0]
    mali = soup_of(client.get("/en/countries/MLI/")).select_one(".facts")
    assert mali.select(".quality-flag") == []
    listed = soup_of(client.get(f"/en/data-quality/?kind={kinds.POPULATION_PARTS_NOT_TOTAL}"))
    items = listed.select(".finding-list > li")
    assert len(items) == 1
    assert items[0].a["href"] == "/en/countries/SEN/"
    assert "Country facts" in listed.select_one("#quality-counts-heading ~ div tbody").get_text()


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_the_header_flags_in_every_language(client, sample_data, lang):
    header = soup_of(client.get(f"/{lang}/countries/SEN/")).select_one(".facts")
    assert len(header.select(".quality-flag")) == 1
    assert all(flag.p and flag.a for flag in header.select(".quality-flag"))


def test_the_api_names_the_country_of_a_fact_finding(client, sample_data):
    kind = kinds.POPULATION_PARTS_NOT_TOTAL
    answer = client.get(f"/api/v1/data-quality?kind={kind}").get_json()
    [finding] = answer["data"]
    assert finding["outcome"] is None
    assert finding["country"]["iso3"] == "SEN"
    assert client.get(finding["country"]["url"]).status_code == 200


def _hdr_latest_years(path: Path, iso3s: set[str]) -> dict[tuple[str, str], int]:
    """The newest year with a figure per country and HDR column (gii, gdi, pop_total)."""
    latest: dict[tuple[str, str], int] = {}
    with path.open(encoding="utf-8-sig", newline="") as stream:
        for row in csv.DictReader(stream):
            if row["iso3"] not in iso3s:
                continue
            for column, published in row.items():
                name, _sep, year = column.rpartition("_")
                if name in ("gii", "gdi", "pop_total") and published.strip() not in ("", ".."):
                    key = (row["iso3"], name)
                    latest[key] = max(latest.get(key, 0), int(year))
    return latest


def test_the_real_hdr_file_has_exactly_the_stale_figures_it_holds(db_session, shared_data):
    """UNDP's HDR 2023/24 (as of 2024-03-13): a country whose newest GII, GDI or population is
    from before 2019 is flagged, once per figure; no population split, so no sums."""
    path = shared_data / "countries" / "HDR23-24_Composite_indices_complete_time_series.csv"
    import_country_files(db_session, [path])
    db_session.flush()
    stored = set(db_session.scalars(select(CountryFact.country_iso3).distinct()))
    latest = _hdr_latest_years(path, stored)
    expected = {key for key, year in latest.items() if 2024 - year > 5}
    found = _fact_findings(db_session)
    assert {kind for _c, kind, *_rest in found} <= {kinds.FACT_OLDER_THAN_FIVE_YEARS}
    names = {"gii": "gii", "gdi": "gdi", "pop_total": "population_total"}
    assert {(iso3, indicator) for iso3, _k, indicator, _v, _r in found} == {
        (iso3, names[name]) for iso3, name in expected
    }
    print(f"HDR stale figures: {len(found)}")
