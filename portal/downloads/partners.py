"""A funding partner's page as a file: one row per activity, place, year and currency it funded.

The rows are the lines the partner page adds up (portal.partners.queries): summed per year,
per place or per outcome and currency, they give the page's tables.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l

from portal import ledger
from portal.downloads.tables import (
    FUNDING_RECORDS,
    RECORD_LABELS,
    Column,
    ColumnKind,
    DownloadTable,
    TableDefinition,
    narrative_values,
    unicode_file_stem,
)

PARTNER = TableDefinition(
    "partner",
    _l("Funding partner"),
    (
        Column("partner_address", ColumnKind.CODE, _l("The partner's address on the portal")),
        Column("partner_ref", ColumnKind.CODE, _l("Organisation identifier of the partner")),
        Column("partner_name", ColumnKind.TEXT, _l("Name of the funding partner")),
        Column(
            "partner_name_as_published",
            ColumnKind.TEXT,
            _l("The partner's name as this activity publishes it"),
        ),
        Column("year", ColumnKind.INTEGER, _l("Year the figures and narratives are for")),
        Column("country_iso3", ColumnKind.CODE, _l("ISO 3166-1 alpha-3 code of the country")),
        Column("country", ColumnKind.TEXT, _l("Name of the country in the file's language")),
        Column("region_code", ColumnKind.CODE, _l("Region code (a region page's files only)")),
        Column("region", ColumnKind.TEXT, _l("Name of the region (a region page's files only)")),
        Column("publisher_ref", ColumnKind.CODE, _l("IATI identifier of the publisher")),
        Column("iati_identifier", ColumnKind.CODE, _l("IATI identifier of the outcome")),
        Column("plan_period", ColumnKind.CODE, _l("Strategic plan period of the outcome")),
        Column("title", ColumnKind.TEXT, _l("Title of the outcome as published")),
        Column("title_lang", ColumnKind.CODE, _l("Language the title is published in")),
        Column("record", ColumnKind.CODE, _l("What the row is: see record_label")),
        Column("record_label", ColumnKind.TEXT, _l("What the row is, in words")),
        Column(
            "share",
            ColumnKind.SHARE,
            _l("Share of the outcome counted in this place (1: all of it)"),
        ),
        Column("currency", ColumnKind.CODE, _l("ISO 4217 currency of the amounts")),
        Column("partner_amount", ColumnKind.MONEY, _l("Incoming funds from the partner")),
    ),
)


def partner_rows(partner, place_names: Mapping[ledger.Scope, str]) -> list[dict[str, object]]:
    """A row per line of the partner page: newest year first, then place and outcome."""
    name = narrative_values(partner.name)[0]
    lines = sorted(
        partner.lines,
        key=lambda line: (
            -line.year,
            place_names.get(line.scope, line.scope.code),
            line.activity.publisher_ref or "",
            ledger.natural_key(line.activity.iati_identifier),
            line.currency or "",
        ),
    )
    rows = []
    for line in lines:
        activity = line.activity
        title, title_lang = narrative_values(activity.title, activity.default_lang)
        place_name = place_names.get(line.scope, line.scope.code)
        if line.scope.kind == ledger.COUNTRY:
            place = {"country_iso3": line.scope.code, "country": place_name}
        else:
            place = {"region_code": line.scope.code, "region": place_name}
        record = FUNDING_RECORDS[line.basis]
        rows.append(
            {
                "partner_address": partner.address,
                "partner_ref": partner.ref,
                "partner_name": name,
                "partner_name_as_published": narrative_values(line.name)[0],
                "year": line.year,
                **place,
                "publisher_ref": activity.publisher_ref,
                "iati_identifier": activity.iati_identifier,
                "plan_period": activity.plan_period,
                "title": title,
                "title_lang": title_lang,
                "record": record,
                "record_label": str(RECORD_LABELS[record]),
                "share": activity.share.fraction,
                "currency": line.currency,
                "partner_amount": line.amount,
            }
        )
    return rows


def partner_table(partner, place_names: Mapping[ledger.Scope, str], lang: str) -> DownloadTable:
    rows = partner_rows(partner, place_names)
    name = narrative_values(partner.name)[0] or partner.address
    return DownloadTable(
        definition=PARTNER,
        rows=rows,
        row_count=len(rows),
        title=f"{name} – {PARTNER.label}",
        file_stem=unicode_file_stem(partner.address, PARTNER.name, lang),
        about={
            "view": PARTNER.name,
            "partner": {"address": partner.address, "ref": partner.ref, "name": name},
            "lang": lang,
        },
    )
