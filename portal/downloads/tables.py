"""What each download holds: one definition of columns per view, and its rows.

A view's rows come from the same query functions as the page, so that a file holds exactly
what the visitor is looking at (every page of it). The CSV, XLSX and JSON writers all take
a `DownloadTable`, so the three formats cannot drift apart. Codes sit beside their labels in
the request's language; every row names its country, year, plan period, source and "as of".
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal.countries import queries as country_queries
from portal.downloads import queries
from portal.i18n.formatting import pick_narrative
from portal.i18n.labels import indicator_measure_label, result_type_label
from portal.iati.narratives import Narratives
from portal.ledger.rules import BY_FUNDING_ORGANISATIONS, BY_INCOMING_COMMITMENTS, BY_INCOMING_FUNDS
from portal.outcomes import queries as outcome_queries

Row = Mapping[str, object]


class ColumnKind(enum.Enum):
    """How a column's values are written: text is guarded against spreadsheet formulas,
    numbers and dates get number formats in XLSX and stay numbers in JSON."""

    TEXT = "string"
    CODE = "code"
    INTEGER = "integer"
    MONEY = "money"
    SHARE = "share"
    """A fraction such as a delivery rate: 0.625 is 62.5 %."""
    DATE = "date"

    @property
    def json_type(self) -> str:
        """The JSON Schema type of the column's values (dates are ISO 8601 strings)."""
        return {
            ColumnKind.INTEGER: "integer",
            ColumnKind.MONEY: "number",
            ColumnKind.SHARE: "number",
        }.get(self, "string")


@dataclass(frozen=True)
class Column:
    name: str
    kind: ColumnKind
    description: object  # a lazy string, translated when shown


@dataclass(frozen=True)
class TableDefinition:
    """A view's download: its name in file names and URLs, and its columns."""

    name: str
    label: object  # a lazy string: the page or tab it mirrors
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


@dataclass(frozen=True)
class DownloadTable:
    """One download, ready for a writer: rows are produced while the file is written."""

    definition: TableDefinition
    rows: Iterable[Row]
    row_count: int
    title: str
    file_stem: str
    """What the file is called without its extension, e.g. "mali-progress-2023-en"."""
    about: Mapping[str, object] = field(default_factory=dict)
    """What the rows describe (country, year, plan period, language), for the JSON header."""


# --- Columns shared by every view -----------------------------------------------------------


def _country_columns() -> tuple[Column, ...]:
    return (
        Column("country_iso3", ColumnKind.CODE, _l("ISO 3166-1 alpha-3 code of the country")),
        Column("country", ColumnKind.TEXT, _l("Name of the country in the file's language")),
        Column("region_code", ColumnKind.CODE, _l("Region code (a region page's files only)")),
        Column("region", ColumnKind.TEXT, _l("Name of the region (a region page's files only)")),
        Column("year", ColumnKind.INTEGER, _l("Year the figures and narratives are for")),
        Column("plan_period", ColumnKind.CODE, _l("Strategic plan period of the outcome")),
    )


def _outcome_columns() -> tuple[Column, ...]:
    return (
        Column("iati_identifier", ColumnKind.CODE, _l("IATI identifier of the outcome")),
        Column("title", ColumnKind.TEXT, _l("Title of the outcome as published")),
        Column("title_lang", ColumnKind.CODE, _l("Language the title is published in")),
    )


def _record_columns() -> tuple[Column, ...]:
    return (
        Column("record", ColumnKind.CODE, _l("What the row is: see record_label")),
        Column("record_label", ColumnKind.TEXT, _l("What the row is, in words")),
    )


def _money_columns() -> tuple[Column, ...]:
    """Budget and spending of the year as the ledger counts them (portal.ledger.rules)."""
    return (
        Column("publisher_ref", ColumnKind.CODE, _l("IATI identifier of the publisher")),
        Column(
            "share",
            ColumnKind.SHARE,
            _l("Share of the outcome counted in this place (1: all of it)"),
        ),
        Column("budget", ColumnKind.MONEY, _l("Budget of the outcome for the year")),
        Column("spending", ColumnKind.MONEY, _l("Spending: disbursements plus expenditure")),
        Column("disbursement", ColumnKind.MONEY, _l("Disbursements in the year")),
        Column("expenditure", ColumnKind.MONEY, _l("Expenditure transactions in the year")),
    )


