"""Find what looks wrong in the stored activities; one function per kind, run after an import
for the activities it wrote; and in the country facts, run after every facts import. The
publisher's data is never changed: findings are stored beside it (portal.quality.models) and
shown with it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Text, cast, delete, func, insert, select
from sqlalchemy.orm import Session

from portal.codelists.models import CodelistEntry
from portal.countries import facts
from portal.countries.models import CountryFact
from portal.iati.models import (
    Budget,
    Classification,
    Indicator,
    IndicatorPeriod,
    Outcome,
    ParticipatingOrg,
    Recipient,
    Result,
    Transaction,
)
from portal.iati.narratives import UNDETERMINED
from portal.iati.parser import is_placeholder
from portal.quality import kinds
from portal.quality.models import FACT_RECORD, VALUE_LENGTH, DataFinding
from portal.quality.rules import (
    FACT_AGE_LIMIT_YEARS,
    indicator_has_no_values,
    population_parts_differ,
    population_shares_differ,
)

# Statements take the ids of the activities to check this many at a time.
IDS_PER_STATEMENT = 500
# A transaction this long before the start or after the end of its activity is flagged.
DATE_TOLERANCE = dt.timedelta(days=365)
# Texts longer than this are not placeholders (the parser's import warning uses the same).
LONGEST_PLACEHOLDER = 40

Finding = tuple[int, str, str, int | None, str | None]  # outcome, kind, record, row, value


@dataclass
class FindingSummary:
    count: int = 0
    examples: list[tuple] = field(default_factory=list)


def refresh_findings(session: Session, outcome_ids: Iterable[int]) -> list[Finding]:
    """Replace the findings of these activities by what the checks find now; returns them."""
    ids = sorted(set(outcome_ids))
    found: list[Finding] = []
    for chunk in _chunks(ids):
        session.execute(delete(DataFinding).where(DataFinding.outcome_id.in_(chunk)))
        chunk_found = [finding for check in CHECKS for finding in check(session, chunk)]
        _store_findings(session, chunk_found)  # a chunk at a time: memory stays flat
        found.extend(chunk_found)
    # Once: it compares across a publisher's data.
    compared = list(provider_names(session, ids))
    _store_findings(session, compared)
    found.extend(compared)
    return found


def _store_findings(session: Session, found: Sequence[Finding]) -> None:
    if found:
        session.execute(
            insert(DataFinding),
            [
                {
                    "outcome_id": outcome_id,
                    "kind": kind,
                    "record": record,
                    "record_id": record_id,
                    "value": None if value is None else value[:VALUE_LENGTH],
                }
                for outcome_id, kind, record, record_id, value in found
            ],
        )


# The import report names this many examples of each kind.
EXAMPLES_PER_KIND = 3


def summarise(session: Session, found: Sequence[Finding]) -> dict[str, FindingSummary]:
    """Per kind: how many, and the first few examples as (activity identifier, value)."""
    summary: dict[str, FindingSummary] = {}
    for outcome_id, kind, _record, _row, value in found:
        entry = summary.setdefault(kind, FindingSummary())
        entry.count += 1
        if len(entry.examples) < EXAMPLES_PER_KIND:
            entry.examples.append((outcome_id, value or ""))
    wanted = {outcome_id for entry in summary.values() for outcome_id, _v in entry.examples}
    identifiers: dict[int, str] = {}
    if wanted:
        rows = session.execute(
            select(Outcome.id, Outcome.iati_identifier).where(Outcome.id.in_(wanted))
        )
        identifiers = dict(rows.all())
    for entry in summary.values():
        entry.examples = [(identifiers.get(i, ""), value) for i, value in entry.examples]
    return summary


def _placeholders(rows, record: str) -> Iterator[Finding]:
    """One finding per text that is a placeholder in any of its languages (the same
    placeholder in English and French is one thing to fix, not two)."""
    for outcome_id, row_id, *texts in rows:
        for narratives in texts:
            for text in (narratives or {}).values():
                if len(text) <= LONGEST_PLACEHOLDER and is_placeholder(text):
                    yield (outcome_id, kinds.PLACEHOLDER_TEXT, record, row_id, text)
                    break


def placeholder_texts(session: Session, ids: Sequence[int]) -> Iterator[Finding]:
    """Titles and descriptions of activities, results and indicators; the comments of
    indicators' baselines and of their periods' targets and actual values."""
    yield from _placeholders(
        session.execute(
            select(Outcome.id, Outcome.id, Outcome.title, Outcome.description).where(
                Outcome.id.in_(ids)
            )
        ),
        "activity",
    )
    yield from _placeholders(
        session.execute(
            select(Result.outcome_id, Result.id, Result.title, Result.description).where(
                Result.outcome_id.in_(ids)
            )
        ),
        "result",
    )
    yield from _placeholders(
        session.execute(
            select(
                Result.outcome_id,
                Indicator.id,
                Indicator.title,
                Indicator.description,
                Indicator.baseline_comment,
            )
            .join(Indicator, Indicator.result_id == Result.id)
            .where(Result.outcome_id.in_(ids))
        ),
        "indicator",
    )
    yield from _placeholders(
        session.execute(
            select(
                Result.outcome_id,
                IndicatorPeriod.id,
                IndicatorPeriod.target_comment,
                IndicatorPeriod.actual_comment,
            )
            .join(Indicator, Indicator.result_id == Result.id)
            .join(IndicatorPeriod, IndicatorPeriod.indicator_id == Indicator.id)
            .where(Result.outcome_id.in_(ids))
        ),
        "indicator period",
    )


def _money(value: Decimal, currency: str | None) -> str:
    return f"{value} {currency}" if currency else str(value)


def budgets(session: Session, ids: Sequence[int]) -> Iterator[Finding]:
    """Budget lines of zero or less; budget periods longer than a year."""
    rows = session.execute(
        select(
            Budget.outcome_id,
            Budget.id,
            Budget.value,
            Budget.currency,
            Budget.period_start,
            Budget.period_end,
        ).where(Budget.outcome_id.in_(ids))
    )
    for outcome_id, budget_id, value, currency, start, end in rows:
        if value is not None and value <= 0:
            yield (
                outcome_id,
                kinds.BUDGET_NOT_ABOVE_ZERO,
                "budget",
                budget_id,
                _money(value, currency),
            )
        if start is not None and end is not None and end > _a_year_after(start):
            yield (
                outcome_id,
                kinds.BUDGET_LONGER_THAN_A_YEAR,
                "budget",
                budget_id,
                f"{start.isoformat()} – {end.isoformat()}",
            )


def _a_year_after(day: dt.date) -> dt.date:
    """The same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def transaction_dates(session: Session, ids: Sequence[int]) -> Iterator[Finding]:
    """Transactions dated more than a year before the activity's start or after its end (the
    actual date where published, else the planned one)."""
    rows = session.execute(
        select(
            Transaction.outcome_id,
            Transaction.id,
            Transaction.date,
            Outcome.actual_start,
            Outcome.planned_start,
            Outcome.actual_end,
            Outcome.planned_end,
        )
        .join(Outcome, Outcome.id == Transaction.outcome_id)
        .where(Transaction.outcome_id.in_(ids), Transaction.date.is_not(None))
    )
    for (
        outcome_id,
        transaction_id,
        day,
        actual_start,
        planned_start,
        actual_end,
        planned_end,
    ) in rows:
        start = actual_start or planned_start
        end = actual_end or planned_end
        if (start is not None and day < start - DATE_TOLERANCE) or (
            end is not None and day > end + DATE_TOLERANCE
        ):
            yield (
                outcome_id,
                kinds.TRANSACTION_OUTSIDE_DATES,
                "transaction",
                transaction_id,
                day.isoformat(),
            )


