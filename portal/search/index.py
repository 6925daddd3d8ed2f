"""The outcomes' searchable text: one row per outcome and language, filled at import in the
import's own transaction (portal.iati.importer calls `refresh` for the outcomes it wrote).

Each row holds the outcome's identifier, title, description and progress narratives in one
language, folded (case and accents removed) so that "egalite" finds "Égalité". The search
looks words up in it with LIKE, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import ForeignKey, Integer, String, Text, delete, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.extensions import db
from portal.iati.models import Outcome, ProgressNarrative

CHUNK = 500


class SearchText(db.Model):
    """An outcome's words in one language, folded for searching."""

    __tablename__ = "search_text"

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("outcome.id", ondelete="CASCADE"), index=True
    )
    lang: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(Text)


def fold(text: str) -> str:
    """Text as the index keeps it: lower case (casefold), without accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def refresh(session: Session, outcome_ids: Sequence[int]) -> None:
    """Write the search text of these outcomes again (new or changed in this import)."""
    table = SearchText.__table__
    connection = session.connection()
    ids = list(outcome_ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        connection.execute(delete(table).where(table.c.outcome_id.in_(chunk)))
        texts: dict[tuple[int, str], list[str]] = defaultdict(list)
        identifiers: dict[int, str] = {}
        outcomes = select(
            Outcome.id, Outcome.iati_identifier, Outcome.title, Outcome.description
        ).where(Outcome.id.in_(chunk))
        for outcome_id, identifier, title, description in connection.execute(outcomes):
            identifiers[outcome_id] = identifier
            for narratives in (title, description):
                for lang, text in (narratives or {}).items():
                    texts[(outcome_id, lang)].append(text)
        progress = select(ProgressNarrative.outcome_id, ProgressNarrative.text).where(
            ProgressNarrative.outcome_id.in_(chunk)
        )
        for outcome_id, narratives in connection.execute(progress):
            for lang, text in (narratives or {}).items():
                texts[(outcome_id, lang)].append(text)
        with_text = {outcome_id for outcome_id, _lang in texts}
        for outcome_id in identifiers.keys() - with_text:
            texts[(outcome_id, "und")] = []  # found by its identifier still
        rows = [
            {
                "outcome_id": outcome_id,
                "lang": lang[:10],
                "body": fold("\n".join([identifiers[outcome_id], *parts])),
            }
            for (outcome_id, lang), parts in texts.items()
        ]
        if rows:
            connection.execute(insert(table), rows)
