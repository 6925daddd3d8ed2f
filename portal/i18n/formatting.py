"""Numbers, money, percentages, dates and place names in the visitor's locale (Babel)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel import Locale
from babel.numbers import format_currency, format_decimal, format_percent
from flask_babel import format_date as babel_format_date
from flask_babel import get_locale


def _locale() -> Locale:
    return get_locale() or Locale("en")


def number(value: int | float | Decimal | None, digits: int = 0) -> str:
    """A figure with the locale's grouping (209 497 025 in French)."""
    if value is None:
        return ""
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=_locale())


def percent(share: float | Decimal | None, digits: int = 1) -> str:
    """`share` is a fraction (0.505 → 50.5 %)."""
    if share is None:
        return ""
    pattern = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
    return format_percent(share, format=pattern, locale=_locale())


def money(value: Decimal | float | None, currency: str | None) -> str:
    """An amount in its published currency, in whole units and the locale's format."""
    if value is None:
        return ""
    if not currency:
        return number(value)
    locale = _locale()
    pattern = locale.currency_formats["standard"].pattern.split(";")[0].replace(".00", "")
    return format_currency(value, currency, format=pattern, locale=locale, currency_digits=False)


def date(value: dt.date | None, format: str = "medium") -> str:
    if value is None:
        return ""
    return babel_format_date(value, format=format)


def territory_name(iso2: str | None, fallback: str = "") -> str:
    """A country's or region's name in the visitor's language (CLDR; Kosovo included)."""
    if not iso2:
        return fallback
    return _locale().territories.get(iso2.upper(), fallback or iso2)


def language_autonym(lang: str) -> str:
    """A language's name in itself ("Français"), for the language switcher."""
    return Locale.parse(lang).get_display_name(lang).capitalize()
