"""Issue 13, item 7: the UN M49 region, sub-region and intermediate region of each country,
named exactly as the UNSD file names them (and in the UN's French and Spanish terms)."""

from __future__ import annotations

import csv

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from downloads.reading import soup_of, words
from portal import schema
from portal.countries import facts
from portal.countries.importer import import_country_files
from portal.countries.models import Country
from portal.i18n.formatting import region_name

M49_FILE = "countries/unsd_m49_countries.csv"
REVISION = "e5a1f0c2b7d9"


def _unsd_rows(shared_data):
    with (shared_data / M49_FILE).open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _code(text: str) -> str:
    return text.strip().zfill(3)


def test_every_area_of_the_unsd_file_has_its_name_and_parent(app, shared_data):
    seen = 0
    for row in _unsd_rows(shared_data):
        chain = [
            (row["region_code"], row["region_name"], "001"),
            (row["sub_region_code"], row["sub_region_name"], row["region_code"]),
            (
                row["intermediate_region_code"],
                row["intermediate_region_name"],
                row["sub_region_code"],
            ),
        ]
        for code, name, parent in chain:
            if not code:
                continue
            area = facts.M49_AREAS[_code(code)]
            assert (area.english_name, area.parent) == (name, _code(parent)), code
            with app.test_request_context("/en/"):
                assert region_name(code) == name
            seen += 1
    assert seen > 500


def test_countries_store_their_intermediate_region(db_session, shared_data):
    import_country_files(db_session, [shared_data / M49_FILE])
    for row in _unsd_rows(shared_data):
        country = db_session.get(Country, row["iso_alpha3"])
        if country is None:
            continue
        expected = (
            _code(row["region_code"]) if row["region_code"] else None,
            _code(row["sub_region_code"]) if row["sub_region_code"] else None,
            _code(row["intermediate_region_code"]) if row["intermediate_region_code"] else None,
        )
        assert (
            country.region_m49,
            country.subregion_m49,
            country.intermediate_m49,
        ) == expected, row["iso_alpha3"]


def _region_fact(page) -> str:
    (fact,) = [f for f in page.select(".fact") if words(f.dt) in ("Region", "Région", "Región")]
    return words(fact.select_one(".fact__value"))


def test_country_pages_and_api_name_the_three_levels(client, unwomen_data, shared_data):
    import_country_files(unwomen_data, [shared_data / M49_FILE])
    unwomen_data.flush()
    nigeria = soup_of(client.get("/en/countries/NGA/"))
    assert _region_fact(nigeria) == "Africa (Sub-Saharan Africa, Western Africa)"
    haiti = soup_of(client.get("/en/countries/HTI/"))
    assert _region_fact(haiti) == "Americas (Latin America and the Caribbean, Caribbean)"
    albania = soup_of(client.get("/en/countries/ALB/"))
    assert _region_fact(albania) == "Europe (Southern Europe)"  # no intermediate region
    assert _region_fact(soup_of(client.get("/fr/countries/NGA/"))) == (
        "Afrique (Afrique subsaharienne, Afrique occidentale)"
    )
    assert _region_fact(soup_of(client.get("/es/countries/HTI/"))) == (
        "Américas (América Latina y el Caribe, Caribe)"
    )
    index = soup_of(client.get("/en/countries/"))
    assert "Latin America and the Caribbean" not in {words(h) for h in index.select("main h2")}
    assert "Americas" in {words(h) for h in index.select("main h2")}

    found = client.get("/api/v1/countries/NGA").json["data"]["facts"]
    assert found["intermediate_region"] == {"m49": "011", "name": "Western Africa"}
    assert found["subregion"] == {"m49": "202", "name": "Sub-Saharan Africa"}


def test_migration_backfills_the_intermediate_region(tmp_path):
    scripts = ScriptDirectory.from_config(schema.alembic_config())
    previous = scripts.get_revision(REVISION).down_revision
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'migrate.sqlite3'}")
    try:
        with engine.begin() as connection:
            command.upgrade(schema.alembic_config(connection), previous)
            connection.execute(
                sa.text(
                    "INSERT INTO country (iso3, iso2, region_m49, subregion_m49, english_name)"
                    " VALUES ('NGA', 'NG', '002', '202', 'Nigeria'),"
                    " ('ALB', 'AL', '150', '039', 'Albania'), ('MLI', 'ML', '002', '202', 'Mali')"
                )
            )
            connection.execute(
                sa.text(
                    "INSERT INTO country_fact (country_iso3, indicator, year, text_value, source)"
                    " VALUES ('NGA', 'region', 2020, '202', 's'),"
                    " ('NGA', 'region', 2026, '11', 's'), ('ALB', 'region', 2026, '039', 's'),"
                    " ('MLI', 'region', 2026, '029', 's')"
                )
            )
        schema.upgrade(engine)
        with engine.connect() as connection:
            stored = dict(
                connection.execute(sa.text("SELECT iso3, intermediate_m49 FROM country")).all()
            )
        # Nigeria's newest fact is an intermediate region of its sub-region; Albania has
        # none; Mali's stated Caribbean does not belong to its sub-region and is not taken.
        assert stored == {"NGA": "011", "ALB": None, "MLI": None}
        with engine.begin() as connection:
            command.downgrade(schema.alembic_config(connection), previous)
        columns = {c["name"] for c in sa.inspect(engine).get_columns("country")}
        assert "intermediate_m49" not in columns
    finally:
        engine.dispose()
