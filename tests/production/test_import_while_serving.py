"""An import while visitors load pages: each sees the data before or after it, never a mix, and
nobody sees the old data once the import has finished (the page cache is on, as deployed)."""

from __future__ import annotations

import subprocess
import threading
import time

from bs4 import BeautifulSoup

from .servers import BIN, PROJECT_ROOT, get, gunicorn, portal_environment

IMPORTED_FILE = "iati-activities/gac-canada-CA-3.xml"  # 128 activities in 65 countries
DATA_VERSION_TTL = 2  # seconds, the production default (portal/config.py)


def outcome_counts(html: str) -> tuple[str, ...]:
    """The global overview's countries with their outcome counts (issue 20.1), as a visitor
    reads them: one entry per row of the countries table."""
    table = BeautifulSoup(html, "html.parser").select_one("#overview-countries")
    assert table is not None, "the home page shows no countries"
    rows = table.select("tbody tr")
    assert rows, "the home page's countries table is empty"
    return tuple(" ".join(row.get_text().split()) for row in rows)


def test_visitors_see_the_data_before_or_after_an_import(served_database, shared_data, tmp_path):
    environment = portal_environment(
        served_database.url, tmp_path, PORTAL_DATA_VERSION_TTL=str(DATA_VERSION_TTL)
    )
    seen: list[tuple[float, float, tuple[str, ...]]] = []  # (asked at, answered at, counts)
    stop = threading.Event()
    failures: list[str] = []

    with gunicorn(environment, workers=2) as base_url:
        status, html = get(base_url + "/en/", timeout=60)
        assert status == 200
        before = outcome_counts(html)

        def visitor() -> None:
            while not stop.is_set():
                asked = time.monotonic()
                status, html = get(base_url + "/en/")
                if status != 200:
                    failures.append(f"{status} during the import")
                    continue
                seen.append((asked, time.monotonic(), outcome_counts(html)))

        visitors = [threading.Thread(target=visitor) for _ in range(3)]
        for thread in visitors:
            thread.start()
        import_started = time.monotonic()
        done = subprocess.run(
            [str(BIN / "portal"), "import-iati", str(shared_data / IMPORTED_FILE)],
            cwd=PROJECT_ROOT,
            env={**environment, "PORTAL_ENV": "development"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        import_finished = time.monotonic()
        assert done.returncode == 0, done.stderr
        time.sleep(DATA_VERSION_TTL + 1)  # visitors keep coming after the import
        stop.set()
        for thread in visitors:
            thread.join(timeout=60)
        status, html = get(base_url + "/en/")
        after = outcome_counts(html)

    assert not failures, failures[:5]
    assert before != after, "the import changed nothing a visitor can see"
    states = {counts for _, _, counts in seen}
    assert states <= {before, after}, [s for s in states if s not in (before, after)][:1]
    during = [s for s in seen if s[0] < import_finished and s[1] > import_started]
    assert len(during) >= 3, "no visitor was served while the import ran"
    # Each worker rereads the data version at least every PORTAL_DATA_VERSION_TTL seconds.
    late = [counts for asked, _, counts in seen if asked > import_finished + DATA_VERSION_TTL]
    assert late and all(counts == after for counts in late), "old data after the import"
