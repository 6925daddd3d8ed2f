"""Issue 18: a publisher's Arabic, Russian and Chinese texts show on their own language's pages
as interface text does, and on every other language's pages as the original, marked with its
`lang` and its direction (`dir`) and labelled as a text in another language. An activity
whose title is given in all six languages shows each page its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from portal.config import SUPPORTED_LANGUAGES
from portal.iati.importer import import_sources

FIXTURE = Path(__file__).parent / "fixtures" / "iati-ar-ru-zh.xml"

# identifier → (the language of its texts, its title, its direction), as the fixture writes them.
ONE_LANGUAGE = {
    "XM-TEST-UN6-JOR-1": ("ar", "تمكين المرأة اقتصاديًا في الأردن", "rtl"),
    "XM-TEST-UN6-KGZ-1": (
        "ru",
        "Расширение экономических прав и возможностей женщин в Кыргызстане",
        "ltr",
    ),
    "XM-TEST-UN6-CHN-1": ("zh", "增强中国妇女的经济权能", "ltr"),
}
EVERY_LANGUAGE = "XM-TEST-UN6-EGY-1"
EGYPT_TITLES = {
    "en": "Women's economic empowerment in Egypt",
    "ar": "تمكين المرأة اقتصاديًا في مصر",
    "zh": "增强埃及妇女的经济权能",
    "fr": "Autonomisation économique des femmes en Égypte",
    "ru": "Расширение экономических прав и возможностей женщин в Египте",
    "es": "Empoderamiento económico de las mujeres en Egipto",
}
PAGE_DIRECTION = {"ar": "rtl"}


@pytest.fixture
def narratives(db_session):
    import_sources(db_session, [str(FIXTURE)])
    db_session.flush()


def _title(client, lang: str, identifier: str):
    response = client.get(f"/{lang}/outcomes/{identifier}")
    assert response.status_code == 200, (lang, identifier)
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.html["dir"] == PAGE_DIRECTION.get(lang, "ltr")
    return page.select_one("main h1")


@pytest.mark.parametrize("identifier", sorted(ONE_LANGUAGE))
def test_a_text_in_one_language_shows_in_it_and_as_a_labelled_original_elsewhere(
    client, narratives, identifier
):
    text_lang, text, direction = ONE_LANGUAGE[identifier]
    for lang in SUPPORTED_LANGUAGES:
        heading = _title(client, lang, identifier)
        original = heading.select_one(".narrative--original [lang]")
        if lang == text_lang:
            # In the page's own language: plain interface-like text, no marking, no note.
            assert original is None, (lang, heading)
            assert " ".join(heading.get_text(" ").split()) == text
        else:
            assert original is not None, (lang, heading)
            assert original.get_text() == text
            assert original["lang"] == text_lang
            assert original["dir"] == direction, (lang, original)
            note = heading.select_one(".narrative__note")
            assert note is not None and note.get_text().strip(), (lang, heading)


def test_a_title_in_every_language_shows_each_page_its_own(client, narratives):
    for lang in SUPPORTED_LANGUAGES:
        heading = _title(client, lang, EVERY_LANGUAGE)
        assert heading.select_one(".narrative--original") is None, (lang, heading)
        assert " ".join(heading.get_text(" ").split()) == EGYPT_TITLES[lang]


def test_the_country_list_of_outcomes_marks_the_original_too(client, narratives):
    """An English text on the Arabic page runs left to right; Arabic on the English page right
    to left; Chinese on the Russian page is marked as Chinese."""
    checks = [
        ("ar", "EGY", None, None),  # the Arabic title exists: shown as the page's own text
        ("en", "JOR", "ar", "rtl"),
        ("ru", "CHN", "zh", "ltr"),
        ("zh", "KGZ", "ru", "ltr"),
    ]
    for lang, iso3, text_lang, direction in checks:
        response = client.get(f"/{lang}/countries/{iso3}/?year=2023")
        assert response.status_code == 200, (lang, iso3)
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        items = page.select("#outcome-list .outcome-list > li")
        assert len(items) == 1, (lang, iso3)
        original = items[0].select_one(".narrative--original [lang]")
        if text_lang is None:
            assert original is None, (lang, iso3)
        else:
            assert (original["lang"], original["dir"]) == (text_lang, direction), (lang, iso3)


def test_an_english_text_on_the_arabic_page_runs_left_to_right(client, db_session):
    """The publisher's English organisation name, on the Arabic outcome page."""
    import_sources(db_session, [str(FIXTURE)])
    db_session.flush()
    response = client.get("/ar/outcomes/XM-TEST-UN6-CHN-1")
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    english = [
        element
        for element in page.select("main [lang='en']")
        if element.get_text().strip() == "Test organisation"
    ]
    assert english, "the publisher's name is shown, marked as English"
    assert all(element["dir"] == "ltr" for element in english)
