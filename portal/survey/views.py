"""The survey pages: intro, one page per question, check your answers, thanks.

Without JavaScript every POST ends in a 303 redirect (or a 422 page showing the errors). With
HTMX the same POST answers with HX-Location, so HTMX fetches the next page's fragment into the
survey region and pushes its URL; a 422 fragment is swapped in place (static/js/portal.js).
"""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    make_response,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.extensions import db, limiter
from portal.htmx import render_page_or_fragment, wants_fragment
from portal.i18n import preferred_language
from portal.survey import queries, services, steps
from portal.survey.forms import StepForm, SubmitForm
from portal.survey.services import SubmissionOutcome

blueprint = Blueprint("survey", __name__, url_prefix="/<lang>/survey")

DRAFT_TOKEN_KEY = "survey_draft_token"
REGION_ID = "survey-region"
PAGE_TEMPLATE = "survey/page.html"
# `?return=check` on a question reached from a Change link: Continue goes back to the check page.
RETURN_TO_CHECK = "check"
# When other requests kept writing the same draft (many clicks at once) and this answer could
# not be stored: the question is shown again with the answer filled in.
BUSY_MESSAGE = _l("Your answer could not be saved this time. Please send it again.")


def _submission_rate() -> str:
    return current_app.config["PORTAL_SURVEY_SUBMISSION_RATE"]


def _draft_token() -> str | None:
    return session.get(DRAFT_TOKEN_KEY)


def _forget_draft() -> str | None:
    return session.pop(DRAFT_TOKEN_KEY, None)


def _go_to(url: str) -> Response:
    """After a successful POST: 303 See Other, or ask HTMX to load `url` into the region."""
    if wants_fragment():
        response = make_response("", 204)
        response.headers["HX-Location"] = json.dumps({"path": url, "target": f"#{REGION_ID}"})
        response.vary.add("HX-Request")
        return response
    return redirect(url, 303)


def _render(region_template: str, page_title: str, status: int = 200, **context) -> Response:
    response = render_page_or_fragment(
        PAGE_TEMPLATE,
        region_template,
        status,
        region_template=region_template,
        region_id=REGION_ID,
        page_title=page_title,
        **context,
    )
    # Answers (an email address) may be on the page: keep it out of shared caches.
    response.headers["Cache-Control"] = "no-store"
    return response


def _url_of(step: steps.Step, returning: bool = False) -> str:
    if returning:
        return url_for(".question", slug=step.slug, **{"return": RETURN_TO_CHECK})
    return url_for(".question", slug=step.slug)


@blueprint.get("/")
def intro():
    answers = queries.draft_answers(db.session, _draft_token())
    resume_url = None
    if answers:
        unanswered = steps.first_unanswered(answers)
        resume_url = _url_of(unanswered) if unanswered else url_for(".check")
    return _render(
        "survey/_intro.html",
        _("User survey – welcome to the conversation"),
        start_url=_url_of(steps.STEPS[0]),
        resume_url=resume_url,
        total=len(steps.STEPS),
    )


@blueprint.route("/<slug>", methods=["GET", "POST"])
def question(slug: str):
    step = steps.step_by_slug(slug)
    if step is None:
        abort(404)
    returning = request.args.get("return") == RETURN_TO_CHECK
    if request.method == "POST":
        form = step.form_class()
        if form.caught_in_honeypot():
            services.discard_draft(db.session, _forget_draft())
            return _go_to(url_for(".thanks"))
        if form.validate():
            try:
                token, answers = services.save_answer(
                    db.session, _draft_token(), step.slug, form.answer()
                )
            except services.ConcurrentWrite:
                current_app.logger.warning("Survey draft kept changing; the answer is asked again")
                form[step.form_class.answer_fields[0]].errors.append(str(BUSY_MESSAGE))
                return _render_question(step, form, returning, status=409)
            session[DRAFT_TOKEN_KEY] = token
            return _go_to(_after_answering(step, answers, returning))
        return _render_question(step, form, returning, status=422)
    answers = queries.draft_answers(db.session, _draft_token())
    unanswered = steps.first_unanswered(answers, before=step)
    if unanswered is not None:
        return redirect(_url_of(unanswered), 303)
    return _render_question(step, step.form_class.prefilled(answers.get(step.slug)), returning)


def _after_answering(step: steps.Step, answers: dict, returning: bool) -> str:
    """The next question, or the first one still unanswered, or the check page."""
    following = None if returning else steps.next_step(step)
    unanswered = steps.first_unanswered(answers, before=following)
    if unanswered is not None:
        return _url_of(unanswered)
    return _url_of(following) if following else url_for(".check")


def _render_question(step: steps.Step, form: StepForm, returning: bool, status: int = 200):
    previous = steps.previous_step(step)
    if returning:
        back_url = url_for(".check")
    elif previous is not None:
        back_url = _url_of(previous)
    else:
        back_url = url_for(".intro")
    return _render(
        "survey/_question.html",
        str(step.question),
        status,
        step=step,
        form=form,
        has_errors=bool(form.errors),
        number=steps.position(step),
        total=len(steps.STEPS),
        back_url=back_url,
        action_url=_url_of(step, returning),
    )


@blueprint.route("/check", methods=["GET", "POST"])
@limiter.limit(_submission_rate, methods=["POST"])
def check():
    if request.method == "POST":
        return _submit()
    answers = queries.draft_answers(db.session, _draft_token())
    unanswered = steps.first_unanswered(answers)
    if unanswered is not None:
        return redirect(_url_of(unanswered), 303)
    summary = [
        (step.question, step.summarise(answers[step.slug]), _url_of(step, returning=True))
        for step in steps.STEPS
    ]
    return _render(
        "survey/_check.html",
        _("Check your answers before sending them"),
        summary=summary,
        form=SubmitForm(formdata=None),
    )


def _submit() -> Response:
    form = SubmitForm()
    if not form.validate() or form.caught_in_honeypot():
        # A bot: it sees the thanks page, and nothing is stored.
        services.discard_draft(db.session, _forget_draft())
        return _go_to(url_for(".thanks"))
    try:
        submission = services.submit(db.session, _draft_token(), preferred_language())
    except services.ConcurrentWrite:  # the draft is kept: the check page offers Send again
        current_app.logger.warning("Survey draft kept changing; sent back to the check page")
        return _go_to(url_for(".check"))
    if submission.outcome is SubmissionOutcome.INCOMPLETE:
        return _go_to(_url_of(submission.unanswered))
    _forget_draft()
    if submission.outcome is SubmissionOutcome.NO_DRAFT:
        return _go_to(url_for(".intro"))
    return _go_to(url_for(".thanks"))


@blueprint.get("/thanks")
def thanks():
    return _render("survey/_thanks.html", _("Thank you for your feedback"))
