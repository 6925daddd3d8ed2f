"""Data for the download tests: the bundled sample, and the real UN Women file."""

from __future__ import annotations

import pytest

from portal.countries.importer import import_country_files
from portal.iati.importer import import_sources
from portal.sample.operations import SAMPLE_ACTIVITIES, SAMPLE_COUNTRY_FACTS

UNWOMEN_FILE = "iati-activities/unwomen-XM-DAC-41146.xml"


@pytest.fixture
def sample_data(db_session):
    """The database `portal sample` builds, inside the test's rolled-back transaction."""
    import_country_files(db_session, [SAMPLE_COUNTRY_FACTS])
    import_sources(db_session, [SAMPLE_ACTIVITIES], is_sample=True)
    db_session.flush()
    return db_session


@pytest.fixture
def unwomen_data(db_session, shared_data):
    """UN Women's real (2021) IATI file, imported as an operator would."""
    import_sources(db_session, [shared_data / UNWOMEN_FILE])
    db_session.flush()
    return db_session
