"""The portal as production runs it for search engines: on a configured host, so that its
addresses are absolute (portal.links.site_url)."""

from __future__ import annotations

import pytest

PUBLIC_HOST = "http://localhost"


@pytest.fixture
def public_host(app, monkeypatch) -> str:
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["localhost"])
    return PUBLIC_HOST
