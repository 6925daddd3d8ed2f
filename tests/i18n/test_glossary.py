"""The French and Spanish catalogues use one term per concept, and French typography.

`translations/glossary.csv` has one row per concept (columns term, en, fr, es, note). In the
en, fr and es cells, "|" separates accepted forms; the first is the term itself.

- English forms are matched in every msgid as whole words, case-insensitively, with their
  plural ("outcome" finds "Outcomes", "country" finds "countries"; a hyphen may join the
  words: "data quality" finds "Data-quality").
- A French or Spanish form is found in a msgstr when each of its words, in order, starts a
  word there, case-insensitively: the form is a stem, so "effet" accepts "effets",
  "valeur de référence" accepts "valeurs de référence" and "país" accepts "países". Forms
  that inflect at the stem itself are listed ("región|regiones"); "…" stands for one or
  two words ("domaine … du Plan stratégique" accepts "Domaine D1 du Plan stratégique").

Every msgid (singular and plural) that contains the English term must have a translation
containing one of the row's forms, unless EXCEPTIONS names it with the reason: the English
word used in another sense. Placeholders and markup are left out of both sides, and so is
text the English quotes (“country”, a parameter's name) that the translation keeps as it is.

French typography: apostrophes are ’ (U+2019), and : ; ? ! and the inside of « » have a
narrow no-break space (U+202F), outside markup, URLs and placeholders. Spanish questions
and exclamations open with ¿ and ¡.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from portal.config import PROJECT_ROOT
from portal.i18n import formatting

GLOSSARY = PROJECT_ROOT / "translations" / "glossary.csv"
LANGUAGES = ("fr", "es")
COLUMNS = ["term", "en", "fr", "es", "note"]

# term → {msgid: why the English word is used there in another sense}. Keep it short.
EXCEPTIONS: dict[str, dict[str, str]] = {
    "actual": {
        "%(date)s (actual)": "an activity's actual start or end date, not an indicator's value",
    },
    "country": {
        "IATI Validator rule 9.50.1 (the Country codelist).": "the codelist's name, “Country”",
    },
    "region": {
        "IATI Validator rule 9.51.1 (the Region codelist).": "the codelist's name, “Region”",
    },
}

PLACEHOLDER = re.compile(
    r"%(?:\([^)]*\))?[-#0+]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa]"
    r"|\{[A-Za-z_][\w.]*\}"
)
MARKUP = re.compile(r"<[^<>]*>")
URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)
SPACES = "[\\s\u00a0\u202f]+"
GAP = "(?:[\\s\u00a0\u202f]+\\S+){1,2}"  # "…" in a form: one or two words
QUOTED = re.compile('“([^”]*)”|‘([^’]*)’|"([^"]*)"')
NNBSP = "\u202f"


@dataclass(frozen=True)
class Row:
    term: str
    en: tuple[str, ...]
    forms: dict[str, tuple[str, ...]]
    note: str


@cache
def glossary() -> tuple[Row, ...]:
    with GLOSSARY.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        assert reader.fieldnames == COLUMNS, f"{GLOSSARY.name} columns: {reader.fieldnames}"
        return tuple(
            Row(
                term=line["term"],
                en=_forms(line["en"]),
                forms={lang: _forms(line[lang]) for lang in LANGUAGES},
                note=line["note"],
            )
            for line in reader
        )


def _forms(cell: str) -> tuple[str, ...]:
    return tuple(form.strip() for form in cell.split("|") if form.strip())


@cache
def catalogue(lang: str) -> Catalog:
    path = PROJECT_ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as file:
        return read_po(file)


def pairs(message: Message) -> Iterator[tuple[str, str]]:
    """(English, translation) for each form: msgid with msgstr[0], the plural with the rest."""
    if message.pluralizable:
        singular, plural = message.id
        for index, form in enumerate(message.string):
            yield (singular if index == 0 else plural), form
    else:
        yield message.id, message.string


def msgid_of(message: Message) -> str:
    return message.id[0] if message.pluralizable else message.id


def plain(text: str) -> str:
    """The text without markup, URLs and placeholders (each left as a neutral X)."""
    text = unicodedata.normalize("NFC", text)
    return PLACEHOLDER.sub("X", URL.sub("X", MARKUP.sub("", text)))


def _english_word(word: str, last: bool) -> str:
    escaped = re.escape(word)
    if not last or not word[-1].isalpha():
        return escaped
    if re.search(r"[^aeiou]y$", word, re.IGNORECASE):
        return re.escape(word[:-1]) + "(?:y|ies)"
    if re.search(r"(?:s|x|ch|sh)$", word, re.IGNORECASE):
        return escaped + "(?:es)?"
    return escaped + "s?"


@cache
def english_pattern(forms: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = []
    for form in forms:
        words = form.split()
        joined = "[\\s\u00a0-]+".join(
            _english_word(word, index == len(words) - 1) for index, word in enumerate(words)
        )
        alternatives.append(joined)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?![\w])", re.IGNORECASE)


@cache
def translated_pattern(forms: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = []
    for form in forms:
        pattern = ""
        for word in unicodedata.normalize("NFC", form).split():
            if word == "…":
                pattern += GAP
            else:
                pattern += (SPACES if pattern else "") + re.escape(word) + r"\w*"
        alternatives.append(pattern)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


def without_kept_quotes(source: str, translation: str) -> str:
    """The English without the quoted text that the translation keeps untranslated."""

    def drop(match: re.Match[str]) -> str:
        quoted = next(group for group in match.groups() if group is not None)
        return "X" if quoted and quoted in translation else match[0]

    return QUOTED.sub(drop, source)


def inconsistencies(row: Row, lang: str) -> list[str]:
    """Each translation of an English text with the row's term that lacks the row's term."""
    wanted = translated_pattern(row.forms[lang])
    english = english_pattern(row.en)
    excepted = EXCEPTIONS.get(row.term, {})
    found = []
    for message in catalogue(lang):
        if not message.id or msgid_of(message) in excepted:
            continue
        for source, translation in pairs(message):
            source = without_kept_quotes(plain(source), plain(translation))
            if english.search(source) and not wanted.search(plain(translation)):
                found.append(f"{source!r}\n    → {translation!r}")
                break
    return found


def test_the_glossary_has_one_row_per_concept():
    rows = glossary()
    assert 20 <= len(rows) <= 40
    terms = [row.term.casefold() for row in rows]
    assert len(set(terms)) == len(terms), "a concept is listed twice"
    for row in rows:
        assert row.en and all(row.forms.values()), f"{row.term}: a language has no term"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("row", glossary(), ids=lambda row: row.term)
def test_every_translation_uses_the_glossary_term(row, lang):
    found = inconsistencies(row, lang)
    assert not found, (
        f"{lang}: {len(found)} translation(s) of “{row.en[0]}” without "
        f"“{row.forms[lang][0]}” (translations/glossary.csv; or add an exception with the "
        "reason to EXCEPTIONS):\n  " + "\n  ".join(found)
    )


def test_every_exception_is_still_needed():
    """An exception names a msgid that contains the English term, and that a language
    translates without the glossary's term (else it is not needed any more)."""
    rows = {row.term: row for row in glossary()}
    for term, messages in EXCEPTIONS.items():
        assert term in rows, f"EXCEPTIONS names {term!r}, which the glossary does not list"
        row = rows[term]
        for msgid, reason in messages.items():
            assert reason
            assert english_pattern(row.en).search(plain(msgid)), f"{term}: {msgid!r} lacks it"
            translations = [
                message.string
                for lang in LANGUAGES
                for message in catalogue(lang)
                if message.id and msgid_of(message) == msgid
            ]
            assert translations, f"{term}: no msgid {msgid!r} any more"
            assert any(
                not translated_pattern(row.forms[lang]).search(plain(str(translation)))
                for lang, translation in zip(LANGUAGES, translations, strict=True)
            ), f"{term}: {msgid!r} uses the glossary's term now; remove the exception"


