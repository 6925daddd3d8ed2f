"""Our own translated names for the few codes the interface itself talks about.

Large codelists (sectors, SDG targets, policy markers) come from IATI's files through
`portal import-codelists`; these short ones are interface words, so they live in our
catalogues and have a Spanish name too. Each label has a gettext context so that a word like
"Other" can take the right gender in each list. Unknown codes are shown as published.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_pgettext

RESULT_TYPES = {
    "1": lazy_pgettext("result type", "Output"),
    "2": lazy_pgettext("result type", "Outcome"),
    "3": lazy_pgettext("result type", "Impact"),
    "9": lazy_pgettext("result type", "Other"),
}

TRANSACTION_TYPES = {
    "1": lazy_pgettext("transaction type", "Incoming funds"),
    "2": lazy_pgettext("transaction type", "Outgoing commitment"),
    "3": lazy_pgettext("transaction type", "Disbursement"),
    "4": lazy_pgettext("transaction type", "Expenditure"),
    "5": lazy_pgettext("transaction type", "Interest payment"),
    "6": lazy_pgettext("transaction type", "Loan repayment"),
    "7": lazy_pgettext("transaction type", "Reimbursement"),
    "8": lazy_pgettext("transaction type", "Purchase of equity"),
    "9": lazy_pgettext("transaction type", "Sale of equity"),
    "10": lazy_pgettext("transaction type", "Credit guarantee"),
    "11": lazy_pgettext("transaction type", "Incoming commitment"),
    "12": lazy_pgettext("transaction type", "Outgoing pledge"),
    "13": lazy_pgettext("transaction type", "Incoming pledge"),
}

BUDGET_TYPES = {
    "1": lazy_pgettext("budget type", "Original"),
    "2": lazy_pgettext("budget type", "Revised"),
}

BUDGET_STATUSES = {
    "1": lazy_pgettext("budget status", "Indicative"),
    "2": lazy_pgettext("budget status", "Committed"),
}

ORGANISATION_ROLES = {
    "1": lazy_pgettext("organisation role", "Funding"),
    "2": lazy_pgettext("organisation role", "Accountable"),
    "3": lazy_pgettext("organisation role", "Extending"),
    "4": lazy_pgettext("organisation role", "Implementing"),
}

ACTIVITY_STATUSES = {
    "1": lazy_pgettext("activity status", "Pipeline/identification"),
    "2": lazy_pgettext("activity status", "Implementation"),
    "3": lazy_pgettext("activity status", "Finalisation"),
    "4": lazy_pgettext("activity status", "Closed"),
    "5": lazy_pgettext("activity status", "Cancelled"),
    "6": lazy_pgettext("activity status", "Suspended"),
}

# World Bank income classification (codes as in the World Bank's country metadata).
INCOME_GROUPS = {
    "L": lazy_pgettext("income group", "Low income"),
    "LM": lazy_pgettext("income group", "Lower middle income"),
    "UM": lazy_pgettext("income group", "Upper middle income"),
    "H": lazy_pgettext("income group", "High income"),
}

INDICATOR_MEASURES = {
    "1": lazy_pgettext("indicator measure", "Unit"),
    "2": lazy_pgettext("indicator measure", "Percentage"),
    "3": lazy_pgettext("indicator measure", "Nominal"),
    "4": lazy_pgettext("indicator measure", "Ordinal"),
    "5": lazy_pgettext("indicator measure", "Qualitative"),
}

# The income group as reference files spell it ("Lower middle income", "Lower middle").
_INCOME_GROUP_SPELLINGS = {
    "LOW": "L",
    "LOWER MIDDLE": "LM",
    "UPPER MIDDLE": "UM",
    "HIGH": "H",
}


def _label(labels: Mapping[str, object], code: str | int | None) -> str:
    if code is None:
        return ""
    code = str(code).strip()
    label = labels.get(code)
    return str(label) if label is not None else code


def result_type_label(code: str | int | None) -> str:
    return _label(RESULT_TYPES, code)


def transaction_type_label(code: str | int | None) -> str:
    return _label(TRANSACTION_TYPES, code)


def budget_type_label(code: str | int | None) -> str:
    return _label(BUDGET_TYPES, code)


def budget_status_label(code: str | int | None) -> str:
    return _label(BUDGET_STATUSES, code)


def organisation_role_label(code: str | int | None) -> str:
    return _label(ORGANISATION_ROLES, code)


def activity_status_label(code: str | int | None) -> str:
    return _label(ACTIVITY_STATUSES, code)


def indicator_measure_label(code: str | int | None) -> str:
    return _label(INDICATOR_MEASURES, code)


def income_group_code(value: str | None) -> str | None:
    """ "L", "LM", "UM" or "H" from a code or a spelled-out group; None when unrecognised."""
    if not value:
        return None
    key = " ".join(value.replace("-", " ").upper().split())
    key = key.removesuffix(" INCOME").removesuffix(" COUNTRIES")
    if key in INCOME_GROUPS:
        return key
    return _INCOME_GROUP_SPELLINGS.get(key)


def income_group_label(value: str | None) -> str:
    """The World Bank income group in the visitor's language, from a code or English name."""
    code = income_group_code(value)
    if code is None:
        return (value or "").strip()
    return str(INCOME_GROUPS[code])


JINJA_FILTERS = {
    "result_type_label": result_type_label,
    "transaction_type_label": transaction_type_label,
    "budget_type_label": budget_type_label,
    "budget_status_label": budget_status_label,
    "organisation_role_label": organisation_role_label,
    "activity_status_label": activity_status_label,
    "indicator_measure_label": indicator_measure_label,
    "income_group_label": income_group_label,
}
