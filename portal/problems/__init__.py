"""Report a problem with this data (issue 15, point 4): a short form on every outcome, country
header and group of figures; reports stored without IP addresses; the operator's list and export."""

from __future__ import annotations

from flask import Flask

from portal.config import PROBLEM_REPORT_RATE


def init_app(app: Flask) -> None:
    """Register the report pages and the operator's page, with their settings' defaults."""
    app.config.setdefault("PORTAL_ADMIN_TOKEN", None)
    app.config.setdefault("PORTAL_PROBLEM_REPORT_RATE", PROBLEM_REPORT_RATE)

    from portal.problems.admin import blueprint as admin_blueprint
    from portal.problems.views import blueprint

    app.register_blueprint(blueprint)
    app.register_blueprint(admin_blueprint)
