"""Numbers, money, percentages, dates and place names in the visitor's locale (Babel)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from decimal import Decimal

from babel import Locale
from babel.numbers import NumberPattern, format_currency, format_percent, parse_pattern
from flask import has_app_context
from flask_babel import format_date as babel_format_date
from flask_babel import to_user_timezone

from portal.countries.facts import M49_AREAS
from portal.i18n.catalogue import request_catalogue
from portal.iati.narratives import UNDETERMINED, LocalisedText, Narratives


def current_locale() -> Locale:
    """The request's locale (English outside a request)."""
    return request_catalogue()[1] if has_app_context() else Locale("en")


def number(value: int | float | Decimal | None, digits: int = 0) -> str:
    """A figure with the locale's grouping (209 497 025 in French)."""
    if value is None:
        return ""
    return _number_pattern(digits).apply(value, current_locale())


@functools.lru_cache(maxsize=8)
def _number_pattern(digits: int) -> NumberPattern:
    """Parsed once: Babel's format_decimal parses its pattern on every call."""
    return parse_pattern("#,##0." + "0" * digits if digits else "#,##0")


def percent(share: float | Decimal | None, digits: int = 1) -> str:
    """`share` is a fraction (0.505 → 50.5 %), spaced as the locale writes it ("50,5 %")."""
    if share is None:
        return ""
    locale = current_locale()
    pattern = locale.percent_formats[None].pattern.split(";")[0]
    if digits:
        pattern = pattern.replace("#,##0", "#,##0." + "0" * digits, 1)
    return format_percent(share, format=pattern, locale=locale)


def money(value: Decimal | float | None, currency: str | None) -> str:
    """An amount in its published currency, in whole units and the locale's format."""
    if value is None:
        return ""
    if not currency:
        return number(value)
    locale = current_locale()
    pattern = locale.currency_formats["standard"].pattern
    if locale.character_order == "right-to-left":
        # The symbol isolated (U+2066 … U+2069), else "US$" after a number in right-to-left
        # text shows as "$US": its "$" takes the paragraph's direction. The negative pattern
        # is kept: it puts the minus after the right-to-left mark.
        pattern = pattern.replace("¤", "\u2066¤\u2069")
    else:
        pattern = pattern.split(";")[0]
    pattern = pattern.replace(".00", "")
    return format_currency(value, currency, format=pattern, locale=locale, currency_digits=False)


def date(value: dt.date | None, format: str = "medium") -> str:
    """A date as the locale writes it; French writes the first of a month "1er" (1er juil. 2026)."""
    if value is None:
        return ""
    locale = current_locale()
    if locale.language == "fr":
        day = to_user_timezone(value).day if isinstance(value, dt.datetime) else value.day
        if day == 1:
            pattern = locale.date_formats[format].pattern if format in _NAMED_FORMATS else format
            return babel_format_date(value, format=_first_of_month(pattern))
    return babel_format_date(value, format=format)


_NAMED_FORMATS = ("short", "medium", "long", "full")
# A Babel date pattern's quoted literals ('de', '' for a quote) and its lone day field "d".
_QUOTED_LITERAL = re.compile(r"('(?:[^']|'')*')")
_LONE_DAY = re.compile(r"(?<!d)d(?!d)")


@functools.lru_cache(maxsize=16)
def _first_of_month(pattern: str) -> str:
    """The pattern with "er" after a lone day field ("d MMM y" → "d'er' MMM y"); a two-digit
    day ("dd/MM/y") and quoted literals are left alone."""
    parts = _QUOTED_LITERAL.split(pattern)
    return "".join(part if part.startswith("'") else _LONE_DAY.sub("d'er'", part) for part in parts)


def territory_name(iso2: str | None, fallback: str = "") -> str:
    """A country's or region's name in the visitor's language (CLDR; Kosovo included)."""
    if not iso2:
        return fallback
    return current_locale().territories.get(iso2.upper(), fallback or iso2)


@functools.lru_cache(maxsize=64)
def language_autonym(lang: str) -> str:
    """A language's name in itself ("Français"), for the language switcher."""
    return Locale.parse(lang).get_display_name(lang).capitalize()


def region_name(m49: str | int | None, fallback: str = "") -> str:
    """A UN M49 area's name in the visitor's language: the UNSD file's English name
    ("419" → "Latin America and the Caribbean") and the UN's French and Spanish terms from
    our catalogue; CLDR's name for any other code.

    Codes are zero-padded, as reference files often drop the zeros ("2" is Africa).
    """
    if m49 is None or str(m49).strip() == "":
        return fallback
    code = str(m49).strip()
    if code.isdigit():
        code = code.zfill(3)
    if code in M49_AREAS:
        return M49_AREAS[code].name
    return current_locale().territories.get(code.upper(), fallback or code)


def language_name(lang: str | None) -> str | None:
    """A language's name in the visitor's language ("en" → "anglais"); None when unknown."""
    if not lang:
        return None
    primary = lang.replace("_", "-").split("-", 1)[0].lower()
    return current_locale().languages.get(primary)


def same_language(lang: str | None, other: str | None = None) -> bool:
    """Whether two language tags name the same language ("FR", "fr-CA" and "fr" do).

    Without `other`, compares with the visitor's language.
    """
    other = other or str(current_locale().language)
    if not lang:
        return False
    return _primary_subtag(lang) == _primary_subtag(other)


def _primary_subtag(lang: str) -> str:
    return lang.replace("_", "-").split("-", 1)[0].strip().lower()


def pick_narrative(
    texts: Mapping[str, str] | None, default_lang: str | None = None
) -> LocalisedText | None:
    """The visitor's language when the publisher gave it, else the original (see Narratives.pick).

    Language codes are compared case-insensitively: some IATI files say "EN" or "FR".
    """
    if not texts:
        return None
    narratives = Narratives()
    for lang, text in texts.items():
        if text and text.strip():
            narratives.setdefault(lang.strip().lower() or UNDETERMINED, text)
    visitor = str(current_locale().language)
    return narratives.pick(visitor, default_lang)