def indicator_values(session: Session, ids: Sequence[int]) -> Iterator[Finding]:
    """Quantitative indicators with no value at all; periods with an actual and no target."""
    indicators = session.execute(
        select(
            Result.outcome_id,
            Indicator.id,
            Indicator.title,
            Indicator.measure,
            Indicator.baseline_value,
        )
        .join(Indicator, Indicator.result_id == Result.id)
        .where(Result.outcome_id.in_(ids))
    ).all()
    periods = session.execute(
        select(
            Indicator.id,
            IndicatorPeriod.id,
            IndicatorPeriod.target_value,
            IndicatorPeriod.actual_value,
        )
        .join(Indicator, Indicator.id == IndicatorPeriod.indicator_id)
        .join(Result, Result.id == Indicator.result_id)
        .where(Result.outcome_id.in_(ids))
    ).all()
    values: dict[int, list[tuple[str | None, str | None]]] = {}
    for indicator_id, _period_id, target, actual in periods:
        values.setdefault(indicator_id, []).append((target, actual))
    outcome_of = {}
    for outcome_id, indicator_id, title, measure, baseline in indicators:
        outcome_of[indicator_id] = outcome_id
        if indicator_has_no_values(measure, baseline, values.get(indicator_id, ())):
            name = next(iter((title or {}).values()), "")
            yield (outcome_id, kinds.INDICATOR_WITHOUT_VALUES, "indicator", indicator_id, name)
    for indicator_id, period_id, target, actual in periods:
        if actual and not target:
            yield (
                outcome_of[indicator_id],
                kinds.ACTUAL_WITHOUT_TARGET,
                "indicator period",
                period_id,
                actual,
            )


