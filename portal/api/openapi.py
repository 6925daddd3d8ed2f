"""The OpenAPI 3.1 document of the API, built as a dict in the request's language.

The tests validate it with openapi-spec-validator, call every path with every parameter it
documents and check each answer against the schema given here (which forbids undocumented
fields), so the document cannot drift from what the API answers.
"""

from __future__ import annotations

from flask_babel import gettext as _

from portal.config import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from portal.quality.kinds import KINDS

API_VERSION = "1.0.0"
OPENAPI_VERSION = "3.1.0"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(properties: dict, optional: tuple[str, ...] = ()) -> dict:
    """A closed object: every property listed, all required unless `optional`."""
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }


STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
DATE = {"type": ["string", "null"], "format": "date"}
DATE_TIME = {"type": ["string", "null"], "format": "date-time"}
INTEGER = {"type": "integer"}
NUMBER = {"type": ["number", "null"]}
URL = {"type": "string", "format": "uri"}
NULLABLE_URL = {"type": ["string", "null"], "format": "uri"}


def _schemas() -> dict:
    text = _object(
        {
            "text": STRING,
            "lang": {**STRING, "description": _("Language the text is really in")},
            "narratives": {
                "type": "object",
                "additionalProperties": STRING,
                "description": _("Every language the publisher gave, by language code"),
            },
        }
    )
    fact_value = {"type": ["string", "number", "boolean"]}
    fact = _object(
        {
            "value": fact_value,
            "label": STRING,
            "year": INTEGER,
            "source": STRING,
            "as_of": DATE,
        },
        optional=("label",),
    )
    organisation = _object({"ref": NULLABLE_STRING, "name": _nullable(_ref("Text"))})
    page_links = _object(
        {
            "self": URL,
            "first": URL,
            "last": URL,
            "prev": NULLABLE_URL,
            "next": NULLABLE_URL,
        }
    )
    page_meta = {
        "total": {**INTEGER, "description": _("Number of items on all pages")},
        "page": INTEGER,
        "per_page": INTEGER,
        "page_count": INTEGER,
        "lang": STRING,
    }
    money_list = {"type": "array", "items": _ref("Money")}
    money = {
        "budget": {**money_list, "description": _("Budget lines starting in the year")},
        "spending": {**money_list, "description": _("Disbursements and expenditure together")},
        "disbursement": money_list,
        "expenditure": money_list,
    }
    country_properties = {
        "iso3": STRING,
        "iso2": STRING,
        "name": {**STRING, "description": _("Name in the requested language")},
        "english_name": STRING,
        "outcome_count": {
            **INTEGER,
            "description": _("Outcomes active in the year the country page opens on"),
        },
        "facts": _ref("CountryFacts"),
        "links": _object({"self": URL, "outcomes": URL, "html": NULLABLE_URL}),
    }
    outcome_properties = {
        "iati_identifier": STRING,
        "plan_period": STRING,
        "title": _nullable(_ref("Text")),
        "description": _nullable(_ref("Text")),
        "status": _nullable(_ref("Coded")),
        "country": _nullable(_object({"iso3": STRING, "name": STRING})),
        "default_currency": NULLABLE_STRING,
        "default_lang": NULLABLE_STRING,
        "dates": _object(
            {
                "planned_start": DATE,
                "actual_start": DATE,
                "planned_end": DATE,
                "actual_end": DATE,
            }
        ),
        "share": {
            **_ref("OutcomeShare"),
            "description": _(
                "How much of the outcome's money counts in the country (whole outside a list)"
            ),
        },
        "money": {
            **_nullable(_ref("YearMoney")),
            "description": _(
                "Budget and spending in the year asked for (or the page's default year), "
                "by the outcome's share"
            ),
        },
        "money_by_year": {
            "type": "array",
            "items": _ref("YearMoney"),
            "description": _("Budget and spending of every year with money, by the same share"),
        },
        "budgets": {"type": "array", "items": _ref("Budget")},
        "transactions": {"type": "array", "items": _ref("Transaction")},
        "funding_partners": {"type": "array", "items": _ref("Organisation")},
        "participating_orgs": {"type": "array", "items": _ref("ParticipatingOrg")},
        "classifications": {"type": "array", "items": _ref("Classification")},
        "results": {"type": "array", "items": _ref("Result")},
        "progress_narratives": {
            "type": "array",
            "items": _object({"year": INTEGER, "text": _nullable(_ref("Text"))}),
        },
        "source": _ref("Source"),
        "links": _object({"self": URL, "country": NULLABLE_URL, "html": NULLABLE_URL}),
    }
    return {
        "Error": _object(
            {"error": _object({"status": INTEGER, "message": STRING})},
        ),
        "Text": {**text, "description": _("A publisher's text in the requested language")},
        "Coded": {
            **_object({"code": STRING, "label": STRING}),
            "description": _("A code with its label in the requested language"),
        },
        "Money": _object({"amount": {"type": "number"}, "currency": NULLABLE_STRING}),
        "YearMoney": _object({"year": INTEGER, **money}),
        "OutcomeShare": _object(
            {
                "fraction": {
                    "type": "number",
                    "description": _("Part of the money that counts, from 0 to 1 (1: all of it)"),
                },
                "basis": {
                    "type": "string",
                    "enum": ["whole", "percentage", "equal_split"],
                    "description": _(
                        "whole: one recipient; percentage: the published percentages; "
                        "equal_split: several recipients without percentages"
                    ),
                },
                "percentage": {
                    **NUMBER,
                    "description": _("The percentage as published, when the share comes from it"),
                },
            }
        ),
        "PublisherTotals": {
            **_object(
                {
                    "publisher": _object({"ref": NULLABLE_STRING, "name": _nullable(_ref("Text"))}),
                    "outcome_count": {
                        **INTEGER,
                        "description": _("Outcomes of the publisher active in the year"),
                    },
                    **money,
                    "funding_basis": {
                        "type": "string",
                        "enum": ["incoming_funds", "incoming_commitments", "funding_organisations"],
                        "description": _(
                            "How funding partners are chosen: incoming funds in the year, else "
                            "incoming commitments, else the funding organisations named"
                        ),
                    },
                    "funding_partners": {
                        "type": "array",
                        "items": _object(
                            {
                                "ref": NULLABLE_STRING,
                                "name": _nullable(_ref("Text")),
                                "amounts": {
                                    "type": "array",
                                    "items": _ref("Money"),
                                    "description": _(
                                        "What the partner provided; empty when only named"
                                    ),
                                },
                            }
                        ),
                        "description": _("The largest amount first, else the most often named"),
                    },
                }
            ),
            "description": _("One publisher's totals for the country and year, as the page shows"),
        },
        "Fact": {**fact, "description": _("A reference figure with its source and year")},
        "Area": _object({"m49": STRING, "name": STRING}),
        "Share": _object({"percent": {"type": "number"}, "year": INTEGER}),
        "CountryFacts": _object(
            {
                "region": _nullable(_ref("Area")),
                "subregion": _nullable(_ref("Area")),
                "intermediate_region": _nullable(_ref("Area")),
                "income_group": _nullable(_ref("Fact")),
                "ldc": _nullable(_ref("Fact")),
                "gii": _nullable(_ref("Fact")),
                "gdi": _nullable(_ref("Fact")),
                "population_total": _nullable(_ref("Fact")),
                "population_female": _nullable(_ref("Fact")),
                "population_male": _nullable(_ref("Fact")),
                "population_female_share": _nullable(_ref("Share")),
                "population_male_share": _nullable(_ref("Share")),
            }
        ),
        "Country": _object(country_properties),
        "CountryDetail": _object(
            {
                **country_properties,
                "plan_periods": {"type": "array", "items": STRING},
                "current_plan_period": NULLABLE_STRING,
                "years": {
                    "type": "array",
                    "items": INTEGER,
                    "description": _("Years with budgets, transactions or narratives"),
                },
                "default_year": {"type": ["integer", "null"]},
            }
        ),
        "Organisation": organisation,
        "Budget": _object(
            {
                "type": _nullable(_ref("Coded")),
                "status": _nullable(_ref("Coded")),
                "period_start": DATE,
                "period_end": DATE,
                "value": NUMBER,
                "currency": NULLABLE_STRING,
                "value_date": DATE,
            }
        ),
        "Transaction": _object(
            {
                "type": _nullable(_ref("Coded")),
                "date": DATE,
                "value": NUMBER,
                "currency": NULLABLE_STRING,
                "value_date": DATE,
                "provider": _nullable(_ref("Organisation")),
                "receiver": _nullable(_ref("Organisation")),
                "description": _nullable(_ref("Text")),
            }
        ),
        "ParticipatingOrg": _object(
            {
                "role": _nullable(_ref("Coded")),
                "ref": NULLABLE_STRING,
                "type": NULLABLE_STRING,
                "name": _nullable(_ref("Text")),
            }
        ),
        "Classification": _object(
            {
                "kind": {"type": "string", "enum": ["sector", "tag"]},
                "vocabulary": NULLABLE_STRING,
                "code": NULLABLE_STRING,
                "percentage": NUMBER,
                "name": _nullable(_ref("Text")),
            }
        ),
        "IndicatorPeriod": _object(
            {
                "period_start": DATE,
                "period_end": DATE,
                "target": _ref("IndicatorValue"),
                "actual": _ref("IndicatorValue"),
            }
        ),
        "IndicatorValue": _object(
            {
                "value": {**NULLABLE_STRING, "description": _("The value as published")},
                "comment": _nullable(_ref("Text")),
            }
        ),
        "Indicator": _object(
            {
                "title": _nullable(_ref("Text")),
                "description": _nullable(_ref("Text")),
                "measure": _nullable(_ref("Coded")),
                "ascending": {"type": ["boolean", "null"]},
                "baseline": _object(
                    {
                        "year": {"type": ["integer", "null"]},
                        "value": NULLABLE_STRING,
                        "comment": _nullable(_ref("Text")),
                    }
                ),
                "periods": {"type": "array", "items": _ref("IndicatorPeriod")},
            }
        ),
        "Result": _object(
            {
                "type": _nullable(_ref("Coded")),
                "aggregation_status": {"type": ["boolean", "null"]},
                "title": _nullable(_ref("Text")),
                "description": _nullable(_ref("Text")),
                "indicators": {"type": "array", "items": _ref("Indicator")},
            }
        ),
        "Source": _object(
            {
                "label": {**STRING, "description": _("Who published the data, in words")},
                "publisher": _nullable(_ref("Organisation")),
                "file_generated_at": DATE_TIME,
                "imported_at": DATE_TIME,
                "as_of": DATE,
            }
        ),
        "Outcome": _object(outcome_properties),
        "OutcomeDetail": _object(
            {
                **outcome_properties,
                "plan_periods": {
                    "type": "array",
                    "items": STRING,
                    "description": _("Every plan period that uses this identifier"),
                },
            }
        ),
        "PageLinks": page_links,
        "CountryList": _object(
            {
                "data": {"type": "array", "items": _ref("Country")},
                "meta": _object(page_meta),
                "links": _ref("PageLinks"),
            }
        ),
        "OutcomeList": _object(
            {
                "data": {"type": "array", "items": _ref("Outcome")},
                "meta": _object(
                    {
                        "country": STRING,
                        "region": STRING,
                        "year": {"type": ["integer", "null"]},
                        "plan_period": NULLABLE_STRING,
                        "totals": {
                            "type": "array",
                            "items": _ref("PublisherTotals"),
                            "description": _(
                                "Per publisher, the country's totals for the year as the page "
                                "shows them (all pages); empty without a year with data or "
                                "with plan_period"
                            ),
                        },
                        **page_meta,
                    },
                    optional=("country", "region"),
                ),
                "links": _ref("PageLinks"),
            }
        ),
        "Finding": _object(
            {
                "kind": {"type": "string", "enum": list(KINDS)},
                "flag": {**STRING, "description": _("The kind in a few words")},
                "message": {**STRING, "description": _("What looks wrong, with the value")},
                "rule": {**STRING, "description": _("The IATI rule the finding follows")},
                "record": {
                    **STRING,
                    "description": _("The part of the activity the value is in"),
                },
                "value": {**NULLABLE_STRING, "description": _("The value as published")},
                "outcome": _nullable(
                    _object(
                        {
                            "iati_identifier": STRING,
                            "plan_period": STRING,
                            "title": _nullable(_ref("Text")),
                            "url": NULLABLE_URL,
                        }
                    )
                ),
                "country": {
                    **_nullable(_object({"iso3": STRING, "url": NULLABLE_URL})),
                    "description": _("The country whose reference fact the finding is about"),
                },
            }
        ),
        "FindingList": _object(
            {
                "data": {"type": "array", "items": _ref("Finding")},
                "meta": _object({"country": NULLABLE_STRING, "kind": NULLABLE_STRING, **page_meta}),
                "links": _ref("PageLinks"),
            }
        ),
        "ApiIndex": _object(
            {
                "name": STRING,
                "version": STRING,
                "links": _object({"countries": URL, "openapi": URL, "documentation": URL}),
            }
        ),
    }


