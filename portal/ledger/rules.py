"""The money rules, written once: which budget counts in which year, what is spending, who is
a funding partner and how partners are ranked, and how much of an activity counts in a place.

Every page, download and API answer reads its figures through portal.ledger, which applies
these functions to the rows it loads. They work on plain values (no session, no request), so
that the outcome page, a country's tabs and the files share one computation.

The rules, as the pages explain them (templates/countries/_about.html):
- Budget of a year: `<budget>` lines whose period starts in that year and whose value is above
  zero (zero and negative lines are not added; the import report names them). Where an activity
  publishes a revised budget (type 2) for a period, its original budget (type 1) for the same
  period start is left out. A budget spanning several years counts once, in its first year.
- Spending of a year: disbursements (transaction type 3) and expenditure (type 4) dated in the
  year, shown apart in breakdowns.
- Funding partners of a year, per publisher: the providers of incoming funds (type 1) dated in
  the year; else of incoming commitments (type 11); else the funding organisations
  (participating-org role 1) named on the activities. Partners are keyed by ref and name.
- A value without a currency takes its activity's default currency. Amounts in different
  currencies, or of different publishers, are never added.
- An activity with several recipients counts in each by its share (its percentage; an equal
  split when none is published).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from portal.iati.narratives import Narratives
from portal.iati.parser import is_placeholder

INCOMING_FUNDS = "1"
OUTGOING_COMMITMENT = "2"
DISBURSEMENT = "3"
EXPENDITURE = "4"
INCOMING_COMMITMENT = "11"
SPENDING_TYPES = (DISBURSEMENT, EXPENDITURE)
FUNDING_ROLE = "1"
ORIGINAL_BUDGET = "1"
REVISED_BUDGET = "2"

# How funding partners were chosen (the page says which).
BY_INCOMING_FUNDS = "incoming_funds"
BY_INCOMING_COMMITMENTS = "incoming_commitments"
BY_FUNDING_ORGANISATIONS = "funding_organisations"

# How an activity's share of a place was decided.
WHOLE = "whole"
BY_PERCENTAGE = "percentage"
EQUAL_SPLIT = "equal_split"

ONE = Decimal(1)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Money:
    """An amount in one currency; amounts in different currencies are never added."""

    amount: Decimal
    currency: str | None


@dataclass(frozen=True)
class FundingPartner:
    """A funder; `amounts` is what it provided (by the ranking's basis), empty when only named."""

    name: Narratives
    ref: str | None
    incoming: tuple[Money, ...] = ()


@dataclass(frozen=True)
class Share:
    """How much of an activity counts in one place: `fraction` of its money (1 = all of it)."""

    fraction: Decimal
    basis: str
    percentage: Decimal | None = None
    """The percentage as published, when the share comes from it."""

    @property
    def is_whole(self) -> bool:
        return self.fraction == ONE and self.basis == WHOLE

    @property
    def percent(self) -> Decimal:
        return self.fraction * HUNDRED


WHOLE_SHARE = Share(ONE, WHOLE)


def share_of(percentages: Sequence[Decimal | None], recipient_count: int) -> Share:
    """The share of one place, from the percentages of its recipient elements in the activity
    (a place named twice adds up) and the number of recipient elements of the activity."""
    if recipient_count <= 1 and len(percentages) <= 1:
        return WHOLE_SHARE
    total = Decimal(0)
    published: Decimal | None = Decimal(0)
    for percentage in percentages:
        if percentage is not None:
            total += percentage / HUNDRED
            published = (published or Decimal(0)) + percentage
        else:
            total += ONE / recipient_count
            published = None
    if published is None:
        return Share(total, EQUAL_SPLIT)
    return Share(total, BY_PERCENTAGE, published)


@dataclass(frozen=True, slots=True)
class BudgetLine:
    type_code: str | None
    period_start: dt.date | None
    value: Decimal | None
    currency: str | None


@dataclass(frozen=True, slots=True)
class TransactionLine:
    type_code: str | None
    date: dt.date | None
    value: Decimal | None
    currency: str | None
    provider_ref: str | None
    provider_name: Narratives


def counted_budgets(budgets: Iterable[BudgetLine]) -> list[BudgetLine]:
    """The budget lines that count: dated, above zero, an original replaced by a revised budget
    of the same period start."""
    budgets = list(budgets)
    revised_starts = {
        budget.period_start for budget in budgets if budget.type_code == REVISED_BUDGET
    }
    return [
        budget
        for budget in budgets
        if budget.value is not None
        and budget.value > 0
        and budget.period_start is not None
        and not (budget.type_code == ORIGINAL_BUDGET and budget.period_start in revised_starts)
    ]


def spending_lines(transactions: Iterable[TransactionLine]) -> list[TransactionLine]:
    """Disbursements and expenditure with a date and a value."""
    return [
        line
        for line in transactions
        if line.type_code in SPENDING_TYPES and line.value is not None and line.date is not None
    ]


def money_years(budgets: Iterable[BudgetLine], transactions: Iterable[TransactionLine]) -> set[int]:
    """Years with any budget line or transaction (whatever its value)."""
    years = {budget.period_start.year for budget in budgets if budget.period_start is not None}
    years |= {line.date.year for line in transactions if line.date is not None}
    return years


def active_years(
    start: dt.date | None, end: dt.date | None, with_money: set[int]
) -> frozenset[int]:
    """The years an activity is active: those its dates span, and those it has money in.

    Without an end date it runs to its last year with money; without a start, from its first.
    """
    years = set(with_money)
    if start is not None or end is not None:
        first = start.year if start else min([end.year, *with_money])
        last = end.year if end else max([start.year, *with_money])
        first, last = min(first, last), max(first, last)
        years.update(range(first, last + 1))
    return frozenset(years)


def _add(totals: dict[str | None, Decimal], currency: str | None, amount: Decimal) -> None:
    totals[currency] = totals.get(currency, Decimal(0)) + amount


def as_money(totals: dict[str | None, Decimal]) -> tuple[Money, ...]:
    return tuple(
        Money(totals[currency], currency) for currency in sorted(totals, key=lambda c: c or "")
    )


@dataclass(frozen=True)
class BudgetAndSpending:
    """Budget and spending (disbursements + expenditure, also kept apart), each per currency."""

    budget: tuple[Money, ...] = ()
    disbursement: tuple[Money, ...] = ()
    expenditure: tuple[Money, ...] = ()

    @property
    def spending(self) -> tuple[Money, ...]:
        totals: dict[str | None, Decimal] = {}
        for money in (*self.disbursement, *self.expenditure):
            _add(totals, money.currency, money.amount)
        return as_money(totals)

    @property
    def is_empty(self) -> bool:
        return not (self.budget or self.disbursement or self.expenditure)

    @property
    def delivery(self) -> tuple[DeliveryRate, ...]:
        """One delivery rate per currency that has a budget or spending."""
        budgets = {money.currency: money.amount for money in self.budget}
        spent = {money.currency: money.amount for money in self.spending}
        currencies = sorted(set(budgets) | set(spent), key=lambda currency: currency or "")
        return tuple(
            DeliveryRate(currency, budgets.get(currency), spent.get(currency))
            for currency in currencies
        )


@dataclass(frozen=True)
class DeliveryRate:
    """Spending against budget in one currency; `rate` is None when it cannot be computed."""

    currency: str | None
    budget: Decimal | None
    spending: Decimal | None

    @property
    def rate(self) -> Decimal | None:
        """Spending / budget (0.625 for 62.5 %), only when both exist and budget > 0."""
        if self.budget is None or self.spending is None or self.budget <= 0:
            return None
        return self.spending / self.budget


NO_MONEY = BudgetAndSpending()


def money_in_years(
    budgets: Iterable[BudgetLine],
    transactions: Iterable[TransactionLine],
    default_currency: str | None,
    share: Share = WHOLE_SHARE,
    first_year: int | None = None,
    last_year: int | None = None,
) -> BudgetAndSpending:
    """An activity's budget and spending in the years given (None: no limit), by its share."""

    def within(day: dt.date) -> bool:
        return (first_year is None or day.year >= first_year) and (
            last_year is None or day.year <= last_year
        )

    fraction = share.fraction
    budget: dict[str | None, Decimal] = {}
    disbursed: dict[str | None, Decimal] = {}
    spent: dict[str | None, Decimal] = {}
    for line in counted_budgets(budgets):
        if within(line.period_start):
            _add(budget, line.currency or default_currency, line.value * fraction)
    for line in spending_lines(transactions):
        if within(line.date):
            target = disbursed if line.type_code == DISBURSEMENT else spent
            _add(target, line.currency or default_currency, line.value * fraction)
    return BudgetAndSpending(as_money(budget), as_money(disbursed), as_money(spent))


def money_by_year(
    budgets: Sequence[BudgetLine],
    transactions: Sequence[TransactionLine],
    default_currency: str | None,
    share: Share = WHOLE_SHARE,
) -> dict[int, BudgetAndSpending]:
    """Budget and spending per year with any counted budget or spending, oldest first."""
    years = {line.period_start.year for line in counted_budgets(budgets)}
    years |= {line.date.year for line in spending_lines(transactions)}
    return {
        year: money_in_years(budgets, transactions, default_currency, share, year, year)
        for year in sorted(years)
    }


def add_up(parts: Iterable[BudgetAndSpending]) -> BudgetAndSpending:
    """The sum of several figures, currency by currency."""
    budget: dict[str | None, Decimal] = {}
    disbursed: dict[str | None, Decimal] = {}
    spent: dict[str | None, Decimal] = {}
    for part in parts:
        for totals, amounts in (
            (budget, part.budget),
            (disbursed, part.disbursement),
            (spent, part.expenditure),
        ):
            for money in amounts:
                _add(totals, money.currency, money.amount)
    return BudgetAndSpending(as_money(budget), as_money(disbursed), as_money(spent))


# --- Funding partners ------------------------------------------------------------------------


def without_placeholders(texts: Narratives | None) -> Narratives:
    """A name or comment without placeholder texts ("-" stands for nothing)."""
    return Narratives(
        {lang: text for lang, text in (texts or {}).items() if text and not is_placeholder(text)}
    )


def partner_key(ref: str | None, name: Narratives) -> tuple[str, str]:
    """Who a partner is: its ref *and* its name (one ref under two names is two partners)."""
    first = next(iter(name.values()), "") if name else ""
    return ((ref or "").strip().upper(), " ".join(first.split()).casefold())


@dataclass(frozen=True)
class FundingLine:
    """A partner's contribution to one activity: incoming money (by share) or a mention."""

    ref: str | None
    name: Narratives
    amount: Decimal | None
    currency: str | None


def named_funder(ref: str | None, name: Narratives | None) -> FundingLine:
    """A funding organisation (participating-org role 1) as named, without an amount."""
    return FundingLine((ref or "").strip() or None, without_placeholders(name), None, None)


def incoming_lines(
    transactions: Iterable[TransactionLine],
    type_code: str,
    year: int | None,
    default_currency: str | None,
    share: Share = WHOLE_SHARE,
) -> list[FundingLine]:
    """Incoming funds or commitments (by `type_code`) dated in `year` (None: any), by share."""
    return [
        FundingLine(
            (line.provider_ref or "").strip() or None,
            without_placeholders(line.provider_name),
            line.value * share.fraction,
            line.currency or default_currency,
        )
        for line in transactions
        if line.type_code == type_code
        and line.value is not None
        and line.date is not None
        and (year is None or line.date.year == year)
    ]


def ranked_partners(lines: Iterable[FundingLine]) -> tuple[FundingPartner, ...]:
    """Partners keyed by ref and name; with amounts, the largest first, else the most named."""
    names: dict[tuple[str, str], tuple[str | None, Narratives]] = {}
    amounts: dict[tuple[str, str], dict[str | None, Decimal]] = defaultdict(dict)
    mentions: dict[tuple[str, str], int] = defaultdict(int)
    for line in lines:
        if not line.ref and not line.name and line.amount is None:
            continue
        key = partner_key(line.ref, line.name)
        names.setdefault(key, (line.ref, line.name))
        mentions[key] += 1
        if line.amount is not None:
            _add(amounts[key], line.currency, line.amount)

    # Amounts in different currencies are not compared: rank by the currency with the most
    # money, then by the largest amount in another.
    by_currency: dict[str | None, Decimal] = {}
    for partner_amounts in amounts.values():
        for currency, amount in partner_amounts.items():
            _add(by_currency, currency, amount)
    main = max(by_currency, key=lambda c: (by_currency[c], c or ""), default=None)

    def rank(key: tuple[str, str]) -> tuple[Decimal, Decimal, int, tuple[str, str]]:
        own = amounts.get(key, {})
        largest = max(own.values()) if own else Decimal(0)
        return (-own.get(main, Decimal(0)), -largest, -mentions[key], key)

    return tuple(
        FundingPartner(
            name=names[key][1], ref=names[key][0], incoming=as_money(amounts.get(key, {}))
        )
        for key in sorted(names, key=rank)
    )


@dataclass(frozen=True)
class Funding:
    """Funding partners ranked by one basis (BY_INCOMING_FUNDS, …), the page says which."""

    basis: str
    partners: tuple[FundingPartner, ...]


def funding_of(
    incoming_funds: list[FundingLine],
    incoming_commitments: list[FundingLine],
    funding_organisations: list[FundingLine],
) -> Funding:
    """Incoming funds, else incoming commitments, else the funding organisations named."""
    if incoming_funds:
        return Funding(BY_INCOMING_FUNDS, ranked_partners(incoming_funds))
    if incoming_commitments:
        return Funding(BY_INCOMING_COMMITMENTS, ranked_partners(incoming_commitments))
    return Funding(BY_FUNDING_ORGANISATIONS, ranked_partners(funding_organisations))
