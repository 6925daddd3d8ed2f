"""A test oracle: the figures the portal must show, read straight from IATI activity XML.

Independent of the portal on purpose: it never imports `portal`, it reads the XML with lxml and
adds money with Decimal (never float), following the rules R0–R6 below. Tests compare the
portal's pages, downloads and API with what this module computes.

R0 Numbers and dates. `value` text is a decimal (stripped; an element whose value does not parse
   is ignored). Currency = `value/@currency` (stripped, upper-case), else the activity's
   `@default-currency`, else None. A date is the first 10 characters of `@iso-date` as
   YYYY-MM-DD; anything else is no date.
R1 Scopes. ("country", ISO alpha-3) from `recipient-country/@code` (alpha-2 via pycountry, plus
   XK → XKX); ("region", vocabulary, code) from `recipient-region` (vocabulary defaults to "1").
   Share: 1 when the activity has a single recipient element (countries + regions); otherwise
   `@percentage` / 100 when it parses, else 1 / N. Shares of a repeated scope are added.
R2 Active years: from start (actual, else planned) to end (actual, else planned), stretched to
   and united with the money years (budget period-starts and transaction dates).
R3 Budget in a year: budgets whose period-start is in the year and whose value is > 0; an
   original budget (type 1) is left out when a revised one (type 2) has the same period-start;
   a budget without type is never replaced. Amount × share.
R4 Spending in a year: disbursements (transaction type 3) and expenditure (type 4) dated in the
   year, any sign. Amount × share.
R5 Funding partners, per publisher, over its activities active in the scope in the year:
   providers of incoming funds (type 1) dated in the year; else of incoming commitments (type 11);
   else the funding organisations (participating-org role 1), without amounts.
R6 Everything is grouped by publisher and currency, never added across them.

Activities are keyed by iati-identifier: the six real files have no identifier twice
(`load` raises if a set of files does).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from os import PathLike
from types import MappingProxyType

import pycountry
from lxml import etree

Scope = tuple[str, ...]  # ("country", "ALB") or ("region", "1", "298")
OrgKey = tuple[str | None, str | None]  # (ref, normalised first name)
Money = dict[tuple[str | None, str | None], Decimal]  # (publisher ref, currency) -> amount

INCOMING_FUNDS, DISBURSEMENT, EXPENDITURE, INCOMING_COMMITMENT = "1", "3", "4", "11"
KEPT_TRANSACTION_TYPES = {INCOMING_FUNDS, DISBURSEMENT, EXPENDITURE, INCOMING_COMMITMENT}
ORIGINAL_BUDGET, REVISED_BUDGET = "1", "2"

ALPHA3 = {country.alpha_2: country.alpha_3 for country in pycountry.countries} | {"XK": "XKX"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# ---------------------------------------------------------------------------------------------
# What is kept of each activity


@dataclass(frozen=True)
class Budget:
    type: str | None
    period_start: date
    value: Decimal
    currency: str | None


@dataclass(frozen=True)
class Transaction:
    type: str
    date: date
    value: Decimal
    currency: str | None
    provider: OrgKey | None


@dataclass(frozen=True)
class Activity:
    identifier: str
    publisher: str | None
    recipient_count: int  # N of R1: recipient-country + recipient-region elements
    shares: Mapping[Scope, Decimal]
    start: date | None
    end: date | None
    money_years: frozenset[int]
    budgets: tuple[Budget, ...]
    transactions: tuple[Transaction, ...]  # only types 1, 3, 4 and 11
    funders: tuple[OrgKey, ...]  # participating-org role 1, in document order, repeats dropped


@dataclass(frozen=True)
class Activities:
    by_id: Mapping[str, Activity]
    files: tuple[str, ...]

    def __iter__(self):
        """R0: the activities in file order."""
        return iter(self.by_id.values())

    def __len__(self) -> int:
        """R0: how many activities were loaded."""
        return len(self.by_id)


# ---------------------------------------------------------------------------------------------
# R0: reading numbers, currencies, dates and organisation keys


def parse_decimal(text: str | None) -> Decimal | None:
    """R0: a stripped decimal, or None when it does not parse (or is not finite)."""
    try:
        number = Decimal((text or "").strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def parse_date(iso_date: str | None) -> date | None:
    """R0: the first 10 characters of @iso-date as YYYY-MM-DD, else None."""
    text = (iso_date or "").strip()[:10]
    if not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _stripped(text: str | None) -> str | None:
    """R0: stripped text, None when empty."""
    text = (text or "").strip()
    return text or None


def _currency(value_element, default_currency: str | None) -> str | None:
    """R0: value/@currency (upper-case), else the activity's default currency."""
    own = _stripped(value_element.get("currency"))
    return own.upper() if own else default_currency


