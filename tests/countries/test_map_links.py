"""Issue 17.4: on the country list, the world map's countries with data are links to their
pages, in the page's language, named as the list names them; the others are not links."""

from __future__ import annotations

import pytest

from countries import factories
from countries.factories import mali
from outcomes.reading import soup_of, text_of


@pytest.fixture
def three_countries_and_france(db_session):
    """Mali, Senegal and Egypt have outcomes (Egypt is "Égypte" in French, first there too);
    France is in the database without any."""
    mali(db_session)
    for iso3, iso2, name in (("SEN", "SN", "Senegal"), ("EGY", "EG", "Egypt")):
        factories.country_with_outcomes(
            db_session, iso3, iso2, name, outcome_count=1, with_money=False, with_facts=False
        )
    factories.country(db_session, "FRA", "FR", "France", region_m49="150")
    db_session.flush()


@pytest.mark.parametrize(
    ("lang", "names"),
    [("en", ["Egypt", "Mali", "Senegal"]), ("fr", ["Égypte", "Mali", "Sénégal"])],
)
def test_countries_with_data_are_links_to_their_pages_in_the_pages_language(
    client, three_countries_and_france, lang, names
):
    page = soup_of(client.get(f"/{lang}/countries/"))
    svg = page.select_one("figure.map svg.world-map")
    links = svg.find_all("a")
    # Tab reaches them in the order of their names, as the list below names them.
    assert [link["aria-label"] for link in links] == names
    hrefs = [link["href"] for link in links]
    assert hrefs == [f"/{lang}/countries/{iso3}/" for iso3 in ("EGY", "MLI", "SEN")]
    for link, iso3 in zip(links, ("EGY", "MLI", "SEN"), strict=True):
        # The link is the country's hatched shape, not an empty hotspot.
        (shape,) = link.select("path.map-country")
        assert shape["data-iso3"] == iso3
        assert "map-country--highlight" in shape["class"]
    listed = {a["href"]: text_of(a) for a in page.select("main .country-list a")}
    assert {href: listed[href] for href in hrefs} == dict(zip(hrefs, names, strict=True))


def test_countries_without_data_are_not_links(client, three_countries_and_france):
    svg = soup_of(client.get("/en/countries/")).select_one("svg.world-map")
    france = svg.find("path", attrs={"data-iso3": "FRA"})
    assert france is not None and france.find_parent("a") is None
    assert "map-country--highlight" not in france["class"]
    linked = {path["data-iso3"] for path in svg.select("a path")}
    assert linked == {"EGY", "MLI", "SEN"}
    assert len(svg.select("path.map-country")) > 150  # the rest of the world, drawn, not linked


def test_a_map_with_links_is_a_named_group_not_an_image(client, three_countries_and_france):
    """role="img" would make the links inside presentational (hidden from screen readers)."""
    page = soup_of(client.get("/en/countries/"))
    svg = page.select_one("svg.world-map")
    assert svg["role"] == "group"
    assert text_of(svg.find("title", id=svg["aria-labelledby"])) == (
        "World map of the countries where the organisation works"
    )
    assert "hatched" in text_of(svg.find("desc", id=svg["aria-describedby"]))
    caption = text_of(page.select_one("figure.map figcaption"))
    assert caption.endswith("Select a hatched country to open its page.")
