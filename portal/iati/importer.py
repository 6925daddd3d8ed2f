"""Import IATI activity files into outcomes, in the caller's transaction.

Rows are written in batches (one COPY per table per batch on PostgreSQL, one executemany of
SQLAlchemy Core's INSERT elsewhere), not through the ORM unit of work: a 13 MB file has tens of
thousands of rows. An activity whose stored copy has the same content hash is left alone, so
importing a file again writes nothing; a changed one has its parts deleted and inserted again.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter

from flask import current_app, has_app_context
from sqlalchemy import JSON, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from portal.config import DOWNLOAD_MAX_BYTES, DOWNLOAD_TIMEOUT_SECONDS
from portal.countries.models import Country
from portal.iati import report as kinds
from portal.iati.fetch import local_source
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
from portal.iati.narratives import NarrativesType, dumps_texts
from portal.iati.parser import ActivityFile, ActivityReader, FileHeader, ParsedActivity
from portal.iati.recipient_countries import recipient_country
from portal.iati.report import ImportFailed, ImportReport
from portal.quality.checks import refresh_findings, summarise
from portal.search import index as search_index

__all__ = ["ImportFailed", "ImportReport", "import_sources"]

# Activities written per executemany round; large enough to amortise each statement,
# small enough that memory does not grow with the file.
BATCH_ACTIVITIES = 200
# Values per IN (...) list: well under every database's limit on bound parameters.
IN_LIST_SIZE = 500
# Outcomes written before the import first updates PostgreSQL's statistics (_keep_statistics).
STATISTICS_FIRST_AT = 1000

OUTCOME = Outcome.__table__
RESULT = Result.__table__
INDICATOR = Indicator.__table__
INDICATOR_PERIOD = IndicatorPeriod.__table__
BUDGET = Budget.__table__
TRANSACTION = Transaction.__table__
PARTICIPATING_ORG = ParticipatingOrg.__table__
CLASSIFICATION = Classification.__table__
PROGRESS_NARRATIVE = ProgressNarrative.__table__
RECIPIENT = Recipient.__table__
PUBLISHER = Publisher.__table__
SOURCE_FILE = SourceFile.__table__
COUNTRY = Country.__table__

# Tables whose rows hang straight off an outcome and are replaced with it.
OUTCOME_PARTS = (
    BUDGET,
    TRANSACTION,
    PARTICIPATING_ORG,
    CLASSIFICATION,
    PROGRESS_NARRATIVE,
    RECIPIENT,
)
# What _keep_statistics analyzes as the run grows: the tables each batch looks rows up in.
ANALYZE_LOOKED_UP = "ANALYZE outcome, result, indicator, indicator_period"
# What statistics_for_checks analyzes: the other tables the data-quality checks read by outcome.
ANALYZE_CHECKED = "ANALYZE " + ", ".join(table.name for table in OUTCOME_PARTS)
# Outcomes already stored under some identifiers, and the ids of rows just written, by their
# natural key, for a list of parents: built once, run on the connection (no ORM work).
STORED_OUTCOMES = select(
    OUTCOME.c.id, OUTCOME.c.iati_identifier, OUTCOME.c.plan_period, OUTCOME.c.content_sha256
).where(OUTCOME.c.iati_identifier.in_(bindparam("identifiers", expanding=True)))
OUTCOME_IDS = select(OUTCOME.c.id, OUTCOME.c.iati_identifier, OUTCOME.c.plan_period).where(
    OUTCOME.c.iati_identifier.in_(bindparam("parents", expanding=True))
)
RESULT_IDS = select(RESULT.c.id, RESULT.c.outcome_id, RESULT.c.position).where(
    RESULT.c.outcome_id.in_(bindparam("parents", expanding=True))
)
INDICATOR_IDS = select(INDICATOR.c.id, INDICATOR.c.result_id, INDICATOR.c.position).where(
    INDICATOR.c.result_id.in_(bindparam("parents", expanding=True))
)
# Outcome columns an update rewrites (everything but the key and the id).
UPDATED_COLUMNS = [
    column.name
    for column in OUTCOME.columns
    if column.name not in ("id", "iati_identifier", "plan_period")
]


def import_sources(
    session: Session,
    sources: Sequence[str | os.PathLike[str]],
    *,
    is_sample: bool = False,
    progress: Callable[[int], None] | None = None,
    allow_private: bool = False,
) -> ImportReport:
    """Import IATI activity files (paths or http(s) URLs); the caller commits once.

    Raises ImportFailed (naming the file and line) when a source cannot be read; the
    caller then rolls back, and the database is as it was. A URL may lead to a loopback,
    private or other non-public address only with `allow_private`.
    """
    started_at = _utc_now()
    report = ImportReport(sources=[os.fspath(source) for source in sources])
    narrative_counts: Counter[str] = Counter()
    reader = ActivityReader(report.warnings, narrative_counts)
    writer = _OutcomeWriter(session, report)
    timeout, max_bytes = _download_limits()

    with _fewer_collections():
        for source in report.sources:
            with local_source(
                source, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private
            ) as local:
                source_file = _SourceFileRow(session, local.location, local.sha256, is_sample)
                activity_file = ActivityFile(local.path, source, reader, progress)
                source_file.header = activity_file.header
                for activity in activity_file:
                    report.activities += 1
                    report.results += len(activity.results)
                    report.indicators += activity.indicator_count
                    report.periods += activity.period_count
                    report.budgets += len(activity.budgets)
                    report.transactions += len(activity.transactions)
                    writer.add(activity, source_file)
                writer.flush()
                source_file.id()

    report.narratives_per_language = dict(narrative_counts.most_common())
    writer.statistics_for_checks()
    report.findings = summarise(session, refresh_findings(session, writer.written_ids))
    search_index.refresh(session, writer.written_ids)  # the search's words, same transaction
    session.execute(
        insert(ImportRun.__table__).values(
            kind="iati", started_at=started_at, finished_at=_utc_now(), report=report.format()
        )
    )
    return report


def _download_limits() -> tuple[float, int]:
    """Seconds a whole download may take, and the most bytes of XML it may bring."""
    config = current_app.config if has_app_context() else {}
    return (
        float(config.get("PORTAL_DOWNLOAD_TIMEOUT", DOWNLOAD_TIMEOUT_SECONDS)),
        int(config.get("PORTAL_DOWNLOAD_MAX_BYTES", DOWNLOAD_MAX_BYTES)),
    )


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _processed(values: Sequence, processor: Callable) -> list:
    """Bind-process a column's values, once per distinct value (names and dates repeat)."""
    if not values or not isinstance(values[0], dict | dt.date):
        return list(map(processor, values))
    done: dict = {}
    processed = []
    append = processed.append
    if type(values[0]) is dict:  # narratives: half of them empty
        empty = processor({})
        for value in values:
            if type(value) is dict:
                if not value:
                    append(empty)
                    continue
                key = tuple(value.items())
            else:
                key = value
            result = done.get(key)
            if result is None:
                result = done[key] = processor(value)
            append(result)
        return processed
    for value in values:
        result = done.get(value)
        if result is None:
            result = done[value] = processor(value)
        append(result)
    return processed


