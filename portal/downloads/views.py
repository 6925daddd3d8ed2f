"""Download routes: a view's path with .csv, .xlsx or .json, and the IATI XML behind it.

`/fr/countries/MLI/progress.csv?year=2023` holds every outcome the Our Progress tab shows for
2023 (all its pages), with French labels; `/fr/outcomes/<identifier>.csv?plan_period=` holds
the outcome page; `activities.xml` and `<identifier>.xml` the activities as published.
Arguments are read as the pages read them, and the rows come from the pages' own queries
(portal.downloads.tables).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from flask import Blueprint, Response, abort, stream_with_context
from flask_babel import gettext as _

from portal.arguments import upper_case_redirect, whole_number_argument
from portal.countries import queries as country_queries
from portal.downloads import iati_xml, queries, tables, writers
from portal.downloads.overview import overview_table
from portal.extensions import db
from portal.home.views import chosen_overview
from portal.i18n import preferred_language
from portal.i18n.formatting import territory_name
from portal.outcomes import queries as outcome_queries
from portal.outcomes.views import checked_outcome_address
from portal.quality import queries as quality_queries
from portal.quality import views as quality_views
from portal.regions import queries as region_queries
from portal.regions.views import display_name

blueprint = Blueprint("downloads", __name__)

FORMATS = "any(csv,xlsx,json)"
COUNTRY_PREFIX = "/<lang>/countries/<iso3:iso3>"
REGION_PREFIX = "/<lang>/regions/<key>"
# Downloads change only when data is imported; a short public cache spares repeated exports.
CACHE_SECONDS = 300


@blueprint.get(f"{COUNTRY_PREFIX}/overview.<{FORMATS}:file_format>")
def country_overview(iso3: str, file_format: str) -> Response:
    return _country_download("overview", iso3, file_format)


@blueprint.get(f"{COUNTRY_PREFIX}/results-resources.<{FORMATS}:file_format>")
def country_results_resources(iso3: str, file_format: str) -> Response:
    return _country_download("results-resources", iso3, file_format)


@blueprint.get(f"{COUNTRY_PREFIX}/progress.<{FORMATS}:file_format>")
def country_progress(iso3: str, file_format: str) -> Response:
    return _country_download("progress", iso3, file_format)


@blueprint.get(f"{COUNTRY_PREFIX}/strategic-plan.<{FORMATS}:file_format>")
def country_strategic_plan(iso3: str, file_format: str) -> Response:
    return _country_download("strategic-plan", iso3, file_format)


@blueprint.get(f"{REGION_PREFIX}/overview.<{FORMATS}:file_format>")
def region_overview(key: str, file_format: str) -> Response:
    return _region_download("overview", key, file_format)


@blueprint.get(f"{REGION_PREFIX}/results-resources.<{FORMATS}:file_format>")
def region_results_resources(key: str, file_format: str) -> Response:
    return _region_download("results-resources", key, file_format)


@blueprint.get(f"{REGION_PREFIX}/progress.<{FORMATS}:file_format>")
def region_progress(key: str, file_format: str) -> Response:
    return _region_download("progress", key, file_format)


@blueprint.get(f"{REGION_PREFIX}/strategic-plan.<{FORMATS}:file_format>")
def region_strategic_plan(key: str, file_format: str) -> Response:
    return _region_download("strategic-plan", key, file_format)


def _region_download(table_name: str, key: str, file_format: str) -> Response:
    """A region tab's file: the same tables as a country's, for the region's activities."""
    table = tables.COUNTRY_TABLES[table_name](db.session, _region_view(key))
    return download_response(table, file_format)


@blueprint.get(f"{REGION_PREFIX}/activities.xml")
def region_activities(key: str) -> Response:
    """The IATI XML of the activities the region page shows for the year, as published."""
    return _activities_file(_region_view(key))


@blueprint.get(f"/<lang>/outcomes/<path:identifier>.<{FORMATS}:file_format>")
def outcome(identifier: str, file_format: str) -> Response:
    """The outcome page's content (one plan period: the newest unless one is asked for)."""
    detail = _outcome_detail(identifier)
    country_name = (
        territory_name(detail.country_iso2, detail.country_english_name or "")
        if detail.country_iso2
        else None
    )
    provenance = queries.provenance(db.session, [detail.id]).get(detail.id)
    table = tables.outcome_table(detail, country_name, preferred_language(), provenance)
    return download_response(table, file_format)


@blueprint.get(f"/<lang>/data-quality/findings.<{FORMATS}:file_format>")
def data_quality(file_format: str) -> Response:
    """Every finding the data-quality page lists with the same filters (country, kind)."""
    country, kind = quality_views.country_argument(), quality_views.kind_argument()
    findings = quality_queries.findings_slice(db.session, country, kind, 0, None)
    table = tables.data_quality_table(findings, country, kind, preferred_language())
    return download_response(table, file_format)


