"""`make bench`: does the portal keep its pace when a publisher's file is ten times as large?

`python -m benchmarks.scale` takes the real UNDP file (undp-XM-DAC-41114.xml from
PORTAL_SHARED_DATA) and writes, in a temporary folder, a copy ten times as large whose
activities get new identifiers (benchmarks/import_speed.py's write_larger_copy). For each of
the two sizes (×1, ×10) it builds a database as an operator would: `portal db upgrade`,
`portal import-codelists` and `portal import-countries` with the shared codelists and country
files (built once, then copied), then the activities are imported in a fresh Python process
(import_speed's round, import only): the import's wall time (parse, write, commit; not the
start of the process) and the process's peak memory (getrusage, the Python process only: a
PostgreSQL server's own memory is not counted). Each file is imported into three databases of
its own and the median round of each size is the one the ratios compare (an import on a shared
machine is noisy, a short one the most; the same median of three at both sizes, every round's
time printed). The statistics update that `portal import-iati` ends with (ANALYZE) runs right
after, timed apart.

Each database is then served by gunicorn with the production settings (portal/gunicorn_conf.py,
PORTAL_ENV=production) and the page cache off (PORTAL_CACHE_ENABLED=0), and Haiti's Overview
(/en/countries/HTI/) is loaded as benchmarks/http_speed.py does, after its warm-up: one client
for a few seconds (p50 latency of an uncached render), the Overview and a search for a common
word in turn, a second each on one connection, then concurrent keep-alive clients
(requests per second), and the bare Flask route (benchmarks/bare_app.py) under the same load
for the aim "uncached Overview ≥ 0.1 × bare at ×1". The uncompressed HTML of the Overview,
Results and resources and Strategic plan tabs is weighed at both sizes. All of it on SQLite,
and on PostgreSQL too when PORTAL_TEST_DATABASE_URL names a server (throw-away databases,
dropped at the end).

Targets (issue 16), per database: Overview p50 ×10/×1 ≤ 1.3, import time ×10/×1 ≤ 11, peak
memory ×10/×1 ≤ 1.2, and no page measured above 150 KB of HTML at ×10; exits 1 when one is
missed. `--imports-only` runs the imports alone (no serving) and checks the import targets.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.http_speed import (
    ACCEPT_ENCODING,
    PORTAL,
    PROJECT_ROOT,
    Measurement,
    fetch,
    gunicorn,
    measure,
    measure_in_turn,
    production_environment,
    warm_up,
)
from benchmarks.import_speed import FILE_NAME, _in_fresh_process, write_larger_copy
from benchmarks.postgresql import create_postgresql_database, drop_postgresql_database
from portal.config import shared_data_folder

COPIES = 10
COUNTRY = "HTI"
PAGES = {
    "Overview": f"/en/countries/{COUNTRY}/",
    "Results and resources": f"/en/countries/{COUNTRY}/results-resources",
    "Strategic plan": f"/en/countries/{COUNTRY}/strategic-plan",
}
P50_RATIO_TARGET = 1.3
IMPORT_RATIO_TARGET = 11.0
PEAK_RATIO_TARGET = 1.2
HTML_TARGET_KB = 150  # × 1000 bytes, as tests/ledger/test_page_sizes.py counts them
# Search (issue 20.2): a common word, uncached, at ×10, as a share of the uncached Overview's
# p50 in the same run.
SEARCH_PATH = "/en/search/?q=development"
# One client's latency (the Overview's and the search's, in turn) is measured for this many
# times the measurements' duration.
LATENCY_ROUNDS = 3
SEARCH_RATIO_TARGET = 1.0
BARE_AIM = 0.1  # uncached Overview's throughput as a share of the bare route's (an aim)
IMPORT_ROUNDS = 3  # imports of each size, each into a database of its own: their median counts
DATABASES = 2 * IMPORT_ROUNDS  # of each kind: three for the ×1 file, then three for the ×10 one
COUNTRY_FILES = (
    "unsd_m49_countries.csv",
    "full_country_list_with_stats.csv",
    "hdx-countries-territories-taxonomy.csv",
    "HDR23-24_Composite_indices_complete_time_series.csv",
)
SCALES = ("×1", f"×{COPIES}")


@dataclass(frozen=True)
class Served:
    single: Measurement  # one client: the latency of an uncached render
    load: Measurement  # concurrent clients: the throughput
    html_bytes: dict[str, int | None]  # None: the page did not answer 200
    bare: Measurement  # the bare Flask route under the same load, just after
    search: Measurement  # one client searching for a common word (uncached)


# --- Databases -------------------------------------------------------------------------------


def _portal(environment: dict[str, str], *arguments: str) -> None:
    done = subprocess.run(
        [str(PORTAL), *arguments], cwd=PROJECT_ROOT, env=environment, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"portal {arguments[0]} failed:\n{done.stderr or done.stdout}")


def build_reference(environment: dict[str, str]) -> None:
    """Schema, codelists and country facts, with the `portal` commands an operator runs."""
    shared = shared_data_folder()
    _portal(environment, "db", "upgrade")
    codelists = shared / "iati-codelists"
    _portal(
        environment,
        "import-codelists",
        str(codelists / "embedded"),
        str(codelists / "non-embedded"),
    )
    _portal(
        environment, "import-countries", *(str(shared / "countries" / n) for n in COUNTRY_FILES)
    )


@contextlib.contextmanager
def sqlite_databases(workdir: Path) -> Iterator[list[str]]:
    """The reference database built once, copied for each size; the files go with workdir."""
    reference = workdir / "reference.sqlite3"
    build_reference(production_environment(f"sqlite:///{reference}", workdir))
    urls = []
    for index in range(DATABASES):
        copy = workdir / f"scale-{index}.sqlite3"
        with (
            contextlib.closing(sqlite3.connect(reference)) as source,
            contextlib.closing(sqlite3.connect(copy)) as target,
        ):
            source.backup(target)
        urls.append(f"sqlite:///{copy}")
    yield urls


@contextlib.contextmanager
def postgresql_databases(server_url: str, workdir: Path) -> Iterator[list[str]]:
    """Throw-away databases on the server of `server_url`: the reference, then one copy of it
    (CREATE DATABASE … TEMPLATE) per size; all dropped at the end."""
    prefix = f"portal_scale_{os.getpid()}"
    names = [f"{prefix}_reference"] + [f"{prefix}_{index}" for index in range(DATABASES)]
    try:
        reference = create_postgresql_database(server_url, names[0])
        build_reference(production_environment(reference, workdir))
        yield [create_postgresql_database(server_url, name, names[0]) for name in names[1:]]
    finally:
        for name in names:
            drop_postgresql_database(server_url, name)


def _median_run(runs: list[dict]) -> dict:
    """The import round whose wall time is the median (its memory and counts with it)."""
    ordered = sorted(runs, key=lambda run: run["import"]["wall"])
    return ordered[len(ordered) // 2]


# --- Serving ---------------------------------------------------------------------------------


def serve_and_measure(
    database_url: str, workdir: Path, duration: float, connections: int
) -> Served:
    environment = {**production_environment(database_url, workdir), "PORTAL_CACHE_ENABLED": "0"}
    headers = {"Accept-Encoding": ACCEPT_ENCODING}
    with (
        gunicorn("wsgi:app", environment) as base_url,
        gunicorn("benchmarks.bare_app:app", environment) as bare_url,
    ):
        overview = base_url + PAGES["Overview"]
        status, _body, _type = fetch(overview)
        if status != 200:
            raise SystemExit(f"{PAGES['Overview']} answered {status}")
        warm_up(overview, headers, connections)
        search_url = base_url + SEARCH_PATH
        status, _body, _type = fetch(search_url)
        if status != 200:
            raise SystemExit(f"{SEARCH_PATH} answered {status}")
        warm_up(search_url, headers, 1)
        # One client, the Overview and the search in turn, a second each: a busy moment of
        # the machine falls on both alike.
        single, search = measure_in_turn([overview, search_url], headers, LATENCY_ROUNDS * duration)
        load = measure(overview, headers, duration, connections)
        html_bytes: dict[str, int | None] = {}
        for name, path in PAGES.items():
            status, body, _type = fetch(base_url + path)
            html_bytes[name] = len(body) if status == 200 else None
        warm_up(bare_url + "/", {}, connections)
        bare = measure(bare_url + "/", {}, duration, connections)
    return Served(single, load, html_bytes, bare, search)


# --- Report ----------------------------------------------------------------------------------


def _ratio(large: float, small: float) -> float:
    return large / small if small else float("nan")


def _kb(size: int | None) -> str:
    return "not 200" if size is None else f"{size / 1000:.1f} KB"


def report(
    kind: str, rounds: list[list[dict]], served: list[Served] | None
) -> list[tuple[str, bool]]:
    """Print one database's results (`rounds`: the import rounds of each size; `served`: None
    with --imports-only); its targets, each with whether it is met."""
    imports = [_median_run(runs) for runs in rounds]
    counts = " and ".join(str(run["activities"]) for run in imports)
    rows = [
        ("import (wall), median", [r["import"]["wall"] for r in imports], "s", 2),
        ("import (CPU of the Python process)", [r["import"]["cpu"] for r in imports], "s", 2),
        ("peak memory of the import", [r["peak_mb"] for r in imports], "MB", 0),
        ("ANALYZE after it (not in its time)", [r["statistics"]["wall"] for r in imports], "s", 2),
    ]
    if served is not None:
        rows += [
            ("Overview p50, 1 client", [s.single.p50_ms for s in served], "ms", 1),
            ("Overview p99, 1 client", [s.single.p99_ms for s in served], "ms", 1),
            ("Overview req/s, concurrent", [s.load.requests_per_second for s in served], "", 1),
            ("Overview p50, concurrent", [s.load.p50_ms for s in served], "ms", 1),
            ("Search p50, 1 client", [s.search.p50_ms for s in served], "ms", 1),
        ]
    print(f"\n{kind} ({counts} activities imported)")
    print(f"  {'':36} {SCALES[0]:>14} {SCALES[1]:>14} {'×10/×1':>8}")
    for label, (small, large), unit, digits in rows:
        print(
            f"  {label:36} {small:10.{digits}f} {unit:3} {large:10.{digits}f} {unit:3} "
            f"{_ratio(large, small):8.2f}"
        )
    for scale, runs in zip(SCALES, rounds, strict=True):
        walls = ", ".join(f"{run['import']['wall']:.2f}" for run in runs)
        print(f"  import rounds {scale} (wall, s): {walls}")
    import_ratio = _ratio(imports[1]["import"]["wall"], imports[0]["import"]["wall"])
    peak = _ratio(imports[1]["peak_mb"], imports[0]["peak_mb"])
    import_targets = [
        (
            f"{kind}: import time ×10/×1 ≤ {IMPORT_RATIO_TARGET:g}: {import_ratio:.2f} "
            f"(medians of {len(rounds[0])} and {len(rounds[1])} rounds)",
            import_ratio <= IMPORT_RATIO_TARGET,
        ),
        (
            f"{kind}: peak memory ×10/×1 ≤ {PEAK_RATIO_TARGET:g}: {peak:.2f}",
            peak <= PEAK_RATIO_TARGET,
        ),
    ]
    if served is None:
        return import_targets
    print("  Uncompressed HTML of the tabs:")
    for name in PAGES:
        small, large = (s.html_bytes[name] for s in served)
        print(f"  {'HTML ' + name:36} {_kb(small):>14} {_kb(large):>14}")
    aim = _ratio(served[0].load.requests_per_second, served[0].bare.requests_per_second)
    print(
        f"  Aim (not a target): uncached Overview at ×1 ≥ {BARE_AIM:g} × the bare Flask route: "
        f"{served[0].load.requests_per_second:.0f} / {served[0].bare.requests_per_second:.0f} "
        f"req/s = {aim:.2f} — {'reached' if aim >= BARE_AIM else 'not reached'}"
    )
    errors = sum(m.errors for s in served for m in (s.single, s.load, s.bare, s.search))
    if errors:
        print(f"  {errors} requests failed or answered an error status")

    p50 = _ratio(served[1].single.p50_ms, served[0].single.p50_ms)
    search_ratio = _ratio(served[1].search.p50_ms, served[1].single.p50_ms)
    sizes = served[1].html_bytes
    largest = max(sizes, key=lambda name: -1 if sizes[name] is None else sizes[name])
    html_within = all(size is not None and size <= HTML_TARGET_KB * 1000 for size in sizes.values())
    return [
        (
            f"{kind}: uncached Overview p50 ×10/×1 ≤ {P50_RATIO_TARGET:g}: {p50:.2f}",
            p50 <= P50_RATIO_TARGET,
        ),
        *import_targets,
        (
            f"{kind}: search p50 / uncached Overview p50 at ×10 ≤ {SEARCH_RATIO_TARGET:g}: "
            f"{search_ratio:.2f} ({served[1].search.p50_ms:.1f} / "
            f"{served[1].single.p50_ms:.1f} ms)",
            search_ratio <= SEARCH_RATIO_TARGET,
        ),
        (
            f"{kind}: every page measured ≤ {HTML_TARGET_KB} KB of HTML at ×10: largest "
            f"{_kb(sizes[largest])} ({largest})",
            html_within,
        ),
        (f"{kind}: no request failed: {errors} failed", errors == 0),
    ]


# --- The run ---------------------------------------------------------------------------------


def run(duration: float, connections: int, imports_only: bool = False) -> int:
    source = shared_data_folder() / "iati-activities" / FILE_NAME
    if not source.is_file():
        print(f"{source} not found (set PORTAL_SHARED_DATA)", file=sys.stderr)
        return 1
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="portal-scale-bench-"))
    try:
        larger = workdir / f"x{COPIES}-{FILE_NAME}"
        write_larger_copy(source, COPIES, larger)
        files = [source, larger]
        kinds = [("SQLite", lambda: sqlite_databases(workdir))]
        server_url = os.environ.get("PORTAL_TEST_DATABASE_URL")
        if server_url:
            kinds.append(("PostgreSQL", lambda: postgresql_databases(server_url, workdir)))
        from portal import gunicorn_conf

        sizes_mb = [path.stat().st_size / 1_000_000 for path in files]
        client = "wrk" if shutil.which("wrk") else "Python http.client: wrk not installed"
        print(
            f"Scale: {FILE_NAME} ({sizes_mb[0]:.1f} MB) and a copy ×{COPIES} with new identifiers "
            f"({sizes_mb[1]:.1f} MB); databases: {', '.join(kind for kind, _ in kinds)}"
        )
        print(
            "  Each database: `portal db upgrade`, import-codelists, import-countries (shared "
            "data), then the import alone in a fresh process; statistics (ANALYZE) after it"
        )
        print(
            f"  Imports: {IMPORT_ROUNDS} rounds of each size, the median compared; "
            f"{os.cpu_count()} CPUs"
        )
        if not imports_only:
            print(
                f"  Served: gunicorn {gunicorn_conf.workers} workers × {gunicorn_conf.threads} "
                f"threads, production settings, page cache off; {PAGES['Overview']} after "
                f"warm-up: 1 client for {LATENCY_ROUNDS * duration:g} s (the Overview and the "
                f"search in turn, a second each), then {connections} connections for "
                f"{duration:g} s ({client})"
            )
        verdicts: list[tuple[str, bool]] = []
        for kind, databases in kinds:
            with databases() as urls:
                # urls[:3] take the ×1 file, urls[3:] the ×10 one; the imports alternate
                # between the sizes (a busy minute of the machine does not fall on one size
                # only). The first and the last database are served.
                rounds: list[list[dict]] = [[], []]
                for index in range(IMPORT_ROUNDS):
                    for size, path in enumerate(files):
                        url = urls[size * IMPORT_ROUNDS + index]
                        rounds[size].append(
                            _in_fresh_process(path, bare_passes=False, database_url=url)
                        )
                served = None
                if not imports_only:
                    served = [
                        serve_and_measure(url, workdir, duration, connections)
                        for url in (urls[0], urls[-1])
                    ]
            verdicts += report(kind, rounds, served)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("\nTargets:")
    for target, met in verdicts:
        print(f"  {target} — {'met' if met else 'NOT MET'}")
    print(f"\n(run time {time.perf_counter() - started:.0f} s)")
    return 0 if all(met for _target, met in verdicts) else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=5, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections")
    parser.add_argument(
        "--imports-only", action="store_true", help="the imports and their targets, no serving"
    )
    arguments = parser.parse_args()
    sys.exit(run(arguments.duration, arguments.connections, arguments.imports_only))


if __name__ == "__main__":
    main()