def _provenance_columns() -> tuple[Column, ...]:
    return (
        Column("source", ColumnKind.TEXT, _l("Who published the data")),
        Column("as_of", ColumnKind.DATE, _l("Date of the IATI file, or of its import")),
    )


OVERVIEW = TableDefinition(
    "overview",
    _l("Overview"),
    (
        *_country_columns(),
        *_outcome_columns(),
        *_record_columns(),
        Column("currency", ColumnKind.CODE, _l("ISO 4217 currency of the amounts")),
        *_money_columns(),
        *_provenance_columns(),
    ),
)

PROGRESS = TableDefinition(
    "progress",
    _l("Our Progress"),
    (
        *_country_columns(),
        *_outcome_columns(),
        Column("progress_narrative", ColumnKind.TEXT, _l("What the outcome achieved that year")),
        Column(
            "progress_narrative_lang",
            ColumnKind.CODE,
            _l("Language the progress narrative is published in"),
        ),
        *_provenance_columns(),
    ),
)


def _partner_columns() -> tuple[Column, ...]:
    return (
        Column("partner_ref", ColumnKind.CODE, _l("Organisation identifier of the partner")),
        Column("partner_name", ColumnKind.TEXT, _l("Name of the funding partner")),
        Column("partner_amount", ColumnKind.MONEY, _l("Incoming funds from the partner")),
    )


def _indicator_columns() -> tuple[Column, ...]:
    return (
        Column("result_type_code", ColumnKind.CODE, _l("IATI result type code")),
        Column("result_type", ColumnKind.TEXT, _l("IATI result type")),
        Column("result_title", ColumnKind.TEXT, _l("Title of the output or result")),
        Column("indicator_title", ColumnKind.TEXT, _l("Title of the indicator")),
        Column("indicator_measure_code", ColumnKind.CODE, _l("IATI indicator measure code")),
        Column("indicator_measure", ColumnKind.TEXT, _l("IATI indicator measure")),
        Column("baseline_year", ColumnKind.INTEGER, _l("Year of the baseline")),
        Column("baseline_value", ColumnKind.TEXT, _l("Baseline value as published")),
        Column("baseline_comment", ColumnKind.TEXT, _l("Comment on the baseline")),
        Column("period_start", ColumnKind.DATE, _l("First day of the indicator period")),
        Column("period_end", ColumnKind.DATE, _l("Last day of the indicator period")),
        Column("target_value", ColumnKind.TEXT, _l("Target value as published")),
        Column("target_comment", ColumnKind.TEXT, _l("Comment on the target")),
        Column("actual_value", ColumnKind.TEXT, _l("Actual value as published")),
        Column("actual_comment", ColumnKind.TEXT, _l("Comment on the actual value")),
    )


RESULTS_RESOURCES = TableDefinition(
    "results-resources",
    _l("Results & Resources"),
    (
        *_country_columns(),
        *_outcome_columns(),
        *_record_columns(),
        Column("currency", ColumnKind.CODE, _l("ISO 4217 currency of the amounts")),
        *_money_columns(),
        Column("delivery_rate", ColumnKind.SHARE, _l("Spending / budget in the year")),
        Column("budget_plan_period", ColumnKind.MONEY, _l("Budget over the plan period")),
        Column("spending_plan_period", ColumnKind.MONEY, _l("Spending over the plan period")),
        Column(
            "delivery_rate_plan_period",
            ColumnKind.SHARE,
            _l("Spending / budget over the plan period"),
        ),
        *_partner_columns(),
        *_indicator_columns(),
        *_provenance_columns(),
    ),
)

