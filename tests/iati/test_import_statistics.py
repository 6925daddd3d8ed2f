"""Issue 16: a large import on PostgreSQL keeps the planner's statistics current as its tables
grow, so that each batch's lookups by identifier use the index instead of reading every outcome
(the ×10 UNDP import's time grew 13× before, 8× after: `make bench`, benchmarks/scale.py), and
updates the other tables' statistics before the data-quality checks read them."""

from __future__ import annotations

from types import SimpleNamespace

from portal.iati.importer import STATISTICS_FIRST_AT, ImportReport, _OutcomeWriter


class _Recorder:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def exec_driver_sql(self, statement: str) -> None:
        self.statements.append(statement)


def _writer(dialect: str) -> tuple[_OutcomeWriter, _Recorder]:
    recorder = _Recorder()
    session = SimpleNamespace(
        get_bind=lambda: SimpleNamespace(dialect=SimpleNamespace(name=dialect)),
        connection=lambda: recorder,
    )
    return _OutcomeWriter(session, ImportReport()), recorder


def _analyzed_at(writer: _OutcomeWriter, recorder: _Recorder, batches: int, size: int) -> list:
    """How many outcomes had been written at each ANALYZE, batch after batch."""
    at = []
    for _batch in range(batches):
        writer.written_ids.extend(range(size))
        before = len(recorder.statements)
        writer._keep_statistics()
        if len(recorder.statements) > before:
            at.append(len(writer.written_ids))
    return at


def test_statistics_are_updated_each_time_the_written_rows_double_on_postgresql():
    writer, recorder = _writer("postgresql")
    at = _analyzed_at(writer, recorder, batches=70, size=200)  # the ×10 UNDP file: 13,310
    assert at == [1000, 2000, 4000, 8000]
    assert at[0] == STATISTICS_FIRST_AT
    assert set(recorder.statements) == {"ANALYZE outcome, result, indicator, indicator_period"}


def test_sqlite_needs_no_statistics_during_the_import():
    writer, recorder = _writer("sqlite")
    assert _analyzed_at(writer, recorder, batches=70, size=200) == []
    assert recorder.statements == []


def test_the_checked_tables_are_analyzed_once_before_the_checks_of_a_large_import():
    """The data-quality checks read transactions, budgets… a chunk of outcomes at a time: planned
    without statistics, each chunk read every transaction of the database."""
    writer, recorder = _writer("postgresql")
    _analyzed_at(writer, recorder, batches=4, size=200)  # 800 outcomes: none yet
    writer.statistics_for_checks()
    assert recorder.statements == []
    _analyzed_at(writer, recorder, batches=66, size=200)
    before = len(recorder.statements)
    writer.statistics_for_checks()
    assert recorder.statements[before:] == [
        "ANALYZE budget, iati_transaction, participating_org, classification, "
        "progress_narrative, recipient"
    ]


def test_sqlite_needs_no_statistics_before_the_checks():
    writer, recorder = _writer("sqlite")
    _analyzed_at(writer, recorder, batches=70, size=200)
    writer.statistics_for_checks()
    assert recorder.statements == []
