"""The read-only open data API (/api/v1/) and the page that describes it (/<lang>/open-data/).

Every answer is JSON with an ETag (a hash of the body; If-None-Match gives 304), open to
every origin for GET, HEAD and OPTIONS. Parameters are checked strictly: an unknown or
malformed one is a 400 with a JSON error saying what is wrong, an unknown thing a 404. Each
endpoint is one view under `@endpoint(…)`, which names the schema of its query
(portal.api.schemas): the view gets the values read by it, and the schema of its answer
(portal.api.responses), which writes what the view returns; the OpenAPI document lists both.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from flask import Blueprint, abort, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import links
from portal.api import openapi, queries, responses, schemas
from portal.api.openapi import endpoint
from portal.api.responses import Augmented, YearMoney
from portal.config import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from portal.countries import plan_periods
from portal.countries import queries as country_queries
from portal.downloads import tables
from portal.downloads.overview import GLOBAL_OVERVIEW
from portal.downloads.partners import PARTNER
from portal.extensions import db
from portal.home import overview as home_overview
from portal.home import views as home_views
from portal.i18n import catalogue
from portal.ledger import LedgerActivity, rules, whole_activity
from portal.quality import queries as quality_queries
from portal.regions import queries as region_queries
from portal.regions.views import display_name as region_display_name

blueprint = Blueprint("api", __name__)

API = openapi.SERVER


@blueprint.before_request
def choose_language() -> None:
    """Labels in the `lang` parameter's language (English by default), not the browser's."""
    if request.endpoint == "api.open_data" or not request.path.startswith(API):
        return
    g.lang = DEFAULT_LANGUAGE  # a bad `lang` is refused in English
    g.lang = schemas.language()
    catalogue.refresh()


# --- Lists ------------------------------------------------------------------------------------


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


def _pagination(args: dict, total: int) -> Pagination:
    """`page` and `per_page` from the query; a page past the last is a 404."""
    pagination = Pagination(page=args["page"], per_page=args["per_page"], total=total)
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


def _listing(data: list, pagination: Pagination, **meta) -> dict:
    return {
        "data": data,
        "meta": {**meta, "lang": g.lang, **pagination.meta()},
        "links": pagination.links(),
    }


def _country_page(iso3: str, year: int | None) -> country_queries.CountryPage:
    page = country_queries.country_page(db.session, iso3.upper(), year)
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


@endpoint(
    blueprint,
    f"{API}/",
    operation_id="index",
    summary=_l("Where to start: links to the resources"),
    answer=_l("Links to the resources"),
    args=schemas.LanguageArgs(),
    response=responses.ApiIndexSchema,
    can_be_missing=False,
)
def index(args: dict) -> dict:
    return {
        "name": _("Open Results Portal open data API"),
        "version": openapi.API_VERSION,
        "links": {
            "countries": responses.api_url("api.countries"),
            "openapi": responses.api_url("api.openapi_document"),
            "documentation": links.site_url("api.open_data", external=True, lang=g.lang),
        },
    }


@endpoint(
    blueprint,
    f"{API}/openapi.json",
    operation_id="getOpenApiDocument",
    summary=_l("This document"),
    answer=_l("The OpenAPI 3.1 document"),
    args=schemas.LanguageArgs(),
    response=None,
)
def openapi_document(args: dict) -> dict:
    return openapi.document()


@endpoint(
    blueprint,
    f"{API}/countries",
    operation_id="listCountries",
    summary=_l("Countries where the organisation has outcomes, with facts"),
    answer=_l("A page of countries, by English name"),
    args=schemas.PageArgs(),
    response=responses.CountryListSchema,
)
def countries(args: dict) -> dict:
    """Countries where the organisation has outcomes, by English name, with their facts."""
    listings = country_queries.countries_with_outcomes(db.session)
    pagination = _pagination(args, len(listings))
    shown = pagination.window(listings)
    iso3s = [listing.iso3 for listing in shown]
    rows = queries.countries_by_iso3(db.session, iso3s)
    facts = queries.facts_by_country(db.session, iso3s)
    data = [
        Augmented(
            rows[listing.iso3], facts=facts[listing.iso3], outcome_count=listing.outcome_count
        )
        for listing in shown
        if listing.iso3 in rows
    ]
    return _listing(data, pagination)


@endpoint(
    blueprint,
    f"{API}/countries/<iso3:iso3>",
    operation_id="getCountry",
    summary=_l("A country with its facts, plan periods and years with data"),
    answer=_l("The country"),
    args=schemas.LanguageArgs(),
    response=responses.CountryDetailAnswerSchema,
)
def country(iso3: str, args: dict) -> dict:
    """A country with its facts, its plan periods and the years with data."""
    page = _country_page(iso3, None)
    resource = Augmented(
        page.country,
        facts=page.facts,
        outcome_count=len(page.year_outcomes),  # the year the page opens on, as lists count
        plan_periods=sorted({a.plan_period for a in page.ledger.activities}),
        current_plan_period=page.current_plan_period.label if page.current_plan_period else None,
        years=page.years,
        default_year=page.year,
    )
    return {"data": resource}


@endpoint(
    blueprint,
    f"{API}/countries/<iso3:iso3>/outcomes",
    operation_id="listCountryOutcomes",
    summary=_l("A country's outcomes with money, results and indicators"),
    answer=_l("A page of outcomes in identifier order"),
    args=schemas.PlaceOutcomesArgs(),
    response=responses.OutcomeListSchema,
)
def country_outcomes(iso3: str, args: dict) -> dict:
    """The outcomes a country page shows for a year (or those of one plan period), with their
    money for the year by their share of the country, and the year's totals per publisher."""
    page = _country_page(iso3, args.get("year"))
    return _place_outcomes(page, args, country=page.country.iso3)


