"""gzip and brotli for text answers: pages, fragments, CSS, JavaScript, SVG, JSON and CSV.

Flask-Compress compresses what views answer. Cached pages (portal.caching) and static files
(portal.static_files) arrive already encoded, each compressed once rather than per request,
and it leaves those alone.
"""

from __future__ import annotations

import gzip
from collections.abc import Mapping

import brotli
from flask import Flask, Response, current_app, request
from flask_compress import Compress

compress = Compress()

COMPRESSED_MIMETYPES = [
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "image/svg+xml",
    "application/json",
    "text/csv",
]
# Preference when the visitor accepts both equally: brotli is smaller for HTML and CSS.
ENCODINGS = ("br", "gzip")


# RFC 1952: a gzip member's bytes 4–7 are its MTIME, 0 when it carries no time.
_GZIP_MTIME = slice(4, 8)
_NO_TIME = bytes(4)


def init_app(app: Flask) -> None:
    # Runs after Flask-Compress's hook (registered before it). Flask-Compress writes the time
    # of compression into a gzip answer: one page, under one ETag, came out as different bytes
    # from one second to the next (a test comparing two answers failed in CI). The time is
    # taken out, as compress_body never writes it; the CRC covers the content only.
    @app.after_request
    def gzip_without_time(response: Response) -> Response:
        if response.headers.get("Content-Encoding") != "gzip" or response.is_streamed:
            return response
        body = response.get_data()
        if body[:3] == b"\x1f\x8b\x08" and body[_GZIP_MTIME] != _NO_TIME:
            response.set_data(body[:4] + _NO_TIME + body[8:])
        return response

    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_MIMETYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", list(ENCODINGS))
    # Static files are streamed from disk; compress them on the way too (gzip included).
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", list(ENCODINGS))
    app.config.setdefault("COMPRESS_LEVEL", 6)
    app.config.setdefault("COMPRESS_BR_LEVEL", 4)  # 5 and above cost several times more CPU
    compress.init_app(app)

    # Runs before Flask-Compress's hook (hooks run last-registered first): when it wraps a
    # streamed file in its compressor, the file must still be closed after the answer.
    @app.after_request
    def close_streamed_source(response: Response) -> Response:
        source = response.response
        if response.is_streamed and hasattr(source, "close"):
            response.call_on_close(source.close)
        return response


def negotiated_encoding() -> str | None:
    """The encoding this request accepts that we prefer, or None for the identity."""
    return request.accept_encodings.best_match(ENCODINGS)


def compress_body(
    body: bytes, encoding: str, *, smallest: bool = False, config: Mapping | None = None
) -> bytes:
    """`body` in `encoding`: at the site's levels (the app's `config`), or as small as possible
    for what is compressed once and served many times (static files)."""
    config = current_app.config if config is None else config
    if encoding == "br":
        return brotli.compress(body, quality=11 if smallest else config["COMPRESS_BR_LEVEL"])
    if encoding == "gzip":
        return gzip.compress(
            body, compresslevel=9 if smallest else config["COMPRESS_LEVEL"], mtime=0
        )
    raise ValueError(f"Unsupported content encoding: {encoding}")


def is_compressible(mimetype: str | None) -> bool:
    return mimetype in current_app.config["COMPRESS_MIMETYPES"]
