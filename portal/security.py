"""Security headers on every response: a strict CSP (no inline code), no framing, no sniffing;
and request bodies held to MAX_CONTENT_LENGTH, chunked ones included."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import IO

from flask import Flask, Response, abort, request
from werkzeug.exceptions import ClientDisconnected, HTTPException, RequestEntityTooLarge
from werkzeug.http import parse_set_header
from werkzeug.wsgi import get_content_length

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

HSTS = "max-age=31536000; includeSubDomains"


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def refuse_nul_bytes() -> None:
    """No address of the portal carries a NUL character; PostgreSQL cannot even compare one."""
    if "\x00" in request.path or any("\x00" in value for value in request.args.values()):
        abort(400)


READ_SIZE = 64 * 1024


class ChunkedBodyLimit:
    """Holds a chunked body (Transfer-Encoding: chunked, no Content-Length) to MAX_CONTENT_LENGTH.

    Werkzeug reads such a body up to the limit and silently drops the rest, so a form cut short
    would be read as if whole. The body is read here instead, one byte past the limit at most:
    within the limit the app reads it whole; past it, reading it raises 413, which Flask answers
    with the error page, as for a Content-Length over the limit.
    """

    def __init__(self, app: Flask, wsgi_app: Callable) -> None:
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        limit = self.app.config.get("MAX_CONTENT_LENGTH")
        if limit is not None and _is_dechunked_body(environ):
            environ["wsgi.input"] = _read_within(environ["wsgi.input"], limit)
        return self.wsgi_app(environ, start_response)


def _is_dechunked_body(environ: dict) -> bool:
    """A chunked body the server de-chunks and ends (gunicorn and Werkzeug's server say so with
    wsgi.input_terminated): the one body Werkzeug reads without a Content-Length."""
    return (
        "wsgi.input_terminated" in environ
        and get_content_length(environ) is None
        and "chunked" in parse_set_header(environ.get("HTTP_TRANSFER_ENCODING"))
    )


def _read_within(stream: IO[bytes], limit: int) -> IO[bytes]:
    body = bytearray()
    try:
        while len(body) <= limit:
            piece = stream.read(min(READ_SIZE, limit + 1 - len(body)))
            if not piece:
                return io.BytesIO(bytes(body))
            body += piece
    except (OSError, ValueError):  # the client went away mid-body (gunicorn's NoMoreData…)
        return _UnreadableBody(ClientDisconnected)
    return _UnreadableBody(RequestEntityTooLarge)


class _UnreadableBody(io.RawIOBase):
    """A body the app may not read: reading it raises an HTTP error, which Flask answers."""

    def __init__(self, error: type[HTTPException]) -> None:
        super().__init__()
        self.error = error

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        raise self.error()


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_bytes)
    app.after_request(add_security_headers)
    app.wsgi_app = ChunkedBodyLimit(app, app.wsgi_app)  # type: ignore[method-assign]
