"""HTTP speed of the portal under gunicorn, as a ratio to a bare Flask route served the same way.

`make bench` (or `python -m benchmarks.http_speed`) builds a throw-away SQLite database with
the sample data, starts three gunicorn servers with the production settings
(portal/gunicorn_conf.py, PORTAL_ENV=production): the bare route (benchmarks/bare_app.py),
the portal with its page cache and the portal without it (PORTAL_CACHE_ENABLED=0). Each page
is then loaded by concurrent keep-alive clients for a fixed time (wrk when installed, else a
Python client), and its requests per second and p50/p99 latency are printed next to the
bare route's. Then the weight of the country page and of the Progress fragment: HTML, CSS and
JavaScript as served, plain and gzip.

Targets (issue 9): cached country page ≥ 0.5 of the bare throughput, uncached ≥ 0.1, the
full country page ≤ 60 KB gzip including all its CSS and JavaScript.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import multiprocessing
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GUNICORN = BIN / "gunicorn"
PORTAL = BIN / "portal"
SAMPLE = PROJECT_ROOT / "portal" / "sample"
# What a browser sends: the benchmark measures compressed answers, as visitors get them.
ACCEPT_ENCODING = "br, gzip"

# Every worker renders each page once before the clock starts (first renders compile
# templates and draw the map): load in rounds until two rounds agree within a fifth.
WARM_UP_ROUND_SECONDS = 3
WARM_UP_MAX_ROUNDS = 10
CACHED_TARGET = 0.5
UNCACHED_TARGET = 0.1
COUNTRY_PAGE_GZIP_TARGET_KB = 60


@dataclass(frozen=True)
class Route:
    name: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    country_page: bool = False


ROUTES = [
    Route("Home page", "/en/"),
    Route("Country Overview", "/en/countries/MLI/", country_page=True),
    Route("Progress page", "/en/countries/MLI/progress", country_page=True),
    Route("Progress fragment", "/en/countries/MLI/progress", {"HX-Request": "true"}),
]


@dataclass(frozen=True)
class Measurement:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


# --- Servers ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(app_module: str, environment: dict[str, str]) -> Iterator[str]:
    """A gunicorn with the production settings serving `app_module`; yields its base URL."""
    port = free_port()
    env = {**environment, "HOST": "127.0.0.1", "PORT": str(port)}
    base_url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            [str(GUNICORN), "--config", "python:portal.gunicorn_conf", app_module],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,  # its own process group: the workers stop with the master
        )
        try:
            _wait_until_serving(base_url, process, log)
            yield base_url
        finally:
            process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=15)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # any worker left behind
            process.wait()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs) -> None:
        return None  # the redirect itself is the answer (urllib raises it as an HTTPError)


def _wait_until_serving(base_url: str, process: subprocess.Popen, log, timeout: float = 60) -> None:
    """Wait until the server answers `/` with its redirect to the visitor's language: not the
    home page it leads to, whose global overview takes seconds to build uncached on a large
    database (each probe that gave up would leave a worker building it)."""
    opener = urllib.request.build_opener(_NoRedirects)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise SystemExit(f"gunicorn exited at start:\n{log.read()}")
        try:
            with opener.open(base_url + "/", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # answering, if only with an error status
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer at {base_url} within {timeout:.0f} s")


def build_database(directory: Path, environment: dict[str, str]) -> str:
    """The sample database through `portal sample`; says how it was built."""
    run = subprocess.run(
        [str(PORTAL), "sample"], cwd=PROJECT_ROOT, env=environment, capture_output=True, text=True
    )
    if run.returncode == 0:
        return "portal sample"
    # Until `portal sample` exists: the same bundled files through the import commands.
    steps = [
        [str(PORTAL), "db", "upgrade"],
        [str(PORTAL), "import-countries", str(SAMPLE / "sample-country-facts.csv")],
        [str(PORTAL), "import-iati", str(SAMPLE / "sample-activities.xml")],
    ]
    for step in steps:
        subprocess.run(
            step, cwd=PROJECT_ROOT, env=environment, check=True, capture_output=True, text=True
        )
    reason = (run.stderr or run.stdout).strip().splitlines()
    return (
        "`portal sample` failed ("
        + (reason[-1] if reason else f"exit {run.returncode}")
        + "); built with db upgrade, import-countries and import-iati of portal/sample/"
    )


# --- Load ------------------------------------------------------------------------------------


def probe(url: str, headers: dict[str, str]) -> tuple[int, bool]:
    """The status of one request, and whether the page cache answered it (it sets an ETag)."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return response.status, "ETag" in response.headers
    except urllib.error.HTTPError as error:
        return error.code, False