# The IATI codelist of vocabulary-1 (OECD DAC) region codes, as `portal import-codelists` stores it.
REGION_CODELIST = "Region"
OECD_DAC_REGIONS = "1"


def recipients(session: Session, ids: Sequence[int]) -> Iterator[Finding]:
    """Recipient shares that do not add up to 100; country and region codes not on their
    codelists (regions only once the Region codelist is imported: unknown before)."""
    rows = session.execute(
        select(
            Recipient.outcome_id,
            Recipient.id,
            Recipient.kind,
            Recipient.code,
            Recipient.vocabulary,
            Recipient.country_iso3,
            Recipient.percentage,
            Recipient.name,
        )
        .where(Recipient.outcome_id.in_(ids))
        .order_by(Recipient.outcome_id, Recipient.position)
    )
    regions: set[str] | None = None
    shares: dict[int, list[Decimal | None]] = {}
    for outcome_id, recipient_id, kind, code, vocabulary, iso3, percentage, name in rows:
        shares.setdefault(outcome_id, []).append(percentage)
        if kind == "country" and iso3 is None:
            yield (outcome_id, kinds.UNKNOWN_COUNTRY_CODE, "recipient", recipient_id, code or "")
        elif kind == "region" and code and (vocabulary or OECD_DAC_REGIONS) == OECD_DAC_REGIONS:
            if regions is None:
                regions = set(
                    session.scalars(
                        select(CodelistEntry.code).where(CodelistEntry.codelist == REGION_CODELIST)
                    )
                )
            if regions and code not in regions:
                published = next(iter((name or {}).values()), "")
                value = f"{code} – {published}" if published else code
                yield (outcome_id, kinds.UNKNOWN_REGION_CODE, "recipient", recipient_id, value)
    for outcome_id, percentages in shares.items():
        if len(percentages) < 2:
            continue
        total = sum((p for p in percentages if p is not None), Decimal(0))
        if abs(total - 100) > Decimal("0.01"):
            yield (
                outcome_id,
                kinds.PERCENTAGES_NOT_100,
                "activity",
                outcome_id,
                f"{total.normalize():f}",
            )


# Every stored text of an activity, by the part it belongs to, in the order a page shows them.
_TEXTS = (
    (Outcome.id, (Outcome.title, Outcome.description), ()),
    (Result.outcome_id, (Result.title, Result.description), ()),
    (
        Result.outcome_id,
        (Indicator.title, Indicator.description, Indicator.baseline_comment),
        ((Indicator, Indicator.result_id == Result.id),),
    ),
    (
        Result.outcome_id,
        (IndicatorPeriod.target_comment, IndicatorPeriod.actual_comment),
        (
            (Indicator, Indicator.result_id == Result.id),
            (IndicatorPeriod, IndicatorPeriod.indicator_id == Indicator.id),
        ),
    ),
    (Recipient.outcome_id, (Recipient.name,), ()),
    (ParticipatingOrg.outcome_id, (ParticipatingOrg.name,), ()),
    (Classification.outcome_id, (Classification.name,), ()),
    (
        Transaction.outcome_id,
        (Transaction.provider_name, Transaction.receiver_name, Transaction.description),
        (),
    ),
)


def texts_without_language(session: Session, ids: Sequence[int]) -> Iterator[Finding]:
    """Activities with a text in no language whose element, activity and file declare none
    (IATI Validator 4.1.1): one finding per activity, with its first such text.

    The parser keys such a text "und" (portal.iati.narratives.UNDETERMINED), and only when no
    ancestor declares xml:lang; the activity's default_lang is then empty as well."""
    undeclared = session.scalars(
        select(Outcome.id).where(Outcome.id.in_(ids), Outcome.default_lang.is_(None))
    ).all()
    if not undeclared:
        return
    first_text: dict[int, str] = {}
    for outcome_column, columns, joins in _TEXTS:
        statement = select(outcome_column, *columns)
        for target, condition in joins:
            statement = statement.join(target, condition)
        rows = session.execute(statement.where(outcome_column.in_(undeclared)))
        for outcome_id, *texts in rows:
            if outcome_id in first_text:
                continue
            text = next((t[UNDETERMINED] for t in texts if t and UNDETERMINED in t), None)
            if text is not None:
                first_text[outcome_id] = text
    for outcome_id in undeclared:
        if outcome_id in first_text:
            yield (
                outcome_id,
                kinds.TEXT_WITHOUT_LANGUAGE,
                "activity",
                outcome_id,
                first_text[outcome_id],
            )


