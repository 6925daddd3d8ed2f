"""Issue 17.7: every page tells search engines what it is (a description in its language), its
own address and its address in each language, all absolute."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from countries import factories
from portal.config import SUPPORTED_LANGUAGES
from portal.iati.narratives import Narratives
from quality.page_checker import page_language_tag

OTHER_LANGUAGES = [lang for lang in SUPPORTED_LANGUAGES if lang != "en"]
MALI_OUTCOME = "XM-EXAMPLE-ORG-MLI_D_1.1"  # in the sample, in the 2018-2021 and 2022-2025 periods

# One address of each kind of page ({lang} is the language), on the sample data.
PAGES = {
    "home": "/{lang}/",
    "country list": "/{lang}/countries/",
    "country Overview": "/{lang}/countries/MLI/",
    "country Results & Resources": "/{lang}/countries/MLI/results-resources",
    "country Our Progress": "/{lang}/countries/MLI/progress",
    "country Strategic Plan": "/{lang}/countries/MLI/strategic-plan",
    "region list": "/{lang}/regions/",
    "region Overview": "/{lang}/regions/298/",
    "region Our Progress": "/{lang}/regions/298/progress",
    "outcome": f"/{{lang}}/outcomes/{MALI_OUTCOME}",
    "data quality": "/{lang}/data-quality/",
    "survey": "/{lang}/survey/",
    "API docs": "/{lang}/open-data/",
    "sample data": "/{lang}/about-the-sample/",
    "error": "/{lang}/countries/XYZ/",
}


def head_of(client, path: str, status: int = 200) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == status, path
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").head


def description_of(head: BeautifulSoup) -> str:
    descriptions = head.find_all("meta", attrs={"name": "description"})
    assert len(descriptions) == 1, descriptions
    return descriptions[0]["content"]


def alternates_of(head: BeautifulSoup) -> dict[str, str]:
    links = head.find_all("link", rel="alternate", hreflang=True)
    alternates = {link["hreflang"]: link["href"] for link in links}
    assert len(alternates) == len(links), "one link per language"
    return alternates


def canonical_of(head: BeautifulSoup) -> str:
    links = head.find_all("link", rel="canonical")
    assert len(links) == 1, links
    return links[0]["href"]


@pytest.mark.parametrize("kind", PAGES)
def test_every_kind_of_page_has_one_description_in_its_language(client, sample_data, kind):
    status = 404 if kind == "error" else 200
    descriptions = {
        lang: description_of(head_of(client, PAGES[kind].format(lang=lang), status))
        for lang in SUPPORTED_LANGUAGES
    }
    # A sentence or more: Chinese says in 20 characters what takes 40 letters in English.
    assert all(len(text) > (20 if lang == "zh" else 40) for lang, text in descriptions.items()), (
        descriptions
    )
    for lang in OTHER_LANGUAGES:
        assert descriptions[lang] != descriptions["en"], (lang, descriptions[lang])


def test_a_tab_description_names_the_place_and_the_tab(client, sample_data):
    texts = {
        kind: description_of(head_of(client, PAGES[kind].format(lang="en")))
        for kind in PAGES
        if kind.startswith("country ") and kind != "country list"
    }
    assert len(set(texts.values())) == 4, "each tab says what it shows"
    assert texts["country Our Progress"].startswith("Our Progress – Mali, ")
    assert texts["country Strategic Plan"].startswith("Strategic Plan Contributions – Mali, ")
    french = description_of(head_of(client, "/fr/countries/MLI/progress"))
    assert french.startswith("Nos progrès – Mali, ")
    region = description_of(head_of(client, "/es/regions/298/"))
    assert region.startswith("Panorama general – Región 298, ")


def test_a_description_is_text_in_its_attribute(client, db_session):
    """Publisher text reaches the attribute as the text it is (escaped), on one line."""
    country = factories.country_with_outcomes(db_session, outcome_count=1)
    country.outcomes[0].title = Narratives({"en": 'Women "lead" <b>&</b> decide.\n Second line'})
    db_session.commit()
    text = description_of(head_of(client, f"/en/outcomes/{country.outcomes[0].iati_identifier}"))
    assert 'Women "lead" <b>&</b> decide. Second line. Its outputs' in text
    assert text.startswith("An outcome in Mali: ")


@pytest.mark.parametrize(
    ("asked", "canonical"),
    [
        ("/fr/", "/fr/"),
        # Defaults (page 1, the map) and names the page does not read are left out.
        (
            "/fr/countries/MLI/progress?year=2023&page=01&view=map&kind=x&utm_source=feed",
            "/fr/countries/MLI/progress?year=2023",
        ),
        (
            "/es/countries/MLI/progress?page=2&view=summary",
            "/es/countries/MLI/progress?view=summary&page=2",
        ),
        ("/en/regions/298/?view=summary&year=2024", "/en/regions/298/?year=2024"),
        # The outcome page shown without a plan period is its newest one's.
        (f"/en/outcomes/{MALI_OUTCOME}", f"/en/outcomes/{MALI_OUTCOME}?plan_period=2022-2025"),
        (
            f"/fr/outcomes/{MALI_OUTCOME}?page=1&plan_period=2018-2021",
            f"/fr/outcomes/{MALI_OUTCOME}?plan_period=2018-2021",
        ),
        ("/en/data-quality/?country=mli&kind=&page=1", "/en/data-quality/?country=MLI"),
        ("/fr/survey/", "/fr/survey/"),
    ],
)
def test_canonical_and_language_versions_are_absolute(
    client, sample_data, public_host, asked, canonical
):
    head = head_of(client, asked)
    assert canonical_of(head) == public_host + canonical
    lang = canonical.split("/")[1]
    alternates = alternates_of(head)
    assert set(alternates) == {*map(page_language_tag, SUPPORTED_LANGUAGES), "x-default"}
    assert alternates[page_language_tag(lang)] == public_host + canonical
    for other in SUPPORTED_LANGUAGES:
        other_address = canonical.replace(f"/{lang}/", f"/{other}/", 1)
        assert alternates[page_language_tag(other)] == public_host + other_address
    assert alternates["x-default"] == alternates["en"]


def test_an_error_page_names_no_address(client, db_session, public_host):
    head = head_of(client, "/fr/countries/XYZ/", 404)
    assert head.find("link", rel="canonical") is None
    assert head.find("link", rel="alternate") is None


def test_without_a_configured_host_addresses_never_name_the_requests_host(client, db_session):
    response = client.get("/en/countries/", headers={"Host": "evil.example"})
    head = BeautifulSoup(response.get_data(as_text=True), "html.parser").head
    assert canonical_of(head) == "/en/countries/"
    assert alternates_of(head)["x-default"] == "/en/countries/"
    assert "evil.example" not in str(head)


def test_behind_a_proxy_addresses_have_the_visitors_scheme_and_host(app_from_environment):
    app = app_from_environment(
        PORTAL_PROXY_COUNT="1", PORTAL_TRUSTED_HOSTS="results.example.org", PORTAL_CACHE_ENABLED="0"
    )
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "results.example.org"}
    client = app.test_client()
    head = BeautifulSoup(
        client.get("/fr/", headers=forwarded).get_data(as_text=True), "html.parser"
    )
    assert canonical_of(head) == "https://results.example.org/fr/"
    assert alternates_of(head)["x-default"] == "https://results.example.org/en/"
    robots = client.get("/robots.txt", headers=forwarded).get_data(as_text=True)
    assert "Sitemap: https://results.example.org/sitemap.xml" in robots.splitlines()
