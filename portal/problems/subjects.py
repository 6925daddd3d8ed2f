"""What a problem report is about: an outcome, a country's facts, or a group of its figures.

The subject comes from the report page's address, `/<lang>/report-a-problem/<about>/<key>`
(`about` is its kind; with `plan_period` or `year`), and must exist: the page it is about is
then built with `url_for` from the checked subject. No URL a visitor sends is ever stored or
linked to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.arguments import is_iso3
from portal.i18n.formatting import pick_narrative, territory_name
from portal.iati.narratives import Narratives
from portal.problems import queries

OUTCOME = "outcome"
COUNTRY = "country"
FIGURES = "figures"


@dataclass(frozen=True)
class FigureGroup:
    """A block of money figures or charts on a country tab, and where it stands."""

    label: Any  # a lazy string
    endpoint: str
    anchor: str | None = None


FIGURE_GROUPS: dict[str, FigureGroup] = {
    "key-figures": FigureGroup(_l("Key figures"), "countries.overview"),
    "results-totals": FigureGroup(
        _l("Totals of budget and spending"), "countries.results_resources", "rr-totals-heading"
    ),
    "budget-by-outcome": FigureGroup(
        _l("Budget and spending by outcome"), "countries.results_resources", "rr-chart-heading"
    ),
    "funding-by-partner": FigureGroup(
        _l("Funding by partner"), "countries.results_resources", "rr-partners-heading"
    ),
    "strategic-plan-totals": FigureGroup(
        _l("Totals of the Strategic Plan contributions"),
        "countries.strategic_plan",
        "sp-totals-heading",
    ),
    "strategic-plan-areas": FigureGroup(
        _l("Figures by Strategic Plan area"), "countries.strategic_plan", "sp-areas-heading"
    ),
    "sdgs": FigureGroup(
        _l("Figures by Sustainable Development Goal"), "countries.strategic_plan", "sp-sdgs-heading"
    ),
}


@dataclass(frozen=True)
class Subject:
    kind: str
    key: str
    """The address's last part: the outcome's identifier, the ISO3 code, or ISO3/group."""
    identifier: str
    """The outcome's IATI identifier or the country's ISO3 code, as stored."""
    description: str
    """What the report is about, in the visitor's language (the page's heading)."""
    page_url: str
    """The portal's page that shows it, where the thank-you page leads back to."""
    plan_period: str | None = None
    year: int | None = None
    figure_group: str | None = None
    title: Narratives | None = None
    """An outcome's title as published, for the heading to mark its language."""
    default_lang: str | None = None

    @property
    def address(self) -> dict[str, Any]:
        """The `url_for` values of the report pages about this subject."""
        values: dict[str, Any] = {"about": self.kind, "key": self.key}
        if self.kind == OUTCOME:
            values["plan_period"] = self.plan_period
        if self.year is not None:
            values["year"] = self.year
        return values


def country_facts_description(country_name: str) -> str:
    return _("Facts about %(country)s", country=country_name)


def figures_description(group: str, country_name: str, year: int) -> str:
    return _(
        "%(figures)s, %(country)s, %(year)s",
        figures=FIGURE_GROUPS[group].label,
        country=country_name,
        year=year,
    )


def find_subject(
    session: Session, kind: str, key: str, plan_period: str | None, year: int | None
) -> Subject | None:
    """The subject the address names, checked against the database; None when there is none."""
    if kind == OUTCOME:
        return _outcome(session, key, plan_period)
    if kind == COUNTRY:
        return _country(session, key)
    if kind == FIGURES:
        return _figures(session, key, year)
    return None


def _outcome(session: Session, identifier: str, plan_period: str | None) -> Subject | None:
    heading = queries.outcome_heading(session, identifier, plan_period)
    if heading is None:
        return None
    title = pick_narrative(heading.title, heading.default_lang)
    return Subject(
        kind=OUTCOME,
        key=identifier,
        identifier=identifier,
        description=title.text if title else _("Untitled outcome"),
        page_url=url_for(
            "outcomes.outcome", identifier=identifier, plan_period=heading.plan_period
        ),
        plan_period=heading.plan_period,
        title=heading.title,
        default_lang=heading.default_lang,
    )


def _country_with_name(session: Session, iso3: str) -> tuple[queries.CountryPlace, str] | None:
    """The country, when it has a page (with or without outcomes: its facts are shown), with
    its name in the visitor's language."""
    place = queries.country_place(session, iso3) if is_iso3(iso3) else None
    if place is None:
        return None
    return place, territory_name(place.country.iso2, place.country.english_name)


def _country(session: Session, iso3: str) -> Subject | None:
    found = _country_with_name(session, iso3)
    if found is None:
        return None
    return Subject(
        kind=COUNTRY,
        key=iso3,
        identifier=iso3,
        description=country_facts_description(found[1]),
        page_url=url_for("countries.overview", iso3=iso3),
    )


def _figures(session: Session, key: str, year: int | None) -> Subject | None:
    iso3, _slash, group_name = key.partition("/")
    group = FIGURE_GROUPS.get(group_name)
    found = _country_with_name(session, iso3) if group and year else None
    if found is None or year not in found[0].years:
        return None
    return Subject(
        kind=FIGURES,
        key=key,
        identifier=iso3,
        description=figures_description(group_name, found[1], year),
        page_url=url_for(group.endpoint, iso3=iso3, year=year, _anchor=group.anchor),
        year=year,
        figure_group=group_name,
    )
