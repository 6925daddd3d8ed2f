"""Multilingual text as IATI publishes it: one narrative per language."""

from __future__ import annotations

import json
from dataclasses import dataclass
from json.encoder import encode_basestring_ascii

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

    def bind_processor(self, dialect):
        """The JSON type's processor, or a faster one where that writes json.dumps's text.

        An import binds tens of thousands of narratives: json.dumps spends most of its time
        on options a dict of texts does not need. The faster one is used only when it gives
        the very same text as the dialect's own (SQLite; not psycopg, which binds objects).
        """
        process = super().bind_processor(dialect)
        if process is None:
            return None
        samples = ({}, {"en": 'Water "&" sanitation\n'}, {"fr": "Égalité", "es": "Niñez"})
        if all(process(sample) == dumps_texts(sample) for sample in samples):
            return dumps_texts
        return process

    def process_result_value(self, value, dialect):
        return Narratives(value or {})


def dumps_texts(texts: dict[str, str] | None) -> str:
    """json.dumps(texts) for a dict of str, the only values narratives hold."""
    if not texts:
        return "{}"
    if isinstance(texts, dict):
        try:
            return (
                "{"
                + ", ".join(
                    [
                        encode_basestring_ascii(lang) + ": " + encode_basestring_ascii(text)
                        for lang, text in texts.items()
                    ]
                )
                + "}"
            )
        except TypeError:  # not all str: whatever json.dumps makes of it
            pass
    return json.dumps(dict(texts))