STRATEGIC_PLAN = TableDefinition(
    "strategic-plan",
    _l("Strategic Plan Contributions"),
    (
        *_country_columns(),
        Column("grouping", ColumnKind.CODE, _l("strategic_plan_area or sdg")),
        Column("grouping_label", ColumnKind.TEXT, _l("How the outcomes are grouped, in words")),
        Column("group_code", ColumnKind.CODE, _l("Area (D1…) or goal (5); empty: none")),
        Column("group", ColumnKind.TEXT, _l("Name of the area or goal")),
        *_outcome_columns(),
        Column(
            "linked_in_text_only",
            ColumnKind.INTEGER,
            _l("1 when only a reference in the outcome's text links it to the area"),
        ),
        Column("currency", ColumnKind.CODE, _l("ISO 4217 currency of the amounts")),
        *_money_columns(),
        *_provenance_columns(),
    ),
)

OUTCOME = TableDefinition(
    "outcome",
    _l("Outcome"),
    (
        Column("country_iso3", ColumnKind.CODE, _l("ISO 3166-1 alpha-3 code of the country")),
        Column("country", ColumnKind.TEXT, _l("Name of the country in the file's language")),
        Column("plan_period", ColumnKind.CODE, _l("Strategic plan period of the outcome")),
        *_outcome_columns(),
        *_record_columns(),
        Column("year", ColumnKind.INTEGER, _l("Year the row is for")),
        Column("narrative", ColumnKind.TEXT, _l("The year's progress narrative")),
        Column("narrative_lang", ColumnKind.CODE, _l("Language of the narrative")),
        Column("currency", ColumnKind.CODE, _l("ISO 4217 currency of the amounts")),
        *_money_columns(),
        Column("delivery_rate", ColumnKind.SHARE, _l("Spending / budget in the year")),
        *_partner_columns(),
        Column("group_code", ColumnKind.CODE, _l("Strategic Plan area (D1…) or SDG (5)")),
        Column("group", ColumnKind.TEXT, _l("Name of the area or goal")),
        *_indicator_columns(),
        *_provenance_columns(),
    ),
)

DATA_QUALITY = TableDefinition(
    "data-quality",
    _l("Data quality"),
    (
        Column("publisher_ref", ColumnKind.CODE, _l("IATI identifier of the publisher")),
        Column("country_iso3", ColumnKind.CODE, _l("ISO 3166-1 alpha-3 code of the country")),
        Column("iati_identifier", ColumnKind.CODE, _l("IATI identifier of the activity")),
        Column("plan_period", ColumnKind.CODE, _l("Strategic plan period of the outcome")),
        Column("title", ColumnKind.TEXT, _l("Title of the activity as published")),
        Column("kind", ColumnKind.CODE, _l("Kind of finding (a stable key)")),
        Column("flag", ColumnKind.TEXT, _l("The kind in a few words")),
        Column("message", ColumnKind.TEXT, _l("What looks wrong, with the value")),
        Column("rule", ColumnKind.TEXT, _l("The IATI rule the finding follows")),
        Column(
            "record",
            ColumnKind.CODE,
            _l("The part of the activity the value is in, or “country fact”"),
        ),
        Column("value", ColumnKind.TEXT, _l("The value as published")),
    ),
)

DEFINITIONS: dict[str, TableDefinition] = {
    definition.name: definition
    for definition in (OVERVIEW, RESULTS_RESOURCES, PROGRESS, STRATEGIC_PLAN, OUTCOME, DATA_QUALITY)
}

