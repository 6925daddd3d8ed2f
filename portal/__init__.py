"""Open Results Portal: an organisation's results, money and funding partners from its IATI data."""

from __future__ import annotations

from flask import Flask

from portal import config as portal_config


def create_app(config: dict | None = None) -> Flask:
    """Build the portal; `config` overrides what the environment says (tests use it)."""
    app = Flask(
        __name__,
        template_folder=str(portal_config.PROJECT_ROOT / "templates"),
        static_folder=str(portal_config.PROJECT_ROOT / "static"),
        instance_path=str(portal_config.DEFAULT_INSTANCE),
        instance_relative_config=False,
    )
    app.config["TRANSLATIONS_DIR"] = portal_config.PROJECT_ROOT / "translations"
    if config and "SECRET_KEY" in config and "SQLALCHEMY_DATABASE_URI" in config:
        app.config.update(config)
    else:
        app.config.update(portal_config.from_environment())
        app.config.update(config or {})
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})

    from portal import errors, i18n, security, templating
    from portal.extensions import csrf, db, htmx

    db.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    security.init_app(app)

    from portal.countries.views import blueprint as countries_blueprint
    from portal.home.views import blueprint as home_blueprint

    app.register_blueprint(home_blueprint)
    app.register_blueprint(countries_blueprint)

    from portal.cli import register_commands

    register_commands(app)
    return app
