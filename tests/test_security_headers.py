"""Every response carries the security headers; HSTS only over HTTPS."""

import pytest


@pytest.mark.parametrize("path", ["/", "/en/", "/fr/no-such-page", "/static/css/portal.css"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    response.close()
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_over_https(client):
    response = client.get("/en/", base_url="https://portal.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize(
    "path",
    ["/api/v1/outcomes/%00", "/en/outcomes/X%00Y", "/en/countries/MLI/?year=%00", "/en/?q=a%00"],
)
def test_nul_bytes_are_refused_as_bad_requests(client, path):
    response = client.get(path)
    assert response.status_code == 400
