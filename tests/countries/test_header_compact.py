"""The country header, compact (issue 17.3): each fact a short label and value; what it means,
its source and its year folded under an ⓘ that names the figure; data-quality flags stay
beside the value, never folded."""

from __future__ import annotations

import pytest

from countries import factories
from outcomes.reading import soup_of, text_of

LABELS = [
    "Region",
    "Current plan period",
    "Income classification",
    "Least Developed Country",
    "Gender Inequality Index",
    "Gender Development Index",
    "Population",
]


def header_facts(client, path: str = "/en/countries/MLI/") -> dict[str, object]:
    header = soup_of(client.get(path)).select_one(".country-header")
    (facts,) = header.select("dl.facts")
    return {text_of(fact.dt): fact for fact in facts.select(":scope > .fact")}


def test_each_fact_is_a_label_and_a_value_with_its_explanation_folded(client, db_session):
    factories.country_with_outcomes(db_session, outcome_count=1)
    facts = header_facts(client)
    assert list(facts) == LABELS
    for label, fact in facts.items():
        (value,) = fact.dd.select(":scope > .fact__value")
        assert text_of(value)
        (about,) = fact.dd.select(":scope > details.fact__about")
        assert not about.has_attr("open")  # folded until asked for
        # The button names the figure for screen readers; its explanation is inside.
        assert text_of(about.summary) == f"i About this figure: {label}"
        assert about.summary.select_one("[aria-hidden=true]").get_text() == "i"
        assert text_of(about.select_one(".fact__about-text p"))
        # Nothing else in the value's cell: no source line, no explanation, unfolded.
        assert fact.dd.select(":scope > .fact__source, :scope > p") == []


def test_the_source_and_year_are_in_the_folded_part(client, db_session):
    factories.country_with_outcomes(db_session, outcome_count=1)
    facts = header_facts(client)
    source = facts["Gender Inequality Index"].select_one("details .fact__source")
    assert " ".join(source.get_text().split()) == "Source: UNDP HDR 2023/24, 2022"
    # A missing figure has an explanation but no source.
    factories.country_with_outcomes(
        db_session, "SEN", "SN", "Senegal", outcome_count=1, with_facts=False
    )
    missing = header_facts(client, "/en/countries/SEN/")["Gender Inequality Index"]
    assert text_of(missing.select_one(".fact__value")) == "Not available"
    assert missing.select_one("details .fact__about-text p") is not None
    assert missing.select_one(".fact__source") is None


def test_the_long_values_take_a_whole_row_the_others_share_one(client, db_session):
    factories.country_with_outcomes(db_session, outcome_count=1)
    facts = header_facts(client)
    wide = [label for label, fact in facts.items() if "fact--wide" in fact["class"]]
    assert wide == ["Region", "Population"]
    assert "facts--compact" in facts["Region"].parent["class"]


def test_quality_flags_stay_beside_the_value(client, sample_data):
    facts = header_facts(client, "/en/countries/SEN/")
    population = facts["Population"]
    (flag,) = population.select(".quality-flag")
    assert flag.find_parent("details", class_="fact__about") is None
    assert flag.find_previous_sibling(class_="fact__value") is not None


@pytest.mark.parametrize(
    ("lang", "about"), [("en", "About this figure"), ("fr", "À propos de ce chiffre")]
)
def test_the_buttons_name_is_translated(client, db_session, lang, about):
    factories.country_with_outcomes(db_session, outcome_count=1)
    header = soup_of(client.get(f"/{lang}/countries/MLI/")).select_one(".country-header")
    names = [text_of(summary) for summary in header.select("details.fact__about > summary")]
    assert len(names) == len(LABELS)
    assert all(about in name for name in names)
