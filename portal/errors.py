"""Error pages in the visitor's language, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, Response, current_app, g, request
from flask.globals import request_ctx
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as ConnectionPoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from portal.api.errors import api_error, is_api_request
from portal.extensions import db, seconds_until_limit_resets
from portal.htmx import render_page_or_fragment
from portal.links import this_page_url
from portal.pagination import PageOutOfRange

ERROR_TITLES = {
    400: _l("Bad request"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    413: _l("Request too large"),
    429: _l("Too many requests"),
    503: _l("Service unavailable"),
}


# How long a visitor (or a crawler) is asked to wait when the database cannot be reached.
RETRY_AFTER_SECONDS = 30


def error_title(code: int | None) -> str:
    return str(ERROR_TITLES.get(code or 500, _l("Something went wrong")))


def is_database_outage(error: BaseException) -> bool:
    """The database cannot be reached (down, restarting, pool exhausted), not a bug in a query."""
    if isinstance(error, (OperationalError, InterfaceError, ConnectionPoolTimeout)):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


def _bind_urls_without_the_host() -> None:
    """A request whose Host is not among PORTAL_TRUSTED_HOSTS has no URL adapter (Flask
    refused to bind one to that host): bind one to the first trusted host, so the 400 page
    can build its own links (paths only; the refused host is never used)."""
    context = request_ctx._get_current_object()
    if context.url_adapter is None:
        hosts = current_app.config.get("TRUSTED_HOSTS") or ["localhost"]
        context.url_adapter = current_app.url_map.bind(
            hosts[0].lstrip("."), script_name=request.root_path or None, url_scheme=request.scheme
        )


def _render_error(error: HTTPException):
    _bind_urls_without_the_host()
    if is_api_request():  # the open data API answers in JSON, never with an HTML page
        return api_error(error)
    try:
        return _error_page(error, error.code or 500)
    except SQLAlchemyError as failure:  # the page's own reads (sample banner) met an outage
        if not is_database_outage(failure):
            raise
        return database_unavailable(failure)


def _error_page(error: HTTPException, status: int) -> Response:
    """A fragment for HTMX, the whole page otherwise."""
    return render_page_or_fragment(
        "errors/error.html",
        "errors/_error.html",
        status,
        error=error,
        list_pages=pages_of_the_list(error),
    )


@dataclass(frozen=True)
class PagesOfTheList:
    """Where a visitor who asked for a page past the last of a list can go instead."""

    requested: int
    page_count: int
    first_url: str
    last_url: str


def pages_of_the_list(error: HTTPException) -> PagesOfTheList | None:
    """For a page past the last of a list, its number of pages and the addresses of its first
    and last pages, built as the list's own page links are; None for any other error."""
    if not isinstance(error, PageOutOfRange):
        return None
    page_url = error.page_url or _this_page_numbered
    return PagesOfTheList(
        error.requested, error.page_count, page_url(1), page_url(error.page_count)
    )


def _this_page_numbered(number: int) -> str:
    """This page's address (its own arguments and the query names the portal accepts, never
    the raw query) with page `number`; page 1 has no `page`, as the lists' links write it."""
    if number > 1:
        return this_page_url(page=str(number))
    return this_page_url(page=None)  # type: ignore[arg-type]  # url_for leaves out None


def database_unavailable(error: BaseException) -> Response:
    """503 with the friendly page, rendered without touching the database, and Retry-After."""
    g.database_unavailable = True  # portal.templating skips its database reads
    unavailable = ServiceUnavailable()
    if is_api_request():
        response = api_error(unavailable)
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    response = _error_page(unavailable, 503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.cache_control.no_store = True
    return response


def _end_the_session(_error: BaseException | None) -> None:
    """End the request's session (its transaction rolled back, its connection back in the
    pool). The database can vanish after the page was read and before this rollback: the page
    is whole (it read one snapshot), so it is sent; the lost connection is already thrown
    away, and an exception here would reach gunicorn after Flask answered, as its bare 500."""
    try:
        db.session.remove()
    except SQLAlchemyError as failure:
        if not is_database_outage(failure):
            raise
        current_app.logger.warning(
            "Database unavailable at the end of a request: %s", failure.__class__.__name__
        )
        db.session.remove()  # the transaction is over and the connection invalidated


def _say_when_to_come_back(response: Response) -> None:
    """429: Retry-After, the seconds until the exceeded limit lets the visitor in again."""
    seconds = seconds_until_limit_resets()
    if seconds is not None:
        response.headers["Retry-After"] = str(seconds)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["error_title"] = error_title
    # Registered after Flask-SQLAlchemy's own teardown, so it runs first (Flask runs them in
    # reverse): theirs then finds the session already gone.
    app.teardown_appcontext(_end_the_session)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        response = _render_error(error)
        if error.code == 429:
            _say_when_to_come_back(response)
        return response

    @app.errorhandler(DBAPIError)
    @app.errorhandler(ConnectionPoolTimeout)
    def database_error(error: SQLAlchemyError):
        if not is_database_outage(error):
            return unexpected_error(error)
        app.logger.warning("Database unavailable: %s", error.__class__.__name__)
        return database_unavailable(error)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("Unhandled error")
        return _render_error(InternalServerError())
