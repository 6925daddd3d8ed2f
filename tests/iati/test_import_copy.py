"""Issue 16: on PostgreSQL the importer writes its rows with COPY (portal.iati.importer's
_copy_many), so that a large import's time grows no faster than its size; the rows must be
exactly those the INSERTs wrote before: the same values, in the same order (ids from the
sequence in the same order), the same data-quality findings.

Each source is imported twice in the same database, in savepoints rolled back: by COPY, then
with COPY replaced by the executemany of INSERTs the other databases use; every row of every
table the import writes is compared, ids taken as their rank (the sequences do not roll back)
and foreign keys as the rank of the row they point at; data findings as a set (the checks
read rows in the order of the query's plan, which the first import's dead rows change). The
file written here has every transaction type and the texts COPY's text format must escape
(backslash, tab, newline, a literal \\N, quotes), and figures the columns round."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from portal.iati.importer import _OutcomeWriter, import_sources
from portal.iati.models import (
    Budget,
    Classification,
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
from portal.quality.models import DataFinding

# Each table the import writes, with its foreign keys to the tables before it.
TABLES = (
    (Publisher, {}),
    (SourceFile, {}),
    (Outcome, {"publisher_id": Publisher, "source_file_id": SourceFile}),
    (Result, {"outcome_id": Outcome}),
    (Indicator, {"result_id": Result}),
    (IndicatorPeriod, {"indicator_id": Indicator}),
    (Budget, {"outcome_id": Outcome}),
    (Transaction, {"outcome_id": Outcome}),
    (ParticipatingOrg, {"outcome_id": Outcome}),
    (Classification, {"outcome_id": Outcome}),
    (ProgressNarrative, {"outcome_id": Outcome}),
    (Recipient, {"outcome_id": Outcome}),
    (DataFinding, {"outcome_id": Outcome}),
)
# What a data finding's record_id points at, by its record.
FINDING_RECORDS = {
    "activity": Outcome,
    "result": Result,
    "indicator": Indicator,
    "indicator period": IndicatorPeriod,
    "budget": Budget,
    "transaction": Transaction,
    "recipient": Recipient,
}

# Texts COPY's text format escapes, and one a careless writer would turn into NULL.
AWKWARD = "Back\\slash, tab\tand\nnewline; \\N is not NULL; “quotes” \"and\" 'apostrophes' 🌍"
TRANSACTION = (
    '<transaction ref="T-{code}"><transaction-type code="{code}"/>'
    '<transaction-date iso-date="2022-0{month}-15"/>'
    '<value currency="{currency}" value-date="2022-0{month}-01">{value}</value>'
    "<description><narrative>Transaction {code}: {awkward}</narrative>"
    '<narrative xml:lang="fr">Opération {code}</narrative></description>'
    '<provider-org ref="XM-PROVIDER\\{code}&#9;x"><narrative>Provider {code}</narrative>'
    "</provider-org>"
    '<receiver-org ref="XM-RECEIVER-{code}"><narrative>N/A</narrative></receiver-org>'
    "</transaction>"
)


def _awkward_file(tmp_path: Path) -> Path:
    """Two activities: one with every transaction type (1–13) and every part the importer
    reads, one with almost nothing (NULLs and empty narratives)."""
    transactions = "".join(
        TRANSACTION.format(
            code=code,
            month=1 + code % 9,
            currency=("USD", "EUR", "XOF")[code % 3],
            value=("1234.5678", "-0.005", "0", "999999999999999999.99", "1e3")[code % 5],
            awkward=AWKWARD,
        )
        for code in range(1, 14)
    )
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03" generated-datetime="2024-05-01T10:00:00Z">
 <iati-activity default-currency="USD" xml:lang="en" hierarchy="2"
   last-updated-datetime="2024-04-30T12:34:56">
  <iati-identifier>XM-COPY-1</iati-identifier>
  <reporting-org ref="XM-COPY" type="40"><narrative>Copy test</narrative></reporting-org>
  <title><narrative>{AWKWARD}</narrative><narrative xml:lang="ar">عنوان</narrative></title>
  <description><narrative>TBD</narrative></description>
  <participating-org ref="XM-DAC-7" role="1" type="10"><narrative>Pays\\Bas</narrative>
  </participating-org>
  <participating-org role="4"/>
  <activity-status code="2"/>
  <activity-date iso-date="2021-01-01" type="1"/>
  <activity-date iso-date="2021-02-15" type="2"/>
  <activity-date iso-date="2023-12-31" type="3"/>
  <recipient-country code="ML" percentage="33.33333"><narrative>Mali</narrative>
  </recipient-country>
  <recipient-country code="QQ" percentage="33.3333"/>
  <recipient-region code="289" vocabulary="1" percentage="33.3"><narrative>Africa</narrative>
  </recipient-region>
  <sector vocabulary="99" code="D1.1" percentage="60.5"><narrative>Area\\1</narrative></sector>
  <sector vocabulary="1" code="15170" percentage="39.5"/>
  <tag vocabulary="2" code="5.1"><narrative>SDG target 5.1</narrative></tag>
  <budget type="1" status="1"><period-start iso-date="2021-01-01"/>
   <period-end iso-date="2022-06-30"/><value value-date="2021-01-01">100000.555</value></budget>
  <budget type="2" status="2"><period-start iso-date="2022-01-01"/>
   <period-end iso-date="2022-12-31"/>
   <value currency="EUR" value-date="2022-01-01">-5</value></budget>
  {transactions}
  <result type="2" aggregation-status="1">
   <title><narrative>Outcome result</narrative></title>
   <description><narrative>{AWKWARD}</narrative></description>
   <indicator measure="1" ascending="0">
    <title><narrative>Women with a loan</narrative></title>
    <baseline year="2020" value="12.5"><comment><narrative>x</narrative></comment></baseline>
    <period><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/>
     <target value="300"><comment><narrative>Target\\comment</narrative></comment></target>
     <actual value="280"><comment><narrative>Progress in 2021:
 {AWKWARD}</narrative></comment></actual></period>
    <period><period-start iso-date="2022-01-01"/><period-end iso-date="2022-12-31"/>
     <actual value="5"/></period>
   </indicator>
   <indicator measure="5"><title><narrative>Qualitative</narrative></title></indicator>
  </result>
  <result type="1"><title><narrative>Output</narrative></title>
   <indicator measure="1"><title><narrative>No values at all</narrative></title></indicator>
  </result>
 </iati-activity>
 <iati-activity>
  <iati-identifier>XM-COPY-2</iati-identifier>
  <title/>
  <transaction><transaction-type code="3"/></transaction>
 </iati-activity>
</iati-activities>
"""
    path = tmp_path / "copy-test.xml"
    path.write_text(text, encoding="utf-8")
    return path


