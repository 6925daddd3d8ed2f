"""Codelist names for display, in the visitor's language where IATI publishes it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.codelists.models import CodelistEntry

FALLBACK_LANGUAGE = "en"


def codelist_labels(session: Session, codelist: str, lang: str) -> dict[str, str]:
    """Code → name in `lang` where published, else in English.

    IATI publishes English and (mostly) French names and no Spanish, so Spanish pages get the
    English names. Withdrawn codes are included: older activities still carry them.
    """
    lang = lang.lower()
    languages = {lang, FALLBACK_LANGUAGE}
    rows = session.execute(
        select(CodelistEntry.code, CodelistEntry.lang, CodelistEntry.name).where(
            CodelistEntry.codelist == codelist, CodelistEntry.lang.in_(languages)
        )
    ).all()
    labels: dict[str, str] = {}
    for code, entry_lang, name in rows:
        if entry_lang == lang or code not in labels:
            labels[code] = name
    return labels
