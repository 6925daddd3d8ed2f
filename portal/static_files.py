"""Fingerprinted static URLs: browsers keep each CSS/JS file for a year, and a change is a new URL.

`url_for('static', filename=...)` gains `?v=<first 12 hex digits of the file's SHA-256>`.
A request whose `v` matches the file on disk is answered `immutable` for a year; without it
(or with an old one) the answer may be kept only a few minutes. Text files are compressed once
per process, as small as brotli / gzip can make them, and served from memory.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from flask import Flask, Response, request
from werkzeug.security import safe_join

from portal import compression

IMMUTABLE = "public, max-age=31536000, immutable"
UNVERSIONED = "public, max-age=300"
FINGERPRINT_LENGTH = 12
T = TypeVar("T")


class StaticFiles:
    """Each static file's fingerprint and compressed copies, redone when the file changes."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = os.fspath(folder)
        self._fingerprints: dict[str, tuple[tuple[int, int], str]] = {}
        self._encoded: dict[tuple[str, str], tuple[tuple[int, int], bytes]] = {}

    def _path_and_signature(self, filename: str) -> tuple[str, tuple[int, int]] | None:
        path = safe_join(self.folder, filename)
        if path is None:
            return None
        try:
            stat = os.stat(path)
        except (OSError, ValueError):
            return None
        return path, (stat.st_mtime_ns, stat.st_size)

    def fingerprint(self, filename: str) -> str | None:
        """The file's fingerprint, or None when there is no such file under the folder."""
        return self._derived(
            self._fingerprints,
            filename,
            filename,
            lambda content: hashlib.sha256(content).hexdigest()[:FINGERPRINT_LENGTH],
        )

    def encoded(self, filename: str, encoding: str) -> bytes | None:
        """The file compressed with `encoding`, kept in memory after the first time."""
        return self._derived(
            self._encoded,
            (filename, encoding),
            filename,
            lambda content: compression.compress_body(content, encoding, smallest=True),
        )

    def _derived(self, store: dict, key, filename: str, derive: Callable[[bytes], T]) -> T | None:
        """`derive(content)` of the file, kept in `store` until the file changes."""
        found = self._path_and_signature(filename)
        if found is None:
            return None
        path, signature = found
        known = store.get(key)
        if known is not None and known[0] == signature:
            return known[1]
        try:
            content = Path(path).read_bytes()
        except OSError:
            return None
        value = derive(content)
        store[key] = (signature, value)
        return value


def init_app(app: Flask) -> None:
    if app.static_folder is None:
        return
    static_files = StaticFiles(app.static_folder)
    app.extensions["portal_static_files"] = static_files

    @app.url_defaults
    def fingerprint_static_urls(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values and "filename" in values:
            fingerprint = static_files.fingerprint(values["filename"])
            if fingerprint:
                values["v"] = fingerprint

    @app.after_request
    def cache_and_compress_static_files(response: Response) -> Response:
        if request.endpoint != "static" or response.status_code not in (200, 206, 304):
            return response
        filename = (request.view_args or {}).get("filename", "")
        version = request.args.get("v")
        current = version is not None and version == static_files.fingerprint(filename)
        response.headers["Cache-Control"] = IMMUTABLE if current else UNVERSIONED
        response.headers.pop("Expires", None)
        response.vary.add("Accept-Encoding")
        encoding = compression.negotiated_encoding()
        if (
            response.status_code == 200
            and encoding
            and compression.is_compressible(response.mimetype)
            and "Content-Encoding" not in response.headers
        ):
            body = static_files.encoded(filename, encoding)
            if body is not None:
                response = _encoded_response(response, body, encoding)
        return response


def _encoded_response(response: Response, body: bytes, encoding: str) -> Response:
    """The file response with the compressed copy as its body (and the file closed)."""
    response.close()
    response.direct_passthrough = False
    response.set_data(body)
    response.headers["Content-Encoding"] = encoding
    response.headers.pop("Accept-Ranges", None)  # ranges of the file, not of its encoding
    etag, weak = response.get_etag()
    if etag:
        response.set_etag(f"{etag}:{encoding}", weak=weak)
    return response.make_conditional(request)