@blueprint.get("/<lang>/outcomes/<path:identifier>.xml")
def outcome_activity(identifier: str) -> Response:
    """The outcome's `<iati-activity>` as published, in an `<iati-activities>` file."""
    detail = _outcome_detail(identifier)
    note = _(
        "The IATI activity %(identifier)s (plan period %(period)s) from the Open Results "
        "Portal, exactly as its publisher published it; only this wrapper is new.",
        identifier=detail.iati_identifier,
        period=detail.plan_period,
    )
    document = iati_xml.activities_document(
        queries.activity_xml(db.session, [detail.id]), _now(), note
    )
    response = Response(
        stream_with_context(document), content_type="application/xml; charset=utf-8"
    )
    return _as_attachment(
        response, tables.unicode_file_stem(detail.iati_identifier, detail.plan_period), "xml"
    )


def _outcome_detail(identifier: str) -> outcome_queries.OutcomeDetail:
    """The outcome the address names, read as the outcome page reads it; else 404 (or 400)."""
    plan_period = checked_outcome_address(identifier)
    detail = outcome_queries.outcome_detail(
        db.session, identifier, plan_period, preferred_language()
    )
    if detail is None:
        abort(404)
    return detail


@blueprint.get(f"{COUNTRY_PREFIX}/activities.xml")
def country_activities(iso3: str) -> Response:
    """The IATI XML of the outcomes the country page shows for the year, as published."""
    view = _country_view(iso3)
    if isinstance(view, Response):
        return view
    return _activities_file(view)


def _activities_file(view: tables.CountryView) -> Response:
    outcome_ids = [outcome.id for outcome in view.outcomes]
    note = _(
        "IATI activities of %(country)s shown for %(year)s on the Open Results Portal, "
        "exactly as their publishers published them; only this wrapper is new.",
        country=view.country_name,
        year=view.page.year if view.page.year is not None else "–",
    )
    document = iati_xml.activities_document(
        queries.activity_xml(db.session, outcome_ids), _now(), note
    )
    stem = tables.unicode_file_stem(
        view.country_name or view.place_code, "activities", view.page.year
    )
    response = Response(
        stream_with_context(document), content_type="application/xml; charset=utf-8"
    )
    return _as_attachment(response, stem, "xml")


def _region_view(key: str) -> tables.CountryView:
    """The region page's state for the request, as the region page reads it."""
    parsed = region_queries.parse_region_key(key)
    if parsed is None:
        abort(404)
    year = whole_number_argument("year")
    page = region_queries.region_page(db.session, *parsed, year, preferred_language())
    if page is None:
        abort(404)
    return tables.CountryView(page, display_name(page.region), preferred_language())


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _country_view(iso3: str) -> tables.CountryView | Response:
    """The country page's state for the request, as the page itself reads it (or a redirect)."""
    redirect_to_capitals = upper_case_redirect(iso3)
    if redirect_to_capitals is not None:
        return redirect_to_capitals
    year = whole_number_argument("year")
    page = country_queries.country_page(db.session, iso3, year)
    if page is None:
        abort(404)
    country_name = territory_name(page.country.iso2, page.country.english_name)
    return tables.CountryView(page, country_name, preferred_language())


def _country_download(table_name: str, iso3: str, file_format: str) -> Response:
    view = _country_view(iso3)
    if isinstance(view, Response):
        return view
    table = tables.COUNTRY_TABLES[table_name](db.session, view)
    return download_response(table, file_format)


def download_response(table: tables.DownloadTable, file_format: str) -> Response:
    """The table as a file: CSV and JSON streamed as written, XLSX from its spooled file."""
    generated_at = _now()
    if file_format == "csv":
        response = Response(
            stream_with_context(writers.csv_chunks(table)),
            content_type="text/csv; charset=utf-8; header=present",
        )
    elif file_format == "json":
        response = Response(
            stream_with_context(writers.json_chunks(table, generated_at)),
            content_type="application/json",
        )
    else:
        workbook = writers.xlsx_file(table, generated_at)
        size = workbook.seek(0, 2)
        workbook.seek(0)
        response = Response(writers.file_chunks(workbook), mimetype=writers.MIMETYPES["xlsx"])
        response.content_length = size
    response.headers["Content-Language"] = preferred_language()  # labels and names
    return _as_attachment(response, table.file_stem, file_format)


def _as_attachment(response: Response, stem: str, extension: str) -> Response:
    """Content-Disposition with an ASCII file name and the visitor's own words in filename*."""
    ascii_name = f"{tables.slug(stem) or 'download'}.{extension}"
    unicode_name = f"{stem}.{extension}"
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(unicode_name, safe='')}"
    )
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    response.vary.add("Accept-Encoding")
    return response


@blueprint.get(f"/<lang>/overview.<{FORMATS}:file_format>")
def overview(file_format: str) -> Response:
    """The home page's global overview of a year (`?year=`, else the year the page opens on)."""
    shown = chosen_overview()
    if shown is None:
        abort(404)
    return download_response(overview_table(shown, display_name, preferred_language()), file_format)
