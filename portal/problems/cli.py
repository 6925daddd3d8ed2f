"""`portal problem-reports export`: the operator's copy of every problem report."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from portal import operator
from portal.extensions import db
from portal.problems import queries


@click.group("problem-reports")
def problem_reports_group() -> None:
    """What visitors reported as wrong with the data."""


@problem_reports_group.command("export")
@operator.export_options
@with_appcontext
def export_reports(export_format: str, output: Path | None) -> None:
    """Export every problem report, oldest first."""
    rows = queries.export_rows(db.session)
    operator.write_export(export_format, queries.EXPORT_COLUMNS, rows, output, "problem reports")
