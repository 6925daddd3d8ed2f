"""What the API answers, each shape described once as a marshmallow schema.

The same schema writes an answer (the endpoint's `response=` schema dumps what its view
returns: countries, outcomes, findings, the ledger's sums, as the pages use them) and, through
apispec, is the component of the OpenAPI document that describes it (portal.api.openapi).
Every field of an object is always there (null when unknown) unless the schema names it in
`optional`, and objects have no other field: the document says both (`required`,
`additionalProperties: false`), and the tests check every answer against it.

Codes travel with their labels in the requested language ({"code": "4", "label": "Expenditure"});
publishers' texts with the language they are really in, and every language published.
Amounts are JSON numbers in the currency named beside them; dates are ISO 8601.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from decimal import Decimal
from typing import Any, ClassVar

from flask import g
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields
from werkzeug.routing import BuildError

from portal.config import DEFAULT_LANGUAGE
from portal.downloads.queries import Provenance
from portal.downloads.tables import source_label
from portal.i18n import labels
from portal.i18n.formatting import pick_narrative, region_name, territory_name
from portal.iati.models import Outcome
from portal.ledger.rules import FUNDING_ROLE, NO_MONEY, BudgetAndSpending
from portal.links import site_url
from portal.quality.kinds import KINDS

# --- Values -----------------------------------------------------------------------------------


def number(value: Decimal | int | float | None) -> int | float | None:
    """A JSON number: whole amounts as integers, others as the nearest float."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def iso_date(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:  # stored in UTC without a zone
            value = value.replace(tzinfo=dt.UTC)
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def link_arguments() -> dict[str, str]:
    """What links to other resources carry: the language, when it is not the default."""
    return {"lang": g.lang} if g.lang != DEFAULT_LANGUAGE else {}


def api_url(endpoint: str, **values: str) -> str:
    """An absolute link to another resource of the API, in the answer's language."""
    return site_url(endpoint, external=True, **values, **link_arguments())


def page_url(endpoint: str, **values: str) -> str | None:
    """An absolute link; None while the page it names does not exist yet."""
    try:
        return site_url(endpoint, external=True, **values)
    except BuildError:
        return None


class Augmented:
    """An object with what the view adds to it (its facts, its money where it is shown…);
    its own attributes stay readable."""

    def __init__(self, base: object, **extra: object) -> None:
        self._base = base
        self.__dict__.update(extra)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._base, name)


# The activity whose parts are being written: its texts' default language, its currency.
_ACTIVITY: ContextVar[object | None] = ContextVar("activity", default=None)


def _activity_default(name: str) -> str | None:
    return getattr(_ACTIVITY.get(), name, None)


# --- Fields -----------------------------------------------------------------------------------


class Number(fields.Number):
    """A JSON number: whole amounts as integers, others as the nearest float (`number`)."""

    num_type = Decimal

    def _serialize(self, value, attr, obj, **kwargs):
        return number(value)


class IsoDate(fields.Date):
    def _serialize(self, value, attr, obj, **kwargs):
        return iso_date(value)


class IsoDateTime(fields.DateTime):
    """A moment in UTC to the second (stored without a zone)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return iso_date(value)


class Url(fields.String):
    """An absolute link (the path alone when no host is configured)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(metadata={"format": "uri", **kwargs.pop("metadata", {})}, **kwargs)


class Computed(fields.Field):
    """A value `function` computes from the whole object, written and documented as `field`
    (None is null)."""

    _CHECK_ATTRIBUTE = False

    def __init__(self, function: Callable[[Any], Any], field: fields.Field, **kwargs) -> None:
        super().__init__(**kwargs)
        self.function = function
        self.field = field
        self.field.allow_none = self.allow_none

    def _bind_to_schema(self, field_name, parent) -> None:
        super()._bind_to_schema(field_name, parent)
        self.field = copy.deepcopy(self.field)
        self.field._bind_to_schema(field_name, self)

    def _serialize(self, value, attr, obj, **kwargs):
        value = self.function(obj)
        return None if value is None else self.field._serialize(value, attr, obj, **kwargs)


def section(schema: type[Schema], **kwargs) -> Computed:
    """A nested object of the same object's fields (its links, its dates)."""
    return Computed(lambda obj: obj, fields.Nested(schema), **kwargs)