def _snapshot(session) -> dict[str, list[tuple]]:
    """Every row of every table the import writes, in id order, ids as ranks."""
    ranks: dict[type, dict[int, int]] = {}
    snapshot: dict[str, list[tuple]] = {}
    for model, foreign_keys in TABLES:
        table = model.__table__
        rows = session.execute(select(table).order_by(table.c.id)).mappings().all()
        ranks[model] = {row["id"]: rank for rank, row in enumerate(rows)}
        kept = []
        for row in rows:
            values = dict(row)
            values["id"] = ranks[model][row["id"]]
            values.pop("imported_at", None)  # the source file's: when it was imported
            for column, parent in foreign_keys.items():
                if values[column] is not None:
                    values[column] = ranks[parent][values[column]]
            if model is DataFinding and values["record_id"] is not None:
                target = FINDING_RECORDS.get(values["record"])
                if target is not None:
                    values["record_id"] = ranks[target][values["record_id"]]
            if model is DataFinding:
                del values["id"]
            kept.append(tuple(sorted(values.items())))
        if model is DataFinding:
            kept.sort(key=repr)
        snapshot[table.name] = kept
    return snapshot


def _imported(session, source: Path) -> dict[str, list[tuple]]:
    savepoint = session.begin_nested()
    try:
        import_sources(session, [source])
        return _snapshot(session)
    finally:
        savepoint.rollback()


@pytest.fixture
def postgresql(db_session):
    if db_session.get_bind().dialect.name != "postgresql":
        pytest.skip("COPY is PostgreSQL's: the other databases write with INSERT")
    return db_session


def _copied_and_inserted(session, source: Path, monkeypatch) -> tuple[dict, dict, list]:
    copied_tables: list[str] = []
    copy_many = _OutcomeWriter._copy_many

    def counting_copy(writer, table, rows):
        copied_tables.append(table.name)
        copy_many(writer, table, rows)

    monkeypatch.setattr(_OutcomeWriter, "_copy_many", counting_copy)
    copied = _imported(session, source)
    monkeypatch.setattr(_OutcomeWriter, "_copy_many", _OutcomeWriter._execute_many)
    inserted = _imported(session, source)
    return copied, inserted, copied_tables


def test_copy_writes_what_the_inserts_wrote(postgresql, tmp_path, monkeypatch):
    copied, inserted, copied_tables = _copied_and_inserted(
        postgresql, _awkward_file(tmp_path), monkeypatch
    )
    # Every table an outcome's rows go to was written by COPY.
    assert set(copied_tables) == {model.__table__.name for model, _keys in TABLES[2:-1]}
    assert copied == inserted
    transactions = copied["iati_transaction"]
    assert len(transactions) == 14
    assert {dict(row)["type_code"] for row in transactions} == {str(c) for c in range(1, 14)}
    first = dict(copied["outcome"][0])
    assert first["title"]["en"] == AWKWARD
    assert dict(copied["participating_org"][0])["name"] == {"en": "Pays\\Bas"}
    assert dict(transactions[0])["provider_ref"] == "XM-PROVIDER\\1\tx"
    assert all(len(rows) for name, rows in copied.items()), "a table the test leaves empty"


def test_copy_writes_a_real_file_as_the_inserts_did(postgresql, shared_data, monkeypatch):
    """The UNDP file of the scale bench: several batches, and the statistics updated during
    the import and before its checks (over STATISTICS_FIRST_AT outcomes)."""
    source = shared_data / "iati-activities" / "undp-XM-DAC-41114.xml"
    copied, inserted, _tables = _copied_and_inserted(postgresql, source, monkeypatch)
    assert copied == inserted
    assert len(copied["outcome"]) == 1331 and len(copied["iati_transaction"]) == 13960
    assert len(copied["data_finding"]) == 1089
