"""Rendered pages cached per data version, answered with ETag / Last-Modified and 304s.

Views opt in with `@cached_page`. A page's key is (code release, data version, scheme, path,
sorted query, and the HTMX headers that choose page or fragment); the language is the path's
prefix. The data version is the newest import run, so an import makes every earlier entry
unreachable. Only GET 200 answers are kept, and never one that touched the session (CSRF
token, survey state) or set a cookie.

Hits are answered by `PageCacheMiddleware` in front of Flask, without routing, sessions or
extensions: a cached page costs about what a bare WSGI answer costs. Misses go through Flask
as usual; the middleware keeps the finished answer (security headers included) when the view
said it may. The store is Flask-Caching: in-process by default, Redis when PORTAL_CACHE_URL
is set so that several app servers share it.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import hashlib
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import brotli
from flask import Flask, Response, g, make_response, request
from flask.globals import request_ctx
from flask_caching import Cache
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.datastructures import Headers
from werkzeug.http import (
    http_date,
    is_resource_modified,
    parse_accept_header,
    parse_set_header,
    quote_etag,
)

from portal import compression
from portal.config import PACKAGE_DIR, SITE_FOLDERS, site_folder
from portal.degraded import STORE_SOCKET_OPTIONS, Outage
from portal.extensions import db
from portal.iati import queries as iati_queries
from portal.links import QUERY_NAMES

page_cache = Cache()

# Entries of an older data version are unreachable at once; the timeout only frees memory.
PAGE_TIMEOUT_SECONDS = 24 * 3600
# Request headers that choose what a page view renders; each is part of the key.
KEYED_REQUEST_HEADERS = ("HX-Request", "HX-Boosted", "HX-History-Restore-Request", "HX-Target")
# Headers a view may vary on and still be cached: the key covers them.
KEYED_VARY_HEADERS = {header.lower() for header in KEYED_REQUEST_HEADERS} | {"accept-encoding"}
# What a cached answer does not keep: set again for each visitor.
UNSTORED_HEADERS = {
    "content-length",
    "content-encoding",
    "date",
    "set-cookie",
    "etag",
    "last-modified",
    "cache-control",
    "expires",
}
# Where the middleware tells the view it may keep the page, and the view answers.
PENDING_PAGE = "portal.page_cache.pending"
DATA_VERSION_OF_REQUEST = "portal.data_version"


@dataclass
class CachedPage:
    """A finished answer as stored: the body once, plus each encoding as first asked for."""

    body: bytes
    headers: list[tuple[str, str]]
    etag: str
    last_modified: dt.datetime | None
    encoded: dict[str, bytes] = field(default_factory=dict)


@dataclass
class _PendingPage:
    """A miss on its way through Flask; `cacheable` is set by the view's decorator."""

    key: str
    last_modified: dt.datetime | None
    cacheable: bool = False


@dataclass
class _DataVersion:
    """The data version as this process last read it, and when."""

    token: str = ""
    last_modified: dt.datetime | None = None
    read_at: float = float("-inf")
    lock: threading.Lock = field(default_factory=threading.Lock)


def init_app(app: Flask) -> None:
    """Bind the page cache (Redis at PORTAL_CACHE_URL, else in-process; off in tests)."""
    cache_url = app.config.get("PORTAL_CACHE_URL")
    enabled = app.config.get("PORTAL_CACHE_ENABLED")
    if enabled is None:
        enabled = not (app.testing or app.debug)
    app.config["PORTAL_CACHE_ENABLED"] = bool(enabled)
    app.config.setdefault("PORTAL_DATA_VERSION_TTL", 0.0)
    if not enabled:
        cache_config = {"CACHE_TYPE": "NullCache", "CACHE_NO_NULL_WARNING": True}
    else:
        cache_config = store_config(cache_url, "portal:page:", 500, PAGE_TIMEOUT_SECONDS)
    page_cache.init_app(app, config=cache_config)
    if enabled:
        app.wsgi_app = PageCacheMiddleware(app, app.wsgi_app)  # type: ignore[method-assign]


