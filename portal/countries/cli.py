"""`portal import-countries`: load country reference facts."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from portal import schema
from portal.countries.importer import CountryFileError, import_country_files
from portal.extensions import db


@click.command("import-countries")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def import_countries(files: tuple[Path, ...]) -> None:
    """Import country facts from CSV files in one transaction.

    Recognised by their header: the long format (iso3, year, indicator, value, source
    [, as_of]), the UN M49 country lists, the OCHA/HDX taxonomy and the UNDP HDR composite
    indices. A file that cannot be read changes nothing.
    """
    session = db.session
    try:
        report = import_country_files(session, files)
        session.commit()
    except CountryFileError as error:
        session.rollback()
        raise click.ClickException(_("Nothing imported. %(error)s", error=str(error))) from None
    except BaseException:
        session.rollback()
        raise
    schema.update_statistics(session)
    click.echo(report.render())