# What each kind of row holds (the `record` column), in words.
RECORD_LABELS = {
    "outcome": _l("Outcome: budget and spending"),
    "total": _l("Total of a publisher's outcomes in one currency"),
    "incoming_commitments": _l("Funding partner: incoming commitments in the year"),
    "incoming_funds": _l("Funding partner: incoming funds in the year"),
    "incoming_funds_all_years": _l("Funding partner: incoming funds, all years"),
    "funding_organisation": _l("Funding partner: funding organisation named on the outcome"),
    "indicator": _l("Indicator: baseline, target and actual"),
    "progress": _l("Progress narrative of a year"),
    "money": _l("Budget and spending of a year"),
    "strategic_plan_area": _l("Strategic Plan area"),
    "sdg": _l("Sustainable Development Goal"),
}
# The record of a funding partner's rows, by the basis the ledger ranked partners on.
FUNDING_RECORDS = {
    BY_INCOMING_FUNDS: "incoming_funds",
    BY_INCOMING_COMMITMENTS: "incoming_commitments",
    BY_FUNDING_ORGANISATIONS: "funding_organisation",
}
GROUPING_LABELS = {
    "strategic_plan_area": _l("Strategic Plan area"),
    "sdg": _l("Sustainable Development Goal"),
}


# --- Values -----------------------------------------------------------------------------------


def narrative_values(
    texts: Mapping[str, str] | None, default_lang: str | None = None
) -> tuple[str | None, str | None]:
    """A publisher's text in the request's language when published, else the original, and
    the language it is really in; (None, None) when there is no text."""
    picked = pick_narrative(texts, default_lang)
    if picked is None:
        return None, None
    return picked.text, picked.lang


def source_label(provenance: queries.Provenance) -> str:
    """ "IATI data published by UN Women", in the request's language."""
    publisher = (
        narrative_values(provenance.publisher_name)[0] or provenance.publisher_ref or ""
    ).strip()
    if not publisher:
        return _("IATI data")
    return _("IATI data published by %(publisher)s", publisher=publisher)


def slug(text: str) -> str:
    """ASCII letters, digits and hyphens only: "Côte d’Ivoire" → "cote-divoire"."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    ascii_text = re.sub(r"['’]", "", ascii_text)
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def unicode_file_stem(*parts: object) -> str:
    """A file name in the visitor's words, for `filename*`: lower case, spaces as hyphens."""
    words = [" ".join(str(part).split()).lower() for part in parts if part not in (None, "")]
    name = "-".join(word.replace(" ", "-") for word in words)
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "-", name)


# --- Country views ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CountryView:
    """The country or region page state a download mirrors: the page's frame and the
    visitor's words (`country_name` is the place's name)."""

    page: country_queries.PlacePage
    country_name: str
    lang: str

    @property
    def place_code(self) -> str:
        """The country's ISO3 code, or the region's key."""
        country = getattr(self.page, "country", None)
        return country.iso3 if country is not None else self.page.region.key

    @property
    def place_cells(self) -> dict[str, object]:
        if getattr(self.page, "country", None) is not None:
            return {"country_iso3": self.place_code, "country": self.country_name}
        return {"region_code": self.place_code, "region": self.country_name}

    @property
    def outcomes(self) -> list:
        return self.page.year_outcomes

    @property
    def plan_period(self) -> str | None:
        return self.page.plan_period.label if self.page.plan_period else None

    def base_row(self, outcome) -> dict[str, object]:
        title, title_lang = narrative_values(outcome.title, outcome.default_lang)
        return {
            **self.place_cells,
            "year": self.page.year,
            "plan_period": outcome.plan_period,
            "iati_identifier": outcome.iati_identifier,
            "title": title,
            "title_lang": title_lang,
        }

    def table(
        self, definition: TableDefinition, rows: Iterable[Row], row_count: int
    ) -> DownloadTable:
        country_label = self.country_name or self.place_code
        title = " – ".join(
            str(part)
            for part in (country_label, definition.label, self.page.year)
            if part is not None
        )
        return DownloadTable(
            definition=definition,
            rows=rows,
            row_count=row_count,
            title=title,
            file_stem=unicode_file_stem(country_label, definition.name, self.page.year, self.lang),
            about={
                "view": definition.name,
                **(
                    {"country": {"iso3": self.place_code, "name": self.country_name}}
                    if "country" in self.place_cells
                    else {"region": {"code": self.place_code, "name": self.country_name}}
                ),
                "year": self.page.year,
                "plan_period": self.plan_period,
                "lang": self.lang,
            },
        )


