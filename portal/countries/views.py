"""Country pages: the index by region, and each country's four tabs.

Every state is a URL (tab, `year`, `view`, `group`, `page`); HTMX only swaps the region a link
names (the panel, the map / summary box, a tab's list or the whole country), and
`render_page_or_fragment` decides between that fragment and the page.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.routing import BuildError
from werkzeug.wrappers import Response

from portal import fragments, ledger
from portal.arguments import iso3_argument, upper_case_redirect, whole_number_argument
from portal.caching import cached_page
from portal.countries import queries
from portal.countries.navigation import (
    DEFAULT_VIEW,
    OVERVIEW,
    PROGRESS,
    RESULTS_RESOURCES,
    STRATEGIC_PLAN,
    TABS,
    CountryPageState,
    Tab,
    group_argument,
    view_argument,
)
from portal.extensions import db
from portal.htmx import render_page_or_fragment
from portal.i18n import preferred_language
from portal.i18n.formatting import region_name, territory_name
from portal.maps import world
from portal.outcomes import queries as outcome_queries
from portal.pagination import Page, page_of
from portal.quality.queries import findings_about_activities

blueprint = Blueprint("countries", __name__, url_prefix="/<lang>/countries")

# The regions of a country page HTMX may ask for, by the id of the element it swaps.
FRAGMENTS_BY_TARGET = {
    "country-page": "countries/fragments/country.html",
    "panel": "countries/fragments/panel.html",
    "country-view": "countries/fragments/view.html",
    **{tab.list_id: "countries/fragments/list.html" for tab in TABS if tab.list_id},
}
# Each tab's list, a page of it (the template the panel and the list's fragment include).
LIST_TEMPLATES = {
    OVERVIEW.name: "countries/_outcome_list.html",
    PROGRESS.name: "countries/_progress_list.html",
    RESULTS_RESOURCES.name: "countries/_results_list.html",
    STRATEGIC_PLAN.name: "countries/_strategic_list.html",
}


def _name_sort_key(name: str) -> str:
    """Alphabetical in most Latin-script languages: "Égypte" sorts with the E's."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


@dataclass(frozen=True)
class CountryChoice:
    iso3: str
    name: str

    @property
    def key(self) -> str:
        """The place chooser's value (portal/templates/countries/_selector.html)."""
        return self.iso3


@dataclass(frozen=True)
class RegionGroup:
    code: str | None
    name: str
    countries: list[CountryChoice]


def _localised_choices(
    listings: list[queries.CountryListing] | list[queries.CountryWithActivities],
) -> list[CountryChoice]:
    choices = [
        CountryChoice(listing.iso3, territory_name(listing.iso2, listing.english_name))
        for listing in listings
    ]
    return sorted(choices, key=lambda choice: _name_sort_key(choice.name))


@blueprint.get("/")
@cached_page
def index():
    """Every country where the organisation has outcomes, grouped by UN M49 region."""
    places = ledger.every_place(db.session)
    listings = queries.countries_with_outcomes(db.session, every_place=places)
    by_region: dict[str | None, list[queries.CountryListing]] = {}
    for listing in listings:
        by_region.setdefault(listing.region_m49, []).append(listing)
    groups = [
        RegionGroup(code, region_name(code), _localised_choices(members))
        for code, members in by_region.items()
        if code
    ]
    groups.sort(key=lambda group: _name_sort_key(group.name))
    if None in by_region:
        groups.append(RegionGroup(None, "", _localised_choices(by_region[None])))
    return render_template(
        "countries/index.html",
        regions=groups,
        country_count=len(listings),
        has_regional_activities=any(scope.kind == ledger.REGION for scope in places),
        world_map=world_map(listings),
    )


def world_map(listings: list[queries.CountryListing]) -> Markup | None:
    """The inline SVG world map with these countries highlighted, each a link to its page (Tab
    reaches them in the order of their names); None without map data."""
    links = {
        choice.iso3: world.MapLink(url_for("countries.overview", iso3=choice.iso3), choice.name)
        for choice in _localised_choices(listings)
    }
    highlighted = set(links)
    try:
        return world.index_map_svg(
            highlighted,
            _("World map of the countries where the organisation works"),
            _("The countries with published outcomes are hatched; the list below names them."),
            links=links,
        )
    except world.MapDataMissing:
        return None


@blueprint.get("/<iso3:iso3>/")
def overview(iso3: str):
    return _country_tab(OVERVIEW, iso3)


@blueprint.get("/<iso3:iso3>/results-resources")
def results_resources(iso3: str):
    return _country_tab(RESULTS_RESOURCES, iso3)


@blueprint.get("/<iso3:iso3>/progress")
def progress(iso3: str):
    return _country_tab(PROGRESS, iso3)


