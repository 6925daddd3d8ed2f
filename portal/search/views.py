"""The search page, `/<lang>/search?q=`: one GET form in every page's header; with HTMX the
results region is swapped as the visitor types.

Not kept in the page cache: `q` is not one of the query names the cache keys on
(portal.links.QUERY_NAMES), so a visitor's text can never fill the cache.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Blueprint, current_app, request, url_for
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from portal import fragments
from portal.arguments import single_argument, whole_number_argument
from portal.countries.queries import country_choices
from portal.extensions import db
from portal.htmx import render_page_or_fragment, wants_fragment
from portal.i18n import preferred_language
from portal.i18n.formatting import territory_name
from portal.pagination import Page, page_of
from portal.partners import partner_address
from portal.regions.queries import regions_with_activities
from portal.regions.views import display_name
from portal.search import queries

blueprint = Blueprint("search", __name__, url_prefix="/<lang>/search")
# The search page's field (templates/search/page.html): HTMX names it in HX-Trigger when it
# asks as the visitor types, and only then is the short announcement sent.
SEARCH_FIELD_ID = "search-page-q"
# The funding partners found, a page at a time: their page links swap this region alone.
PARTNERS_REGION = "search-partners"


@dataclass(frozen=True)
class PlaceHit:
    url: str
    name: str


@dataclass(frozen=True)
class PartnerLink:
    url: str | None
    hit: queries.PartnerHit


def _partner_url(hit: queries.PartnerHit) -> str | None:
    address = partner_address(hit.ref, {hit.name.lang: hit.name.text})
    if address is None or "partners.partner" not in current_app.view_functions:
        return None  # the partner pages are not part of this portal (yet)
    try:
        return url_for("partners.partner", address=address)
    except BuildError:  # the partner pages are not part of this portal
        return None


def _place_names() -> list[tuple[str, str, str]]:
    """(address, name in the visitor's language, the name folded) of every country and region
    with activities: a few hundred, the same for every visitor of a language until the next
    import, kept in the worker's memory (portal.fragments.kept_here: read from a shared store,
    the list cost a search more than a millisecond to unpickle)."""
    language = preferred_language()
    today = dt.date.today()
    regions = fragments.remembered(
        "regions",
        today.isoformat(),
        lambda: regions_with_activities(db.session, language, today),
    )
    names = [
        (
            url_for("countries.overview", iso3=country.iso3),
            territory_name(country.iso2, country.english_name),
        )
        for country in country_choices(db.session)
    ]
    names += [
        (url_for("regions.overview", key=region.key), display_name(region)) for region in regions
    ]
    return [(address, name, queries.fold(name)) for address, name in sorted(names, key=_name)]


def _name(place: tuple[str, str]) -> str:
    return place[1]


def _places(words: list[str]) -> list[PlaceHit]:
    """Countries and regions whose name, in the visitor's language, holds every word
    (matched here over the short list, not indexed)."""
    key = (preferred_language(), dt.date.today())  # the regions' names are today's
    names = fragments.kept_here("search-places", key, _place_names)
    return [PlaceHit(url, name) for url, name in queries.place_matches(names, words)]


def _partner_links(language: str) -> dict[queries.PartnerHit, str | None]:
    """Every funding partner and its page: the same for every visitor of a language until the
    next import (kept in the worker's memory, as the places' names)."""
    return {hit: _partner_url(hit) for hit in queries.funding_partners(db.session, language)}


def _partners(words: list[str], language: str) -> list[PartnerLink]:
    every = fragments.kept_here("search-partners", language, lambda: _partner_links(language))
    return [PartnerLink(every[hit], hit) for hit in queries.partner_matches(every, words)]


@blueprint.get("/")
def search():
    text = single_argument("q")
    page_number = whole_number_argument("page") or 1
    partners_page_number = whole_number_argument("partners_page") or 1
    language = preferred_language()
    problem = None
    status = 200
    words: list[str] = []
    places: list[PlaceHit] = []
    partners: Page[PartnerLink] | None = None
    outcomes: Page | None = None
    query = (text or "").replace("\x00", "").strip()
    if not query:
        if text is not None:
            problem = _("Type a word to search for: a country, an outcome, a partner.")
    elif len(text or "") > queries.LONGEST_QUERY:
        problem = _("Your search is too long: use at most %(count)s characters.") % {
            "count": queries.LONGEST_QUERY
        }
        status = 400
    else:
        words = queries.query_words(query)
        if not words:
            problem = _("Your search has no letters or digits to look for. Type a word.")
            status = 400
    if words:
        this_search = url_for("search.search", q=query)

        def address(outcomes_page: int, partners_page: int) -> str:
            """This search with these pages of outcomes and of partners (page 1 unsaid), as
            url_for writes it (the numbers added to the search's address: url_for for each of
            a page's twenty links cost a search a quarter of a millisecond)."""
            pages = [("page", outcomes_page), ("partners_page", partners_page)]
            return this_search + "".join(f"&{name}={n}" for name, n in pages if n > 1)

        def page_url(number: int) -> str:
            return address(number, partners_page_number)

        def partners_page_url(number: int) -> str:
            return address(page_number, number)

        places = _places(words)
        partners = page_of(
            _partners(words, language), partners_page_number, page_url=partners_page_url
        )
        outcomes = queries.outcome_hits(db.session, words, language, page_number, page_url)
    else:

        def page_url(number: int) -> str:
            return url_for("search.search")

        partners_page_url = page_url

    return render_page_or_fragment(
        "search/page.html",
        "search/_results.html",
        status=status,
        # The partners' region alone when there are partners to page through; a refused
        # search answers its message (the results fragment) to any target.
        fragments_by_target=(
            {PARTNERS_REGION: "search/_partners.html"} if partners is not None else None
        ),
        query=query if status == 200 else "",
        language_query={"q": query} if status == 200 and query else None,
        announce=wants_fragment() and request.headers.get("HX-Trigger") == SEARCH_FIELD_ID,
        words=words,
        problem=problem,
        places=places,
        partners=partners,
        outcomes=outcomes,
        page_url=page_url,
        partners_page_url=partners_page_url,
        partners_region=PARTNERS_REGION,
        highlighted=queries.highlighted,
        snippet_characters=queries.SNIPPET_CHARACTERS,
    )