def warm_up(url: str, headers: dict[str, str], connections: int) -> None:
    previous = 0.0
    for _ in range(WARM_UP_MAX_ROUNDS):
        rate = measure(url, headers, WARM_UP_ROUND_SECONDS, connections).requests_per_second
        if previous and abs(rate - previous) <= 0.2 * max(rate, previous):
            return
        previous = rate


def measure(url: str, headers: dict[str, str], duration: float, connections: int) -> Measurement:
    if shutil.which("wrk"):
        return _measure_with_wrk(url, headers, duration, connections)
    return _measure_with_python(url, headers, duration, connections)


def _measure_with_wrk(
    url: str, headers: dict[str, str], duration: float, connections: int
) -> Measurement:
    command = ["wrk", "--latency", "--timeout", "60s", "-t2", f"-c{connections}"]
    command.append(f"-d{max(1, round(duration))}s")
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    non_success = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non_success.group(1)) if non_success else 0
    if socket_errors:
        errors += sum(int(count) for count in socket_errors.groups())
    return Measurement(
        requests_per_second=rate,
        p50_ms=_wrk_latency(output, "50%"),
        p99_ms=_wrk_latency(output, "99%"),
        requests=total,
        errors=errors,
    )


def measure_in_turn(
    urls: list[str], headers: dict[str, str], duration: float, block: float = 1.0
) -> list[Measurement]:
    """One client on one keep-alive connection asking for each of `urls` in turn, `block`
    seconds each, for `duration` seconds in all; each page's latencies pooled over its
    blocks. A busy moment of the machine falls on every page alike, so their latencies
    compare (one page after the other, five seconds each, a page's p50 moved by a fifth from
    one round to the next on a shared machine); within a block a page is asked for again and
    again, as before (request after request in turn, each page found the processor's caches
    filled by the other: the Overview at ×10 slowed more than at ×1)."""
    parsed = [re.match(r"http://([^:/]+):(\d+)(/.*)", url) for url in urls]
    host, port = parsed[0].group(1), int(parsed[0].group(2))
    latencies: list[list[float]] = [[] for _ in urls]
    errors = [0] * len(urls)
    connection = http.client.HTTPConnection(host, port, timeout=30)
    started = time.perf_counter()
    try:
        while time.perf_counter() - started < duration:
            for index, match in enumerate(parsed):
                block_ends = time.perf_counter() + block
                while time.perf_counter() < block_ends:
                    began = time.perf_counter()
                    try:
                        connection.request("GET", match.group(3), headers=headers)
                        response = connection.getresponse()
                        response.read()
                    except (OSError, http.client.HTTPException):
                        errors[index] += 1
                        connection.close()
                        connection = http.client.HTTPConnection(host, port, timeout=30)
                        continue
                    latencies[index].append(time.perf_counter() - began)
                    if response.status >= 400:
                        errors[index] += 1
    finally:
        connection.close()
    elapsed = time.perf_counter() - started
    return [
        _measurement(times, failed, elapsed)
        for times, failed in zip(latencies, errors, strict=True)
    ]


