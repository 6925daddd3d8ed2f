"""The outcomes' searchable text: one row per outcome and language, filled at import in the
import's own transaction (portal.iati.importer calls `refresh` for the outcomes it wrote).

Each row holds the outcome's identifier, title, description and progress narratives in one
language, folded (case and accents removed) so that "egalite" finds "Égalité". The database's
own full-text search indexes it (portal.search.queries reads it):

- SQLite: the FTS5 table `search_fts` (tokenizer `unicode61 remove_diacritics 2`) with
  `search_text` as its external content (rowid = search_text.id). Triggers on search_text,
  written in the migration, add and remove its words, so a row deleted or written again
  (here, or by the outcome's ON DELETE CASCADE) never leaves stale words behind.
- PostgreSQL: the `tsvector` column `search_text.vector` (GIN index), written with the row:
  the words stemmed with the text search configuration of the row's language where
  PostgreSQL has one (TEXT_SEARCH_CONFIGURATIONS), and unstemmed ('simple'), so that any
  word's beginning finds it in any language.

Neither can be described by the models (a virtual table, a column of one database only):
the migration creates them, and `compared_by_alembic` keeps autogenerate from proposing to
drop them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import (
    ForeignKey,
    Integer,
    String,
    Text,
    bindparam,
    cast,
    column,
    delete,
    func,
    insert,
    literal_column,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import REGCONFIG, TSVECTOR
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.extensions import db
from portal.iati.models import Outcome, ProgressNarrative

CHUNK = 500
# PostgreSQL refuses a tsvector of a megabyte or more (and would fail the import): the
# vector is made of at most this many characters of a row's words (both vectors of a text
# this long, of ordinary words, stay well below). The body keeps them all.
VECTOR_CHARACTERS = 250_000

# The words the search looks for and the words the index keeps are cut the same way:
# letters and digits, everything else (the underscore too) separates them, as FTS5's
# unicode61 tokenizer does.
WORD = re.compile(r"[^\W_]+")

# Languages (lower-case ISO 639-1, as narratives are keyed) -> PostgreSQL's text search
# configuration for them (all present since PostgreSQL 12); any other language: 'simple'.
TEXT_SEARCH_CONFIGURATIONS = {
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hu": "hungarian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}
UNSTEMMED = "simple"

# The full-text objects the migration creates and the models do not describe.
FTS_TABLE = "search_fts"  # SQLite; its shadow tables are named search_fts_*
VECTOR_COLUMN = "vector"  # PostgreSQL
VECTOR_INDEX = "ix_search_text_vector"  # PostgreSQL, GIN


class SearchText(db.Model):
    """An outcome's words in one language, folded for searching."""

    __tablename__ = "search_text"

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("outcome.id", ondelete="CASCADE"), index=True
    )
    lang: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(Text)


# What the queries name of the full-text objects (lightweight, not on the metadata).
SEARCH_FTS = table(FTS_TABLE, column("rowid", Integer), column("rank"))
SEARCH_TEXT_VECTOR = literal_column(f"search_text.{VECTOR_COLUMN}", TSVECTOR)
# search_text with its PostgreSQL column, for the importer's inserts.
SEARCH_TEXT_VECTORS = table(
    "search_text",
    column("id", Integer),
    column("outcome_id", Integer),
    column("lang", String),
    column("body", Text),
    column(VECTOR_COLUMN, TSVECTOR),
)


def compared_by_alembic(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic's include_name: everything but the full-text objects, which only the
    migration knows (portal/migrations/env.py and the models-versus-migrations test)."""
    if type_ == "table":
        return not (name or "").startswith(FTS_TABLE)
    if type_ == "column":
        return not (parent_names.get("table_name") == "search_text" and name == VECTOR_COLUMN)
    if type_ == "index":
        return name != VECTOR_INDEX
    return True


def text_search_configuration(lang: str) -> str:
    """PostgreSQL's configuration for a language code ("fr", "fr-ca"), else 'simple'."""
    return TEXT_SEARCH_CONFIGURATIONS.get(lang.split("-")[0].lower(), UNSTEMMED)


def fold(text: str) -> str:
    """Text as the index keeps it: lower case (casefold), without accents."""
    if text.isascii():  # the same answer, without decomposing (most text the search reads)
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _postgresql_insert():
    """search_text rows with their vector, computed by PostgreSQL from our own words (the
    body cut by WORD, so that its parser sees the words SQLite's tokenizer would)."""
    words = bindparam("words", type_=Text)
    stemmed = func.to_tsvector(cast(bindparam("configuration", type_=Text), REGCONFIG), words)
    unstemmed = func.to_tsvector(cast(UNSTEMMED, REGCONFIG), words)
    return insert(SEARCH_TEXT_VECTORS).values(vector=stemmed.op("||")(unstemmed))


def refresh(session: Session, outcome_ids: Sequence[int]) -> None:
    """Write the search text of these outcomes again (new or changed in this import)."""
    search_text = SearchText.__table__
    connection = session.connection()
    on_postgresql = connection.dialect.name == "postgresql"
    ids = list(outcome_ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        # On SQLite the delete trigger takes the rows' words out of search_fts.
        connection.execute(delete(search_text).where(search_text.c.outcome_id.in_(chunk)))
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
        if not rows:
            continue
        if on_postgresql:
            for row in rows:
                row["words"] = " ".join(WORD.findall(row["body"]))[:VECTOR_CHARACTERS]
                row["configuration"] = text_search_configuration(row["lang"])
            connection.execute(_postgresql_insert(), rows)
        else:  # the insert trigger adds the rows' words to search_fts
            connection.execute(insert(search_text), rows)
