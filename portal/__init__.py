"""Open Results Portal: an organisation's results, money and funding partners from its IATI data."""

from __future__ import annotations

from flask import Flask

from portal import config as portal_config


def create_app(config: dict | None = None) -> Flask:
    """Build the portal; `config` overrides what the environment says (tests use it)."""
    site = portal_config.site_folder()  # the checkout's top level, or the wheel's copy
    app = Flask(
        __name__,
        template_folder=str(site / "templates"),
        static_folder=str(site / "static"),
        instance_path=str(portal_config.DEFAULT_INSTANCE),
        instance_relative_config=False,
    )
    app.config["TRANSLATIONS_DIR"] = site / "translations"
    if config and "SECRET_KEY" in config and "SQLALCHEMY_DATABASE_URI" in config:
        app.config.update(config)
    else:
        app.config.update(portal_config.from_environment())
        app.config.update(config or {})
    from portal import arguments, errors, i18n, problems, security, seo, survey, templating
    from portal.extensions import csrf, db, engine_options, htmx, init_limiter

    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS",
        engine_options(app.config["SQLALCHEMY_DATABASE_URI"], app.config),
    )

    db.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    init_limiter(app)
    i18n.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    arguments.init_app(app)  # the <iso3:iso3> URL converter, before the routes that use it
    # Production plumbing: page cache, gzip/brotli, fingerprinted static files, proxy headers.
    from portal import caching, compression, fragments, reverse_proxy, static_files

    caching.init_app(app)
    fragments.init_app(app)
    compression.init_app(app)
    static_files.init_app(app)
    reverse_proxy.init_app(app)

    from portal.countries.views import blueprint as countries_blueprint
    from portal.home.views import blueprint as home_blueprint
    from portal.outcomes.views import blueprint as outcomes_blueprint
    from portal.partners.views import blueprint as partners_blueprint
    from portal.quality.views import blueprint as quality_blueprint
    from portal.regions.views import blueprint as regions_blueprint
    from portal.sample.about import blueprint as sample_blueprint
    from portal.search.views import blueprint as search_blueprint

    app.register_blueprint(home_blueprint)
    app.register_blueprint(countries_blueprint)
    from portal import api, downloads

    downloads.init_app(app)  # .csv/.xlsx/.json of each view, activities.xml
    api.init_app(app)  # /api/v1/ and /<lang>/open-data/
    app.register_blueprint(outcomes_blueprint)
    app.register_blueprint(regions_blueprint)
    app.register_blueprint(partners_blueprint)  # /<lang>/partners/: funding partner pages
    app.register_blueprint(search_blueprint)
    app.register_blueprint(quality_blueprint)
    app.register_blueprint(sample_blueprint)
    survey.init_app(app)  # the survey's and its admin's blueprints, and their settings
    problems.init_app(app)  # report a problem with this data, and the operator's list
    seo.init_app(app)  # canonical and language links in every page, robots.txt, sitemap.xml

    from portal.maps import world

    app.extensions.setdefault("portal_warm_up", []).append(world.warm_up)

    from portal.cli import register_commands

    register_commands(app)
    return app
