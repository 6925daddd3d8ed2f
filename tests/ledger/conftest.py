"""All six real publishers' files imported together, and the same files read by the XML
oracle (tests/ledger/xml_ledger.py) for comparison."""

from __future__ import annotations

import pytest

from iati.test_real_files import REAL_FILES
from ledger import xml_ledger
from portal.iati.importer import import_sources

FILES = REAL_FILES


@pytest.fixture(scope="session")
def oracle(shared_data):
    return xml_ledger.load([shared_data / "iati-activities" / name for name in FILES])


@pytest.fixture
def six_files(db_session, shared_data):
    import_sources(db_session, [shared_data / "iati-activities" / name for name in FILES])
    db_session.flush()
    return db_session
