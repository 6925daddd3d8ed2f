"""The kinds of finding: a stable key (stored, in URLs and files), a short flag for the page, a
message in every UI language, and the published rule each one follows.

Rules: the IATI Standard Ruleset (`rulesets/standard.json` of IATI-Rulesets) and the IATI
Validator's data-quality rules (`data-quality/rules/iati/*.xslt`, numbered). Where neither has
the rule, the IATI Standard's own guidance is named.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Kind:
    key: str
    flag: LazyString  # a few words next to the value
    message: LazyString  # what looks wrong, with %(value)s
    rule: LazyString  # the published rule it follows (IATI Validator or Standard Ruleset)


PLACEHOLDER_TEXT = "placeholder-text"
BUDGET_NOT_ABOVE_ZERO = "budget-not-above-zero"
BUDGET_LONGER_THAN_A_YEAR = "budget-longer-than-a-year"
TRANSACTION_OUTSIDE_DATES = "transaction-outside-dates"
INDICATOR_WITHOUT_VALUES = "indicator-without-values"
ACTUAL_WITHOUT_TARGET = "actual-without-target"
PERCENTAGES_NOT_100 = "percentages-not-100"
UNKNOWN_COUNTRY_CODE = "unknown-country-code"
UNKNOWN_REGION_CODE = "unknown-region-code"
TEXT_WITHOUT_LANGUAGE = "text-without-language"
PROVIDER_NAMED_DIFFERENTLY = "provider-named-differently"
# About a country's reference facts, not an activity (checks.refresh_fact_findings).
POPULATION_SHARES_NOT_100 = "population-shares-not-100"
POPULATION_PARTS_NOT_TOTAL = "population-parts-not-total"
FACT_OLDER_THAN_FIVE_YEARS = "fact-older-than-five-years"
COUNTRY_FACT_KINDS = frozenset(
    {POPULATION_SHARES_NOT_100, POPULATION_PARTS_NOT_TOTAL, FACT_OLDER_THAN_FIVE_YEARS}
)

KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind(
            PLACEHOLDER_TEXT,
            _l("Looks like a placeholder"),
            _l("The publisher's text “%(value)s” looks like a placeholder, not real content."),
            _l("No IATI rule checks this; IATI Validator rules 4.3.1 and 4.4.1 find empty text."),
        ),
        Kind(
            BUDGET_NOT_ABOVE_ZERO,
            _l("Budget of zero or less"),
            _l("A budget line of %(value)s: a budget is expected to be above zero."),
            _l("No IATI rule checks this; the portal adds no such line to any total."),
        ),
        Kind(
            BUDGET_LONGER_THAN_A_YEAR,
            _l("Budget period longer than a year"),
            _l("A budget period of %(value)s: a budget period must not be longer than a year."),
            _l("IATI Validator rule 7.5.3; IATI Standard Ruleset rule time_limit."),
        ),
        Kind(
            TRANSACTION_OUTSIDE_DATES,
            _l("Dated outside the activity"),
            _l("A transaction dated %(value)s, more than a year outside the activity's dates."),
            _l("No IATI rule checks this; the nearest is IATI Validator rule 11.2.1 (past dates)."),
        ),
        Kind(
            INDICATOR_WITHOUT_VALUES,
            _l("No values"),
            _l("The indicator “%(value)s” has no baseline, target or actual value."),
            _l(
                "The closest IATI rules: IATI Validator 8.8.1, 8.9.1 and 8.10.1 (indicator values)."
            ),
        ),
        Kind(
            ACTUAL_WITHOUT_TARGET,
            _l("Actual without target"),
            _l("An actual value of %(value)s was reported without a target for its period."),
            _l("No IATI rule checks this; the nearest is IATI Validator rule 8.9.1 (targets)."),
        ),
        Kind(
            PERCENTAGES_NOT_100,
            _l("Shares do not add up"),
            _l("The recipient countries' and regions' shares add up to %(value)s %%, not 100 %%."),
            _l("IATI Validator rules 3.1.2 and 3.4.2; IATI Standard Ruleset rule strict_sum."),
        ),
        Kind(
            UNKNOWN_COUNTRY_CODE,
            _l("Unknown country code"),
            _l("The recipient country code “%(value)s” is not in the IATI Country codelist."),
            _l("IATI Validator rule 9.50.1 (the Country codelist)."),
        ),
        Kind(
            UNKNOWN_REGION_CODE,
            _l("Unknown region code"),
            _l(
                "The recipient region code “%(value)s” is not in the IATI Region codelist "
                "(vocabulary 1, OECD DAC)."
            ),
            _l("IATI Validator rule 9.51.1 (the Region codelist)."),
        ),
        Kind(
            TEXT_WITHOUT_LANGUAGE,
            _l("Text without a language"),
            _l(
                "The text “%(value)s” has no language, and neither the activity nor its file "
                "declares a default one."
            ),
            _l("IATI Validator rule 4.1.1 (a default language or a language for each text)."),
        ),
        Kind(
            PROVIDER_NAMED_DIFFERENTLY,
            _l("Provider named differently"),
            _l("The publisher gives one provider of funds several names: %(value)s."),
            _l(
                "No IATI rule checks this; the nearest is the IATI Standard's guidance on "
                "organisation identifiers (one identifier, one organisation)."
            ),
        ),
        Kind(
            POPULATION_SHARES_NOT_100,
            _l("Population shares do not add up"),
            _l("The female and male shares of the population do not add up to 100 %%: %(value)s."),
            _l(
                "No IATI rule: the portal's own check of the country facts (a difference of "
                "up to half a percentage point is accepted)."
            ),
        ),
        Kind(
            POPULATION_PARTS_NOT_TOTAL,
            _l("Population parts do not add up"),
            _l("Women and men together do not make the total population: %(value)s."),
            _l(
                "No IATI rule: the portal's own check of the country facts (a difference of "
                "up to one in a thousand is accepted)."
            ),
        ),
        Kind(
            FACT_OLDER_THAN_FIVE_YEARS,
            _l("Older than five years"),
            _l(
                "The figure “%(value)s” describes a year more than five years before the "
                "newest country data."
            ),
            _l(
                "No IATI rule: the portal's own check of the country facts (the figure shown "
                "should be at most five years older than the newest fact's date)."
            ),
        ),
    )
}