def store_config(cache_url: str | None, prefix: str, threshold: int, timeout: int) -> dict:
    """Flask-Caching's settings for a store: Redis under `prefix` when `cache_url` names one
    (shared by every app server), else this process's memory (at most `threshold` entries)."""
    if cache_url:
        config = {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": cache_url,
            "CACHE_KEY_PREFIX": prefix,
            # A hung Redis costs a request at most this long, then the answer is computed.
            "CACHE_OPTIONS": dict(STORE_SOCKET_OPTIONS),
        }
    else:
        config = {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": threshold}
    config["CACHE_DEFAULT_TIMEOUT"] = timeout
    return config


def cached_page(view: Callable[..., Any]) -> Callable[..., Response]:
    """Let the page cache keep this view's page while the data has not changed."""

    @functools.wraps(view)
    def render(*args: Any, **kwargs: Any) -> Response:
        response = make_response(view(*args, **kwargs))
        pending = request.environ.get(PENDING_PAGE)
        if pending is not None:
            pending.cacheable = _is_cacheable(response)
        elif request.method in ("GET", "HEAD") and _is_cacheable(response):
            return _with_validators(response)
        return response

    return render


def _with_validators(response: Response) -> Response:
    """Without the page cache (turned off, or not in front of this request): the same ETag,
    Last-Modified and Cache-Control a cached page carries, and 304 when the visitor's copy is
    current. Flask-Compress adds the encoding to the ETag and answers 304 for an encoded copy."""
    response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
    response.cache_control.no_cache = True
    finished_at = request_data_version().last_import_finished_at
    if finished_at is not None:
        response.last_modified = finished_at.replace(tzinfo=dt.UTC)
    return response.make_conditional(request)


class PageCacheMiddleware:
    """Answers cached pages before Flask runs; keeps the pages `@cached_page` views allow."""

    def __init__(self, app: Flask, wsgi_app: Callable) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.store = GuardedStore(
            app.extensions["cache"][page_cache],
            Outage("Page cache store", app.logger),
            release_fingerprint(),
        )
        self.release = self.store.release
        self.version = _DataVersion()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD") or environ.get("PATH_INFO", "").startswith("/static/"):
            return self.wsgi_app(environ, start_response)
        if not _keyable_query(environ.get("QUERY_STRING", "")):
            return self.wsgi_app(environ, start_response)  # rendered, never kept
        try:
            token, last_modified = self._data_version()
        except SQLAlchemyError:
            return self.wsgi_app(environ, start_response)  # Flask answers 503 if it is down
        key = self._page_key(environ, token)
        entry = self._get(key)
        if entry is not None:
            return self._answer(entry, key, environ, start_response, store=False)
        if method == "HEAD":  # no body to keep
            return self.wsgi_app(environ, start_response)
        return self._render_and_keep(environ, start_response, _PendingPage(key, last_modified))

    def _render_and_keep(
        self, environ: dict, start_response: Callable, pending: _PendingPage
    ) -> Iterable[bytes]:
        environ[PENDING_PAGE] = pending
        finished: dict[str, Any] = {}

        def keep_or_pass(status: str, headers: list, exc_info=None):
            if pending.cacheable and status.startswith("200 ") and exc_info is None:
                finished["headers"] = Headers(headers)
                return finished.setdefault("written", []).append
            return start_response(status, headers, exc_info)

        answer = self.wsgi_app(environ, keep_or_pass)
        if "headers" not in finished:
            return answer
        try:
            body = b"".join([*finished.get("written", []), *answer])
        finally:
            if hasattr(answer, "close"):
                answer.close()
        headers = finished["headers"]
        per_visitor = "Set-Cookie" in headers or "cookie" in headers.get("Vary", "").lower()
        if per_visitor or headers.get("Content-Encoding") not in (None, "gzip", "br"):
            start_response("200 OK", headers.to_wsgi_list())  # not for the cache after all
            return [body]
        entry = _entry_from(body, headers, pending.last_modified)
        return self._answer(entry, pending.key, environ, start_response, store=True)

    def _answer(
        self, entry: CachedPage, key: str, environ: dict, start_response: Callable, store: bool
    ) -> list[bytes]:
        """The entry as this visitor asked for it: encoded, or 304 when their copy is current."""
        accepted = parse_accept_header(environ.get("HTTP_ACCEPT_ENCODING"))
        encoding = accepted.best_match(compression.ENCODINGS)
        if encoding and encoding not in entry.encoded:
            entry.encoded[encoding] = compression.compress_body(
                entry.body, encoding, config=self.app.config
            )
            store = True  # the first visitor asking for this encoding
        if store:
            self._set(key, entry)
        # Validators differ per encoding (as Flask-Compress writes them), so caches keep each.
        etag = f"{entry.etag}:{encoding}" if encoding else entry.etag
        headers = [
            *entry.headers,
            ("ETag", quote_etag(etag)),
            # Browsers and proxies may keep the page but must ask again: an import may change it.
            ("Cache-Control", "no-cache"),
        ]
        if entry.last_modified is not None:
            headers.append(("Last-Modified", http_date(entry.last_modified.replace(tzinfo=dt.UTC))))
        if not is_resource_modified(environ, etag=etag, last_modified=entry.last_modified):
            start_response("304 Not Modified", [h for h in headers if h[0] != "Content-Type"])
            return []
        body = entry.encoded[encoding] if encoding else entry.body
        if encoding:
            headers.append(("Content-Encoding", encoding))
        headers.append(("Content-Length", str(len(body))))
        start_response("200 OK", headers)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

    def _data_version(self) -> tuple[str, dt.datetime | None]:
        """The data version, read at most every PORTAL_DATA_VERSION_TTL seconds."""
        memo = self.version
        ttl = self.app.config["PORTAL_DATA_VERSION_TTL"]
        if time.monotonic() - memo.read_at >= ttl:
            with memo.lock, self.app.app_context():
                now = time.monotonic()
                if now - memo.read_at >= ttl:
                    version = iati_queries.data_version(db.session)
                    memo.token = version.token
                    memo.last_modified = version.last_import_finished_at
                    memo.read_at = now
        return memo.token, memo.last_modified

    def _page_key(self, environ: dict, version: str) -> str:
        query = "&".join(sorted(environ.get("QUERY_STRING", "").split("&")))
        chosen_by = [
            environ.get("HTTP_" + name.upper().replace("-", "_"), "").lower()
            for name in KEYED_REQUEST_HEADERS
        ]
        identity = repr(
            (environ.get("wsgi.url_scheme"), environ.get("PATH_INFO"), query, chosen_by)
        )
        digest = hashlib.sha256(identity.encode("utf-8", "surrogateescape")).hexdigest()
        return f"{self.release}:{version}:{digest}"

    def _get(self, key: str) -> CachedPage | None:
        entry = self.store.get(key)
        return entry if isinstance(entry, CachedPage) else None

    def _set(self, key: str, entry: CachedPage) -> None:
        self.store.set(key, entry)


class GuardedStore:
    """A cache store that may be down: a cache is an optimisation, so when its store fails
    the answer is computed afresh (and for a few seconds the store is not even asked)."""

    def __init__(self, store: Any, outage: Outage, release: str) -> None:
        self.store = store
        self.outage = outage
        self.release = release  # entries of another release of the code are never read

    def get(self, key: str) -> Any:
        if self.outage.is_down():
            return None
        try:
            entry = self.store.get(key)
        except (RedisError, OSError) as error:
            self.outage.failed(error)
            return None
        self.outage.recovered()
        return entry

    def set(self, key: str, entry: Any) -> None:
        if self.outage.is_down():
            return
        try:
            self.store.set(key, entry)
        except (RedisError, OSError) as error:
            self.outage.failed(error)


def request_data_version() -> iati_queries.DataVersion:
    """The data version, read once per request (validators and fragment keys share it; kept
    in the request's environ, not in `g`, which can outlive a request)."""
    version = request.environ.get(DATA_VERSION_OF_REQUEST)
    if version is None:
        version = request.environ[DATA_VERSION_OF_REQUEST] = iati_queries.data_version(db.session)
    return version


def _keyable_query(query: str) -> bool:
    """Whether a page may be kept under its query: only the names pages read, each once (a
    visitor cannot fill the cache with copies under made-up names)."""
    names = [name for name, _value in parse_qsl(query, keep_blank_values=True)]
    return len(names) == len(set(names)) and all(name in QUERY_NAMES for name in names)


def _is_cacheable(response: Response) -> bool:
    """A plain 200 page for everyone: no cookie, no session, no CSRF token, no opt-out."""
    if response.status_code != 200 or response.is_streamed or response.direct_passthrough:
        return False
    if "Set-Cookie" in response.headers or "Content-Encoding" in response.headers:
        return False
    if _session_was_used() or "csrf_token" in g:
        return False
    if response.cache_control.private or response.cache_control.no_store:
        return False
    return {value.lower() for value in response.vary} <= KEYED_VARY_HEADERS


def _session_was_used() -> bool:
    """Whether the view read or wrote the session (a per-visitor page), without touching it.

    Flask 3.1 marks the session accessed whenever `flask.session` is looked up, so the
    request context's own reference is read instead.
    """
    context = request_ctx._get_current_object()
    state = vars(context).get("_session", vars(context).get("session"))
    return bool(state is not None and (state.accessed or state.modified))


def _entry_from(body: bytes, headers: Headers, last_modified: dt.datetime | None) -> CachedPage:
    """The entry for a finished answer; a body Flask-Compress encoded is kept as that encoding."""
    encoding = headers.get("Content-Encoding")
    encoded = {encoding: body} if encoding else {}
    if encoding == "gzip":
        body = gzip.decompress(body)
    elif encoding == "br":
        body = brotli.decompress(body)
    kept = Headers(
        [(name, value) for name, value in headers if name.lower() not in UNSTORED_HEADERS]
    )
    vary = parse_set_header(kept.get("Vary"))
    vary.add("Accept-Encoding")
    kept["Vary"] = vary.to_header()
    return CachedPage(
        body=body,
        headers=kept.to_wsgi_list(),
        etag=hashlib.sha256(body).hexdigest()[:32],
        last_modified=last_modified,
        encoded=encoded,
    )


def release_inputs() -> list[Path]:
    """Inputs of the rendered HTML besides the data (a new release must not meet old pages):
    the package, and the site files of the checkout (in a wheel they are inside the package)."""
    site = site_folder()
    return [PACKAGE_DIR] + [
        site / name for name in SITE_FOLDERS if not (site / name).is_relative_to(PACKAGE_DIR)
    ]


def release_fingerprint(folders: list[Path] | None = None) -> str:
    """A short hash of the code, templates, static files and catalogues being served."""
    digest = hashlib.sha256()
    for folder in release_inputs() if folders is None else folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".po":
                digest.update(str(path.relative_to(folder.parent)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
