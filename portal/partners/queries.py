"""Every funding partner and what it funded, read from the ledger of every place at once.

A place's funding partners of a year are decided per publisher by the ledger (incoming funds,
else incoming commitments, else the funding organisations named: portal.ledger.rules). A
partner's page adds up exactly those: for each place, year and publisher, the partners of each
of its activities found on the same basis as the publisher's, by the activity's share of the
place. So a partner's figure for a country and year is the one that country's page shows for
it, and its figures by year, place and outcome are sums of the same lines.

Partners are grouped by their address (portal.partners.partner_address): their organisation
reference when usable (one partner however its name is spelt), else a slug of their name.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from sqlalchemy.orm import Session

from portal import ledger
from portal.iati.narratives import Narratives
from portal.ledger import rules
from portal.ledger.rules import Money
from portal.partners import partner_address


@dataclass(frozen=True)
class PartnerLine:
    """What one partner gave one activity in one place and year, in one currency (`amount`
    None: the activity names it as a funding organisation, without an amount)."""

    scope: ledger.Scope
    year: int
    activity: ledger.LedgerActivity
    basis: str
    amount: Decimal | None
    currency: str | None
    ref: str | None
    name: Narratives


BASES = (rules.BY_INCOMING_FUNDS, rules.BY_INCOMING_COMMITMENTS, rules.BY_FUNDING_ORGANISATIONS)


@dataclass(frozen=True)
class BasisMoney:
    """What a partner gave on one basis (incoming funds or commitments: never added together),
    per currency; no money for partners named as funding organisations."""

    basis: str
    money: tuple[Money, ...]


def _money(lines: Iterable[PartnerLine]) -> tuple[BasisMoney, ...]:
    """Per basis (in the ledger's order of preference), the amounts per currency."""
    totals: dict[str, dict[str | None, Decimal]] = {}
    for line in lines:
        by_currency = totals.setdefault(line.basis, {})
        if line.amount is not None:
            by_currency[line.currency] = by_currency.get(line.currency, Decimal(0)) + line.amount
    return tuple(
        BasisMoney(basis, rules.as_money(totals[basis])) for basis in BASES if basis in totals
    )


@dataclass(frozen=True)
class YearTotal:
    year: int
    money: tuple[BasisMoney, ...]
    activity_count: int


@dataclass(frozen=True)
class PlaceTotal:
    scope: ledger.Scope
    money: tuple[BasisMoney, ...]
    years: tuple[int, ...]
    activity_count: int


@dataclass(frozen=True)
class OutcomeTotal:
    """An activity the partner funded: every place and year of it added (by share)."""

    activity: ledger.LedgerActivity
    money: tuple[BasisMoney, ...]
    years: tuple[int, ...]
    scopes: tuple[ledger.Scope, ...]


@dataclass(frozen=True)
class FundingPartner:
    """One partner (one address) and every line of what it funded."""

    address: str
    lines: tuple[PartnerLine, ...]

    @cached_property
    def ref(self) -> str | None:
        refs = Counter(line.ref for line in self.lines if line.ref)
        return refs.most_common(1)[0][0] if refs else None

    @cached_property
    def names(self) -> tuple[Narratives, ...]:
        """Every spelling published, the most used first."""
        counts = Counter(tuple(line.name.items()) for line in self.lines if line.name)
        return tuple(Narratives(dict(items)) for items, _count in counts.most_common())

    @cached_property
    def name(self) -> Narratives:
        """Per language, the spelling used most (the page shows the visitor's language)."""
        by_language: dict[str, Counter] = defaultdict(Counter)
        for line in self.lines:
            for lang, text in line.name.items():
                by_language[lang][text] += 1
        ordered = sorted(by_language, key=lambda lang: -sum(by_language[lang].values()))
        return Narratives({lang: by_language[lang].most_common(1)[0][0] for lang in ordered})

    @cached_property
    def money(self) -> tuple[BasisMoney, ...]:
        return _money(self.lines)

    @property
    def basis(self) -> str:
        """The first basis it was found on: incoming funds, else commitments, else named."""
        return self.money[0].basis

    @cached_property
    def by_year(self) -> tuple[YearTotal, ...]:
        """Newest first."""
        years: dict[int, list[PartnerLine]] = defaultdict(list)
        for line in self.lines:
            years[line.year].append(line)
        return tuple(
            YearTotal(year, _money(lines), len({line.activity.id for line in lines}))
            for year, lines in sorted(years.items(), reverse=True)
        )

    @cached_property
    def by_place(self) -> tuple[PlaceTotal, ...]:
        """In the order of first appearance; the page sorts them by their names."""
        places: dict[ledger.Scope, list[PartnerLine]] = defaultdict(list)
        for line in self.lines:
            places[line.scope].append(line)
        return tuple(
            PlaceTotal(
                scope,
                _money(lines),
                tuple(sorted({line.year for line in lines}, reverse=True)),
                len({line.activity.id for line in lines}),
            )
            for scope, lines in places.items()
        )

    @cached_property
    def by_outcome(self) -> tuple[OutcomeTotal, ...]:
        """By publisher, then identifier ("MLI_D_1.2" before "MLI_D_1.10")."""
        outcomes: dict[int, list[PartnerLine]] = defaultdict(list)
        for line in self.lines:
            outcomes[line.activity.id].append(line)
        totals = [
            OutcomeTotal(
                lines[0].activity,
                _money(lines),
                tuple(sorted({line.year for line in lines}, reverse=True)),
                tuple(dict.fromkeys(line.scope for line in lines)),
            )
            for lines in outcomes.values()
        ]
        return tuple(
            sorted(
                totals,
                key=lambda total: (
                    total.activity.publisher_ref or "",
                    ledger.natural_key(total.activity.iati_identifier),
                    total.activity.plan_period,
                ),
            )
        )

    @property
    def place_count(self) -> int:
        return len(self.by_place)

    @property
    def years(self) -> list[int]:
        return [total.year for total in self.by_year]


@dataclass(frozen=True)
class PartnerIndex:
    """Every funding partner, ranked (portal.ledger.rules.ranked_partners), by address."""

    partners: tuple[FundingPartner, ...]

    @cached_property
    def by_address(self) -> dict[str, FundingPartner]:
        return {partner.address: partner for partner in self.partners}

    def partner(self, address: str) -> FundingPartner | None:
        return self.by_address.get(address)


def partner_lines(places: dict[ledger.Scope, ledger.ScopeLedger]) -> list[PartnerLine]:
    """Every funding line of every place-year, as the places' own pages count them."""
    lines: list[PartnerLine] = []
    for scope, place in places.items():
        for year in place.years:
            for publisher in place.year(year).publishers:
                basis = publisher.funding.basis
                for row in publisher.rows:
                    if row.funding.basis != basis:
                        continue  # not among the publisher's partners of this place-year
                    for partner in row.funding.partners:
                        amounts = partner.incoming or (Money(None, None),)
                        for money in amounts:
                            lines.append(
                                PartnerLine(
                                    scope,
                                    year,
                                    row.activity,
                                    basis,
                                    money.amount,
                                    money.currency,
                                    partner.ref,
                                    partner.name,
                                )
                            )
    return lines


def partner_index(session: Session) -> PartnerIndex:
    """Every funding partner with the lines of what it funded, in the ledger's four queries.

    Ranked as the ledger ranks a place's partners (rules.ranked_partners): first those that
    gave incoming funds, by those funds; then those that made incoming commitments only, by
    those; then those only named as funding organisations, by how often. Within a group: the
    money in the currency with the most money, then the largest amount in another."""
    by_address: dict[str, list[PartnerLine]] = defaultdict(list)
    for line in partner_lines(ledger.every_place_ledger(session)):
        address = partner_address(line.ref, line.name)
        if address is not None:
            by_address[address].append(line)
    partners = {
        address: FundingPartner(address, tuple(lines)) for address, lines in by_address.items()
    }
    ranked: dict[str, None] = {}
    for basis in BASES:
        # The rule applied to one line per partner, activity, year and currency, keyed by
        # address (as ref) with one name, so that each address is one partner there.
        group = rules.ranked_partners(
            rules.FundingLine(address, Narratives({"und": address}), line.amount, line.currency)
            for address, partner in partners.items()
            if partner.basis == basis
            for line in partner.lines
            if line.basis == basis
        )
        ranked.update((partner.ref, None) for partner in group)
    # Addresses that differ only in case share a rank there; each keeps its own page.
    ranked.update(dict.fromkeys(partners))
    return PartnerIndex(tuple(partners[address] for address in ranked))