def _copy_converter(column_type) -> Callable | None:
    """What a value of this column type becomes for COPY's text format: narratives and other
    JSON their JSON text (json.dumps's, as bound on INSERT); None: psycopg writes it as is."""
    if isinstance(column_type, NarrativesType):
        return dumps_texts
    if isinstance(column_type, JSON):
        return json.dumps
    return None


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Collect cycles less often while an import allocates its many short-lived rows."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], 20_000), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


class _SourceFileRow:
    """The SourceFile of one source, found by content hash or inserted when first needed."""

    def __init__(self, session: Session, location: str, sha256: str, is_sample: bool) -> None:
        self.session = session
        self.location = location
        self.sha256 = sha256
        self.is_sample = is_sample
        self.header = FileHeader()
        self._id: int | None = None

    def id(self) -> int:
        if self._id is None:
            self._id = self.session.scalar(
                select(SOURCE_FILE.c.id).where(SOURCE_FILE.c.sha256 == self.sha256)
            )
        if self._id is None:
            self._id = self.session.execute(
                insert(SOURCE_FILE)
                .values(
                    location=self.location[:2000],
                    sha256=self.sha256,
                    generated_at=self.header.generated_at,
                    imported_at=_utc_now(),
                    is_sample=self.is_sample,
                )
                .returning(SOURCE_FILE.c.id)
            ).scalar_one()
        return self._id


