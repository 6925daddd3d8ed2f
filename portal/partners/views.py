"""Funding partner pages: every partner, ranked, and each partner's page with what it funded by
year, by country or region and by outcome, with its Download Data.

`/<lang>/partners/<address>/`: the address is the partner's organisation reference, else a
slug of its name (portal.partners.partner_address). Anything else is a 404, as is an address
no partner has. The partner index is worked out once per data version (portal.fragments).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Blueprint, abort, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal import fragments, ledger
from portal.arguments import whole_number_argument
from portal.caching import cached_page
from portal.countries import queries as country_queries
from portal.downloads import partners as partner_downloads
from portal.downloads.views import download_response
from portal.extensions import db
from portal.htmx import render_page_or_fragment
from portal.i18n import preferred_language
from portal.i18n.formatting import pick_narrative, territory_name
from portal.pagination import page_of
from portal.partners import LONGEST_ADDRESS, queries
from portal.regions import queries as region_queries

blueprint = Blueprint("partners", __name__, url_prefix="/<lang>/partners")

PARTNERS_PER_PAGE = 50
OUTCOMES_PER_PAGE = 10
# What partner_address can give: a ref ([A-Za-z0-9._-]) or a slug (word characters and '-').
_ADDRESS = re.compile(r"[\w.-]+")


def kept_index() -> queries.PartnerIndex:
    """Every partner, kept in this worker until the next import (the same in every language)."""
    return fragments.kept_here("partner-index", "all", lambda: queries.partner_index(db.session))


def checked_partner(address: str) -> queries.FundingPartner:
    """The partner at this address; 404 for an address no partner has or could have."""
    if (
        len(address) > LONGEST_ADDRESS
        or not _ADDRESS.fullmatch(address)
        or not address.isprintable()
    ):
        abort(404)
    partner = kept_index().partner(address)
    if partner is None:
        abort(404)
    return partner


@dataclass(frozen=True)
class Place:
    name: str
    url: str


def places(language: str) -> dict[ledger.Scope, Place]:
    """Every country and region with activities, named in the visitor's language, with the
    address of its page (three queries, however many there are)."""
    found: dict[ledger.Scope, Place] = {}
    for country in country_queries.country_choices(db.session):
        found[ledger.country_scope(country.iso3)] = Place(
            territory_name(country.iso2, country.english_name),
            url_for("countries.overview", iso3=country.iso3),
        )
    for (vocabulary, code), name in region_queries.region_names(db.session, language).items():
        if not code:
            continue
        shown = name.text if name.text and name.lang in (None, language) else None
        found[ledger.region_scope(vocabulary, code)] = Place(
            shown or _("Region %(code)s", code=code),
            url_for("regions.overview", key=region_queries.region_key(vocabulary, code)),
        )
    return found


def partner_name(partner: queries.FundingPartner) -> str:
    picked = pick_narrative(partner.name)
    return picked.text if picked else partner.address


@blueprint.get("/")
@cached_page
def index() -> Response:
    """Every funding partner, ranked by the ledger's rule, fifty a page."""
    partners = kept_index().partners
    page_number = whole_number_argument("page") or 1

    def page_url(number: int) -> str:
        return url_for("partners.index", page=number if number > 1 else None)

    listing = page_of(partners, page_number, PARTNERS_PER_PAGE, page_url)
    return render_template(
        "partners/index.html",
        listing=listing,
        page_url=page_url,
        partner_count=len(partners),
        page_title=_page_title(_("Funding partners"), page_number),
    )


@blueprint.get("/<address>/")
@cached_page
def partner(address: str) -> Response:
    """What one partner funded: by year, by country or region, and outcome by outcome."""
    funder = checked_partner(address)
    page_number = whole_number_argument("page") or 1

    def page_url(number: int) -> str:
        page = number if number > 1 else None
        return url_for("partners.partner", address=funder.address, page=page)

    listing = page_of(funder.by_outcome, page_number, OUTCOMES_PER_PAGE, page_url)
    known_places = places(preferred_language())
    by_place = sorted(
        funder.by_place,
        key=lambda total: _place_of(known_places, total.scope).name.casefold(),
    )
    name = partner_name(funder)
    return render_page_or_fragment(
        "partners/page.html",
        "partners/fragments/outcomes.html",
        partner=funder,
        name=name,
        other_names=_other_names(funder, name),
        by_place=by_place,
        place_of=lambda scope: _place_of(known_places, scope),
        listing=listing,
        page_url=page_url,
        page_title=_page_title(name, page_number),
    )


def _page_title(name: str, page_number: int) -> str:
    if page_number == 1:
        return name
    return " – ".join((name, _("page %(number)s", number=page_number)))


def _other_names(partner: queries.FundingPartner, shown: str) -> list:
    """The partner's other spellings (in any language), each once."""
    seen = {shown}
    others = []
    for names in partner.names:
        picked = pick_narrative(names)
        if picked and picked.text not in seen:
            seen.add(picked.text)
            others.append(names)
    return others


def _place_of(known: dict[ledger.Scope, Place], scope: ledger.Scope) -> Place:
    place = known.get(scope)
    if place is not None:
        return place
    if scope.kind == ledger.COUNTRY:
        return Place(scope.code, url_for("countries.overview", iso3=scope.code))
    key = region_queries.region_key(scope.vocabulary or "1", scope.code)
    return Place(_("Region %(code)s", code=scope.code), url_for("regions.overview", key=key))


@blueprint.get("/<address>.<any(csv,xlsx,json):file_format>")
def download(address: str, file_format: str) -> Response:
    """The partner page as a file: every line it adds up (all pages of its outcomes)."""
    funder = checked_partner(address)
    known_places = places(preferred_language())
    names = {place.scope: _place_of(known_places, place.scope).name for place in funder.by_place}
    table = partner_downloads.partner_table(funder, names, preferred_language())
    return download_response(table, file_format)