def _same_name(text: str) -> str:
    """Names that differ only in case or spacing are the same name."""
    return " ".join(text.split()).casefold()


# How a transaction without a provider name stores it (portal.iati.narratives.NarrativesType).
EMPTY_NARRATIVES = "{}"


def provider_names(session: Session, ids: Sequence[int]) -> Iterator[Finding]:
    """A provider-org ref the publisher names differently (in one language) across its
    activities' transactions: one finding per activity and ref, on the activity's first
    transaction from it, naming every name the publisher uses, most used first.

    The comparison spans the publisher's stored activities, so an activity keeps its finding
    until it is checked again (next import or `portal data-quality refresh`). The names are
    counted in the database (a publisher has thousands of transactions, a few hundred names)."""
    publishers: set[int] = set()
    for chunk in _chunks(ids):
        publishers.update(
            session.scalars(
                select(Outcome.publisher_id)
                .where(Outcome.id.in_(chunk), Outcome.publisher_id.is_not(None))
                .distinct()
            )
        )
    if not publishers:
        return
    # JSON as text: PostgreSQL cannot group by a json column; the text is the JSON as stored.
    name_text = cast(Transaction.provider_name, Text)
    named = session.execute(
        select(Outcome.publisher_id, Transaction.provider_ref, name_text, func.count())
        .join(Outcome, Outcome.id == Transaction.outcome_id)
        .where(
            Outcome.publisher_id.in_(sorted(publishers)),
            Transaction.provider_ref.is_not(None),
            name_text != EMPTY_NARRATIVES,
        )
        .group_by(Outcome.publisher_id, Transaction.provider_ref, name_text)
        .order_by(Outcome.publisher_id, Transaction.provider_ref, name_text)
    )
    # Per publisher and ref: the names used per language; how often each name is used and
    # its most used spelling.
    by_language: dict[tuple[int, str], dict[str, set[str]]] = {}
    uses: dict[tuple[int, str], Counter[str]] = {}
    spellings: dict[str, Counter[str]] = {}
    for publisher_id, ref, names_json, count in named:
        for lang, text in (json.loads(names_json) or {}).items():
            name = _same_name(text)
            by_language.setdefault((publisher_id, ref), {}).setdefault(lang, set()).add(name)
            uses.setdefault((publisher_id, ref), Counter())[name] += count
            spellings.setdefault(name, Counter())[" ".join(text.split())] += count
    differing = {
        key for key, languages in by_language.items() if any(len(n) > 1 for n in languages.values())
    }
    if not differing:
        return
    listed = {
        key: " / ".join(
            f"“{spellings[name].most_common(1)[0][0]}”" for name, _n in uses[key].most_common()
        )
        for key in differing
    }
    refs = sorted({ref for _publisher, ref in differing})
    for chunk in _chunks(ids):
        firsts = session.execute(
            select(
                Transaction.outcome_id,
                Outcome.publisher_id,
                Transaction.provider_ref,
                func.min(Transaction.id),
            )
            .join(Outcome, Outcome.id == Transaction.outcome_id)
            .where(
                Transaction.outcome_id.in_(chunk),
                Transaction.provider_ref.in_(refs),
                name_text != EMPTY_NARRATIVES,
            )
            .group_by(Transaction.outcome_id, Outcome.publisher_id, Transaction.provider_ref)
            .order_by(Transaction.outcome_id, Transaction.provider_ref)
        )
        for outcome_id, publisher_id, ref, transaction_id in firsts:
            if (publisher_id, ref) in differing:
                yield (
                    outcome_id,
                    kinds.PROVIDER_NAMED_DIFFERENTLY,
                    "transaction",
                    transaction_id,
                    f"{ref}: {listed[(publisher_id, ref)]}",
                )


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), IDS_PER_STATEMENT):
        yield ids[start : start + IDS_PER_STATEMENT]


# Checks of the activities given, run a chunk of ids at a time (provider_names, which compares
# across a publisher's activities, runs once for all of them).
CHECKS = (
    placeholder_texts,
    budgets,
    transaction_dates,
    indicator_values,
    recipients,
    texts_without_language,
)


