"""gunicorn with two workers under concurrent visitors (bounded, loopback): no error, no 5xx."""

from __future__ import annotations

import itertools
import time
from concurrent.futures import ThreadPoolExecutor

from .servers import get, gunicorn, portal_environment

REQUESTS = 400
VISITORS = 8
TIME_CAP_SECONDS = 60
PAGES = [
    ("/en/", {}),
    ("/fr/", {}),
    ("/es/countries/", {}),
    ("/en/countries/MLI/", {}),
    ("/fr/countries/MLI/progress", {}),
    ("/en/countries/MLI/progress?page=2", {"HX-Request": "true"}),
    ("/en/countries/SEN/results-resources", {}),
    ("/static/css/portal.css", {"Accept-Encoding": "br, gzip"}),
]


def test_concurrent_visitors_get_every_page(served_database, tmp_path):
    environment = portal_environment(served_database.url, tmp_path)
    with gunicorn(environment, workers=2) as base_url:
        # Each worker renders each page once first (templates compile, the map is drawn).
        for path, headers in PAGES:
            assert get(base_url + path, headers, timeout=60)[0] == 200, path
        requests = list(itertools.islice(itertools.cycle(PAGES), REQUESTS))
        started = time.monotonic()
        with ThreadPoolExecutor(VISITORS) as visitors:
            statuses = list(
                visitors.map(lambda page: get(base_url + page[0], page[1])[0], requests)
            )
        elapsed = time.monotonic() - started
    assert len(statuses) == REQUESTS
    assert set(statuses) == {200}, sorted(set(statuses))
    assert elapsed < TIME_CAP_SECONDS, f"{REQUESTS} requests took {elapsed:.0f} s"