def link(function: Callable[[Any], str | None], **kwargs) -> Computed:
    return Computed(function, Url(), **kwargs)


class Built(fields.Nested):
    """A nested object `build` makes from the attribute's value; null when it gives None."""

    def __init__(self, schema: type[Schema], build: Callable[[Any], object], **kwargs) -> None:
        super().__init__(schema, allow_none=True, **kwargs)
        self.build = build

    def _serialize(self, value, attr, obj, **kwargs):
        built = self.build(value)
        return None if built is None else super()._serialize(built, attr, obj, **kwargs)


def _text(narratives: Mapping[str, str] | None, default_lang: str | None = None) -> dict | None:
    picked = pick_narrative(narratives, default_lang)
    if picked is None:
        return None
    return {"text": picked.text, "lang": picked.lang, "narratives": dict(narratives or {})}


def _activity_text(narratives: Mapping[str, str] | None) -> dict | None:
    return _text(narratives, _activity_default("default_lang"))


class LocalisedText(Built):
    """A publisher's text (narratives by language): in the requested language when published,
    else the original; `in_activity_language` texts fall back to the activity's default
    language (as its page shows them)."""

    def __init__(self, *, in_activity_language: bool = False, **kwargs) -> None:
        super().__init__(TextSchema, _activity_text if in_activity_language else _text, **kwargs)


class CodeWithLabel(Built):
    """A code with its label in the requested language."""

    def __init__(self, label: Callable[[str], str], **kwargs) -> None:
        def build(code: str | None) -> dict | None:
            if code is None or not str(code).strip():
                return None
            return {"code": str(code), "label": label(code)}

        super().__init__(CodedSchema, build, **kwargs)


class Area(Built):
    """A UN M49 region of a country, by its code."""

    def __init__(self, **kwargs) -> None:
        def build(code: str | None) -> dict | None:
            return {"m49": code, "name": region_name(code)} if code else None

        super().__init__(AreaSchema, build, **kwargs)


class Fact(Built):
    """A country's reference figure: `value` gives what it says (None: no figure)."""

    def __init__(
        self,
        value: Callable[[Any], object] = lambda fact: number(fact.value),
        label: Callable[[Any], str] | None = None,
        **kwargs,
    ) -> None:
        def build(fact) -> dict | None:
            shown = value(fact) if fact is not None else None
            if shown is None:
                return None
            built = {"value": shown, "year": fact.year, "source": fact.source, "as_of": fact.as_of}
            if label is not None:
                built["label"] = label(fact)
            return built

        super().__init__(FactSchema, build, **kwargs)


def _organisation(ref: str | None, name: Mapping[str, str] | None) -> dict | None:
    if not ref and not name:
        return None
    return {"ref": ref, "name": name}


# --- Schemas ----------------------------------------------------------------------------------


class Answer(Schema):
    """A closed object of an answer. A subclass's name without "Schema" names its component
    in the document; an `inline` one is described where it is used."""

    optional: ClassVar[tuple[str, ...]] = ()
    inline: ClassVar[bool] = False

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        field_obj.required = field_name not in self.optional

    def get_attribute(self, obj: object, attr: str, default: object) -> object:
        """A dict's key or an object's attribute, along a dotted path (marshmallow's general
        lookup first tries every object as a mapping, which is slow for models)."""
        if "." not in attr:
            return obj.get(attr, default) if isinstance(obj, dict) else getattr(obj, attr, default)
        for name in attr.split("."):
            obj = obj.get(name, default) if isinstance(obj, dict) else getattr(obj, name, default)
        return obj

    def activity(self, obj: object) -> object | None:
        """The activity whose parts `obj` writes (see _ACTIVITY), if it is one."""
        return None

    def dump(self, obj, *, many: bool | None = None):
        many = self.many if many is None else many
        if many:
            return [self.dump(item, many=False) for item in obj]
        activity = self.activity(obj)
        if activity is None:
            return super().dump(obj, many=False)
        token = _ACTIVITY.set(activity)
        try:
            return super().dump(obj, many=False)
        finally:
            _ACTIVITY.reset(token)


