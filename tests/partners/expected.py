"""What each funding partner funded, by the XML oracle (tests/ledger/xml_ledger.py): for every
place and year with activities, each publisher's partners (rule R5) with their amounts, spread
over the activities that gave them (R1 shares), keyed by partner.

A partner with a usable ref (IATI organisation identifier characters) is its ref, however its
name is spelt; a partner without one is its name (casefolded, as the oracle keys it).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from ledger import xml_ledger

USABLE_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
TRANSACTION_TYPES = {
    "incoming_funds": xml_ledger.INCOMING_FUNDS,
    "incoming_commitments": xml_ledger.INCOMING_COMMITMENT,
}


@dataclass
class PartnerFigures:
    """(basis, year, scope, identifier, currency) → amount; amount None: named only."""

    lines: dict[tuple, Decimal | None] = field(default_factory=dict)

    def add(self, key: tuple, amount: Decimal | None) -> None:
        if amount is None:
            self.lines.setdefault(key, None)
        else:
            self.lines[key] = (self.lines.get(key) or Decimal(0)) + amount

    def by(self, *positions: int) -> dict[tuple, Decimal | None]:
        """The amounts added up over the key's other parts (None where only named)."""
        totals: dict[tuple, Decimal | None] = {}
        for key, amount in self.lines.items():
            short = tuple(key[i] for i in positions)
            if amount is None:
                totals.setdefault(short, None)
            else:
                totals[short] = (totals.get(short) or Decimal(0)) + amount
        return totals


def partner_of(key: xml_ledger.OrgKey) -> tuple[str, str] | None:
    """("ref", ref) for a usable ref, else ("name", casefolded name)."""
    ref, name = key
    if ref and USABLE_REF.fullmatch(ref):
        return ("ref", ref)
    if name:
        return ("name", name)
    return None


def every_partner(acts: xml_ledger.Activities) -> dict[tuple[str, str], PartnerFigures]:
    figures: dict[tuple[str, str], PartnerFigures] = defaultdict(PartnerFigures)
    for scope, year in sorted(xml_ledger.scope_years(acts)):
        expected = xml_ledger.year_ledger(acts, scope, year)
        for publisher, (basis, _ranked) in expected.partners.items():
            members = [
                (acts.by_id[identifier], in_scope.share)
                for identifier, in_scope in expected.activities.items()
                if in_scope.publisher == publisher
            ]
            for activity, share in members:
                if basis == "funding_organisations":
                    for key in activity.funders:
                        partner = partner_of(key)
                        if partner:
                            figures[partner].add(
                                (basis, year, scope, activity.identifier, None), None
                            )
                    continue
                for transaction in activity.transactions:
                    if (
                        transaction.type != TRANSACTION_TYPES[basis]
                        or transaction.date.year != year
                        or transaction.provider is None
                    ):
                        continue
                    partner = partner_of(transaction.provider)
                    if partner:
                        figures[partner].add(
                            (basis, year, scope, activity.identifier, transaction.currency),
                            transaction.value * share,
                        )
    return dict(figures)
