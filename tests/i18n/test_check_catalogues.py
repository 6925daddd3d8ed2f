"""`make check-translations` fails on a stale .pot, untranslated, fuzzy or broken catalogues."""

from __future__ import annotations

import shlex
import textwrap
from pathlib import Path

import pytest

from portal.config import PROJECT_ROOT
from portal.i18n import check_catalogues

FRENCH_HEADER = """\
msgid ""
msgstr ""
"Language: fr\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

"""

TEMPLATE = """\
msgid "Home"
msgstr ""

#, python-format
msgid "%(n)s outcome"
msgid_plural "%(n)s outcomes"
msgstr[0] ""
msgstr[1] ""

msgctxt "result type"
msgid "Output"
msgstr ""

msgid "Original in {language}"
msgstr ""
"""

FRENCH = """\
msgid "Home"
msgstr "Accueil"

#, python-format
msgid "%(n)s outcome"
msgid_plural "%(n)s outcomes"
msgstr[0] "%(n)s effet"
msgstr[1] "%(n)s effets"

msgctxt "result type"
msgid "Output"
msgstr "Extrant"

msgid "Original in {language}"
msgstr "Original en {language}"
"""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture
def project(tmp_path) -> Path:
    """A tiny project whose code, templates and catalogues agree."""
    _write(tmp_path / "babel.cfg", (PROJECT_ROOT / "babel.cfg").read_text())
    _write(
        tmp_path / "portal" / "pages.py",
        """\
        from flask_babel import gettext as _
        from flask_babel import lazy_pgettext

        OUTPUT = lazy_pgettext("result type", "Output")


        def title():
            return _("Home")
        """,
    )
    _write(
        tmp_path / "templates" / "_macros" / "counts.html",
        """\
        {% trans count=n %}{{ n }} outcome{% pluralize %}{{ n }} outcomes{% endtrans %}
        {{ _("Original in {language}") }}
        """,
    )
    _write(tmp_path / "translations" / "messages.pot", TEMPLATE)
    _write(tmp_path / "translations" / "fr" / "LC_MESSAGES" / "messages.po", FRENCH_HEADER + FRENCH)
    return tmp_path


def _french(project: Path, text: str) -> None:
    path = project / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
    path.write_text(FRENCH_HEADER + text, encoding="utf-8")


def _problems(project: Path) -> list[str]:
    return [str(problem) for problem in check_catalogues.check(project, ["fr"])]


def test_complete_catalogues_pass(project, capsys):
    assert _problems(project) == []
    assert check_catalogues.main(["--root", str(project), "--languages", "fr"]) == 0
    assert "fr: 4 messages translated" in capsys.readouterr().out


def test_a_new_string_in_the_code_makes_the_template_stale(project, capsys):
    pages = project / "portal" / "pages.py"
    pages.write_text(pages.read_text() + '\n\ndef subtitle():\n    return _("Countries")\n')
    assert _problems(project) == [
        "translations/messages.pot: missing 'Countries' (used in the code; "
        "run make extract-translations)"
    ]
    assert check_catalogues.main(["--root", str(project), "--languages", "fr"]) == 1
    assert "1 translation problem(s)." in capsys.readouterr().err


def test_a_removed_string_makes_the_template_stale(project):
    pages = project / "portal" / "pages.py"
    pages.write_text(pages.read_text().replace('_("Home")', '"Home"'))
    problems = _problems(project)
    assert "translations/messages.pot: stale 'Home' (no longer used; " in problems[0]
    # The French catalogue still follows the committed template, so only the .pot is reported.
    assert len(problems) == 1


def test_strings_in_macro_directories_are_extracted(project):
    """Babel skips directories starting with "_" by default; templates/_macros must count."""
    macros = project / "templates" / "_macros" / "counts.html"
    macros.write_text(macros.read_text() + '{{ _("Sample data.") }}\n')
    assert any("missing 'Sample data.'" in problem for problem in _problems(project))


def test_untranslated_message_fails(project):
    _french(project, FRENCH.replace('msgstr "Accueil"', 'msgstr ""'))
    assert _problems(project) == ["translations/fr/LC_MESSAGES/messages.po: untranslated 'Home'"]