class _OutcomeWriter:
    """Collects parsed activities and writes them a batch at a time."""

    def __init__(self, session: Session, report: ImportReport) -> None:
        self.session = session
        self.report = report
        self.pending: list[tuple[ParsedActivity, _SourceFileRow]] = []
        self.pending_keys: set[tuple[str, str]] = set()
        # Every key handled in this run: outcome id and content hash now stored.
        self.handled: dict[tuple[str, str], tuple[int, str]] = {}
        self.publisher_ids: dict[str, int] = {}
        self.country_keys: tuple[set[str], set[str]] | None = None
        # Compiled INSERT, parameter order and bind processors, per table and column set.
        self.statements: dict[tuple, tuple[str, bool, list[str], list]] = {}
        # PostgreSQL: COPY statement, column order and value converters, likewise.
        self.copies: dict[tuple, tuple[str, list[str], list]] = {}
        # Outcomes written (new or changed) in this run: their data quality is checked again.
        self.written_ids: list[int] = []
        # PostgreSQL plans each batch's lookups by identifier and parent from its statistics:
        # kept current as the tables grow (_keep_statistics), else they read whole tables.
        self.analyzed_at = 0
        self.is_postgresql = session.get_bind().dialect.name == "postgresql"

    def add(self, activity: ParsedActivity, source_file: _SourceFileRow) -> None:
        if activity.key in self.pending_keys:
            self.flush()  # the later copy must see the earlier one as stored
        self.pending.append((activity, source_file))
        self.pending_keys.add(activity.key)
        if len(self.pending) >= BATCH_ACTIVITIES:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending, self.pending_keys = self.pending, [], set()
        stored = self._stored_outcomes(batch)
        new: list[tuple[ParsedActivity, _SourceFileRow]] = []
        changed: list[tuple[int, ParsedActivity, _SourceFileRow]] = []
        for activity, source_file in batch:
            if activity.key in self.handled:
                self.report.warnings[kinds.REPEATED_ACTIVITY] += 1
            found = stored.get(activity.key)
            if found is None:
                new.append((activity, source_file))
            elif found[1] == activity.outcome["content_sha256"]:
                self.report.outcomes_unchanged += 1
                self.handled[activity.key] = found
            else:
                changed.append((found[0], activity, source_file))

        written: list[tuple[int, ParsedActivity]] = []
        if changed:
            written += self._replace(changed)
        if new:
            written += self._insert(new)
        if written:
            self._ensure_countries(activity for _id, activity in written)
            self._insert_parts(written)
            self.written_ids.extend(outcome_id for outcome_id, _activity in written)
            self._keep_statistics()

    def _keep_statistics(self) -> None:
        """ANALYZE the tables the batches look rows up in each time this run has doubled what
        they held at the last one (a few times in all): a plan made for small tables reads
        every outcome for each batch, so that a large import grew with the square of its
        size. (ANALYZE in the import's transaction counts the rows it wrote.)"""
        if not self.is_postgresql:
            return  # SQLite picks the index for these lookups without statistics
        written = len(self.written_ids)
        if written >= max(STATISTICS_FIRST_AT, 2 * self.analyzed_at):
            self.session.connection().exec_driver_sql(ANALYZE_LOOKED_UP)
            self.analyzed_at = written

    def statistics_for_checks(self) -> None:
        """Once the rows are written, before the data-quality checks read them a chunk of
        outcomes at a time: ANALYZE the outcomes' other parts (transactions, budgets…), when
        this run wrote enough to have made _keep_statistics run. Planned without, each chunk
        read every transaction of the database (a quarter of a ×10 import's checks)."""
        if self.is_postgresql and self.analyzed_at:
            self.session.connection().exec_driver_sql(ANALYZE_CHECKED)

    def _stored_outcomes(self, batch) -> dict[tuple[str, str], tuple[int, str]]:
        stored = {}
        unknown = set()
        for activity, _source_file in batch:
            if activity.key in self.handled:
                stored[activity.key] = self.handled[activity.key]
            else:
                unknown.add(activity.key[0])
        if unknown:
            rows = self.session.connection().execute(
                STORED_OUTCOMES, {"identifiers": list(unknown)}
            )
            for outcome_id, identifier, plan_period, sha256 in rows:
                stored.setdefault((identifier, plan_period), (outcome_id, sha256))
        return stored

    def _outcome_row(self, activity: ParsedActivity, source_file: _SourceFileRow) -> dict:
        row = activity.outcome
        row["publisher_id"] = self._publisher_id(activity)
        row["source_file_id"] = source_file.id()
        return row

    def _insert(self, new) -> list[tuple[int, ParsedActivity]]:
        self._insert_many(
            OUTCOME, [self._outcome_row(activity, source_file) for activity, source_file in new]
        )
        ids = self._ids_by_key(OUTCOME_IDS, {activity.key[0] for activity, _source_file in new})
        written = []
        for activity, _source_file in new:
            outcome_id = ids[activity.key]
            self.handled[activity.key] = (outcome_id, activity.outcome["content_sha256"])
            written.append((outcome_id, activity))
        self.report.outcomes_created += len(new)
        return written

    def _ids_by_key(self, statement, parents) -> dict[tuple, int]:
        """Ids of rows just inserted, by their natural key (faster than RETURNING, see
        _insert_many); the parents' rows are all ours, written in this transaction."""
        connection = self.session.connection()
        ids = {}
        parents = list(parents)
        for start in range(0, len(parents), IN_LIST_SIZE):
            rows = connection.execute(statement, {"parents": parents[start : start + IN_LIST_SIZE]})
            ids.update((tuple(key), row_id) for row_id, *key in rows)
        return ids

    def _replace(self, changed) -> list[tuple[int, ParsedActivity]]:
        outcome_ids = [outcome_id for outcome_id, _activity, _source_file in changed]
        result_ids = select(RESULT.c.id).where(RESULT.c.outcome_id.in_(outcome_ids))
        indicator_ids = select(INDICATOR.c.id).where(INDICATOR.c.result_id.in_(result_ids))
        self.session.execute(
            delete(INDICATOR_PERIOD).where(INDICATOR_PERIOD.c.indicator_id.in_(indicator_ids))
        )
        self.session.execute(delete(INDICATOR).where(INDICATOR.c.result_id.in_(result_ids)))
        self.session.execute(delete(RESULT).where(RESULT.c.outcome_id.in_(outcome_ids)))
        for table in OUTCOME_PARTS:
            self.session.execute(delete(table).where(table.c.outcome_id.in_(outcome_ids)))

        rows = []
        for outcome_id, activity, source_file in changed:
            row = self._outcome_row(activity, source_file)
            values = {f"new_{name}": row[name] for name in UPDATED_COLUMNS}
            rows.append({"outcome_key": outcome_id, **values})
            self.handled[activity.key] = (outcome_id, row["content_sha256"])
        self.session.execute(
            update(OUTCOME)
            .where(OUTCOME.c.id == bindparam("outcome_key"))
            .values({name: bindparam(f"new_{name}") for name in UPDATED_COLUMNS}),
            rows,
        )
        self.report.outcomes_updated += len(changed)
        return [(outcome_id, activity) for outcome_id, activity, _source_file in changed]

    def _insert_parts(self, written: list[tuple[int, ParsedActivity]]) -> None:
        budgets, transactions, organisations, classifications, progress = [], [], [], [], []
        recipients = []
        result_rows, indicators_by_result = [], {}
        for outcome_id, activity in written:
            for row in activity.budgets:
                row["outcome_id"] = outcome_id
                budgets.append(row)
            for row in activity.transactions:
                row["outcome_id"] = outcome_id
                transactions.append(row)
            for row in activity.participating_orgs:
                row["outcome_id"] = outcome_id
                organisations.append(row)
            for row in activity.classifications:
                row["outcome_id"] = outcome_id
                classifications.append(row)
            for row in activity.recipients:
                row["outcome_id"] = outcome_id
                recipients.append(row)
            for year, text in activity.progress.items():
                progress.append({"outcome_id": outcome_id, "year": year, "text": text})
            for result in activity.results:
                result.row["outcome_id"] = outcome_id
                result_rows.append(result.row)
                indicators_by_result[(outcome_id, result.row["position"])] = result.indicators

        for table, rows in (
            (BUDGET, budgets),
            (TRANSACTION, transactions),
            (PARTICIPATING_ORG, organisations),
            (CLASSIFICATION, classifications),
            (PROGRESS_NARRATIVE, progress),
            (RECIPIENT, recipients),
        ):
            if rows:
                self._insert_many(table, rows)
        if not result_rows:
            return

        self._insert_many(RESULT, result_rows)
        result_ids = self._ids_by_key(RESULT_IDS, {outcome_id for outcome_id, _activity in written})
        indicator_rows, periods_by_indicator = [], {}
        for key, indicators in indicators_by_result.items():
            result_id = result_ids[key]
            for indicator in indicators:
                indicator.row["result_id"] = result_id
                indicator_rows.append(indicator.row)
                periods_by_indicator[(result_id, indicator.row["position"])] = indicator.periods
        if not indicator_rows:
            return

        self._insert_many(INDICATOR, indicator_rows)
        indicator_ids = self._ids_by_key(INDICATOR_IDS, set(result_ids.values()))
        period_rows = []
        for key, periods in periods_by_indicator.items():
            indicator_id = indicator_ids[key]
            for row in periods:
                row["indicator_id"] = indicator_id
                period_rows.append(row)
        if period_rows:
            self._insert_many(INDICATOR_PERIOD, period_rows)

    def _insert_many(self, table, rows: list[dict]) -> None:
        """Rows that all have the same keys: COPY on PostgreSQL, else one executemany."""
        if self.is_postgresql:
            self._copy_many(table, rows)
        else:
            self._execute_many(table, rows)

    def _execute_many(self, table, rows: list[dict]) -> None:
        """One executemany of rows that all have the same keys, without per-row statement work.

        `session.execute(insert(table), rows)` builds each row's parameters one by one; here
        the columns' own bind processors (the dialect's, and NarrativesType's) run a column
        at a time over the batch, which made writing about 1.5 times faster (make bench).
        """
        connection = self.session.connection()
        key = (table.name, tuple(rows[0]))
        if key not in self.statements:
            dialect = connection.dialect
            compiled = insert(table).inline().compile(dialect=dialect, column_keys=list(rows[0]))
            names = list(compiled.positiontup) if compiled.positional else list(rows[0])
            processors = [
                table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
            ]
            self.statements[key] = (str(compiled), compiled.positional, names, processors)
        sql, positional, names, processors = self.statements[key]
        columns = list(zip(*map(itemgetter(*names), rows), strict=True))
        for index, processor in enumerate(processors):
            if processor is not None:
                columns[index] = _processed(columns[index], processor)
        if positional:
            parameters = list(zip(*columns, strict=True))
        else:
            parameters = [
                dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)
            ]
        connection.exec_driver_sql(sql, parameters)

    def _copy_many(self, table, rows: list[dict]) -> None:
        """Rows that all have the same keys, written with one COPY … FROM STDIN (PostgreSQL).

        An INSERT per row costs the server a statement each (parse, plan, executor start),
        which grew to most of a large import's time; COPY writes the same rows, in the same
        order (so they get the same ids from the sequence), in the import's own transaction
        (the psycopg connection under the session's). Values go as COPY's text format, read
        by the columns' input functions as a bound parameter's text would be; narratives as
        the JSON text the dialect would bind (json.dumps's, which dumps_texts writes).
        """
        connection = self.session.connection()
        key = (table.name, tuple(rows[0]))
        if key not in self.copies:
            names = list(rows[0])
            quote = connection.dialect.identifier_preparer.quote
            sql = (
                f"COPY {quote(table.name)} ({', '.join(quote(name) for name in names)}) FROM STDIN"
            )
            self.copies[key] = (sql, names, [_copy_converter(table.c[n].type) for n in names])
        sql, names, converters = self.copies[key]
        columns = list(zip(*map(itemgetter(*names), rows), strict=True))
        for index, converter in enumerate(converters):
            if converter is not None:
                columns[index] = _processed(columns[index], converter)
        with connection.connection.driver_connection.cursor() as cursor, cursor.copy(sql) as copy:
            write_row = copy.write_row
            for values in zip(*columns, strict=True):
                write_row(values)

    def _publisher_id(self, activity: ParsedActivity) -> int | None:
        publisher = activity.publisher
        if publisher is None:
            return None
        if publisher.ref in self.publisher_ids:
            return self.publisher_ids[publisher.ref]
        stored = self.session.execute(
            select(PUBLISHER.c.id, PUBLISHER.c.org_type, PUBLISHER.c.name).where(
                PUBLISHER.c.ref == publisher.ref
            )
        ).first()
        if stored is None:
            publisher_id = self.session.execute(
                insert(PUBLISHER)
                .values(ref=publisher.ref, org_type=publisher.org_type, name=publisher.name)
                .returning(PUBLISHER.c.id)
            ).scalar_one()
        else:
            publisher_id = stored.id
            if publisher.name and (
                dict(stored.name) != publisher.name or stored.org_type != publisher.org_type
            ):
                self.session.execute(
                    update(PUBLISHER)
                    .where(PUBLISHER.c.id == publisher_id)
                    .values(org_type=publisher.org_type, name=publisher.name)
                )
        self.publisher_ids[publisher.ref] = publisher_id
        return publisher_id

    def _ensure_countries(self, activities) -> None:
        """A minimal Country row for each recipient country (of single- and multi-country
        activities alike); existing rows are left alone."""
        if self.country_keys is None:
            rows = self.session.execute(select(COUNTRY.c.iso3, COUNTRY.c.iso2)).all()
            self.country_keys = ({row.iso3 for row in rows}, {row.iso2 for row in rows})
        known_iso3, known_iso2 = self.country_keys
        missing = []
        for iso3, code in (
            (recipient["country_iso3"], recipient["code"])
            for activity in activities
            for recipient in activity.recipients
            if recipient["kind"] == "country"
        ):
            if iso3 is None or iso3 in known_iso3:
                continue
            country = recipient_country(code.upper())
            known_iso3.add(iso3)
            if country is None or country.iso2 in known_iso2:
                continue
            known_iso2.add(country.iso2)
            missing.append(
                {
                    "iso3": country.iso3,
                    "iso2": country.iso2,
                    "m49": country.m49,
                    "region_m49": None,
                    "subregion_m49": None,
                    "intermediate_m49": None,
                    "english_name": country.english_name,
                }
            )
        if missing:
            self.session.execute(insert(COUNTRY), missing)