def _measurement(latencies: list[float], errors: int, elapsed: float) -> Measurement:
    """Requests per second and p50/p99 (ms) of `latencies` (seconds) over `elapsed` seconds."""
    if len(latencies) < 2:  # no quantiles of fewer
        return Measurement(0.0, float("nan"), float("nan"), len(latencies), errors)
    cut = statistics.quantiles(latencies, n=100)
    return Measurement(
        len(latencies) / elapsed, cut[49] * 1000, cut[98] * 1000, len(latencies), errors
    )


def _wrk_latency(output: str, percentile: str) -> float:
    value, unit = re.search(rf"^\s*{percentile}\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _client_process(
    host: str, port: int, path: str, headers: dict, duration: float, threads: int, results
) -> None:
    """One process of the Python client: `threads` keep-alive connections for `duration`."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + duration

    def connection_loop() -> None:
        mine: list[float] = []
        failed = 0
        connection = http.client.HTTPConnection(host, port, timeout=30)
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    failed += 1
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=30)
                continue
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    workers = [threading.Thread(target=connection_loop) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    results.put((latencies, errors[0]))


def _measure_with_python(
    url: str, headers: dict[str, str], duration: float, connections: int
) -> Measurement:
    match = re.match(r"http://([^:/]+):(\d+)(/.*)", url)
    host, port, path = match.group(1), int(match.group(2)), match.group(3)
    processes = min(4, max(1, os.cpu_count() or 1), connections)
    results = multiprocessing.Queue()
    clients = [
        multiprocessing.Process(
            target=_client_process,
            args=(host, port, path, headers, duration, connections // processes, results),
        )
        for _ in range(processes)
    ]
    started = time.perf_counter()
    for client in clients:
        client.start()
    latencies: list[float] = []
    errors = 0
    for _ in clients:
        client_latencies, client_errors = results.get(timeout=duration + 120)
        latencies += client_latencies
        errors += client_errors
    for client in clients:
        client.join()
    return _measurement(latencies, errors, time.perf_counter() - started)


# --- Page weight -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Weight:
    plain: int
    gzip: int
    brotli: int


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, str]:
    request = urllib.request.Request(
        url, headers={"Accept-Encoding": "identity", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, b"", ""


def served_size(url: str, encoding: str, headers: dict[str, str] | None = None) -> int:
    """Bytes on the wire for `url` when the client accepts only `encoding`."""
    request = urllib.request.Request(url, headers={**(headers or {}), "Accept-Encoding": encoding})
    with urllib.request.urlopen(request, timeout=30) as response:
        return len(response.read())


def weight(url: str, headers: dict[str, str] | None = None) -> Weight:
    status, body, _ = fetch(url, headers)
    return Weight(len(body), served_size(url, "gzip", headers), served_size(url, "br", headers))


def linked_assets(html: str) -> tuple[list[str], list[str]]:
    """The page's stylesheets and scripts, as the HTML links them."""
    stylesheets = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html)
    stylesheets += re.findall(r'<link[^>]+href="([^"]+)"[^>]+rel="stylesheet"', html)
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    return sorted(set(stylesheets)), sorted(set(scripts))


def _kb(size: int) -> str:
    return f"{size / 1024:.1f} KB"