def _money_list(attribute: str, description: object | None = None) -> fields.List:
    metadata = {"description": description} if description else {}
    return fields.List(fields.Nested(MoneySchema), attribute=attribute, metadata=metadata)


def _money_sums() -> tuple[fields.Field, ...]:
    """Budget and spending (with its two parts) per currency of the object's `money`, by the
    ledger's rules: the fields budget, spending, disbursement and expenditure."""
    return (
        _money_list("money.budget", _l("Budget lines starting in the year")),
        _money_list("money.spending", _l("Disbursements and expenditure together")),
        _money_list("money.disbursement"),
        _money_list("money.expenditure"),
    )


def _page_meta() -> tuple[fields.Field, ...]:
    """The fields lang, total, page, per_page and page_count of a list's meta."""
    return (
        fields.String(),
        fields.Integer(metadata={"description": _l("Number of items on all pages")}),
        fields.Integer(),
        fields.Integer(),
        fields.Integer(),
    )


def _currency() -> Computed:
    """The currency of an amount: its own, else the activity's default."""
    return Computed(
        lambda row: row.currency or _activity_default("default_currency"),
        fields.String(),
        allow_none=True,
    )


class ErrorSchema(Answer):
    class _Error(Answer):
        inline = True
        status = fields.Integer()
        message = fields.String()

    error = fields.Nested(_Error)


class TextSchema(Answer):
    class Meta:
        description = _l("A publisher's text in the requested language")

    text = fields.String()
    lang = fields.String(metadata={"description": _l("Language the text is really in")})
    narratives = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": _l("Every language the publisher gave, by language code")},
    )


class CodedSchema(Answer):
    class Meta:
        description = _l("A code with its label in the requested language")

    code = fields.String()
    label = fields.String()


class MoneySchema(Answer):
    amount = Number()
    currency = fields.String(allow_none=True)


class YearMoneySchema(Answer):
    year = fields.Integer()
    budget, spending, disbursement, expenditure = _money_sums()


class OrganisationSchema(Answer):
    ref = fields.String(allow_none=True)
    name = LocalisedText()


class PublisherTotalsSchema(Answer):
    """One publisher's totals for a place and year (a PublisherYear): the sums the page shows."""

    class Meta:
        description = _l("One publisher's totals for the country and year, as the page shows")

    class _FundingPartner(Answer):
        inline = True
        ref = fields.String(allow_none=True)
        name = LocalisedText()
        amounts = _money_list("incoming", _l("What the partner provided; empty when only named"))

    publisher = section(OrganisationSchema)
    outcome_count = fields.Integer(
        attribute="activity_count",
        metadata={"description": _l("Outcomes of the publisher active in the year")},
    )
    budget, spending, disbursement, expenditure = _money_sums()
    funding_basis = fields.String(
        attribute="funding.basis",
        metadata={
            "enum": ["incoming_funds", "incoming_commitments", "funding_organisations"],
            "description": _l(
                "How funding partners are chosen: incoming funds in the year, else "
                "incoming commitments, else the funding organisations named"
            ),
        },
    )
    funding_partners = fields.List(
        fields.Nested(_FundingPartner),
        attribute="funding.partners",
        metadata={"description": _l("The largest amount first, else the most often named")},
    )


# --- Countries --------------------------------------------------------------------------------


class FactSchema(Answer):
    class Meta:
        description = _l("A reference figure with its source and year")

    optional = ("label",)
    value = fields.Raw(metadata={"type": ["string", "number", "boolean"]})
    year = fields.Integer()
    source = fields.String()
    as_of = IsoDate(allow_none=True)
    label = fields.String()


class AreaSchema(Answer):
    m49 = fields.String()
    name = fields.String()


class ShareSchema(Answer):
    percent = Computed(lambda share: round(share.percent, 2), fields.Float())
    year = fields.Integer()


