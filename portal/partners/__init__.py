"""Funding partners: who funded the organisation's activities, each with its own page.

A partner's address (`/<lang>/partners/<address>/`) is its organisation reference when it has
a usable one (IATI organisation identifiers: letters, digits, '.', '_' and '-'), else a slug of
its name. Search results and every link to a partner page build it here, so that they agree.
"""

from __future__ import annotations

import re
import unicodedata

from portal.iati.narratives import Narratives

LONGEST_ADDRESS = 100
_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_NOT_WORD = re.compile(r"[^\w]+")


def name_slug(name: str) -> str:
    """A name as an address: words of letters and digits (any script), lower case, joined by
    '-'; accents kept as they are (NFC)."""
    words = _NOT_WORD.split(unicodedata.normalize("NFC", name).casefold())
    return "-".join(word for word in words if word and word != "_")[:LONGEST_ADDRESS].strip("-")


def partner_address(ref: str | None, name: Narratives | None) -> str | None:
    """The address of a partner's page; None when it has neither a usable ref nor a name."""
    cleaned = (ref or "").strip()
    if _REF.fullmatch(cleaned):
        return cleaned
    first = next((text for text in (name or {}).values() if text and text.strip()), "")
    return name_slug(first) or None
