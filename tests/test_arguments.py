"""portal.arguments: one rule per kind of value, the same for pages, downloads and the API.

The parsers refuse what is not exactly a value ("-1", "0", "1.5", "1e3", " 2", "٣"), never
guess; a page answers its 400 page, the API a JSON 400 saying what is wrong. A code in the
path is three letters in either case: a page in lower case redirects to capitals (301), the
API answers for the code in capitals.
"""

from __future__ import annotations

import pytest
from werkzeug.routing import Map, Rule

from countries.factories import mali
from portal.arguments import (
    LARGEST_NUMBER,
    BadArgument,
    Iso3Converter,
    is_iso3,
    parse_iso3,
    parse_plan_period,
    parse_whole_number,
)

NOT_WHOLE_NUMBERS = ["-1", "0", "1.5", "1e3", " 2", "2 ", "٣", "", "abc", "1234567", "10000"]


@pytest.mark.parametrize("text", NOT_WHOLE_NUMBERS)
def test_a_whole_number_is_ascii_digits_from_1_to_the_maximum(text):
    with pytest.raises(BadArgument):
        parse_whole_number(text)


def test_whole_numbers_within_the_maximum_are_read():
    assert parse_whole_number("1") == 1
    assert parse_whole_number("007") == 7
    assert parse_whole_number(str(LARGEST_NUMBER)) == LARGEST_NUMBER
    assert parse_whole_number("100", maximum=100) == 100
    with pytest.raises(BadArgument):
        parse_whole_number("101", maximum=100)


@pytest.mark.parametrize("text", ["2022", "2022-25", "22-2025", "2022–2025", " 2022-2025", "x"])
def test_a_plan_period_is_two_years_or_nothing(text):
    with pytest.raises(BadArgument):
        parse_plan_period(text)
    assert parse_plan_period("2022-2025") == "2022-2025"
    assert parse_plan_period("") == ""


def test_an_iso3_code_is_three_ascii_letters_read_in_capitals():
    assert parse_iso3("mli") == "MLI"
    assert parse_iso3("Mli") == "MLI"
    for text in ["ML", "MLIX", "M1I", "ßßß", " MLI", ""]:
        with pytest.raises(BadArgument):
            parse_iso3(text)
    assert is_iso3("MLI") and not is_iso3("mli") and not is_iso3("ML1")


def test_the_iso3_converter_matches_three_letters_and_builds_capitals():
    urls = Map([Rule("/c/<iso3:iso3>/", endpoint="c")], converters={"iso3": Iso3Converter})
    adapter = urls.bind("example.org")
    assert adapter.match("/c/mli/") == ("c", {"iso3": "mli"})  # given to the view as typed
    assert adapter.match("/c/MLI/") == ("c", {"iso3": "MLI"})
    for path in ["/c/ML/", "/c/MLIX/", "/c/M1I/"]:
        with pytest.raises(Exception) as refused:
            adapter.match(path)
        assert getattr(refused.value, "code", None) == 404
    assert adapter.build("c", {"iso3": "mli"}) == "/c/MLI/"


BAD_VALUES = ["-1", "0", "1.5", "1e3", "%202", "%D9%A3"]


@pytest.mark.parametrize("value", BAD_VALUES)
def test_a_page_refuses_what_is_not_a_whole_number_with_its_400_page(client, db_session, value):
    mali(db_session)
    for query in (f"page={value}", f"year={value}"):
        response = client.get(f"/en/countries/MLI/progress?{query}")
        assert response.status_code == 400, query
        assert response.mimetype == "text/html"


@pytest.mark.parametrize("value", BAD_VALUES)
def test_the_api_refuses_the_same_values_with_a_json_400(client, db_session, value):
    mali(db_session)
    for url in (f"/api/v1/countries?page={value}", f"/api/v1/countries/MLI/outcomes?year={value}"):
        response = client.get(url)
        assert response.status_code == 400, url
        error = response.get_json()["error"]
        assert error["status"] == 400 and error["message"]


def test_a_repeated_value_is_a_400_on_a_page_and_in_the_api(client, db_session):
    mali(db_session)
    assert client.get("/en/countries/MLI/progress?page=1&page=2").status_code == 400
    response = client.get("/api/v1/countries?page=1&page=2")
    assert response.status_code == 400
    assert "page" in response.get_json()["error"]["message"]


def test_a_plan_period_is_read_by_the_same_rule_on_a_page_and_in_the_api(client, db_session):
    mali(db_session)
    assert client.get("/api/v1/countries/MLI/outcomes?plan_period=2022").status_code == 400
    assert client.get("/api/v1/countries/MLI/outcomes?plan_period=2022-2025").status_code == 200


def test_a_lower_case_code_redirects_a_page_to_capitals_and_the_api_answers(client, db_session):
    mali(db_session)
    response = client.get("/en/countries/mli/progress?page=1")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/en/countries/MLI/progress?page=1")
    answer = client.get("/api/v1/countries/mli")
    assert answer.status_code == 200
    assert answer.get_json()["data"]["iso3"] == "MLI"
