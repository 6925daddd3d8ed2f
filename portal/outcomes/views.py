"""The outcome page, and the chart builders the country tabs' templates call.

/<lang>/outcomes/<identifier>?plan_period=2022-2025 shows one outcome in one plan period.
Identifiers contain dots and sometimes spaces ("XM-DAC-41146-PAP _O_1.1"), so the path
converter takes the rest of the address; without `plan_period` the newest period is shown.
Its results (outputs, then other results) are shown ten at a time (`page`; HTMX swaps only
the list). An unknown identifier or plan period, or a page past the last, is a 404, never a 500.
"""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _

from portal.arguments import plan_period_argument, whole_number_argument
from portal.caching import cached_page
from portal.extensions import db
from portal.htmx import render_page_or_fragment
from portal.i18n import preferred_language
from portal.i18n.formatting import pick_narrative, territory_name
from portal.outcomes import charts, queries
from portal.pagination import page_of

blueprint = Blueprint("outcomes", __name__, url_prefix="/<lang>/outcomes")

LONGEST_IDENTIFIER = 300


def _is_clean(text: str, longest: int) -> bool:
    """Short enough, and free of control characters (NUL breaks some databases)."""
    return len(text) <= longest and all(ord(char) >= 32 and ord(char) != 127 for char in text)


def checked_outcome_address(identifier: str) -> str | None:
    """The plan period the outcome's address asks for, after checking the address as the
    outcome page and its downloads do: 404 for an unusable identifier or plan period, 400 for
    a repeated plan period."""
    if not identifier.strip() or not _is_clean(identifier, LONGEST_IDENTIFIER):
        abort(404)
    return plan_period_argument()


@blueprint.get("/<path:identifier>")
@cached_page
def outcome(identifier: str):
    plan_period = checked_outcome_address(identifier)
    page_number = whole_number_argument("page") or 1
    detail = queries.outcome_detail(db.session, identifier, plan_period, preferred_language())
    if detail is None:
        abort(404)

    def page_url(number: int) -> str:
        return url_for(
            "outcomes.outcome",
            identifier=detail.iati_identifier,
            plan_period=detail.plan_period,
            page=number if number > 1 else None,
        )

    listing = page_of((*detail.outputs, *detail.other_results), page_number, page_url=page_url)
    shown_outputs = [result for result in listing.rows if result.type_code == queries.OUTPUT]

    country_name = None
    country_url = None
    if detail.country_iso2:
        country_name = territory_name(detail.country_iso2, detail.country_english_name or "")
    if detail.country_iso3 and detail.country_english_name:
        country_url = url_for("countries.overview", iso3=detail.country_iso3)
    title = pick_narrative(detail.title, detail.default_lang)
    page_title = " – ".join(
        part
        for part in (
            title.text if title else _("Untitled outcome"),
            detail.plan_period,
            country_name,
            _("page %(number)s", number=page_number) if page_number > 1 else None,
        )
        if part
    )
    return render_page_or_fragment(
        "outcomes/page.html",
        "outcomes/fragments/outcome.html",
        fragments_by_target={"outcome-results": "outcomes/fragments/results.html"},
        outcome=detail,
        listing=listing,
        shown_outputs=shown_outputs,
        shown_others=listing.rows[len(shown_outputs) :],
        others_start=listing.first + len(shown_outputs) - len(detail.outputs),
        page_url=page_url,
        country_name=country_name,
        country_url=country_url,
        page_title=page_title,
    )


# --- What the templates use ----------------------------------------------------------------


@blueprint.app_template_filter("indicator_value")
def indicator_value(value: str | Decimal | None) -> str:
    """An indicator's value: a number in the visitor's format ("12 805"), else as published."""
    if value is None:
        return ""
    number = value if isinstance(value, Decimal) else queries.number_value(value)
    if number is None:
        return str(value)
    formatted = format_decimal(number, format="#,##0.###")
    if isinstance(value, str) and value.strip().endswith("%"):
        return f"{formatted} %"
    return formatted


blueprint.add_app_template_global(charts.budget_vs_expenditure_by_outcome, "outcome_money_charts")
blueprint.add_app_template_global(charts.funding_by_partner, "partner_funding_charts")
blueprint.add_app_template_global(charts.spending_by_area, "area_spending_charts")
blueprint.add_app_template_global(charts.money_by_year, "year_money_charts")
