"""The portal's own pages go through the page checker, error pages and fragments included."""

from __future__ import annotations

import pytest

from portal.config import SUPPORTED_LANGUAGES
from quality.page_checker import page_language_tag


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_the_not_found_page_passes_the_checker_in_every_language(client, lang):
    response = client.get(f"/{lang}/no-such-page")
    assert response.status_code == 404
    assert f'<html lang="{page_language_tag(lang)}"' in response.get_data(as_text=True)


def test_an_htmx_request_for_a_missing_page_gets_a_checked_fragment(client):
    response = client.get("/en/no-such-page", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert "<html" not in response.get_data(as_text=True)
    assert "HX-Request" in response.headers["Vary"]
