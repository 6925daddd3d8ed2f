"""`portal sample`: rebuild the database from the bundled sample data."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from portal.countries.importer import CountryFileError
from portal.extensions import db
from portal.iati.importer import ImportFailed
from portal.sample.operations import build_sample_database
from portal.sample.queries import outcome_counts


@click.command("sample")
@click.option(
    "--force",
    is_flag=True,
    help="Replace the database even when PORTAL_ENV=production.",
)
@with_appcontext
def sample(force: bool) -> None:
    """(Re)build the database from the bundled sample data; everything in it is replaced."""
    if current_app.config.get("PORTAL_ENV") == "production" and not force:
        raise click.ClickException(
            _("Refusing to replace a production database with sample data (use --force).")
        )
    db.session.remove()
    try:
        build = build_sample_database(db.session, db.engine)
    except (CountryFileError, ImportFailed) as error:
        raise click.ClickException(
            _("The sample could not be built: %(error)s", error=str(error))
        ) from None
    click.echo(
        _(
            "Sample database built in %(seconds).1f s: %(database)s",
            seconds=build.seconds,
            database=db.engine.url.render_as_string(hide_password=True),
        )
    )
    click.echo(_("Outcomes per country and plan period:"))
    for count in outcome_counts(db.session):
        click.echo(f"  {count.country_iso3 or '-'} {count.plan_period}: {count.outcomes}")
    click.echo("")
    click.echo(build.country_report.render())
    click.echo("")
    click.echo(build.iati_report.format())
    click.echo("")
    click.echo(
        _(
            "The sample holds deliberate data-quality problems for the checks to find "
            "(see portal/sample/README.md)."
        )
    )