def report_weight(base_url: str) -> bool | None:
    """Print the weight of the country page and the fragment; True when within the target."""
    page = ROUTES[1]
    status, body, _ = fetch(base_url + page.path)
    if status != 200:
        print(f"Page weight: {page.path} not available ({status})")
        return None
    html_weight = weight(base_url + page.path)
    stylesheets, scripts = linked_assets(body.decode("utf-8"))
    css = [weight(base_url + href) for href in stylesheets]
    js = [weight(base_url + src) for src in scripts]
    rows = [("HTML " + page.path, html_weight)]
    rows += [(f"CSS {href}", w) for href, w in zip(stylesheets, css, strict=True)]
    rows += [(f"JS  {src}", w) for src, w in zip(scripts, js, strict=True)]
    print(f"\nPage weight of the country page ({page.path}):")
    print(f"  {'':48} {'plain':>10} {'gzip':>10} {'brotli':>10}")
    for label, w in rows:
        print(f"  {label[:48]:48} {_kb(w.plain):>10} {_kb(w.gzip):>10} {_kb(w.brotli):>10}")
    total = Weight(
        *(sum(getattr(w, part) for _, w in rows) for part in ("plain", "gzip", "brotli"))
    )
    print(
        f"  {'Total (HTML + CSS + JS)':48} {_kb(total.plain):>10} {_kb(total.gzip):>10} "
        f"{_kb(total.brotli):>10}"
    )
    fragment = ROUTES[3]
    fragment_weight = weight(base_url + fragment.path, fragment.headers)
    progress_weight = weight(base_url + fragment.path)
    print(
        f"  Progress fragment: {_kb(fragment_weight.plain)} plain, {_kb(fragment_weight.gzip)} "
        f"gzip ({fragment_weight.plain / max(progress_weight.plain, 1):.0%} of the Progress "
        f"page's {_kb(progress_weight.plain)} HTML)"
    )
    within = total.gzip <= COUNTRY_PAGE_GZIP_TARGET_KB * 1024
    verdict = "met" if within else "NOT MET"
    print(
        f"  Target: full country page ≤ {COUNTRY_PAGE_GZIP_TARGET_KB} KB gzip incl. CSS and JS: "
        f"{_kb(total.gzip)} — {verdict}"
    )
    return within


# --- The run ---------------------------------------------------------------------------------


def _row(name: str, measured: Measurement | None, floor: float | None, note: str = "") -> str:
    if measured is None or floor is None:
        return f"  {name:34} {'not available (404)':>20}"
    ratio = measured.requests_per_second / floor if floor else float("nan")
    errors = f"  ERRORS: {measured.errors}" if measured.errors else ""
    return (
        f"  {name:34} {measured.requests_per_second:10.0f} {measured.p50_ms:9.2f} "
        f"{measured.p99_ms:9.2f} {floor:10.0f} {ratio:8.2f}{errors}{note}"
    )


@dataclass
class Row:
    """One page in one mode, with the bare route measured just before and just after it."""

    page: Measurement | None = None
    floors: list[Measurement] = field(default_factory=list)

    @property
    def floor(self) -> float | None:
        if not self.floors:
            return None
        return statistics.mean(m.requests_per_second for m in self.floors)

    @property
    def ratio(self) -> float | None:
        if self.page is None or not self.floor:
            return None
        return self.page.requests_per_second / self.floor


def production_environment(database_url: str, instance: Path) -> dict[str, str]:
    """The servers' environment: production settings, a key of their own, the given database
    and instance folder; the page cache in-process and on unless the caller says otherwise."""
    environment = {
        **os.environ,
        "PORTAL_ENV": "production",
        "PORTAL_SECRET_KEY": secrets.token_hex(32),
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_INSTANCE_PATH": str(instance),
        "GUNICORN_ACCESS_LOG": "-",
    }
    for name in ("PORTAL_CACHE_URL", "PORTAL_CACHE_ENABLED", "WEB_CONCURRENCY"):
        environment.pop(name, None)
    return environment


