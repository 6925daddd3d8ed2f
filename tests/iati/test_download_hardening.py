"""`portal import-iati URL` against hostile servers: slow, redirecting inward, compressed bombs."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import socket
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from iati.counting import EVERY_TABLE
from portal.iati.fetch import local_source
from portal.iati.models import SourceFile

ACTIVITIES = Path(__file__).parent / "fixtures" / "iati-arabic-rtl.xml"
# A host name the tests resolve to a public address; its requests reach the test server as a proxy.
PUBLIC_HOST = "iati.example.org"
PUBLIC_ADDRESS = "93.184.215.14"
BOMB_BYTES = 50 * 1024 * 1024
TRICKLE_SECONDS = 0.2  # one byte this often
TRICKLE_BYTES = 50  # so a trickled body would take 10 s


def _row_counts(session) -> dict[str, int]:
    return {
        model.__tablename__: session.scalar(select(func.count()).select_from(model))
        for model in EVERY_TABLE
    }


def _import(runner, *args: str):
    return runner.invoke(args=["import-iati", *args])


@dataclass
class _Site:
    """What the test server served, for the assertions."""

    base: str
    port: int
    paths: list[str] = field(default_factory=list)
    gzipped: list[str] = field(default_factory=list)


class _HostileHandler(http.server.BaseHTTPRequestHandler):
    """Serves the fixture plainly or gzipped, a gzip bomb, trickles, and redirects (?to=URL).

    A request for an absolute URL (the server acting as proxy) is served by its path.
    """

    site: _Site
    bomb: bytes
    protocol_version = "HTTP/1.0"

    def log_message(self, format, *args):  # noqa: A002 - the standard library's signature
        pass

    def do_GET(self):  # noqa: N802 - the standard library's name
        url = urlsplit(self.path)
        self.site.paths.append(url.path)
        with suppress(BrokenPipeError, ConnectionResetError):  # the client gave up, as it should
            self._answer(url.path, parse_qs(url.query))

    def _answer(self, path: str, query: dict[str, list[str]]) -> None:
        if path == "/activities.xml":
            self._send(ACTIVITIES.read_bytes())
        elif path == "/activities.xml.gz-if-asked":
            body = ACTIVITIES.read_bytes()
            if "gzip" in self.headers.get("Accept-Encoding", ""):
                self.site.gzipped.append(path)
                self._send(gzip.compress(body), encoding="gzip")
            else:
                self._send(body)
        elif path == "/bomb.xml":
            self.site.gzipped.append(path)
            self._send(self.bomb, encoding="gzip")
        elif path == "/trickled-body.xml":
            body = ACTIVITIES.read_bytes()[:TRICKLE_BYTES]
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for offset in range(len(body)):
                self.wfile.write(body[offset : offset + 1])
                self.wfile.flush()
                time.sleep(TRICKLE_SECONDS)
        elif path == "/trickled-headers.xml":
            self.wfile.write(b"HTTP/1.0 200 OK\r\nX-Slow: ")
            for _ in range(TRICKLE_BYTES):
                self.wfile.write(b"z")
                self.wfile.flush()
                time.sleep(TRICKLE_SECONDS)
            self.wfile.write(b"\r\n\r\n")
        elif path == "/redirect":
            self.send_response(302)
            self.send_header("Location", query["to"][0].format(port=self.site.port))
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_error(404)

    def _send(self, body: bytes, encoding: str | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1024 * 1024)
    parts = [compressor.compress(zeros) for _ in range(BOMB_BYTES // len(zeros))]
    return b"".join(parts) + compressor.flush()


@pytest.fixture
def site(bomb) -> Iterator[_Site]:
    """A hostile web server on 127.0.0.1."""
    handler = type("Handler", (_HostileHandler,), {"bomb": bomb})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    port = server.server_address[1]
    handler.site = _Site(base=f"http://127.0.0.1:{port}", port=port)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield handler.site
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def public_host(site, monkeypatch) -> str:
    """http://iati.example.org: resolves to a public address, and is reached through the test
    server as HTTP proxy (so only the addresses a redirect names are private)."""
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host == PUBLIC_HOST:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC_ADDRESS, port or 80))]
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for name in ("no_proxy", "NO_PROXY", "HTTP_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", site.base)
    return f"http://{PUBLIC_HOST}"


def test_trickled_body_stops_at_the_deadline(app, runner, db_session, site, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_DOWNLOAD_TIMEOUT", 1)
    before = _row_counts(db_session)

    started = time.monotonic()
    result = _import(runner, "--allow-private", f"{site.base}/trickled-body.xml")
    elapsed = time.monotonic() - started

    assert result.exit_code != 0
    assert (
        f"{site.base}/trickled-body.xml: download stopped: not finished within 1 s "
        "(PORTAL_DOWNLOAD_TIMEOUT)" in result.output
    )
    assert elapsed < TRICKLE_BYTES * TRICKLE_SECONDS / 2  # well before the body would end
    assert _row_counts(db_session) == before


def test_trickled_headers_stop_at_the_deadline(app, runner, db_session, site, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_DOWNLOAD_TIMEOUT", 1)

    started = time.monotonic()
    result = _import(runner, "--allow-private", f"{site.base}/trickled-headers.xml")
    elapsed = time.monotonic() - started

    assert result.exit_code != 0
    assert "not finished within 1 s (PORTAL_DOWNLOAD_TIMEOUT)" in result.output
    assert elapsed < TRICKLE_BYTES * TRICKLE_SECONDS / 2


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://127.0.0.1:{port}/activities.xml", "127.0.0.1"),
        ("http://localhost:{port}/activities.xml", "localhost"),
        ("http://[::1]:{port}/activities.xml", "::1"),
        ("http://0.0.0.0:{port}/activities.xml", "0.0.0.0"),
        ("http://10.0.0.1/activities.xml", "10.0.0.1"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://224.0.0.1/activities.xml", "224.0.0.1"),
        ("http://240.0.0.1/activities.xml", "240.0.0.1"),
    ],
)
def test_private_address_is_refused(app, runner, db_session, site, monkeypatch, url, host):
    monkeypatch.setitem(app.config, "PORTAL_DOWNLOAD_TIMEOUT", 2)  # for the unreachable ones
    url = url.format(port=site.port)

    result = _import(runner, url)

    assert result.exit_code != 0
    assert (
        f"{url}: download refused: {host} is a private address "
        "(use --allow-private to allow it)" in result.output
    )
    assert site.paths == []
    assert db_session.scalar(select(func.count()).select_from(SourceFile)) == 0


@pytest.mark.parametrize(
    ("target", "host"),
    [
        ("http://127.0.0.1:{port}/activities.xml", "127.0.0.1"),
        ("http://localhost:{port}/activities.xml", "localhost"),
        ("http://10.0.0.1/activities.xml", "10.0.0.1"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
    ],
)
def test_redirect_to_a_private_address_is_refused(
    app, runner, db_session, site, public_host, monkeypatch, target, host
):
    monkeypatch.setitem(app.config, "PORTAL_DOWNLOAD_TIMEOUT", 2)
    url = f"{public_host}/redirect?to={target}"

    result = _import(runner, url)

    assert result.exit_code != 0
    assert (
        f"{url}: download refused: redirected to {host}, a private address "
        "(use --allow-private to allow it)" in result.output
    )
    assert site.paths == ["/redirect"]  # the redirect was not followed
    assert db_session.scalar(select(func.count()).select_from(SourceFile)) == 0


def test_redirect_is_followed_with_allow_private(runner, db_session, site):
    url = f"{site.base}/redirect?to=http://127.0.0.1:{{port}}/activities.xml"

    result = _import(runner, "--allow-private", url)

    assert result.exit_code == 0, result.output
    assert "Activities: 1 (new 1" in result.output
    assert site.paths == ["/redirect", "/activities.xml"]


def test_gzip_body_is_decoded_and_hashed_as_xml(app, site):
    plain = ACTIVITIES.read_bytes()

    with (
        app.test_request_context(),
        local_source(
            f"{site.base}/activities.xml.gz-if-asked",
            timeout=10,
            max_bytes=10_000_000,
            allow_private=True,
        ) as local,
    ):
        stored = local.path.read_bytes()

    assert site.gzipped == ["/activities.xml.gz-if-asked"]
    assert stored == plain
    assert local.size == len(plain)
    assert local.sha256 == hashlib.sha256(plain).hexdigest()


def test_gzip_import_equals_plain_import(runner, db_session, site):
    gzipped = _import(runner, "--allow-private", f"{site.base}/activities.xml.gz-if-asked")
    plain = _import(runner, "--allow-private", f"{site.base}/activities.xml")

    assert gzipped.exit_code == 0, gzipped.output
    assert site.gzipped == ["/activities.xml.gz-if-asked"]
    assert "Activities: 1 (new 1, updated 0, unchanged 0)" in gzipped.output
    assert plain.exit_code == 0, plain.output
    assert "Activities: 1 (new 0, updated 0, unchanged 1)" in plain.output  # the same content
    assert db_session.scalars(select(SourceFile.sha256)).all() == [
        hashlib.sha256(ACTIVITIES.read_bytes()).hexdigest()
    ]


def test_gzip_bomb_stops_at_the_size_limit(app, runner, db_session, site, bomb, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_DOWNLOAD_MAX_BYTES", 1_000_000)
    assert len(bomb) < 1_000_000  # only the decoded size is over the limit

    started = time.monotonic()
    result = _import(runner, "--allow-private", f"{site.base}/bomb.xml")

    assert result.exit_code != 0
    assert (
        f"{site.base}/bomb.xml: download stopped: larger than 1000000 bytes "
        "(PORTAL_DOWNLOAD_MAX_BYTES)" in result.output
    )
    assert time.monotonic() - started < 5
    assert db_session.scalar(select(func.count()).select_from(SourceFile)) == 0


def test_allow_private_option_is_accepted(runner, db_session):
    result = _import(runner, "--allow-private", str(ACTIVITIES))

    assert result.exit_code == 0, result.output
    assert "Activities: 1 (new 1" in result.output
    assert "--allow-private" in _import(runner, "--help").output
