"""Data-quality rules shared by the import's warnings (portal.iati.parser) and the stored
findings (portal.quality.checks): one definition each."""

from __future__ import annotations

from collections.abc import Iterable

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
