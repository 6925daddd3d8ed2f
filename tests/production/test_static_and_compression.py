"""Static files: fingerprinted URLs kept a year; text answers compressed with gzip or brotli."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import brotli
import pytest
from flask import url_for

from portal.config import PROJECT_ROOT

STATIC = PROJECT_ROOT / "static"
ASSETS = ["css/portal.css", "js/portal.js", "vendor/htmx.min.js"]


def _fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _read(response) -> bytes:
    body = response.get_data()
    response.close()
    return body


@pytest.mark.parametrize("filename", ASSETS)
def test_static_urls_carry_the_files_fingerprint(app, filename):
    with app.test_request_context("/en/"):
        url = url_for("static", filename=filename)
    assert url == f"/static/{filename}?v={_fingerprint(STATIC / filename)}"


def test_pages_link_fingerprinted_assets(client):
    page = client.get("/en/").get_data(as_text=True)
    linked = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert {link.split("?")[0] for link in linked} >= {"/static/css/portal.css"}
    assert all(re.search(r"\?v=[0-9a-f]{12}$", link) for link in linked)


@pytest.mark.parametrize("filename", ASSETS)
def test_fingerprinted_static_files_are_immutable_for_a_year(client, filename):
    response = client.get(f"/static/{filename}?v={_fingerprint(STATIC / filename)}")
    assert _read(response) == (STATIC / filename).read_bytes()
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


@pytest.mark.parametrize("query", ["", "?v=000000000000"], ids=["no-version", "old-version"])
def test_unversioned_static_files_are_kept_briefly(client, query):
    response = client.get(f"/static/css/portal.css{query}")
    _read(response)
    cache_control = response.headers["Cache-Control"]
    assert "immutable" not in cache_control
    assert int(re.search(r"max-age=(\d+)", cache_control).group(1)) <= 3600


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"),
    [
        ("gzip", "gzip", gzip.decompress),
        ("br", "br", brotli.decompress),
        ("gzip, deflate, br, zstd", "br", brotli.decompress),
    ],
)
@pytest.mark.parametrize("filename", ASSETS)
def test_css_and_javascript_are_compressed(client, filename, accept, encoding, decode):
    response = client.get(f"/static/{filename}", headers={"Accept-Encoding": accept})
    body = _read(response)
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert decode(body) == (STATIC / filename).read_bytes()


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"),
    [("gzip", "gzip", gzip.decompress), ("br;q=1.0, gzip;q=0.5", "br", brotli.decompress)],
)
def test_pages_are_compressed_when_the_visitor_accepts_it(client, accept, encoding, decode):
    plain = client.get("/en/countries/").get_data()
    client.check_html = False  # the checker reads text; these bodies are compressed
    response = client.get("/en/countries/", headers={"Accept-Encoding": accept})
    assert response.headers["Content-Encoding"] == encoding
    assert decode(response.get_data()) == plain


def test_a_gzip_page_carries_no_time(client):
    """One page under one ETag is the same bytes at any second (RFC 1952 MTIME 0)."""
    client.check_html = False  # the checker reads text; this body is compressed
    response = client.get("/en/countries/", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    body = response.get_data()
    assert body[4:8] == bytes(4)
    assert b"</html>" in gzip.decompress(body)


def test_no_encoding_without_accept_encoding(client):
    response = client.get("/en/", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response.headers
    assert "<html" in response.get_data(as_text=True)
