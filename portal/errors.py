"""Error pages in the visitor's language, never a traceback."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.htmx import wants_fragment

ERROR_TITLES = {
    400: _l("Bad request"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    413: _l("Request too large"),
    429: _l("Too many requests"),
    503: _l("Service unavailable"),
}


def error_title(code: int | None) -> str:
    return str(ERROR_TITLES.get(code or 500, _l("Something went wrong")))


def _render_error(error: HTTPException):
    template = "errors/_error.html" if wants_fragment() else "errors/error.html"
    response = render_template(template, error=error), error.code or 500
    return response


def init_app(app: Flask) -> None:
    app.jinja_env.globals["error_title"] = error_title

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return _render_error(error)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("Unhandled error")
        return _render_error(InternalServerError())
