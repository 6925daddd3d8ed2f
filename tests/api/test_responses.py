"""The answers' schemas (portal.api.responses): each shape is written and documented by one
schema, so the document's components are exactly those schemas, and the values keep the
API's formats (whole amounts as integers, moments in UTC, absent optional fields)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from marshmallow import fields

from portal.api import responses

API = "/api/v1"


def _component_schemas() -> dict[str, type[responses.Answer]]:
    found = {}
    pending = list(responses.Answer.__subclasses__())
    while pending:
        schema = pending.pop()
        pending.extend(schema.__subclasses__())
        if schema.__module__ == responses.__name__ and not schema.inline:
            found[schema.__name__.removesuffix("Schema")] = schema
    return found


def test_the_documents_components_are_the_answers_schemas(client, sample_data):
    document = client.get(f"{API}/openapi.json").get_json()
    assert set(document["components"]["schemas"]) == set(_component_schemas())


def test_every_object_is_closed_and_its_fields_required_unless_optional(client, sample_data):
    components = client.get(f"{API}/openapi.json").get_json()["components"]["schemas"]
    for name, schema in _component_schemas().items():
        component = components[name]
        assert component["additionalProperties"] is False, name
        declared = {field.data_key or key for key, field in schema().fields.items()}
        assert set(component["properties"]) == declared, name
        assert set(component.get("required", [])) == declared - set(schema.optional), name


def test_amounts_dates_and_optional_fields_keep_their_format():
    class Example(responses.Answer):
        optional = ("label",)
        amount = responses.Number(allow_none=True)
        moment = responses.IsoDateTime(allow_none=True)
        day = responses.IsoDate(allow_none=True)
        label = fields.String()

    schema = Example()
    assert schema.dump(
        {"amount": Decimal("1200.00"), "moment": dt.datetime(2025, 1, 31, 8, 5), "day": None}
    ) == {"amount": 1200, "moment": "2025-01-31T08:05:00+00:00", "day": None}
    assert (
        schema.dump({"amount": Decimal("0.25"), "moment": None, "day": dt.date(2025, 2, 1)})[
            "amount"
        ]
        == 0.25
    )
    assert schema.dump({"amount": 3, "moment": None, "day": None, "label": "x"})["label"] == "x"


def test_a_view_can_add_to_an_object_without_hiding_its_attributes():
    class Thing:
        name = "thing"

    added = responses.Augmented(Thing(), count=3)
    assert (added.name, added.count) == ("thing", 3)


def test_an_error_is_written_by_its_schema(client, sample_data):
    body = client.get(f"{API}/countries/ZZZ").get_json()
    assert body == responses.ErrorSchema().dump(body)
    assert set(body["error"]) == {"status", "message"}
