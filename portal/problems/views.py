"""Report a problem with this data: a short form about one outcome, a country's facts or a
group of its figures, then a thank-you page leading back to where the visitor was.

A POST that is accepted is stored once and answered with a 303 to the thank-you page; one with
the honeypot filled in gets the same answer and stores nothing; an invalid one shows the form
again with its errors (422). CSRF failures are the portal's 400 page, too many reports from one
address its 429 page (PORTAL_PROBLEM_REPORT_RATE). Nothing here is cached: the pages carry a
CSRF token and, after an error, what the visitor typed.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    url_for,
)

from portal.arguments import whole_number_argument
from portal.extensions import db, limiter
from portal.i18n import preferred_language
from portal.outcomes.views import checked_outcome_address
from portal.problems import services, subjects
from portal.problems.forms import PROBLEM_MAX_LENGTH, ProblemReportForm

blueprint = Blueprint("problems", __name__, url_prefix="/<lang>/report-a-problem")


def _report_rate() -> str:
    return current_app.config["PORTAL_PROBLEM_REPORT_RATE"]


def _subject_or_404(kind: str, key: str) -> subjects.Subject:
    plan_period = checked_outcome_address(key) if kind == subjects.OUTCOME else None
    year = whole_number_argument("year") if kind == subjects.FIGURES else None
    subject = subjects.find_subject(db.session, kind, key, plan_period, year)
    if subject is None:
        abort(404)
    return subject


def _not_kept(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.route("/<about>/<path:key>", methods=["GET", "POST"])
@limiter.limit(_report_rate, methods=["POST"])
def report(about: str, key: str):
    subject = _subject_or_404(about, key)
    form = ProblemReportForm()
    if form.is_submitted():
        if form.caught_in_honeypot():  # a bot: it sees the thank-you page, nothing is stored
            return redirect(url_for(".thanks", **subject.address), 303)
        if form.validate():
            services.store_report(
                db.session, subject, form.problem.data, form.email.data, preferred_language()
            )
            return redirect(url_for(".thanks", **subject.address), 303)
    page = render_template(
        "problems/report.html",
        subject=subject,
        form=form,
        has_errors=bool(form.errors),
        action_url=url_for(".report", **subject.address),
        max_length=PROBLEM_MAX_LENGTH,
    )
    return _not_kept(make_response(page, 422 if form.errors else 200))


@blueprint.get("/thanks/<about>/<path:key>")
def thanks(about: str, key: str):
    subject = _subject_or_404(about, key)
    return _not_kept(make_response(render_template("problems/thanks.html", subject=subject)))


blueprint.add_app_template_global(subjects.country_facts_description, "report_country_description")
blueprint.add_app_template_global(subjects.figures_description, "report_figures_description")