class CountryFactsSchema(Answer):
    """The figures of the country page's header, each with its source and year (of a country
    with its `facts`)."""

    region = Area(attribute="region_m49")
    subregion = Area(attribute="subregion_m49")
    intermediate_region = Area(attribute="intermediate_m49")
    income_group = Fact(
        value=lambda fact: fact.text_value,
        label=lambda fact: labels.income_group_label(fact.text_value),
        attribute="facts.income_group",
    )
    ldc = Fact(
        value=lambda fact: bool(fact.value) if fact.value is not None else None,
        attribute="facts.ldc",
    )
    gii = Fact(attribute="facts.gii")
    gdi = Fact(attribute="facts.gdi")
    population_total = Fact(attribute="facts.population_total")
    population_female = Fact(attribute="facts.population_female")
    population_male = Fact(attribute="facts.population_male")
    population_female_share = fields.Nested(
        ShareSchema, allow_none=True, attribute="facts.female_share"
    )
    population_male_share = fields.Nested(
        ShareSchema, allow_none=True, attribute="facts.male_share"
    )


class _CountryLinks(Answer):
    inline = True
    self_link = link(lambda country: api_url("api.country", iso3=country.iso3), data_key="self")
    outcomes = link(lambda country: api_url("api.country_outcomes", iso3=country.iso3))
    html = link(lambda country: page_url("countries.overview", iso3=country.iso3), allow_none=True)


class CountrySchema(Answer):
    """A country (with its `facts` and `outcome_count`)."""

    iso3 = fields.String()
    iso2 = fields.String()
    name = Computed(
        lambda country: territory_name(country.iso2, country.english_name),
        fields.String(),
        metadata={"description": _l("Name in the requested language")},
    )
    english_name = fields.String()
    outcome_count = fields.Integer(
        metadata={"description": _l("Outcomes active in the year the country page opens on")}
    )
    facts = section(CountryFactsSchema)
    links = section(_CountryLinks)


class CountryDetailSchema(CountrySchema):
    plan_periods = fields.List(fields.String())
    current_plan_period = fields.String(allow_none=True)
    years = fields.List(
        fields.Integer(),
        metadata={"description": _l("Years with budgets, transactions or narratives")},
    )
    default_year = fields.Integer(allow_none=True)


# --- Outcomes ---------------------------------------------------------------------------------


class OutcomeShareSchema(Answer):
    fraction = Number(
        metadata={"description": _l("Part of the money that counts, from 0 to 1 (1: all of it)")}
    )
    basis = fields.String(
        metadata={
            "enum": ["whole", "percentage", "equal_split"],
            "description": _l(
                "whole: one recipient; percentage: the published percentages; "
                "equal_split: several recipients without percentages"
            ),
        }
    )
    percentage = Number(
        allow_none=True,
        metadata={"description": _l("The percentage as published, when the share comes from it")},
    )


class BudgetSchema(Answer):
    type = CodeWithLabel(labels.budget_type_label, attribute="type_code")
    status = CodeWithLabel(labels.budget_status_label, attribute="status_code")
    period_start = IsoDate(allow_none=True)
    period_end = IsoDate(allow_none=True)
    value = Number(allow_none=True)
    currency = _currency()
    value_date = IsoDate(allow_none=True)


class TransactionSchema(Answer):
    type = CodeWithLabel(labels.transaction_type_label, attribute="type_code")
    date = IsoDate(allow_none=True)
    value = Number(allow_none=True)
    currency = _currency()
    value_date = IsoDate(allow_none=True)
    provider = Computed(
        lambda row: _organisation(row.provider_ref, row.provider_name),
        fields.Nested(OrganisationSchema),
        allow_none=True,
    )
    receiver = Computed(
        lambda row: _organisation(row.receiver_ref, row.receiver_name),
        fields.Nested(OrganisationSchema),
        allow_none=True,
    )
    description = LocalisedText()


class ParticipatingOrgSchema(Answer):
    role = CodeWithLabel(labels.organisation_role_label, attribute="role_code")
    ref = fields.String(allow_none=True)
    type = fields.String(attribute="org_type", allow_none=True)
    name = LocalisedText()


class ClassificationSchema(Answer):
    kind = fields.String(metadata={"enum": ["sector", "tag"]})
    vocabulary = fields.String(allow_none=True)
    code = fields.String(allow_none=True)
    percentage = Number(allow_none=True)
    name = LocalisedText()


class IndicatorValueSchema(Answer):
    value = fields.String(allow_none=True, metadata={"description": _l("The value as published")})
    comment = LocalisedText(in_activity_language=True)


