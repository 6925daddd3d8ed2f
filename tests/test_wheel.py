"""The release: a wheel built from the checkout runs the site in a fresh virtual environment.

What it does, as a person deploying the wheel would:

1. Builds the wheel the way `make wheel` does (`python -m build --wheel --no-isolation`, with
   the dev environment's locked setuptools), from a copy of the files a release is made of
   (pyproject.toml, setup.py, MANIFEST.in, README.md, portal/, templates/, static/,
   translations/, with htmx, the map geometry and the .mo files `make setup` prepared), so
   the build leaves nothing in the checkout.
2. Creates a fresh virtual environment in a temporary folder and installs the wheel with
   `pip install --no-index`. The test has no network, so the runtime dependencies come from
   the dev environment, which installed them hash-checked from requirements/runtime.txt: the
   distributions that lock names (and only those: no pytest, Playwright or other test tool)
   are linked into one folder that a .pth file adds to the fresh environment's path. pip
   resolves the wheel's requirements against them (a missing one fails the install) and
   `pip check` must pass.
3. Runs, from a folder outside the checkout and with nothing of the checkout on the path,
   `portal db upgrade`, `portal sample` and `gunicorn 'portal:create_app()'` with only
   PORTAL_DATABASE_URL set, and asks the server for the home page (with the sample banner), a
   country page with its map, the stylesheet, htmx and a French page.

About 15-20 seconds (building the wheel 2, the environment 5, the sample database 4), so it is
not marked slow.
"""

from __future__ import annotations

import contextlib
import html
import importlib.metadata
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

# It makes its own SQLite database: `make test`'s second pass, on PostgreSQL, leaves it out.
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("PORTAL_TEST_DATABASE_URL")),
    reason="the wheel test runs in the SQLite pass (it uses no test database)",
)

PROJECT = Path(__file__).resolve().parents[1]
RELEASE_FILES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md")
RELEASE_FOLDERS = ("portal", "templates", "static", "translations")
TEST_TOOLS = ("pytest", "playwright", "hypothesis")
# The fresh environment brings its own installer; the dev environment's must not shadow it.
OWN_TOOLS = {"pip", "setuptools"}


def run(command: list[str], **options) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, **options)
    assert done.returncode == 0, (
        f"{' '.join(map(str, command))} failed:\n{done.stdout}\n{done.stderr}"
    )
    return done


