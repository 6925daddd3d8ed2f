"""`portal import-iati` as an operator runs it: one transaction, clear failures, safe parsing."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from iati.counting import EVERY_TABLE
from portal.iati.models import ImportRun, Outcome, ParticipatingOrg, SourceFile

FIXTURES = Path(__file__).parent / "fixtures"
VERSION_201 = FIXTURES / "iati-2.01-mali.xml"
ARABIC = FIXTURES / "iati-arabic-rtl.xml"


def _row_counts(session) -> dict[str, int]:
    return {
        model.__tablename__: session.scalar(select(func.count()).select_from(model))
        for model in EVERY_TABLE
    }


def _import(runner, *sources, allow_private=False):
    flags = ["--allow-private"] if allow_private else []
    return runner.invoke(args=["import-iati", *flags, *(str(source) for source in sources)])


def _stored_text(session) -> str:
    """Everything an activity's narratives and copy could carry, as one string."""
    parts = []
    for outcome in session.scalars(select(Outcome)):
        parts += [str(outcome.title), str(outcome.description), outcome.source_xml.decode()]
    parts += [str(name) for name in session.scalars(select(ParticipatingOrg.name))]
    return "\n".join(parts)


@pytest.fixture
def loaded(runner, db_session):
    """A database that already holds one import, so a failed run has something to keep."""
    result = _import(runner, ARABIC)
    assert result.exit_code == 0, result.output
    return _row_counts(db_session)


def test_import_commits_and_prints_the_report(runner, db_session):
    result = _import(runner, VERSION_201, ARABIC)

    assert result.exit_code == 0, result.output
    assert "Activities: 3 (new 3, updated 0, unchanged 0)" in result.output
    assert "Outputs (results): 2" in result.output
    assert "Budgets: 3" in result.output
    assert "Transactions: 1" in result.output
    assert "Narratives per language: fr " in result.output
    assert db_session.scalar(select(func.count()).select_from(Outcome)) == 3
    assert db_session.scalar(select(func.count()).select_from(ImportRun)) == 1

    again = _import(runner, VERSION_201, ARABIC)
    assert again.exit_code == 0, again.output
    assert "Activities: 3 (new 0, updated 0, unchanged 3)" in again.output


def test_truncated_file_fails_with_file_and_line_and_changes_nothing(
    runner, db_session, loaded, tmp_path
):
    truncated = tmp_path / "truncated.xml"
    text = VERSION_201.read_text(encoding="utf-8")
    truncated.write_text(text[: text.index("<result")], encoding="utf-8")
    last_line = text[: text.index("<result")].count("\n") + 1

    result = _import(runner, VERSION_201, truncated)

    assert result.exit_code != 0
    message = result.output.strip().splitlines()[-1]
    assert f"{truncated}:{last_line}: not well-formed XML" in message
    assert _row_counts(db_session) == loaded  # the good first file was rolled back too


def test_non_xml_file_fails_and_changes_nothing(runner, db_session, loaded, tmp_path):
    not_xml = tmp_path / "activities.xml"
    not_xml.write_text("iati-identifier,title\nXM-1,Not XML at all\n", encoding="utf-8")

    result = _import(runner, not_xml)

    assert result.exit_code != 0
    assert f"{not_xml}:1: not well-formed XML" in result.output
    assert _row_counts(db_session) == loaded


def test_xml_that_is_not_iati_fails(runner, db_session, loaded, tmp_path):
    page = tmp_path / "page.xml"
    page.write_text("<html><body><p>Not found</p></body></html>", encoding="utf-8")

    result = _import(runner, page)

    assert result.exit_code != 0
    assert "not an IATI activity file" in result.output
    assert _row_counts(db_session) == loaded


def test_missing_file_fails(runner, db_session, loaded, tmp_path):
    result = _import(runner, tmp_path / "nowhere.xml")

    assert result.exit_code != 0
    assert "nowhere.xml: no such file" in result.output
    assert _row_counts(db_session) == loaded


def _activity_with(doctype: str, title: str, identifier: str = "XM-TEST-ENTITY-1") -> str:
    return f"""<?xml version="1.0"?>
{doctype}
<iati-activities version="2.03">
 <iati-activity xml:lang="en">
  <iati-identifier>{identifier}</iati-identifier>
  <title><narrative>{title}</narrative></title>
 </iati-activity>
</iati-activities>
"""


