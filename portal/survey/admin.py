"""The operator's survey results: counts per answer, and every response as CSV.

Both routes are the operator's (portal.operator): PORTAL_ADMIN_TOKEN, 404 without it.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from portal import operator
from portal.extensions import db
from portal.survey import queries

blueprint = operator.protect(Blueprint("survey_admin", __name__, url_prefix="/admin"))

CSV_FILENAME = "survey-responses.csv"


@blueprint.get("/survey")
def survey_results():
    return render_template(
        "survey/admin_results.html",
        total=queries.response_count(db.session),
        questions=queries.answer_counts(db.session),
    )


@blueprint.get("/survey.csv")
def survey_csv():
    return operator.csv_download(
        queries.export_columns(), queries.export_rows(db.session), CSV_FILENAME
    )
