"""Downloads of exactly what a page shows (CSV, XLSX, JSON) and the IATI XML behind it."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The download routes, and `download_offer()` for the Download Data section."""
    from portal.downloads import links, views

    app.register_blueprint(views.blueprint)
    app.jinja_env.globals["download_offer"] = links.download_offer
