"""Rebuild the database from the bundled sample data (`portal sample`, `make run`)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import MetaData
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from portal import schema
from portal.countries.importer import CountryImportReport, import_country_files
from portal.iati.importer import ImportReport, import_sources

# The bundled sample files, shipped with the package; scripts/sample/generate.py (a development
# script, not installed) writes them here.
SAMPLE_DIR = Path(__file__).resolve().parent
ACTIVITIES_FILE = "sample-activities.xml"
COUNTRY_FACTS_FILE = "sample-country-facts.csv"
SAMPLE_ACTIVITIES = SAMPLE_DIR / ACTIVITIES_FILE
SAMPLE_COUNTRY_FACTS = SAMPLE_DIR / COUNTRY_FACTS_FILE


@dataclass(frozen=True)
class SampleBuild:
    country_report: CountryImportReport
    iati_report: ImportReport
    seconds: float


def _sqlite_file(engine: Engine) -> Path | None:
    """The database file of a file-backed SQLite engine, else None."""
    url = engine.url
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def reset_schema(engine: Engine) -> None:
    """Leave an empty database at the newest schema.

    A SQLite file is deleted and created again; any other database has every table dropped
    (found by reflection, so tables of newer migrations and alembic_version go too).
    """
    database_file = _sqlite_file(engine)
    engine.dispose()
    if database_file is not None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            database_file.with_name(database_file.name + suffix).unlink(missing_ok=True)
        database_file.parent.mkdir(parents=True, exist_ok=True)
    else:
        with engine.begin() as connection:
            existing = MetaData()
            existing.reflect(connection)
            existing.drop_all(connection)
    schema.upgrade(engine)


def build_sample_database(session: Session, engine: Engine) -> SampleBuild:
    """Replace everything in the database with the sample: country facts, then IATI data.

    Both imports run in one transaction committed at the end.
    """
    started = time.perf_counter()
    session.close()
    reset_schema(engine)
    try:
        country_report = import_country_files(session, [SAMPLE_COUNTRY_FACTS])
        iati_report = import_sources(session, [SAMPLE_ACTIVITIES], is_sample=True)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    schema.update_statistics(session)
    return SampleBuild(country_report, iati_report, time.perf_counter() - started)