class IndicatorPeriodSchema(Answer):
    period_start = IsoDate(allow_none=True)
    period_end = IsoDate(allow_none=True)
    target = Computed(
        lambda period: {"value": period.target_value, "comment": period.target_comment},
        fields.Nested(IndicatorValueSchema),
    )
    actual = Computed(
        lambda period: {"value": period.actual_value, "comment": period.actual_comment},
        fields.Nested(IndicatorValueSchema),
    )


class IndicatorSchema(Answer):
    class _Baseline(Answer):
        inline = True
        year = fields.Integer(attribute="baseline_year", allow_none=True)
        value = fields.String(attribute="baseline_value", allow_none=True)
        comment = LocalisedText(in_activity_language=True, attribute="baseline_comment")

    title = LocalisedText(in_activity_language=True)
    description = LocalisedText(in_activity_language=True)
    measure = CodeWithLabel(labels.indicator_measure_label)
    ascending = fields.Boolean(allow_none=True)
    baseline = section(_Baseline)
    periods = fields.List(fields.Nested(IndicatorPeriodSchema))


class ResultSchema(Answer):
    type = CodeWithLabel(labels.result_type_label, attribute="type_code")
    aggregation_status = fields.Boolean(allow_none=True)
    title = LocalisedText(in_activity_language=True)
    description = LocalisedText(in_activity_language=True)
    indicators = fields.List(fields.Nested(IndicatorSchema))


class SourceSchema(Answer):
    """Who published an outcome and how current the copy is (a Provenance)."""

    label = Computed(
        source_label,
        fields.String(),
        metadata={"description": _l("Who published the data, in words")},
    )
    publisher = Computed(
        lambda provenance: _organisation(provenance.publisher_ref, provenance.publisher_name),
        fields.Nested(OrganisationSchema),
        allow_none=True,
    )
    file_generated_at = IsoDateTime(allow_none=True)
    imported_at = IsoDateTime(allow_none=True)
    as_of = IsoDate(allow_none=True)


def provenance(outcome: Outcome) -> Provenance:
    publisher = outcome.publisher
    source_file = outcome.source_file
    return Provenance(
        publisher.ref if publisher else None,
        publisher.name if publisher else {},
        source_file.generated_at if source_file else None,
        source_file.imported_at if source_file else None,
    )


def funding_partners(outcome: Outcome) -> list[dict]:
    return [
        _organisation(org.ref, org.name)
        for org in outcome.participating_orgs
        if org.role_code == FUNDING_ROLE and (org.ref or org.name)
    ]


class YearMoney:
    """Budget and spending of an outcome in a year (none when `money` is None)."""

    def __init__(self, year: int, money: BudgetAndSpending | None) -> None:
        self.year = year
        self.money = money or NO_MONEY


class _OutcomeCountry(Answer):
    inline = True
    iso3 = fields.String(attribute="country_iso3")
    name = Computed(
        lambda outcome: territory_name(outcome.country_iso2, outcome.country_iso3),
        fields.String(),
    )


class _OutcomeDates(Answer):
    inline = True
    planned_start = IsoDate(allow_none=True)
    actual_start = IsoDate(allow_none=True)
    planned_end = IsoDate(allow_none=True)
    actual_end = IsoDate(allow_none=True)


class _ProgressNarrative(Answer):
    inline = True
    year = fields.Integer()
    text = LocalisedText(in_activity_language=True)


class _OutcomeLinks(Answer):
    inline = True
    html = link(
        lambda outcome: page_url(
            "outcomes.outcome",
            identifier=outcome.iati_identifier,
            plan_period=outcome.plan_period,
        ),
        allow_none=True,
    )
    self_link = link(
        lambda outcome: api_url(
            "api.outcome", identifier=outcome.iati_identifier, plan_period=outcome.plan_period
        ),
        data_key="self",
    )
    country = link(
        lambda outcome: (
            api_url("api.country", iso3=outcome.country_iso3) if outcome.country_iso3 else None
        ),
        allow_none=True,
    )