def test_the_glossary_test_finds_a_wrong_term():
    """The check itself: "fonds reçus" for incoming funds is found, "fonds entrants" is not."""
    row = next(row for row in glossary() if row.term == "incoming funds")
    english, wanted = english_pattern(row.en), translated_pattern(row.forms["fr"])
    assert english.search(plain("Incoming funds by funding partner (%(currency)s)"))
    assert wanted.search("Fonds entrants par partenaire")
    assert not wanted.search("Fonds reçus par partenaire")
    assert not english_pattern(("outcome",)).search("outcomesque")
    assert english_pattern(("country",)).search("two countries")
    assert english_pattern(("data quality",)).search("Data-quality findings")
    assert translated_pattern(("domaine … du Plan stratégique",)).search(
        "Domaine D1 du Plan stratégique"
    )
    assert without_kept_quotes("The parameter “country”", "Le paramètre « country »") == (
        "The parameter X"
    )


def french_texts() -> Iterator[tuple[str, str]]:
    for message in catalogue("fr"):
        if message.id:
            for _source, translation in pairs(message):
                yield msgid_of(message), translation


def typography_problems(text: str) -> list[str]:
    """What French typography wants changed in a msgstr (outside markup, URLs, placeholders)."""
    text = plain(text)
    problems = []
    if "'" in text:
        problems.append("a straight apostrophe (write ’)")
    for match in re.finditer(r"[:;?!]", text):
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if before.isalnum() and after.isalnum():
            continue  # inside a token (a time, a code)
        if before != NNBSP:
            problems.append(f"no narrow no-break space before {match[0]!r}")
    if re.search("«(?!\u202f)", text) or re.search("(?<!\u202f)»", text):
        problems.append("« » without narrow no-break spaces inside")
    if re.search("[\u201c\u201d]", text):
        problems.append("English quotes (write « »)")
    return problems


