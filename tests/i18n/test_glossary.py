"""Every catalogue uses one term per concept, and each language's typography.

`translations/glossary.csv` has one row per concept (columns term, en, fr, es, ar, zh, ru,
note). In the language cells, "|" separates accepted forms; the first is the term itself.
Each language's forms are matched in its msgstrs by its own rule:

- English forms are matched in every msgid as whole words, case-insensitively, with their
  plural ("outcome" finds "Outcomes", "country" finds "countries"; a hyphen may join the
  words: "data quality" finds "Data-quality").
- French, Spanish and Russian (stems): a form is found in a msgstr when each of its words, in
  order, starts a word there, case-insensitively: the form is a stem, so "effet" accepts
  "effets", "valeur de référence" accepts "valeurs de référence" and "país" accepts "países".
  Forms that inflect at the stem itself are listed ("región|regiones"); "…" stands for one or
  two words ("domaine … du Plan stratégique" accepts "Domaine D1 du Plan stratégique").
  Russian inflects its endings, so a Russian cell gives the term in its dictionary form and
  then its stem, each word cut before the ending ("конечный результат|конечн результат"
  accepts "конечного результата" and "конечные результаты").
- Chinese (no spaces between words): a form is found anywhere in the msgstr, as a substring,
  case-insensitively (for Latin letters: "IATI"); "…" stands for one to six characters.
- Arabic (attached prefixes and suffixes): both sides are normalised first — diacritics
  (U+064B–U+0652, U+0670) and tatweel removed; أ إ آ ٱ written ا; ى written ي. Then each word
  of a form, in order and separated by spaces only, must start a word of the msgstr once
  that word's prefixes are set aside: و or ف, then ب ك or ل, then the article ال (ل + ال is
  written لل): "حصيلة" accepts "والحصيلة", "بالحصيلة", "للحصيلة". A word of the form is
  tried with and without its own article (ال, لل, وال …), since ال may be part of the word
  ("التزام"): "الجهة الناشرة" accepts "جهة ناشرة", "التزام" accepts "فالالتزامات". A word
  ending in ة also accepts ات (the feminine plural) and ت before a suffix: "ملاحظة" accepts
  "ملاحظات", and "جهة" accepts "جهته" and "جهاتها". Broken plurals are listed
  ("حصيلة|حصائل"); "…" is one or two words, as above.

Every msgid (singular and plural) that contains the English term must have a translation
containing one of the row's forms, unless EXCEPTIONS names it with the reason: the English
word used in another sense. Placeholders and markup are left out of both sides, and so is
text the English quotes (“country”, a parameter's name) that the translation keeps as it is.

Typography. French: apostrophes are ’ (U+2019), and : ; ? ! and the inside of « » have a
narrow no-break space (U+202F), outside markup, URLs and placeholders. Spanish questions and
exclamations open with ¿ and ¡. Russian quotes with « » (and „ “ inside them), never “ ” or
straight ". Chinese writes full-width ，：；？！（） next to Chinese characters, not their ASCII
forms. Arabic writes ، ؛ ؟ after an Arabic letter, not , ; ?.
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
LANGUAGES = ("fr", "es", "ar", "zh", "ru")
COLUMNS = ["term", "en", *LANGUAGES, "note"]

# term → {msgid: why the English word is used there in another sense}. Keep it short.
EXCEPTIONS: dict[str, dict[str, str]] = {
    "actual": {
        "%(date)s (actual)": "an activity's actual start or end date, not an indicator's value",
    },
    "target": {
        (
            "An outcome belongs to a Strategic Plan area when the publisher classifies it so "
            "(IATI sector vocabulary 99) or names it in its text, for example “related to "
            "SP_D_1.2”, which belongs to area D1. The areas and their codes are the publisher's. "
            "Goals come from the SDG classifications the publisher gives (sector vocabularies 7 "
            "and 8, tag vocabularies 2 and 3; a target such as 5.2 counts for goal 5)."
        ): "an SDG target, which ar, zh and ru call as the UN does («غاية», «具体目标», "
        "«задача»), not an indicator's target value",
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
ZH_GAP = "[^\\s，。；：]{1,6}"  # "…" in a Chinese form: one to six characters
QUOTED = re.compile('“([^”]*)”|‘([^’]*)’|"([^"]*)"')
NNBSP = "\u202f"

# Arabic: what normalisation removes or rewrites, the prefixes a word may carry and the
# article a glossary form may carry (see the module's docstring).
ARABIC_MARKS = re.compile("[\u0640\u064b-\u0652\u0670]")  # tatweel, harakat, dagger alef
ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي"})
ARABIC_PREFIXES = "(?:[وف]?(?:لل|[بك]?ال|[بكل])?)"
ARABIC_ARTICLE = re.compile(r"^[وف]?(?:ال|لل)(?=\w{3})")
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
ARABIC = "\u0621-\u064a"  # the letters


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


def normalised(text: str, lang: str) -> str:
    """The text as a language's forms are matched in it: NFC; Arabic without diacritics and
    tatweel, and with one alef and one final ya (see the module's docstring)."""
    text = unicodedata.normalize("NFC", text)
    if lang == "ar":
        text = ARABIC_MARKS.sub("", text).translate(ARABIC_LETTERS)
    return text


def _arabic_word(word: str) -> str:
    """A word of an Arabic form: with or without its article (ال of "التزام" is no article,
    so both are tried), after any prefixes; a final ة also as ات or ت."""
    stems = []
    for stem in dict.fromkeys((word, ARABIC_ARTICLE.sub("", word))):
        if stem.endswith("ة"):
            stems.append(re.escape(stem[:-1]) + "(?:ة|ات|ت)")
        else:
            stems.append(re.escape(stem))
    return ARABIC_PREFIXES + "(?:" + "|".join(stems) + r")\w*"


@cache
def translated_pattern(forms: tuple[str, ...], lang: str) -> re.Pattern[str]:
    """A language's forms as one pattern, to search for in normalised(plain(msgstr), lang)."""
    alternatives = []
    for form in forms:
        form = normalised(form, lang)
        if lang == "zh":  # a substring; "…" is one to six characters
            parts = (re.escape("".join(part.split())) for part in form.split("…"))
            alternatives.append(ZH_GAP.join(parts))
            continue
        pattern = ""
        for word in form.split():
            if word == "…":
                pattern += GAP
            else:
                stem = _arabic_word(word) if lang == "ar" else re.escape(word) + r"\w*"
                pattern += (SPACES if pattern else "") + stem
        alternatives.append(pattern)
    start = "" if lang == "zh" else r"(?<!\w)"
    return re.compile(start + "(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


def uses_term(forms: tuple[str, ...], lang: str, translation: str) -> bool:
    """Whether a msgstr holds one of a language's forms of a term."""
    return bool(translated_pattern(forms, lang).search(normalised(plain(translation), lang)))


def without_kept_quotes(source: str, translation: str) -> str:
    """The English without the quoted text that the translation keeps untranslated."""

    def drop(match: re.Match[str]) -> str:
        quoted = next(group for group in match.groups() if group is not None)
        return "X" if quoted and quoted in translation else match[0]

    return QUOTED.sub(drop, source)


def inconsistencies(row: Row, lang: str) -> list[str]:
    """Each translation of an English text with the row's term that lacks the row's term."""
    english = english_pattern(row.en)
    excepted = EXCEPTIONS.get(row.term, {})
    found = []
    for message in catalogue(lang):
        if not message.id or msgid_of(message) in excepted:
            continue
        for source, translation in pairs(message):
            source = without_kept_quotes(plain(source), plain(translation))
            if english.search(source) and not uses_term(row.forms[lang], lang, translation):
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
                (lang, translation)
                for lang in LANGUAGES
                for message in catalogue(lang)
                if message.id and msgid_of(message) == msgid
                for _source, translation in pairs(message)
            ]
            assert translations, f"{term}: no msgid {msgid!r} any more"
            assert any(
                not uses_term(row.forms[lang], lang, translation)
                for lang, translation in translations
            ), f"{term}: {msgid!r} uses the glossary's term now; remove the exception"


def test_the_glossary_test_finds_a_wrong_term():
    """The check itself: "fonds reçus" for incoming funds is found, "fonds entrants" is not."""
    row = next(row for row in glossary() if row.term == "incoming funds")
    english = english_pattern(row.en)
    assert english.search(plain("Incoming funds by funding partner (%(currency)s)"))
    assert uses_term(row.forms["fr"], "fr", "Fonds entrants par partenaire")
    assert not uses_term(row.forms["fr"], "fr", "Fonds reçus par partenaire")
    assert not english_pattern(("outcome",)).search("outcomesque")
    assert english_pattern(("country",)).search("two countries")
    assert english_pattern(("data quality",)).search("Data-quality findings")
    assert uses_term(("domaine … du Plan stratégique",), "fr", "Domaine D1 du Plan stratégique")
    assert without_kept_quotes("The parameter “country”", "Le paramètre « country »") == (
        "The parameter X"
    )


def test_the_chinese_arabic_and_russian_rules_find_a_wrong_term():
    """Each language's rule accepts the term as the language writes it, and finds its absence."""
    rows = {row.term: row for row in glossary()}

    def uses(term: str, lang: str, text: str) -> bool:
        return uses_term(rows[term].forms[lang], lang, text)

    # Chinese: a substring, with no word boundaries to look for.
    assert uses("publisher", "zh", "一个发布方在该国的合计数")
    assert not uses("publisher", "zh", "一个出版商在该国的合计数")
    assert uses("funding partner", "zh", "按供资伙伴分列")
    assert not uses("funding partner", "zh", "按资助伙伴分列")
    assert uses_term(("战略计划…领域",), "zh", "战略计划D1领域")
    assert not uses_term(("战略计划…领域",), "zh", "战略计划。领域")
    # Arabic: prefixes (و ب ل ال لل), ة as ات or ت, broken plurals listed, normalised letters.
    assert uses("outcome", "ar", "وبالحصيلة") and uses("outcome", "ar", "للحصيلة")
    assert uses("outcome", "ar", "حصيلتها") and uses("outcome", "ar", "الحصائل")
    assert not uses("outcome", "ar", "النتيجة") and not uses("outcome", "ar", "محصلة")
    assert uses("finding", "ar", "الملاحظات") and not uses("finding", "ar", "الاستنتاجات")
    assert uses("publisher", "ar", "كما نشرته جهته الناشرة") and uses(
        "publisher", "ar", "جهات ناشرة"
    )
    assert not uses("publisher", "ar", "الناشر")
    assert uses("least developed country", "ar", "ضمن أقلّ البلدان نموًا")
    assert uses("least developed country", "ar", "ضمن اقل البلدان نموا")
    assert uses("commitment", "ar", "فالالتزامات") and uses("commitment", "ar", "التزام")
    assert not uses("commitment", "ar", "تعهدات")
    assert uses("Open Results Portal", "ar", "في البوابة المفتوحة للنتائج")
    assert not uses("Open Results Portal", "ar", "في البوابة المفتوحة")
    assert normalised("أُنشِئَت إلى آخره ـ", "ar") == "انشئت الي اخره "
    # Russian: stems, which take the endings of every case and number.
    assert uses("outcome", "ru", "Доля конечного результата")
    assert uses("outcome", "ru", "по конечным результатам")
    assert not uses("outcome", "ru", "Доля результата")
    assert uses("publisher", "ru", "данные публикатора") and not uses("publisher", "ru", "издателя")
    assert uses("incoming funds", "ru", "Полученные от партнера средства")
    assert not uses("incoming funds", "ru", "Поступившие средства")


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


# What Russian, Chinese and Arabic typography wants changed: (pattern, what to write instead).
TYPOGRAPHY: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "ru": ((re.compile('[“”"]'), "quotes « » (and „ “ inside them)"),),
    "zh": (
        # A full stop before a letter or digit starts a file extension (".csv"), not a stop.
        (
            re.compile(f"(?<=[{HAN}])(?:[,:;?!()]|\\.(?![A-Za-z0-9]))|[()](?=[{HAN}])"),
            "full-width ，。：；？！（）",
        ),
    ),
    "ar": ((re.compile(f"(?<=[{ARABIC}])[,;?]"), "، ؛ ؟"),),
}


