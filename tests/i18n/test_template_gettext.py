"""The templates' gettext functions (portal.i18n.catalogue) write what Jinja's own would.

They replace Jinja's "newstyle" wrappers for speed; each template below is rendered by the
portal's environment and by a reference environment with Jinja's wrappers over the same
catalogue, and the two must agree to the character, in every language.
"""

from __future__ import annotations

import pytest
from jinja2 import Environment

from portal.config import SUPPORTED_LANGUAGES
from portal.i18n.catalogue import request_catalogue

TEMPLATES = [
    '{{ _("Open Results Portal") }}',
    '{{ gettext("Year: %(year)s", year=2024) }}',
    '{{ _("Year: %(year)s", year="<b>2024</b>") }}',
    '{{ _("Not in the catalogue & <em>as written</em>, 100%% sure") }}',
    "{% trans %}Skip to main content{% endtrans %}",
    '{% trans name="<i>x</i>" %}Hello {{ name }}, 50%{% endtrans %}',
    '{{ ngettext("Imported %(num)d codelist.", "Imported %(num)d codelists.", 1) }}',
    '{{ ngettext("Imported %(num)d codelist.", "Imported %(num)d codelists.", 3) }}',
    "{% trans num=5 %}Imported {{ num }} codelist.{% pluralize %}"
    "Imported {{ num }} codelists.{% endtrans %}",
    '{{ pgettext("file size", "small") }}',
    '{{ npgettext("file size", "%(num)d file", "%(num)d files", 2) }}',
]


def _reference_environment() -> Environment:
    """Jinja's i18n extension with its own newstyle wrappers, over the request's catalogue."""
    environment = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    environment.policies["ext.i18n.trimmed"] = True
    translations = request_catalogue()[0]
    environment.install_gettext_callables(
        gettext=translations.ugettext,
        ngettext=translations.ungettext,
        newstyle=True,
        pgettext=translations.upgettext,
        npgettext=translations.unpgettext,
    )
    return environment


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_templates_translate_as_jinja_would(app, lang):
    with app.test_request_context(f"/{lang}/"):
        app.preprocess_request()
        reference = _reference_environment()
        for source in TEMPLATES:
            # Inside a block, where Jinja's wrappers copy the context on each call.
            wrapped = "{% block body %}" + source + "{% endblock %}"
            ours = app.jinja_env.from_string(wrapped).render()
            expected = reference.from_string(wrapped).render()
            assert ours == expected, source


def test_french_page_strings_are_translated(app):
    with app.test_request_context("/fr/"):
        app.preprocess_request()
        rendered = app.jinja_env.from_string(
            '{{ ngettext("Imported %(num)d codelist.", "Imported %(num)d codelists.", 3) }}'
        ).render()
    assert rendered == "3 listes de codes importées."
