"""The operator's problem reports: the newest ones as a table, and all of them as CSV.

Both routes are the operator's (portal.operator): PORTAL_ADMIN_TOKEN, 404 without it.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from portal import operator
from portal.extensions import db
from portal.problems import queries

blueprint = operator.protect(Blueprint("problems_admin", __name__, url_prefix="/admin"))

CSV_FILENAME = "problem-reports.csv"
# The page lists this many, newest first; the CSV and `portal problem-reports export` have all.
NEWEST_SHOWN = 200


@blueprint.get("/problem-reports")
def problem_reports():
    return render_template(
        "problems/admin_reports.html",
        total=queries.report_count(db.session),
        reports=queries.newest_reports(db.session, NEWEST_SHOWN),
    )


@blueprint.get("/problem-reports.csv")
def problem_reports_csv():
    return operator.csv_download(
        queries.EXPORT_COLUMNS, queries.export_rows(db.session), CSV_FILENAME
    )
