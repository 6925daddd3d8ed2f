"""Where an IATI source comes from: a local file, or a URL downloaded with limits first.

A download has one deadline for all of it (PORTAL_DOWNLOAD_TIMEOUT), a limit on the XML it
decodes to (PORTAL_DOWNLOAD_MAX_BYTES) and, unless the operator allows it, no address inside
the operator's network: not the first URL, not any redirect.
"""

from __future__ import annotations

import hashlib
import http.client
import ipaddress
import os
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from flask_babel import gettext as _

from portal.iati.report import ImportFailed

CHUNK_BYTES = 1024 * 1024
GZIP_WBITS = 16 + zlib.MAX_WBITS  # zlib reads the gzip header and trailer itself
REQUEST_HEADERS = {"User-Agent": "open-results-portal", "Accept-Encoding": "gzip"}


@dataclass(frozen=True, slots=True)
class LocalSource:
    """A source as a readable file, with its provenance."""

    path: Path
    location: str  # what SourceFile records: the URL, or the file's absolute path
    sha256: str
    size: int


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


@contextmanager
def local_source(
    source: str, *, timeout: float, max_bytes: int, allow_private: bool = False
) -> Iterator[LocalSource]:
    """The source as a local file; a download is kept in a temporary file while in use.

    A download must finish within `timeout` seconds and decode to at most `max_bytes`; it may
    reach a loopback, private or other non-public address only with `allow_private`.
    """
    if is_url(source):
        with _download(
            source, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private
        ) as downloaded:
            yield downloaded
        return
    path = Path(source)
    try:
        digest, size = _file_digest(path)
    except FileNotFoundError:
        raise ImportFailed(source, None, _("no such file")) from None
    except IsADirectoryError:
        raise ImportFailed(source, None, _("is a directory, not a file")) from None
    except OSError as error:
        raise ImportFailed(source, None, error.strerror or str(error)) from None
    yield LocalSource(path=path, location=str(path.resolve()), sha256=digest, size=size)


