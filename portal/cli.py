"""The `portal` command: schema, imports and the bundled sample data."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from portal.extensions import db


def _create_app():
    from portal import create_app

    return create_app()


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


def register_commands(app: Flask) -> None:
    from portal.codelists.cli import import_codelists_command
    from portal.countries.cli import import_countries
    from portal.iati.cli import import_iati
    from portal.sample.cli import sample
    from portal.survey.cli import survey_export, survey_purge_drafts

    for command in (
        db_group,
        import_iati,
        import_countries,
        import_codelists_command,
        sample,
        survey_export,
        survey_purge_drafts,
    ):
        app.cli.add_command(command)
