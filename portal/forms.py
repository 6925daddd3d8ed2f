"""What every visitor's form has in common (the survey, report a problem): the honeypot next to
Flask-WTF's CSRF token, free text without control characters, a loosely checked optional email
address, and the error summary's links in the order the fields appear.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, Optional, Regexp, StopValidation

EMAIL_MAX_LENGTH = 254
HONEYPOT_MAX_LENGTH = 200
# Deliberately loose: the address is only ever read by a person who may write to it.
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# The control characters an answer may hold: a tab anywhere, line breaks in a text area.
SINGLE_LINE_CONTROLS = frozenset("\t")
MULTI_LINE_CONTROLS = frozenset("\t\n\r")
CONTROL_CHARACTERS_MESSAGE = _l(
    "Your answer contains hidden control characters. Type it again without them."
)


def strip_whitespace(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def too_long(maximum: int) -> Length:
    return Length(max=maximum, message=_l("Enter %(max)d characters or fewer.", max=maximum))


def refuse_control_characters(form: FlaskForm, field: Field) -> None:
    """No NUL, terminal escape, DEL or other control character (C0, C1) in a free-text answer:
    nobody types them, NUL breaks databases, and escapes garble the exports read in a terminal.
    A text input cannot hold a line break (browsers remove them), so only a text area may."""
    allowed = MULTI_LINE_CONTROLS if isinstance(field, TextAreaField) else SINGLE_LINE_CONTROLS
    if isinstance(field.data, str) and any(
        unicodedata.category(character) == "Cc" and character not in allowed
        for character in field.data
    ):
        raise StopValidation(CONTROL_CHARACTERS_MESSAGE)


def optional_email_field(label) -> StringField:
    """An email address a visitor may leave out; when given, it must look like one."""
    return StringField(
        label,
        filters=[strip_whitespace],
        validators=[
            Optional(),
            refuse_control_characters,
            too_long(EMAIL_MAX_LENGTH),
            Regexp(
                EMAIL_PATTERN,
                message=_l("Enter an email address in the right format, like name@example.org."),
            ),
        ],
    )


class HoneypotForm(FlaskForm):
    """The CSRF token, and a field only bots fill in (templates/_macros/forms.html hides it)."""

    website = StringField(
        _l("Leave this field empty"),
        filters=[strip_whitespace],
        validators=[Optional(), refuse_control_characters, Length(max=HONEYPOT_MAX_LENGTH)],
    )

    def caught_in_honeypot(self) -> bool:
        return bool(self.website.data)


def error_links(fields: Iterable[Field]) -> list[tuple[str, str]]:
    """(target id, message) for the error summary, in the order of `fields`; a group of radios
    or checkboxes is reached through its first option."""
    links = []
    for field in fields:
        for message in field.errors:
            grouped = isinstance(field, RadioField | SelectMultipleField)
            links.append((f"{field.id}-0" if grouped else field.id, str(message)))
    return links