def _with_provenance(
    row: dict[str, object], provenance: queries.Provenance | None
) -> dict[str, object]:
    provenance = provenance or queries.NO_PROVENANCE
    row["source"] = source_label(provenance)
    row["as_of"] = provenance.as_of
    return row


def money_cells(money, share=None) -> dict[str | None, dict[str, object]]:
    """A BudgetAndSpending as cells per currency: budget, spending and its two parts."""
    cells: dict[str | None, dict[str, object]] = {}
    for name, amounts in (
        ("budget", money.budget),
        ("spending", money.spending),
        ("disbursement", money.disbursement),
        ("expenditure", money.expenditure),
    ):
        for item in amounts:
            cells.setdefault(item.currency, {})[name] = item.amount
    for currency_cells in cells.values():
        currency_cells["share"] = share
    return cells


def overview_table(session: Session, view: CountryView) -> DownloadTable:
    """The Overview: each outcome with its budget and spending of the year (one row per
    currency), then each publisher's totals per currency, the figures the Overview shows."""
    year_ledger = view.page.year_ledger
    ids = [outcome.id for outcome in view.outcomes]
    sources = queries.provenance(session, ids)
    rows_out: list[dict[str, object]] = []
    for publisher in year_ledger.publishers if year_ledger else ():
        for ledger_row in publisher.rows:
            activity = ledger_row.activity
            cells = money_cells(ledger_row.money, activity.share.fraction)
            for currency in sorted(cells, key=lambda code: code or "") or [None]:
                row = {
                    **view.base_row(activity),
                    "currency": currency,
                    "publisher_ref": activity.publisher_ref,
                    **cells.get(currency, {"share": activity.share.fraction}),
                }
                rows_out.append(_with_provenance(_record(row, "outcome"), sources.get(activity.id)))
        rows_out.extend(_total_rows(view, publisher.ref, publisher.money))
    return view.table(OVERVIEW, rows_out, len(rows_out))


def _total_rows(view: CountryView, publisher_ref, money, period_money=None) -> list[dict]:
    """A publisher's totals of the year, one "total" row per currency: the figures the tab
    shows above its outcomes (on Results & Resources also the delivery rates and the totals
    over the plan period, given as `period_money`)."""
    cells = money_cells(money)
    if period_money is not None:
        for currency, rate_cells in _money_rows(money).items():
            cells.setdefault(currency, {})["delivery_rate"] = rate_cells["delivery_rate"]
        for currency, period_cells in _money_rows(period_money, "_plan_period").items():
            cells.setdefault(currency, {}).update(period_cells)
    rows = []
    for currency in sorted(cells, key=lambda code: code or ""):
        row = {
            **view.place_cells,
            "year": view.page.year,
            "currency": currency,
            "publisher_ref": publisher_ref,
            **cells[currency],
            "share": None,
        }
        rows.append(_record(row, "total"))
    return rows


def progress_table(session: Session, view: CountryView) -> DownloadTable:
    """Our Progress, every page of it: each outcome with the year's results narrative."""
    outcomes = view.outcomes
    ids = [outcome.id for outcome in outcomes]
    narratives: dict[int, Narratives] = (
        country_queries.progress_narratives(session, ids, view.page.year) if ids else {}
    )
    sources = queries.provenance(session, ids)

    def rows() -> Iterator[Row]:
        for outcome in outcomes:
            row = view.base_row(outcome)
            text, text_lang = narrative_values(narratives.get(outcome.id), outcome.default_lang)
            row["progress_narrative"] = text
            row["progress_narrative_lang"] = text_lang
            yield _with_provenance(row, sources.get(outcome.id))

    return view.table(PROGRESS, rows(), len(outcomes))


def _record(row: dict[str, object], record: str) -> dict[str, object]:
    row["record"] = record
    row["record_label"] = str(RECORD_LABELS[record])
    return row


