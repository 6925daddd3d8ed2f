"""A visitor without JavaScript: opens a report form, posts it with the page's CSRF token."""

from __future__ import annotations

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from survey.walker import csrf_token


def send_report(
    client: FlaskClient, form_url: str, environ_base: dict | None = None, **fields: str
) -> TestResponse:
    """GET the form, then POST `fields` (what is wrong, email, website) with its CSRF token."""
    environ_base = environ_base or {}
    token = csrf_token(client.get(form_url, environ_base=environ_base))
    data = {"problem": "The 2024 budget is shown twice.", "email": "", **fields}
    return client.post(form_url, data={"csrf_token": token, **data}, environ_base=environ_base)