class OutcomeSchema(Answer):
    """An outcome as published: texts, status, dates, money, partners, results, provenance;
    with what the view adds: its `share` of the place, its `money` in the year asked for (a
    YearMoney, or None) and `money_by_year`."""

    iati_identifier = fields.String()
    plan_period = fields.String()
    title = LocalisedText(in_activity_language=True)
    description = LocalisedText(in_activity_language=True)
    status = CodeWithLabel(labels.activity_status_label, attribute="status_code")
    country = Computed(
        lambda outcome: outcome if outcome.country_iso3 else None,
        fields.Nested(_OutcomeCountry),
        allow_none=True,
    )
    default_currency = fields.String(allow_none=True)
    default_lang = fields.String(allow_none=True)
    dates = section(_OutcomeDates)
    share = fields.Nested(
        OutcomeShareSchema,
        metadata={
            "description": _l(
                "How much of the outcome's money counts in the country (whole outside a list)"
            )
        },
    )
    money = fields.Nested(
        YearMoneySchema,
        allow_none=True,
        metadata={
            "description": _l(
                "Budget and spending in the year asked for (or the page's default year), "
                "by the outcome's share"
            )
        },
    )
    budgets = fields.List(fields.Nested(BudgetSchema))
    transactions = fields.List(fields.Nested(TransactionSchema))
    funding_partners = Computed(funding_partners, fields.List(fields.Nested(OrganisationSchema)))
    participating_orgs = fields.List(fields.Nested(ParticipatingOrgSchema))
    classifications = fields.List(fields.Nested(ClassificationSchema))
    results = fields.List(fields.Nested(ResultSchema))
    progress_narratives = fields.List(fields.Nested(_ProgressNarrative))
    source = Computed(provenance, fields.Nested(SourceSchema))
    links = section(_OutcomeLinks)
    money_by_year = fields.List(
        fields.Nested(YearMoneySchema),
        metadata={
            "description": _l("Budget and spending of every year with money, by the same share")
        },
    )

    def activity(self, obj: object) -> object:
        return obj


class OutcomeDetailSchema(OutcomeSchema):
    plan_periods = fields.List(
        fields.String(),
        metadata={"description": _l("Every plan period that uses this identifier")},
    )


# --- Data quality -----------------------------------------------------------------------------


class _FindingOutcome(Answer):
    inline = True
    iati_identifier = fields.String()
    plan_period = fields.String()
    title = LocalisedText(in_activity_language=True)
    url = link(
        lambda finding: page_url(
            "api.outcome",
            identifier=finding.iati_identifier,
            plan_period=finding.plan_period,
            **link_arguments(),
        ),
        allow_none=True,
    )


class _FindingCountry(Answer):
    inline = True
    iso3 = fields.String(attribute="country_iso3")
    url = link(
        lambda finding: (
            page_url("api.country", iso3=finding.country_iso3, **link_arguments())
            if finding.country_has_page
            else None
        ),
        allow_none=True,
    )


class FindingSchema(Answer):
    """A finding (a ListedFinding): its kind in words, the value as published, the rule, and
    the activity, or the country whose reference fact it is about (`outcome` is then null)."""

    kind = fields.String(metadata={"enum": list(KINDS)})
    flag = fields.String(
        attribute="about.flag", metadata={"description": _l("The kind in a few words")}
    )
    message = fields.String(metadata={"description": _l("What looks wrong, with the value")})
    rule = fields.String(
        attribute="about.rule", metadata={"description": _l("The IATI rule the finding follows")}
    )
    record = fields.String(metadata={"description": _l("The part of the activity the value is in")})
    value = fields.String(allow_none=True, metadata={"description": _l("The value as published")})
    outcome = Computed(
        lambda finding: None if finding.about_country_fact else finding,
        fields.Nested(_FindingOutcome),
        allow_none=True,
    )
    country = Computed(
        lambda finding: finding if finding.about_country_fact else None,
        fields.Nested(_FindingCountry),
        allow_none=True,
        metadata={"description": _l("The country whose reference fact the finding is about")},
    )

    def activity(self, obj: object) -> object:
        return obj


# --- The global overview ----------------------------------------------------------------------


class OverviewTotalsSchema(Answer):
    """A publisher's figures added up over several places (portal.ledger.world)."""

    publisher = section(OrganisationSchema)
    outcome_count = fields.Integer(
        attribute="activity_count",
        metadata={"description": _l("Distinct outcomes of the publisher")},
    )
    place_count = fields.Integer(metadata={"description": _l("Places the figures are added over")})
    budget, spending, disbursement, expenditure = _money_sums()


