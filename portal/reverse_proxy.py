"""Behind a TLS-terminating reverse proxy: trust its X-Forwarded-* headers, and only its.

With PORTAL_PROXY_COUNT=N (the number of proxies in front of the app), the visitor's scheme,
host and address come from the last N proxies' headers, so `request.is_secure` is true for
HTTPS visitors (HSTS, secure cookies) and rate limits count visitors, not the proxy.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    proxies = int(app.config.get("PORTAL_PROXY_COUNT") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