def _parameters() -> dict:
    def query(name: str, description: str, schema: dict) -> dict:
        return {
            "name": name,
            "in": "query",
            "required": False,
            "description": description,
            "schema": schema,
        }

    return {
        "lang": query(
            "lang",
            _("Language of labels and names; texts fall back to the published language."),
            {"type": "string", "enum": list(SUPPORTED_LANGUAGES), "default": DEFAULT_LANGUAGE},
        ),
        "page": query(
            "page",
            _("Page of the list, from 1."),
            {"type": "integer", "minimum": 1, "maximum": 9999, "default": 1},
        ),
        "per_page": query(
            "per_page",
            _("Items per page."),
            {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
        ),
        "year": query(
            "year",
            _(
                "Year of the money figures and totals; without plan_period, the outcomes "
                "active in it, as the country page lists them (default: the year the "
                "country page opens on)."
            ),
            {"type": "integer", "minimum": 1, "maximum": 9999},
        ),
        "plan_period": query(
            "plan_period",
            _("The years an outcome's identifier is stored under, e.g. 2022-2025."),
            {"type": "string", "pattern": "^([0-9]{4}-[0-9]{4})?$"},
        ),
        "country": query(
            "country",
            _(
                "Only findings in activities of this country or about its facts "
                "(ISO 3166-1 alpha-3, e.g. MLI)."
            ),
            {"type": "string", "pattern": "^[A-Za-z]{3}$"},
        ),
        "kind": query(
            "kind",
            _("Only findings of this kind."),
            {"type": "string", "enum": list(KINDS)},
        ),
        "iso3": {
            "name": "iso3",
            "in": "path",
            "required": True,
            "description": _("ISO 3166-1 alpha-3 code of the country, e.g. MLI."),
            "schema": {"type": "string", "pattern": "^[A-Za-z]{3}$"},
        },
        "region_key": {
            "name": "key",
            "in": "path",
            "required": True,
            "description": _(
                "The region: its IATI region code (e.g. 298), or vocabulary and code (99-10)."
            ),
            "schema": {"type": "string", "pattern": "^([0-9]{1,3}-)?[A-Za-z0-9._]{1,20}$"},
        },
        "identifier": {
            "name": "identifier",
            "in": "path",
            "required": True,
            "description": _("IATI identifier of the outcome, URL-encoded."),
            "schema": {"type": "string"},
        },
    }


def _responses(schema: str, description: str, *, can_be_missing: bool = True) -> dict:
    error = {"application/json": {"schema": _ref("Error")}}
    responses = {
        "200": {
            "description": description,
            "headers": {
                "ETag": {"description": _("Hash of the body"), "schema": STRING},
                "Access-Control-Allow-Origin": {"schema": {"type": "string", "const": "*"}},
            },
            "content": {"application/json": {"schema": _ref(schema)}},
        },
        "304": {"description": _("Not modified since the ETag given in If-None-Match")},
        "400": {"description": _("A parameter is unknown or malformed"), "content": error},
    }
    if can_be_missing:
        responses["404"] = {"description": _("Nothing is found"), "content": error}
    return responses


def _parameter_refs(*names: str) -> list[dict]:
    return [{"$ref": f"#/components/parameters/{name}"} for name in names]


def document() -> dict:
    """The whole OpenAPI 3.1 document; paths are relative to the /api/v1 server."""
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": _("Open Results Portal open data API"),
            "version": API_VERSION,
            "summary": _("Countries, outcomes, money and indicators as published in IATI."),
            "description": _(
                "Read-only. Answers are JSON with an ETag; send If-None-Match to get 304 when "
                "nothing changed. Open to every origin (CORS). Unknown or malformed parameters "
                "are answered 400 with an error object, unknown things 404. Data are the "
                "publishers' IATI data; credit them as each answer's source says."
            ),
            "license": {"name": "CC BY 4.0", "identifier": "CC-BY-4.0"},
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/": {
                "get": {
                    "operationId": "index",
                    "summary": _("Where to start: links to the resources"),
                    "parameters": _parameter_refs("lang"),
                    "responses": _responses(
                        "ApiIndex", _("Links to the resources"), can_be_missing=False
                    ),
                }
            },
            "/countries": {
                "get": {
                    "operationId": "listCountries",
                    "summary": _("Countries where the organisation has outcomes, with facts"),
                    "parameters": _parameter_refs("page", "per_page", "lang"),
                    "responses": _responses(
                        "CountryList", _("A page of countries, by English name")
                    ),
                }
            },
            "/countries/{iso3}": {
                "get": {
                    "operationId": "getCountry",
                    "summary": _("A country with its facts, plan periods and years with data"),
                    "parameters": _parameter_refs("iso3", "lang"),
                    "responses": _responses("CountryDetailAnswer", _("The country")),
                }
            },
            "/countries/{iso3}/outcomes": {
                "get": {
                    "operationId": "listCountryOutcomes",
                    "summary": _("A country's outcomes with money, results and indicators"),
                    "parameters": _parameter_refs(
                        "iso3", "year", "plan_period", "page", "per_page", "lang"
                    ),
                    "responses": _responses(
                        "OutcomeList", _("A page of outcomes in identifier order")
                    ),
                }
            },
            "/regions/{key}/outcomes": {
                "get": {
                    "operationId": "listRegionOutcomes",
                    "summary": _("A region's outcomes with money, results and indicators"),
                    "parameters": _parameter_refs(
                        "region_key", "year", "plan_period", "page", "per_page", "lang"
                    ),
                    "responses": _responses(
                        "OutcomeList", _("A page of outcomes in identifier order")
                    ),
                }
            },
            "/outcomes/{identifier}": {
                "get": {
                    "operationId": "getOutcome",
                    "summary": _("An outcome in one plan period (the newest by default)"),
                    "parameters": _parameter_refs("identifier", "plan_period", "lang"),
                    "responses": _responses("OutcomeDetailAnswer", _("The outcome")),
                }
            },
            "/data-quality": {
                "get": {
                    "operationId": "listDataQualityFindings",
                    "summary": _("What looks wrong in the published data, finding by finding"),
                    "parameters": _parameter_refs("country", "kind", "page", "per_page", "lang"),
                    "responses": _responses(
                        "FindingList", _("A page of findings in activity order")
                    ),
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenApiDocument",
                    "summary": _("This document"),
                    "parameters": _parameter_refs("lang"),
                    "responses": {
                        "200": {
                            "description": _("The OpenAPI 3.1 document"),
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        "400": {
                            "description": _("A parameter is unknown or malformed"),
                            "content": {"application/json": {"schema": _ref("Error")}},
                        },
                    },
                }
            },
        },
        "components": {
            "schemas": {
                **_schemas(),
                "CountryDetailAnswer": _object({"data": _ref("CountryDetail")}),
                "OutcomeDetailAnswer": _object({"data": _ref("OutcomeDetail")}),
            },
            "parameters": _parameters(),
        },
    }
