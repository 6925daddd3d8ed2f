"""The `portal` command: schema, imports and the bundled sample data."""

from __future__ import annotations

import atexit

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from portal.extensions import db


def _create_app():
    from portal import create_app

    # Imports, migrations and exports may run one statement for minutes: no statement timeout.
    app = create_app({"PORTAL_DB_STATEMENT_TIMEOUT": 0})
    atexit.register(_close_connections, app)
    return app


def _close_connections(app: Flask) -> None:
    """Close the database connections when the command ends, rather than leave them to the
    interpreter's shutdown (which may not close them): SQLite then folds its write-ahead log
    into the database file, so that the file alone holds what the command wrote."""
    with app.app_context():
        db.engine.dispose()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True)
def main() -> None:
    """Open Results Portal administration (uses PORTAL_DATABASE_URL)."""


@click.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Create or migrate the schema."""
    from portal import schema

    schema.upgrade(db.engine, revision)
    click.echo(f"Database schema is at {revision}.")


@db_group.command("revision")
@click.argument("message")
@with_appcontext
def db_revision(message: str) -> None:
    """Write a new migration from the models (developers)."""
    from portal import schema

    schema.make_revision(db.engine, message)


@click.command("plan-periods")
@click.argument("publisher_ref")
@click.argument("periods", nargs=-1, metavar="[PERIOD]...")
@click.option("--clear", is_flag=True, help="Remove the publisher's plan periods.")
@with_appcontext
def plan_periods_command(publisher_ref: str, periods: tuple[str, ...], clear: bool) -> None:
    """List, set or clear a publisher's strategic plan periods.

    PERIOD is written YYYY-YYYY (2022-2025). The periods given replace all of the
    publisher's, in one transaction; without any, the current ones are listed.
    """
    from portal.iati import plan_periods

    session = db.session
    try:
        ref = plan_periods.checked_ref(publisher_ref)
        if clear and periods:
            raise plan_periods.PlanPeriodError("Give periods or --clear, not both.")
        wanted = plan_periods.parse_periods(periods)
    except plan_periods.PlanPeriodError as error:
        raise click.ClickException(f"{error} Nothing was changed.") from None
    if not clear and not periods:
        stored = plan_periods.publisher_periods(session, ref)
        if stored:
            click.echo(f"Plan periods of {ref}: {', '.join(map(str, stored))}.")
        else:
            click.echo(f"{ref} has no plan periods.")
        return
    try:
        if clear:
            removed = plan_periods.clear_periods(session, ref)
            changed = bool(removed)
        else:
            changed = plan_periods.replace_periods(session, ref, wanted)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    if clear:
        click.echo(f"Removed {removed} plan periods of {ref}.")
    elif changed:
        click.echo(f"Plan periods of {ref} set: {', '.join(map(str, wanted))}.")
    else:
        click.echo(f"Plan periods of {ref} unchanged: {', '.join(map(str, wanted))}.")
    if changed and not plan_periods.publisher_is_known(session, ref):
        click.echo(f"Note: no activities of {ref} have been imported yet.")


@click.command("warm-cache")
@with_appcontext
def warm_cache_command() -> None:
    """Render the most visited pages (home, country list, every country's Overview, in every
    language) into the page cache; with PORTAL_CACHE_URL, for every app server."""
    from flask import current_app
    from flask_babel import gettext as _

    from portal import warming

    app = current_app._get_current_object()
    if not app.config.get("PORTAL_CACHE_ENABLED"):
        click.echo(_("The page cache is off: nothing to warm."))
        return
    warming.warm_with_progress(app)


def register_commands(app: Flask) -> None:
    from portal.codelists.cli import import_codelists_command
    from portal.countries.cli import import_countries
    from portal.iati.cli import import_iati
    from portal.problems.cli import problem_reports_group
    from portal.quality.cli import data_quality_group
    from portal.sample.cli import sample
    from portal.survey.cli import survey_export, survey_purge_drafts

    for command in (
        db_group,
        import_iati,
        import_countries,
        import_codelists_command,
        plan_periods_command,
        data_quality_group,
        problem_reports_group,
        sample,
        survey_export,
        survey_purge_drafts,
        warm_cache_command,
    ):
        app.cli.add_command(command)
