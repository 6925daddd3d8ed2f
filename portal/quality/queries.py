"""Findings as pages show them: attached to the record they are about."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from portal.countries.models import Country
from portal.iati.models import Outcome, Publisher, Recipient
from portal.iati.narratives import Narratives
from portal.quality.kinds import KINDS, Kind
from portal.quality.models import FACT_RECORD, DataFinding

# The parts of an activity a page shows with their findings next to them; the others (budget
# lines, transactions, recipients) are listed with the activity.
SHOWN_IN_PLACE = ("result", "indicator", "indicator period")


@dataclass(frozen=True)
class FindingView:
    kind: str
    record: str
    record_id: int | None
    value: str | None

    @property
    def about(self) -> Kind:
        return KINDS[self.kind]

    @property
    def message(self) -> str:
        """What looks wrong, in the visitor's language (call it while rendering)."""
        return str(self.about.message) % {"value": self.value or ""}


FindingsByRecord = Mapping[tuple[str, int | None], tuple[FindingView, ...]]
NO_FINDINGS: FindingsByRecord = {}


def findings_of_outcome(session: Session, outcome_id: int) -> FindingsByRecord:
    """The outcome's findings by (record, row id); one query. Activity-level findings, and
    those of parts shown without a place of their own, are under ("activity", outcome_id)."""
    grouped: dict[tuple[str, int | None], list[FindingView]] = {}
    rows = session.execute(
        select(DataFinding.kind, DataFinding.record, DataFinding.record_id, DataFinding.value)
        .where(DataFinding.outcome_id == outcome_id, DataFinding.kind.in_(KINDS))
        .order_by(DataFinding.id)
    )
    for kind, record, record_id, value in rows:
        finding = FindingView(kind, record, record_id, value)
        key = (record, record_id) if record in SHOWN_IN_PLACE else ("activity", outcome_id)
        grouped.setdefault(key, []).append(finding)
    return {key: tuple(findings) for key, findings in grouped.items()}


def findings_about_activities(
    session: Session, outcome_ids: list[int]
) -> dict[int, tuple[FindingView, ...]]:
    """For lists of activities (country and region pages): the findings about each activity
    itself (its title or description, its recipients' shares), by outcome id; one query."""
    if not outcome_ids:
        return {}
    grouped: dict[int, list[FindingView]] = {}
    rows = session.execute(
        select(
            DataFinding.outcome_id,
            DataFinding.kind,
            DataFinding.record,
            DataFinding.record_id,
            DataFinding.value,
        )
        .where(
            DataFinding.outcome_id.in_(outcome_ids),
            DataFinding.record == "activity",
            DataFinding.kind.in_(KINDS),
        )
        .order_by(DataFinding.id)
    )
    for outcome_id, kind, record, record_id, value in rows:
        grouped.setdefault(outcome_id, []).append(FindingView(kind, record, record_id, value))
    return {outcome_id: tuple(found) for outcome_id, found in grouped.items()}


def findings_of_country_facts(session: Session, iso3: str) -> dict[int, tuple[FindingView, ...]]:
    """The findings about a country's reference facts by CountryFact id; one query."""
    grouped: dict[int, list[FindingView]] = {}
    rows = session.execute(
        select(DataFinding.kind, DataFinding.record, DataFinding.record_id, DataFinding.value)
        .where(DataFinding.country_iso3 == iso3, DataFinding.kind.in_(KINDS))
        .order_by(DataFinding.id)
    )
    for kind, record, record_id, value in rows:
        if record_id is not None:
            grouped.setdefault(record_id, []).append(FindingView(kind, record, record_id, value))
    return {fact_id: tuple(found) for fact_id, found in grouped.items()}


# --- The data-quality page ---------------------------------------------------------------------

FINDINGS_PER_PAGE = 50


@dataclass(frozen=True)
class KindCount:
    publisher_ref: str | None
    publisher_name: Narratives
    kind: str
    count: int
    # Counted under the country facts (the operator's reference data), not a publisher.
    about_country_facts: bool = False

    @property
    def about(self) -> Kind:
        return KINDS[self.kind]


@dataclass(frozen=True)
class CountryChoice:
    iso3: str
    iso2: str | None
    english_name: str | None


@dataclass(frozen=True)
class ListedFinding(FindingView):
    iati_identifier: str | None = None  # None: about a country fact
    plan_period: str | None = None
    title: Narratives | None = None
    default_lang: str | None = None
    country_iso3: str | None = None
    publisher_ref: str | None = None
    country_iso2: str | None = None
    country_english_name: str | None = None
    # The fact's country has a page (some activity there) to link to.
    country_has_page: bool = False

    @property
    def about_country_fact(self) -> bool:
        """About a country's reference fact (country_iso3), not an activity."""
        return self.record == FACT_RECORD


