"""The whole organisation in one year: the sums of its places' figures, by construction.

Every figure here is added up from the country and region ledgers (portal.ledger's
every_place_ledger), never read again from the activities: the home page's totals are the
country pages' figures plus the region pages' figures for the same year. An activity with
several recipients counts on each place by its share; the shares of one activity add up to
its whole, so adding the places counts it once. Amounts of different publishers or currencies
are never added.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from portal.iati.narratives import Narratives
from portal.ledger import (
    COUNTRY,
    REGION,
    ActivityYear,
    PublisherYear,
    Scope,
    ScopeLedger,
    YearLedger,
    default_year,
    funding_of,
    natural_key,
    rules,
)

WORLD = Scope("world", "")
"""The scope of the world's YearLedger (no page of its own but the home page)."""


@dataclass(frozen=True)
class PublisherTotal:
    """One publisher's figures over several places: the sum of its figures on each place."""

    ref: str | None
    name: Narratives
    activity_count: int
    """Distinct activities (an activity on three country pages is one)."""
    place_count: int
    money: rules.BudgetAndSpending


@dataclass(frozen=True)
class WorldYear:
    """The organisation in one year: every place active then, and their sums."""

    year: int
    countries: tuple[YearLedger, ...]
    """Each country with activities in the year, as its own page counts it (by ISO3)."""
    regions: tuple[YearLedger, ...]
    """Each region with activities in the year, as its own page counts it."""
    country_totals: tuple[PublisherTotal, ...]
    region_totals: tuple[PublisherTotal, ...]
    totals: tuple[PublisherTotal, ...]
    """Countries and regions together (each publisher's country total plus region total)."""
    ledger: YearLedger
    """One row per distinct activity, its money the sum of its places' shares; its
    publishers' funding partners are ranked over every place's lines by the one rule."""

    @property
    def activity_count(self) -> int:
        return len(self.ledger.rows)

    def main_spending(self) -> tuple[str | None, str | None] | None:
        """(publisher ref, currency) with the most spending over the countries in the year:
        the one series the map shades (amounts of different series are never compared)."""
        totals: dict[tuple[str | None, str | None], Decimal] = defaultdict(Decimal)
        for total in self.country_totals:
            for money in total.money.spending:
                totals[(total.ref, money.currency)] += money.amount
        if not totals:
            return None
        return max(totals, key=lambda key: (totals[key], key[0] or "", key[1] or ""))

    def country_spending(
        self, publisher_ref: str | None, currency: str | None
    ) -> dict[str, Decimal]:
        """Each country's spending of one publisher in one currency (ISO3 → amount > 0)."""
        spent = {}
        for country in self.countries:
            for publisher in country.publishers:
                if publisher.ref != publisher_ref:
                    continue
                for money in publisher.money.spending:
                    if money.currency == currency and money.amount > 0:
                        spent[country.scope.code] = money.amount
        return spent


def publisher_totals(ledgers: Iterable[YearLedger]) -> tuple[PublisherTotal, ...]:
    """Each publisher's figures added up over these places, by publisher ref."""
    parts: dict[str | None, list[PublisherYear]] = defaultdict(list)
    activities: dict[str | None, set[int]] = defaultdict(set)
    for year_ledger in ledgers:
        for publisher in year_ledger.publishers:
            parts[publisher.ref].append(publisher)
            activities[publisher.ref] |= {row.activity.id for row in publisher.rows}
    return tuple(
        PublisherTotal(
            ref=ref,
            name=members[0].name,
            activity_count=len(activities[ref]),
            place_count=len(members),
            money=rules.add_up(member.money for member in members),
        )
        for ref, members in sorted(parts.items(), key=lambda item: item[0] or "")
    )


@dataclass
class WorldLedger:
    """Every place's ledger, and the world's year worked out from them once per year."""

    places: Mapping[Scope, ScopeLedger]
    _years: dict[int, WorldYear] = field(default_factory=dict, repr=False)

    @property
    def years(self) -> list[int]:
        """Years in which some place has an activity, newest first."""
        return sorted(
            {year for place in self.places.values() for year in place.years}, reverse=True
        )

    def default_year(self, today: dt.date) -> int | None:
        """As a place's pages open (portal.ledger.default_year), over every place."""
        actuals = {year for place in self.places.values() for year in place.years_with_actuals}
        return default_year(self.years, today, actuals)

    def year(self, year: int) -> WorldYear:
        if year not in self._years:
            self._years[year] = self._world_year(year)
        return self._years[year]

    def _world_year(self, year: int) -> WorldYear:
        active = {
            scope: place.year(year)
            for scope, place in self.places.items()
            if year in place.years and place.year(year).rows
        }
        countries = tuple(
            active[scope] for scope in sorted(active, key=lambda s: s.code) if scope.kind == COUNTRY
        )
        regions = tuple(
            active[scope]
            for scope in sorted(active, key=lambda s: (s.vocabulary or "", s.code))
            if scope.kind == REGION
        )
        country_totals = publisher_totals(countries)
        region_totals = publisher_totals(regions)
        return WorldYear(
            year=year,
            countries=countries,
            regions=regions,
            country_totals=country_totals,
            region_totals=region_totals,
            totals=publisher_totals((*countries, *regions)),
            ledger=_distinct_activities(year, (*countries, *regions)),
        )


def _distinct_activities(year: int, places: tuple[YearLedger, ...]) -> YearLedger:
    """One row per activity: its money the sum of its rows on every place; each publisher's
    funding partners from every place's share of each activity's lines."""
    rows: dict[int, list[ActivityYear]] = defaultdict(list)
    for place in places:
        for row in place.rows:
            rows[row.activity.id].append(row)
    distinct = [
        ActivityYear(
            parts[0].activity,
            rules.add_up(part.money for part in parts),
            funding_of([part.activity for part in parts], year),
        )
        for parts in rows.values()
    ]
    distinct.sort(
        key=lambda row: (
            row.activity.publisher_ref or "",
            natural_key(row.activity.iati_identifier),
        )
    )
    by_publisher: dict[str | None, list[int]] = defaultdict(list)
    for row in distinct:
        by_publisher[row.activity.publisher_ref].append(row.activity.id)
    by_id = {row.activity.id: row for row in distinct}
    publishers = tuple(
        PublisherYear(
            ref=ref,
            name=by_id[ids[0]].activity.publisher_name,
            rows=tuple(by_id[i] for i in ids),
            money=rules.add_up(by_id[i].money for i in ids),
            funding=funding_of([part.activity for i in ids for part in rows[i]], year),
        )
        for ref, ids in by_publisher.items()
    )
    return YearLedger(WORLD, year, tuple(distinct), publishers)