@blueprint.get("/<iso3:iso3>/strategic-plan")
def strategic_plan(iso3: str):
    return _country_tab(STRATEGIC_PLAN, iso3)


@cached_page
def _country_tab(tab: Tab, iso3: str) -> Response:
    redirect_to_capitals = upper_case_redirect(iso3)
    if redirect_to_capitals is not None:
        return redirect_to_capitals
    year = whole_number_argument("year")
    page_number = whole_number_argument("page") or 1
    view = view_argument()
    chosen_country = iso3_argument("country")
    if chosen_country is not None:
        # The Country / Year form: the country belongs in the path, not the query.
        query = {"year": year, "view": view if view != DEFAULT_VIEW else None}
        return _redirect(tab, chosen_country, query, 303)

    page = queries.country_page(db.session, iso3, year, facts=False, ledger_of=kept_ledger)
    if page is None:
        return _country_without_outcomes(iso3)
    state = CountryPageState(
        place_key=iso3,
        tab=tab,
        year=page.year,
        year_requested=year is not None,
        view=view,
        page=page_number if tab.list_id else 1,
    )
    country_name = territory_name(page.country.iso2, page.country.english_name)
    region = (
        region_name(page.country.intermediate_m49)
        or region_name(page.country.subregion_m49)
        or region_name(page.country.region_m49)
    )

    def header() -> Markup:
        return Markup(
            render_template(
                "countries/_header.html",
                page=queries.with_facts(db.session, page),
                country_name=country_name,
            )
        )

    # The same for every visitor of the language until the next import (portal.fragments);
    # the header's plan period is the one of today's year.
    current_year = dt.date.today().year
    return render_place_tab(
        page,
        state,
        TABS,
        page_number,
        place_name=country_name,
        place_options=fragments.remembered("country-options", "", _country_options),
        place_label=_("Country"),
        place_parameter="country",
        place_header=fragments.remembered("country-header", f"{iso3}:{current_year}", header),
        country_region=region,
        country_map=_country_map(iso3, country_name, region) if view == "map" else None,
    )


def _country_without_outcomes(iso3: str) -> Response:
    """A country the reference data knows but no publisher works in: 404 (there is no country
    page to index), answered with its header and a sentence saying so rather than "Page not
    found"; every tab's address answers the same. An unknown code gets the plain 404.

    The same whole page for an HTMX request: HTMX swaps no 404, and portal.js then opens the
    address as a page."""
    page = queries.country_without_outcomes(db.session, iso3)
    if page is None:
        abort(404)
    country_name = territory_name(page.country.iso2, page.country.english_name)
    return Response(
        render_template("countries/no_outcomes.html", page=page, country_name=country_name),
        404,
        mimetype="text/html",
    )


def kept_ledger(scope: ledger.Scope) -> ledger.ScopeLedger:
    """The place's ledger, kept in this worker until the next import (portal.fragments): the
    same for every tab, year and language, and the largest read of a page."""
    return fragments.kept_here(
        "place-ledger", scope, lambda: ledger.place_ledger(db.session, scope)
    )


def _country_options() -> Markup:
    return place_options(_localised_choices(queries.country_choices(db.session)))


def place_options(choices: list) -> Markup:
    """The place chooser's `<option>`s (each choice has a key and a name), none selected:
    the same for every page of a language, so kept as one piece (`with_selected`)."""
    return Markup("\n").join(
        Markup('<option value="%s">%s</option>') % (choice.key, choice.name) for choice in choices
    )


def with_selected(options: Markup, key: str) -> Markup:
    """The options with the one whose value is `key` selected."""
    return Markup(
        options.replace(
            Markup('<option value="%s">') % key, Markup('<option value="%s" selected>') % key, 1
        )
    )


