"""`make bench`: Lighthouse's SEO score of the home page, a country page and an outcome page.

The sample database (`portal sample`) is served by gunicorn with the production settings and a
configured host (PORTAL_TRUSTED_HOSTS=127.0.0.1: the canonical and hreflang links and the
sitemap are absolute only on a configured host, as in production). Lighthouse (the npm package,
version LIGHTHOUSE_VERSION, run through `npx`, which fetches it from the npm registry the first
time; or the `lighthouse` command named by LIGHTHOUSE) audits each page with Debian's Chromium
(PORTAL_CHROMIUM, else /usr/bin/chromium), SEO category only.

Target (issue 17): SEO ≥ 95 on each of the three pages; exits 1 when one is missed and says
which audits failed. Without npx or Chromium it says so and exits 0 (nothing measured).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.http_speed import build_database, gunicorn, production_environment

LIGHTHOUSE_VERSION = "12.8.2"
PAGES = {
    "home": "/en/",
    "country page": "/en/countries/MLI/",
    "outcome page": "/en/outcomes/XM-EXAMPLE-ORG-SEN_D_2.1",
}
TARGET = 95
CHROMIUM = Path(os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"


def lighthouse_command() -> list[str] | None:
    named = os.environ.get("LIGHTHOUSE")
    if named:
        return [named]
    npx = shutil.which("npx")
    return [npx, "--yes", f"lighthouse@{LIGHTHOUSE_VERSION}"] if npx else None


def audit(command: list[str], url: str, report: Path) -> dict:
    """Lighthouse's JSON report of `url` (SEO only)."""
    subprocess.run(
        [
            *command,
            url,
            "--only-categories=seo",
            "--output=json",
            f"--output-path={report}",
            "--quiet",
            f"--chrome-flags={CHROMIUM_FLAGS}",
        ],
        env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
        check=True,
        capture_output=True,
        timeout=300,
    )
    return json.loads(report.read_text(encoding="utf-8"))


def failed_audits(result: dict) -> list[str]:
    category = result["categories"]["seo"]
    return [
        f"{reference['id']}: {result['audits'][reference['id']]['title']}"
        for reference in category["auditRefs"]
        if reference["weight"] > 0
        and result["audits"][reference["id"]]["score"] is not None
        and result["audits"][reference["id"]]["score"] < 1
    ]


def run() -> int:
    command = lighthouse_command()
    if command is None or not CHROMIUM.is_file():
        print(f"SEO: not measured (npx: {bool(command)}, {CHROMIUM}: {CHROMIUM.is_file()})")
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="portal-seo-bench-"))
    try:
        environment = {
            **production_environment(f"sqlite:///{workdir / 'portal.sqlite3'}", workdir),
            "PORTAL_TRUSTED_HOSTS": "127.0.0.1",
        }
        build_database(workdir, {**environment, "PORTAL_ENV": "development"})
        print(f"SEO: Lighthouse {LIGHTHOUSE_VERSION} (SEO category), sample data, {CHROMIUM}")
        missed = []
        with gunicorn("wsgi:app", environment) as base_url:
            for name, path in PAGES.items():
                result = audit(command, base_url + path, workdir / "report.json")
                score = round(result["categories"]["seo"]["score"] * 100)
                failed = failed_audits(result)
                print(
                    f"  {name:14} {path:40} {score:4d}"
                    + (f"  ({'; '.join(failed)})" * bool(failed))
                )
                if score < TARGET:
                    missed.append(name)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    verdict = "met" if not missed else f"NOT MET ({', '.join(missed)})"
    print(f"Target: SEO ≥ {TARGET} on each page — {verdict}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(run())
