"""Reads the downloads need beyond the pages' own queries: provenance and the XML.

The money of every file comes from the ledger (portal.ledger), as on the pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.iati.models import Outcome, Publisher, SourceFile
from portal.iati.narratives import Narratives

# Activities read per query when the IATI XML is streamed: a few at a time, never all blobs.
XML_BATCH_SIZE = 50


@dataclass(frozen=True)
class Provenance:
    """Who published an outcome and how current the copy is: every download row says so."""

    publisher_ref: str | None
    publisher_name: Narratives
    file_generated_at: dt.datetime | None
    imported_at: dt.datetime | None

    @property
    def as_of(self) -> dt.date | None:
        """The date of the IATI file when it names one, else the day it was imported."""
        moment = self.file_generated_at or self.imported_at
        return moment.date() if moment else None


NO_PROVENANCE = Provenance(None, Narratives(), None, None)


def provenance(session: Session, outcome_ids: Sequence[int]) -> dict[int, Provenance]:
    """Publisher and source file of each outcome, by outcome id, in one query."""
    if not outcome_ids:
        return {}
    rows = session.execute(
        select(
            Outcome.id,
            Publisher.ref,
            Publisher.name,
            SourceFile.generated_at,
            SourceFile.imported_at,
        )
        .outerjoin(Publisher, Outcome.publisher_id == Publisher.id)
        .outerjoin(SourceFile, Outcome.source_file_id == SourceFile.id)
        .where(Outcome.id.in_(outcome_ids))
    )
    return {
        outcome_id: Provenance(ref, Narratives(name or {}), generated_at, imported_at)
        for outcome_id, ref, name, generated_at, imported_at in rows
    }


def activity_xml(session: Session, outcome_ids: Sequence[int]) -> Iterator[bytes]:
    """Each outcome's `<iati-activity>` as published, in the order of `outcome_ids`.

    Read a batch at a time, so that a country's whole file is never held in memory.
    """
    for start in range(0, len(outcome_ids), XML_BATCH_SIZE):
        batch = list(outcome_ids[start : start + XML_BATCH_SIZE])
        query = select(Outcome.id, Outcome.source_xml).where(Outcome.id.in_(batch))
        stored = dict(session.execute(query).all())
        for outcome_id in batch:
            if stored.get(outcome_id):
                yield stored[outcome_id]