def test_french_typography():
    found = [
        f"{msgid!r}\n    → {translation!r}: {', '.join(problems)}"
        for msgid, translation in french_texts()
        if (problems := typography_problems(translation))
    ]
    assert not found, f"{len(found)} French translation(s):\n  " + "\n  ".join(found)


def test_the_typography_check_ignores_markup_urls_and_placeholders():
    assert typography_problems("L\u2019API commence \u00e0 <code class='x'>%(root)s</code>.") == []
    assert typography_problems("Voir https://example.org/a?b=c\u202f!") == []
    assert typography_problems("Source : %(source)s") == ["no narrow no-break space before ':'"]
    assert typography_problems("l'effet") == ["a straight apostrophe (write ’)"]


def test_spanish_questions_and_exclamations_open():
    found = []
    for message in catalogue("es"):
        if not message.id:
            continue
        for _source, translation in pairs(message):
            text = plain(translation)
            if text.count("?") > text.count("¿") or text.count("!") > text.count("¡"):
                found.append(repr(translation))
    assert not found, "Spanish without ¿ or ¡:\n  " + "\n  ".join(found)


@pytest.mark.parametrize(
    ("lang", "day", "expected"),
    [
        ("fr", dt.date(2026, 7, 1), "1er juil. 2026"),
        ("fr", dt.date(2026, 2, 11), "11 févr. 2026"),
        ("es", dt.date(2026, 2, 11), "11 feb 2026"),
        ("es", dt.date(2026, 7, 1), "1 jul 2026"),
        ("en", dt.date(2026, 7, 1), "Jul 1, 2026"),
    ],
)
def test_french_writes_the_first_of_the_month_1er(app, lang, day, expected):
    with app.test_request_context(f"/{lang}/"):
        assert formatting.date(day) == expected


def test_1er_only_where_the_day_is_a_lone_number(app):
    with app.test_request_context("/fr/"):
        assert formatting.date(dt.date(2026, 7, 1), "long") == "1er juillet 2026"
        assert formatting.date(dt.date(2026, 7, 1), "short") == "01/07/2026"
        assert formatting.date(dt.date(2026, 7, 1), "d 'de' MMMM") == "1er de juillet"
