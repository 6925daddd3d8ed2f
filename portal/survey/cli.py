"""`portal survey-export` and `portal survey-purge-drafts`: the operator's survey commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.extensions import db
from portal.survey import export, queries, services


@click.command("survey-export")
@click.option(
    "--format",
    "export_format",
    type=click.Choice(export.FORMATS),
    default="csv",
    show_default=True,
    help="CSV (one row per response) or JSON (an array of objects).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file instead of standard output.",
)
@with_appcontext
def survey_export(export_format: str, output: Path | None) -> None:
    """Export every survey response with the stored answer codes."""
    rows = queries.export_rows(db.session)
    text = export.render(export_format, queries.export_columns(), rows)
    if output is None:
        click.echo(text, nl=False)
        return
    with output.open("w", encoding="utf-8", newline="") as file:
        file.write(text)
    click.echo(f"Wrote {len(rows)} survey responses to {output}.", err=True)


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
