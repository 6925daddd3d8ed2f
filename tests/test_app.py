"""The app starts, redirects to the visitor's language and answers errors in it."""

import re

import pytest

from countries import factories


def test_root_redirects_by_accept_language(client):
    response = client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/fr/")
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.parametrize(
    "accepted, lang",
    [("ar-EG,ar;q=0.9", "ar"), ("zh-CN,zh;q=0.9,en;q=0.5", "zh"), ("ru", "ru"), ("de", "en")],
)
def test_root_picks_each_un_language(client, accepted, lang):
    response = client.get("/", headers={"Accept-Language": accepted})
    assert response.headers["Location"].endswith(f"/{lang}/")


def test_root_defaults_to_english(client):
    assert client.get("/").headers["Location"].endswith("/en/")


def test_home_lists_countries_with_outcomes(client, db_session):
    factories.country(db_session, "MLI", "ML", "Mali")
    factories.country(db_session, "SEN", "SN", "Senegal")
    factories.outcome(db_session, "MLI", "1.1")
    db_session.commit()
    page = client.get("/en/").get_data(as_text=True)
    # The global overview links each country's page for the year it shows (issue 20.1).
    assert re.search(r'href="/en/countries/MLI/\?year=202[2-5]"', page)
    assert "Senegal" not in page


def test_unknown_language_is_404(client):
    assert client.get("/xx/").status_code == 404


def test_unknown_page_is_404_in_the_visitors_language(client):
    response = client.get("/fr/nothing-here")
    assert response.status_code == 404
    assert '<html lang="fr"' in response.get_data(as_text=True)
