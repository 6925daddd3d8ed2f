"""Issue 15 on the six real files imported together: the findings are listed on the
data-quality page (no 500), its counts are the stored ones, every kind's filter lists them all,
and the budget lines of zero or less are exactly those the XML holds."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from iati.test_recipients import _surviving_activities
from ledger.conftest import FILES
from outcomes.reading import soup_of
from portal.quality import kinds
from portal.quality.models import DataFinding


def _budget_lines_not_above_zero(shared_data) -> int:
    count = 0
    for name in FILES:
        for activity in _surviving_activities(shared_data / "iati-activities" / name):
            for text in activity.xpath("budget/value/text()"):
                try:
                    count += Decimal(text.strip()) <= 0
                except InvalidOperation:
                    continue
    return count


def test_the_six_files_findings_are_on_the_data_quality_page(client, six_files, shared_data):
    stored = dict(
        six_files.execute(select(DataFinding.kind, func.count()).group_by(DataFinding.kind)).all()
    )
    assert stored[kinds.BUDGET_NOT_ABOVE_ZERO] == _budget_lines_not_above_zero(shared_data)
    page = soup_of(client.get("/en/data-quality/"))
    counted: dict[str, int] = {}
    for row in page.select("#quality-counts-heading ~ div tbody tr"):
        kind = row.a["href"].split("kind=")[1]
        counted[kind] = counted.get(kind, 0) + int(row.select("td")[-1].get_text().replace(",", ""))
    assert counted == stored
    for kind, count in stored.items():
        listed = soup_of(client.get(f"/en/data-quality/?kind={kind}"))
        assert f"{count:,} finding" in listed.get_text(), kind
        first = listed.select_one(".finding-list > li a")
        assert soup_of(client.get(first["href"])).select(".quality-flag"), first["href"]
