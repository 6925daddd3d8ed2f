"""`portal import-iati`: load the publisher's IATI activity files."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("import-iati")
@click.argument("sources", nargs=-1, required=True)
@with_appcontext
def import_iati(sources: tuple[str, ...]) -> None:
    """Import IATI activity XML files (paths or URLs) in one transaction."""
    raise click.ClickException("Not built yet (issue 2).")
