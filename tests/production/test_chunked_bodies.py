"""Issue 14, point 6, through gunicorn: a chunked request body over MAX_REQUEST_BYTES is 413 and
stores nothing; a small one is read whole."""

from __future__ import annotations

import http.client
import re
from collections.abc import Iterator
from urllib.parse import urlencode, urlsplit

from sqlalchemy import create_engine, func, select

from portal.config import MAX_REQUEST_BYTES
from portal.survey.models import SurveyDraft

from .servers import gunicorn, portal_environment

CHUNK = 64 * 1024


def chunks_of(body: bytes) -> Iterator[bytes]:
    for start in range(0, len(body), CHUNK):
        yield body[start : start + CHUNK]


def post_chunked(base_url: str, path: str, body: bytes, cookie: str) -> tuple[int, str]:
    """POST `body` with Transfer-Encoding: chunked (http.client sends no Content-Length)."""
    address = urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    try:
        connection.request(
            "POST",
            path,
            body=chunks_of(body),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
            encode_chunked=True,
        )
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def question_page(base_url: str, path: str) -> tuple[str, str]:
    """The session cookie and the CSRF token a visitor gets with the question page."""
    address = urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        html = response.read().decode()
        cookie = response.getheader("Set-Cookie").split(";", 1)[0]
    finally:
        connection.close()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    return cookie, token


def answer(token: str, size: int | None = None) -> bytes:
    body = urlencode(
        {"csrf_token": token, "website": "", "institution": "government", "institution_other": ""}
    )
    if size is not None:
        body += "&padding=" + "x" * (size - len(body) - len("&padding="))
    return body.encode()


def drafts_in(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(SurveyDraft))
    finally:
        engine.dispose()


def test_gunicorn_refuses_a_chunked_body_over_the_limit(served_database, tmp_path):
    path = "/es/survey/institution"
    with gunicorn(portal_environment(served_database.url, tmp_path), workers=1) as base_url:
        cookie, token = question_page(base_url, path)
        status, html = post_chunked(base_url, path, answer(token, 2 * MAX_REQUEST_BYTES), cookie)
        assert status == 413
        assert '<html lang="es"' in html and "Solicitud demasiado grande" in html
        assert drafts_in(served_database.url) == 0
        status, _ = post_chunked(base_url, path, answer(token), cookie)
        assert status == 303
        assert drafts_in(served_database.url) == 1
