"""Configuration read from the environment; one place for every setting the portal has."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"

SUPPORTED_LANGUAGES = ("en", "fr", "es")
DEFAULT_LANGUAGE = "en"


class ConfigError(RuntimeError):
    """The environment does not describe a portal that can start safely."""


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
        "PORTAL_SHARED_DATA": os.environ.get(
            "PORTAL_SHARED_DATA", str(PROJECT_ROOT.parent / "shared" / "data")
        ),
        "PORTAL_DOWNLOAD_TIMEOUT": float(os.environ.get("PORTAL_DOWNLOAD_TIMEOUT", "30")),
        "PORTAL_DOWNLOAD_MAX_BYTES": int(
            os.environ.get("PORTAL_DOWNLOAD_MAX_BYTES", str(200 * 1024 * 1024))
        ),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
    }