def counts_by_publisher(session: Session) -> tuple[KindCount, ...]:
    """How many findings of each kind each publisher's activities have; two queries (names
    are JSON, which PostgreSQL cannot group by)."""
    count = func.count(DataFinding.id)
    rows = session.execute(
        select(Outcome.publisher_id, DataFinding.kind, count)
        .join(Outcome, Outcome.id == DataFinding.outcome_id)
        .where(DataFinding.kind.in_(KINDS))
        .group_by(Outcome.publisher_id, DataFinding.kind)
    ).all()
    ids = {publisher_id for publisher_id, _kind, _n in rows if publisher_id is not None}
    publishers = {
        publisher_id: (ref, name)
        for publisher_id, ref, name in session.execute(
            select(Publisher.id, Publisher.ref, Publisher.name).where(Publisher.id.in_(ids))
        )
    }
    counts = []
    for publisher_id, kind, n in rows:
        ref, name = publishers.get(publisher_id, (None, None))
        counts.append(KindCount(ref, name or Narratives(), kind, n))
    by_publisher = sorted(counts, key=lambda row: (row.publisher_ref or "", -row.count, row.kind))
    fact_rows = session.execute(
        select(DataFinding.kind, count)
        .where(DataFinding.country_iso3.is_not(None), DataFinding.kind.in_(KINDS))
        .group_by(DataFinding.kind)
    ).all()
    about_facts = sorted(
        (KindCount(None, Narratives(), kind, n, about_country_facts=True) for kind, n in fact_rows),
        key=lambda row: (-row.count, row.kind),
    )
    return (*by_publisher, *about_facts)


def countries_with_findings(session: Session) -> tuple[CountryChoice, ...]:
    """The countries (main recipient) of activities with findings, and those with findings
    about their facts, for the filter."""
    about_activities = select(Outcome.country_iso3.label("iso3")).join(
        DataFinding, DataFinding.outcome_id == Outcome.id
    )
    about_facts = select(DataFinding.country_iso3.label("iso3"))
    found = about_activities.union(about_facts).subquery()
    rows = session.execute(
        select(found.c.iso3, Country.iso2, Country.english_name)
        .outerjoin(Country, Country.iso3 == found.c.iso3)
        .where(found.c.iso3.is_not(None))
        .order_by(found.c.iso3)
    )
    return tuple(CountryChoice(*row) for row in rows)


def _conditions(country: str | None, kind: str | None) -> list:
    conditions = [DataFinding.kind.in_(KINDS)]
    if country is not None:
        conditions.append(or_(Outcome.country_iso3 == country, DataFinding.country_iso3 == country))
    if kind is not None:
        conditions.append(DataFinding.kind == kind)
    return conditions


def count_findings(session: Session, country: str | None, kind: str | None) -> int:
    """How many findings the filters keep (the activity's main country or the country of the
    fact, the kind)."""
    total = session.scalar(
        select(func.count(DataFinding.id))
        .outerjoin(Outcome, Outcome.id == DataFinding.outcome_id)
        .where(*_conditions(country, kind))
    )
    return total or 0


def findings_slice(
    session: Session, country: str | None, kind: str | None, offset: int, limit: int | None
) -> tuple[ListedFinding, ...]:
    """Findings the filters keep, in activity order and then those about country facts by
    country, `limit` of them (None: all) from `offset`."""
    rows = session.execute(
        select(
            DataFinding.kind,
            DataFinding.record,
            DataFinding.record_id,
            DataFinding.value,
            Outcome.iati_identifier,
            Outcome.plan_period,
            Outcome.title,
            Outcome.default_lang,
            func.coalesce(Outcome.country_iso3, DataFinding.country_iso3),
            Publisher.ref,
            Country.iso2,
            Country.english_name,
            exists().where(Recipient.country_iso3 == DataFinding.country_iso3),
        )
        .outerjoin(Outcome, Outcome.id == DataFinding.outcome_id)
        .outerjoin(Publisher, Publisher.id == Outcome.publisher_id)
        .outerjoin(Country, Country.iso3 == DataFinding.country_iso3)
        .where(*_conditions(country, kind))
        .order_by(
            DataFinding.outcome_id.is_(None),
            Outcome.iati_identifier,
            Outcome.plan_period,
            DataFinding.country_iso3,
            DataFinding.id,
        )
        .limit(limit)
        .offset(offset)
    )
    return tuple(ListedFinding(*row) for row in rows)