def org_key(element) -> OrgKey | None:
    """R5: (ref, first narrative normalised), None when it has neither (a name "-" is no name)."""
    ref = _stripped(element.get("ref"))
    name = None
    for narrative in element.findall("narrative"):
        text = " ".join((narrative.text or "").split()).casefold()
        if text:
            name = text
            break
    if name == "-":
        name = None
    if ref is None and name is None:
        return None
    return (ref, name)


# ---------------------------------------------------------------------------------------------
# Loading


def _shares(activity) -> tuple[int, dict[Scope, Decimal]]:
    """R1: the activity's share in each scope it names."""
    recipients = activity.findall("recipient-country") + activity.findall("recipient-region")
    count = len(recipients)
    shares: dict[Scope, Decimal] = defaultdict(Decimal)
    for element in recipients:
        code = _stripped(element.get("code"))
        if code is None:
            scope = None
        elif element.tag == "recipient-country":
            alpha3 = ALPHA3.get(code.upper())
            scope = ("country", alpha3) if alpha3 else None
        else:
            scope = ("region", _stripped(element.get("vocabulary")) or "1", code)
        if scope is None:
            continue
        percentage = parse_decimal(element.get("percentage"))
        if count == 1:
            share = Decimal(1)
        elif percentage is not None:
            share = percentage / 100
        else:
            share = Decimal(1) / count
        shares[scope] += share
    return count, dict(shares)


def _first_date(activity, type_code: str) -> date | None:
    """R2: the first activity-date of that type that has a readable @iso-date."""
    for element in activity.findall("activity-date"):
        if (element.get("type") or "").strip() == type_code:
            found = parse_date(element.get("iso-date"))
            if found:
                return found
    return None


def _read_activity(element) -> Activity | None:
    """R0–R5: what the rules need of one iati-activity (None without an identifier)."""
    identifier = _stripped(element.findtext("iati-identifier"))
    if identifier is None:
        return None
    reporting = element.find("reporting-org")
    publisher = _stripped(reporting.get("ref")) if reporting is not None else None
    default_currency = _stripped(element.get("default-currency"))
    default_currency = default_currency.upper() if default_currency else None
    recipient_count, shares = _shares(element)

    money_years: set[int] = set()
    budgets = []
    for budget in element.findall("budget"):
        start = budget.find("period-start")
        period_start = parse_date(start.get("iso-date")) if start is not None else None
        if period_start is None:
            continue
        money_years.add(period_start.year)
        value_element = budget.find("value")
        value = parse_decimal(value_element.text) if value_element is not None else None
        if value is None:
            continue
        budgets.append(
            Budget(
                _stripped(budget.get("type")),
                period_start,
                value,
                _currency(value_element, default_currency),
            )
        )

    transactions = []
    for transaction in element.findall("transaction"):
        date_element = transaction.find("transaction-date")
        when = parse_date(date_element.get("iso-date")) if date_element is not None else None
        if when is None:
            continue
        money_years.add(when.year)
        type_element = transaction.find("transaction-type")
        type_code = _stripped(type_element.get("code")) if type_element is not None else None
        value_element = transaction.find("value")
        value = parse_decimal(value_element.text) if value_element is not None else None
        if type_code not in KEPT_TRANSACTION_TYPES or value is None:
            continue
        provider = transaction.find("provider-org")
        transactions.append(
            Transaction(
                type_code,
                when,
                value,
                _currency(value_element, default_currency),
                org_key(provider) if provider is not None else None,
            )
        )

    funders: list[OrgKey] = []
    for organisation in element.findall("participating-org"):
        if (organisation.get("role") or "").strip() == "1":
            key = org_key(organisation)
            if key is not None and key not in funders:
                funders.append(key)

    return Activity(
        identifier=identifier,
        publisher=publisher,
        recipient_count=recipient_count,
        shares=MappingProxyType(shares),
        start=_first_date(element, "2") or _first_date(element, "1"),
        end=_first_date(element, "4") or _first_date(element, "3"),
        money_years=frozenset(money_years),
        budgets=tuple(budgets),
        transactions=tuple(transactions),
        funders=tuple(funders),
    )


