"""The survey as data: its questions in order, each with its form and how its answer reads back.

Adding, removing or reordering a question is an edit to STEPS; views, the check page, the
export and the operator's counts all follow it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.survey import forms
from portal.survey.choices import (
    EASE_SCALE,
    FEATURES,
    INFORMATION_SOUGHT,
    INSTITUTION_TYPES,
    OTHER,
    VISIT_REASONS,
)

Answer = Mapping[str, Any]
Choices = Sequence[tuple[str, Any]]


@dataclass(frozen=True)
class Step:
    """One question page: its URL slug, its form, and how its stored answer is read."""

    slug: str
    form_class: type[forms.StepForm]
    # The answer as lines of text for the check-your-answers page, in the visitor's language.
    summarise: Callable[[Answer], list[str]]
    # The codes this answer counts towards on the operator's page, and their labels in order.
    tally: Callable[[Answer], Iterable[str]]
    tally_labels: Choices = field(default=())

    @property
    def question(self) -> Any:
        return self.form_class.question

    @property
    def export_columns(self) -> Sequence[str]:
        return self.form_class.answer_fields


def _label(choices: Choices, code: Any) -> str:
    return next((str(label) for value, label in choices if value == str(code)), str(code))


def _chosen_with_other(choice_field: str, other_field: str, choices: Choices):
    """Summary of a one-or-several choice question, with the words given for ‘Other’."""

    def summarise(answer: Answer) -> list[str]:
        chosen = answer.get(choice_field)
        codes = chosen if isinstance(chosen, list) else [chosen]
        lines = []
        for code in codes:
            if code == OTHER and answer.get(other_field):
                lines.append(_("Other: %(text)s", text=answer[other_field]))
            elif code is not None:
                lines.append(_label(choices, code))
        return lines

    return summarise


def _codes(choice_field: str):
    def tally(answer: Answer) -> Iterable[str]:
        chosen = answer.get(choice_field)
        return chosen if isinstance(chosen, list) else [chosen]

    return tally


def _summarise_ease(answer: Answer) -> list[str]:
    return [_("%(score)s out of %(top)s", score=answer.get("ease"), top=len(EASE_SCALE))]


def _summarise_ideas(answer: Answer) -> list[str]:
    return [answer["ideas"]] if answer.get("ideas") else [_("No ideas given")]


def _summarise_contact(answer: Answer) -> list[str]:
    if not answer.get("contact_email"):
        return [_("No, do not contact me")]
    return [answer["contact_email"], _("You agreed to be contacted at this address.")]


def _choice_step(slug: str, form_class: type[forms.ChoiceWithOtherForm], labels) -> Step:
    """A question answered by choosing, with ‘Other’: summarised and tallied by its form's
    own choice and other fields."""
    return Step(
        slug=slug,
        form_class=form_class,
        summarise=_chosen_with_other(form_class.choice_field, form_class.other_field, labels),
        tally=_codes(form_class.choice_field),
        tally_labels=labels,
    )


STEPS: tuple[Step, ...] = (
    _choice_step("institution", forms.InstitutionForm, INSTITUTION_TYPES),
    _choice_step("visit-reason", forms.VisitReasonForm, VISIT_REASONS),
    _choice_step("looking-for", forms.InformationSoughtForm, INFORMATION_SOUGHT),
    Step(
        slug="ease",
        form_class=forms.EaseForm,
        summarise=_summarise_ease,
        tally=lambda answer: [str(answer.get("ease"))],
        tally_labels=EASE_SCALE,
    ),
    _choice_step("features", forms.FeaturesForm, FEATURES),
    Step(
        slug="ideas",
        form_class=forms.IdeasForm,
        summarise=_summarise_ideas,
        tally=lambda answer: ["given" if answer.get("ideas") else "none"],
        tally_labels=(("given", _l("Gave ideas")), ("none", _l("Left this empty"))),
    ),
    Step(
        slug="contact",
        form_class=forms.ContactForm,
        summarise=_summarise_contact,
        tally=lambda answer: ["consented" if answer.get("contact_email") else "none"],
        tally_labels=(
            ("consented", _l("Gave an email address and agreed to be contacted")),
            ("none", _l("Did not give an email address")),
        ),
    ),
)

STEPS_BY_SLUG = {step.slug: step for step in STEPS}


def step_by_slug(slug: str) -> Step | None:
    return STEPS_BY_SLUG.get(slug)


def position(step: Step) -> int:
    """1 for the first question."""
    return STEPS.index(step) + 1


def previous_step(step: Step) -> Step | None:
    index = STEPS.index(step)
    return STEPS[index - 1] if index > 0 else None


def next_step(step: Step) -> Step | None:
    index = STEPS.index(step)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def first_unanswered(answers: Mapping[str, Any], before: Step | None = None) -> Step | None:
    """The first question without an answer (only those before `before`, when given).

    Every question is answered by passing its page, even the optional ones (with a blank
    answer), so the survey is walked in order and the check page shows a complete set.
    """
    candidates = STEPS[: STEPS.index(before)] if before else STEPS
    return next((step for step in candidates if step.slug not in answers), None)


def export_columns() -> list[str]:
    return [column for step in STEPS for column in step.export_columns]
