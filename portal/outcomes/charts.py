"""Bar charts drawn on the server as inline SVG, each with the same numbers in a table.

This module works out the geometry (where each bar, value and label goes) from the query
results; templates/charts/_bar_chart.html draws it. Bars are horizontal, so long names fit;
each bar carries its value as text, and spending is hatched where budget is solid, so
colour is never the only signal. One chart per currency: amounts in different currencies
are never drawn on one scale. Styling is by class only (the CSP forbids inline styles).

Phone first: a chart is drawn for a width of WIDTH units and shown at most that many CSS
pixels wide, so that on a 375 px phone its text is still at least 12 px (text in an SVG
shrinks with it). Labels wrap onto LABEL_LINES lines and the bars make room for the widest
value, both measured with `text_width`, so that nothing is cut off in any language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import ngettext

from portal.i18n import text_direction
from portal.i18n.formatting import current_locale, money, pick_narrative, same_language
from portal.iati.narratives import Narratives
from portal.ledger.rules import BY_INCOMING_COMMITMENTS, BudgetAndSpending, Funding, Money
from portal.outcomes.queries import (
    OutcomeDetail,
    OutcomeResources,
    ResultsResourcesView,
    StrategicPlanView,
)

WIDTH = 360
"""The drawing's width in user units, which are CSS pixels at its natural size."""
FONT_SIZE = 14
"""The text size in user units; static/css/portal.css sets the same on `.chart text`."""
PADDING = 8
LEGEND_ROW = 22
LEGEND_SWATCH = 14
LEGEND_GAP = 18
LINE_HEIGHT = 18
LABEL_LINES = 2
BAR_HEIGHT = 18
BAR_GAP = 4
GROUP_GAP = 14
VALUE_GAP = 6
SHORTEST_BAR_AREA = 120
"""The longest bar is never drawn shorter: a long value widens the chart instead."""

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
    """The amount, as the table gives it."""
    drawn_text: str
    """What is written at the bar's end: "Budget: $200", or the amount alone when the
    series' name would not fit beside the bars (the legend and the hatching still say it)."""
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
    """In full, as the table gives it."""
    lang: str | None
    """The label's language when it is not the visitor's (a publisher's name)."""
    lines: tuple[str, ...]
    """The label as drawn: wrapped, and shortened with "…" when it is longer."""
    label_x: float
    label_y: float
    """Where its first line starts (baseline); the others follow LINE_HEIGHT apart."""
    bars: tuple[ChartBar, ...]
    note: str | None = None
    """Said after the label in the table only (an outcome's identifier)."""


@dataclass(frozen=True)
class LegendItem:
    series: ChartSeries
    x: float
    """The swatch's left edge."""
    y: float
    text_x: float
    """Where its text starts (left to right: after the swatch; right to left: before it)."""


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
    bar_area: int
    """The length of the longest bar."""
    line_height: int = LINE_HEIGHT
    rtl: bool = False
    """Drawn right to left (Arabic pages): bars grow from the right edge, labels and values
    start at the right (the SVG's text inherits the page's direction, so `text-anchor`'s start
    is the right end of a text); a label in a left-to-right language is anchored by its end."""


@dataclass(frozen=True)
class _Row:
    label: str
    lang: str | None
    values: dict[str, dict[str | None, Decimal]]  # series key → currency → amount
    note: str | None = None


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


def text_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """How wide `text` is drawn, in user units, a little generously: the widths of DejaVu
    Sans (the widest of the usual sans-serif fonts) by kind of character; a CJK character
    takes a full em."""
    ems = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in "WF":
            ems += 1.0
        elif char.isspace() or char in ".,:;'’()[]|!":
            ems += 0.36
        elif char.isupper() or char.isdigit() or char in "$€£¥%&@—–":
            ems += 0.72
        else:
            ems += 0.62
    return ems * size * (1.1 if bold else 1.0)


def _cut(text: str, width: float) -> str:
    """The start of `text` that fits in `width` with "…" after it."""
    while text and text_width(text.rstrip() + "…", bold=True) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def label_lines(text: str, width: float, most: int = LABEL_LINES) -> tuple[str, ...]:
    """`text` wrapped at spaces into lines that fit `width` (a word too long for a line is
    cut), at most `most` of them; the last one ends with "…" when the text goes on."""
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < most:
        line = words.pop(0)
        if text_width(line, bold=True) > width:
            lines.append(_cut(line, width))
            continue
        while words and text_width(f"{line} {words[0]}", bold=True) <= width:
            line = f"{line} {words.pop(0)}"
        lines.append(line)
    if words and lines:
        last = lines[-1]
        if not last.endswith("…"):
            lines[-1] = (
                last + "…" if text_width(last + "…", bold=True) <= width else _cut(last, width)
            )
    return tuple(lines)


def _published_label(
    texts: Narratives | None, fallback: str, default_lang: str | None = None
) -> tuple[str, str | None]:
    """The name in the visitor's language if published, else the original with its language."""
    picked = pick_narrative(texts, default_lang)
    if picked is None:
        return fallback, None
    text = " ".join(picked.text.split())
    return text, None if same_language(picked.lang) else picked.lang


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