# --- Country facts -----------------------------------------------------------------------------

FactFinding = tuple[str, str, int, str]  # country, kind, CountryFact row, value


def refresh_fact_findings(session: Session) -> list[FactFinding]:
    """Replace every country-fact finding by what the checks find now (after a facts import:
    a figure's finding can depend on the other figures and on the newest fact's date)."""
    session.execute(delete(DataFinding).where(DataFinding.country_iso3.is_not(None)))
    found = list(country_fact_findings(session))
    if found:
        session.execute(
            insert(DataFinding),
            [
                {
                    "outcome_id": None,
                    "country_iso3": iso3,
                    "kind": kind,
                    "record": FACT_RECORD,
                    "record_id": fact_id,
                    "value": value[:VALUE_LENGTH],
                }
                for iso3, kind, fact_id, value in found
            ],
        )
    return found


def _figure(value: Decimal) -> str:
    """A stored figure as written (8762123, not 8762123.000000)."""
    return f"{value.normalize():f}"


def _percent(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1'))} %"


def country_fact_findings(session: Session) -> Iterator[FactFinding]:
    """Population shares that do not make 100 %, female + male unlike the total (each year),
    and the latest figure of an indicator more than five years older than the newest fact.

    "Now" is the data's own date, so that the same files always give the same findings: the
    newest `as_of` of the stored facts, else the newest year they describe."""
    rows = session.execute(
        select(
            CountryFact.id,
            CountryFact.country_iso3,
            CountryFact.indicator,
            CountryFact.year,
            CountryFact.value,
            CountryFact.as_of,
        ).order_by(CountryFact.country_iso3, CountryFact.year, CountryFact.id)
    ).all()
    if not rows:
        return
    dated = [as_of for *_rest, as_of in rows if as_of is not None]
    reference_year = max(dated).year if dated else max(row.year for row in rows)
    latest: dict[tuple[str, str], tuple[int, int]] = {}
    population: dict[tuple[str, int], dict[str, tuple[int, Decimal]]] = {}
    for fact_id, iso3, indicator, year, value, _as_of in rows:
        latest[(iso3, indicator)] = (fact_id, year)
        if value is not None and indicator in _POPULATION_PARTS:
            population.setdefault((iso3, year), {})[indicator] = (fact_id, value)
    for (iso3, year), figures in population.items():
        yield from _population_findings(iso3, year, figures)
    for (iso3, indicator), (fact_id, year) in latest.items():
        if reference_year - year > FACT_AGE_LIMIT_YEARS:
            yield (iso3, kinds.FACT_OLDER_THAN_FIVE_YEARS, fact_id, f"{indicator} {year}")


_POPULATION_PARTS = frozenset(
    {
        facts.POPULATION_TOTAL,
        facts.POPULATION_FEMALE,
        facts.POPULATION_MALE,
        facts.POPULATION_FEMALE_PERCENT,
        facts.POPULATION_MALE_PERCENT,
    }
)


def _population_findings(
    iso3: str, year: int, figures: dict[str, tuple[int, Decimal]]
) -> Iterator[FactFinding]:
    """One country's population figures of one year: female and male counts against the
    total where there are counts (the header computes the shares from them), else the
    published female and male shares against 100 %."""
    total = figures.get(facts.POPULATION_TOTAL)
    female = figures.get(facts.POPULATION_FEMALE)
    male = figures.get(facts.POPULATION_MALE)
    if total and total[1] and female and male:
        total_id, total_value = total
        if population_parts_differ(total_value, female[1], male[1]):
            yield (
                iso3,
                kinds.POPULATION_PARTS_NOT_TOTAL,
                total_id,
                f"{year}: {_figure(female[1])} + {_figure(male[1])} = "
                f"{_figure(female[1] + male[1])} ≠ {_figure(total_value)}",
            )
        return  # shares computed from these counts add up exactly when the counts do
    female = figures.get(facts.POPULATION_FEMALE_PERCENT)
    male = figures.get(facts.POPULATION_MALE_PERCENT)
    if female and male:
        fact_id, female_percent, male_percent = female[0], female[1], male[1]
        if population_shares_differ(female_percent, male_percent):
            yield (
                iso3,
                kinds.POPULATION_SHARES_NOT_100,
                fact_id,
                f"{year}: {_percent(female_percent)} + {_percent(male_percent)} = "
                f"{_percent(female_percent + male_percent)}",
            )
