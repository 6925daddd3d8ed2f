"""What an IATI import tells its operator: a report of what it read, or why it stopped."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.quality.kinds import KINDS

# Warning kinds: stable English keys (tests and the data-quality page use them), shown
# translated. A kind not listed here is shown as it is.
PLACEHOLDER_NAME = "placeholder name"
SEVERAL_RECIPIENT_COUNTRIES = "several recipient countries"
SEVERAL_BASELINES = "several baselines"
SEVERAL_TARGETS = "several targets in a period"
SEVERAL_ACTUALS = "several actuals in a period"
INVALID_DATE = "invalid date"
INVALID_NUMBER = "invalid number"
INVALID_CODE = "invalid code"
TEXT_CUT = "text too long, cut"
MISSING_IDENTIFIER = "activity without identifier, skipped"
MISSING_PLAN_PERIOD = "activity without dates or budget periods"
REPEATED_ACTIVITY = "activity repeated in this run"
ENTITY_IGNORED = "entity reference ignored"
DOCTYPE_IGNORED = "document type declaration ignored"
OLD_VERSION = "IATI version 1.x read as 2.0x"
EMPTY_FILE = "file without activities"
NARRATIVE_WITHOUT_LANGUAGE = "narrative without language"

WARNING_LABELS = {
    PLACEHOLDER_NAME: _l("placeholder name"),
    SEVERAL_RECIPIENT_COUNTRIES: _l("several recipient countries, counted by their shares"),
    SEVERAL_BASELINES: _l("several baselines"),
    SEVERAL_TARGETS: _l("several targets in a period"),
    SEVERAL_ACTUALS: _l("several actuals in a period"),
    INVALID_DATE: _l("invalid date"),
    INVALID_NUMBER: _l("invalid number"),
    INVALID_CODE: _l("invalid code"),
    TEXT_CUT: _l("text too long, cut"),
    MISSING_IDENTIFIER: _l("activity without identifier, skipped"),
    MISSING_PLAN_PERIOD: _l("activity without dates or budget periods"),
    REPEATED_ACTIVITY: _l("activity repeated in this run"),
    ENTITY_IGNORED: _l("entity reference ignored"),
    DOCTYPE_IGNORED: _l("document type declaration ignored"),
    OLD_VERSION: _l("IATI version 1.x read as 2.0x"),
    EMPTY_FILE: _l("file without activities"),
    NARRATIVE_WITHOUT_LANGUAGE: _l("narrative without language"),
}


class ImportFailed(Exception):
    """A source could not be read; the import wrote nothing (the caller rolls back)."""

    def __init__(self, location: str, line: int | None, problem: str) -> None:
        self.location = location
        self.line = line
        self.problem = problem
        where = f"{location}:{line}" if line is not None else location
        super().__init__(f"{where}: {problem}")


@dataclass
class ImportReport:
    """Counts of what the sources held and what the import did with it."""

    sources: list[str] = field(default_factory=list)
    activities: int = 0
    outcomes_created: int = 0
    outcomes_updated: int = 0
    outcomes_unchanged: int = 0
    results: int = 0
    indicators: int = 0
    periods: int = 0
    budgets: int = 0
    transactions: int = 0
    narratives_per_language: dict[str, int] = field(default_factory=dict)
    warnings: Counter[str] = field(default_factory=Counter)
    # Data-quality findings in the activities written: kind → count and first examples.
    findings: dict[str, Any] = field(default_factory=dict)

    def format(self) -> str:
        """The report as the terminal shows it and the import run stores it."""
        lines = [
            _("Sources: %(count)d", count=len(self.sources)),
            _(
                "Activities: %(count)d (new %(created)d, updated %(updated)d,"
                " unchanged %(unchanged)d)",
                count=self.activities,
                created=self.outcomes_created,
                updated=self.outcomes_updated,
                unchanged=self.outcomes_unchanged,
            ),
            _("Outputs (results): %(count)d", count=self.results),
            _(
                "Indicators: %(count)d, indicator periods: %(periods)d",
                count=self.indicators,
                periods=self.periods,
            ),
            _("Budgets: %(count)d", count=self.budgets),
            _("Transactions: %(count)d", count=self.transactions),
        ]
        languages = sorted(self.narratives_per_language.items(), key=lambda item: -item[1])
        lines.append(
            _(
                "Narratives per language: %(languages)s",
                languages=", ".join(f"{lang} {count}" for lang, count in languages) or "-",
            )
        )
        if self.warnings:
            lines.append(_("Warnings:"))
            for kind, count in sorted(self.warnings.items(), key=lambda item: (-item[1], item[0])):
                lines.append(f"  {WARNING_LABELS.get(kind, kind)}: {count}")
        else:
            lines.append(_("Warnings: none"))
        lines.extend(findings_lines(self.findings))
        return "\n".join(lines)


def findings_lines(findings: dict[str, Any]) -> list[str]:
    """Each kind of data-quality finding with its count and first examples (activity, value)."""
    if not findings:
        return [_("Data-quality findings: none")]
    lines = [_("Data-quality findings:")]
    for kind, summary in sorted(findings.items(), key=lambda item: (-item[1].count, item[0])):
        examples = "; ".join(f"{activity} “{value}”" for activity, value in summary.examples)
        lines.append(
            _(
                "  %(kind)s: %(count)d, for example %(examples)s",
                kind=KINDS[kind].flag if kind in KINDS else kind,
                count=summary.count,
                examples=examples,
            )
        )
    return lines
