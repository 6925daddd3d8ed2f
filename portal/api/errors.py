"""Errors under /api/ are JSON, never an HTML page: {"error": {"status": 400, "message": …}}."""

from __future__ import annotations

import json

from flask import Response, has_request_context, request
from werkzeug.exceptions import HTTPException

API_PREFIX = "/api/"


def is_api_request() -> bool:
    return has_request_context() and request.path.startswith(API_PREFIX)


def error_message(error: HTTPException) -> str:
    """Our own words when a view gave some (a parameter's problem), else the status's title."""
    from portal.errors import error_title

    described = error.description and error.description != type(error).description
    return str(error.description) if described else error_title(error.code)


def api_error(error: HTTPException, status: int | None = None) -> Response:
    """The JSON answer for an HTTP error; keeps headers such as Allow (405)."""
    from portal.api.responses import ErrorSchema

    status = status or error.code or 500
    body = ErrorSchema().dump({"error": {"status": status, "message": error_message(error)}})
    response = Response(
        json.dumps(body, ensure_ascii=False) + "\n",
        status=status,
        mimetype="application/json",
    )
    for name, value in error.get_headers():
        if name.lower() not in {"content-type", "content-length"}:
            response.headers[name] = value
    response.cache_control.no_store = True
    return response
