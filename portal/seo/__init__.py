"""What search engines read: each page's description, canonical address and language versions
(templates/base.html), /robots.txt and /sitemap.xml."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from portal.seo import addresses
    from portal.seo.views import blueprint

    app.register_blueprint(blueprint)
    app.add_template_global(addresses.page_addresses, "page_addresses")
    app.add_template_filter(addresses.query_of, "query_of")
