"""The read-only open data API (/api/v1/) and the page that describes it (/<lang>/open-data/).

Every answer is JSON with an ETag (a hash of the body; If-None-Match gives 304), open to
every origin for GET, HEAD and OPTIONS. Parameters are checked strictly: an unknown or
malformed one is a 400 with a JSON error saying what is wrong, an unknown thing a 404.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from flask import Blueprint, Response, abort, g, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

from portal import links
from portal.api import openapi, queries, resources
from portal.config import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from portal.countries import plan_periods
from portal.countries import queries as country_queries
from portal.downloads import tables
from portal.extensions import db
from portal.i18n import catalogue
from portal.ledger import LedgerActivity, rules, whole_activity
from portal.quality import kinds as quality_kinds
from portal.quality import queries as quality_queries
from portal.regions import queries as region_queries

blueprint = Blueprint("api", __name__)

API = "/api/v1"
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
LARGEST_NUMBER = 9999
CACHE_SECONDS = 60
_WHOLE_NUMBER = re.compile(r"[0-9]{1,6}")
_PLAN_PERIOD = re.compile(r"([0-9]{4}-[0-9]{4})?")
_ISO3 = re.compile(r"[A-Za-z]{3}")


# --- Arguments --------------------------------------------------------------------------------


def _bad_parameter(message: str) -> BadRequest:
    return BadRequest(description=message)


def _check_parameters(accepted: Sequence[str]) -> None:
    """Refuse parameters the endpoint does not know (a typo would otherwise be ignored)."""
    for name in request.args:
        if name not in accepted:
            raise _bad_parameter(
                _(
                    "Unknown parameter “%(name)s”; this endpoint accepts: %(accepted)s.",
                    name=name,
                    accepted=", ".join(accepted),
                )
            )
        if len(request.args.getlist(name)) > 1:
            raise _bad_parameter(_("The parameter “%(name)s” is given twice.", name=name))


def _whole_number(name: str, maximum: int = LARGEST_NUMBER) -> int | None:
    value = request.args.get(name)
    if value is None:
        return None
    if not _WHOLE_NUMBER.fullmatch(value) or not 1 <= int(value) <= maximum:
        raise _bad_parameter(
            _(
                "The parameter “%(name)s” must be a whole number from 1 to %(maximum)s.",
                name=name,
                maximum=maximum,
            )
        )
    return int(value)


def _plan_period() -> str | None:
    value = request.args.get("plan_period")
    if value is None:
        return None
    if not _PLAN_PERIOD.fullmatch(value):
        raise _bad_parameter(
            _("The parameter “plan_period” must be two years like 2022-2025 (or empty).")
        )
    return value


def _language() -> str:
    value = request.args.get("lang", DEFAULT_LANGUAGE)
    if value not in SUPPORTED_LANGUAGES:
        raise _bad_parameter(
            _(
                "The parameter “lang” must be one of: %(languages)s.",
                languages=", ".join(SUPPORTED_LANGUAGES),
            )
        )
    return value


def _link_arguments() -> dict[str, str]:
    """What links to other resources carry: the language, when it is not the default."""
    return {"lang": g.lang} if g.lang != DEFAULT_LANGUAGE else {}


@blueprint.before_request
def choose_language() -> None:
    """Labels in the `lang` parameter's language (English by default), not the browser's."""
    if request.endpoint == "api.open_data" or not request.path.startswith(API):
        return
    g.lang = DEFAULT_LANGUAGE  # a bad `lang` is refused in English
    g.lang = _language()
    catalogue.refresh()


# --- Answers ----------------------------------------------------------------------------------


def json_response(payload: object, status: int = 200) -> Response:
    """JSON with an ETag of its body; a matching If-None-Match is answered 304."""
    response = Response(
        json.dumps(payload, ensure_ascii=False) + "\n", status=status, mimetype="application/json"
    )
    response.headers["Content-Language"] = g.lang
    response.add_etag()
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    return response.make_conditional(request)


@dataclass(frozen=True)
class Pagination:
    page: int
    per_page: int
    total: int

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    def window(self, items: Sequence) -> list:
        start = (self.page - 1) * self.per_page
        return list(items[start : start + self.per_page])

    def meta(self) -> dict:
        return {
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "page_count": self.page_count,
        }

    def links(self) -> dict[str, str | None]:
        def page_url(number: int) -> str:
            return links.this_page_url(external=True, page=str(number))

        return {
            "self": page_url(self.page),
            "first": page_url(1),
            "last": page_url(self.page_count),
            "prev": page_url(self.page - 1) if self.page > 1 else None,
            "next": page_url(self.page + 1) if self.page < self.page_count else None,
        }


def _pagination(total: int) -> Pagination:
    """`page` and `per_page` from the query; a page past the last is a 404."""
    pagination = Pagination(
        page=_whole_number("page") or 1,
        per_page=_whole_number("per_page", MAX_PER_PAGE) or DEFAULT_PER_PAGE,
        total=total,
    )
    if pagination.page > pagination.page_count:
        abort(
            404,
            description=_(
                "There is no page %(page)s; the last page is %(last)s.",
                page=pagination.page,
                last=pagination.page_count,
            ),
        )
    return pagination


def _listing(data: list, pagination: Pagination, **meta) -> Response:
    return json_response(
        {
            "data": data,
            "meta": {**meta, "lang": g.lang, **pagination.meta()},
            "links": pagination.links(),
        }
    )


def _country_page(iso3: str) -> country_queries.CountryPage:
    if not _ISO3.fullmatch(iso3):
        abort(404, description=_("There is no country with the code “%(code)s”.", code=iso3))
    page = country_queries.country_page(db.session, iso3.upper(), _whole_number("year"))
    if page is None:
        abort(
            404,
            description=_(
                "The organisation has no outcome in a country with the code “%(code)s”.",
                code=iso3,
            ),
        )
    return page


# --- Endpoints --------------------------------------------------------------------------------


@blueprint.get(f"{API}/")
def index() -> Response:
    _check_parameters(("lang",))
    link_arguments = _link_arguments()
    return json_response(
        {
            "name": _("Open Results Portal open data API"),
            "version": openapi.API_VERSION,
            "links": {
                "countries": links.site_url("api.countries", external=True, **link_arguments),
                "openapi": links.site_url("api.openapi_document", external=True, **link_arguments),
                "documentation": links.site_url("api.open_data", external=True, lang=g.lang),
            },
        }
    )


@blueprint.get(f"{API}/openapi.json")
def openapi_document() -> Response:
    _check_parameters(("lang",))
    return json_response(openapi.document())


@blueprint.get(f"{API}/countries")
def countries() -> Response:
    """Countries where the organisation has outcomes, by English name, with their facts."""
    _check_parameters(("page", "per_page", "lang"))
    listings = country_queries.countries_with_outcomes(db.session)
    pagination = _pagination(len(listings))
    shown = pagination.window(listings)
    iso3s = [listing.iso3 for listing in shown]
    rows = queries.countries_by_iso3(db.session, iso3s)
    facts = queries.facts_by_country(db.session, iso3s)
    links = _link_arguments()
    data = [
        resources.country_resource(
            rows[listing.iso3], facts[listing.iso3], listing.outcome_count, links
        )
        for listing in shown
        if listing.iso3 in rows
    ]
    return _listing(data, pagination)


@blueprint.get(f"{API}/countries/<iso3>")
def country(iso3: str) -> Response:
    """A country with its facts, its plan periods and the years with data."""
    _check_parameters(("lang",))
    page = _country_page(iso3)
    outcome_count = len(page.year_outcomes)  # the year the page opens on, as the lists count
    resource = resources.country_resource(
        page.country, page.facts, outcome_count, _link_arguments()
    )
    resource["plan_periods"] = sorted({a.plan_period for a in page.ledger.activities})
    resource["current_plan_period"] = (
        page.current_plan_period.label if page.current_plan_period else None
    )
    resource["years"] = page.years
    resource["default_year"] = page.year
    return json_response({"data": resource})


@blueprint.get(f"{API}/countries/<iso3>/outcomes")
def country_outcomes(iso3: str) -> Response:
    """The outcomes a country page shows for a year (or those of one plan period), with their
    money for the year by their share of the country, and the year's totals per publisher."""
    _check_parameters(("year", "plan_period", "page", "per_page", "lang"))
    page = _country_page(iso3)
    return _place_outcomes(page, country=page.country.iso3)