def _money_rows(money, prefix: str = "") -> dict[str | None, dict[str, object]]:
    """A BudgetAndSpending as cells per currency: budget, spending, delivery rate."""
    cells: dict[str | None, dict[str, object]] = {}
    for rate in money.delivery:
        cells[rate.currency] = {
            f"budget{prefix}": rate.budget,
            f"spending{prefix}": rate.spending,
            f"delivery_rate{prefix}": rate.rate,
        }
    return cells


def _partner_rows(partners, record: str) -> Iterator[dict[str, object]]:
    """A row per partner and currency; partners named without amounts have one row."""
    for partner in partners:
        cells = {
            "partner_ref": partner.ref,
            "partner_name": narrative_values(partner.name)[0],
        }
        if not partner.incoming:
            yield _record({**cells, "currency": None, "partner_amount": None}, record)
        for money in partner.incoming:
            yield _record(
                {**cells, "currency": money.currency, "partner_amount": money.amount}, record
            )


def _indicator_rows(result, default_lang: str | None) -> Iterator[dict[str, object]]:
    """A row per indicator period shown (one row for an indicator with none shown)."""
    result_cells = {
        "result_type_code": result.type_code,
        "result_type": result_type_label(result.type_code) if result.type_code else None,
        "result_title": narrative_values(result.title, default_lang)[0],
    }
    for indicator in result.indicators:
        cells = {
            **result_cells,
            "indicator_title": narrative_values(indicator.title, default_lang)[0],
            "indicator_measure_code": indicator.measure,
            "indicator_measure": (
                indicator_measure_label(indicator.measure) if indicator.measure else None
            ),
            "baseline_year": indicator.baseline_year,
            "baseline_value": indicator.baseline_value,
            "baseline_comment": narrative_values(indicator.baseline_comment, default_lang)[0],
        }
        if not indicator.periods:
            yield _record(dict(cells), "indicator")
        for period in indicator.periods:
            yield _record(
                {
                    **cells,
                    "period_start": period.period_start,
                    "period_end": period.period_end,
                    "target_value": period.target_value,
                    "target_comment": narrative_values(period.target_comment, default_lang)[0],
                    "actual_value": period.actual_value,
                    "actual_comment": narrative_values(period.actual_comment, default_lang)[0],
                },
                "indicator",
            )


def results_resources_rows(view: CountryView, results, sources) -> list[dict[str, object]]:
    """Per outcome: its money rows (one per currency), its funding partners, its indicators."""
    rows: list[dict[str, object]] = []
    for outcome in results.outcomes if results else ():
        base = view.base_row(outcome)
        provenance = sources.get(outcome.id)
        year_money = _money_rows(outcome.year_money)
        parts = money_cells(outcome.year_money, outcome.activity.share.fraction)
        period_money = _money_rows(outcome.period_money, "_plan_period")
        currencies = sorted(set(year_money) | set(period_money), key=lambda code: code or "")
        for currency in currencies or [None]:
            money = {
                "currency": currency,
                "publisher_ref": outcome.activity.publisher_ref,
                "share": outcome.activity.share.fraction,
                **parts.get(currency, {}),
                **year_money.get(currency, {}),
                **period_money.get(currency, {}),
            }
            rows.append(_with_provenance(_record({**base, **money}, "outcome"), provenance))
        funders = FUNDING_RECORDS[outcome.funding.basis]
        for partner in _partner_rows(outcome.funding.partners, funders):
            rows.append(_with_provenance({**base, **partner}, provenance))
        for output in outcome.outputs:
            for indicator in _indicator_rows(output, outcome.default_lang):
                rows.append(_with_provenance({**base, **indicator}, provenance))
    for group in results.publishers if results else ():
        rows.extend(
            _total_rows(view, group.publisher.ref, group.publisher.money, group.period_totals)
        )
    return rows