def load(paths: Iterable[str | PathLike], repeats_in_other_years: bool = False) -> Activities:
    """R0: parse each file once and keep, per activity, only what rules R1–R5 need.

    An iati-identifier must be unique (IATI Standard Ruleset, "unique" on iati-identifier);
    only the bundled sample repeats one on purpose, for an outcome carried into a second plan
    period, in years the first copy does not cover (`repeats_in_other_years`)."""
    by_id: dict[str, Activity] = {}
    files = []
    for path in paths:
        files.append(str(path))
        for _event, element in etree.iterparse(
            str(path),
            events=("end",),
            tag="iati-activity",
            resolve_entities=False,
            no_network=True,
            huge_tree=True,
        ):
            activity = _read_activity(element)
            # Free what was read: the element and the activities before it.
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
            if activity is None:
                continue
            key = activity.identifier
            if key in by_id:
                if not repeats_in_other_years:
                    raise ValueError(f"iati-identifier twice: {key!r} ({path})")
                key = f"{key}#{sum(1 for k in by_id if k.split('#')[0] == key) + 1}"
            by_id[key] = activity
    return Activities(MappingProxyType(by_id), tuple(files))


# ---------------------------------------------------------------------------------------------
# Scopes and years


def every_identifier(acts: Activities) -> set[str]:
    """R0: every iati-identifier loaded."""
    return {activity.identifier for activity in acts}


def scopes_with_activities(acts: Activities) -> set[Scope]:
    """R1: every country and region scope that at least one activity names."""
    return {scope for activity in acts for scope in activity.shares}


def activity_years(activity: Activity) -> set[int]:
    """R2: the years in which one activity is active."""
    money = set(activity.money_years)
    start = activity.start.year if activity.start else None
    end = activity.end.year if activity.end else None
    if start is not None and end is not None:
        low, high = min(start, end), max(start, end)
        return set(range(low, high + 1)) | money
    if start is not None:
        return set(range(start, max([start, *money]) + 1)) | money
    if end is not None:
        return set(range(min([end, *money]), end + 1)) | money
    return money


def active_years(acts: Activities, scope: Scope) -> dict[str, set[int]]:
    """R1 + R2: the active years of each activity in the scope."""
    return {a.identifier: activity_years(a) for a in acts if scope in a.shares}


# ---------------------------------------------------------------------------------------------
# One scope in one year


@dataclass(frozen=True)
class InScope:
    publisher: str | None
    share: Decimal


@dataclass(frozen=True)
class ActivityFigures:
    budget: dict[str | None, Decimal] = field(default_factory=dict)
    disbursement: dict[str | None, Decimal] = field(default_factory=dict)
    expenditure: dict[str | None, Decimal] = field(default_factory=dict)

    @property
    def spending(self) -> dict[str | None, Decimal]:
        """R4: disbursement + expenditure, per currency."""
        return _add_by_key(self.disbursement, self.expenditure)


Partner = tuple[OrgKey, dict[str | None, Decimal]]


@dataclass(frozen=True)
class YearLedger:
    scope: Scope
    year: int
    activities: dict[str, InScope]
    budget: Money
    disbursement: Money
    expenditure: Money
    by_activity: dict[str, ActivityFigures]
    partners: dict[str | None, tuple[str, list[Partner]]]

    @property
    def spending(self) -> Money:
        """R4: disbursement + expenditure, per publisher and currency."""
        return _add_by_key(self.disbursement, self.expenditure)


def _add_by_key(*parts: Mapping) -> dict:
    """R6: amounts added key by key (publisher and currency are never mixed)."""
    total: dict = defaultdict(Decimal)
    for part in parts:
        for key, amount in part.items():
            total[key] += amount
    return dict(total)


def counted_budgets(activity: Activity, year: int) -> list[Budget]:
    """R3: the budget lines of the activity that count in the year."""
    revised_starts = {b.period_start for b in activity.budgets if b.type == REVISED_BUDGET}
    return [
        b
        for b in activity.budgets
        if b.period_start.year == year
        and b.value > 0
        and not (b.type == ORIGINAL_BUDGET and b.period_start in revised_starts)
    ]


def _figures(activity: Activity, share: Decimal, year: int) -> ActivityFigures:
    """R3 + R4: one activity's budget and spending in the year, per currency, times its share."""
    figures = ActivityFigures()
    for budget in counted_budgets(activity, year):
        figures.budget[budget.currency] = (
            figures.budget.get(budget.currency, Decimal(0)) + budget.value * share
        )
    for transaction in activity.transactions:
        if transaction.date.year != year:
            continue
        if transaction.type == DISBURSEMENT:
            target = figures.disbursement
        elif transaction.type == EXPENDITURE:
            target = figures.expenditure
        else:
            continue
        target[transaction.currency] = (
            target.get(transaction.currency, Decimal(0)) + transaction.value * share
        )
    return figures


