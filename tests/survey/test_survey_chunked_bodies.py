"""Issue 14, point 6: a body sent in chunks (Transfer-Encoding: chunked, no Content-Length) is
held to the same limit as any other. Werkzeug used to read such a body up to the limit and
silently drop the rest, so a cut-down answer was stored; now a body over the limit is 413."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import pytest

from portal.config import MAX_REQUEST_BYTES
from survey.walker import ANSWERS_POSTED, SurveyVisitor, csrf_token, soup

# gunicorn (and Werkzeug's own server) de-chunk the body and say so in the environment.
AS_A_DECHUNKING_SERVER_PASSES_IT = {"wsgi.input_terminated": True}


@pytest.fixture(autouse=True)
def request_size_limit(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", MAX_REQUEST_BYTES)


def post_chunked(client, path: str, body: bytes):
    """POST `body` as a chunked request: Werkzeug ignores any Content-Length when the request
    says Transfer-Encoding: chunked, as a server de-chunking the body would pass it."""
    return client.post(
        path,
        input_stream=io.BytesIO(body),
        content_type="application/x-www-form-urlencoded",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides=AS_A_DECHUNKING_SERVER_PASSES_IT,
    )


def institution_answer(visitor: SurveyVisitor, size: int | None = None) -> bytes:
    """A valid answer, padded at the end with a field no form reads up to `size` bytes: cut
    anywhere in the padding, the answer would still look complete."""
    token = csrf_token(visitor.open(visitor.url("institution")))
    body = urlencode({"csrf_token": token, "website": "", **ANSWERS_POSTED["institution"]})
    if size is None:
        return body.encode()
    body += "&padding="
    return (body + "x" * (size - len(body))).encode()


@pytest.mark.parametrize(
    ("size", "status"),
    [(MAX_REQUEST_BYTES, 303), (MAX_REQUEST_BYTES + 1, 413), (2 * MAX_REQUEST_BYTES, 413)],
)
def test_a_chunked_body_over_the_limit_is_413_and_stores_nothing(
    client, stored_drafts, size, status
):
    visitor = SurveyVisitor(client, "fr")
    response = post_chunked(client, visitor.url("institution"), institution_answer(visitor, size))
    assert response.status_code == status
    if status == 413:
        assert stored_drafts() == []
        page = soup(response)
        assert page.find("html")["lang"] == "fr"
        assert "Requête trop volumineuse" in page.find("h1").get_text()
    else:
        assert len(stored_drafts()) == 1


def test_a_small_chunked_body_is_read_whole(client, stored_drafts):
    visitor = SurveyVisitor(client)
    response = post_chunked(client, visitor.url("institution"), institution_answer(visitor))
    assert response.status_code == 303
    [draft] = stored_drafts()
    assert draft.answers["institution"] == {
        "institution": "other",
        "institution_other": "Fondation Sœur Émilie",
    }


class BodyCutOffAfter(io.BytesIO):
    """A chunked body whose client goes away after `size` bytes (gunicorn raises an OSError)."""

    def __init__(self, body: bytes, size: int) -> None:
        super().__init__(body)
        self.size = size

    def read(self, size: int | None = -1) -> bytes:
        if self.tell() >= self.size:
            raise OSError("client disconnected")
        return super().read(min(size, self.size - self.tell()))

    def readinto(self, buffer) -> int:
        piece = self.read(len(buffer))
        buffer[: len(piece)] = piece
        return len(piece)


def test_a_chunked_body_cut_off_by_the_client_is_400_and_stores_nothing(client, stored_drafts):
    visitor = SurveyVisitor(client)
    body = institution_answer(visitor, 100_000)
    response = client.post(
        visitor.url("institution"),
        input_stream=BodyCutOffAfter(body, 70_000),
        content_type="application/x-www-form-urlencoded",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides=AS_A_DECHUNKING_SERVER_PASSES_IT,
    )
    assert response.status_code == 400
    assert stored_drafts() == []
