"""What a country page's address says (tab, year, view, page) and the links to its other states.

Every state of the page is a URL, e.g. /fr/countries/MLI/progress?year=2023&page=2. Links keep
what the visitor chose (an explicit year, the summary view) and drop what is the default, so
that the plain address always means "the latest year, with the map".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from flask import abort, request, url_for
from flask_babel import lazy_gettext as _l

PROGRESS_PAGE_SIZE = 5
LARGEST_NUMBER = 9999
VIEWS = ("map", "summary")
DEFAULT_VIEW = "map"

_WHOLE_NUMBER = re.compile(r"[0-9]{1,4}")


@dataclass(frozen=True)
class Tab:
    """One of the four sections of a country page, each its own URL."""

    endpoint: str
    label: object  # a lazy string, translated when rendered

    @property
    def name(self) -> str:
        return self.endpoint.rsplit(".", 1)[-1]


OVERVIEW = Tab("countries.overview", _l("Overview"))
RESULTS_RESOURCES = Tab("countries.results_resources", _l("Results & Resources"))
PROGRESS = Tab("countries.progress", _l("Our Progress"))
STRATEGIC_PLAN = Tab("countries.strategic_plan", _l("Strategic Plan Contributions"))
TABS = (OVERVIEW, RESULTS_RESOURCES, PROGRESS, STRATEGIC_PLAN)


def whole_number_argument(name: str) -> int | None:
    """A positive whole number from the query string; 400 for anything else (but absence).

    Only ASCII digits, 1 to 9999: "-1", "0", "1.5", "1e3", " 2", "٣" and repeated values are
    all refused rather than guessed at.
    """
    values = request.args.getlist(name)
    if not values:
        return None
    if len(values) > 1 or not _WHOLE_NUMBER.fullmatch(values[0]):
        abort(400)
    number = int(values[0])
    if not 1 <= number <= LARGEST_NUMBER:
        abort(400)
    return number


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
    place_argument: str = "iso3"
    default_view: str = DEFAULT_VIEW

    @property
    def has_map(self) -> bool:
        return self.default_view == DEFAULT_VIEW

    @property
    def place_arguments(self) -> dict[str, str]:
        return {self.place_argument: self.place_key}

    def url(self, tab: Tab | None = None, **changes) -> str:
        """This state's URL with `changes`; another tab starts at its first page."""
        state = self
        if tab is not None and tab != self.tab:
            state = replace(state, tab=tab, page=1)
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
        return self.url(year=year, year_requested=True, page=1)

    def page_url(self, page: int) -> str:
        return self.url(page=page)

    def _query(self) -> dict[str, object]:
        query: dict[str, object] = {}
        if self.year_requested and self.year is not None:
            query["year"] = self.year
        if self.view != self.default_view:
            query["view"] = self.view
        if self.tab.name == "progress" and self.page > 1:
            query["page"] = self.page
        return query

    @property
    def hidden_form_fields(self) -> dict[str, str]:
        """What the Place / Year form must carry besides its two selects."""
        return {"view": self.view} if self.view != self.default_view else {}


# A region page has the same four tabs, each its own URL under /<lang>/regions/<key>/.
REGION_TABS = tuple(
    Tab(tab.endpoint.replace("countries.", "regions.", 1), tab.label) for tab in TABS
)