@endpoint(
    blueprint,
    f"{API}/regions/<key>/outcomes",
    operation_id="listRegionOutcomes",
    summary=_l("A region's outcomes with money, results and indicators"),
    answer=_l("A page of outcomes in identifier order"),
    args=schemas.PlaceOutcomesArgs(),
    response=responses.OutcomeListSchema,
)
def region_outcomes(key: str, args: dict) -> dict:
    """The outcomes a region page shows for a year, as for a country."""
    parsed = region_queries.parse_region_key(key)
    page = (
        region_queries.region_page(db.session, *parsed, args.get("year"), g.lang)
        if parsed
        else None
    )
    if page is None:
        abort(404, description=_("There is no region with the key “%(key)s”.", key=key))
    return _place_outcomes(page, args, region=page.region.key)


def _place_outcomes(page: country_queries.PlacePage, args: dict, **place: str) -> dict:
    plan_period = args.get("plan_period")
    if plan_period is None:
        activities = page.year_outcomes
        money_year = page.year
    else:
        activities = [a for a in page.ledger.activities if a.plan_period == plan_period]
        money_year = args.get("year")
    pagination = _pagination(args, len(activities))
    shown_activities = pagination.window(activities)
    shown = queries.outcomes_with_everything(db.session, [a.id for a in shown_activities])
    data = _outcomes_with_money(shown, money_year, {a.id: a for a in shown_activities})
    totals = (
        page.ledger.year(money_year).publishers
        if plan_period is None and money_year is not None and money_year in page.years
        else []
    )
    return _listing(
        data, pagination, **place, year=money_year, plan_period=plan_period, totals=totals
    )


@endpoint(
    blueprint,
    f"{API}/outcomes/<path:identifier>",
    operation_id="getOutcome",
    summary=_l("An outcome in one plan period (the newest by default)"),
    answer=_l("The outcome"),
    args=schemas.OutcomeArgs(),
    response=responses.OutcomeDetailAnswerSchema,
)
def outcome(identifier: str, args: dict) -> dict:
    """An outcome in one plan period (the newest unless `plan_period` names another)."""
    plan_period = args.get("plan_period")
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
    (resource,) = _outcomes_with_money(
        [shown], None, {}, plan_periods=sorted(period for _, period in candidates)
    )
    return {"data": resource}


