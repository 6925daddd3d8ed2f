"""What every template can use: locale-aware filters and the sample-data flag."""

from __future__ import annotations

from flask import Flask, g

from portal import pagination
from portal.extensions import db
from portal.i18n import formatting
from portal.iati import queries as iati_queries


def _dataset_is_sample() -> bool:
    if g.get("database_unavailable"):
        return False  # the 503 page renders without the database (portal.errors)
    if "dataset_is_sample" not in g:
        g.dataset_is_sample = iati_queries.dataset_is_sample(db.session)
    return g.dataset_is_sample


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        number=formatting.number,
        percent=formatting.percent,
        money=formatting.money,
        date=formatting.date,
        territory_name=formatting.territory_name,
        language_autonym=formatting.language_autonym,
    )
    app.jinja_env.globals["visible_pages"] = pagination.visible_pages
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.policies["ext.i18n.trimmed"] = True

    @app.context_processor
    def dataset_context():
        return {"dataset_is_sample": _dataset_is_sample}
