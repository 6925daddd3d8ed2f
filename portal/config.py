"""Configuration read from the environment; one place for every setting the portal has."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
"""The checkout (in an installed wheel: site-packages, which holds no site files)."""
SITE_FOLDERS = ("templates", "static", "translations")
"""What the portal serves besides its code; top-level folders of the checkout."""
PACKAGED_SITE = PACKAGE_DIR / "_site"
"""Where a wheel carries SITE_FOLDERS (setup.py's build step copies them; never in a checkout)."""


def site_folder() -> Path:
    """The folder holding SITE_FOLDERS: the copy inside an installed wheel, else the checkout's
    top level. The packaged copy is looked for, not the checkout's templates/, because an
    installed portal's parent folder is site-packages, which any other package could fill."""
    return PACKAGED_SITE if is_installed_release() else PROJECT_ROOT


def is_installed_release() -> bool:
    """Whether the portal runs from a built wheel rather than from a checkout."""
    return PACKAGED_SITE.is_dir()


# A checkout keeps instance/ at its top; an installed wheel uses Flask's place for an installed
# package's instance folder (<venv>/var/portal-instance), never site-packages.
DEFAULT_INSTANCE = (
    Path(sys.prefix) / "var" / "portal-instance"
    if is_installed_release()
    else PROJECT_ROOT / "instance"
)

# The six official languages of the United Nations; English first (the default and the
# language of the published data's codes). Order of the language switcher.
SUPPORTED_LANGUAGES = ("en", "ar", "zh", "fr", "ru", "es")
DEFAULT_LANGUAGE = "en"

# The feedback survey: how long an unfinished survey is kept, how often one address may submit.
SURVEY_DRAFT_MAX_AGE_DAYS = 30
SURVEY_SUBMISSION_RATE = "10 per minute"
# Report a problem with this data: how many reports one address may send.
PROBLEM_REPORT_RATE = "5 per minute;30 per day"
# Wrong operator tokens one address may try before it is refused (429) until the window ends.
ADMIN_RATE_LIMIT = "10 per minute"
# `portal import-iati URL`: the time a whole download may take, and the most XML it may bring.
DOWNLOAD_TIMEOUT_SECONDS = 300.0
DOWNLOAD_MAX_BYTES = 200 * 1024 * 1024
# No form of the portal needs more; a bigger request is refused (413) before it is read.
MAX_REQUEST_BYTES = 1024 * 1024
# Seconds a request waits for the database before it answers the 503 page: to connect, for
# one statement (PostgreSQL; SQLite: for the write lock), for a free connection of the pool.
DB_CONNECT_TIMEOUT = 5.0
DB_STATEMENT_TIMEOUT = 10.0
DB_POOL_TIMEOUT = 5.0


class ConfigError(RuntimeError):
    """The environment does not describe a portal that can start safely."""


def shared_data_folder() -> Path:
    """The real IATI files, codelists and country facts (PORTAL_SHARED_DATA, else ../shared/data):
    read by `portal sample`'s generator, the tests and the benchmarks, never copied here."""
    return Path(os.environ.get("PORTAL_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data"))


def _instance_path() -> Path:
    return Path(os.environ.get("PORTAL_INSTANCE_PATH", DEFAULT_INSTANCE))


def _secret_key(instance: Path, production: bool) -> str:
    """Production must be given a key; development keeps a generated one in instance/."""
    key = os.environ.get("PORTAL_SECRET_KEY")
    if key:
        return key
    if production:
        raise ConfigError("PORTAL_SECRET_KEY must be set when PORTAL_ENV=production.")
    key_file = instance / "secret_key"
    if not key_file.exists():
        instance.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _host_list(value: str | None) -> list[str] | None:
    hosts = [host.strip() for host in (value or "").split(",") if host.strip()]
    return hosts or None


def _optional_flag(value: str | None) -> bool | None:
    """'1'/'true'/'yes'/'on' or '0'/'false'/'no'/'off'; None when unset (the default applies)."""
    if value is None or not value.strip():
        return None
    return value.strip().lower() in {"1", "true", "yes", "on"}


def from_environment() -> dict:
    """Build the Flask config mapping from PORTAL_* environment variables."""
    instance = _instance_path()
    production = os.environ.get("PORTAL_ENV", "development") == "production"
    database_url = os.environ.get("PORTAL_DATABASE_URL")
    if not database_url:
        if production:
            raise ConfigError("PORTAL_DATABASE_URL must be set when PORTAL_ENV=production.")
        instance.mkdir(parents=True, exist_ok=True)
        database_url = f"sqlite:///{instance / 'portal.sqlite3'}"
    return {
        "PORTAL_ENV": "production" if production else "development",
        "SECRET_KEY": _secret_key(instance, production),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "PORTAL_INSTANCE_PATH": str(instance),
        "PORTAL_SHARED_DATA": str(shared_data_folder()),
        "PORTAL_DOWNLOAD_TIMEOUT": float(
            os.environ.get("PORTAL_DOWNLOAD_TIMEOUT", str(DOWNLOAD_TIMEOUT_SECONDS))
        ),
        "PORTAL_DOWNLOAD_MAX_BYTES": int(
            os.environ.get("PORTAL_DOWNLOAD_MAX_BYTES", str(DOWNLOAD_MAX_BYTES))
        ),
        # Survey results are for the operator: /admin/survey* answer 404 until a token is set.
        "PORTAL_ADMIN_TOKEN": os.environ.get("PORTAL_ADMIN_TOKEN") or None,
        "PORTAL_ADMIN_RATE_LIMIT": os.environ.get("PORTAL_ADMIN_RATE_LIMIT") or ADMIN_RATE_LIMIT,
        "PORTAL_SURVEY_DRAFT_MAX_AGE_DAYS": int(
            os.environ.get("PORTAL_SURVEY_DRAFT_MAX_AGE_DAYS", str(SURVEY_DRAFT_MAX_AGE_DAYS))
        ),
        "PORTAL_SURVEY_SUBMISSION_RATE": os.environ.get(
            "PORTAL_SURVEY_SUBMISSION_RATE", SURVEY_SUBMISSION_RATE
        ),
        "PORTAL_PROBLEM_REPORT_RATE": os.environ.get(
            "PORTAL_PROBLEM_REPORT_RATE", PROBLEM_REPORT_RATE
        ),
        # Rate limits are counted in memory per process unless a shared store (redis://…) is set.
        "PORTAL_RATELIMIT_STORAGE_URL": os.environ.get("PORTAL_RATELIMIT_STORAGE_URL", "memory://"),
        "MAX_CONTENT_LENGTH": MAX_REQUEST_BYTES,
        "PORTAL_DB_CONNECT_TIMEOUT": float(
            os.environ.get("PORTAL_DB_CONNECT_TIMEOUT", str(DB_CONNECT_TIMEOUT))
        ),
        # 0: no limit (the `portal` commands run so: an import may take minutes).
        "PORTAL_DB_STATEMENT_TIMEOUT": float(
            os.environ.get("PORTAL_DB_STATEMENT_TIMEOUT", str(DB_STATEMENT_TIMEOUT))
        ),
        "PORTAL_DB_POOL_TIMEOUT": float(
            os.environ.get("PORTAL_DB_POOL_TIMEOUT", str(DB_POOL_TIMEOUT))
        ),
        # Rendered pages: in-process cache unless a shared one (redis://…) is set; 0 turns it off.
        "PORTAL_CACHE_URL": os.environ.get("PORTAL_CACHE_URL") or None,
        "PORTAL_CACHE_ENABLED": _optional_flag(os.environ.get("PORTAL_CACHE_ENABLED")),
        # Parts of pages kept per data version and language (the country chooser, header facts).
        "PORTAL_FRAGMENT_CACHE_ENABLED": _optional_flag(
            os.environ.get("PORTAL_FRAGMENT_CACHE_ENABLED")
        ),
        # Seconds a worker reuses the data version it read: an import shows within this time
        # (0: read it on every request, about 1 ms more per cached page).
        "PORTAL_DATA_VERSION_TTL": float(os.environ.get("PORTAL_DATA_VERSION_TTL", "2")),
        # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
        "PORTAL_PROXY_COUNT": int(os.environ.get("PORTAL_PROXY_COUNT", "0")),
        # The public host name ("results.example.org"): absolute links (the API's) use it.
        # Without it, and without trusted hosts, links are paths: never the request's Host.
        "SERVER_NAME": os.environ.get("PORTAL_SERVER_NAME") or None,
        # Host names requests may carry (comma-separated); any other Host is answered 400.
        "TRUSTED_HOSTS": _host_list(os.environ.get("PORTAL_TRUSTED_HOSTS")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
    }
