"""The operator's survey results: counts per answer, and every response as CSV.

Both routes need PORTAL_ADMIN_TOKEN, sent as a bearer token or as the password of HTTP Basic
authentication (any user name). Without a configured token the routes do not exist (404).
One address may present a wrong token PORTAL_ADMIN_RATE_LIMIT times (10 per minute) before it
is refused (429, with Retry-After).
"""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, abort, current_app, make_response, render_template, request

from portal.config import ADMIN_RATE_LIMIT
from portal.extensions import db, limiter
from portal.survey import export, queries

blueprint = Blueprint("survey_admin", __name__, url_prefix="/admin")

REALM = "Open Results Portal administration"
CSV_FILENAME = "survey-responses.csv"


def _presented_token() -> str | None:
    authorization = request.authorization
    if authorization is None:
        return None
    if authorization.type == "bearer":
        return authorization.token
    if authorization.type == "basic":
        return authorization.password
    return None


def token_is_valid(expected: str, presented: str | None) -> bool:
    """Constant-time comparison, so response times do not reveal how much of a guess is right."""
    return hmac.compare_digest(expected.encode(), (presented or "").encode())


def _failed_token_rate() -> str:
    return current_app.config.get("PORTAL_ADMIN_RATE_LIMIT") or ADMIN_RATE_LIMIT


def _token_was_refused(response: Response) -> bool:
    return response.status_code == 401


# Guesses at the token are counted per address, over both routes; the right token never counts.
# Past the limit every request from that address is 429 until the window ends, the right token
# included: letting it alone through would tell a guesser which guess was right.
limiter.shared_limit(_failed_token_rate, "operator-token", deduct_when=_token_was_refused)(
    blueprint
)


@blueprint.before_request
def require_operator_token():
    expected = current_app.config.get("PORTAL_ADMIN_TOKEN")
    if not expected:
        abort(404)
    if not token_is_valid(expected, _presented_token()):
        response = make_response(render_template("survey/admin_denied.html"), 401)
        response.headers.add("WWW-Authenticate", f'Basic realm="{REALM}", charset="UTF-8"')
        response.headers.add("WWW-Authenticate", f'Bearer realm="{REALM}"')
        return response
    return None


@blueprint.after_request
def keep_out_of_caches(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.vary.update(("Authorization", "Accept-Language"))
    return response


@blueprint.get("/survey")
def survey_results():
    return render_template(
        "survey/admin_results.html",
        total=queries.response_count(db.session),
        questions=queries.answer_counts(db.session),
    )


@blueprint.get("/survey.csv")
def survey_csv():
    text = export.to_csv(queries.export_columns(), queries.export_rows(db.session))
    response = Response(text, mimetype="text/csv")  # text/csv; charset=utf-8
    response.headers["Content-Disposition"] = f'attachment; filename="{CSV_FILENAME}"'
    return response