def _file_digest(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


@contextmanager
def _download(
    url: str, *, timeout: float, max_bytes: int, allow_private: bool
) -> Iterator[LocalSource]:
    handle, name = tempfile.mkstemp(prefix="portal-iati-", suffix=".xml")
    path = Path(name)
    try:
        with os.fdopen(handle, "wb") as target:
            digest, size = _copy_limited(
                url, target, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private
            )
        yield LocalSource(path=path, location=url, sha256=digest, size=size)
    finally:
        path.unlink(missing_ok=True)


def _copy_limited(
    url: str, target, *, timeout: float, max_bytes: int, allow_private: bool
) -> tuple[str, int]:
    """Writes the decoded body to `target`; returns its sha256 and size."""
    deadline = _Deadline(timeout)
    late = ImportFailed(
        url,
        None,
        _(
            "download stopped: not finished within %(seconds)g s (PORTAL_DOWNLOAD_TIMEOUT)",
            seconds=timeout,
        ),
    )
    request = urllib.request.Request(url, headers=REQUEST_HEADERS)
    try:
        if not allow_private:
            _refuse_private(url)
        with deadline, _opener(deadline, allow_private).open(request) as response:
            digest, size = _copy_decoded(url, response, target, max_bytes)
    except _PrivateAddress as refusal:
        raise ImportFailed(url, None, refusal.message()) from None
    except urllib.error.HTTPError as error:
        error.close()  # it holds the connection open otherwise
        raise ImportFailed(
            url,
            None,
            _(
                "download failed: HTTP %(status)d %(reason)s",
                status=error.code,
                reason=error.reason,
            ),
        ) from None
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
        if deadline.passed:
            raise late from None
        reason = error.reason if isinstance(error, urllib.error.URLError) else error
        raise ImportFailed(url, None, _("download failed: %(reason)s", reason=reason)) from None
    if deadline.cut:  # the connection was shut mid-body: what was written may be cut short
        raise late
    return digest, size


def _copy_decoded(url: str, response, target, max_bytes: int) -> tuple[str, int]:
    """Copies the body as decoded XML, counting both the bytes received and the bytes decoded."""
    too_big = ImportFailed(
        url,
        None,
        _(
            "download stopped: larger than %(limit)d bytes (PORTAL_DOWNLOAD_MAX_BYTES)",
            limit=max_bytes,
        ),
    )
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise too_big
    decoder = _decoder(url, response.headers.get("Content-Encoding"))
    digest = hashlib.sha256()
    received = size = 0
    while chunk := response.read(CHUNK_BYTES):
        received += len(chunk)
        if received > max_bytes:
            raise too_big
        for piece in decoder.decode(chunk):
            size += len(piece)
            if size > max_bytes:
                raise too_big
            digest.update(piece)
            target.write(piece)
    decoder.finish()
    return digest.hexdigest(), size


def _decoder(url: str, content_encoding: str | None) -> _Identity | _Gzip:
    encoding = (content_encoding or "identity").strip().lower()
    if encoding == "identity":
        return _Identity()
    if encoding in ("gzip", "x-gzip"):
        return _Gzip(url)
    message = _("download failed: unsupported Content-Encoding %(encoding)s", encoding=encoding)
    raise ImportFailed(url, None, message)


class _Identity:
    def decode(self, data: bytes) -> Iterator[bytes]:
        yield data

    def finish(self) -> None:
        pass


class _Gzip:
    """Gzip decoded at most CHUNK_BYTES at a time: a small body can hold gigabytes of zeros,
    and the size limit must stop them before they are in memory."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._stream = zlib.decompressobj(GZIP_WBITS)

    def decode(self, data: bytes) -> Iterator[bytes]:
        try:
            while True:
                piece = self._stream.decompress(data, CHUNK_BYTES)
                if piece:
                    yield piece
                if self._stream.eof:
                    data = self._stream.unused_data
                    if not data:
                        return
                    self._stream = zlib.decompressobj(GZIP_WBITS)  # another gzip member
                else:
                    data = self._stream.unconsumed_tail
                    if not data and not piece:
                        return
        except zlib.error:
            raise self._damaged() from None

    def finish(self) -> None:
        if not self._stream.eof:
            raise self._damaged()

    def _damaged(self) -> ImportFailed:
        return ImportFailed(self._url, None, _("download failed: the gzip-encoded body is damaged"))


class _Deadline:
    """One deadline for a whole download, redirects included.

    Each connection waits at most the time left, and when the deadline passes a timer shuts
    the open connection, so no server can hold the import by trickling bytes (in the TLS
    handshake, the headers or the body).
    """

    def __init__(self, seconds: float) -> None:
        self._ends_at = time.monotonic() + seconds
        self._lock = threading.Lock()
        self._watched: socket.socket | None = None  # a duplicate of the open connection
        self.cut = False  # the timer shut a connection
        self._timer: threading.Timer | None = None

    @property
    def passed(self) -> bool:
        return self.cut or time.monotonic() >= self._ends_at

    def remaining(self) -> float:
        left = self._ends_at - time.monotonic()
        if left <= 0:
            raise TimeoutError
        return left

    def __enter__(self) -> _Deadline:
        self._timer = threading.Timer(max(self._ends_at - time.monotonic(), 0), self._cut)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._timer.cancel()
        self._timer.join()
        with self._lock:
            if self._watched is not None:
                self._watched.close()
                self._watched = None

    def connection_class(self, connection_class: type) -> Callable[..., http.client.HTTPConnection]:
        """`connection_class`, opening its sockets under this deadline."""

        def connection(host: str, **kwargs) -> http.client.HTTPConnection:
            connection = connection_class(host, **kwargs)
            connection._create_connection = self._connect  # http.client's hook for this
            return connection

        return connection

    def _connect(self, address, timeout=None, source_address=None) -> socket.socket:
        sock = socket.create_connection(address, self.remaining(), source_address)
        with self._lock:
            if self._watched is not None:
                self._watched.close()
            # A duplicate: TLS takes over the socket object, but shutting down any copy
            # shuts the connection.
            self._watched = sock.dup()
            if self.cut:
                self._shut()
        return sock

    def _cut(self) -> None:
        with self._lock:
            self.cut = True
            if self._watched is not None:
                self._shut()

    def _shut(self) -> None:
        with suppress(OSError):
            self._watched.shutdown(socket.SHUT_RDWR)


class _WatchedConnections:
    """A urllib handler whose connections open under the download's deadline."""

    def __init__(self, deadline: _Deadline, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._deadline = deadline

    def do_open(self, http_class, req, **http_conn_args):
        return super().do_open(self._deadline.connection_class(http_class), req, **http_conn_args)


class _HTTPHandler(_WatchedConnections, urllib.request.HTTPHandler):
    pass


class _HTTPSHandler(_WatchedConnections, urllib.request.HTTPSHandler):
    pass


class _PrivateRedirects(urllib.request.HTTPRedirectHandler):
    """Checks where a redirect leads before following it."""

    def __init__(self, allow_private: bool) -> None:
        super().__init__()
        self._allow_private = allow_private

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not self._allow_private:
            try:
                _refuse_private(newurl, redirected=True)
            except Exception:
                fp.close()  # the redirect's own response, not read
                raise
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(deadline: _Deadline, allow_private: bool) -> urllib.request.OpenerDirector:
    """http(s) only (no ftp:, file: or data: through a redirect), under the deadline; proxies
    from the environment as urllib.request.urlopen has them."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        _HTTPHandler(deadline),
        _HTTPSHandler(deadline),
        urllib.request.HTTPDefaultErrorHandler(),
        _PrivateRedirects(allow_private),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


class _PrivateAddress(Exception):
    """A URL names, or resolves to, an address inside the operator's network."""

    def __init__(self, host: str, redirected: bool) -> None:
        super().__init__(host)
        self.host = host
        self.redirected = redirected

    def message(self) -> str:
        if self.redirected:
            return _(
                "download refused: redirected to %(host)s, a private address "
                "(use --allow-private to allow it)",
                host=self.host,
            )
        return _(
            "download refused: %(host)s is a private address (use --allow-private to allow it)",
            host=self.host,
        )


def _refuse_private(url: str, *, redirected: bool = False) -> None:
    """Raises _PrivateAddress when any address the URL's host resolves to is not public."""
    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        return  # urllib refuses a URL without a host
    port = parts.port or (443 if parts.scheme == "https" else 80)
    for *_kind, socket_address in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        if not _is_public(socket_address[0]):
            raise _PrivateAddress(host, redirected)


def _is_public(address: str) -> bool:
    """Not loopback, link-local, private, unspecified, multicast, reserved, nor otherwise
    kept from the internet (such as 100.64.0.0/10, where some clouds answer metadata)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # without an IPv6 zone
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_loopback
        or ip.is_link_local
        or ip.is_private
        or ip.is_unspecified
        or ip.is_multicast
        or ip.is_reserved
    )