def _rank(partners: Mapping[OrgKey, dict[str | None, Decimal]]) -> list[Partner]:
    """R5: largest amount (in any currency) first; ties by key."""

    def order(item: Partner):
        """R5: the sort key of one partner."""
        key, amounts = item
        return (-max(amounts.values(), default=Decimal(0)), key[0] or "", key[1] or "")

    return sorted(((key, dict(amounts)) for key, amounts in partners.items()), key=order)


def funding_partners(
    activities: list[tuple[Activity, Decimal]], year: int
) -> tuple[str, list[Partner]]:
    """R5: one publisher's funding partners in the year, with the basis they were found on."""
    for type_code, basis in (
        (INCOMING_FUNDS, "incoming_funds"),
        (INCOMING_COMMITMENT, "incoming_commitments"),
    ):
        lines = [
            (transaction, share)
            for activity, share in activities
            for transaction in activity.transactions
            if transaction.type == type_code and transaction.date.year == year
        ]
        if lines:
            amounts: dict[OrgKey, dict[str | None, Decimal]] = {}
            for transaction, share in lines:
                if transaction.provider is None:
                    continue
                by_currency = amounts.setdefault(transaction.provider, {})
                by_currency[transaction.currency] = (
                    by_currency.get(transaction.currency, Decimal(0)) + transaction.value * share
                )
            return basis, _rank(amounts)
    funders = {key: {} for activity, _share in activities for key in activity.funders}
    return "funding_organisations", _rank(funders)


def year_ledger(acts: Activities, scope: Scope, year: int) -> YearLedger:
    """R1–R6: the scope's activities, budget, spending and partners in one year."""
    activities: dict[str, InScope] = {}
    by_activity: dict[str, ActivityFigures] = {}
    totals: dict[str, dict] = {"budget": {}, "disbursement": {}, "expenditure": {}}
    by_publisher: dict[str | None, list[tuple[Activity, Decimal]]] = defaultdict(list)
    for activity in acts:
        share = activity.shares.get(scope)
        if share is None or year not in activity_years(activity):
            continue
        if activity.identifier in activities:
            raise ValueError(f"{activity.identifier!r} twice in {scope} {year}")
        activities[activity.identifier] = InScope(activity.publisher, share)
        figures = _figures(activity, share, year)
        by_activity[activity.identifier] = figures
        by_publisher[activity.publisher].append((activity, share))
        for name, total in totals.items():
            for currency, amount in getattr(figures, name).items():
                key = (activity.publisher, currency)
                total[key] = total.get(key, Decimal(0)) + amount
    return YearLedger(
        scope=scope,
        year=year,
        activities=activities,
        budget=totals["budget"],
        disbursement=totals["disbursement"],
        expenditure=totals["expenditure"],
        by_activity=by_activity,
        partners={
            publisher: funding_partners(members, year)
            for publisher, members in by_publisher.items()
        },
    )


def scope_years(acts: Activities) -> set[tuple[Scope, int]]:
    """R1 + R2: every (scope, year) with at least one active activity."""
    return {
        (scope, year)
        for activity in acts
        for scope in activity.shares
        for year in activity_years(activity)
    }


# ---------------------------------------------------------------------------------------------
# Saying why


def explain(acts: Activities, identifier: str, scope: Scope, year: int) -> list[str]:
    """R1–R4: one line per rule decision for one activity in one scope and year."""
    activity = acts.by_id[identifier]
    share = activity.shares.get(scope)
    lines = [f"{identifier} (publisher {activity.publisher})"]
    if share is None:
        return [*lines, f"R1: not in {scope}"]
    lines.append(f"R1: share {share} in {scope} ({activity.recipient_count} recipient elements)")
    years = activity_years(activity)
    lines.append(
        f"R2: start {activity.start}, end {activity.end}, money years "
        f"{sorted(activity.money_years)} -> active {sorted(years)}"
    )
    if year not in years:
        return [*lines, f"R2: not active in {year}"]
    counted = counted_budgets(activity, year)
    for budget in activity.budgets:
        if budget.period_start.year != year:
            continue
        if budget in counted:
            verdict = f"counted: {budget.value} x {share} = {budget.value * share}"
        elif budget.value <= 0:
            verdict = "left out: not > 0"
        else:
            verdict = "left out: a revised budget has the same period-start"
        lines.append(
            f"R3: budget type {budget.type} from {budget.period_start} "
            f"{budget.value} {budget.currency}: {verdict}"
        )
    for transaction in activity.transactions:
        if transaction.date.year == year and transaction.type in (DISBURSEMENT, EXPENDITURE):
            lines.append(
                f"R4: transaction type {transaction.type} on {transaction.date} "
                f"{transaction.value} {transaction.currency} x {share} = "
                f"{transaction.value * share}"
            )
    return lines
