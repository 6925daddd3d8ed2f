"""A generated set of IATI files that holds, in a few activities, every case the money rules
distinguish: three publishers (one with plan periods), recipient-country percentages, a
regional activity and one with no place, four currencies, original and revised budgets for
the same period, a budget spanning two years, zero and negative budget lines, disbursements and
expenditure, incoming funds, incoming commitments, funding organisations only, and two
providers with the same ref but different names.

The figures are written here once, as XML; the tests read what they expect from that XML with
tests/ledger/xml_ledger.py, never from these Python values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

PLANNED = "XM-GEN-PLANNED"  # a publisher with plan periods 2018–2021 and 2022–2025
PLAN_PERIODS = ((2018, 2021), (2022, 2025))
COMMITTED = "XM-GEN-COMMITTED"  # reports incoming commitments, not incoming funds
NAMED = "XM-GEN-NAMED"  # names funding organisations only


@dataclass
class Act:
    identifier: str
    title: str
    currency: str
    start: str
    end: str | None = None
    countries: list[tuple[str, str | None]] = field(default_factory=list)
    regions: list[tuple[str, str]] = field(default_factory=list)
    budgets: list[tuple[str, str, str, str, str | None]] = field(default_factory=list)
    transactions: list[tuple[str, str, str, tuple[str, str] | None, str | None]] = field(
        default_factory=list
    )
    funders: list[tuple[str, str]] = field(default_factory=list)


def _activity(act: Act, publisher: str, publisher_name: str) -> str:
    parts = [
        f'<iati-activity default-currency="{act.currency}" last-updated-datetime='
        f'"2021-05-01T00:00:00Z" xml:lang="en">',
        f"<iati-identifier>{escape(act.identifier)}</iati-identifier>",
        f'<reporting-org ref="{publisher}" type="40"><narrative>{escape(publisher_name)}'
        "</narrative></reporting-org>",
        f"<title><narrative>{escape(act.title)}</narrative></title>",
        '<participating-org role="4" type="40"><narrative>Implementer</narrative>'
        "</participating-org>",
    ]
    for ref, name in act.funders:
        parts.append(
            f'<participating-org role="1" ref="{ref}" type="10"><narrative>{escape(name)}'
            "</narrative></participating-org>"
        )
    parts.append('<activity-status code="2"/>')
    parts.append(f'<activity-date type="2" iso-date="{act.start}"/>')
    if act.end:
        parts.append(f'<activity-date type="3" iso-date="{act.end}"/>')
    for code, percentage in act.countries:
        share = f" percentage={quoteattr(percentage)}" if percentage else ""
        parts.append(f'<recipient-country code="{code}"{share}/>')
    for code, percentage in act.regions:
        parts.append(f'<recipient-region code="{code}" vocabulary="1" percentage="{percentage}"/>')
    for budget_type, start, end, value, currency in act.budgets:
        own = f' currency="{currency}"' if currency else ""
        parts.append(
            f'<budget type="{budget_type}" status="1"><period-start iso-date="{start}"/>'
            f'<period-end iso-date="{end}"/><value value-date="{start}"{own}>{value}</value>'
            "</budget>"
        )
    for type_code, date, value, provider, currency in act.transactions:
        own = f' currency="{currency}"' if currency else ""
        provider_xml = ""
        if provider:
            ref, name = provider
            provider_xml = (
                f'<provider-org ref="{ref}"><narrative>{escape(name)}</narrative></provider-org>'
            )
        parts.append(
            f'<transaction><transaction-type code="{type_code}"/>'
            f'<transaction-date iso-date="{date}"/><value value-date="{date}"{own}>{value}'
            f"</value>{provider_xml}</transaction>"
        )
    parts.append(
        '<result type="2" aggregation-status="0"><title><narrative>Women lead</narrative>'
        '</title><indicator measure="1" ascending="1"><title><narrative>Women leaders'
        '</narrative></title><baseline year="2018" value="10"/><period>'
        '<period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31"/>'
        '<target value="20"/><actual value="15"/></period></indicator></result>'
    )
    parts.append("</iati-activity>")
    return "\n".join(parts)


FILES: dict[str, tuple[str, str, list[Act]]] = {
    "planned.xml": (
        PLANNED,
        "Planned publisher",
        [
            Act(
                "XM-GEN-PLANNED-MLI-1",
                "Mali and Senegal, by share",
                "USD",
                "2019-01-01",
                "2022-12-31",
                countries=[("ML", "60"), ("SN", "40")],
                budgets=[
                    ("1", "2020-01-01", "2020-12-31", "1000000", None),
                    ("2", "2020-01-01", "2020-12-31", "800000", None),  # replaces the original
                    ("1", "2021-07-01", "2022-06-30", "500000", None),  # spans two years
                    ("1", "2022-07-01", "2022-12-31", "-20000", None),  # negative: not added
                    ("1", "2019-01-01", "2019-12-31", "0", None),  # zero: not added
                ],
                transactions=[
                    ("1", "2020-02-01", "300000", ("XM-DONOR-A", "Donor A"), None),
                    ("1", "2020-03-01", "700000", ("XM-DONOR-B", "Donor B"), None),
                    ("1", "2020-04-01", "50000", ("XM-DONOR-A", "Donor A (other office)"), None),
                    ("11", "2020-01-15", "9000000", ("XM-DONOR-C", "Donor C"), None),
                    ("3", "2020-06-01", "250000", None, None),
                    ("4", "2020-09-01", "120000.5", None, None),
                    ("4", "2021-03-01", "-5000", None, None),  # a correction lowers spending
                    ("4", "2021-05-01", "40000", None, "EUR"),  # its own currency
                    ("2", "2020-06-01", "999999", None, None),  # a commitment: not spending
                ],
            ),
            Act(
                "XM-GEN-PLANNED-MLI-2",
                "Mali only, with no end date",
                "USD",
                "2021-04-01",
                countries=[("ML", None)],
                budgets=[("1", "2021-01-01", "2021-12-31", "75000", None)],
                transactions=[("4", "2023-02-01", "10000", None, None)],
            ),
            Act(
                "XM-GEN-PLANNED-RAF",
                "West Africa, regional",
                "USD",
                "2020-01-01",
                "2021-12-31",
                regions=[("298", "100")],
                budgets=[("1", "2020-01-01", "2020-12-31", "400000", None)],
                transactions=[("3", "2020-05-05", "100000", None, None)],
            ),
        ],
    ),
    "committed.xml": (
        COMMITTED,
        "Committed publisher",
        [
            Act(
                "XM-GEN-COMMITTED-MLI-1",
                "Mali, in euros, with incoming commitments",
                "EUR",
                "2020-01-01",
                "2020-12-31",
                countries=[("ML", "100")],
                budgets=[("1", "2020-01-01", "2020-12-31", "600000", None)],
                transactions=[
                    ("11", "2020-01-10", "500000", ("XM-DONOR-D", "Donor D"), None),
                    ("11", "2020-02-10", "200000", ("XM-DONOR-E", "Donor E"), None),
                    ("3", "2020-08-01", "2760000", None, None),
                ],
            ),
            Act(
                "XM-GEN-COMMITTED-SEN-HTI",
                "Senegal and Haiti, equal shares without percentages",
                "CAD",
                "2020-01-01",
                "2021-12-31",
                countries=[("SN", None), ("HT", None)],
                budgets=[("1", "2021-01-01", "2021-12-31", "90000", None)],
                transactions=[("4", "2021-06-30", "33333", None, None)],
            ),
            Act(
                "XM-GEN-COMMITTED-NOWHERE",
                "An activity that names no place",
                "EUR",
                "2020-01-01",
                "2020-12-31",
                budgets=[("1", "2020-01-01", "2020-12-31", "1000", None)],
            ),
        ],
    ),
    "named.xml": (
        NAMED,
        "Named publisher",
        [
            Act(
                "XM-GEN-NAMED-MLI-1",
                "Mali, funded by named organisations",
                "GBP",
                "2020-06-01",
                "2021-06-30",
                countries=[("ML", "100")],
                funders=[("XM-FUNDER-1", "First funder"), ("XM-FUNDER-2", "Second funder")],
                budgets=[("1", "2020-06-01", "2021-05-31", "120000", None)],
                transactions=[("4", "2021-01-31", "45000", None, None)],
            ),
        ],
    ),
}


def write(directory: Path) -> list[Path]:
    """Write the files into `directory`; their paths, in a fixed order."""
    paths = []
    for name, (publisher, publisher_name, acts) in FILES.items():
        body = "\n".join(_activity(act, publisher, publisher_name) for act in acts)
        path = directory / name
        path.write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<iati-activities version="2.03" generated-datetime="2021-06-01T12:00:00Z">\n'
            f"{body}\n</iati-activities>\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths
