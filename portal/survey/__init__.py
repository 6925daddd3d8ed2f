"""The feedback survey (issue 7): one question per page, drafts kept server-side, responses
stored without IP addresses, and the operator's counts and export."""

from __future__ import annotations

from flask import Flask

from portal.config import SURVEY_DRAFT_MAX_AGE_DAYS, SURVEY_SUBMISSION_RATE


def init_app(app: Flask) -> None:
    """Register the survey's pages and the operator's pages, with their settings' defaults."""
    app.config.setdefault("PORTAL_ADMIN_TOKEN", None)
    app.config.setdefault("PORTAL_SURVEY_DRAFT_MAX_AGE_DAYS", SURVEY_DRAFT_MAX_AGE_DAYS)
    app.config.setdefault("PORTAL_SURVEY_SUBMISSION_RATE", SURVEY_SUBMISSION_RATE)

    from portal.survey.admin import blueprint as admin_blueprint
    from portal.survey.views import blueprint

    app.register_blueprint(blueprint)
    app.register_blueprint(admin_blueprint)
