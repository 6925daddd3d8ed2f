"""Codes, places, languages and publisher narratives in the visitor's language."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import render_template_string

from portal.i18n import formatting, labels

NARRATIVE = '{% from "_macros/narrative.html" import narrative %}{{ narrative(texts, lang) }}'
BLOCK_NARRATIVE = (
    '{% from "_macros/narrative.html" import narrative %}{{ narrative(texts, lang, block=True) }}'
)


@pytest.fixture
def in_language(app):
    """Run the body as if the visitor were on /<lang>/."""

    def enter(lang: str):
        return app.test_request_context(f"/{lang}/")

    return enter


@pytest.mark.parametrize(
    ("lang", "output", "outcome"),
    [("en", "Output", "Outcome"), ("fr", "Extrant", "Effet"), ("es", "Producto", "Efecto")],
)
def test_result_types_use_the_iati_terms(in_language, lang, output, outcome):
    with in_language(lang):
        assert labels.result_type_label("1") == output
        assert labels.result_type_label(2) == outcome


def test_labels_of_each_code_list(in_language):
    with in_language("fr"):
        assert labels.transaction_type_label("4") == "Dépenses"
        assert labels.transaction_type_label("11") == "Engagement entrant"
        assert labels.organisation_role_label("1") == "Financement"
        assert labels.activity_status_label("2") == "En cours de mise en œuvre"
        assert labels.budget_type_label("2") == "Révisé"
        assert labels.budget_status_label("2") == "Engagé"
        assert labels.indicator_measure_label("2") == "Pourcentage"
    with in_language("es"):
        assert labels.transaction_type_label("3") == "Desembolso"
        assert labels.organisation_role_label("4") == "Ejecución"


def test_unknown_codes_are_shown_as_published(in_language):
    with in_language("fr"):
        assert labels.result_type_label("7") == "7"
        assert labels.transaction_type_label(None) == ""


@pytest.mark.parametrize(
    "value", ["LM", "lm", "Lower middle income", "Lower middle", "lower-middle"]
)
def test_income_group_from_codes_or_spelled_out_names(in_language, value):
    with in_language("es"):
        assert labels.income_group_label(value) == "Ingreso mediano bajo"


def test_unrecognised_income_group_is_shown_as_given(in_language):
    with in_language("fr"):
        assert labels.income_group_label("NA") == "NA"
        assert labels.income_group_label(None) == ""


@pytest.mark.parametrize(
    ("lang", "code", "name"),
    [
        ("fr", "002", "Afrique"),
        ("fr", "2", "Afrique"),
        ("es", "419", "América Latina y el Caribe"),  # the UN's term, not CLDR's Latinoamérica
        ("fr", "011", "Afrique occidentale"),
        ("en", "419", "Latin America and the Caribbean"),
    ],
)
def test_m49_area_names_in_the_visitors_language(in_language, lang, code, name):
    with in_language(lang):
        assert formatting.region_name(code) == name


def test_region_name_falls_back_for_unknown_codes(in_language):
    with in_language("fr"):
        assert formatting.region_name("998", "Somewhere") == "Somewhere"
        assert formatting.region_name(None) == ""


def test_kosovo_has_a_name(in_language):
    with in_language("es"):
        assert formatting.territory_name("xk") == "Kosovo"


def test_language_names_in_the_visitors_language(in_language):
    with in_language("fr"):
        assert formatting.language_name("EN") == "anglais"
        assert formatting.language_name("pt-BR") == "portugais"
        assert formatting.language_name("qqq") is None


def _render(template: str, texts, default_lang: str | None = "en") -> BeautifulSoup:
    return BeautifulSoup(
        render_template_string(template, texts=texts, lang=default_lang), "html.parser"
    )


def test_narrative_in_the_visitors_language_needs_no_note(in_language):
    with in_language("fr"):
        soup = _render(NARRATIVE, {"EN": "Women lead", "FR": "Les femmes dirigent"})
    assert soup.get_text() == "Les femmes dirigent"
    assert soup.find(attrs={"lang": True}) is None


def test_original_narrative_is_marked_with_its_language_and_a_note(in_language):
    with in_language("fr"):
        soup = _render(NARRATIVE, {"EN": "Women lead"})
    original = soup.find(attrs={"lang": True})
    assert original["lang"] == "en"
    assert original.get_text() == "Women lead"
    note = soup.find(class_="narrative__note")
    assert note.get_text() == "(Original en anglais)"
    assert note.find_parent(attrs={"lang": True}) is None


def test_spanish_visitor_reading_french_original(in_language):
    with in_language("es"):
        soup = _render(NARRATIVE, {"fr": "Les femmes dirigent", "pt": "As mulheres lideram"}, "FR")
    assert soup.find(attrs={"lang": True})["lang"] == "fr"
    assert soup.find(class_="narrative__note").get_text() == "(Original en francés)"


def test_block_narrative_uses_paragraphs(in_language):
    with in_language("es"):
        soup = _render(BLOCK_NARRATIVE, {"en": "A long report."})
    assert soup.div.p["lang"] == "en"
    assert soup.find("p", class_="narrative__note").get_text() == "(Original en inglés)"


def test_original_in_a_language_cldr_does_not_name(in_language):
    with in_language("fr"):
        soup = _render(NARRATIVE, {"qqq": "Text"}, None)
    assert soup.find(attrs={"lang": True})["lang"] == "qqq"
    assert soup.find(class_="narrative__note").get_text() == "(Original dans une autre langue)"


def test_narrative_in_an_undetermined_language_has_no_note(in_language):
    with in_language("en"):
        soup = _render(NARRATIVE, {"und": "Texte"}, None)
    assert soup.find(attrs={"lang": True})["lang"] == "und"
    assert soup.find(class_="narrative__note") is None


@pytest.mark.parametrize("texts", [{}, None, {"en": "  "}])
def test_no_narrative_renders_nothing(in_language, texts):
    with in_language("fr"):
        assert render_template_string(NARRATIVE, texts=texts, lang="en") == ""


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "209,497,025"), ("fr", "209\u202f497\u202f025"), ("es", "209.497.025")],
)
def test_numbers_grouped_as_the_locale_writes_them(in_language, lang, expected):
    with in_language(lang):
        assert formatting.number(209497025) == expected


@pytest.mark.parametrize(
    ("lang", "expected"), [("en", "50.5%"), ("fr", "50,5\u00a0%"), ("es", "50,5\u00a0%")]
)
def test_percentages_keep_the_locales_spacing(in_language, lang, expected):
    with in_language(lang):
        assert formatting.percent(0.505) == expected
