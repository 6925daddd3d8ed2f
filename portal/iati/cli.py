"""`portal import-iati`: load the publisher's IATI activity files."""

from __future__ import annotations

import contextlib
import os
import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from portal import schema, warming
from portal.extensions import db
from portal.iati.fetch import is_url
from portal.iati.importer import ImportFailed, import_sources


@click.command("import-iati")
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--allow-private",
    is_flag=True,
    help="Let URLs and their redirects reach loopback, private and other non-public addresses.",
)
@with_appcontext
def import_iati(sources: tuple[str, ...], allow_private: bool) -> None:
    """Import IATI activity XML files (paths or http(s) URLs) in one transaction.

    A source that cannot be read stops the run and nothing is written.
    """
    session = db.session
    try:
        if sys.stdout.isatty():
            with click.progressbar(length=_local_bytes(sources), label=_("Importing")) as bar:
                report = import_sources(
                    session, sources, progress=bar.update, allow_private=allow_private
                )
        else:
            report = import_sources(session, sources, allow_private=allow_private)
        session.commit()
    except ImportFailed as failure:
        session.rollback()
        raise click.ClickException(str(failure)) from None
    except BaseException:
        session.rollback()
        raise
    schema.update_statistics(session)
    click.echo(report.format())
    app = current_app._get_current_object()
    if warming.cache_is_shared(app):  # every app server's first visitors find the pages ready
        warming.warm_with_progress(app)


def _local_bytes(sources: tuple[str, ...]) -> int:
    """Bytes the progress bar expects: the local files' sizes (downloads add as they come)."""
    total = 0
    for source in sources:
        if not is_url(source):
            with contextlib.suppress(OSError):
                total += os.path.getsize(source)
    return max(total, 1)
