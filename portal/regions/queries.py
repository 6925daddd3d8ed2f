"""Reads for the region pages: which regions have activities, their names, and a region's
page frame (the same PlacePage a country page has, without country facts)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import ledger
from portal.codelists.queries import codelist_labels
from portal.countries.queries import LedgerOf, PlacePage, place_page_parts
from portal.iati.models import Recipient
from portal.iati.narratives import Narratives

REGION_CODELIST = "Region"
IATI_REGION_VOCABULARY = "1"
# A region in a URL: "298" (IATI's region codelist, vocabulary 1) or "99-10" (vocabulary 99,
# the publisher's own codes).
_KEY = re.compile(r"(?:([0-9]{1,3})-)?([A-Za-z0-9._]{1,20})")


def region_key(vocabulary: str, code: str) -> str:
    return code if vocabulary == IATI_REGION_VOCABULARY else f"{vocabulary}-{code}"


def parse_region_key(key: str) -> tuple[str, str] | None:
    """(vocabulary, code) of a region key; None when the key is not one."""
    match = _KEY.fullmatch(key)
    if match is None:
        return None
    return (match.group(1) or IATI_REGION_VOCABULARY, match.group(2))


@dataclass(frozen=True)
class RegionName:
    """A region's name in the visitor's language where known, and the language it is in."""

    text: str | None
    lang: str | None


def _published_names(session: Session) -> dict[tuple[str, str], Narratives]:
    names: dict[tuple[str, str], Narratives] = {}
    rows = session.execute(
        select(Recipient.vocabulary, Recipient.code, Recipient.name).where(
            Recipient.kind == ledger.REGION
        )
    )
    for vocabulary, code, name in rows:
        key = (vocabulary or IATI_REGION_VOCABULARY, code or "")
        if name and not names.get(key):
            names[key] = Narratives(name)
    return names


def region_names(session: Session, language: str) -> dict[tuple[str, str], RegionName]:
    """Every region's name: IATI's region codelist name (vocabulary 1) in the visitor's
    language when imported, else the name the publisher wrote; unknown otherwise."""
    codelist = codelist_labels(session, REGION_CODELIST, language)
    names = {}
    for key, published in _published_names(session).items():
        vocabulary, code = key
        if vocabulary == IATI_REGION_VOCABULARY and code in codelist:
            names[key] = RegionName(codelist[code], None)
            continue
        picked = published.pick(language) if published else None
        names[key] = RegionName(picked.text, picked.lang) if picked else RegionName(None, None)
    return names


@dataclass(frozen=True)
class RegionListing:
    key: str
    vocabulary: str
    code: str
    name: RegionName
    outcome_count: int
    year: int | None


def regions_with_activities(
    session: Session, language: str, today: dt.date | None = None
) -> list[RegionListing]:
    """Regions where some publisher has activities, each with the number of activities in
    the year its page opens on (the count the page shows), IATI regions first."""
    today = today or dt.date.today()
    names = region_names(session, language)
    listings = []
    for scope, place in ledger.every_place(session).items():
        if scope.kind != ledger.REGION:
            continue
        vocabulary = scope.vocabulary or IATI_REGION_VOCABULARY
        year = ledger.default_year(place.years, today, place.years_with_actuals)
        listings.append(
            RegionListing(
                key=region_key(vocabulary, scope.code),
                vocabulary=vocabulary,
                code=scope.code,
                name=names.get((vocabulary, scope.code), RegionName(None, None)),
                outcome_count=place.counts.get(year, 0) if year is not None else 0,
                year=year,
            )
        )
    return sorted(
        listings,
        key=lambda r: (
            r.vocabulary != IATI_REGION_VOCABULARY,
            r.vocabulary,
            ledger.natural_key(r.code),
        ),
    )


@dataclass(frozen=True)
class RegionPage(PlacePage):
    """A region page: its place, its name and the region chooser."""

    region: RegionListing | None = None
    regions: list[RegionListing] | None = None


def region_page(
    session: Session,
    vocabulary: str,
    code: str,
    requested_year: int | None,
    language: str,
    today: dt.date | None = None,
    regions: list[RegionListing] | None = None,
    ledger_of: LedgerOf | None = None,
) -> RegionPage | None:
    """The region page's frame for a year; None when no publisher has an activity there.
    `regions` is `regions_with_activities` when the caller has it already (kept per import),
    `ledger_of` as for place_page_parts."""
    today = today or dt.date.today()
    parts = place_page_parts(
        session, ledger.region_scope(vocabulary, code), requested_year, today, ledger_of
    )
    if parts is None:
        return None
    if regions is None:
        regions = regions_with_activities(session, language, today)
    this = next(r for r in regions if (r.vocabulary, r.code) == (vocabulary, code))
    return RegionPage(**parts, region=this, regions=regions)
