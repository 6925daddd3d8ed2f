"""The answers a respondent can choose: stored codes and their labels in the visitor's language.

Codes never change once responses exist (exports and counts use them); labels may.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

OTHER = "other"

INSTITUTION_TYPES = [
    ("government", _l("Government")),
    ("un_agency", _l("UN agency")),
    ("donor", _l("Donor / funding partner")),
    ("civil_society", _l("Civil society / NGO")),
    ("academia", _l("Academia / research")),
    ("private_sector", _l("Private sector")),
    ("media", _l("Media")),
    ("individual", _l("Individual")),
    (OTHER, _l("Other")),
]

VISIT_REASONS = [
    ("research", _l("Research or analysis")),
    ("accountability", _l("Reporting or accountability")),
    ("programming", _l("Planning or designing programmes")),
    ("funding", _l("Checking funding or partnerships")),
    ("journalism", _l("Journalism")),
    ("general_interest", _l("General interest")),
    (OTHER, _l("Other")),
]

INFORMATION_SOUGHT = [
    ("results", _l("Results")),
    ("budgets", _l("Budgets and expenditure")),
    ("funding_partners", _l("Funding partners")),
    ("country", _l("A country")),
    ("strategic_plan", _l("A strategic plan area")),
    ("data_download", _l("Data to download")),
    (OTHER, _l("Other")),
]

FEATURES = [
    ("maps_charts", _l("More maps and charts")),
    ("more_downloads", _l("More data to download")),
    ("country_comparison", _l("Comparisons between countries")),
    ("earlier_years", _l("Results for earlier years")),
    ("more_languages", _l("More languages")),
    ("update_alerts", _l("Email alerts when the data changes")),
    ("api", _l("An API for developers")),
    (OTHER, _l("Other")),
]

# Stored as the number; only the ends carry words, as on the printed questionnaire.
EASE_SCALE = [
    ("1", _l("1 – Very difficult")),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", _l("5 – Very easy")),
]