def results_resources_table(session: Session, view: CountryView) -> DownloadTable:
    """Results & Resources: each outcome's money, funding partners and indicators of the year.

    The `record` column says what a row is; summed over the "outcome" rows per currency, the
    budget and spending give the "total" rows, each publisher's totals as the tab shows them.
    """
    outcomes = view.outcomes
    year_ledger = view.page.year_ledger
    results = (
        outcome_queries.results_resources(session, year_ledger, view.page.plan_periods)
        if year_ledger
        else None
    )
    sources = queries.provenance(session, [outcome.id for outcome in outcomes])
    rows = results_resources_rows(view, results, sources)
    return view.table(RESULTS_RESOURCES, rows, len(rows))


def strategic_plan_rows(view: CountryView, strategic, sources) -> list[dict[str, object]]:
    """A row per group and outcome in it (and currency): an outcome in two areas is in both,
    as on the tab; summed per group, the rows give the group's figures."""
    rows: list[dict[str, object]] = []
    if strategic is None:
        return rows
    for grouping, groups in (("strategic_plan_area", strategic.areas), ("sdg", strategic.sdgs)):
        for group in groups:
            for outcome in group.outcomes:
                base = {
                    **view.base_row(outcome),
                    "grouping": grouping,
                    "grouping_label": str(GROUPING_LABELS[grouping]),
                    "group_code": group.code,
                    "group": group.label,
                    "linked_in_text_only": (
                        int(outcome.id in group.linked_in_text_only)
                        if grouping == "strategic_plan_area" and group.code
                        else None
                    ),
                }
                money = money_cells(outcome.money)
                for currency in sorted(money, key=lambda code: code or "") or [None]:
                    row = {
                        **base,
                        "currency": currency,
                        "publisher_ref": outcome.publisher_ref,
                        **money.get(currency, {}),
                    }
                    rows.append(_with_provenance(row, sources.get(outcome.id)))
    return rows


def strategic_plan_table(session: Session, view: CountryView) -> DownloadTable:
    """Strategic Plan Contributions: the outcomes by Strategic Plan area, then by SDG."""
    outcomes = view.outcomes
    year_ledger = view.page.year_ledger
    strategic = (
        outcome_queries.strategic_plan(session, year_ledger, view.lang) if year_ledger else None
    )
    sources = queries.provenance(session, [outcome.id for outcome in outcomes])
    rows = strategic_plan_rows(view, strategic, sources)
    return view.table(STRATEGIC_PLAN, rows, len(rows))


CountryTableBuilder = Callable[[Session, CountryView], DownloadTable]

COUNTRY_TABLES: dict[str, CountryTableBuilder] = {
    "overview": overview_table,
    "results-resources": results_resources_table,
    "progress": progress_table,
    "strategic-plan": strategic_plan_table,
}


# --- The outcome page -------------------------------------------------------------------------


def outcome_rows(detail, country_name: str | None, provenance) -> list[dict[str, object]]:
    """What the outcome page shows, a row per thing: progress by year, money by year, funding
    partners, Strategic Plan areas and SDGs, and every indicator period of every result."""
    title, title_lang = narrative_values(detail.title, detail.default_lang)
    base = {
        "country_iso3": detail.country_iso3,
        "country": country_name,
        "plan_period": detail.plan_period,
        "iati_identifier": detail.iati_identifier,
        "title": title,
        "title_lang": title_lang,
    }
    rows: list[dict[str, object]] = []
    for year, texts in detail.progress:
        text, text_lang = narrative_values(texts, detail.default_lang)
        rows.append(
            _record(
                {**base, "year": year, "narrative": text, "narrative_lang": text_lang}, "progress"
            )
        )
    for year_money in detail.money_by_year:
        parts = money_cells(year_money.money)
        for currency, cells in _money_rows(year_money.money).items():
            cells = {**parts.get(currency, {}), **cells}
            rows.append(
                _record({**base, "year": year_money.year, "currency": currency, **cells}, "money")
            )
    funders = (
        "incoming_funds_all_years"
        if detail.funding.basis == BY_INCOMING_FUNDS
        else FUNDING_RECORDS[detail.funding.basis]
    )
    partner_rows = _partner_rows(detail.funding.partners, funders)
    if detail.funding.basis == BY_FUNDING_ORGANISATIONS:
        partner_rows = iter(())  # the named organisations follow
    for partner in partner_rows:
        rows.append({**base, **partner})
    for partner in _partner_rows(detail.funding_organisations, "funding_organisation"):
        rows.append({**base, **partner})
    for area in detail.areas:
        rows.append(
            _record({**base, "group_code": area.code, "group": area.label}, "strategic_plan_area")
        )
    for sdg in detail.sdgs:
        rows.append(_record({**base, "group_code": sdg.goal, "group": sdg.label}, "sdg"))
    for result in detail.results:
        for indicator in _indicator_rows(result, detail.default_lang):
            day = indicator.get("period_end") or indicator.get("period_start")
            rows.append({**base, **indicator, "year": day.year if day else None})
    return [_with_provenance(row, provenance) for row in rows]


