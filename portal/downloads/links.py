"""Which downloads the page being rendered offers: the Download Data section asks here.

The section is one partial included by every country tab (and the outcome page); it finds
its page from the request's endpoint and the template's context, so the links always name
exactly the view shown (same country, tab and year; every row, not just the visible page).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import request, url_for
from flask_babel import lazy_pgettext
from jinja2 import pass_context

from portal.downloads import partners, tables, writers

FILE_FORMATS = ("csv", "xlsx", "json")
FORMAT_NAMES = {"csv": "CSV", "xlsx": "Excel (XLSX)", "json": "JSON"}
SIZE_NAMES = {
    "small": lazy_pgettext("file size", "small"),
    "medium": lazy_pgettext("file size", "medium"),
    "large": lazy_pgettext("file size", "large"),
}
# Country page endpoints and the download (table name, endpoint) that mirrors each.
COUNTRY_TAB_DOWNLOADS = {
    "countries.overview": ("overview", "downloads.country_overview"),
    "countries.results_resources": ("results-resources", "downloads.country_results_resources"),
    "countries.progress": ("progress", "downloads.country_progress"),
    "countries.strategic_plan": ("strategic-plan", "downloads.country_strategic_plan"),
}
REGION_TAB_DOWNLOADS = {
    "regions.overview": ("overview", "downloads.region_overview"),
    "regions.results_resources": ("results-resources", "downloads.region_results_resources"),
    "regions.progress": ("progress", "downloads.region_progress"),
    "regions.strategic_plan": ("strategic-plan", "downloads.region_strategic_plan"),
}
OUTCOME_PAGE = "outcomes.outcome"


@dataclass(frozen=True)
class DownloadLink:
    url: str
    file_format: str
    format_name: str
    size: str

    @property
    def mimetype(self) -> str:
        return writers.MIMETYPES[self.file_format]


@dataclass(frozen=True)
class DownloadOffer:
    """The files of one view: the table in three formats, and the IATI XML behind it."""

    view_label: str
    links: list[DownloadLink]
    xml_url: str | None
    activity_count: int


def _links(endpoint: str, row_count: int, **arguments) -> list[DownloadLink]:
    size = str(SIZE_NAMES[tables.size_class(row_count)])
    return [
        DownloadLink(
            url_for(endpoint, file_format=file_format, **arguments),
            file_format,
            FORMAT_NAMES[file_format],
            size,
        )
        for file_format in FILE_FORMATS
    ]


def _country_row_count(table_name: str, context: Mapping, view: tables.CountryView) -> int:
    """How many rows the file of the tab holds, from what the tab already read."""
    if table_name == "results-resources":
        return len(tables.results_resources_rows(view, context.get("results"), {}))
    if table_name == "strategic-plan":
        return len(tables.strategic_plan_rows(view, context.get("strategic"), {}))
    return len(view.outcomes)


def _place_offer(context: Mapping, downloads: Mapping, xml_endpoint: str) -> DownloadOffer | None:
    table_name, endpoint = downloads[request.endpoint]
    page = context.get("page")
    state = context.get("state")
    if page is None or state is None:
        return None
    view = tables.CountryView(page, context.get("country_name") or "", "")
    arguments = dict(state.place_arguments)
    if state.year is not None:
        arguments["year"] = state.year
    row_count = _country_row_count(table_name, context, view)
    return DownloadOffer(
        view_label=str(tables.DEFINITIONS[table_name].label),
        links=_links(endpoint, row_count, **arguments),
        xml_url=url_for(xml_endpoint, **arguments) if view.outcomes else None,
        activity_count=len(view.outcomes),
    )


def _outcome_offer(context: Mapping) -> DownloadOffer | None:
    detail = context.get("outcome")
    if detail is None:
        return None
    row_count = len(tables.outcome_rows(detail, None, None))
    arguments = {"identifier": detail.iati_identifier, "plan_period": detail.plan_period}
    return DownloadOffer(
        view_label=str(tables.OUTCOME.label),
        links=_links("downloads.outcome", row_count, **arguments),
        xml_url=url_for("downloads.outcome_activity", **arguments),
        activity_count=1,
    )


PARTNER_PAGE = "partners.partner"


def _partner_offer(context: Mapping) -> DownloadOffer | None:
    """A funding partner's page: every line it adds up (portal.downloads.partners)."""
    partner = context.get("partner")
    if partner is None:
        return None
    return DownloadOffer(
        view_label=str(partners.PARTNER.label),
        links=_links("partners.download", len(partner.lines), address=partner.address),
        xml_url=None,
        activity_count=len(partner.by_outcome),
    )


@pass_context
def download_offer(context) -> DownloadOffer | None:
    """The downloads of the page being rendered; None where a page has none."""
    if request.endpoint in COUNTRY_TAB_DOWNLOADS:
        return _place_offer(context, COUNTRY_TAB_DOWNLOADS, "downloads.country_activities")
    if request.endpoint in REGION_TAB_DOWNLOADS:
        return _place_offer(context, REGION_TAB_DOWNLOADS, "downloads.region_activities")
    if request.endpoint == OUTCOME_PAGE:
        return _outcome_offer(context)
    if request.endpoint == PARTNER_PAGE:
        return _partner_offer(context)
    return None