def local_typography_problems(lang: str, text: str) -> list[str]:
    """What a language's typography wants changed in a msgstr (outside markup, URLs and
    placeholders); Russian quotes inside quotes, „ “, are left alone."""
    text = plain(text)
    if lang == "ru":
        text = re.sub("„[^„“]*“", "", text)
    return [
        f"{match[0]!r}: write {instead}"
        for pattern, instead in TYPOGRAPHY[lang]
        for match in pattern.finditer(text)
    ]


@pytest.mark.parametrize("lang", TYPOGRAPHY)
def test_russian_chinese_and_arabic_typography(lang):
    found = [
        f"{msgid_of(message)!r}\n    → {translation!r}: {', '.join(problems)}"
        for message in catalogue(lang)
        if message.id
        for _source, translation in pairs(message)
        if (problems := local_typography_problems(lang, translation))
    ]
    assert not found, f"{len(found)} translation(s):\n  " + "\n  ".join(found)


def test_the_typography_checks_find_ascii_punctuation_and_english_quotes():
    assert local_typography_problems("ru", "Ключ «%(key)s» и «книга „Итоги“»") == []
    assert local_typography_problems("ru", "Ключ “%(key)s”") != []
    assert local_typography_problems("zh", "区域（IATI）：“Sample data (invented)”。") == []
    assert local_typography_problems("zh", "区域(IATI)") != []
    assert local_typography_problems("zh", "数据质量: %(count)d") != []
    assert local_typography_problems("zh", "在视图地址后加上.csv。") == []
    assert local_typography_problems("zh", "在视图地址后加上后缀.") != []
    assert local_typography_problems("ar", "whole: جهة واحدة، أو البلد؟") == []
    assert local_typography_problems("ar", "البلد, المنطقة") != []
    assert local_typography_problems("ar", "أين البلد?") != []


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