def outcome_table(detail, country_name: str | None, lang: str, provenance) -> DownloadTable:
    rows = outcome_rows(detail, country_name, provenance)
    title = narrative_values(detail.title, detail.default_lang)[0] or detail.iati_identifier
    return DownloadTable(
        definition=OUTCOME,
        rows=rows,
        row_count=len(rows),
        title=" – ".join(part for part in (title, detail.plan_period) if part),
        file_stem=unicode_file_stem(detail.iati_identifier, detail.plan_period, lang),
        about={
            "view": OUTCOME.name,
            "iati_identifier": detail.iati_identifier,
            "plan_period": detail.plan_period,
            "country": (
                {"iso3": detail.country_iso3, "name": country_name} if detail.country_iso3 else None
            ),
            "lang": lang,
        },
    )


# --- Sizes ------------------------------------------------------------------------------------

SMALL_ROWS = 1_000
MEDIUM_ROWS = 50_000


def size_class(row_count: int) -> str:
    """ "small", "medium" or "large": what a visitor on a slow connection wants to know."""
    if row_count <= SMALL_ROWS:
        return "small"
    if row_count <= MEDIUM_ROWS:
        return "medium"
    return "large"


def money_value(value: object) -> Decimal | None:
    """Amounts as published, to the cent."""
    if value is None:
        return None
    return Decimal(value).quantize(Decimal("0.01"))


def share_value(value: object) -> Decimal:
    """A fraction to four places (62.51 %), as precise as a rate of published amounts needs."""
    return Decimal(value).quantize(Decimal("0.0001"))


def plain_value(column: Column, value: object) -> object:
    """A cell as the JSON writer and tests see it: numbers as numbers, dates as ISO text."""
    if value is None:
        return None
    if column.kind is ColumnKind.MONEY:
        amount = money_value(value)
        return int(amount) if amount == amount.to_integral_value() else float(amount)
    if column.kind is ColumnKind.SHARE:
        return float(share_value(value))
    if column.kind is ColumnKind.INTEGER:
        return int(value)
    if column.kind is ColumnKind.DATE:
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return str(value)


# --- Data quality -----------------------------------------------------------------------------


def data_quality_table(findings, country: str | None, kind: str | None, lang: str) -> DownloadTable:
    """Every finding the data-quality page lists with these filters (all its pages)."""
    rows = [
        {
            "publisher_ref": finding.publisher_ref,
            "country_iso3": finding.country_iso3,
            "iati_identifier": finding.iati_identifier,
            "plan_period": finding.plan_period,
            "title": narrative_values(finding.title, finding.default_lang)[0],
            "kind": finding.kind,
            "flag": str(finding.about.flag),
            "message": finding.message,
            "rule": str(finding.about.rule),
            "record": finding.record,
            "value": finding.value,
        }
        for finding in findings
    ]
    return DownloadTable(
        definition=DATA_QUALITY,
        rows=rows,
        row_count=len(rows),
        title=str(DATA_QUALITY.label),
        file_stem=unicode_file_stem("data-quality", country, kind, lang),
        about={"view": DATA_QUALITY.name, "country": country, "kind": kind, "lang": lang},
    )
