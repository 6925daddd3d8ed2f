"""`portal import-codelists`: load IATI codelists (sectors, SDG targets, policy markers…)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from portal.codelists.importer import CodelistImportError, import_codelists
from portal.extensions import db


@click.command("import-codelists")
@click.argument("sources", nargs=-1, required=True, metavar="PATH_OR_URL...")
@with_appcontext
def import_codelists_command(sources: tuple[str, ...]) -> None:
    """Import IATI codelist XML files, directories of them (every *.xml) or URLs.

    Each codelist found replaces the stored one of the same name; all in one transaction.
    """
    try:
        report = import_codelists(
            db.session,
            sources,
            timeout=current_app.config.get("PORTAL_DOWNLOAD_TIMEOUT", 30.0),
            max_bytes=current_app.config.get("PORTAL_DOWNLOAD_MAX_BYTES", 200 * 1024 * 1024),
        )
    except CodelistImportError as error:
        raise click.ClickException(
            _("%(error)s. Nothing was imported.", error=str(error))
        ) from error
    for line in report.lines():
        click.echo(line)
    click.echo(
        ngettext(
            "Imported %(num)d codelist.",
            "Imported %(num)d codelists.",
            len(report.codelists),
        )
    )
