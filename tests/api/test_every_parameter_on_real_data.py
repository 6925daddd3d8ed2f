"""Every path and every parameter of the generated OpenAPI document, on the six real files.

Requests are built from the document itself (the test knows no endpoint by name): each path
with its required parameters, then with each of its query parameters, then with all of them,
with values found in the real data through the API; every answer must be 200 and match its
documented schema, never 5xx. Each parameter is also given a value its schema forbids, which
must be a documented 4xx with the JSON error object.
"""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

import pytest
from openapi_schema_validator import OAS31Validator, oas31_format_checker

from portal.extensions import db
from portal.regions import queries as region_queries

API = "/api/v1"
FORBIDDEN = {
    "iso3": "M1L",
    "key": "29!8",
    "identifier": "XM-NOWHERE-9.9",
    "year": "1e3",
    "plan_period": "2018",
    "page": "0",
    "per_page": "101",
    "lang": "de",
    "country": "S1N",
    "kind": "bogus",
}


def _parameters(document: dict, operation: dict) -> list[dict]:
    components = document["components"]["parameters"]
    return [components[p["$ref"].rsplit("/", 1)[1]] for p in operation.get("parameters", [])]


def _url(path: str, values: dict[str, str], parameters: list[dict]) -> str:
    query = {}
    for parameter in parameters:
        name = parameter["name"]
        if parameter["in"] == "path":
            path = path.replace("{" + name + "}", quote(values[name], safe=""))
        elif name in values:
            query[name] = values[name]
    return API + path + ("?" + urlencode(query) if query else "")


def _check(document: dict, operation: dict, status: str, body: bytes) -> None:
    schema = operation["responses"][status]["content"]["application/json"]["schema"]
    validator = OAS31Validator(
        {**schema, "components": document["components"]}, format_checker=oas31_format_checker
    )
    errors = list(validator.iter_errors(json.loads(body)))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def _real_values(client) -> dict[str, str]:
    """A value for each parameter that finds something in the six files."""
    countries = client.get(f"{API}/countries?per_page=100").get_json()["data"]
    iso3 = next(c["iso3"] for c in countries if c["outcome_count"])
    country = client.get(f"{API}/countries/{iso3}").get_json()["data"]
    outcomes = client.get(f"{API}/countries/{iso3}/outcomes").get_json()["data"]
    findings = client.get(f"{API}/data-quality?per_page=1").get_json()["data"]
    regions = region_queries.regions_with_activities(db.session, "en")
    assert outcomes and findings and regions
    return {
        "iso3": iso3,
        "key": regions[0].key,
        "identifier": outcomes[0]["iati_identifier"],
        "year": str(country["default_year"]),
        "plan_period": outcomes[0]["plan_period"],
        "page": "1",
        "per_page": "3",
        "lang": "fr",
        "country": iso3,
        "kind": findings[0]["kind"],
    }


@pytest.mark.usefixtures("six_files")
def test_every_path_and_parameter_of_the_document_answers_as_documented(client):
    document = client.get(f"{API}/openapi.json").get_json()
    values = _real_values(client)
    exercised: set[tuple[str, str]] = set()
    for path, operations in document["paths"].items():
        for operation in operations.values():
            parameters = _parameters(document, operation)
            required = {p["name"]: values[p["name"]] for p in parameters if p["required"]}
            optional = [p["name"] for p in parameters if not p["required"]]
            choices = [required, *({**required, name: values[name]} for name in optional)]
            choices.append({**required, **{name: values[name] for name in optional}})
            for chosen in choices:
                url = _url(path, chosen, parameters)
                response = client.get(url)
                assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
                _check(document, operation, "200", response.get_data())
                exercised.update((path, name) for name in chosen)
            for parameter in parameters:
                url = _url(
                    path, {**required, parameter["name"]: FORBIDDEN[parameter["name"]]}, parameters
                )
                response = client.get(url)
                assert 400 <= response.status_code < 500, url
                status = str(response.status_code)
                assert status in operation["responses"], (url, status)
                _check(document, operation, status, response.get_data())
    documented = {
        (path, p["name"])
        for path, operations in document["paths"].items()
        for operation in operations.values()
        for p in _parameters(document, operation)
    }
    assert documented == exercised