@blueprint.get(f"{API}/regions/<key>/outcomes")
def region_outcomes(key: str) -> Response:
    """The outcomes a region page shows for a year, as for a country."""
    _check_parameters(("year", "plan_period", "page", "per_page", "lang"))
    parsed = region_queries.parse_region_key(key)
    page = (
        region_queries.region_page(db.session, *parsed, _whole_number("year"), g.lang)
        if parsed
        else None
    )
    if page is None:
        abort(404, description=_("There is no region with the key “%(key)s”.", key=key))
    return _place_outcomes(page, region=page.region.key)


def _place_outcomes(page: country_queries.PlacePage, **place: str) -> Response:
    plan_period = _plan_period()
    if plan_period is None:
        activities = page.year_outcomes
        money_year = page.year
    else:
        activities = [a for a in page.ledger.activities if a.plan_period == plan_period]
        money_year = _whole_number("year")
    pagination = _pagination(len(activities))
    shown_activities = pagination.window(activities)
    shown = queries.outcomes_with_everything(db.session, [a.id for a in shown_activities])
    data = _outcome_resources(shown, money_year, {a.id: a for a in shown_activities})
    totals = (
        [resources.publisher_totals_resource(p) for p in page.ledger.year(money_year).publishers]
        if plan_period is None and money_year is not None and money_year in page.years
        else []
    )
    return _listing(
        data, pagination, **place, year=money_year, plan_period=plan_period, totals=totals
    )


