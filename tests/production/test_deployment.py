"""Production settings: secure cookies, a trusted reverse proxy, and gunicorn's configuration."""

from __future__ import annotations

import importlib
import subprocess
from collections import Counter

import pytest

from portal import create_app, schema
from portal.extensions import db

from .apps import cache_probe_blueprint, make_app
from .servers import BIN, PROJECT_ROOT, portal_environment


@pytest.fixture
def production_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_SECRET_KEY", "a-production-secret")
    monkeypatch.setenv("PORTAL_DATABASE_URL", f"sqlite:///{tmp_path / 'portal.sqlite3'}")
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))


def _session_cookie(app) -> str:
    app.register_blueprint(cache_probe_blueprint(Counter()))
    response = app.test_client().get("/en/cache-probe", headers={"X-Probe-Session": "1"})
    return response.headers["Set-Cookie"]


def test_production_session_cookie_is_secure_httponly_and_lax(production_environment):
    app = create_app()
    with app.app_context():
        schema.upgrade(db.engine)
    cookie = _session_cookie(app)
    with app.app_context():
        db.engine.dispose()
    assert cookie.startswith("session=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_development_session_cookie_works_over_plain_http(monkeypatch, database_url, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "development")
    monkeypatch.setenv("PORTAL_DATABASE_URL", database_url)
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    cookie = _session_cookie(create_app({"PORTAL_CACHE_ENABLED": False}))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_production_needs_a_secret_key_and_a_database(monkeypatch, tmp_path):
    from portal.config import ConfigError

    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    monkeypatch.setenv("PORTAL_DATABASE_URL", f"sqlite:///{tmp_path / 'portal.sqlite3'}")
    with pytest.raises(ConfigError, match="PORTAL_SECRET_KEY"):
        create_app()


@pytest.mark.parametrize(("proxies", "hsts"), [(1, True), (0, False)])
def test_https_behind_a_trusted_proxy(database_url, tmp_path, db_session, proxies, hsts):
    app = make_app(database_url, tmp_path, PORTAL_PROXY_COUNT=proxies)
    response = app.test_client().get(
        "/en/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    )
    assert ("Strict-Transport-Security" in response.headers) is hsts


def test_gunicorn_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "9123")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "8")
    from portal import gunicorn_conf

    settings = importlib.reload(gunicorn_conf)
    assert settings.bind == ["0.0.0.0:9123"]
    assert (settings.workers, settings.threads, settings.worker_class) == (3, 8, "gthread")
    assert settings.preload_app and settings.wsgi_app == "portal:create_app()"
    monkeypatch.delenv("WEB_CONCURRENCY")
    assert importlib.reload(gunicorn_conf).workers >= 3  # 2 × cores + 1


def test_gunicorn_refuses_to_start_production_without_a_secret_key(tmp_path):
    environment = portal_environment(f"sqlite:///{tmp_path / 'portal.sqlite3'}", tmp_path)
    del environment["PORTAL_SECRET_KEY"]
    environment["PORT"] = "0"
    done = subprocess.run(
        [str(BIN / "gunicorn"), "--config", "python:portal.gunicorn_conf"],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "PORTAL_SECRET_KEY must be set" in done.stderr
