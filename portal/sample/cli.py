"""`portal sample`: rebuild the database from the bundled sample data."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("sample")
@with_appcontext
def sample() -> None:
    """(Re)build the database from the bundled sample data."""
    raise click.ClickException("Not built yet (issue 2).")