@blueprint.get(f"{API}/outcomes/<path:identifier>")
def outcome(identifier: str) -> Response:
    """An outcome in one plan period (the newest unless `plan_period` names another)."""
    _check_parameters(("plan_period", "lang"))
    plan_period = _plan_period()
    candidates = queries.plan_periods_of_identifier(db.session, identifier)
    if plan_period is not None:
        candidates_in_period = [row for row in candidates if row[1] == plan_period]
    else:
        newest = plan_periods.newest(plan_periods.PlanPeriod.parse(p) for _, p in candidates)
        candidates_in_period = [row for row in candidates if newest and row[1] == newest.label]
    if not candidates_in_period:
        if plan_period:
            message = _(
                "There is no outcome “%(identifier)s” in the plan period %(period)s.",
                identifier=identifier,
                period=plan_period,
            )
        else:
            message = _("There is no outcome “%(identifier)s”.", identifier=identifier)
        abort(404, description=message)
    outcome_id = candidates_in_period[0][0]
    (shown,) = queries.outcomes_with_everything(db.session, [outcome_id])
    (resource,) = _outcome_resources([shown], None, {})
    resource["plan_periods"] = sorted(period for _, period in candidates)
    return json_response({"data": resource})


def _outcome_resources(
    outcomes: list, money_year: int | None, in_place: dict[int, LedgerActivity]
) -> list[dict]:
    """Outcomes as resources; in a place (`in_place` by id), their money counts by their share
    there, else all of it."""
    links = _link_arguments()
    data = []
    for shown in outcomes:
        activity = in_place.get(shown.id) or whole_activity(shown)
        by_year = rules.money_by_year(
            activity.budgets, activity.transactions, activity.default_currency, activity.share
        )
        resource = resources.outcome_resource(
            shown,
            money_year,
            activity.money(money_year) if money_year else None,
            links,
            activity.share,
        )
        resource["money_by_year"] = [
            resources.year_money_resource(year, by_year[year]) for year in sorted(by_year)
        ]
        data.append(resource)
    return data


# --- The human page ---------------------------------------------------------------------------


@blueprint.get(f"{API}/data-quality")
def data_quality() -> Response:
    """What looks wrong in the published data: the findings, filtered by the activity's
    country and the kind, in activity order (as /<lang>/data-quality/ lists them)."""
    _check_parameters(("country", "kind", "page", "per_page", "lang"))
    country = request.args.get("country") or None
    if country is not None and not _ISO3.fullmatch(country):
        raise _bad_parameter(
            _("The parameter “country” must be three letters, an ISO 3166-1 alpha-3 code.")
        )
    kind = request.args.get("kind") or None
    if kind is not None and kind not in quality_kinds.KINDS:
        raise _bad_parameter(
            _(
                "The parameter “kind” must be one of: %(kinds)s.",
                kinds=", ".join(quality_kinds.KINDS),
            )
        )
    country = country.upper() if country else None
    pagination = _pagination(quality_queries.count_findings(db.session, country, kind))
    findings = quality_queries.findings_slice(
        db.session,
        country,
        kind,
        (pagination.page - 1) * pagination.per_page,
        pagination.per_page,
    )
    link_arguments = _link_arguments()
    data = [resources.finding_resource(finding, link_arguments) for finding in findings]
    return _listing(data, pagination, country=country, kind=kind)


@blueprint.get("/<lang>/open-data/")
def open_data() -> str:
    """What can be downloaded and how to use the API, generated from the OpenAPI document."""
    return render_template(
        "api/open_data.html",
        api_document=openapi.document(),
        api_root=links.site_url("api.index", external=True),
        openapi_url=url_for("api.openapi_document"),
        download_tables=list(tables.DEFINITIONS.values()),
    )
