"""The read-only open data API under /api/v1/: JSON, CORS open, ETags, an OpenAPI document."""

from __future__ import annotations

from flask import Flask, Response, request

from portal.api.errors import is_api_request

CORS_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_MAX_AGE_SECONDS = 86400


def add_cors_headers(response: Response) -> Response:
    """Any origin may read the API (GET, HEAD, and the OPTIONS preflight); nothing else is open."""
    if not is_api_request() or request.method not in CORS_METHODS:
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "ETag"
    if request.method == "OPTIONS" and response.status_code == 200:
        # Flask's automatic answer is an empty text/html page: say "no content" instead.
        response.status_code = 204
        response.headers.pop("Content-Type", None)
        response.headers["Access-Control-Allow-Methods"] = ", ".join(CORS_METHODS)
        response.headers["Access-Control-Allow-Headers"] = "Accept, If-None-Match"
        response.headers["Access-Control-Max-Age"] = str(CORS_MAX_AGE_SECONDS)
    return response


def init_app(app: Flask) -> None:
    from portal.api.views import blueprint

    app.register_blueprint(blueprint)
    app.after_request(add_cors_headers)
