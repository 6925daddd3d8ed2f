"""The OpenAPI document is valid, and every path it documents answers as it says.

Every path is called with only its required parameters, with each optional parameter on its
own, and with all of them; each answer must match the documented schema (whose objects allow
no undocumented field). Each parameter is also given a value its schema forbids, which must
be refused with the documented JSON error. Values come from the sample data; a parameter
the document gains without a test value here fails the test, so nothing goes unexercised.
"""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

import pytest
from bs4 import BeautifulSoup
from openapi_schema_validator import OAS31Validator, oas31_format_checker
from openapi_spec_validator import validate

from portal.config import SUPPORTED_LANGUAGES

API = "/api/v1"
# A valid value per documented parameter, on the sample data.
VALID = {
    "iso3": "MLI",
    "key": "298",
    "identifier": "XM-EXAMPLE-ORG-MLI_D_1.1",
    "year": "2020",
    "plan_period": "2018-2021",
    "page": "1",
    "per_page": "2",
    "lang": "fr",
    "country": "SEN",
    "kind": "placeholder-text",
}
# A value each parameter's schema forbids, and the status that answers it.
INVALID = {
    "iso3": ("M1L", 404),
    "key": ("29!8", 404),
    "identifier": ("XM-EXAMPLE-ORG-NOPE_9.9", 404),
    "year": ("20x0", 400),
    "plan_period": ("2018", 400),
    "page": ("0", 400),
    "per_page": ("101", 400),
    "lang": ("de", 400),
    "country": ("SE1", 400),
    "kind": ("bogus", 400),
}


@pytest.fixture
def api_document(client, sample_data) -> dict:
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def _operations(document: dict):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            parameters = [
                document["components"]["parameters"][reference["$ref"].rsplit("/", 1)[1]]
                for reference in operation.get("parameters", [])
            ]
            yield path, method, operation, parameters


def _url(path: str, values: dict[str, str], parameters: list[dict]) -> str:
    for parameter in parameters:
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", quote(values[parameter["name"]]))
    query = {
        parameter["name"]: values[parameter["name"]]
        for parameter in parameters
        if parameter["in"] == "query" and parameter["name"] in values
    }
    return API + path + ("?" + urlencode(query) if query else "")


def _check_against(document: dict, operation: dict, status: str, body: bytes) -> None:
    schema = operation["responses"][status]["content"]["application/json"]["schema"]
    validator = OAS31Validator(
        {**schema, "components": document["components"]}, format_checker=oas31_format_checker
    )
    errors = sorted(validator.iter_errors(json.loads(body)), key=lambda error: error.path)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def test_the_openapi_document_is_valid_openapi_3_1(api_document):
    validate(api_document)
    assert api_document["openapi"].startswith("3.1")


def test_every_documented_parameter_has_test_values(api_document):
    documented = {
        parameter["name"]
        for _, _, _, parameters in _operations(api_document)
        for parameter in parameters
    }
    assert documented == set(VALID) == set(INVALID)


def test_every_documented_endpoint_answers_as_documented(client, api_document):
    exercised = 0
    for path, method, operation, parameters in _operations(api_document):
        assert method == "get"
        required = {p["name"]: VALID[p["name"]] for p in parameters if p["required"]}
        optional = [p["name"] for p in parameters if not p["required"]]
        choices = [required]
        choices += [{**required, name: VALID[name]} for name in optional]
        choices.append({**required, **{name: VALID[name] for name in optional}})
        for values in choices:
            url = _url(path, values, parameters)
            response = client.get(url)
            assert response.status_code == 200, (url, response.get_data(as_text=True))
            assert response.mimetype == "application/json", url
            assert response.headers["Access-Control-Allow-Origin"] == "*", url
            assert response.headers["ETag"], url
            _check_against(api_document, operation, "200", response.get_data())
            exercised += 1
    assert exercised >= 20


def test_every_documented_parameter_refuses_what_its_schema_forbids(client, api_document):
    for path, _, operation, parameters in _operations(api_document):
        required = {p["name"]: VALID[p["name"]] for p in parameters if p["required"]}
        for parameter in parameters:
            value, status = INVALID[parameter["name"]]
            url = _url(path, {**required, parameter["name"]: value}, parameters)
            response = client.get(url)
            assert response.status_code == status, url
            assert str(status) in operation["responses"], (path, status)
            assert response.mimetype == "application/json", url
            _check_against(api_document, operation, str(status), response.get_data())
        unknown = _url(path, required, parameters)
        unknown += ("&" if "?" in unknown else "?") + "colour=blue"
        response = client.get(unknown)
        assert response.status_code == 400, unknown
        assert "colour" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_the_open_data_page_describes_every_endpoint_in_its_language(client, sample_data, lang):
    document = client.get(f"{API}/openapi.json?lang={lang}").get_json()
    page = BeautifulSoup(client.get(f"/{lang}/open-data/").get_data(as_text=True), "html.parser")
    endpoints = {
        " ".join(heading.get_text(" ").split()): heading.find_next_sibling("p").get_text()
        for heading in page.select("h3[id^=endpoint-]")
    }
    assert endpoints == {
        f"GET /api/v1{path}": operations["get"]["summary"]
        for path, operations in document["paths"].items()
    }
    links = {link["href"] for link in page.select("main a[href]")}
    assert "/api/v1/openapi.json" in links


def test_the_open_data_page_describes_the_columns_of_every_download(client, sample_data):
    """Each kind of file a page offers (the country tabs, an outcome, data quality, the global
    overview, a funding partner) has its columns listed, every column with its description."""
    from portal.downloads import tables
    from portal.downloads.overview import GLOBAL_OVERVIEW
    from portal.downloads.partners import PARTNER

    page = BeautifulSoup(client.get("/en/open-data/").get_data(as_text=True), "html.parser")
    for table in [*tables.DEFINITIONS.values(), GLOBAL_OVERVIEW, PARTNER]:
        heading = page.select_one(f"h3#columns-{table.name}")
        assert heading is not None, table.name
        listed = [code.get_text() for code in heading.find_next_sibling("dl").select("dt code")]
        assert listed == [column.name for column in table.columns], table.name
