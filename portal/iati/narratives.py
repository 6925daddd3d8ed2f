"""Multilingual text as IATI publishes it: one narrative per language."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import JSON
from sqlalchemy.types import TypeDecorator

# Key used when a narrative carries no language and the activity declares no default.
UNDETERMINED = "und"


@dataclass(frozen=True)
class LocalisedText:
    """A narrative chosen for a visitor: the text and the language it is really in."""

    text: str
    lang: str

    def __str__(self) -> str:
        return self.text


class Narratives(dict[str, str]):
    """Texts keyed by lower-case language code, in the order the publisher gave them."""

    def pick(self, lang: str, default_lang: str | None = None) -> LocalisedText | None:
        """The visitor's language when published, else the default language, else the first."""
        if not self:
            return None
        for candidate in (lang.lower(), (default_lang or "").lower(), "en"):
            if candidate and candidate in self:
                return LocalisedText(self[candidate], candidate)
        first_lang = next(iter(self))
        return LocalisedText(self[first_lang], first_lang)


class NarrativesType(TypeDecorator):
    """Stores Narratives as a JSON object; an empty object when the element had no text."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return dict(value or {})

    def process_result_value(self, value, dialect):
        return Narratives(value or {})
