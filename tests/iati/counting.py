"""Counts taken straight from IATI XML with XPath, independently of the importer."""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from sqlalchemy import func, select

from portal.countries.models import Country
from portal.iati.models import (
    Budget,
    Classification,
    ImportRun,
    Indicator,
    IndicatorPeriod,
    Outcome,
    ParticipatingOrg,
    ProgressNarrative,
    Publisher,
    Recipient,
    Result,
    SourceFile,
    Transaction,
)

STORED_TABLES = {
    "outcomes": Outcome,
    "results": Result,
    "indicators": Indicator,
    "periods": IndicatorPeriod,
    "budgets": Budget,
    "transactions": Transaction,
}
# Every table an IATI import writes to: a run that fails must leave all of them as they were.
EVERY_TABLE = (
    Outcome,
    Result,
    Indicator,
    IndicatorPeriod,
    Budget,
    Transaction,
    ParticipatingOrg,
    Classification,
    ProgressNarrative,
    Recipient,
    Publisher,
    SourceFile,
    ImportRun,
    Country,
)


def _year(activity, xpath: str) -> str:
    dates = activity.xpath(xpath)
    return dates[0][:4] if dates else ""


def plan_period(activity) -> str:
    """The key's plan period as the issue defines it, worked out with XPath."""
    start = _year(activity, "activity-date[@type='1']/@iso-date") or _year(
        activity, "activity-date[@type='2']/@iso-date"
    )
    end = _year(activity, "activity-date[@type='3']/@iso-date") or _year(
        activity, "activity-date[@type='4']/@iso-date"
    )
    if not start:
        years = [date[:4] for date in activity.xpath("budget/period-start/@iso-date")]
        start = min(years, default="")
    if not end:
        years = [date[:4] for date in activity.xpath("budget/period-end/@iso-date")]
        end = max(years, default="")
    return f"{start}-{end}" if start and end else ""


def expected_counts(path: Path) -> dict[str, int]:
    """What the database must hold after importing `path` into an empty database.

    Activities sharing an identifier and a plan period are one outcome (the later copy
    wins), so children are counted on the copies that survive.
    """
    tree = etree.parse(str(path))
    survivors = {}
    for activity in tree.xpath("/iati-activities/iati-activity"):
        identifier = activity.xpath("string(iati-identifier)").strip()
        survivors[(identifier, plan_period(activity))] = activity

    def total(xpath: str) -> int:
        return sum(int(activity.xpath(f"count({xpath})")) for activity in survivors.values())

    return {
        "outcomes": len(survivors),
        "results": total("result"),
        "indicators": total("result/indicator"),
        "periods": total("result/indicator/period"),
        "budgets": total("budget"),
        "transactions": total("transaction"),
    }


def activity_count(path: Path) -> int:
    return int(etree.parse(str(path)).xpath("count(/iati-activities/iati-activity)"))


def stored_counts(session) -> dict[str, int]:
    return {
        name: session.scalar(select(func.count()).select_from(model))
        for name, model in STORED_TABLES.items()
    }
