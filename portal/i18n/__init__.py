"""Language from the URL prefix (/en/, /ar/, /zh/, /fr/, /ru/, /es/), and links that keep it."""

from __future__ import annotations

import functools
from collections.abc import Mapping

from flask import Flask, abort, current_app, g, request, url_for
from werkzeug.routing import Map

from portal import links
from portal.config import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from portal.extensions import babel
from portal.i18n import catalogue, formatting, labels

RIGHT_TO_LEFT = {"ar", "arc", "dv", "fa", "ha", "he", "khw", "ks", "ku", "ps", "sd", "ur", "yi"}
# The BCP 47 tag a language's pages declare where it says more than the URL prefix: the
# portal's Chinese is written in simplified characters.
LANGUAGE_TAGS = {"zh": "zh-Hans"}


def preferred_language() -> str:
    """The language in the URL, else the best match for the browser's Accept-Language."""
    lang = getattr(g, "lang", None)
    if lang:
        return lang
    if not request:
        return DEFAULT_LANGUAGE
    # An error page for an unknown address still speaks the language of its prefix.
    prefix = request.path.strip("/").split("/", 1)[0]
    if prefix in SUPPORTED_LANGUAGES:
        return prefix
    return request.accept_languages.best_match(SUPPORTED_LANGUAGES) or DEFAULT_LANGUAGE


def text_direction(lang: str | None) -> str:
    """ "rtl" for a language written right to left ("ar", "ar-EG", "FA"), else "ltr"."""
    primary = (lang or "").replace("_", "-").split("-", 1)[0].strip().lower()
    return "rtl" if primary in RIGHT_TO_LEFT else "ltr"


def language_tag(lang: str) -> str:
    """The tag of a supported language in `lang` and `hreflang` ("zh" → "zh-Hans")."""
    return LANGUAGE_TAGS.get(lang, lang)


def _url_in_language(lang: str, query: Mapping[str, str] | None = None) -> str:
    """The current page in another language, with the query names the portal accepts and
    `query`: what the view itself read and checked (the search's words)."""
    endpoint = request.endpoint
    if not endpoint or request.view_args is None or "lang" not in _endpoint_arguments(endpoint):
        return url_for("home.index", lang=lang)
    return links.this_page_url(lang=lang, **(query or {}))


def this_page_in_languages(query: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(language, address) of the current page in each supported language; `query`, the
    view's own checked values, is kept in each (never the request's arguments unchecked)."""
    return [(lang, _url_in_language(lang, query)) for lang in SUPPORTED_LANGUAGES]


def _endpoint_arguments(endpoint: str) -> frozenset[str]:
    return _arguments_of(current_app.url_map, endpoint)


@functools.lru_cache(maxsize=512)
def _arguments_of(url_map: Map, endpoint: str) -> frozenset[str]:
    """The arguments of an endpoint's rules (the map does not change once serving)."""
    return frozenset(
        argument for rule in url_map.iter_rules(endpoint) for argument in rule.arguments
    )


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=preferred_language,
        default_translation_directories=str(app.config["TRANSLATIONS_DIR"]),
    )
    # The templates' _(), gettext() and {% trans %}: as Flask-Babel's, from the request's
    # catalogue looked up once (portal.i18n.catalogue).
    catalogue.install_in_templates(app.jinja_env)
    # Names the templates need in the visitor's language: regions, languages, narratives,
    # and our own labels for the codes the interface names (result types, roles…).
    app.jinja_env.filters.update(
        region_name=formatting.region_name,
        language_name=formatting.language_name,
        language_tag=language_tag,
        text_direction=text_direction,
        same_language=formatting.same_language,
        pick_narrative=formatting.pick_narrative,
        **labels.JINJA_FILTERS,
    )

    @app.url_value_preprocessor
    def take_language_from_url(endpoint, values):
        # Each request chooses its language afresh, even when requests share an application
        # context (tests do): Flask-Babel caches the locale in `g`.
        g.pop("lang", None)
        catalogue.refresh()
        if values and "lang" in values:
            lang = values.pop("lang")
            if lang not in SUPPORTED_LANGUAGES:
                abort(404)
            g.lang = lang

    @app.url_defaults
    def keep_language_in_links(endpoint, values):
        if "lang" in values:
            return
        if "lang" in _endpoint_arguments(endpoint):
            values["lang"] = preferred_language()

    @app.context_processor
    def language_context():
        lang = preferred_language()
        return {
            "current_language": lang,
            "current_language_tag": language_tag(lang),
            "text_direction": text_direction(lang),
            "this_page_in_languages": this_page_in_languages,
        }
