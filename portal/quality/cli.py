"""`portal data-quality refresh`: check every stored activity and the country facts again (after
an upgrade that adds a check, or for data stored before findings were kept)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select

from portal.extensions import db
from portal.iati.models import Outcome
from portal.iati.report import findings_lines
from portal.quality.checks import refresh_fact_findings, refresh_findings, summarise


@click.group("data-quality")
def data_quality_group() -> None:
    """Data-quality findings of the stored activities."""


@data_quality_group.command("refresh")
@with_appcontext
def refresh_command() -> None:
    """Check every stored activity and the country facts again and replace their findings."""
    ids = db.session.scalars(select(Outcome.id)).all()
    summary = summarise(db.session, refresh_findings(db.session, ids))
    fact_findings = refresh_fact_findings(db.session)
    db.session.commit()
    click.echo("\n".join(findings_lines(summary)))
    click.echo(_("Country-fact findings: %(count)d", count=len(fact_findings)))
