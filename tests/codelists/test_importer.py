"""`portal import-codelists`: IATI codelists with their French names, all or nothing."""

from __future__ import annotations

import http.server
import threading
from functools import partial

import pytest
from sqlalchemy import func, select

from portal.codelists.importer import CodelistImportError, import_codelists, parse_codelist
from portal.codelists.models import CodelistEntry
from portal.codelists.queries import codelist_labels
from portal.iati.models import ImportRun

RESULT_TYPES = b"""<?xml version="1.0"?>
<codelist name="ResultType" xml:lang="en" complete="1">
  <codelist-items>
    <codelist-item>
      <code>1</code>
      <name><narrative>Output</narrative><narrative xml:lang="FR">Extrant</narrative></name>
      <description><narrative>Results of the activity.</narrative></description>
    </codelist-item>
    <codelist-item status="withdrawn" withdrawal-date="2019-12-31">
      <code> 2 </code>
      <name><narrative>Outcome</narrative></name>
      <category>B</category>
    </codelist-item>
    <codelist-item>
      <code>1</code>
      <name><narrative>A second code 1, ignored</narrative></name>
    </codelist-item>
    <codelist-item><code>9</code></codelist-item>
  </codelist-items>
</codelist>
"""


def _count(session, codelist: str) -> int:
    return session.scalar(
        select(func.count()).select_from(CodelistEntry).where(CodelistEntry.codelist == codelist)
    )


def test_parse_reads_names_by_language_status_and_category():
    codelist = parse_codelist(RESULT_TYPES, "ResultType.xml")
    assert codelist.name == "ResultType"
    output, outcome, other = codelist.items
    assert output.names == {"en": "Output", "fr": "Extrant"}
    assert output.descriptions == {"en": "Results of the activity."}
    assert not output.withdrawn
    assert (outcome.code, outcome.withdrawn, outcome.category) == ("2", True, "B")
    # A code without a name is labelled by itself rather than dropped.
    assert other.names == {"en": "9"}


@pytest.mark.parametrize(
    "content",
    [b"<codelist name='X'><unclosed></codelist>", b"<iati-activities/>", b"<codelist/>"],
)
def test_parse_refuses_what_is_not_a_codelist(content):
    with pytest.raises(CodelistImportError, match="broken.xml"):
        parse_codelist(content, "broken.xml")


def test_import_real_codelists_french_where_published_english_otherwise(db_session, shared_data):
    codelists = shared_data / "iati-codelists"
    report = import_codelists(
        db_session, [str(codelists / "embedded"), str(codelists / "non-embedded" / "Sector.xml")]
    )
    names = [codelist.name for codelist in report.codelists]
    assert "TransactionType" in names and "Sector" in names
    transaction_types = codelist_labels(db_session, "TransactionType", "fr")
    assert transaction_types["3"] == "Décaissement"
    assert codelist_labels(db_session, "TransactionType", "en")["3"] == "Disbursement"
    # IATI publishes no Spanish: Spanish visitors read the English names.
    assert codelist_labels(db_session, "TransactionType", "es")["3"] == "Disbursement"
    sectors = codelist_labels(db_session, "Sector", "fr")
    assert sectors["11321"] == "Premier cycle de l'enseignement secondaire"  # withdrawn, kept
    assert len(sectors) == len(codelist_labels(db_session, "Sector", "en"))
    # Sectors without a French name fall back to English instead of disappearing.
    english_only = db_session.scalars(
        select(CodelistEntry.code)
        .where(CodelistEntry.codelist == "Sector", CodelistEntry.lang == "en")
        .except_(
            select(CodelistEntry.code).where(
                CodelistEntry.codelist == "Sector", CodelistEntry.lang == "fr"
            )
        )
    ).all()
    assert english_only
    english = codelist_labels(db_session, "Sector", "en")
    assert all(sectors[code] == english[code] for code in english_only)
    assert db_session.scalar(select(ImportRun).where(ImportRun.kind == "codelists")) is not None


def test_reimport_replaces_the_codelist(db_session, tmp_path):
    first = tmp_path / "first.xml"
    first.write_bytes(RESULT_TYPES)
    import_codelists(db_session, [str(first)])
    assert codelist_labels(db_session, "ResultType", "fr") == {
        "1": "Extrant",
        "2": "Outcome",
        "9": "9",
    }
    second = tmp_path / "second.xml"
    second.write_bytes(RESULT_TYPES.replace(b"<code>9</code>", b"<code>3</code>"))
    import_codelists(db_session, [str(second)])
    assert sorted(codelist_labels(db_session, "ResultType", "en")) == ["1", "2", "3"]


def test_a_bad_file_imports_nothing(db_session, tmp_path):
    good = tmp_path / "a.xml"
    good.write_bytes(RESULT_TYPES)
    import_codelists(db_session, [str(good)])
    before = _count(db_session, "ResultType")
    changed = tmp_path / "b.xml"
    changed.write_bytes(RESULT_TYPES.replace(b"Extrant", b"Changed"))
    broken = tmp_path / "c.xml"
    broken.write_bytes(b"<codelist name='Sector'><codelist-items>")
    with pytest.raises(CodelistImportError, match="c.xml"):
        import_codelists(db_session, [str(changed), str(broken)])
    assert _count(db_session, "ResultType") == before
    assert codelist_labels(db_session, "ResultType", "fr")["1"] == "Extrant"
    assert _count(db_session, "Sector") == 0


def test_import_from_a_url(db_session, tmp_path):
    (tmp_path / "ResultType.xml").write_bytes(RESULT_TYPES)
    handler = partial(QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/ResultType.xml"
        import_codelists(db_session, [url])
        with pytest.raises(CodelistImportError, match="could not download"):
            import_codelists(db_session, [url.replace("ResultType", "Missing")])
    finally:
        server.shutdown()
        server.server_close()
    assert codelist_labels(db_session, "ResultType", "fr")["1"] == "Extrant"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


def test_command_imports_a_directory(runner, db_session, shared_data):
    result = runner.invoke(
        args=["import-codelists", str(shared_data / "iati-codelists" / "embedded")]
    )
    assert result.exit_code == 0, result.output
    assert "OrganisationRole: 4 codes (0 withdrawn); names en: 4, fr: 4" in result.output
    assert "Imported 9 codelists." in result.output
    assert codelist_labels(db_session, "OrganisationRole", "fr")["4"] == "Mise en œuvre"


def test_command_reports_a_missing_path(runner, db_session, tmp_path):
    result = runner.invoke(args=["import-codelists", str(tmp_path / "nowhere")])
    assert result.exit_code != 0
    assert "no such file, directory or http(s) URL. Nothing was imported." in result.output
    assert _count(db_session, "OrganisationRole") == 0
