"""The report form: what is wrong, and an email address for an answer if the visitor wants one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired

from portal.forms import (
    HoneypotForm,
    error_links,
    optional_email_field,
    refuse_control_characters,
    strip_whitespace,
    too_long,
)

PROBLEM_MAX_LENGTH = 2000


class ProblemReportForm(HoneypotForm):
    problem = TextAreaField(
        _l("What is wrong?"),
        filters=[strip_whitespace],
        validators=[
            DataRequired(_l("Say what is wrong with this data.")),
            refuse_control_characters,
            too_long(PROBLEM_MAX_LENGTH),
        ],
    )
    email = optional_email_field(_l("Email address (optional)"))

    def error_links(self) -> list[tuple[str, str]]:
        return error_links((self.problem, self.email))
