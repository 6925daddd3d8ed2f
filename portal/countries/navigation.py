"""What a country page's address says (tab, year, view, group, page) and the links to its other
states.

Every state of the page is a URL, e.g. /fr/countries/MLI/progress?year=2023&page=2. Links keep
what the visitor chose (an explicit year, the summary view, a Strategic Plan group, a page of a
tab's list) and drop what is the default, so that the plain address always means "the latest
year, with the map".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from flask import abort, request, url_for
from flask_babel import lazy_gettext as _l

from portal.pagination import PAGE_SIZE

# Outcomes a page of a tab's list: five where each comes with its narrative (Our Progress) or
# its money, partners and outputs with their indicators (Results & Resources), twenty titles on
# the Overview (a page of a big publisher's country stays short), else ten.
PROGRESS_PAGE_SIZE = 5
RESULTS_RESOURCES_PAGE_SIZE = 5
OVERVIEW_PAGE_SIZE = 20
VIEWS = ("map", "summary")
DEFAULT_VIEW = "map"

# A Strategic Plan group in the URL: "area-D1", "sdg-5", "area-none", "area-2-D1" (see
# portal.outcomes.queries.ContributionGroup.key).
_GROUP_KEY = re.compile(r"(?:area|sdg)-[A-Za-z0-9_-]{1,40}")


@dataclass(frozen=True)
class Tab:
    """One of the four sections of a country page, each its own URL.

    `list_id` is the id of the tab's list that is shown a page at a time, `page_size` rows a
    page (HTMX swaps only that element); None for a tab without one."""

    endpoint: str
    label: object  # a lazy string, translated when rendered
    list_id: str | None = None
    page_size: int = PAGE_SIZE

    @property
    def name(self) -> str:
        return self.endpoint.rsplit(".", 1)[-1]

    @property
    def pagination_id(self) -> str | None:
        """The id of the list's page links (a fragment may send them out of band)."""
        return self.list_id.replace("-list", "-pagination") if self.list_id else None


OVERVIEW = Tab(
    "countries.overview", _l("Overview"), list_id="outcome-list", page_size=OVERVIEW_PAGE_SIZE
)
RESULTS_RESOURCES = Tab(
    "countries.results_resources",
    _l("Results & Resources"),
    list_id="results-list",
    page_size=RESULTS_RESOURCES_PAGE_SIZE,
)
PROGRESS = Tab(
    "countries.progress", _l("Our Progress"), list_id="progress-list", page_size=PROGRESS_PAGE_SIZE
)
STRATEGIC_PLAN = Tab(
    "countries.strategic_plan", _l("Strategic Plan Contributions"), list_id="strategic-list"
)
TABS = (OVERVIEW, RESULTS_RESOURCES, PROGRESS, STRATEGIC_PLAN)


def group_argument() -> str | None:
    """The Strategic Plan group whose outcomes are listed ("area-D1", "sdg-5"); 400 for a
    value that cannot be one. Whether the group exists is for the tab to say (404)."""
    values = request.args.getlist("group")
    if not values:
        return None
    if len(values) > 1 or not _GROUP_KEY.fullmatch(values[0]):
        abort(400)
    return values[0]


def view_argument() -> str:
    """ "map" (the default) or "summary"; 400 for any other value."""
    values = request.args.getlist("view")
    if not values:
        return DEFAULT_VIEW
    if len(values) > 1 or values[0] not in VIEWS:
        abort(400)
    return values[0]


@dataclass(frozen=True)
class CountryPageState:
    """The state a country or region page shows, and the URL of every state one click away.

    `place_key` is the place in the URL (an ISO3 code, or a region key) under the endpoint
    argument `place_argument`; region pages have no map, so their default view is the summary.
    """

    place_key: str
    tab: Tab
    year: int | None
    """The year shown: the one asked for, else the latest with data (None: no data at all)."""
    year_requested: bool
    view: str = DEFAULT_VIEW
    page: int = 1
    """The page of the tab's list (always 1 on a tab without one)."""
    group: str | None = None
    """The Strategic Plan group the tab's list is limited to (a checked, existing key)."""
    place_argument: str = "iso3"
    default_view: str = DEFAULT_VIEW

    @property
    def has_map(self) -> bool:
        return self.default_view == DEFAULT_VIEW

    @property
    def place_arguments(self) -> dict[str, str]:
        return {self.place_argument: self.place_key}

    def url(self, tab: Tab | None = None, **changes) -> str:
        """This state's URL with `changes`; another tab starts at its first page, all groups."""
        state = self
        if tab is not None and tab != self.tab:
            state = replace(state, tab=tab, page=1, group=None)
        state = replace(state, **changes)
        return url_for(state.tab.endpoint, **state.place_arguments, **state._query())

    def form_action(self) -> str:
        """The Place / Year form's address: the tab shown, its query in the form's fields."""
        return url_for(self.tab.endpoint, **self.place_arguments)

    def view_url(self, view: str) -> str:
        """The Map / Summary toggle names its view even when it is the default one."""
        query = self._query()
        query["view"] = view
        return url_for(self.tab.endpoint, **self.place_arguments, **query)

    def year_url(self, year: int) -> str:
        return self.url(year=year, year_requested=True, page=1, group=None)

    def page_url(self, page: int) -> str:
        return self.url(page=page)

    def group_url(self, group: str | None) -> str:
        """The first page of the list of a Strategic Plan group's outcomes (None: all)."""
        return self.url(group=group, page=1)

    def _query(self) -> dict[str, object]:
        query: dict[str, object] = {}
        if self.year_requested and self.year is not None:
            query["year"] = self.year
        if self.view != self.default_view:
            query["view"] = self.view
        if self.group is not None:
            query["group"] = self.group
        if self.tab.list_id and self.page > 1:
            query["page"] = self.page
        return query

    @property
    def hidden_form_fields(self) -> dict[str, str]:
        """What the Place / Year form must carry besides its two selects."""
        return {"view": self.view} if self.view != self.default_view else {}


# A region page has the same four tabs, each its own URL under /<lang>/regions/<key>/.
REGION_TABS = tuple(
    replace(tab, endpoint=tab.endpoint.replace("countries.", "regions.", 1)) for tab in TABS
)
