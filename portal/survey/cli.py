"""`portal survey-export` and `portal survey-purge-drafts`: the operator's survey commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from portal import operator
from portal.extensions import db
from portal.survey import queries, services


@click.command("survey-export")
@operator.export_options
@with_appcontext
def survey_export(export_format: str, output: Path | None) -> None:
    """Export every survey response with the stored answer codes."""
    rows = queries.export_rows(db.session)
    operator.write_export(export_format, queries.export_columns(), rows, output, "survey responses")


@click.command("survey-purge-drafts")
@click.option(
    "--older-than-days",
    type=click.IntRange(min=0),
    default=None,
    help="Age of the last answer (default: PORTAL_SURVEY_DRAFT_MAX_AGE_DAYS, 30).",
)
@with_appcontext
def survey_purge_drafts(older_than_days: int | None) -> None:
    """Delete unfinished surveys nobody has touched for a while."""
    if older_than_days is None:
        older_than_days = int(current_app.config["PORTAL_SURVEY_DRAFT_MAX_AGE_DAYS"])
    deleted = services.purge_drafts(db.session, dt.timedelta(days=older_than_days))
    click.echo(f"Deleted {deleted} unfinished surveys idle for more than {older_than_days} days.")
