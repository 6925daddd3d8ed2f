"""Data-quality rules shared by the import's warnings (portal.iati.parser,
portal.countries.importer) and the stored findings (portal.quality.checks): one definition
each."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

# IATI IndicatorMeasure 5: qualitative; such indicators carry comments, not values, by design.
QUALITATIVE_MEASURE = "5"


def indicator_has_no_values(
    measure: str | None,
    baseline_value: str | None,
    period_values: Iterable[tuple[str | None, str | None]],
) -> bool:
    """A quantitative indicator with no baseline value and no target or actual in any period."""
    return (
        measure != QUALITATIVE_MEASURE
        and baseline_value is None
        and not any(target or actual for target, actual in period_values)
    )


# The female and male shares of a population may miss 100 by this many percentage points.
POPULATION_SHARE_TOLERANCE = Decimal("0.5")
# Female + male may miss the total by this fraction of it (and always by one person).
POPULATION_TOLERANCE = Decimal("0.001")
# The country fact a header shows may describe a year this many years before the newest
# fact's date, no more.
FACT_AGE_LIMIT_YEARS = 5


def population_parts_differ(total: Decimal, female: Decimal, male: Decimal) -> bool:
    """Women and men together are not the total population (beyond rounding)."""
    return abs(female + male - total) > max(Decimal(1), total * POPULATION_TOLERANCE)


def population_shares_differ(female_percent: Decimal, male_percent: Decimal) -> bool:
    """The female and male shares do not make 100 % (beyond rounding)."""
    return abs(female_percent + male_percent - 100) > POPULATION_SHARE_TOLERANCE
