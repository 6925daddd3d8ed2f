"""The recipients migration: one head, models and migrations agree, existing data backfilled."""

from __future__ import annotations

import importlib.util
import json
from decimal import Decimal

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from lxml import etree
from sqlalchemy import select

import portal.codelists.models  # noqa: F401  (every table on the metadata, as env.py does)
import portal.countries.models  # noqa: F401
import portal.iati.models  # noqa: F401
import portal.survey.models  # noqa: F401
from iati.test_real_files import REAL_FILES
from portal import schema
from portal.extensions import db
from portal.iati.importer import import_sources
from portal.iati.models import Outcome, Recipient
from portal.search.index import compared_by_alembic

REVISION = "d232b5d47583"
SCRIPTS = ScriptDirectory.from_config(schema.alembic_config())
PREVIOUS = SCRIPTS.get_revision(REVISION).down_revision

ACTIVITY_XML = b"""<iati-activity last-updated-datetime="2024-03-05T10:00:00+01:00" xml:lang="fr">
  <iati-identifier>XM-TEST-MIG-1</iati-identifier>
  <recipient-country code="ML" percentage="60"><narrative>Mali</narrative></recipient-country>
  <recipient-country code="xk" percentage="40">
    <narrative xml:lang="EN">Kosovo</narrative>
  </recipient-country>
 </iati-activity>
"""
PLAIN_ACTIVITY_XML = b"""<iati-activity last-updated-datetime="not a date">
  <iati-identifier>XM-TEST-MIG-2</iati-identifier>
 </iati-activity>"""


def _migration_module():
    """The migration file itself, to run its backfill reader on stored copies."""
    (path,) = (schema.MIGRATIONS / "versions").glob(f"{REVISION}_*.py")
    spec = importlib.util.spec_from_file_location("recipients_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _insert_outcome(connection, identifier: str, source_xml: bytes) -> int:
    return connection.execute(
        sa.text(
            "INSERT INTO outcome (iati_identifier, plan_period, content_sha256, region_name,"
            " title, description, source_xml)"
            " VALUES (:identifier, '2022-2025', 'x', '{}', '{}', '{}', :source_xml)"
            " RETURNING id"
        ),
        {"identifier": identifier, "source_xml": source_xml},
    ).scalar_one()


def test_the_migrations_have_one_head():
    assert SCRIPTS.get_heads() == [SCRIPTS.get_current_head()]
    assert PREVIOUS == "survey0001"


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        opts = {"compare_type": True, "include_name": compared_by_alembic}
        context = MigrationContext.configure(connection, opts=opts)
        assert compare_metadata(context, db.metadata) == []


def test_upgrade_backfills_recipients_and_seeds_plan_periods(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'migrate.sqlite3'}")
    try:
        with engine.begin() as connection:
            command.upgrade(schema.alembic_config(connection), PREVIOUS)
            mixed = _insert_outcome(connection, "XM-TEST-MIG-1", ACTIVITY_XML)
            plain = _insert_outcome(connection, "XM-TEST-MIG-2", PLAIN_ACTIVITY_XML)
            broken = _insert_outcome(connection, "XM-TEST-MIG-3", b"<iati-activity><oops")

        schema.upgrade(engine)

        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT outcome_id, position, kind, code, vocabulary, country_iso3,"
                    " percentage, name FROM recipient ORDER BY outcome_id, position"
                )
            ).all()
            assert [(*row[:6], Decimal(str(row[6])), json.loads(row[7])) for row in rows] == [
                (mixed, 0, "country", "ML", None, "MLI", Decimal(60), {"fr": "Mali"}),
                (mixed, 1, "country", "xk", None, "XKX", Decimal(40), {"en": "Kosovo"}),
            ]
            updated = dict(
                connection.execute(sa.text("SELECT id, last_updated_at FROM outcome")).all()
            )
            assert updated == {mixed: "2024-03-05 09:00:00.000000", plain: None, broken: None}
            periods = connection.execute(
                sa.text(
                    "SELECT publisher_ref, first_year, last_year FROM publisher_plan_period"
                    " ORDER BY first_year"
                )
            ).all()
            assert [tuple(row) for row in periods] == [
                ("XM-DAC-41146", 2014, 2017),
                ("XM-DAC-41146", 2018, 2021),
                ("XM-DAC-41146", 2022, 2025),
                ("XM-DAC-41146", 2026, 2029),
            ]

        with engine.begin() as connection:
            command.downgrade(schema.alembic_config(connection), PREVIOUS)
        inspector = sa.inspect(engine)
        assert not {"recipient", "publisher_plan_period"} & set(inspector.get_table_names())
        assert "last_updated_at" not in {c["name"] for c in inspector.get_columns("outcome")}
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT count(*) FROM outcome")).scalar() == 3
    finally:
        engine.dispose()


@pytest.mark.parametrize("file_name", REAL_FILES)
def test_backfill_reads_stored_copies_as_the_importer_reads_files(
    db_session, shared_data, file_name
):
    """What the migration makes of outcome.source_xml is what an import stores."""
    migration = _migration_module()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    import_sources(db_session, [str(shared_data / "iati-activities" / file_name)])
    db_session.flush()

    def rounded(value: Decimal | None) -> Decimal | None:
        return None if value is None else Decimal(value).quantize(Decimal("0.001"))

    outcomes = db_session.scalars(select(Outcome).order_by(Outcome.id)).all()
    assert outcomes
    for outcome in outcomes:
        activity = etree.fromstring(outcome.source_xml, parser)
        expected = [
            (
                row["position"],
                row["kind"],
                row["code"],
                row["vocabulary"],
                row["country_iso3"],
                rounded(row["percentage"]),
                row["name"],
            )
            for row in migration.recipient_rows(activity, outcome.default_lang)
        ]
        stored = [
            (
                row.position,
                row.kind,
                row.code,
                row.vocabulary,
                row.country_iso3,
                rounded(row.percentage),
                dict(row.name),
            )
            for row in db_session.scalars(
                select(Recipient)
                .where(Recipient.outcome_id == outcome.id)
                .order_by(Recipient.position)
            )
        ]
        assert stored == expected, outcome.iati_identifier
        assert migration.last_updated_at(activity) == outcome.last_updated_at


def test_backfill_tolerates_what_it_cannot_read():
    migration = _migration_module()
    activity = etree.fromstring(
        b'<iati-activity last-updated-datetime="2024-13-45">'
        b'<recipient-region code=" 289 " vocabulary="far too long a code" percentage="x">'
        b"free text name</recipient-region></iati-activity>"
    )
    assert migration.last_updated_at(activity) is None
    assert migration.recipient_rows(activity, "es") == [
        {
            "position": 0,
            "kind": "region",
            "code": "289",
            "vocabulary": "1",
            "country_iso3": None,
            "percentage": None,
            "name": {"es": "free text name"},
        }
    ]
