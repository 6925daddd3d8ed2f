"""The request's translations and locale, looked up once per request."""

from __future__ import annotations

from babel import Locale
from babel.support import NullTranslations
from flask import g
from flask_babel import get_locale, get_translations
from flask_babel import refresh as refresh_babel

# Where in `g` the request's choice is kept.
_CHOSEN = "portal_catalogue"


def refresh() -> None:
    """Forget the request's language choice: the next look-up chooses it afresh."""
    refresh_babel()
    g.pop(_CHOSEN, None)


def request_catalogue() -> tuple[NullTranslations, Locale]:
    """The request's translations and locale, looked up once per request.

    Flask-Babel walks several context proxies on each look-up, and a country page makes a
    few hundred (every translated string, number and place name): a fifth of its time.
    """
    chosen = g.get(_CHOSEN)
    if chosen is None:
        chosen = (get_translations(), get_locale() or Locale("en"))
        setattr(g, _CHOSEN, chosen)
    return chosen


def jinja_gettext(message: str) -> str:
    return request_catalogue()[0].ugettext(message)


def jinja_ngettext(singular: str, plural: str, count: int) -> str:
    return request_catalogue()[0].ungettext(singular, plural, count)


def jinja_pgettext(context: str, message: str) -> str:
    return request_catalogue()[0].upgettext(context, message)


def jinja_npgettext(context: str, singular: str, plural: str, count: int) -> str:
    return request_catalogue()[0].unpgettext(context, singular, plural, count)
