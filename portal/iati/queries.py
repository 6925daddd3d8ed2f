"""Reads about the imported IATI data as a whole."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from portal.iati.models import ImportRun, SourceFile


def dataset_is_sample(session: Session) -> bool:
    """True while any stored activity came from the bundled sample data."""
    return bool(session.scalar(select(exists().where(SourceFile.is_sample.is_(True)))))


@dataclass(frozen=True)
class DataVersion:
    """Which imports the stored data reflects: cached pages are keyed on it."""

    newest_import_id: int | None
    last_import_finished_at: dt.datetime | None
    """UTC, naive as stored; None before the first finished import."""

    @property
    def token(self) -> str:
        """Changes whenever an import starts or finishes (any kind: IATI, countries, codelists)."""
        finished = self.last_import_finished_at.isoformat() if self.last_import_finished_at else ""
        return f"{self.newest_import_id or 0}-{finished}"


def data_version(session: Session) -> DataVersion:
    """The newest import run and the last time one finished, in one cheap query."""
    newest_id, finished_at = session.execute(
        select(func.max(ImportRun.id), func.max(ImportRun.finished_at))
    ).one()
    return DataVersion(newest_id, finished_at)
