"""`portal import-countries`: load country reference facts."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("import-countries")
@click.argument("files", nargs=-1, required=True)
@with_appcontext
def import_countries(files: tuple[str, ...]) -> None:
    """Import country facts from CSV files."""
    raise click.ClickException("Not built yet (issue 2).")