def render_place_tab(
    page: queries.PlacePage,
    state: CountryPageState,
    tabs: tuple[Tab, ...],
    page_number: int,
    **place,
) -> Response:
    """A country's or region's tab (or the fragment HTMX asked for): the tab's reads, all
    from the place's ledger, and the frame around them. `place` names the place for the
    templates (place_name, place_options, place_label, place_parameter, place_header…).

    A tab's list is shown a page at a time (`listing`); its figures, charts of totals and
    downloads are worked out from every row."""
    tab = state.tab
    year_ledger = page.year_ledger
    figures = None
    if year_ledger and (tab.name == OVERVIEW.name or state.view == "summary"):
        figures = year_ledger
    results = strategic = group = listing = None
    if tab.name == OVERVIEW.name:
        listing = page_of(page.year_outcomes, page_number, tab.page_size, state.page_url)
    if tab.name == PROGRESS.name:
        listing = _progress_listing(page, page_number, state)
    if year_ledger and tab.name == RESULTS_RESOURCES.name:
        results = outcome_queries.results_resources(db.session, year_ledger, page.plan_periods)
        listing = page_of(results.outcomes, page_number, tab.page_size, state.page_url)
    if tab.name == STRATEGIC_PLAN.name:
        if year_ledger:
            strategic = outcome_queries.strategic_plan(
                db.session, year_ledger, preferred_language()
            )
        group, state = _chosen_group(strategic, state)
        if strategic is not None:
            outcomes = group.outcomes if group else strategic.outcomes
            listing = page_of(outcomes, page_number, tab.page_size, state.page_url)
    if listing is None and tab.list_id and page_number > 1:
        abort(404)  # a page of a list the tab does not show this year
    place["place_options"] = with_selected(place["place_options"], state.place_key)
    # The flags beside the titles listed (Overview, Our Progress): of the rows shown only.
    shown_ids = [outcome.id for outcome in _listed_outcomes(tab, listing)]
    activity_findings = findings_about_activities(db.session, shown_ids)
    return render_page_or_fragment(
        "countries/page.html",
        # An HTMX request naming no region: Our Progress's list, another tab's panel.
        FRAGMENTS_BY_TARGET[tab.list_id if tab.name == PROGRESS.name else "panel"],
        fragments_by_target=FRAGMENTS_BY_TARGET,
        page=page,
        state=state,
        tabs=tabs,
        tab=tab,
        figures=figures,
        listing=listing,
        activity_findings=activity_findings,
        list_template=LIST_TEMPLATES.get(tab.name),
        progress=listing if tab.name == PROGRESS.name else None,
        results=results,
        strategic=strategic,
        group=group,
        country_name=place["place_name"],
        page_title=_page_title(tab, place["place_name"], page.year, state.page, group),
        survey_url=_survey_url(),
        page_provenance=outcome_queries.provenance_of(page.year_outcomes, page.year),
        **place,
    )


def _listed_outcomes(tab: Tab, listing: Page | None) -> list[ledger.LedgerActivity]:
    """The outcomes whose titles the tab's page of its list shows with their flags."""
    if listing is None:
        return []
    if tab.name == OVERVIEW.name:
        return list(listing.rows)
    if tab.name == PROGRESS.name:
        return [outcome for outcome, _text in listing.rows]
    return []


def _chosen_group(
    strategic: outcome_queries.StrategicPlanView | None, state: CountryPageState
) -> tuple[outcome_queries.ContributionGroup | None, CountryPageState]:
    """The Strategic Plan group asked for (?group=area-D1), and the state naming it; 404 for
    a group the tab does not have."""
    key = group_argument()
    if key is None:
        return None, state
    group = strategic.group(key) if strategic is not None else None
    if group is None:
        abort(404)
    return group, replace(state, group=key)


def _page_title(
    tab: Tab,
    country_name: str,
    year: int | None,
    page_number: int,
    group: outcome_queries.ContributionGroup | None = None,
) -> str:
    """Like "Our Progress – Mali – 2024 – page 2": the tab first, as screen readers announce it."""
    parts = [str(tab.label), country_name]
    if year is not None:
        parts.append(str(year))
    if group is not None:
        parts.append(group.label)
    if page_number > 1:
        parts.append(_("page %(number)s", number=page_number))
    return " – ".join(parts)


def _country_map(iso3: str, country_name: str, region: str) -> Markup | None:
    """The inline SVG map with the country hatched; None when it cannot be drawn."""
    description = (
        _("%(country)s is hatched, in %(region)s.", country=country_name, region=region)
        if region
        else _("%(country)s is hatched.", country=country_name)
    )
    try:
        return world.country_map_svg(
            iso3, _("Map of %(country)s", country=country_name), description
        )
    except (world.MapDataMissing, world.CountryNotOnMap):
        return None


def _survey_url() -> str | None:
    """The feedback survey's address, while it exists; no dead link before it does."""
    try:
        return url_for("survey.intro")
    except BuildError:
        return None


def _progress_listing(page: queries.PlacePage, page_number: int, state: CountryPageState) -> Page:
    """Five outcomes a page, each with the year's narrative; a page past the last is a 404."""
    listing = page_of(page.year_outcomes, page_number, PROGRESS.page_size, state.page_url)
    narratives = (
        queries.progress_narratives(db.session, [outcome.id for outcome in listing.rows], page.year)
        if listing.rows and page.year is not None
        else {}
    )
    return listing.with_rows([(outcome, narratives.get(outcome.id)) for outcome in listing.rows])


def _redirect(tab: Tab, iso3: str, query: dict[str, object], status: int) -> Response:
    location = url_for(tab.endpoint, iso3=iso3)
    kept = {name: value for name, value in query.items() if value is not None}
    if kept:
        location += "?" + urlencode(kept)
    return redirect(location, status)
