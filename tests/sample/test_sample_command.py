"""`portal sample` rebuilds a database of its own from the bundled sample data.

It deletes and recreates the database, so it runs on its own database: a SQLite file in a
temporary folder, or (in CI) a second PostgreSQL database next to the test database.
"""

from __future__ import annotations

import os

import pytest
from lxml import etree
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.countries.models import Country
from portal.countries.queries import country_facts
from portal.extensions import db
from portal.iati.models import Outcome, ProgressNarrative
from portal.iati.queries import dataset_is_sample
from portal.sample.operations import SAMPLE_ACTIVITIES, build_sample_database


@pytest.fixture
def sample_database_url(tmp_path):
    test_url = os.environ.get("PORTAL_TEST_DATABASE_URL")
    if not test_url:
        yield f"sqlite:///{tmp_path / 'instance' / 'portal.sqlite3'}"
        return
    base = make_url(test_url)
    name = f"{base.database}_sample"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def sample_app(database_url: str, tmp_path, environment: str = "development"):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "PORTAL_INSTANCE_PATH": str(tmp_path / "instance"),
            "PORTAL_ENV": environment,
        }
    )
    return app


@pytest.fixture
def built_app(sample_database_url, tmp_path):
    app = sample_app(sample_database_url, tmp_path)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_sample_command_builds_mali_with_nine_current_outcomes(built_app):
    result = built_app.test_cli_runner().invoke(args=["sample"])

    assert result.exit_code == 0, result.output
    assert "MLI 2022-2025: 9" in result.output
    assert "[population_sum]: 1" in result.output
    with built_app.app_context():
        session = db.session
        current = session.scalars(
            select(Outcome).where(Outcome.country_iso3 == "MLI", Outcome.plan_period == "2022-2025")
        ).all()
        assert len(current) == 9
        previous = session.scalar(
            select(func.count()).where(
                Outcome.country_iso3 == "MLI", Outcome.plan_period == "2018-2021"
            )
        )
        assert previous == 3
        narratives = session.scalars(
            select(ProgressNarrative).where(
                ProgressNarrative.outcome_id.in_([o.id for o in current])
            )
        ).all()
        assert {n.year for n in narratives} == {2023, 2024}
        assert all(set(n.text) == {"en", "fr"} for n in narratives)
        assert dataset_is_sample(session)
        mali = country_facts(session, "MLI")
        assert mali.ldc.value == 1
        assert mali.income_group.text_value == "L"
        assert mali.female_share is not None and mali.gii.year == 2022
        countries_with_outcomes = session.scalar(
            select(func.count(func.distinct(Outcome.country_iso3)))
        )
        assert countries_with_outcomes >= 6
        regions = set(session.scalars(select(Country.region_m49)))
        assert len(regions) >= 3


def test_sample_command_replaces_everything_and_is_quick(built_app):
    runner = built_app.test_cli_runner()
    assert runner.invoke(args=["sample"]).exit_code == 0
    with built_app.app_context():
        db.session.add(Country(iso3="ZZZ", iso2="ZZ", english_name="Left over"))
        db.session.commit()
        db.session.remove()

        build = build_sample_database(db.session, db.engine)

        assert db.session.get(Country, "ZZZ") is None
        published = etree.parse(str(SAMPLE_ACTIVITIES)).getroot().findall("iati-activity")
        assert db.session.scalar(select(func.count()).select_from(Outcome)) == len(published)
        assert build.seconds < 5


def test_sample_command_will_not_replace_a_production_database(sample_database_url, tmp_path):
    (tmp_path / "instance").mkdir()
    app = sample_app(sample_database_url, tmp_path, environment="production")
    try:
        result = app.test_cli_runner().invoke(args=["sample"])
        assert result.exit_code != 0
        assert "--force" in result.output
        with app.app_context():
            assert not db.inspect(db.engine).has_table("outcome")
    finally:
        with app.app_context():
            db.engine.dispose()
