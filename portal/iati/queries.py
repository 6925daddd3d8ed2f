"""Reads about the imported IATI data as a whole."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from portal.iati.models import SourceFile


def dataset_is_sample(session: Session) -> bool:
    """True while any stored activity came from the bundled sample data."""
    return bool(session.scalar(select(exists().where(SourceFile.is_sample.is_(True)))))