def _outcomes_with_money(
    outcomes: list, money_year: int | None, in_place: dict[int, LedgerActivity], **extra
) -> list[Augmented]:
    """Outcomes with their money: in a place (`in_place` by id), by their share there, else
    all of it."""
    data = []
    for shown in outcomes:
        activity = in_place.get(shown.id) or whole_activity(shown)
        by_year = rules.money_by_year(
            activity.budgets, activity.transactions, activity.default_currency, activity.share
        )
        resource = Augmented(
            shown,
            share=activity.share,
            money=YearMoney(money_year, activity.money(money_year)) if money_year else None,
            money_by_year=[YearMoney(year, by_year[year]) for year in sorted(by_year)],
            **extra,
        )
        data.append(resource)
    return data


@endpoint(
    blueprint,
    f"{API}/data-quality",
    operation_id="listDataQualityFindings",
    summary=_l("What looks wrong in the published data, finding by finding"),
    answer=_l("A page of findings in activity order"),
    args=schemas.FindingArgs(),
    response=responses.FindingListSchema,
)
def data_quality(args: dict) -> dict:
    """What looks wrong in the published data: the findings, filtered by the activity's
    country and the kind, in activity order (as /<lang>/data-quality/ lists them)."""
    country, kind = args.get("country"), args.get("kind")
    pagination = _pagination(args, quality_queries.count_findings(db.session, country, kind))
    findings = quality_queries.findings_slice(
        db.session,
        country,
        kind,
        (pagination.page - 1) * pagination.per_page,
        pagination.per_page,
    )
    return _listing(findings, pagination, country=country, kind=kind)


@endpoint(
    blueprint,
    f"{API}/overview",
    operation_id="getOverview",
    summary=_l("The global overview of a year: the country and region pages added up"),
    answer=_l("The overview"),
    args=schemas.OverviewArgs(),
    response=responses.OverviewSchema,
)
def overview(args: dict) -> dict:
    """The home page's figures for a year (`year`, else the year the home page opens on): each
    total is the sum of the country and region pages' figures; 404 for a year without data."""
    world = home_views.world_ledger()
    year = args.get("year")
    if year is None:
        year = world.default_year(dt.date.today())
    if year is None or year not in world.years:
        abort(404, description=_("There is no outcome active in %(year)s.", year=year or "–"))
    shown = home_overview.overview(db.session, world, year, g.lang, strategic=True)
    strategic = shown.strategic
    return {
        "data": {
            "year": shown.year,
            "years": shown.years,
            "outcome_count": shown.world.activity_count,
            "totals": shown.world.ledger.publishers,
            "country_totals": shown.world.country_totals,
            "region_totals": shown.world.region_totals,
            "countries": [
                _overview_place(
                    row.iso3,
                    row.name,
                    row.figures,
                    _html_url("countries.overview", iso3=row.iso3, year=year),
                    map_level=row.level,
                )
                for row in shown.countries
            ],
            "regions": [
                _overview_place(
                    row.key,
                    region_display_name(row),
                    row.figures,
                    _html_url("regions.overview", key=row.key, year=year),
                )
                for row in shown.regions
            ],
            "strategic_plan_areas": strategic.areas if strategic else (),
            "sdgs": strategic.sdgs if strategic else (),
        }
    }


def _overview_place(code: str, name: str, figures, html: str, **map_level: int) -> dict:
    """A country or region of the global overview (a country with its `map_level`)."""
    return {
        "code": code,
        "name": name,
        "active": figures is not None,
        "publishers": figures.publishers if figures is not None else (),
        "links": {"html": html},
        **map_level,
    }


def _html_url(endpoint_name: str, **values) -> str:
    return links.site_url(endpoint_name, external=True, lang=g.lang, **values)


# --- The human page ---------------------------------------------------------------------------


@blueprint.get("/<lang>/open-data/")
def open_data() -> str:
    """What can be downloaded and how to use the API, generated from the OpenAPI document."""
    return render_template(
        "api/open_data.html",
        api_document=openapi.document(),
        api_root=links.site_url("api.index", external=True),
        openapi_url=url_for("api.openapi_document"),
        download_tables=[*tables.DEFINITIONS.values(), GLOBAL_OVERVIEW, PARTNER],
        api_languages=", ".join(SUPPORTED_LANGUAGES),
    )