def run(duration: float, connections: int, portal_app: str) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="portal-http-bench-"))
    environment = production_environment(f"sqlite:///{workdir / 'portal.sqlite3'}", workdir)
    try:
        # Built as a developer would (`portal sample` refuses a production database).
        how = build_database(workdir, {**environment, "PORTAL_ENV": "development"})
        client = "wrk" if shutil.which("wrk") else "Python http.client (wrk not installed)"
        from portal import gunicorn_conf

        print(
            f"HTTP speed: gunicorn {gunicorn_conf.workers} workers × {gunicorn_conf.threads} "
            f"threads ({gunicorn_conf.worker_class}), {os.cpu_count()} CPUs; "
            f"{connections} keep-alive connections for {duration:.0f} s per page, the bare "
            f"route for {duration / 2:.1f} s just before and after it ({client}); "
            f"Accept-Encoding: {ACCEPT_ENCODING}"
        )
        print(f"Database: SQLite, {how}")
        rows: dict[tuple[str, str], Row] = {}
        not_cached: set[str] = set()
        with contextlib.ExitStack() as servers:
            bare_url = servers.enter_context(gunicorn("benchmarks.bare_app:app", environment))
            urls = {
                mode: servers.enter_context(
                    gunicorn(portal_app, {**environment, "PORTAL_CACHE_ENABLED": flag})
                )
                for mode, flag in (("cached", "1"), ("uncached", "0"))
            }
            warm_up(bare_url + "/", {}, connections)
            for mode, url in urls.items():
                for route in ROUTES:
                    row = rows[(mode, route.name)] = Row()
                    headers = {"Accept-Encoding": ACCEPT_ENCODING, **route.headers}
                    if probe(url + route.path, headers)[0] != 200:
                        continue
                    if mode == "cached" and not probe(url + route.path, headers)[1]:
                        not_cached.add(route.name)
                    warm_up(url + route.path, headers, connections)
                    row.floors.append(measure(bare_url + "/", {}, duration / 2, connections))
                    row.page = measure(url + route.path, headers, duration, connections)
                    row.floors.append(measure(bare_url + "/", {}, duration / 2, connections))
            within_weight = report_weight(urls["cached"])

        floors = [m for row in rows.values() for m in row.floors]
        print(
            f"\n  {'':34} {'req/s':>10} {'p50 ms':>9} {'p99 ms':>9} {'bare req/s':>10} "
            f"{'× bare':>8}"
        )
        if floors:
            median = statistics.median(m.requests_per_second for m in floors)
            print(
                f"  {'Bare Flask route (the floor)':34} {median:10.0f}  (median of {len(floors)})"
            )
        for mode in urls:
            for route in ROUTES:
                row = rows[(mode, route.name)]
                note = ""
                if mode == "cached" and route.name in not_cached:
                    note = "  (not cached: its view lacks @cached_page)"
                print(_row(f"{route.name} ({mode})", row.page, row.floor, note))
        failures = _print_targets(rows, within_weight)
        errors = sum(m.errors for row in rows.values() for m in [row.page, *row.floors] if m)
        if errors:
            print(f"\n{errors} requests failed or answered an error status.")
            return 1
        return 1 if failures else 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _print_targets(rows: dict[tuple[str, str], Row], within_weight: bool | None) -> int:
    """Print each target with its outcome; the number missed."""
    print("\nTargets:")
    missed = 0
    country_routes = [route for route in ROUTES if route.country_page]
    for mode, target in (("cached", CACHED_TARGET), ("uncached", UNCACHED_TARGET)):
        ratios = [rows[(mode, route.name)].ratio for route in country_routes]
        if any(ratio is None for ratio in ratios):
            print(f"  {mode} country page ≥ {target} × bare: not available")
            continue
        worst = min(ratios)
        verdict = "met" if worst >= target else "NOT MET"
        missed += worst < target
        print(f"  {mode} country page ≥ {target} × bare: {worst:.2f} (slowest tab) — {verdict}")
    if within_weight is None:
        print(f"  country page ≤ {COUNTRY_PAGE_GZIP_TARGET_KB} KB gzip: not available")
    else:
        missed += not within_weight
        print(
            f"  country page ≤ {COUNTRY_PAGE_GZIP_TARGET_KB} KB gzip: "
            + ("met" if within_weight else "NOT MET")
        )
    return missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=5, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections")
    parser.add_argument("--portal-app", default="wsgi:app", help="the portal's WSGI app")
    arguments = parser.parse_args()
    sys.exit(run(arguments.duration, arguments.connections, arguments.portal_app))


if __name__ == "__main__":
    main()
