"""The request's translations and locale, looked up once per request."""

from __future__ import annotations

from babel import Locale
from babel.support import NullTranslations
from flask import g
from flask_babel import get_locale, get_translations
from flask_babel import refresh as refresh_babel
from jinja2 import Environment
from markupsafe import Markup

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
    A language chosen later in the request must call `refresh()` (Flask-Babel's
    `force_locale` alone is not seen here once the request has looked its language up).
    """
    chosen = g.get(_CHOSEN)
    if chosen is None:
        chosen = (get_translations(), get_locale() or Locale("en"))
        setattr(g, _CHOSEN, chosen)
    return chosen


# The templates' _(), gettext() and {% trans %}: Jinja's "newstyle" gettext (the translation is
# markup, its %(name)s variables are escaped, "%%" always becomes "%"), for templates that are
# all HTML and autoescaped. Plain functions, unlike Jinja's wrappers, which copy the template
# context on each call made inside a block, and a page makes about a hundred.


def template_gettext(message: str, **variables: object) -> Markup:
    return Markup(request_catalogue()[0].ugettext(message)) % variables


def template_ngettext(singular: str, plural: str, num: int, **variables: object) -> Markup:
    variables.setdefault("num", num)
    return Markup(request_catalogue()[0].ungettext(singular, plural, num)) % variables


def template_pgettext(context: str, message: str, **variables: object) -> Markup:
    return Markup(request_catalogue()[0].upgettext(context, message)) % variables


def template_npgettext(
    context: str, singular: str, plural: str, num: int, **variables: object
) -> Markup:
    variables.setdefault("num", num)
    return Markup(request_catalogue()[0].unpgettext(context, singular, plural, num)) % variables


def install_in_templates(environment: Environment) -> None:
    environment.newstyle_gettext = True  # how {% trans %} calls them
    environment.globals.update(
        _=template_gettext,
        gettext=template_gettext,
        ngettext=template_ngettext,
        pgettext=template_pgettext,
        npgettext=template_npgettext,
    )
