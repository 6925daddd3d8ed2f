"""The survey's WTForms: one form per question, each turning its fields into a stored answer.

Every form carries the honeypot and Flask-WTF's CSRF token. Field names are unique across the
whole survey because they are also the stored answer keys and the export's column names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, StopValidation

from portal.forms import (
    HoneypotForm,
    error_links,
    optional_email_field,
    refuse_control_characters,
    strip_whitespace,
    too_long,
)
from portal.survey.choices import (
    EASE_SCALE,
    FEATURES,
    INFORMATION_SOUGHT,
    INSTITUTION_TYPES,
    OTHER,
    VISIT_REASONS,
)

OTHER_TEXT_MAX_LENGTH = 200
IDEAS_MAX_LENGTH = 2000


def select_choices(choices: Sequence[tuple[str, Any]]) -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in choices]


class RequiredWhen:
    """Required only when the rest of the form makes it so ('Other' chosen, an email given)."""

    def __init__(self, condition: Callable[[FlaskForm], bool], message) -> None:
        self.condition = condition
        self.message = message

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if self.condition(form) and not field.data:
            raise StopValidation(self.message)


class StepForm(HoneypotForm):
    """One question. Subclasses say which fields make the answer and which partial shows it."""

    question: ClassVar[Any]
    hint: ClassVar[Any] = None
    partial: ClassVar[str]
    answer_fields: ClassVar[Sequence[str]]

    def answer(self) -> dict[str, Any]:
        """The validated data as it is stored (codes, numbers, text), keyed by field name."""
        return {name: self[name].data for name in self.answer_fields}

    @classmethod
    def prefilled(cls, answer: dict[str, Any] | None) -> StepForm:
        """The form showing a stored answer (a GET: nothing is read from the request)."""
        return cls(formdata=None, data=answer or {})

    def error_links(self) -> list[tuple[str, str]]:
        """(target id, message) for the error summary, in the order the fields appear."""
        return error_links(self[name] for name in self.answer_fields)


def _other_chosen(choice_field: str) -> Callable[[FlaskForm], bool]:
    def chosen(form: FlaskForm) -> bool:
        data = form[choice_field].data
        return data == OTHER or (isinstance(data, list) and OTHER in data)

    return chosen


def _other_text_field(choice_field: str) -> StringField:
    return StringField(
        _l("Please specify"),
        filters=[strip_whitespace],
        validators=[
            RequiredWhen(_other_chosen(choice_field), _l("Say what you mean by ‘Other’.")),
            refuse_control_characters,
            too_long(OTHER_TEXT_MAX_LENGTH),
        ],
    )


class ChoiceWithOtherForm(StepForm):
    """A question answered by choosing, where ‘Other’ asks for a few words."""

    # Radio buttons or checkboxes, as the choice field takes one answer or several.
    partial = "survey/questions/_choice.html"
    choice_field: ClassVar[str]
    other_field: ClassVar[str]

    def answer(self) -> dict[str, Any]:
        answer = super().answer()
        if not _other_chosen(self.choice_field)(self):
            answer[self.other_field] = None
        return answer


class InstitutionForm(ChoiceWithOtherForm):
    question = _l("What type of institution do you identify with?")
    hint = _l("Please select one.")
    choice_field = "institution"
    other_field = "institution_other"
    answer_fields = ("institution", "institution_other")

    institution = RadioField(
        _l("Type of institution"),
        choices=select_choices(INSTITUTION_TYPES),
        invalid_choice_message=_l("Select the type of institution you identify with."),
    )
    institution_other = _other_text_field("institution")


class VisitReasonForm(ChoiceWithOtherForm):
    question = _l("Why did you visit the portal today?")
    hint = _l("Please select one.")
    choice_field = "visit_reason"
    other_field = "visit_reason_other"
    answer_fields = ("visit_reason", "visit_reason_other")

    visit_reason = RadioField(
        _l("Reason for your visit"),
        choices=select_choices(VISIT_REASONS),
        invalid_choice_message=_l("Select why you visited the portal today."),
    )
    visit_reason_other = _other_text_field("visit_reason")


class InformationSoughtForm(ChoiceWithOtherForm):
    question = _l("What information were you looking for?")
    hint = _l("Select all that apply.")
    choice_field = "looking_for"
    other_field = "looking_for_other"
    answer_fields = ("looking_for", "looking_for_other")

    looking_for = SelectMultipleField(
        _l("Information you were looking for"),
        choices=select_choices(INFORMATION_SOUGHT),
        validators=[InputRequired(_l("Select the information you were looking for."))],
        invalid_choice_message=_l("Select the information you were looking for."),
    )
    looking_for_other = _other_text_field("looking_for")


class EaseForm(StepForm):
    question = _l("How easy was it to find?")
    hint = _l("Choose a number from 1 (very difficult) to 5 (very easy).")
    partial = "survey/questions/_scale.html"
    answer_fields = ("ease",)

    ease = RadioField(
        _l("How easy it was to find"),
        choices=select_choices(EASE_SCALE),
        invalid_choice_message=_l("Choose how easy it was to find, from 1 to 5."),
    )

    def answer(self) -> dict[str, Any]:
        return {"ease": int(self.ease.data)}

    @classmethod
    def prefilled(cls, answer: dict[str, Any] | None) -> StepForm:
        stored = (answer or {}).get("ease")
        return cls(formdata=None, data={"ease": None if stored is None else str(stored)})


class FeaturesForm(ChoiceWithOtherForm):
    question = _l("Which features would you like to see?")
    hint = _l("Select all that apply.")
    choice_field = "features"
    other_field = "features_other"
    answer_fields = ("features", "features_other")

    features = SelectMultipleField(
        _l("Features you would like to see"),
        choices=select_choices(FEATURES),
        validators=[InputRequired(_l("Select the features you would like to see."))],
        invalid_choice_message=_l("Select the features you would like to see."),
    )
    features_other = _other_text_field("features")


class IdeasForm(StepForm):
    question = _l("Your ideas for improving the portal")
    partial = "survey/questions/_free_text.html"
    answer_fields = ("ideas",)
    max_length = IDEAS_MAX_LENGTH

    ideas = TextAreaField(
        _l("Your ideas for improving the portal"),
        filters=[strip_whitespace],
        validators=[refuse_control_characters, too_long(IDEAS_MAX_LENGTH)],
    )

    def answer(self) -> dict[str, Any]:
        return {"ideas": self.ideas.data or None}


def _email_given(form: FlaskForm) -> bool:
    return bool(form.contact_email.data)


class ContactForm(StepForm):
    question = _l("May we contact you?")
    hint = _l(
        "This is optional. If you give your email address, we will only use it to ask you "
        "about your answers."
    )
    partial = "survey/questions/_contact.html"
    answer_fields = ("contact_email", "contact_consent")

    contact_email = optional_email_field(_l("Email address (optional)"))
    contact_consent = BooleanField(
        _l("I agree that the portal team may contact me at this address about my answers."),
        validators=[
            RequiredWhen(
                _email_given,
                _l("Tick the box to agree to be contacted, or remove your email address."),
            )
        ],
    )

    def answer(self) -> dict[str, Any]:
        email = self.contact_email.data or None
        return {
            "contact_email": email,
            "contact_consent": bool(email and self.contact_consent.data),
        }


class SubmitForm(HoneypotForm):
    """The check page's ‘Send’ button: CSRF and the honeypot, no answers."""
