"""Bar charts drawn on the server as inline SVG, each with the same numbers in a table.

This module works out the geometry (where each bar, value and label goes) from the query
results; templates/charts/_bar_chart.html draws it. Bars are horizontal, so long names fit;
each bar carries its value as text, and spending is hatched where budget is solid, so
colour is never the only signal. One chart per currency: amounts in different currencies
are never drawn on one scale. Styling is by class only (the CSP forbids inline styles).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import ngettext

from portal.i18n.formatting import money, pick_narrative, same_language
from portal.iati.narratives import Narratives
from portal.ledger.rules import BY_INCOMING_COMMITMENTS, BudgetAndSpending, Funding, Money
from portal.outcomes.queries import (
    OutcomeDetail,
    OutcomeResources,
    ResultsResourcesView,
    StrategicPlanView,
)

WIDTH = 640
PADDING = 8
LEGEND_HEIGHT = 30
LABEL_HEIGHT = 20
BAR_HEIGHT = 16
BAR_GAP = 4
GROUP_GAP = 14
BAR_AREA = 400  # the longest bar; the rest of the width is for its value
VALUE_GAP = 6
LABEL_LENGTH = 72

BUDGET = "budget"
EXPENDITURE = "expenditure"  # the series of spending (disbursements + expenditure)
INCOMING = "incoming"


@dataclass(frozen=True)
class ChartSeries:
    """What one kind of bar stands for; `key` names its CSS class and pattern."""

    key: str
    label: str


@dataclass(frozen=True)
class ChartBar:
    series: ChartSeries
    value: Decimal | None
    text: str
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float


@dataclass(frozen=True)
class ChartCategory:
    """One group of bars: an outcome, a partner, an area or a year."""

    label: str
    lang: str | None
    """The label's language when it is not the visitor's (a publisher's name)."""
    label_y: float
    bars: tuple[ChartBar, ...]


@dataclass(frozen=True)
class LegendItem:
    series: ChartSeries
    x: float
    y: float


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    currency: str | None
    category_heading: str
    series: tuple[ChartSeries, ...]
    categories: tuple[ChartCategory, ...]
    legend: tuple[LegendItem, ...]
    width: int
    height: int


@dataclass(frozen=True)
class _Row:
    label: str
    lang: str | None
    values: dict[str, dict[str | None, Decimal]]  # series key → currency → amount


def _series() -> dict[str, ChartSeries]:
    return {
        BUDGET: ChartSeries(BUDGET, _("Budget")),
        EXPENDITURE: ChartSeries(EXPENDITURE, _("Spending")),
        INCOMING: ChartSeries(INCOMING, _("Incoming funds")),
    }


def _amounts(items: Iterable[Money]) -> dict[str | None, Decimal]:
    return {item.currency: item.amount for item in items}


def _money_values(figures: BudgetAndSpending) -> dict[str, dict[str | None, Decimal]]:
    return {BUDGET: _amounts(figures.budget), EXPENDITURE: _amounts(figures.spending)}


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1].rstrip() + "…"


def _published_label(texts: Narratives | None, fallback: str) -> tuple[str, str | None]:
    picked = pick_narrative(texts)
    if picked is None:
        return fallback, None
    return _short(picked.text), None if same_language(picked.lang) else picked.lang


def short_identifier(identifier: str) -> str:
    """ "MLI_D_1.1" from "XM-DAC-41146-MLI_D_1.1": the part after the publisher's prefix."""
    tail = re.split(r"-(?=[^-]*$)", identifier.strip())
    return tail[-1] if tail[-1] else identifier


def _currencies(rows: Sequence[_Row], series_keys: Sequence[str]) -> list[str | None]:
    found = {
        currency for row in rows for key in series_keys for currency in row.values.get(key, {})
    }
    return sorted(found, key=lambda currency: currency or "")


def _chart_id(kind: str, currency: str | None) -> str:
    return f"chart-{kind}-{(currency or 'none').lower()}"


def _build(
    kind: str,
    rows: Sequence[_Row],
    series_keys: Sequence[str],
    title: Callable[[str | None], str],
    description: Callable[[int, str | None], str],
    category_heading: str,
) -> list[BarChart]:
    """One chart per currency; with several currencies, each lists the rows that have it."""
    all_series = _series()
    series = tuple(all_series[key] for key in series_keys)
    currencies = _currencies(rows, series_keys)
    charts = []
    for currency in currencies:
        shown = [
            row
            for row in rows
            if len(currencies) == 1
            or any(currency in row.values.get(key, {}) for key in series_keys)
        ]
        values = [row.values.get(key, {}).get(currency) for row in shown for key in series_keys]
        largest = max((value for value in values if value is not None), default=Decimal(0))
        scale = Decimal(BAR_AREA) / largest if largest > 0 else Decimal(0)
        top = LEGEND_HEIGHT
        categories = []
        for row in shown:
            bars = []
            y = top + LABEL_HEIGHT
            for item in series:
                value = row.values.get(item.key, {}).get(currency)
                width = float(max(value, Decimal(0)) * scale) if value is not None else 0.0
                width = round(width, 1)
                text = money(value, currency) if value is not None else _("not reported")
                bars.append(
                    ChartBar(
                        series=item,
                        value=value,
                        text=text,
                        x=PADDING,
                        y=y,
                        width=width,
                        height=BAR_HEIGHT,
                        text_x=round(PADDING + width + VALUE_GAP, 1),
                        text_y=y + BAR_HEIGHT / 2,
                    )
                )
                y += BAR_HEIGHT + BAR_GAP
            categories.append(ChartCategory(row.label, row.lang, top + 14, tuple(bars)))
            top = y - BAR_GAP + GROUP_GAP
        legend = tuple(
            LegendItem(item, PADDING + index * 170, 8) for index, item in enumerate(series)
        )
        charts.append(
            BarChart(
                id=_chart_id(kind, currency),
                title=title(currency),
                description=description(len(shown), currency),
                currency=currency,
                category_heading=category_heading,
                series=series,
                categories=tuple(categories),
                legend=legend,
                width=WIDTH,
                height=int(top - GROUP_GAP + PADDING + 4),
            )
        )
    return charts


