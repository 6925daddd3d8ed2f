"""`make bench`: how fast `portal import-iati` reads a real 12.8 MB file, and in how much memory.

Prints import throughput (MB/s), peak memory (MB) and the ratio of the import's time to a
bare lxml iterparse pass (iterparse + clear, nothing else) over the same file. Each round
runs in a fresh Python process, with the portal's modules and the schema of a fresh
temporary SQLite database already loaded: a bare pass, the import (parse, write, commit),
a bare pass again. The ratio compares the import with the bare passes on either side of it,
in the same process, so work that other programs put on the machine slows both alike; the
medians of the rounds are shown. Peak memory is the process's maximum resident size
(getrusage). A file three times as large is imported too, to show that peak memory does
not grow with the file. Targets (issue 2): ratio <= 4, peak < 300 MB; exits 1 when one is
missed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from portal.config import shared_data_folder

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FILE_NAME = "undp-XM-DAC-41114.xml"
ROUNDS = 5
RATIO_TARGET = 4.0
PEAK_TARGET_MB = 300


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def measure_bare_parse(path: Path) -> dict:
    """The yardstick: the cheapest streaming pass lxml can make over the file."""
    from lxml import etree

    cpu, wall = time.process_time(), time.perf_counter()
    for _event, activity in etree.iterparse(
        str(path),
        events=("end",),
        tag="iati-activity",
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    ):
        activity.clear(keep_tail=True)
        while activity.getprevious() is not None:
            del activity.getparent()[0]
    return {
        "cpu": time.process_time() - cpu,
        "wall": time.perf_counter() - wall,
        "peak_mb": _peak_mb(),
    }


def measure_round(path: Path, *, bare_passes: bool = True, database_url: str | None = None) -> dict:
    """Bare pass, import into a fresh SQLite database, bare pass: one process, one round.

    With `database_url`, the import goes into that database (schema made by the caller, and
    kept), and is followed by the statistics update `portal import-iati` ends with, timed
    apart from the import ("statistics")."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from portal import schema
    from portal.iati.importer import import_sources

    measured: dict = {}
    with contextlib.ExitStack() as stack:
        if database_url is None:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="portal-bench-"))
            engine = create_engine(f"sqlite:///{folder}/bench.sqlite3")
        else:
            engine = create_engine(database_url)
        schema.upgrade(engine)
        if bare_passes:
            measured["bare_before"] = measure_bare_parse(path)
        with Session(engine) as session:
            cpu, wall = time.process_time(), time.perf_counter()
            report = import_sources(session, [str(path)])
            session.commit()
            measured["import"] = {
                "cpu": time.process_time() - cpu,
                "wall": time.perf_counter() - wall,
            }
            measured["peak_mb"] = _peak_mb()
            if database_url is not None:
                wall = time.perf_counter()
                schema.update_statistics(session)
                measured["statistics"] = {
                    "wall": time.perf_counter() - wall,
                    "peak_mb": _peak_mb(),
                }
        measured["activities"] = report.activities
        engine.dispose()
        if bare_passes:
            measured["bare_after"] = measure_bare_parse(path)
    return measured


def _in_fresh_process(
    path: Path, *, bare_passes: bool = True, database_url: str | None = None
) -> dict:
    command = [sys.executable, "-m", "benchmarks.import_speed", "--round", str(path)]
    if not bare_passes:
        command.append("--import-only")
    if database_url is not None:
        command += ["--database-url", database_url]
    completed = subprocess.run(
        command, cwd=PROJECT_ROOT, check=True, capture_output=True, text=True
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def write_larger_copy(path: Path, copies: int, target: Path) -> None:
    """The file's activities `copies` times over, each copy with its own identifiers."""
    text = path.read_text(encoding="utf-8")
    start = text.index("<iati-activity ")
    end = text.rindex("</iati-activities>")
    head, activities, tail = text[:start], text[start:end], text[end:]
    with target.open("w", encoding="utf-8") as out:
        out.write(head)
        for copy in range(copies):
            out.write(activities.replace("<iati-identifier>", f"<iati-identifier>COPY{copy}-"))
        out.write(tail)


def main() -> int:
    path = shared_data_folder() / "iati-activities" / FILE_NAME
    if not path.is_file():
        print(f"{path} not found (set PORTAL_SHARED_DATA)", file=sys.stderr)
        return 1
    size_mb = path.stat().st_size / 1_000_000
    rounds = [_in_fresh_process(path) for _round in range(ROUNDS)]
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as folder:
        larger = Path(folder) / "larger.xml"
        write_larger_copy(path, 3, larger)
        larger_mb = larger.stat().st_size / 1_000_000
        larger_run = _in_fresh_process(larger, bare_passes=False)

    def bare(run: dict, clock: str) -> float:
        return (run["bare_before"][clock] + run["bare_after"][clock]) / 2

    ratio_wall = _median([run["import"]["wall"] / bare(run, "wall") for run in rounds])
    ratio_cpu = _median([run["import"]["cpu"] / bare(run, "cpu") for run in rounds])
    import_wall = _median([run["import"]["wall"] for run in rounds])
    import_cpu = _median([run["import"]["cpu"] for run in rounds])
    bare_wall = _median([bare(run, "wall") for run in rounds])
    bare_cpu = _median([bare(run, "cpu") for run in rounds])
    peak = max(run["peak_mb"] for run in rounds)
    print(
        f"IATI import benchmark: {FILE_NAME} ({size_mb:.1f} MB, {rounds[0]['activities']} "
        f"activities), into a fresh SQLite database; medians of {ROUNDS} rounds"
    )
    print(f"  bare lxml iterparse pass  {bare_wall:6.2f} s   (CPU {bare_cpu:.2f} s)")
    print(f"  import (parse + write)    {import_wall:6.2f} s   (CPU {import_cpu:.2f} s)")
    print(f"  import throughput         {size_mb / import_wall:6.1f} MB/s")
    print(
        f"  ratio import / bare parse {ratio_wall:6.2f}     (CPU {ratio_cpu:.2f})"
        f"   target <= {RATIO_TARGET:g}"
    )
    print(f"  peak memory               {peak:6.0f} MB    target < {PEAK_TARGET_MB} MB")
    print(
        f"  peak memory, {larger_mb:.1f} MB file {larger_run['peak_mb']:4.0f} MB    "
        f"({larger_run['activities']} activities, "
        f"{larger_mb / larger_run['import']['wall']:.1f} MB/s)"
    )
    largest_peak = max(peak, larger_run["peak_mb"])
    verdicts = [
        (f"ratio import / bare parse <= {RATIO_TARGET:g}", ratio_wall <= RATIO_TARGET),
        (f"peak memory < {PEAK_TARGET_MB} MB at both sizes", largest_peak < PEAK_TARGET_MB),
    ]
    print("Targets:")
    for target, met in verdicts:
        print(f"  {target}: {'met' if met else 'NOT MET'}")
    return 0 if all(met for _target, met in verdicts) else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--round", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--import-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.round:
        measured = measure_round(
            arguments.round,
            bare_passes=not arguments.import_only,
            database_url=arguments.database_url,
        )
        print(json.dumps(measured))
    else:
        sys.exit(main())
