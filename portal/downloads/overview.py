"""The global overview as a file: every table the home page shows for a year, one row per
figure and currency (portal.home.overview builds the view; nothing is added up here)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.downloads.tables import (
    Column,
    ColumnKind,
    DownloadTable,
    TableDefinition,
    money_cells,
    narrative_values,
    unicode_file_stem,
)
from portal.home.overview import Overview
from portal.ledger.rules import BY_FUNDING_ORGANISATIONS, BY_INCOMING_COMMITMENTS, BY_INCOMING_FUNDS

GLOBAL_OVERVIEW = TableDefinition(
    "global-overview",
    _l("Global overview"),
    (
        Column("record", ColumnKind.CODE, _l("What the row is: see record_label")),
        Column("record_label", ColumnKind.TEXT, _l("What the row is, in words")),
        Column("year", ColumnKind.INTEGER, _l("Year the figures are for")),
        Column("place_code", ColumnKind.CODE, _l("ISO3 code of the country, or key of the region")),
        Column("place", ColumnKind.TEXT, _l("Name of the country or region")),
        Column("map_level", ColumnKind.INTEGER, _l("Level of the country on the map (0 to 4)")),
        Column("group_code", ColumnKind.CODE, _l("Code of the Strategic Plan area or SDG")),
        Column("group", ColumnKind.TEXT, _l("Name of the Strategic Plan area or SDG")),
        Column("publisher_ref", ColumnKind.CODE, _l("IATI identifier of the publisher")),
        Column("publisher", ColumnKind.TEXT, _l("Name of the publisher")),
        Column("outcome_count", ColumnKind.INTEGER, _l("Number of outcomes")),
        Column("currency", ColumnKind.CODE, _l("ISO 4217 currency of the amounts")),
        Column("budget", ColumnKind.MONEY, _l("Budget of the year")),
        Column("spending", ColumnKind.MONEY, _l("Spending: disbursements plus expenditure")),
        Column("disbursement", ColumnKind.MONEY, _l("Disbursements in the year")),
        Column("expenditure", ColumnKind.MONEY, _l("Expenditure transactions in the year")),
        Column("partner_rank", ColumnKind.INTEGER, _l("Rank of the funding partner")),
        Column("partner_ref", ColumnKind.CODE, _l("Organisation identifier of the partner")),
        Column("partner_name", ColumnKind.TEXT, _l("Name of the funding partner")),
        Column("partner_amount", ColumnKind.MONEY, _l("Amount the partner provided")),
    ),
)

RECORD_LABELS = {
    "total": _l("Total of a publisher over every country and region"),
    "countries_total": _l("Total of a publisher over the countries"),
    "regions_total": _l("Total of a publisher over the regions"),
    "country": _l("Country: a publisher's figures there"),
    "region": _l("Region: a publisher's figures there"),
    "strategic_plan_area": _l("Strategic Plan area"),
    "sdg": _l("Sustainable Development Goal"),
    "incoming_funds": _l("Funding partner: incoming funds in the year"),
    "incoming_commitments": _l("Funding partner: incoming commitments in the year"),
    "funding_organisation": _l("Funding partner: funding organisation named on the outcome"),
}
FUNDING_RECORDS = {
    BY_INCOMING_FUNDS: "incoming_funds",
    BY_INCOMING_COMMITMENTS: "incoming_commitments",
    BY_FUNDING_ORGANISATIONS: "funding_organisation",
}


def _record(record: str, year: int, **cells: object) -> dict[str, object]:
    return {"record": record, "record_label": str(RECORD_LABELS[record]), "year": year, **cells}


def _money_rows(record: str, year: int, money, **cells: object) -> list[dict[str, object]]:
    """One row per currency (one row without amounts when there is no money)."""
    per_currency = money_cells(money)
    if not per_currency:
        return [_record(record, year, currency=None, **cells)]
    rows = []
    for currency in sorted(per_currency, key=lambda code: code or ""):
        amounts = {k: v for k, v in per_currency[currency].items() if k != "share"}
        rows.append(_record(record, year, currency=currency, **cells, **amounts))
    return rows


def _publisher_cells(ref, name) -> dict[str, object]:
    return {"publisher_ref": ref, "publisher": narrative_values(name)[0]}


def overview_rows(overview: Overview, region_label) -> list[dict[str, object]]:
    """Every figure of the page: totals, countries, regions, areas and SDGs, partners."""
    world, year = overview.world, overview.year
    rows: list[dict[str, object]] = []
    for record, totals in (
        ("total", world.totals),
        ("countries_total", world.country_totals),
        ("regions_total", world.region_totals),
    ):
        for total in totals:
            rows += _money_rows(
                record,
                year,
                total.money,
                outcome_count=total.activity_count,
                **_publisher_cells(total.ref, total.name),
            )
    for country in overview.countries:
        for publisher in country.figures.publishers if country.figures else ():
            rows += _money_rows(
                "country",
                year,
                publisher.money,
                place_code=country.iso3,
                place=country.name,
                map_level=country.level,
                outcome_count=publisher.activity_count,
                **_publisher_cells(publisher.ref, publisher.name),
            )
    for region in overview.regions:
        for publisher in region.figures.publishers:
            rows += _money_rows(
                "region",
                year,
                publisher.money,
                place_code=region.key,
                place=region_label(region),
                outcome_count=publisher.activity_count,
                **_publisher_cells(publisher.ref, publisher.name),
            )
    if overview.strategic is not None:
        for record, groups in (
            ("strategic_plan_area", overview.strategic.areas),
            ("sdg", overview.strategic.sdgs),
        ):
            for group in groups:
                rows += _money_rows(
                    record,
                    year,
                    group.money,
                    group_code=group.code,
                    group=group.label,
                    outcome_count=len(group.outcomes),
                    publisher_ref=group.publisher_ref,
                )
    for publisher in world.ledger.publishers:
        record = FUNDING_RECORDS[publisher.funding.basis]
        for rank, partner in enumerate(publisher.funding.partners, start=1):
            cells = {
                **_publisher_cells(publisher.ref, publisher.name),
                "partner_rank": rank,
                "partner_ref": partner.ref,
                "partner_name": narrative_values(partner.name)[0],
            }
            if not partner.incoming:
                rows.append(_record(record, year, currency=None, **cells))
            for money in partner.incoming:
                rows.append(
                    _record(
                        record, year, currency=money.currency, partner_amount=money.amount, **cells
                    )
                )
    return rows


def overview_table(overview: Overview, region_label, lang: str) -> DownloadTable:
    rows = overview_rows(overview, region_label)
    title = _("Global overview %(year)s", year=overview.year)
    return DownloadTable(
        definition=GLOBAL_OVERVIEW,
        rows=rows,
        row_count=len(rows),
        title=title,
        file_stem=unicode_file_stem(str(GLOBAL_OVERVIEW.label), overview.year, lang),
        about={"view": GLOBAL_OVERVIEW.name, "year": overview.year, "lang": lang},
    )