def _in_currency(currency: str | None) -> str:
    return currency or _("the currency of the data")


def _bars_description(count: int, currency: str | None) -> str:
    return ngettext(
        "%(num)d group of bars: budget (solid) and spending (hatched), in %(currency)s, "
        "each with its amount written at its end. The table below gives the same figures.",
        "%(num)d groups of bars: budget (solid) and spending (hatched), in %(currency)s, "
        "each with its amount written at its end. The table below gives the same figures.",
        count,
        currency=_in_currency(currency),
    )


def _single_description(count: int, currency: str | None) -> str:
    return ngettext(
        "%(num)d bar in %(currency)s with its amount written at its end. "
        "The table below gives the same figures.",
        "%(num)d bars in %(currency)s, each with its amount written at its end. "
        "The table below gives the same figures.",
        count,
        currency=_in_currency(currency),
    )


def budget_vs_expenditure_by_outcome(
    view: ResultsResourcesView, outcomes: Sequence[OutcomeResources] | None = None
) -> list[BarChart]:
    """Results & Resources: each outcome's budget and expenditure for the year; `outcomes`
    (the page of the tab's list) when given, else all of them."""
    rows = [
        _Row(short_identifier(outcome.iati_identifier), None, _money_values(outcome.year_money))
        for outcome in (view.outcomes if outcomes is None else outcomes)
    ]
    return _build(
        "outcome-money",
        rows,
        (BUDGET, EXPENDITURE),
        lambda currency: _(
            "Budget and spending by outcome, %(year)s (%(currency)s)",
            year=view.year,
            currency=_in_currency(currency),
        ),
        _bars_description,
        _("Outcome"),
    )


def funding_by_partner(funding: Funding, year: int | None, group: int = 0) -> list[BarChart]:
    """Incoming funds (or, when the ranking used them, incoming commitments) per funding
    partner; nothing for partners only named. `group` keeps the ids of several charts apart."""
    rows = []
    for partner in funding.partners:
        label, lang = _published_label(partner.name, partner.ref or _("Unnamed partner"))
        rows.append(_Row(label, lang, {INCOMING: _amounts(partner.incoming)}))

    def title(currency: str | None) -> str:
        if funding.basis == BY_INCOMING_COMMITMENTS and year is None:
            return _(
                "Incoming commitments by funding partner (%(currency)s)",
                currency=_in_currency(currency),
            )
        if funding.basis == BY_INCOMING_COMMITMENTS:
            return _(
                "Incoming commitments by funding partner, %(year)s (%(currency)s)",
                year=year,
                currency=_in_currency(currency),
            )
        if year is None:
            return _(
                "Incoming funds by funding partner (%(currency)s)", currency=_in_currency(currency)
            )
        return _(
            "Incoming funds by funding partner, %(year)s (%(currency)s)",
            year=year,
            currency=_in_currency(currency),
        )

    kind = f"partner-funds-{group}" if group else "partner-funds"
    return _build(kind, rows, (INCOMING,), title, _single_description, _("Funding partner"))


def spending_by_area(view: StrategicPlanView) -> list[BarChart]:
    """Strategic Plan Contributions: expenditure of the year per Strategic Plan area."""
    rows = [
        _Row(
            f"{group.code} · {group.short_name}" if group.short_name else group.label,
            None,
            {EXPENDITURE: _amounts(group.money.spending)},
        )
        for group in view.areas
    ]
    return _build(
        "area-spending",
        rows,
        (EXPENDITURE,),
        lambda currency: _(
            "Spending by Strategic Plan area, %(year)s (%(currency)s)",
            year=view.year,
            currency=_in_currency(currency),
        ),
        _single_description,
        _("Strategic Plan area"),
    )


def money_by_year(detail: OutcomeDetail) -> list[BarChart]:
    """The outcome page: budget and expenditure in each year."""
    rows = [_Row(str(row.year), None, _money_values(row.money)) for row in detail.money_by_year]
    return _build(
        "year-money",
        rows,
        (BUDGET, EXPENDITURE),
        lambda currency: _(
            "Budget and spending by year (%(currency)s)", currency=_in_currency(currency)
        ),
        _bars_description,
        _("Year"),
    )
