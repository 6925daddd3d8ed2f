"""What each API endpoint accepts, declared once as a marshmallow schema.

The same schema checks a request's query (its fields call portal.arguments' parsers, so a
`year` or a `plan_period` is read by the rule the pages use) and, through apispec, gives the
OpenAPI document its parameters (portal.api.openapi). A new endpoint declares its schema here
and names it in its view's `@endpoint(…, args=…)`.
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields
from werkzeug.exceptions import BadRequest

from portal.arguments import (
    ISO3_PATTERN,
    LARGEST_NUMBER,
    PLAN_PERIOD_PATTERN,
    BadArgument,
    parse_iso3,
    parse_plan_period,
    parse_whole_number,
)
from portal.config import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from portal.quality.kinds import KINDS

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


# --- Fields: one rule each, shared with the pages (portal.arguments) ---------------------------


class WholeNumber(fields.Integer):
    """ASCII digits from 1 to `maximum` (portal.arguments.parse_whole_number)."""

    def __init__(self, maximum: int = LARGEST_NUMBER, **kwargs) -> None:
        self.maximum = maximum
        metadata = {"minimum": 1, "maximum": maximum, **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> int:
        try:
            return parse_whole_number(str(value), self.maximum)
        except BadArgument:
            raise ValidationError(
                _(
                    "The parameter “%(name)s” must be a whole number from 1 to %(maximum)s.",
                    name=attr,
                    maximum=self.maximum,
                )
            ) from None


class PlanPeriod(fields.String):
    """Two years like 2022-2025, or empty (portal.arguments.parse_plan_period)."""

    def __init__(self, **kwargs) -> None:
        metadata = {"pattern": f"^{PLAN_PERIOD_PATTERN}$", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        try:
            return parse_plan_period(str(value))
        except BadArgument:
            raise ValidationError(
                _("The parameter “plan_period” must be two years like 2022-2025 (or empty).")
            ) from None


class Iso3(fields.String):
    """An ISO 3166-1 alpha-3 code, read in capitals (portal.arguments.parse_iso3); empty is
    no code."""

    def __init__(self, **kwargs) -> None:
        metadata = {"pattern": f"^{ISO3_PATTERN}$", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str | None:
        if value == "":
            return None
        try:
            return parse_iso3(str(value))
        except BadArgument:
            raise ValidationError(
                _("The parameter “country” must be three letters, an ISO 3166-1 alpha-3 code.")
            ) from None


class Language(fields.String):
    def __init__(self, **kwargs) -> None:
        metadata = {"enum": list(SUPPORTED_LANGUAGES), **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, load_default=DEFAULT_LANGUAGE, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if value not in SUPPORTED_LANGUAGES:
            raise ValidationError(
                _(
                    "The parameter “lang” must be one of: %(languages)s.",
                    languages=", ".join(SUPPORTED_LANGUAGES),
                )
            )
        return value


class Kind(fields.String):
    """A kind of data-quality finding; empty is no kind."""

    def __init__(self, **kwargs) -> None:
        metadata = {"enum": list(KINDS), **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str | None:
        if value == "":
            return None
        if value not in KINDS:
            raise ValidationError(
                _("The parameter “kind” must be one of: %(kinds)s.", kinds=", ".join(KINDS))
            )
        return value


# --- What each endpoint accepts ---------------------------------------------------------------


class LanguageArgs(Schema):
    lang = Language(
        metadata={
            "description": _l(
                "Language of labels and names; texts fall back to the published language."
            )
        }
    )


class PageArgs(LanguageArgs):
    page = WholeNumber(load_default=1, metadata={"description": _l("Page of the list, from 1.")})
    per_page = WholeNumber(
        MAX_PER_PAGE, load_default=DEFAULT_PER_PAGE, metadata={"description": _l("Items per page.")}
    )


_PLAN_PERIOD_DESCRIPTION = _l("The years an outcome's identifier is stored under, e.g. 2022-2025.")


class PlaceOutcomesArgs(PageArgs):
    year = WholeNumber(
        metadata={
            "description": _l(
                "Year of the money figures and totals; without plan_period, the outcomes "
                "active in it, as the country page lists them (default: the year the "
                "country page opens on)."
            )
        }
    )
    plan_period = PlanPeriod(metadata={"description": _PLAN_PERIOD_DESCRIPTION})


class OutcomeArgs(LanguageArgs):
    plan_period = PlanPeriod(metadata={"description": _PLAN_PERIOD_DESCRIPTION})


class OverviewArgs(LanguageArgs):
    year = WholeNumber(
        metadata={
            "description": _l(
                "Year of the global overview (default: the year the home page opens on)."
            )
        }
    )


class FindingArgs(PageArgs):
    country = Iso3(
        metadata={
            "description": _l(
                "Only findings in activities of this country or about its facts "
                "(ISO 3166-1 alpha-3, e.g. MLI)."
            )
        }
    )
    kind = Kind(metadata={"description": _l("Only findings of this kind.")})


# Path parameters: their schema comes from the route's converter (portal.api.openapi); what
# they mean is said here.
PATH_PARAMETERS = {
    "iso3": {"description": _l("ISO 3166-1 alpha-3 code of the country, e.g. MLI.")},
    "key": {
        "description": _l(
            "The region: its IATI region code (e.g. 298), or vocabulary and code (99-10)."
        ),
        "schema": {"type": "string", "pattern": "^([0-9]{1,3}-)?[A-Za-z0-9._]{1,20}$"},
    },
    "identifier": {"description": _l("IATI identifier of the outcome, URL-encoded.")},
}


def names(schema: Schema) -> list[str]:
    return [field.data_key or name for name, field in schema.fields.items()]


def load_arguments(schema: Schema) -> dict:
    """The query read through `schema`: a 400 (JSON under /api/) saying what is wrong for an
    unknown or repeated parameter or a malformed value."""
    accepted = names(schema)
    for name in request.args:
        if name not in accepted:
            raise BadRequest(
                _(
                    "Unknown parameter “%(name)s”; this endpoint accepts: %(accepted)s.",
                    name=name,
                    accepted=", ".join(accepted),
                )
            )
        if len(request.args.getlist(name)) > 1:
            raise BadRequest(_("The parameter “%(name)s” is given twice.", name=name))
    try:
        return schema.load(request.args.to_dict())
    except ValidationError as error:
        messages = error.normalized_messages()
        first = next(iter(messages.values()))
        raise BadRequest(str(first[0] if isinstance(first, list) else first)) from None


def language() -> str:
    """The `lang` asked for (English when absent), by the same field; 400 for another."""
    try:
        return LanguageArgs().fields["lang"].deserialize(request.args.get("lang", DEFAULT_LANGUAGE))
    except ValidationError as error:
        raise BadRequest(str(error.messages[0])) from None