def _legend(series: Sequence[ChartSeries]) -> tuple[tuple[LegendItem, ...], float]:
    """The legend's items, in rows that fit the width; and the height they take."""
    items = []
    x, y = PADDING, PADDING
    for item in series:
        width = LEGEND_SWATCH + 6 + text_width(item.label)
        if x > PADDING and x + width > WIDTH - PADDING:
            x, y = PADDING, y + LEGEND_ROW
        items.append(LegendItem(item, x, y, x + LEGEND_SWATCH + 6))
        x += width + LEGEND_GAP
    return tuple(items), y + LEGEND_ROW


def _mirrored(chart: BarChart) -> BarChart:
    """The chart laid out right to left: every x measured from the right edge instead."""
    width = chart.width

    def flip(x: float) -> float:
        return round(width - x, 1)

    legend = tuple(
        replace(item, x=flip(item.x + LEGEND_SWATCH), text_x=flip(item.text_x))
        for item in chart.legend
    )
    categories = tuple(
        replace(
            category,
            label_x=flip(category.label_x),
            bars=tuple(
                replace(bar, x=flip(bar.x + bar.width), text_x=flip(bar.text_x))
                for bar in category.bars
            ),
        )
        for category in chart.categories
    )
    return replace(chart, legend=legend, categories=categories, rtl=True)


def _value_text(series: Sequence[ChartSeries], item: ChartSeries, text: str, named: bool) -> str:
    """The text written at a bar's end; `named` with the series' name when there are several."""
    return f"{item.label}: {text}" if named and len(series) > 1 else text


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
    legend, legend_height = _legend(series)
    charts = []
    for currency in currencies:
        shown = [
            row
            for row in rows
            if len(currencies) == 1
            or any(currency in row.values.get(key, {}) for key in series_keys)
        ]
        texts = {
            (index, item.key): (
                money(value, currency) if value is not None else _("not reported"),
                value,
            )
            for index, row in enumerate(shown)
            for item in series
            for value in [row.values.get(item.key, {}).get(currency)]
        }

        # The widest value with its series' name, else the amount alone (see ChartBar).
        named_width, amount_width = (
            max(
                (
                    text_width(_value_text(series, item, texts[index, item.key][0], named))
                    for index in range(len(shown))
                    for item in series
                ),
                default=0.0,
            )
            for named in (True, False)
        )
        named = named_width <= WIDTH - 2 * PADDING - VALUE_GAP - SHORTEST_BAR_AREA
        values_width = named_width if named else amount_width
        bar_area = int(max(SHORTEST_BAR_AREA, WIDTH - 2 * PADDING - VALUE_GAP - values_width))
        width = max(WIDTH, int(2 * PADDING + bar_area + VALUE_GAP + values_width + 1))
        values = [value for _text, value in texts.values() if value is not None]
        largest = max(values, default=Decimal(0))
        scale = Decimal(bar_area) / largest if largest > 0 else Decimal(0)
        top = legend_height
        categories = []
        for index, row in enumerate(shown):
            lines = label_lines(row.label, width - 2 * PADDING) or (row.label,)
            bars = []
            y = top + len(lines) * LINE_HEIGHT + BAR_GAP
            for item in series:
                text, value = texts[index, item.key]
                length = float(max(value, Decimal(0)) * scale) if value is not None else 0.0
                length = round(length, 1)
                bars.append(
                    ChartBar(
                        series=item,
                        value=value,
                        text=text,
                        drawn_text=_value_text(series, item, text, named),
                        x=PADDING,
                        y=y,
                        width=length,
                        height=BAR_HEIGHT,
                        text_x=round(PADDING + length + VALUE_GAP, 1),
                        text_y=y + BAR_HEIGHT / 2,
                    )
                )
                y += BAR_HEIGHT + BAR_GAP
            categories.append(
                ChartCategory(
                    label=row.label,
                    lang=row.lang,
                    lines=lines,
                    label_x=PADDING,
                    label_y=top + LINE_HEIGHT - 4,
                    bars=tuple(bars),
                    note=row.note,
                )
            )
            top = y - BAR_GAP + GROUP_GAP
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
                width=width,
                height=int(top - GROUP_GAP + PADDING),
                bar_area=bar_area,
            )
        )
    if text_direction(str(current_locale().language)) == "rtl":
        return [_mirrored(chart) for chart in charts]
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
    (the page of the tab's list) when given, else all of them. Bars are named by the
    outcome's title (its identifier follows in the table), or its identifier if untitled."""
    rows = []
    for outcome in view.outcomes if outcomes is None else outcomes:
        code = short_identifier(outcome.iati_identifier)
        label, lang = _published_label(outcome.title, code, outcome.default_lang)
        note = code if label != code else None
        rows.append(_Row(label, lang, _money_values(outcome.year_money), note))
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