def copy_release_sources(source: Path) -> Path:
    source.mkdir()
    for name in RELEASE_FILES:
        shutil.copy2(PROJECT / name, source / name)
    for name in RELEASE_FOLDERS:
        shutil.copytree(
            PROJECT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    return source


def build_command(source: Path, dist: Path) -> list:
    """What `make wheel` runs."""
    return [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", dist, source]


def build_wheel(work: Path) -> Path:
    source = copy_release_sources(work / "source")
    run(build_command(source, work / "dist"), cwd=source)
    (wheel,) = (work / "dist").glob("open_results_portal-*.whl")
    return wheel


def runtime_distributions() -> list[str]:
    lock = (PROJECT / "requirements" / "runtime.txt").read_text()
    return re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", lock, re.MULTILINE)


def link_runtime_dependencies(folder: Path) -> None:
    """Every top-level file and folder of the runtime lock's distributions, as installed in
    the dev environment, linked into `folder` (console scripts, outside it, are left out)."""
    folder.mkdir()
    for name in runtime_distributions():
        if name.lower() in OWN_TOOLS:
            continue
        try:
            distribution = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue  # not for this platform (a marker in the lock); pip says if it is missed
        site = Path(distribution.locate_file(""))
        tops = {Path(file).parts[0] for file in distribution.files or ()}
        for top in sorted(tops - {"..", "__pycache__"}):
            target = folder / top
            if (site / top).exists() and not target.exists():
                target.symlink_to(site / top)


def clean_environment(work: Path, venv: Path) -> dict[str, str]:
    """A deployment's variables: the environment's bin/ first, a database, nothing else (no
    PYTHONPATH, no PORTAL_* of the test run)."""
    return {
        "PATH": os.pathsep.join((str(venv / "bin"), "/usr/bin", "/bin")),
        "HOME": str(work),
        "LANG": "C.UTF-8",
        "PORTAL_DATABASE_URL": f"sqlite:///{work / 'data' / 'portal.sqlite3'}",
    }


def fresh_environment(work: Path, venv: Path, wheel: Path, environment: dict[str, str]) -> None:
    run([sys.executable, "-m", "venv", venv], cwd=work, env=environment)
    python = venv / "bin" / "python"
    purelib = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site_packages = Path(run([python, "-c", purelib], cwd=work, env=environment).stdout.strip())
    link_runtime_dependencies(work / "runtime-lock")
    (site_packages / "runtime-lock.pth").write_text(f"{work / 'runtime-lock'}\n")
    pip = [python, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    run([*pip, "install", "--no-index", "--quiet", wheel], cwd=work, env=environment)
    run([*pip, "check"], cwd=work, env=environment)


def request(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(base_url: str, server: subprocess.Popen, log, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            raise AssertionError(f"gunicorn exited at start:\n{log.read()}")
        try:
            with urllib.request.urlopen(base_url + "/robots.txt", timeout=10):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer at {base_url} within {timeout:.0f} s")


def french(message: str) -> str:
    with (PROJECT / "translations" / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        translated = read_po(po, locale="fr").get(message).string
    assert translated and translated != message
    return translated


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel's environment: (venv, the wheel, environment variables, a working folder)."""
    work = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(work)
    venv = work / "venv"
    environment = clean_environment(work, venv)
    fresh_environment(work, venv, wheel, environment)
    (work / "data").mkdir()
    outside = work / "run"  # the commands' working folder: not the checkout
    outside.mkdir()
    return venv, wheel, environment, outside


def test_the_wheel_carries_the_site_and_not_the_development_scripts(installed):
    _, wheel, _, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "portal/_site/templates/base.html",
        "portal/_site/static/css/portal.css",
        "portal/_site/static/vendor/htmx.min.js",
        "portal/_site/translations/fr/LC_MESSAGES/messages.mo",
        "portal/maps/world-50m.json",
        "portal/migrations/env.py",
        "portal/sample/sample-activities.xml",
        "portal/sample/sample-country-facts.csv",
    ):
        assert expected in names
    assert not [name for name in names if name.endswith(".po") or name.startswith("scripts/")]
    assert "portal/sample/generate.py" not in names


def test_production_has_no_test_tools(installed):
    venv, _, environment, outside = installed
    for tool in TEST_TOOLS:
        shown = subprocess.run(
            [venv / "bin" / "python", "-m", "pip", "show", tool],
            capture_output=True,
            cwd=outside,
            env=environment,
        )
        assert shown.returncode != 0, f"{tool} is installed in the production environment"


def test_the_installed_wheel_serves_the_site(installed):
    venv, _, environment, outside = installed
    python = venv / "bin" / "python"
    where = run(
        [python, "-c", "import portal.config as c; print(c.__file__); print(c.site_folder())"],
        cwd=outside,
        env=environment,
    ).stdout.split()
    assert all(Path(path).is_relative_to(venv) for path in where), where

    run([venv / "bin" / "portal", "db", "upgrade"], cwd=outside, env=environment)
    run([venv / "bin" / "portal", "sample"], cwd=outside, env=environment)
    # Development mode (no PORTAL_SECRET_KEY): the key is kept in the instance folder, which an
    # installed portal keeps in the environment (var/portal-instance), not in site-packages.
    assert (venv / "var" / "portal-instance" / "secret_key").is_file()

    base_url = f"http://127.0.0.1:{free_port()}"
    command = [python, "-m", "gunicorn", "--bind", base_url.removeprefix("http://")]
    with tempfile.TemporaryFile(mode="w+") as log:
        server = subprocess.Popen(
            [*command, "--workers", "1", "portal:create_app()"],
            cwd=outside,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,  # its own process group, so its worker ends with it
        )
        try:
            wait_until_serving(base_url, server, log)
            check_pages(base_url)
        finally:
            server.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=15)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def check_pages(base_url: str) -> None:
    status, _, body = request(base_url + "/en/")
    home = body.decode()
    assert status == 200, home
    assert 'class="sample-banner"' in home and "Sample data." in home

    status, _, body = request(base_url + "/en/countries/MLI/")
    country = body.decode()
    assert status == 200, country
    maps = re.findall(r"<svg\b.*?</svg>", country, re.DOTALL)
    assert any(len(re.findall(r'<path\b[^>]*\bd="M', svg)) > 10 for svg in maps), maps

    (stylesheet,) = re.findall(r'<link rel="stylesheet" href="([^"]+)"', home)
    assert stylesheet.startswith("/static/css/portal.css")
    for path, media_type in ((stylesheet, "text/css"), ("/static/vendor/htmx.min.js", "script")):
        status, content_type, body = request(base_url + html.unescape(path))
        assert status == 200 and media_type in content_type and len(body) > 1000, path

    status, _, body = request(base_url + "/fr/")
    assert status == 200
    assert french("Sample data.") in html.unescape(body.decode())


def test_a_release_without_the_prepared_files_stops_and_says_to_run_make(tmp_path):
    source = copy_release_sources(tmp_path / "source")
    (source / "static" / "vendor" / "htmx.min.js").unlink()
    (source / "portal" / "maps" / "world-50m.json").unlink()
    (source / "translations" / "fr" / "LC_MESSAGES" / "messages.mo").unlink()

    done = subprocess.run(
        build_command(source, tmp_path / "dist"), capture_output=True, text=True, cwd=source
    )

    assert done.returncode != 0
    output = done.stdout + done.stderr
    assert "Run `make wheel`" in output
    for missing in (
        "static/vendor/htmx.min.js",
        "portal/maps/world-50m.json",
        "translations/fr/LC_MESSAGES/messages.mo",
    ):
        assert missing in output
    assert not (tmp_path / "dist").exists() or not list((tmp_path / "dist").iterdir())
