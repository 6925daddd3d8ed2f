"""Findings as pages show them: attached to the record they are about."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.quality.kinds import KINDS, Kind
from portal.quality.models import DataFinding

# The parts of an activity a page shows with their findings next to them; the others (budget
# lines, transactions, recipients) are listed with the activity.
SHOWN_IN_PLACE = ("result", "indicator", "indicator period")


@dataclass(frozen=True)
class FindingView:
    kind: str
    record: str
    record_id: int | None
    value: str | None

    @property
    def about(self) -> Kind:
        return KINDS[self.kind]

    @property
    def message(self) -> str:
        """What looks wrong, in the visitor's language (call it while rendering)."""
        return str(self.about.message) % {"value": self.value or ""}


FindingsByRecord = Mapping[tuple[str, int | None], tuple[FindingView, ...]]
NO_FINDINGS: FindingsByRecord = {}


def findings_of_outcome(session: Session, outcome_id: int) -> FindingsByRecord:
    """The outcome's findings by (record, row id); one query. Activity-level findings, and
    those of parts shown without a place of their own, are under ("activity", outcome_id)."""
    grouped: dict[tuple[str, int | None], list[FindingView]] = {}
    rows = session.execute(
        select(DataFinding.kind, DataFinding.record, DataFinding.record_id, DataFinding.value)
        .where(DataFinding.outcome_id == outcome_id, DataFinding.kind.in_(KINDS))
        .order_by(DataFinding.id)
    )
    for kind, record, record_id, value in rows:
        finding = FindingView(kind, record, record_id, value)
        key = (record, record_id) if record in SHOWN_IN_PLACE else ("activity", outcome_id)
        grouped.setdefault(key, []).append(finding)
    return {key: tuple(findings) for key, findings in grouped.items()}
