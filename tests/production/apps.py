"""Portal apps as the production tests configure them, and a cached probe view."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from flask import Blueprint, Flask, abort, g, request, session
from flask_wtf.csrf import generate_csrf

from portal import create_app
from portal.caching import cached_page
from portal.extensions import csrf
from portal.htmx import wants_fragment
from quality.page_checker import CheckedClient


def make_app(database_url: str, instance: Path, **settings) -> Flask:
    """A portal app as tests configure it, with the settings given on top."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "PORTAL_INSTANCE_PATH": str(instance),
            "PORTAL_ENV": "development",
            **settings,
        }
    )
    app.test_client_class = CheckedClient
    return app


def cache_probe_blueprint(renders: Counter) -> Blueprint:
    """A cached view whose answer says how often it ran, and can misbehave when a header asks
    (headers, not query names: a query name pages do not read is never cached anyway)."""
    probe = Blueprint("cache_probe", __name__)

    @probe.route("/<lang>/cache-probe", methods=["GET", "HEAD", "POST"])
    @csrf.exempt  # POSTs here show only that a POST is never served from the cache
    @cached_page
    def cache_probe():
        renders["count"] += 1
        kind = f"fragment for {request.headers.get('HX-Target')}" if wants_fragment() else "page"
        body = f"render {renders['count']} in {g.lang}: {kind}"
        if request.headers.get("X-Probe-Status"):
            abort(int(request.headers["X-Probe-Status"]))
        response = Flask.response_class(body, mimetype="text/plain")
        if request.headers.get("X-Probe-Cookie"):
            response.set_cookie("preference", "1")
        if request.headers.get("X-Probe-Session"):
            session["visited"] = True
        if request.headers.get("X-Probe-Csrf"):
            response.set_data(f"{body} token {generate_csrf()}")
        return response

    return probe