def test_missing_plural_form_fails(project):
    _french(project, FRENCH.replace('msgstr[1] "%(n)s effets"', 'msgstr[1] ""'))
    assert _problems(project) == [
        "translations/fr/LC_MESSAGES/messages.po: untranslated '%(n)s outcome'"
    ]


def test_fuzzy_message_fails(project):
    _french(project, FRENCH.replace('msgid "Home"', '#, fuzzy\nmsgid "Home"'))
    assert _problems(project) == ["translations/fr/LC_MESSAGES/messages.po: fuzzy 'Home'"]


def test_message_missing_from_the_catalogue_fails(project):
    _french(project, FRENCH.replace('msgid "Home"\nmsgstr "Accueil"\n', ""))
    assert _problems(project) == [
        "translations/fr/LC_MESSAGES/messages.po: missing 'Home' (run make update-translations)"
    ]


def test_obsolete_entry_fails(project):
    _french(project, FRENCH + '\n#~ msgid "Countries"\n#~ msgstr "Pays"\n')
    assert _problems(project) == [
        "translations/fr/LC_MESSAGES/messages.po: obsolete entry 'Countries' "
        "(run make update-translations)"
    ]


def test_renamed_percent_placeholder_fails(project):
    _french(project, FRENCH.replace('msgstr[1] "%(n)s effets"', 'msgstr[1] "%(count)s effets"'))
    assert _problems(project) == [
        "translations/fr/LC_MESSAGES/messages.po: placeholders differ in '%(n)s outcome' "
        "msgstr[1]: msgid has %(n)s, msgstr has %(count)s"
    ]


def test_dropped_brace_placeholder_fails(project):
    _french(project, FRENCH.replace('"Original en {language}"', '"Original en anglais"'))
    assert _problems(project) == [
        "translations/fr/LC_MESSAGES/messages.po: placeholders differ in "
        "'Original in {language}': msgid has {language}, msgstr has none"
    ]


def test_percent_sign_where_the_source_has_none_fails(project):
    """Jinja formats every template string with %, so a bare "%" would crash the page."""
    _french(project, FRENCH.replace('msgstr "Accueil"', 'msgstr "Accueil 100 %"'))
    problems = _problems(project)
    assert len(problems) == 1
    assert "% in 'Home' whose msgid has none" in problems[0]


def test_fuzzy_header_fails(project):
    _french(project, FRENCH)
    path = project / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
    path.write_text("#, fuzzy\n" + path.read_text(), encoding="utf-8")
    assert _problems(project) == [
        "translations/fr/LC_MESSAGES/messages.po: the header is marked fuzzy "
        "(pybabel compile skips it)"
    ]


def test_missing_catalogue_fails(project):
    assert [str(problem) for problem in check_catalogues.check(project, ["fr", "es"])] == [
        "translations/es/LC_MESSAGES/messages.po: missing (run make update-translations)"
    ]


def test_placeholders_are_counted_and_percent_literals_ignored():
    found = check_catalogues.placeholders("%(n)s of %(n)s, {name} and 50%% of {{literal}} %d")
    assert found == {"%(n)s": 2, "{name}": 1, "%d": 1}


def test_makefile_extracts_with_the_checkers_options():
    """The check re-extracts exactly as `make extract-translations` does."""
    makefile = (PROJECT_ROOT / "Makefile").read_text().replace("\\\n", " ")
    recipe = next(
        line for line in makefile.splitlines() if "pybabel extract" in line and "$(POT)" in line
    )
    arguments = shlex.split(recipe.replace("$(BIN)/pybabel", "pybabel").replace("$(POT)", "POT"))
    keywords = tuple(arguments[index + 1] for index, flag in enumerate(arguments) if flag == "-k")
    options = tuple(argument for argument in arguments if argument.startswith("--"))
    assert keywords == check_catalogues.EXTRACT_KEYWORDS
    assert sorted(options) == sorted(check_catalogues.EXTRACT_OPTIONS)
    assert arguments[arguments.index("-F") + 1] == check_catalogues.MAPPING_FILE


def test_make_test_runs_the_translation_check():
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    test_rule = next(line for line in makefile.splitlines() if line.startswith("test:"))
    assert "check-translations" in test_rule.split(":", 1)[1].split()