def test_external_entities_never_read_local_files(runner, db_session, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOKEN-7f3a9c-must-not-leak", encoding="utf-8")
    general = tmp_path / "xxe.xml"
    general.write_text(
        _activity_with(
            f'<!DOCTYPE iati-activities [<!ENTITY leak SYSTEM "file://{secret}">]>',
            "Before &leak; after",
        ),
        encoding="utf-8",
    )
    parameter = tmp_path / "xxe-parameter.xml"
    parameter.write_text(
        _activity_with(
            f'<!DOCTYPE iati-activities [<!ENTITY % leak SYSTEM "{secret}"> %leak;]>',
            "Parameter entity",
            identifier="XM-TEST-ENTITY-2",
        ),
        encoding="utf-8",
    )

    for attempt in (general, parameter):
        result = _import(runner, attempt)
        assert "TOKEN-7f3a9c" not in result.output
        if result.exit_code == 0:
            assert "document type declaration ignored" in result.output

    assert "TOKEN-7f3a9c" not in _stored_text(db_session)
    title = db_session.scalar(
        select(Outcome.title).where(Outcome.iati_identifier == "XM-TEST-ENTITY-1")
    )
    assert title == {"en": "Before  after"}  # the reference is dropped, not resolved


def test_entity_bomb_fails_fast_or_stays_small(runner, db_session, loaded, tmp_path):
    levels = "".join(f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10))
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        _activity_with(f'<!DOCTYPE iati-activities [<!ENTITY lol0 "lol">{levels}]>', "&lol9;"),
        encoding="utf-8",
    )

    started = time.monotonic()
    result = _import(runner, bomb)

    assert time.monotonic() - started < 10
    if result.exit_code == 0:  # an older libxml2 keeps the reference unexpanded
        assert (
            db_session.scalar(
                select(Outcome.title).where(Outcome.iati_identifier == "XM-TEST-ENTITY-1")
            )
            == {}
        )
        assert len(_stored_text(db_session)) < 100_000
    else:
        assert f"{bomb}:" in result.output
        assert _row_counts(db_session) == loaded


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the standard library's signature
        pass


@contextmanager
def _serving(directory: Path) -> Iterator[str]:
    """A web server on 127.0.0.1 for the test's files (a loopback address: importing from it
    needs --allow-private); yields its base URL."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(_QuietHandler, directory=str(directory))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_url_is_downloaded_and_recorded(runner, db_session, tmp_path):
    (tmp_path / "arabic.xml").write_bytes(ARABIC.read_bytes())

    with _serving(tmp_path) as base:
        result = _import(runner, f"{base}/arabic.xml", allow_private=True)

    assert result.exit_code == 0, result.output
    assert "Activities: 1 (new 1" in result.output
    assert db_session.scalar(select(SourceFile.location)) == f"{base}/arabic.xml"


def test_download_larger_than_the_cap_fails(app, runner, db_session, loaded, tmp_path, monkeypatch):
    (tmp_path / "arabic.xml").write_bytes(ARABIC.read_bytes())
    monkeypatch.setitem(app.config, "PORTAL_DOWNLOAD_MAX_BYTES", 1000)

    with _serving(tmp_path) as base:
        result = _import(runner, f"{base}/arabic.xml", allow_private=True)

    assert result.exit_code != 0
    assert f"{base}/arabic.xml: download stopped: larger than 1000 bytes" in result.output
    assert _row_counts(db_session) == loaded


def test_download_error_fails(runner, db_session, loaded, tmp_path):
    with _serving(tmp_path) as base:
        result = _import(runner, f"{base}/missing.xml", allow_private=True)

    assert result.exit_code != 0
    assert f"{base}/missing.xml: download failed: HTTP 404" in result.output
    assert _row_counts(db_session) == loaded


def test_an_import_updates_the_planners_statistics(runner, db_session):
    """Issue 16.1: after an import the planner knows the new row counts (ANALYZE)."""
    result = _import(runner, VERSION_201, ARABIC)
    assert result.exit_code == 0, result.output
    if db_session.get_bind().dialect.name == "sqlite":
        analysed = db_session.execute(
            text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'outcome'")
        ).scalar()
        assert analysed > 0
    else:
        rows = db_session.execute(
            text("SELECT reltuples FROM pg_class WHERE relname = 'outcome'")
        ).scalar()
        assert rows == 3  # -1 until the table is first analysed