class OverviewPlaceSchema(Answer):
    """A country or region of the global overview: its publishers' figures for the year."""

    class _Links(Answer):
        inline = True
        html = Url()

    optional = ("map_level",)
    code = fields.String(metadata={"description": _l("ISO3 code of the country, or region key")})
    name = fields.String()
    active = fields.Boolean(metadata={"description": _l("Whether it has outcomes in the year")})
    publishers = fields.List(fields.Nested(PublisherTotalsSchema))
    links = fields.Nested(_Links)
    map_level = fields.Integer(
        metadata={"description": _l("Level on the map: 0 none, 1 to 4 by quarter of spending")}
    )


class OverviewGroupSchema(Answer):
    """A Strategic Plan area or SDG of the global overview, with its outcomes' money."""

    code = fields.String(allow_none=True)
    label = fields.String()
    publisher_ref = fields.String(allow_none=True)
    outcome_count = fields.Integer()
    budget, spending, disbursement, expenditure = _money_sums()


class OverviewSchema(Answer):
    """The global overview (/overview): the sums of the country and region pages' figures."""

    class _Data(Answer):
        inline = True
        year = fields.Integer()
        years = fields.List(fields.Integer())
        outcome_count = fields.Integer(
            metadata={"description": _l("Distinct outcomes active in the year")}
        )
        totals = fields.List(
            fields.Nested(PublisherTotalsSchema),
            metadata={
                "description": _l(
                    "Per publisher, every country and region added up, with the "
                    "funding partners ranked over all of them"
                )
            },
        )
        country_totals = fields.List(fields.Nested(OverviewTotalsSchema))
        region_totals = fields.List(fields.Nested(OverviewTotalsSchema))
        countries = fields.List(fields.Nested(OverviewPlaceSchema))
        regions = fields.List(fields.Nested(OverviewPlaceSchema))
        strategic_plan_areas = fields.List(fields.Nested(OverviewGroupSchema))
        sdgs = fields.List(fields.Nested(OverviewGroupSchema))

    data = fields.Nested(_Data)


# --- Lists and answers ------------------------------------------------------------------------


class PageLinksSchema(Answer):
    self_link = Url(attribute="self", data_key="self")
    first = Url()
    last = Url()
    prev = Url(allow_none=True)
    next = Url(allow_none=True)


class CountryListSchema(Answer):
    class _Meta(Answer):
        inline = True
        lang, total, page, per_page, page_count = _page_meta()

    data = fields.List(fields.Nested(CountrySchema))
    meta = fields.Nested(_Meta)
    links = fields.Nested(PageLinksSchema)


class OutcomeListSchema(Answer):
    class _Meta(Answer):
        inline = True
        optional = ("country", "region")
        country = fields.String()
        region = fields.String()
        year = fields.Integer(allow_none=True)
        plan_period = fields.String(allow_none=True)
        totals = fields.List(
            fields.Nested(PublisherTotalsSchema),
            metadata={
                "description": _l(
                    "Per publisher, the country's totals for the year as the page "
                    "shows them (all pages); empty without a year with data or "
                    "with plan_period"
                )
            },
        )
        lang, total, page, per_page, page_count = _page_meta()

    data = fields.List(fields.Nested(OutcomeSchema))
    meta = fields.Nested(_Meta)
    links = fields.Nested(PageLinksSchema)


class FindingListSchema(Answer):
    class _Meta(Answer):
        inline = True
        country = fields.String(allow_none=True)
        kind = fields.String(allow_none=True)
        lang, total, page, per_page, page_count = _page_meta()

    data = fields.List(fields.Nested(FindingSchema))
    meta = fields.Nested(_Meta)
    links = fields.Nested(PageLinksSchema)


class CountryDetailAnswerSchema(Answer):
    data = fields.Nested(CountryDetailSchema)


class OutcomeDetailAnswerSchema(Answer):
    data = fields.Nested(OutcomeDetailSchema)


class ApiIndexSchema(Answer):
    class _Links(Answer):
        inline = True
        countries = Url()
        openapi = Url()
        documentation = Url()

    name = fields.String()
    version = fields.String()
    links = fields.Nested(_Links)
